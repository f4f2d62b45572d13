"""The organisation table's import as a background job (core.jobs): queued by the admin's
confirm step, run by the worker with the uploaded bytes, planned again and written all or
nothing."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.jobs import JobFailed, JobOutput, Progress, job_handler
from core.models import Pekerjaan
from dinas.admin_access import user_may_import_organisasi
from dinas.imports import COUNT_LABELS, organisasi_import

JOB_IMPOR_ORGANISASI = "dinas.impor_organisasi"


def problems_text(problems) -> str:
    """Every problem of a refused import, one after the other, as the preview lists them."""
    return _("Impor dibatalkan, tidak ada yang diubah: %(problems)s") % {
        "problems": "; ".join(str(problem) for problem in problems)
    }


@job_handler(JOB_IMPOR_ORGANISASI)
def organisasi_import_job(job: Pekerjaan, progress: Progress) -> JobOutput:
    # Checked again when it runs: the table spans agencies, so only a superuser imports it.
    if job.user is None or not user_may_import_organisasi(job.user):
        raise JobFailed(_("Hanya superuser yang dapat mengimpor tabel organisasi."))
    filename = job.parameter["filename"]
    progress(10, _("Memeriksa dan menulis tabel organisasi"))
    plan, imported = organisasi_import(data=bytes(job.masukan), filename=filename)
    if not imported:
        raise JobFailed(problems_text(plan.problems))
    summary = ", ".join(f"{COUNT_LABELS.get(key, key)} {number}" for key, number in plan.counts.items())
    return JobOutput(
        ringkasan={
            "pesan": _("Tabel organisasi dari %(file)s telah diimpor (%(summary)s).")
            % {"file": filename, "summary": summary},
            "url": reverse("admin:dinas_perangkatdaerah_changelist"),
            "url_label": _("Lihat Perangkat Daerah"),
        }
    )
