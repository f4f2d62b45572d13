"""The background job that renders and signs an issued report (``core.jobs``): a page never signs."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.jobs import JobOutput, Progress, job_handler, job_submit
from core.models import Pekerjaan
from pohon.laporan.documents import KERTAS
from pohon.laporan.models import LaporanTerbit

JOB_LAPORAN_TANDATANGAN = "pohon.laporan.tandatangan"


def _signing_failed(job: Pekerjaan, message: str) -> None:
    LaporanTerbit.objects.filter(pk=job.parameter["laporan"]).update(
        ttd_status=LaporanTerbit.Ttd.GAGAL, ttd_galat=message
    )


@job_handler(JOB_LAPORAN_TANDATANGAN, on_failure=_signing_failed)
def laporan_sign_job(job: Pekerjaan, progress: Progress) -> JobOutput:
    from pohon.dokumen.services import dokumen_berkas_issue

    laporan = LaporanTerbit.objects.select_related("dokumen", "dinas").get(pk=job.parameter["laporan"])
    progress(10, _("Membuat dan menandatangani PDF %(kertas)s") % {"kertas": KERTAS})
    berkas = dokumen_berkas_issue(dokumen=laporan.dokumen, kertas=KERTAS)
    LaporanTerbit.objects.filter(pk=laporan.pk).update(ttd_status=LaporanTerbit.Ttd.SELESAI, ttd_galat="")
    return JobOutput(
        ringkasan={
            "pesan": _("%(judul)s telah ditandatangani (%(halaman)d halaman).")
            % {"judul": laporan.dokumen.judul, "halaman": berkas.halaman},
            "url": reverse("laporan:terbit_pdf", args=[laporan.dinas.kode, laporan.tahun, laporan.pk]),
            "url_label": _("Unduh PDF bertanda tangan"),
        }
    )


def laporan_sign_enqueue(*, laporan: LaporanTerbit, user) -> Pekerjaan:
    """Queue the signing of an issued report (once: a second call joins the waiting job)."""
    return job_submit(
        jenis=JOB_LAPORAN_TANDATANGAN,
        judul=_("Tanda tangan elektronik: %(judul)s") % {"judul": laporan.dokumen.judul},
        user=user,
        dinas_id=laporan.dinas_id,
        kunci=f"laporan-tandatangan:{laporan.pk}",
        parameter={"laporan": laporan.pk},
    )
