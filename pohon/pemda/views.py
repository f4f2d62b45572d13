"""The Pemda's entry page: its RPJMD periods (the Pemda trees) and its agencies with their trees.

Seen by whoever holds a role in the Pemda (in one of its agencies, or Bappeda); a Bappeda member
(or an admin) also starts a new period here. The Pemda tree's own pages are the tree pages of
``pohon.urls`` under the owner record's kode (``Pohon.chart_url``).

``user_is_bappeda`` and ``user_sees_pemda`` live in ``pohon.pemda.permissions``; they are imported
here under their old names too, for code that still imports them from this module.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from dinas.models import Pemda, PerangkatDaerah
from dinas.selectors import user_memberships, user_roles
from pohon.models import Node, Pohon
from pohon.pemda.permissions import user_is_bappeda, user_is_bappeda_of_owner, user_sees_pemda
from pohon.pemda.selectors import pemda_pohon_list
from pohon.pemda.services import pemda_pohon_create
from pohon.selectors import pohon_summaries
from pohon.views import NodePanelView


def _tahun(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


class PemdaView(LoginRequiredMixin, TemplateView):
    template_name = "pohon/pemda/pemda.html"

    def get_pemda(self) -> Pemda:
        pemda = get_object_or_404(Pemda, kode=self.kwargs["kode"])
        if not user_sees_pemda(self.request.user, pemda):
            raise Http404
        return pemda

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pemda = self.get_pemda()
        held = user_memberships(user)
        agencies = list(PerangkatDaerah.objects.agencies().filter(pemda=pemda).order_by("nama"))
        visible = {d.pk for d in agencies if user.is_superuser or d.pk in held}
        trees = list(
            Pohon.objects.filter(dinas_id__in=visible)
            .select_related("dinas", "pengesahan")
            .order_by("-tahun", "-revisi")
        )
        summaries = pohon_summaries(trees)
        context.update(
            pemda=pemda,
            periods=pemda_pohon_list(pemda),
            agencies=[(d, d.pk in visible, [s for s in summaries if s.pohon.dinas_id == d.pk]) for d in agencies],
            is_bappeda=user_is_bappeda(user, pemda),
        )
        return context

    def post(self, request, *args, **kwargs):
        pemda = self.get_pemda()
        if not user_is_bappeda(request.user, pemda):
            raise PermissionDenied(_("Hanya Bappeda Pemda ini yang dapat membuat pohon kinerja Pemda."))
        tahun, tahun_akhir = _tahun(request.POST.get("tahun", "")), _tahun(request.POST.get("tahun_akhir", ""))
        if tahun is None or tahun_akhir is None:
            messages.error(request, _("Isi tahun awal dan tahun akhir periode RPJMD dengan angka."))
            return HttpResponseRedirect(request.path)
        try:
            pohon = pemda_pohon_create(pemda=pemda, tahun=tahun, tahun_akhir=tahun_akhir)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(request.path)
        messages.success(
            request, _("Pohon kinerja Pemda periode %(periode)s dibuat.") % {"periode": pohon.periode_display}
        )
        return HttpResponseRedirect(pohon.chart_url())


def _periode_tahun(value: str) -> int | None:
    """``2016`` or ``2014-2018`` (the period's first year)."""
    head = value.split("-", 1)[0]
    return int(head) if head.isdigit() and len(head) == 4 else None


class PemdaChartMixin(LoginRequiredMixin):
    """The Pemda of the URL, seen by Bappeda and admin of the Pemda and, read-only, by its agencies'
    roles (the derived read role); anyone else 404."""

    def get_pemda(self) -> Pemda:
        pemda = get_object_or_404(Pemda, kode=self.kwargs["kode"])
        if not user_sees_pemda(self.request.user, pemda):
            raise Http404
        return pemda

    def get_tahun(self) -> int:
        tahun = _periode_tahun(str(self.kwargs["periode"]))
        if tahun is None:
            raise Http404
        return tahun


class PemdaChartView(PemdaChartMixin, TemplateView):
    """``/pemda/<kode>/<tahun or periode>/``: the Pemda tree covering the year with, under each
    Sasaran Pemda/Tematik, the supporting agencies collapsed (``pohon.pemda.chart``)."""

    template_name = "pohon/pemda/chart.html"

    def get_context_data(self, **kwargs):
        from pohon.pemda.chart import pemda_chart_html, pemda_chart_pohon, pemda_records

        context = super().get_context_data(**kwargs)
        user = self.request.user
        tahun = self.get_tahun()
        # Read once for every check below (the query count stays flat whatever the agencies):
        # the tree with its Pemda, the Pemda's records, the user's roles (cached per request).
        pohon = pemda_chart_pohon(self.kwargs["kode"], tahun)
        if pohon is None:
            raise Http404
        pemda, records, held = pohon.dinas.pemda, pemda_records(pohon.dinas.pemda_id), user_memberships(user)
        if not user.is_superuser and not any(pk in held for pk in records):
            raise Http404  # the same answer as user_sees_pemda
        # Bappeda and the Pemda's admin (roles on the owner record, the tree's) open every agency;
        # an agency's roles their own.
        is_bappeda = user_is_bappeda_of_owner(user, pohon.dinas_id)
        agencies = {pk for pk, record in records.items() if record[2] == PerangkatDaerah.Jenis.DINAS}
        readable = agencies if is_bappeda else agencies & set(held)
        tree, chart = pemda_chart_html(pohon, tahun, readable=readable, records=records)
        context.update(
            pemda=pemda,
            pohon=pohon,
            tahun=tahun,
            tree=tree,
            chart=chart,
            years=list(pohon.periode),
            is_bappeda=is_bappeda,
        )
        return context


class PemdaChartDinasView(PemdaChartMixin, View):
    """One agency's nodes supporting one Pemda node, as an HTML fragment for the Pemda chart.
    A user who may see the Pemda but not that agency's tree: 403."""

    def get(self, request, *args, **kwargs):
        from pohon.pemda.chart import pemda_chart_dinas
        from pohon.pemda.selectors import pemda_pohon_for_tahun

        pemda, tahun = self.get_pemda(), self.get_tahun()
        dinas = get_object_or_404(PerangkatDaerah.objects.agencies(), pemda=pemda, kode=self.kwargs["dinas"])
        if not user_roles(request.user, dinas.pk) and not user_is_bappeda(request.user, pemda):
            raise PermissionDenied(_("Anda tidak berhak membuka pohon kinerja perangkat daerah ini."))
        try:
            kunci = uuid.UUID(request.GET.get("butir", ""))
        except ValueError:
            raise Http404 from None
        pohon = pemda_pohon_for_tahun(pemda, tahun)
        if pohon is None:
            raise Http404
        return HttpResponse(pemda_chart_dinas(pemda_pohon=pohon, dinas=dinas, tahun=tahun, pemda_kunci=kunci))


class PemdaNodePanelView(PemdaChartMixin, NodePanelView):
    """The Pemda chart's panel of one node (GET, loaded by static/pohon/panel.js as on an agency's
    chart, in the same template): a node of the Pemda tree (its kode, uraian, Indikator with a
    target per year, the agencies' nodes linked to it) or an agency's node opened on the chart. Read
    only here: the trees are edited on their own charts, which the panel links to. A node of
    another Pemda, or of a tree the user may not see: 404."""

    def get_context_data(self, **kwargs):
        from pohon.pemda.selectors import pemda_node_indikator

        pemda = self.get_pemda()
        self.get_tahun()
        found = (
            Node.objects.filter(pk=self.kwargs["pk"], pohon__dinas__pemda=pemda)
            .values_list("pohon__dinas__kode", "pohon__tahun")
            .first()
        )
        if found is None:
            raise Http404
        self.kwargs.update(dinas=found[0], tahun=found[1])  # NodePanelView's node_for_user checks the rights
        context = super().get_context_data(**kwargs)
        node, pohon = context["node"], context["pohon"]
        for row in context["rows"]:
            row.can_restore = False
        context.update(
            may_edit=False,
            may_add=False,
            may_change=False,
            admin_url=None,
            pemda_panel=True,
            pemda_indikator=pemda_node_indikator(node) if pohon.is_pemda and not node.is_root else [],
            pemda_chart_link=pohon.chart_url(),
        )
        return context


class PemdaPdfView(PemdaChartMixin, View):
    """``/pemda/<kode>/<tahun>/pdf/``: the Pemda cascade with its supporting agencies, A3 unless
    asked otherwise. Approved: its signed document (the tree's own PDF page). Draft: made by the
    draft-PDF background job (it reads every supporting agency), shared while nothing changes."""

    def _pohon_kertas(self, request):
        from pohon.pemda.selectors import pemda_pohon_for_tahun
        from pohon.views import kertas_param

        pohon = pemda_pohon_for_tahun(self.get_pemda(), self.get_tahun())
        if pohon is None:
            raise Http404
        kertas = kertas_param(request) if (request.GET.get("kertas") or request.POST.get("kertas")) else "A3"
        return pohon, kertas

    def get(self, request, *args, **kwargs):
        from django.template.response import TemplateResponse

        from pohon.jobs import draft_pdf_job
        from pohon.pemda.dukungan import pemda_draft_pdf_kunci

        pohon, kertas = self._pohon_kertas(request)
        if pohon.status == Pohon.Status.DISETUJUI:
            return HttpResponseRedirect(pohon.page_url("pohon:pdf", kertas=kertas))
        context = {
            "pohon": pohon,
            "dinas": pohon.dinas,
            "kertas": kertas,
            "node_count": pohon.nodes.count() - 1,
            "job": draft_pdf_job(pohon, kertas, kunci=pemda_draft_pdf_kunci(pohon, kertas, self.get_tahun())),
        }
        return TemplateResponse(request, "pohon/pdf_draf.html", context)

    def post(self, request, *args, **kwargs):
        from core.jobs import job_submit
        from pohon.jobs import JOB_PDF_DRAF, draft_pdf_job
        from pohon.pemda.dukungan import pemda_draft_pdf_kunci

        pohon, kertas = self._pohon_kertas(request)
        if pohon.status == Pohon.Status.DISETUJUI:
            raise PermissionDenied
        kunci = pemda_draft_pdf_kunci(pohon, kertas, self.get_tahun())
        job = draft_pdf_job(pohon, kertas, kunci=kunci) or job_submit(
            jenis=JOB_PDF_DRAF,
            judul=_("PDF draf %(pohon)s, kertas %(kertas)s") % {"pohon": pohon, "kertas": kertas},
            user=request.user,
            dinas_id=pohon.dinas_id,
            kunci=kunci,
            parameter={"pohon": pohon.pk, "kertas": kertas, "tahun": self.get_tahun(), "kembali": request.path},
        )
        return HttpResponseRedirect(job.get_absolute_url())
