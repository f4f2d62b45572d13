from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from dinas.selectors import dinas_visible_to
from pohon.chart import ChartRenderer, table_rows
from pohon.checks import pohon_checks
from pohon.models import DokumenTerbit, Pohon
from pohon.permissions import user_can_edit_pohon, user_can_review, user_can_revise, user_can_submit
from pohon.selectors import pohon_for_user, pohon_siblings, pohon_summaries, pohon_tree
from pohon.workflow import dokumen_issue, pohon_approve, pohon_return, pohon_revise, pohon_submit


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "pohon/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dinas_list = list(dinas_visible_to(self.request.user).order_by("nama"))
        pohons = list(Pohon.objects.filter(dinas__in=dinas_list).select_related("dinas").order_by("-tahun", "-revisi"))
        summaries = pohon_summaries(pohons)
        context["rows"] = [(d, [s for s in summaries if s.pohon.dinas_id == d.pk]) for d in dinas_list]
        return context


def _revisi_param(request) -> int | None:
    value = request.GET.get("revisi") or request.POST.get("revisi")
    return int(value) if value and value.isdigit() else None


class PohonMixin(LoginRequiredMixin):
    """Finds the tree of the URL (and ``?revisi=N``) among those the user may see."""

    def get_pohon(self) -> Pohon:
        if not hasattr(self, "_pohon"):
            self._pohon = pohon_for_user(
                self.request.user,
                dinas_kode=self.kwargs["dinas"],
                tahun=self.kwargs["tahun"],
                revisi=_revisi_param(self.request),
            )
        return self._pohon


class PohonPageMixin(PohonMixin):
    """Reads the tree once for a chart or table page."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pohon = self.get_pohon()
        tree = pohon_tree(pohon)
        siblings = pohon_siblings(pohon)
        revisions = [p for p in siblings if p.tahun == pohon.tahun]
        is_latest = revisions[0].pk == pohon.pk
        can_edit = user.is_staff and user_can_edit_pohon(user, pohon)
        context.update(
            pohon=pohon,
            dinas=pohon.dinas,
            tree=tree,
            checks=pohon_checks(tree),
            years=sorted({p.tahun for p in siblings}),
            revisions=revisions,
            is_latest=is_latest,
            riwayat=list(pohon.riwayat.all()),
            pengesahan=getattr(pohon, "pengesahan", None) if pohon.status == Pohon.Status.DISETUJUI else None,
            can_edit=can_edit,
            can_submit=user_can_submit(user, pohon),
            can_review=user_can_review(user, pohon),
            can_revise=user_can_revise(user, pohon, is_latest=is_latest),
            kertas_choices=DokumenTerbit.Kertas.choices,
            edit_url=reverse("admin:pohon_node_change", args=[0]) if can_edit else None,
            node_count=len(tree.nodes),
        )
        return context


class PohonChartView(PohonPageMixin, TemplateView):
    template_name = "pohon/chart.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chart"] = ChartRenderer(context["tree"], edit_url=context["edit_url"]).render()
        return context


class PohonTableView(PohonPageMixin, TemplateView):
    template_name = "pohon/table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = table_rows(context["tree"], edit_url=context["edit_url"])
        return context


class PohonPdfView(PohonMixin, View):
    """The printed cascade: an approved revision's issued, signed document (the same bytes on
    every download), otherwise a draft rendered on request."""

    def get(self, request, *args, **kwargs):
        from pohon.documents import dokumen_render_draft  # WeasyPrint loads only for PDFs

        pohon = self.get_pohon()
        kertas = request.GET.get("kertas", DokumenTerbit.Kertas.F4).upper()
        if kertas not in DokumenTerbit.Kertas.values:
            kertas = DokumenTerbit.Kertas.F4
        name = f"pohon-kinerja-{pohon.dinas.kode}-{pohon.tahun}"
        if pohon.revisi:
            name += f"-perubahan-{pohon.revisi}"
        if pohon.status == Pohon.Status.DISETUJUI:
            try:
                data = bytes(dokumen_issue(pengesahan=pohon.pengesahan, kertas=kertas).pdf)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return HttpResponseRedirect(_chart_url(pohon))
        else:
            data = dokumen_render_draft(pohon=pohon, kertas=kertas).pdf
            name += "-draf"
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}-{kertas}.pdf"'
        return response


def _chart_url(pohon: Pohon) -> str:
    url = reverse("pohon:chart", args=[pohon.dinas.kode, pohon.tahun])
    return f"{url}?revisi={pohon.revisi}" if pohon.revisi else url


class PohonActionView(PohonMixin, View):
    """POST only: submit, return, approve or start a revision. The service checks the role and
    the status; a user without the right gets 403 and nothing changes."""

    actions = {
        "ajukan": (pohon_submit, _("Pohon kinerja telah diajukan kepada Kepala Dinas.")),
        "kembalikan": (pohon_return, _("Pohon kinerja dikembalikan untuk diperbaiki.")),
        "setujui": (pohon_approve, _("Pohon kinerja disetujui dan dokumen bertanda tangan elektronik diterbitkan.")),
        "perubahan": (pohon_revise, _("Perubahan baru dibuat sebagai draf.")),
    }

    def post(self, request, *args, **kwargs):
        if kwargs["aksi"] not in self.actions:
            raise PermissionDenied
        service, success = self.actions[kwargs["aksi"]]
        pohon = self.get_pohon()
        catatan = request.POST.get("catatan", "")
        try:
            result = service(pohon=pohon, user=request.user, catatan=catatan)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(_chart_url(pohon))
        messages.success(request, success)
        return HttpResponseRedirect(_chart_url(result if isinstance(result, Pohon) else pohon))
