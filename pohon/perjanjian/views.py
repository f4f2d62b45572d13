"""The PK pages: the list per agency and year, each PK's page with its tables and actions, its
signed PDF, and the chart's link from a unit's box to the unit's PK.

Views parse, call one selector or service, render. Every page needs a role in the agency (404
otherwise: no hint that it exists); an action the user may not take is refused by the service
(403) and nothing changes. A GET never renders or signs a PDF: approval queues a background job.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from pohon.limits import CATATAN_MAX_LENGTH
from pohon.models import DokumenTerbit, Pohon
from pohon.perjanjian.bulk_views import perjanjian_bulk_context
from pohon.perjanjian.jobs import PAPER_SIZES
from pohon.perjanjian.models import PerjanjianKinerja
from pohon.perjanjian.permissions import (
    user_can_generate_perjanjian,
    user_can_review_perjanjian,
    user_can_sign_perjanjian,
    user_can_submit_perjanjian,
)
from pohon.perjanjian.selectors import (
    dinas_for_user,
    perjanjian_context,
    perjanjian_current,
    perjanjian_current_of,
    perjanjian_for_dinas,
    perjanjian_for_user,
    perjanjian_plans,
    pohon_approved_latest,
)
from pohon.perjanjian.services import (
    perjanjian_approve,
    perjanjian_generate,
    perjanjian_return,
    perjanjian_sign_retry,
    perjanjian_submit,
)

CONTOH = "(contoh)"


def list_url(dinas_kode: str, tahun: int) -> str:
    return reverse("pohon:perjanjian_list", args=[dinas_kode, tahun])


class PerjanjianListView(LoginRequiredMixin, TemplateView):
    """Every unit of the agency with its PK of the year (official, level, state, download), or
    why it has none; the earlier PKs that a Perubahan replaced below each."""

    template_name = "pohon/perjanjian/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        dinas = dinas_for_user(user, self.kwargs["dinas"])
        tahun = self.kwargs["tahun"]
        pohon = pohon_approved_latest(dinas, tahun)
        latest = Pohon.objects.filter(dinas=dinas, tahun=tahun).order_by("-revisi").first()
        every = perjanjian_for_dinas(dinas, tahun)
        current = perjanjian_current_of(every)
        rows = []
        if pohon is not None:
            for plan in perjanjian_plans(pohon):
                pk = current.get(plan.unit.pk)
                earlier = [p for p in every if p.unit_id == plan.unit.pk and (pk is None or p.pk != pk.pk)]
                rows.append({"plan": plan, "perjanjian": pk, "earlier": earlier})
        else:
            for pk in current.values():
                rows.append({"plan": None, "perjanjian": pk, "earlier": []})
        pending = [row for row in rows if row["plan"] and not row["plan"].masalah and row["perjanjian"] is None]
        outdated = [
            row
            for row in rows
            if pohon is not None and row["perjanjian"] is not None and row["perjanjian"].pohon_id != pohon.pk
        ]
        context.update(
            dinas=dinas,
            tahun=tahun,
            pohon=pohon,
            latest=latest,
            rows=rows,
            problems=[row for row in rows if row["plan"] and row["plan"].masalah],
            can_generate=pohon is not None and user_can_generate_perjanjian(user, dinas.pk),
            pending_count=len(pending),
            outdated_count=len(outdated),
            has_contoh=any(CONTOH in (p.pihak_pertama.nama + p.pihak_kedua.nama) for p in current.values()),
        )
        context.update(perjanjian_bulk_context(user, dinas, pohon))  # the bulk issue's block (_bulk.html)
        return context


class PerjanjianGenerateView(LoginRequiredMixin, View):
    """POST: draft the PKs from the newest approved revision of the tree."""

    def post(self, request, *args, **kwargs):
        dinas = dinas_for_user(request.user, kwargs["dinas"])
        tahun = kwargs["tahun"]
        pohon = pohon_approved_latest(dinas, tahun)
        if pohon is None:
            messages.error(
                request, _("Perjanjian Kinerja hanya dibuat dari pohon kinerja yang sudah disetujui; belum ada.")
            )
            return HttpResponseRedirect(list_url(dinas.kode, tahun))
        try:
            result = perjanjian_generate(pohon=pohon, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(list_url(dinas.kode, tahun))
        messages.success(
            request,
            _("%(dibuat)d Perjanjian Kinerja dibuat sebagai draf, %(tetap)d tetap; %(masalah)d unit tanpa perjanjian.")
            % {"dibuat": len(result.dibuat), "tetap": len(result.tetap), "masalah": len(result.masalah)},
        )
        return HttpResponseRedirect(list_url(dinas.kode, tahun))


class PerjanjianMixin(LoginRequiredMixin):
    def get_perjanjian(self) -> PerjanjianKinerja:
        if not hasattr(self, "_perjanjian"):
            self._perjanjian = perjanjian_for_user(
                self.request.user, dinas_kode=self.kwargs["dinas"], tahun=self.kwargs["tahun"], pk=self.kwargs["pk"]
            )
        return self._perjanjian


class PerjanjianDetailView(PerjanjianMixin, TemplateView):
    template_name = "pohon/perjanjian/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        perjanjian = self.get_perjanjian()
        dokumen = perjanjian.dokumen
        signers = list(dokumen.penandatangan.all()) if dokumen is not None else []
        context.update(
            perjanjian_context(perjanjian),
            dinas=perjanjian.dinas,
            tahun=perjanjian.tahun,
            dokumen=dokumen,
            pertama=next((s for s in signers if s.peran == "pihak_pertama"), perjanjian.pihak_pertama),
            kedua=next((s for s in signers if s.peran == "pihak_kedua"), perjanjian.pihak_kedua),
            riwayat=list(perjanjian.riwayat.all()),
            pengganti=getattr(perjanjian, "pengganti", None),
            berkas=list(dokumen.berkas.defer("pdf").order_by("kertas")) if dokumen is not None else [],
            can_submit=user_can_submit_perjanjian(user, perjanjian),
            can_review=user_can_review_perjanjian(user, perjanjian),
            can_sign=user_can_sign_perjanjian(user, perjanjian)
            and perjanjian.ttd_status == PerjanjianKinerja.Ttd.GAGAL,
            catatan_max_length=CATATAN_MAX_LENGTH,
            has_contoh=CONTOH in (perjanjian.pihak_pertama.nama + perjanjian.pihak_kedua.nama),
        )
        return context


class PerjanjianActionView(PerjanjianMixin, View):
    """POST only: submit, return, approve, or sign again. The service checks the status and the
    role; a user without the right gets 403 and nothing changes."""

    actions = {
        "ajukan": (perjanjian_submit, _("Perjanjian Kinerja telah diajukan kepada pihak kedua.")),
        "kembalikan": (perjanjian_return, _("Perjanjian Kinerja dikembalikan untuk diperbaiki.")),
        "setujui": (
            perjanjian_approve,
            _("Perjanjian Kinerja disetujui. Dokumen bertanda tangan elektronik sedang dibuat di latar belakang."),
        ),
        "tandatangani": (
            lambda *, perjanjian, user, catatan: perjanjian_sign_retry(perjanjian=perjanjian, user=user),
            _("Penandatanganan dijalankan ulang di latar belakang."),
        ),
    }

    def post(self, request, *args, **kwargs):
        if kwargs["aksi"] not in self.actions:
            raise PermissionDenied
        service, success = self.actions[kwargs["aksi"]]
        perjanjian = self.get_perjanjian()
        try:
            service(perjanjian=perjanjian, user=request.user, catatan=request.POST.get("catatan", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(perjanjian.get_absolute_url())
        messages.success(request, success)
        return HttpResponseRedirect(perjanjian.get_absolute_url())


class PerjanjianPdfView(PerjanjianMixin, View):
    """The signed PDF of an approved PK, the same bytes on every download; while the background
    job signs it, a page saying so (202). A PK not approved has no PDF: its page shows it."""

    def get(self, request, *args, **kwargs):
        perjanjian = self.get_perjanjian()
        if perjanjian.status != PerjanjianKinerja.Status.DISETUJUI or perjanjian.dokumen is None:
            messages.info(request, _("Perjanjian Kinerja ini belum disetujui, jadi belum ada PDF bertanda tangan."))
            return HttpResponseRedirect(perjanjian.get_absolute_url())
        kertas = (request.GET.get("kertas") or PAPER_SIZES[0]).upper()
        if kertas not in PAPER_SIZES:
            kertas = PAPER_SIZES[0]
        berkas = DokumenTerbit.objects.filter(dokumen_id=perjanjian.dokumen_id, kertas=kertas).first()
        if berkas is None:
            context = {
                "perjanjian": perjanjian,
                "dinas": perjanjian.dinas,
                "can_sign": user_can_sign_perjanjian(request.user, perjanjian),
            }
            return TemplateResponse(request, "pohon/perjanjian/pdf_menunggu.html", context, status=202)
        response = HttpResponse(bytes(berkas.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{perjanjian_filename(perjanjian, kertas)}"'
        return response


def perjanjian_filename(perjanjian: PerjanjianKinerja, kertas: str) -> str:
    """``perjanjian-kinerja-<dinas>-<tahun>-<unit>[-perubahan]-<kertas>.pdf``."""
    name = f"perjanjian-kinerja-{perjanjian.dinas.kode}-{perjanjian.tahun}-{perjanjian.unit.kode}"
    if perjanjian.jenis == PerjanjianKinerja.Jenis.PERUBAHAN:
        name += f"-perubahan-{perjanjian.pk}"
    return f"{name}-{kertas}.pdf"


class PerjanjianUnitView(LoginRequiredMixin, View):
    """From a unit's box on the chart: the unit's current PK, or the list when it has none."""

    def get(self, request, *args, **kwargs):
        dinas = dinas_for_user(request.user, kwargs["dinas"])
        current = perjanjian_current(dinas, kwargs["tahun"]).get(kwargs["unit"])
        if current is not None:
            return HttpResponseRedirect(current.get_absolute_url())
        if not dinas.units.filter(pk=kwargs["unit"]).exists():
            raise Http404("Unit kerja tidak ditemukan.")
        messages.info(request, _("Unit kerja ini belum memiliki Perjanjian Kinerja tahun ini."))
        return HttpResponseRedirect(list_url(dinas.kode, kwargs["tahun"]) + f"#unit-{kwargs['unit']}")
