"""The bulk issue's pages: the confirmation (what "at once" will do, unit by unit) that queues the
job, the block on the PK list with its progress and downloads, and the spreadsheet download.

The page never renders or signs: the POST queues one background job and returns at once; the
list polls the job's progress (``core/_pekerjaan_status.html``). The joined PDF is the job's file
(``pekerjaan_unduh``); the spreadsheet is made on request from the frozen lines of the same PKs
(no rendering: a few queries and openpyxl, see bench/perjanjian_bulk.py).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.views import job_for_user
from dinas.models import Keanggotaan
from dinas.selectors import user_roles
from pohon.perjanjian.bulk import (
    JOB_PERJANJIAN_MASSAL,
    perjanjian_bulk_issue,
    perjanjian_bulk_job_latest,
    perjanjian_bulk_plan,
)
from pohon.perjanjian.exports import XLSX_TYPE, perjanjian_with_tables, perjanjian_xlsx, xlsx_filename
from pohon.perjanjian.permissions import user_can_generate_perjanjian
from pohon.perjanjian.selectors import dinas_for_user, pohon_approved_latest


def list_url(dinas_kode: str, tahun: int) -> str:
    from django.urls import reverse

    return reverse("pohon:perjanjian_list", args=[dinas_kode, tahun])


def perjanjian_bulk_context(user, dinas, pohon) -> dict:
    """For the PK list (``_bulk.html``): the button for those who may press it, and the latest
    bulk issue of the tree with its progress or result. Two queries."""
    if pohon is None:
        return {"bulk_can": False, "bulk_job": None}
    return {
        "bulk_can": user_can_generate_perjanjian(user, dinas.pk),
        "bulk_job": perjanjian_bulk_job_latest(pohon),
    }


class PerjanjianBulkView(LoginRequiredMixin, TemplateView):
    """GET: what pressing "Terbitkan semua" would do now, unit by unit, and what the user's role
    may do; POST: queue the job, then back to the list, which shows its progress. Only the
    Kepala Dinas or an admin (403 for the other roles, nothing changes)."""

    template_name = "pohon/perjanjian/terbitkan.html"

    def setup_bulk(self):
        self.dinas = dinas_for_user(self.request.user, self.kwargs["dinas"])
        self.tahun = self.kwargs["tahun"]
        if not user_can_generate_perjanjian(self.request.user, self.dinas.pk):
            raise PermissionDenied(
                _("Hanya Kepala Dinas atau admin yang dapat menerbitkan Perjanjian Kinerja sekaligus.")
            )
        self.pohon = pohon_approved_latest(self.dinas, self.tahun)

    def not_approved(self):
        messages.error(
            self.request,
            _("Perjanjian Kinerja hanya diterbitkan dari pohon kinerja yang sudah disetujui; pohon tahun ini belum."),
        )
        return HttpResponseRedirect(list_url(self.dinas.kode, self.tahun))

    def get(self, request, *args, **kwargs):
        self.setup_bulk()
        if self.pohon is None:
            return self.not_approved()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = user_roles(self.request.user, self.dinas.pk)
        context.update(
            dinas=self.dinas,
            tahun=self.tahun,
            pohon=self.pohon,
            plan=perjanjian_bulk_plan(self.pohon, self.request.user),
            is_admin=Keanggotaan.Peran.ADMIN in roles,
            kepala_daerah_allowed=self.dinas.pemda.pk_disetujui_kepala_dinas,
            job=perjanjian_bulk_job_latest(self.pohon),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.setup_bulk()
        if self.pohon is None:
            return self.not_approved()
        try:
            job = perjanjian_bulk_issue(pohon=self.pohon, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(list_url(self.dinas.kode, self.tahun))
        if job.is_active:
            messages.success(
                request,
                _(
                    "Penerbitan Perjanjian Kinerja berjalan di latar belakang; kemajuannya tampil di bawah. "
                    "Halaman ini tetap dapat dipakai."
                ),
            )
        return HttpResponseRedirect(list_url(self.dinas.kode, self.tahun) + "#pk-bulk")


class PerjanjianBulkXlsxView(LoginRequiredMixin, View):
    """The spreadsheet of the PKs a bulk issue joined into its PDF: one sheet per PK."""

    def get(self, request, *args, **kwargs):
        dinas = dinas_for_user(request.user, kwargs["dinas"])
        job = job_for_user(request.user, kwargs["job"])
        if job.jenis != JOB_PERJANJIAN_MASSAL or job.dinas_id != dinas.pk or job.status != job.Status.SELESAI:
            raise Http404
        perjanjian = [
            pk
            for pk in perjanjian_with_tables(job.hasil_data.get("perjanjian", []))
            if pk.dinas_id == dinas.pk and pk.tahun == kwargs["tahun"]
        ]
        if not perjanjian:
            raise Http404
        response = HttpResponse(perjanjian_xlsx(perjanjian), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{xlsx_filename(dinas, perjanjian[0].tahun)}"'
        return response
