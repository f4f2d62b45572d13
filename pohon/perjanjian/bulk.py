"""Issuing every Perjanjian Kinerja of an agency at once (issue 14, item 4).

One button on the PK list, for the Kepala Dinas or an admin, runs ONE background job that
drafts the PKs still missing from the approved tree, then approves and signs, one PK after the
other, every PK the user may approve, and finally joins the signed PDFs into one file.

What "at once" may do is exactly what the rights module (``pohon.perjanjian.permissions``)
lets the user do one PK at a time, nothing more:

- a PK already submitted by its pihak pertama's side is approved when the user may review it:
  the Kepala Dinas approves as the pihak kedua of the Administrator level (Kepala Bidang,
  Sekretaris) and, as the superior of the Kepala Bidang, of the Pengawas level;
- a draft (or a returned PK) is submitted and approved in one go only when the user may also
  submit it: an admin for any unit; the Kepala Dinas only for their own JPT PK, and approves
  that one on the Kepala Daerah's behalf only where the Pemda allows it
  (``Pemda.pk_disetujui_kepala_dinas``);
- anything else waits, named with the reason (a draft the unit's side has not submitted: one
  click cannot give the pihak pertama's agreement for them).

Each PK is approved in its own transaction and signed right after; a PK whose signing fails is
marked "Penandatanganan gagal" (its page has the retry) and the others stay issued. The job's
summary says how many were issued and which failed.
"""

import copy
import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.jobs import JobFailed, JobOutput, Progress, job_handler, job_submit
from core.models import Pekerjaan
from pohon.models import Pohon
from pohon.perjanjian.jobs import JOB_PERJANJIAN_TTD, perjanjian_sign
from pohon.perjanjian.models import PerjanjianKinerja
from pohon.perjanjian.permissions import (
    user_can_generate_perjanjian,
    user_can_review_perjanjian,
    user_can_sign_perjanjian,
    user_can_submit_perjanjian,
)
from pohon.perjanjian.selectors import perjanjian_current, perjanjian_plans
from pohon.perjanjian.services import perjanjian_approve, perjanjian_generate, perjanjian_submit

logger = logging.getLogger(__name__)

JOB_PERJANJIAN_MASSAL = "pohon.perjanjian_massal"
Status = PerjanjianKinerja.Status
CATATAN_MASSAL = "Penerbitan massal"


class Langkah:
    """What the bulk issue does with a unit's PK."""

    TERBIT = "terbit"  # approved already (signed, or being signed)
    TANDATANGANI = "tandatangani"  # approved, but its signing failed: signed again
    SETUJUI = "setujui"  # submitted: the user approves it
    AJUKAN_SETUJUI = "ajukan_setujui"  # a draft the user may submit and approve
    TUNGGU_PENGAJUAN = "tunggu_pengajuan"  # a draft its pihak pertama's side must submit first
    TUNGGU_PERSETUJUAN = "tunggu_persetujuan"  # submitted, but the user may not approve it
    MASALAH = "masalah"  # the unit gets no PK (no official, ...)

    TO_ISSUE = (SETUJUI, AJUKAN_SETUJUI, TANDATANGANI)
    WAITING = (TUNGGU_PENGAJUAN, TUNGGU_PERSETUJUAN)


@dataclass
class BulkRow:
    unit_nama: str
    tingkat: str
    tingkat_label: str
    langkah: str
    keterangan: str
    perjanjian: PerjanjianKinerja | None = None  # None: a draft the issue generates first
    pihak_pertama: str = ""


@dataclass
class BulkPlan:
    """What pressing the button would do now, unit by unit (units' order)."""

    pohon: Pohon
    rows: list[BulkRow] = field(default_factory=list)

    def _with(self, *langkah: str) -> list[BulkRow]:
        return [row for row in self.rows if row.langkah in langkah]

    @property
    def to_issue(self) -> list[BulkRow]:
        return self._with(*Langkah.TO_ISSUE)

    @property
    def issued(self) -> list[BulkRow]:
        return self._with(Langkah.TERBIT)

    @property
    def waiting(self) -> list[BulkRow]:
        return self._with(*Langkah.WAITING)

    @property
    def problems(self) -> list[BulkRow]:
        return self._with(Langkah.MASALAH)

    @property
    def to_generate(self) -> int:
        return sum(1 for row in self.to_issue + self.waiting if row.perjanjian is None)


def _decide(user, perjanjian: PerjanjianKinerja) -> tuple[str, str]:
    """The step for one PK (saved, or the draft generation would make), by the rights module."""
    if perjanjian.status == Status.DIAJUKAN:
        if user is None or user_can_review_perjanjian(user, perjanjian):
            return Langkah.SETUJUI, _("sudah diajukan; disetujui dan ditandatangani")
        return Langkah.TUNGGU_PERSETUJUAN, _(
            "sudah diajukan; persetujuannya bukan hak Anda (Kepala Daerah: pengaturan Pemda, atau admin)"
        )
    may_submit = user is None or user_can_submit_perjanjian(user, perjanjian)
    submitted = copy.copy(perjanjian)
    submitted.status = Status.DIAJUKAN
    may_review = user is None or user_can_review_perjanjian(user, submitted)
    if may_submit and may_review:
        return Langkah.AJUKAN_SETUJUI, _("diajukan dan disetujui sekaligus, lalu ditandatangani")
    if may_submit:
        return Langkah.TUNGGU_PERSETUJUAN, _(
            "persetujuan atas nama Kepala Daerah tidak diizinkan Pemda untuk Kepala Dinas; admin yang menyetujui"
        )
    return Langkah.TUNGGU_PENGAJUAN, _("menunggu diajukan oleh pihak pertama (operator unitnya)")


def perjanjian_bulk_plan(pohon: Pohon, user) -> BulkPlan:
    """What the bulk issue would do for ``user`` (None: the system, which may do everything):
    one row per structural unit. A fixed number of queries (the plans read the tree once)."""
    plan = BulkPlan(pohon=pohon)
    current = perjanjian_current(pohon.dinas, pohon.tahun)
    for unit_plan in perjanjian_plans(pohon):
        row = BulkRow(
            unit_nama=unit_plan.unit_nama,
            tingkat=unit_plan.tingkat,
            tingkat_label=unit_plan.tingkat_label,
            langkah=Langkah.MASALAH,
            keterangan=unit_plan.masalah,
            pihak_pertama=unit_plan.pihak_pertama.nama if unit_plan.pihak_pertama else "",
        )
        plan.rows.append(row)
        if unit_plan.masalah:
            continue
        existing = current.get(unit_plan.unit.pk)
        in_force = existing is not None and existing.status == Status.DISETUJUI
        if in_force and (existing.pohon_id == pohon.pk or existing.sidik_isi == unit_plan.sidik):
            row.perjanjian, row.langkah = existing, Langkah.TERBIT
            row.keterangan = str(existing.status_display)
            if existing.ttd_status == PerjanjianKinerja.Ttd.GAGAL and (
                user is None or user_can_sign_perjanjian(user, existing)
            ):
                row.langkah = Langkah.TANDATANGANI
                row.keterangan = _("sudah disetujui, penandatanganannya gagal: ditandatangani lagi")
            continue
        if existing is not None and existing.pohon_id == pohon.pk:
            row.perjanjian = candidate = existing
        else:  # generation drafts it (a Murni, or a Perubahan of the PK in force)
            candidate = PerjanjianKinerja(
                dinas=pohon.dinas, tahun=pohon.tahun, unit=unit_plan.unit, pohon=pohon, tingkat=unit_plan.tingkat
            )
        row.langkah, row.keterangan = _decide(user, candidate)
    return plan


def perjanjian_bulk_kunci(pohon: Pohon) -> str:
    return f"perjanjian-massal:{pohon.pk}"


def perjanjian_bulk_job_latest(pohon: Pohon) -> Pekerjaan | None:
    """The newest bulk issue of this tree revision (waiting, running or ended)."""
    return (
        Pekerjaan.objects.filter(jenis=JOB_PERJANJIAN_MASSAL, kunci=perjanjian_bulk_kunci(pohon))
        .defer("hasil", "masukan")
        .order_by("-dibuat_pada")
        .first()
    )


def _ensure_may_issue(*, pohon: Pohon, user) -> None:
    if user is not None and not user_can_generate_perjanjian(user, pohon.dinas_id):
        raise PermissionDenied(
            _("Hanya Kepala Dinas atau admin Perangkat Daerah ini yang dapat menerbitkan Perjanjian Kinerja sekaligus.")
        )
    if pohon.status != Pohon.Status.DISETUJUI:
        raise ValidationError(
            _("Perjanjian Kinerja hanya dibuat dari pohon kinerja yang sudah disetujui; status pohon ini %(status)s.")
            % {"status": pohon.get_status_display()}
        )


@transaction.atomic
def perjanjian_bulk_issue(*, pohon: Pohon, user) -> Pekerjaan:
    """Queue the bulk issue of an approved tree's PKs (once: while one waits or runs, a second
    press joins it). Checks the role and the tree first; the certificate too, so that a missing
    one is said at once rather than as 16 failed signings."""
    from pohon.workflow import signing_ensure_ready

    _ensure_may_issue(pohon=pohon, user=user)
    signing_ensure_ready()
    return job_submit(
        jenis=JOB_PERJANJIAN_MASSAL,
        judul=_("Penerbitan Perjanjian Kinerja %(dinas)s tahun %(tahun)s")
        % {"dinas": pohon.dinas.nama, "tahun": pohon.tahun},
        user=user,
        dinas_id=pohon.dinas_id,
        kunci=perjanjian_bulk_kunci(pohon),
        parameter={"pohon": pohon.pk},
    )


def _bulk_failed(job: Pekerjaan, message: str) -> None:
    """The job stopped (time or memory limit, a crash): every PK it approved but had not signed
    yet is marked as failed, so that its page offers the retry (nothing stays "being signed")."""
    pohon = Pohon.objects.filter(pk=job.parameter.get("pohon")).first()
    if pohon is None:
        return
    active = set(
        Pekerjaan.objects.filter(jenis=JOB_PERJANJIAN_TTD, status__in=Pekerjaan.ACTIVE).values_list("kunci", flat=True)
    )
    stuck = PerjanjianKinerja.objects.filter(
        dinas_id=pohon.dinas_id,
        tahun=pohon.tahun,
        status=Status.DISETUJUI,
        ttd_status=PerjanjianKinerja.Ttd.MENUNGGU,
        dokumen__berkas__isnull=True,
    )
    ids = [pk for pk in stuck.values_list("pk", flat=True) if f"perjanjian-ttd:{pk}" not in active]
    PerjanjianKinerja.objects.filter(pk__in=ids).update(
        ttd_status=PerjanjianKinerja.Ttd.GAGAL,
        ttd_galat=_("Penerbitan massal terhenti sebelum perjanjian ini ditandatangani: %(pesan)s") % {"pesan": message},
    )


def _issue_one(perjanjian: PerjanjianKinerja, user) -> PerjanjianKinerja:
    """Submit (a draft) and approve one PK in its own transaction; the signing follows."""
    with transaction.atomic():
        if perjanjian.is_editable:
            perjanjian = perjanjian_submit(perjanjian=perjanjian, user=user, catatan=CATATAN_MASSAL)
        return perjanjian_approve(perjanjian=perjanjian, user=user, catatan=CATATAN_MASSAL, enqueue=False)


def _sign_one(perjanjian: PerjanjianKinerja, signer) -> str:
    """Render and sign one approved PK; "" when done, else the message it is marked failed with.
    Not in a transaction of its own: rendering takes most of a second, and on SQLite a transaction
    holds the database's write lock throughout, so pages would wait (or starve) behind the job;
    the file is stored by one INSERT. Inside an outer transaction (tests), a savepoint keeps a
    failure from breaking it."""
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                perjanjian_sign(perjanjian, signer=signer)
        else:
            perjanjian_sign(perjanjian, signer=signer)
    except MemoryError:
        raise
    except Exception as error:
        logger.exception("Penandatanganan Perjanjian Kinerja %s gagal dalam penerbitan massal", perjanjian.pk)
        message = str(error) if isinstance(error, ValidationError) else error.__class__.__name__
        message = _("Penandatanganan gagal (%(pesan)s); coba tandatangani lagi dari halaman perjanjian.") % {
            "pesan": message
        }
        PerjanjianKinerja.objects.filter(pk=perjanjian.pk).update(
            ttd_status=PerjanjianKinerja.Ttd.GAGAL, ttd_galat=message
        )
        return message
    return ""


@job_handler(JOB_PERJANJIAN_MASSAL, on_failure=_bulk_failed)
def perjanjian_bulk_job(job: Pekerjaan, progress: Progress) -> JobOutput:
    # Loaded when a job runs, not at start-up: the signing stack (pyHanko) is heavy.
    from pohon.dokumen.render import dokumen_signer
    from pohon.perjanjian.exports import combined_pdf, combined_pdf_filename, perjanjian_issued

    pohon = Pohon.objects.select_related("dinas__pemda").filter(pk=job.parameter["pohon"]).first()
    if pohon is None:
        raise JobFailed(_("Pohon kinerja ini sudah tidak ada."))
    user = job.user
    if user is None and job.user_nama:
        raise JobFailed(_("Akun yang meminta penerbitan ini sudah tidak ada."))
    try:
        _ensure_may_issue(pohon=pohon, user=user)
    except PermissionDenied as error:
        raise JobFailed(str(error)) from None
    # The certificate read once for every PK (reading it is most of a signing's time); a
    # certificate that cannot sign stops the job here, before anything is approved.
    signer = dokumen_signer()
    progress(2, _("Membuat draf Perjanjian Kinerja yang belum ada"))
    generated = perjanjian_generate(pohon=pohon, user=user)
    plan = perjanjian_bulk_plan(pohon, user)
    todo = [row for row in plan.to_issue if row.perjanjian is not None]
    issued: list[str] = []
    failed: list[dict[str, str]] = []
    for index, row in enumerate(todo):
        progress(
            5 + round(85 * index / len(todo)),
            _("Menyetujui dan menandatangani %(n)d dari %(total)d: %(unit)s")
            % {"n": index + 1, "total": len(todo), "unit": row.unit_nama},
        )
        try:
            perjanjian = row.perjanjian
            if row.langkah != Langkah.TANDATANGANI:
                perjanjian = _issue_one(perjanjian, user)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            failed.append({"unit": row.unit_nama, "galat": text})
            continue
        message = _sign_one(perjanjian, signer)
        if message:
            failed.append({"unit": row.unit_nama, "galat": message})
        else:
            issued.append(row.unit_nama)
    progress(92, _("Menggabungkan PDF dan menyiapkan unduhan"))
    every = perjanjian_issued(pohon.dinas, pohon.tahun)
    combined = combined_pdf(every) if every else None
    pesan = _("%(n)d Perjanjian Kinerja disetujui dan ditandatangani") % {"n": len(issued)}
    if failed:
        pesan += "; " + _("%(n)d gagal: %(daftar)s") % {
            "n": len(failed),
            "daftar": "; ".join(f"{f['unit']} ({f['galat']})" for f in failed),
        }
    waiting = plan.waiting
    if waiting:
        pesan += "; " + _("%(n)d menunggu (lihat daftar)") % {"n": len(waiting)}
    pesan += "."
    if combined is not None:
        pesan += " " + _("Unduhan gabungan: %(n)d perjanjian, %(halaman)d halaman.") % {
            "n": len(every),
            "halaman": combined.pages,
        }
    ringkasan = {
        "pesan": pesan,
        "dibuat": len(generated.dibuat),
        "diterbitkan": issued,
        "gagal": failed,
        "menunggu": [{"unit": row.unit_nama, "keterangan": row.keterangan} for row in waiting],
        "perjanjian": [pk.pk for pk in every],
    }
    if combined is None:
        return JobOutput(ringkasan=ringkasan)
    ringkasan.update(
        halaman=combined.pages,
        url=reverse("pohon:perjanjian_massal_xlsx", args=[pohon.dinas.kode, pohon.tahun, job.pk]),
        url_label=_("Unduh spreadsheet (.xlsx)"),
    )
    return JobOutput(
        data=combined.pdf,
        nama=combined_pdf_filename(pohon.dinas, pohon.tahun),
        tipe="application/pdf",
        ringkasan=ringkasan,
    )


__all__ = [
    "JOB_PERJANJIAN_MASSAL",
    "BulkPlan",
    "BulkRow",
    "Langkah",
    "perjanjian_bulk_issue",
    "perjanjian_bulk_job_latest",
    "perjanjian_bulk_plan",
]
