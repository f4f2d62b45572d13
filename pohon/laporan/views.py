"""The dashboards and reports' pages: thin views over ``pohon.laporan.selectors``, ``isi``,
``documents``, ``xlsx`` and ``services``. Every page needs a member of the agency (404 for
anyone else, with no hint that it exists); issuing needs its Kepala Dinas or an Admin (403), and
only a POST issues: a GET never signs anything."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from dinas.models import Keanggotaan, Pemda, PerangkatDaerah
from dinas.selectors import dinas_visible_to, user_memberships, user_roles
from pohon.laporan.models import LaporanTerbit
from pohon.laporan.selectors import dasbor_dinas, dasbor_pemda
from pohon.laporan.services import laporan_terbitkan, user_can_issue_laporan
from pohon.models import DokumenTerbit
from pohon.realisasi.models import TRIWULAN_LABELS


def triwulan_param(request) -> int | None:
    value = request.GET.get("triwulan") or request.POST.get("triwulan") or ""
    return int(value) if value in ("1", "2", "3", "4") else None


class DinasMixin(LoginRequiredMixin):
    """The agency of the URL among those the user may see (404 otherwise)."""

    def get_dinas(self) -> PerangkatDaerah:
        if not hasattr(self, "_dinas"):
            # The Pemda's colour bands come with the agency: one query less on every page.
            visible = dinas_visible_to(self.request.user).select_related("pemda__pengaturan_capaian")
            self._dinas = get_object_or_404(visible, kode=self.kwargs["dinas"])
        return self._dinas


def _terbit_list(dinas: PerangkatDaerah, tahun: int) -> list[LaporanTerbit]:
    return list(
        LaporanTerbit.objects.filter(dinas=dinas, tahun=tahun)
        .select_related("dokumen")
        .defer("isi")
        .order_by("-diterbitkan_pada", "-id")[:20]
    )


class DasborDinasView(DinasMixin, TemplateView):
    """The agency's year: capaian per Sasaran and per unit, serapan per quarter and the units
    that have not reported, each as a chart with its numbers; ``?triwulan=N`` up to quarter N."""

    template_name = "pohon/laporan/dasbor.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dinas, tahun = self.get_dinas(), self.kwargs["tahun"]
        dasbor = dasbor_dinas(dinas=dinas, tahun=tahun, triwulan=triwulan_param(self.request))
        context.update(
            dinas=dinas,
            tahun=tahun,
            dasbor=dasbor,
            # the charts are markup made by pohon.laporan.svg, every text in them escaped there
            svg_sasaran=mark_safe(dasbor.svg_sasaran()),
            svg_unit=mark_safe(dasbor.svg_unit()),
            svg_serapan=mark_safe(dasbor.svg_serapan()),
            # a phone's narrow drawings of the same charts (static/pohon/laporan.css shows one)
            svg_sasaran_hp=mark_safe(dasbor.svg_sasaran("grafik-sasaran-hp", width=380, compact=True)),
            svg_unit_hp=mark_safe(dasbor.svg_unit("grafik-unit-hp", width=380, compact=True)),
            svg_serapan_hp=mark_safe(dasbor.svg_serapan("grafik-serapan-hp", width=360, compact=True)),
            rumus_capaian=[*dasbor.rumus, dasbor.rumus_kelompok],
            rumus_serapan=[dasbor.rumus_serapan],
            triwulan_choices=list(TRIWULAN_LABELS.items()),
            can_issue=user_can_issue_laporan(self.request.user, dinas.pk),
            can_see_pemda=user_sees_pemda_dashboard(self.request.user, dinas),
            terbit=_terbit_list(dinas, tahun),
        )
        return context


class LaporanKinerjaView(DinasMixin, TemplateView):
    """The Laporan Kinerja's tables on screen (the same content as its PDF)."""

    template_name = "pohon/laporan/lkj.html"

    def get_context_data(self, **kwargs):
        from pohon.laporan.documents import grafik
        from pohon.laporan.isi import isi_kinerja_for

        context = super().get_context_data(**kwargs)
        dinas, tahun = self.get_dinas(), self.kwargs["tahun"]
        isi = isi_kinerja_for(dinas=dinas, tahun=tahun)
        context.update(
            dinas=dinas,
            tahun=tahun,
            isi=isi,
            grafik=grafik(isi),
            can_issue=user_can_issue_laporan(self.request.user, dinas.pk),
        )
        return context


def _download(data: bytes, filename: str, content_type: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _nama_berkas(dinas: PerangkatDaerah, tahun: int, triwulan: int | None, ext: str, *, draft: bool) -> str:
    name = f"laporan-triwulan-{triwulan}" if triwulan else "laporan-kinerja"
    return f"{name}-{dinas.kode}-{tahun}{'-draf' if draft else ''}.{ext}"


class LaporanTriwulanPdfView(DinasMixin, View):
    """The quarterly report as it stands now: a draft ("DRAF" on every page, no signature)."""

    def get(self, request, *args, **kwargs):
        from pohon.laporan.documents import laporan_draft_pdf
        from pohon.laporan.isi import isi_triwulan_for

        dinas, tahun, triwulan = self.get_dinas(), kwargs["tahun"], kwargs["triwulan"]
        if triwulan not in TRIWULAN_LABELS:
            raise Http404
        result = laporan_draft_pdf(isi_triwulan_for(dinas=dinas, tahun=tahun, triwulan=triwulan))
        return _download(
            result.pdf, _nama_berkas(dinas, tahun, triwulan, "pdf", draft=True), "application/pdf", inline=True
        )


class LaporanTriwulanXlsxView(DinasMixin, View):
    def get(self, request, *args, **kwargs):
        from pohon.laporan.isi import isi_triwulan_for
        from pohon.laporan.xlsx import XLSX_TYPE, laporan_xlsx

        dinas, tahun, triwulan = self.get_dinas(), kwargs["tahun"], kwargs["triwulan"]
        if triwulan not in TRIWULAN_LABELS:
            raise Http404
        data = laporan_xlsx(isi_triwulan_for(dinas=dinas, tahun=tahun, triwulan=triwulan))
        return _download(data, _nama_berkas(dinas, tahun, triwulan, "xlsx", draft=False), XLSX_TYPE, inline=False)


class LaporanKinerjaPdfView(DinasMixin, View):
    def get(self, request, *args, **kwargs):
        from pohon.laporan.documents import laporan_draft_pdf
        from pohon.laporan.isi import isi_kinerja_for

        dinas, tahun = self.get_dinas(), kwargs["tahun"]
        result = laporan_draft_pdf(isi_kinerja_for(dinas=dinas, tahun=tahun))
        return _download(
            result.pdf, _nama_berkas(dinas, tahun, None, "pdf", draft=True), "application/pdf", inline=True
        )


class LaporanKinerjaXlsxView(DinasMixin, View):
    def get(self, request, *args, **kwargs):
        from pohon.laporan.isi import isi_kinerja_for
        from pohon.laporan.xlsx import XLSX_TYPE, laporan_xlsx

        dinas, tahun = self.get_dinas(), kwargs["tahun"]
        data = laporan_xlsx(isi_kinerja_for(dinas=dinas, tahun=tahun))
        return _download(data, _nama_berkas(dinas, tahun, None, "xlsx", draft=False), XLSX_TYPE, inline=False)


class LaporanTerbitkanView(DinasMixin, View):
    """POST only: issue the quarterly report (``jenis=triwulan`` and ``triwulan``) or the Laporan
    Kinerja (``jenis=kinerja``). 403 for a user who may not issue; nothing is written then."""

    def post(self, request, *args, **kwargs):
        dinas, tahun = self.get_dinas(), kwargs["tahun"]
        if not user_can_issue_laporan(request.user, dinas.pk):
            raise PermissionDenied
        jenis = request.POST.get("jenis", "")
        back = reverse("laporan:dinas", args=[dinas.kode, tahun])
        try:
            laporan = laporan_terbitkan(
                dinas=dinas, tahun=tahun, jenis=jenis, triwulan=triwulan_param(request), user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(back)
        messages.success(
            request,
            _("%(judul)s diterbitkan; dokumen bertanda tangan elektronik sedang dibuat di latar belakang.")
            % {"judul": laporan.dokumen.judul},
        )
        return HttpResponseRedirect(back)


class LaporanTerbitPdfView(DinasMixin, View):
    """An issued report's signed PDF: the stored bytes, or while the job signs it, a page saying so."""

    def get(self, request, *args, **kwargs):
        dinas = self.get_dinas()
        laporan = get_object_or_404(
            LaporanTerbit.objects.select_related("dokumen").defer("isi"), pk=kwargs["pk"], dinas=dinas
        )
        berkas = DokumenTerbit.objects.filter(dokumen_id=laporan.dokumen_id).first()
        if berkas is None:
            context = {"dinas": dinas, "laporan": laporan}
            return TemplateResponse(request, "pohon/laporan/menunggu.html", context, status=202)
        name = _nama_berkas(dinas, laporan.tahun, laporan.triwulan, "pdf", draft=False)
        return _download(bytes(berkas.pdf), name, "application/pdf", inline=True)


def pemda_for_user(user, kode: str) -> Pemda:
    """The Pemda dashboard is for the Pemda's Bappeda (``user_is_bappeda``), an Admin of one of its
    agencies, or a superuser. A member of one of its agencies without those roles gets 403,
    anyone else (another Pemda's Bappeda too) 404."""
    from pohon.pemda.permissions import user_is_bappeda

    pemda = get_object_or_404(Pemda, kode=kode)
    if user.is_superuser:
        return pemda
    roles = set(Keanggotaan.objects.filter(user=user, dinas__pemda=pemda).values_list("peran", flat=True))
    if not roles:
        raise Http404
    if Keanggotaan.Peran.ADMIN not in roles and not user_is_bappeda(user, pemda):
        raise PermissionDenied
    return pemda


def user_sees_pemda_dashboard(user, dinas: PerangkatDaerah) -> bool:
    """Whether the agency's dashboard links to its Pemda's: an Admin of the agency, or the
    Pemda's Bappeda. No query unless the user holds a Bappeda role somewhere (roles are cached)."""
    from pohon.pemda.permissions import user_is_bappeda

    if Keanggotaan.Peran.ADMIN in user_roles(user, dinas.pk):
        return True
    held = user_memberships(user).values()
    return any(Keanggotaan.Peran.BAPPEDA in roles for roles in held) and user_is_bappeda(user, dinas.pemda)


class DasborPemdaView(LoginRequiredMixin, TemplateView):
    template_name = "pohon/laporan/pemda.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pemda = pemda_for_user(self.request.user, self.kwargs["pemda"])
        tahun = self.kwargs["tahun"]
        dasbor = dasbor_pemda(pemda=pemda, tahun=tahun, triwulan=triwulan_param(self.request))
        context.update(
            pemda=pemda,
            tahun=tahun,
            dasbor=dasbor,
            svg_dinas=mark_safe(dasbor.svg_dinas()),
            svg_dinas_hp=mark_safe(dasbor.svg_dinas("grafik-dinas-hp", width=380, compact=True)),
            svg_serapan=mark_safe(dasbor.svg_serapan()),
            triwulan_choices=list(TRIWULAN_LABELS.items()),
        )
        return context
