"""Writes of the Perjanjian Kinerja: generate from an approved tree, submit, return, approve
(freeze into an issued document and queue its signing), retry a failed signing.

Each step checks (state, then the role in ``pohon.perjanjian.permissions``), executes, then
records who, when and the note (``PerjanjianRiwayat``). ``user=None`` is a system write (the
demo loader, management commands) and skips the role check, as the tree's workflow does.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pohon.dokumen.models import Dokumen, Penandatangan
from pohon.dokumen.services import Signer, dokumen_create
from pohon.models import Pohon
from pohon.perjanjian.models import PerjanjianBaris, PerjanjianKinerja, PerjanjianRiwayat
from pohon.perjanjian.permissions import (
    user_can_generate_perjanjian,
    user_can_review_perjanjian,
    user_can_sign_perjanjian,
    user_can_submit_perjanjian,
)
from pohon.perjanjian.selectors import PerjanjianPlan, perjanjian_plans
from pohon.services import pohon_lock

Status = PerjanjianKinerja.Status
Aksi = PerjanjianRiwayat.Aksi


@dataclass
class GenerateResult:
    """What ``perjanjian_generate`` did, unit by unit."""

    pohon: Pohon
    dibuat: list[PerjanjianKinerja] = field(default_factory=list)  # new drafts (Murni or Perubahan)
    tetap: list[PerjanjianKinerja] = field(default_factory=list)  # already there, or unchanged since
    masalah: list[PerjanjianPlan] = field(default_factory=list)  # units without a PK, and why


def _record(
    perjanjian: PerjanjianKinerja, *, aksi: str, user, catatan: str = "", at: datetime.datetime | None = None
) -> PerjanjianRiwayat:
    return PerjanjianRiwayat(perjanjian=perjanjian, aksi=aksi, status_sesudah=perjanjian.status).record_by(
        user, catatan=catatan, at=at
    )


def _lock(perjanjian: PerjanjianKinerja) -> PerjanjianKinerja:
    try:
        return (
            PerjanjianKinerja.objects.select_for_update(of=("self",))
            .select_related("dinas__pemda", "unit", "pihak_pertama", "pihak_kedua", "menggantikan__dokumen")
            .get(pk=perjanjian.pk)
        )
    except PerjanjianKinerja.DoesNotExist:
        raise ValidationError(_("Perjanjian Kinerja ini sudah tidak ada; muat ulang halaman.")) from None


def _write(perjanjian: PerjanjianKinerja, plan: PerjanjianPlan) -> None:
    """The PK's lines, each validated, written in one query (they are not tree rows: no mptt).
    Their numbering (urutan) is unique by construction; the database's constraint still holds it."""
    lines = []
    for urutan, baris in enumerate(plan.baris, start=1):
        line = PerjanjianBaris(
            perjanjian=perjanjian,
            tabel=baris.tabel,
            urutan=urutan,
            tingkat=baris.tingkat,
            kunci=baris.kunci,
            jenis=baris.jenis,
            kode=baris.kode,
            uraian=baris.uraian,
            target=baris.target,
            satuan=baris.satuan,
            pagu=baris.pagu,
        )
        # (the PK was saved just above: its foreign key needs no look-up per line)
        line.full_clean(exclude=["perjanjian"], validate_unique=False, validate_constraints=False)
        lines.append(line)
    PerjanjianBaris.objects.bulk_create(lines)


@transaction.atomic
def perjanjian_generate(*, pohon: Pohon, user, at: datetime.datetime | None = None) -> GenerateResult:
    """Draft a PK for every structural unit of the agency that has one official (and one above
    it) in the tree's year, from the newest approved revision of the tree.

    Per unit: a PK already made from this revision stays as it is; the first PK of the year is
    "Murni"; when the unit's PK in force (approved) lists the same content, nothing new is made;
    when it differs, a "Perubahan" draft replaces it once approved. A draft of an earlier revision
    that was never approved is superseded: it is deleted (it was never issued) and the new draft
    takes its place in the chain. Units without a PK are returned with the reason."""
    pohon = pohon_lock(pohon)
    if pohon.status != Pohon.Status.DISETUJUI:
        raise ValidationError(
            _("Perjanjian Kinerja hanya dibuat dari pohon kinerja yang sudah disetujui; status pohon ini %(status)s.")
            % {"status": pohon.get_status_display()}
        )
    if Pohon.objects.filter(
        dinas_id=pohon.dinas_id, tahun=pohon.tahun, revisi__gt=pohon.revisi, status=Pohon.Status.DISETUJUI
    ).exists():
        raise ValidationError(_("Sudah ada revisi pohon kinerja yang lebih baru dan disetujui; buat dari revisi itu."))
    if user is not None and not user_can_generate_perjanjian(user, pohon.dinas_id):
        raise PermissionDenied(
            _("Hanya Kepala Dinas atau admin Perangkat Daerah ini yang dapat membuat Perjanjian Kinerja.")
        )
    at = at or timezone.now()
    result = GenerateResult(pohon=pohon)
    existing: dict[int, list[PerjanjianKinerja]] = {}
    for pk in (
        PerjanjianKinerja.objects.select_for_update(of=("self",))
        .filter(dinas_id=pohon.dinas_id, tahun=pohon.tahun)
        .order_by("-pohon__revisi", "-id")
    ):
        existing.setdefault(pk.unit_id, []).append(pk)
    for plan in perjanjian_plans(pohon):
        if plan.masalah:
            result.masalah.append(plan)
            continue
        mine = existing.get(plan.unit.pk, [])
        same_revision = next((pk for pk in mine if pk.pohon_id == pohon.pk), None)
        if same_revision is not None:
            result.tetap.append(same_revision)
            continue
        in_force = next((pk for pk in mine if pk.status == Status.DISETUJUI), None)
        if in_force is not None and in_force.sidik_isi == plan.sidik:
            result.tetap.append(in_force)
            continue
        jenis = PerjanjianKinerja.Jenis.PERUBAHAN if in_force is not None else PerjanjianKinerja.Jenis.MURNI
        for stale in mine:
            if stale.status != Status.DISETUJUI and (in_force is None or stale.pk != in_force.pk):
                stale.delete()  # a draft of an earlier revision, never issued: the new one replaces it
        perjanjian = PerjanjianKinerja(
            dinas=pohon.dinas,
            tahun=pohon.tahun,
            unit=plan.unit,
            pohon=pohon,
            tingkat=plan.tingkat,
            jenis=jenis,
            status=Status.DRAF,
            pihak_pertama=plan.pihak_pertama,
            pihak_kedua=plan.pihak_kedua,
            unit_nama=plan.unit_nama,
            jumlah_pagu=plan.jumlah_pagu,
            sidik_isi=plan.sidik,
            menggantikan=in_force,
            dibuat_pada=at,
        )
        perjanjian.full_clean()
        perjanjian.save()
        _write(perjanjian, plan)
        _record(perjanjian, aksi=Aksi.BUAT, user=user, catatan=str(pohon), at=at)
        result.dibuat.append(perjanjian)
    return result


@transaction.atomic
def perjanjian_submit(
    *, perjanjian: PerjanjianKinerja, user, catatan: str = "", at: datetime.datetime | None = None
) -> PerjanjianKinerja:
    """The pihak pertama's side submits a draft (or a returned PK) to the pihak kedua."""
    perjanjian = _lock(perjanjian)
    if not perjanjian.is_editable:
        raise ValidationError(
            _("Perjanjian Kinerja berstatus %(status)s tidak dapat diajukan.")
            % {"status": perjanjian.get_status_display()}
        )
    if user is not None and not user_can_submit_perjanjian(user, perjanjian):
        raise PermissionDenied(_("Anda tidak berhak mengajukan Perjanjian Kinerja unit kerja ini."))
    perjanjian.status = Status.DIAJUKAN
    perjanjian.full_clean()
    perjanjian.save(update_fields=["status"])
    _record(perjanjian, aksi=Aksi.AJUKAN, user=user, catatan=catatan, at=at)
    return perjanjian


def perjanjian_review_ensure(*, perjanjian: PerjanjianKinerja, user) -> None:
    """Refuse unless the PK awaits review and ``user`` may review it."""
    if perjanjian.status != Status.DIAJUKAN:
        raise ValidationError(
            _("Hanya Perjanjian Kinerja yang sudah diajukan yang dapat diperiksa; status sekarang %(status)s.")
            % {"status": perjanjian.get_status_display()}
        )
    if user is not None and not user_can_review_perjanjian(user, perjanjian):
        raise PermissionDenied(_("Anda tidak berhak menyetujui atau mengembalikan Perjanjian Kinerja ini."))


@transaction.atomic
def perjanjian_return(
    *, perjanjian: PerjanjianKinerja, user, catatan: str, at: datetime.datetime | None = None
) -> PerjanjianKinerja:
    """The pihak kedua's side returns a submitted PK with a note."""
    perjanjian = _lock(perjanjian)
    perjanjian_review_ensure(perjanjian=perjanjian, user=user)
    if not catatan.strip():
        raise ValidationError({"catatan": _("Tuliskan catatan: apa yang perlu diperbaiki.")})
    perjanjian.status = Status.DIKEMBALIKAN
    perjanjian.catatan = catatan.strip()
    perjanjian.full_clean()
    perjanjian.save(update_fields=["status", "catatan"])
    _record(perjanjian, aksi=Aksi.KEMBALIKAN, user=user, catatan=catatan, at=at)
    return perjanjian


def perjanjian_judul(perjanjian: PerjanjianKinerja) -> str:
    """What the PK is, as its verification page names it."""
    judul = _("Perjanjian Kinerja %(jenis)s Tahun %(tahun)s %(jabatan)s %(dinas)s %(pemda)s") % {
        "jenis": perjanjian.get_jenis_display(),
        "tahun": perjanjian.tahun,
        "jabatan": perjanjian.pihak_pertama.jabatan_tertulis,
        "dinas": perjanjian.dinas.nama,
        "pemda": perjanjian.dinas.pemda_nama,
    }
    return " ".join(judul.split())


@transaction.atomic
def perjanjian_approve(
    *,
    perjanjian: PerjanjianKinerja,
    user,
    catatan: str = "",
    at: datetime.datetime | None = None,
    enqueue: bool = True,
) -> PerjanjianKinerja:
    """The pihak kedua's side approves: both signers (as printed, with Plt./Plh./Pj.), the place
    and the date are frozen at once into the issued document; the earlier PK it replaces is
    marked replaced by it (both stay verifiable); the signed PDF is made by a background job
    queued in the same transaction. A certificate that cannot sign refuses before anything
    changes. ``enqueue=False``: the caller signs it in its own job (a bulk issue signs many PKs in
    one job with ``pohon.perjanjian.jobs.perjanjian_sign``), having read the certificate itself."""
    from pohon.perjanjian.jobs import perjanjian_sign_enqueue
    from pohon.workflow import signing_ensure_ready

    perjanjian = _lock(perjanjian)
    perjanjian_review_ensure(perjanjian=perjanjian, user=user)
    if enqueue:  # else the caller's job has read (and so checked) the certificate: ~0.1 s per PK saved
        signing_ensure_ready()
    at = at or timezone.now()
    dinas = perjanjian.dinas
    dokumen = dokumen_create(
        jenis=Dokumen.Jenis.PERJANJIAN_KINERJA,
        judul=perjanjian_judul(perjanjian),
        dinas=dinas,
        tempat=dinas.tempat_dokumen,
        tanggal=timezone.localdate(at),
        signers=[
            Signer(pejabat=perjanjian.pihak_pertama, peran=Penandatangan.Peran.PIHAK_PERTAMA),
            Signer(pejabat=perjanjian.pihak_kedua, peran=Penandatangan.Peran.PIHAK_KEDUA),
        ],
        at=at,
    )
    earlier = perjanjian.menggantikan
    if earlier is not None and earlier.dokumen is not None:
        earlier.dokumen.diganti_oleh = dokumen
        earlier.dokumen.full_clean()
        earlier.dokumen.save(update_fields=["diganti_oleh"])
    perjanjian.status = Status.DISETUJUI
    perjanjian.dokumen = dokumen
    perjanjian.catatan = ""
    perjanjian.ttd_status = PerjanjianKinerja.Ttd.MENUNGGU
    perjanjian.full_clean()
    perjanjian.save(update_fields=["status", "dokumen", "catatan", "ttd_status"])
    _record(perjanjian, aksi=Aksi.SETUJUI, user=user, catatan=catatan, at=at)
    if enqueue:
        perjanjian_sign_enqueue(perjanjian=perjanjian, user=user)
    perjanjian.refresh_from_db()
    return perjanjian


@transaction.atomic
def perjanjian_sign_retry(*, perjanjian: PerjanjianKinerja, user) -> PerjanjianKinerja:
    """After a failed signing: queue it again."""
    from pohon.perjanjian.jobs import PAPER_SIZES, perjanjian_sign_enqueue
    from pohon.workflow import signing_ensure_ready

    perjanjian = _lock(perjanjian)
    if perjanjian.status != Status.DISETUJUI:
        raise ValidationError(_("Hanya Perjanjian Kinerja yang sudah disetujui yang ditandatangani."))
    if user is not None and not user_can_sign_perjanjian(user, perjanjian):
        raise PermissionDenied(_("Hanya Kepala Dinas atau admin Perangkat Daerah ini yang dapat menandatangani."))
    if perjanjian.ttd_status == PerjanjianKinerja.Ttd.SELESAI and perjanjian.dokumen.berkas.count() == len(PAPER_SIZES):
        raise ValidationError(_("Perjanjian Kinerja ini sudah ditandatangani."))
    signing_ensure_ready()
    perjanjian_sign_enqueue(perjanjian=perjanjian, user=user)
    perjanjian.refresh_from_db()
    return perjanjian
