"""The tree's background jobs (core.jobs): signing an approval's documents, and draft PDFs of
trees too large to render inside a request."""

from django.utils.translation import gettext as _

from core.jobs import JobFailed, JobOutput, Progress, job_handler, job_submit
from core.models import Pekerjaan
from pohon.models import DokumenTerbit, NodeRiwayat, Pengesahan, Pohon

JOB_TANDATANGAN = "pohon.tandatangan"
JOB_PDF_DRAF = "pohon.pdf_draf"
JOB_IMPOR_POHON = "pohon.impor"

PAPER_SIZES = tuple(DokumenTerbit.Kertas.values)  # every size is issued at approval: F4, A4, A3


def _signing_failed(job: Pekerjaan, message: str) -> None:
    Pengesahan.objects.filter(pk=job.parameter["pengesahan"]).update(ttd_status=Pengesahan.Ttd.GAGAL, ttd_galat=message)


@job_handler(JOB_TANDATANGAN, on_failure=_signing_failed)
def pengesahan_sign_job(job: Pekerjaan, progress: Progress) -> JobOutput:
    """Render and sign every paper size of an approval that has none yet, then mark it signed.
    Each document is stored as soon as it is made: a retry after a failure makes only the rest."""
    from pohon.dokumen.render import dokumen_signer
    from pohon.workflow import dokumen_issue

    pengesahan = Pengesahan.objects.select_related("pohon__dinas", "dokumen").get(pk=job.parameter["pengesahan"])
    issued = set(DokumenTerbit.objects.filter(dokumen_id=pengesahan.dokumen_id).values_list("kertas", flat=True))
    # The certificate is read once for every size (reading it costs ~0.1 s of key checks).
    signer = dokumen_signer() if set(PAPER_SIZES) - issued else None
    for index, kertas in enumerate(PAPER_SIZES):
        progress(
            round(100 * index / len(PAPER_SIZES)), _("Membuat dan menandatangani PDF %(kertas)s") % {"kertas": kertas}
        )
        dokumen_issue(pengesahan=pengesahan, kertas=kertas, signer=signer)
    Pengesahan.objects.filter(pk=pengesahan.pk).update(ttd_status=Pengesahan.Ttd.SELESAI, ttd_galat="")
    return JobOutput(ringkasan={"kertas": list(PAPER_SIZES)})


def pengesahan_sign_enqueue(*, pengesahan: Pengesahan, user) -> Pekerjaan:
    """Queue the signing of an approval's documents (once: a second call joins the waiting job)."""
    Pengesahan.objects.filter(pk=pengesahan.pk).update(ttd_status=Pengesahan.Ttd.MENUNGGU, ttd_galat="")
    pengesahan.ttd_status, pengesahan.ttd_galat = Pengesahan.Ttd.MENUNGGU, ""
    return job_submit(
        jenis=JOB_TANDATANGAN,
        judul=_("Tanda tangan elektronik %(pohon)s") % {"pohon": pengesahan.pohon},
        user=user,
        dinas_id=pengesahan.pohon.dinas_id,
        kunci=f"tandatangan:{pengesahan.pk}",
        parameter={"pengesahan": pengesahan.pk},
    )


def draft_fingerprint(pohon: Pohon) -> str:
    """Changes whenever what a draft prints may have changed: every node write records history."""
    last_change = NodeRiwayat.objects.filter(pohon=pohon).order_by("-id").values_list("id", flat=True).first()
    return f"{pohon.status}-{last_change or 0}-{pohon.nodes.count()}"


def draft_pdf_kunci(pohon: Pohon, kertas: str) -> str:
    return f"pdf-draf:{pohon.pk}:{kertas}:{draft_fingerprint(pohon)}"


def draft_pdf_job(pohon: Pohon, kertas: str, *, kunci: str | None = None) -> Pekerjaan | None:
    """The job that makes (or made) this draft as the tree is now: waiting, running or done."""
    return (
        Pekerjaan.objects.filter(kunci=kunci or draft_pdf_kunci(pohon, kertas))
        .exclude(status=Pekerjaan.Status.GAGAL)
        .defer("hasil", "masukan")
        .order_by("-dibuat_pada")
        .first()
    )


def draft_pdf_enqueue(*, pohon: Pohon, kertas: str, user) -> Pekerjaan:
    kunci = draft_pdf_kunci(pohon, kertas)  # read once: it costs two queries
    existing = draft_pdf_job(pohon, kertas, kunci=kunci)
    if existing is not None:
        return existing  # the same document for everyone while the tree stays as it is
    return job_submit(
        jenis=JOB_PDF_DRAF,
        judul=_("PDF draf %(pohon)s, kertas %(kertas)s") % {"pohon": pohon, "kertas": kertas},
        user=user,
        dinas_id=pohon.dinas_id,
        kunci=kunci,
        parameter={"pohon": pohon.pk, "kertas": kertas, "kembali": pohon.chart_url()},
    )


def pdf_filename(pohon: Pohon, kertas: str, *, draft: bool) -> str:
    """``pohon-kinerja-<dinas>-<tahun>[-perubahan-N][-draf]-<kertas>.pdf``."""
    name = f"pohon-kinerja-{pohon.dinas.kode}-{pohon.tahun}"
    if pohon.revisi:
        name += f"-perubahan-{pohon.revisi}"
    if draft:
        name += "-draf"
    return f"{name}-{kertas}.pdf"


@job_handler(JOB_PDF_DRAF)
def draft_pdf_job_run(job: Pekerjaan, progress: Progress) -> JobOutput:
    from pohon.documents import dokumen_render_draft

    pohon = Pohon.objects.select_related("dinas").filter(pk=job.parameter["pohon"]).first()
    if pohon is None:
        raise JobFailed(_("Pohon kinerja ini sudah tidak ada."))
    kertas = job.parameter["kertas"]
    progress(10, _("Membaca pohon dan menyusun halaman"))
    result = dokumen_render_draft(pohon=pohon, kertas=kertas, tahun=job.parameter.get("tahun"))
    return JobOutput(
        data=result.pdf,
        nama=pdf_filename(pohon, kertas, draft=True),
        tipe="application/pdf",
        ringkasan={"halaman": result.pages},
    )


@job_handler(JOB_IMPOR_POHON)
def pohon_import_job(job: Pekerjaan, progress: Progress) -> JobOutput:
    """A tree imported from the admin: the uploaded bytes planned again and written all or
    nothing, by a user who must still be an Admin of the agency when the job runs."""
    from django.contrib.admin.models import ADDITION, LogEntry

    from dinas.admin_access import user_may_import_pohon
    from dinas.jobs import problems_text
    from dinas.models import PerangkatDaerah
    from pohon.imports import pohon_import
    from pohon.money import rupiah

    params, filename = job.parameter["params"], job.parameter["filename"]
    dinas = PerangkatDaerah.objects.filter(pk=params["dinas"]).first()
    user = job.user
    if dinas is None or user is None or not user_may_import_pohon(user, dinas.pk):
        raise JobFailed(_("Hanya admin Perangkat Daerah ini yang dapat mengimpor pohon kinerjanya."))
    progress(10, _("Memeriksa dan menulis pohon kinerja"))
    plan, pohon = pohon_import(
        dinas=dinas,
        tahun=params["tahun"],
        data=bytes(job.masukan),
        filename=filename,
        replace=params["ganti"],
        user=user,
    )
    if pohon is None:
        raise JobFailed(problems_text(plan.problems))
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[pohon],
        action_flag=ADDITION,
        change_message=_("Diimpor dari berkas %(file)s.") % {"file": filename},
        single_object=True,
    )
    return JobOutput(
        ringkasan={
            "pesan": _("Pohon kinerja %(pohon)s telah diimpor dari %(file)s: %(count)d butir, total Pagu %(pagu)s.")
            % {"pohon": pohon, "file": filename, "count": sum(plan.counts.values()), "pagu": rupiah(plan.total_pagu)},
            "url": pohon.chart_url(),
            "url_label": _("Lihat pohon kinerja"),
        }
    )
