"""The PK's background job: rendering and signing an approved PK (like the cascade's signing in
``pohon.jobs``): a page never renders or signs."""

from django.utils.translation import gettext as _

from core.jobs import JobOutput, Progress, job_handler, job_submit
from core.models import Pekerjaan
from pohon.dokumen.models import DokumenTerbit
from pohon.perjanjian.models import PerjanjianKinerja

JOB_PERJANJIAN_TTD = "pohon.perjanjian_tandatangan"

# A PK prints portrait on F4, the paper Indonesian offices use; other sizes can be added here.
PAPER_SIZES = (DokumenTerbit.Kertas.F4.value,)


def _signing_failed(job: Pekerjaan, message: str) -> None:
    PerjanjianKinerja.objects.filter(pk=job.parameter["perjanjian"]).update(
        ttd_status=PerjanjianKinerja.Ttd.GAGAL, ttd_galat=message
    )


def perjanjian_sign(perjanjian: PerjanjianKinerja, *, signer=None) -> None:
    """Render and sign every paper size not yet issued, then mark the PK signed. Each file is
    stored as soon as it is made. ``signer``: see ``perjanjian_sign_many``."""
    from pohon.dokumen.services import dokumen_berkas_issue

    for kertas in PAPER_SIZES:
        dokumen_berkas_issue(dokumen=perjanjian.dokumen, kertas=kertas, signer=signer)
    PerjanjianKinerja.objects.filter(pk=perjanjian.pk).update(ttd_status=PerjanjianKinerja.Ttd.SELESAI, ttd_galat="")


def perjanjian_sign_many(perjanjian: list[PerjanjianKinerja], progress: Progress | None = None) -> None:
    """Sign several approved PKs in one job (a bulk issue, the demo): the certificate is read
    once (~0.1 s of key derivation and checks) instead of once per PK. ``progress(percent, step)``."""
    from pohon.dokumen.render import dokumen_signer

    signer = dokumen_signer()
    for index, pk in enumerate(perjanjian):
        if progress is not None:
            progress(round(100 * index / max(1, len(perjanjian))), _("Menandatangani %(pk)s") % {"pk": pk})
        perjanjian_sign(pk, signer=signer)


@job_handler(JOB_PERJANJIAN_TTD, on_failure=_signing_failed)
def perjanjian_sign_job(job: Pekerjaan, progress: Progress) -> JobOutput:
    perjanjian = PerjanjianKinerja.objects.select_related("dokumen").get(pk=job.parameter["perjanjian"])
    progress(10, _("Membuat dan menandatangani PDF Perjanjian Kinerja"))
    perjanjian_sign(perjanjian)
    return JobOutput(ringkasan={"kertas": list(PAPER_SIZES), "url": perjanjian.get_absolute_url()})


def perjanjian_sign_enqueue(*, perjanjian: PerjanjianKinerja, user) -> Pekerjaan:
    """Queue the signing of an approved PK (once: a second call joins the waiting job)."""
    PerjanjianKinerja.objects.filter(pk=perjanjian.pk).update(ttd_status=PerjanjianKinerja.Ttd.MENUNGGU, ttd_galat="")
    perjanjian.ttd_status, perjanjian.ttd_galat = PerjanjianKinerja.Ttd.MENUNGGU, ""
    return job_submit(
        jenis=JOB_PERJANJIAN_TTD,
        judul=_("Tanda tangan elektronik %(pk)s") % {"pk": perjanjian},
        user=user,
        dinas_id=perjanjian.dinas_id,
        kunci=f"perjanjian-ttd:{perjanjian.pk}",
        parameter={"perjanjian": perjanjian.pk},
    )
