"""The tree's workflow: Draf -> Diajukan -> Disetujui, or back as Dikembalikan; revisions after
approval; the issued, signed document of an approved revision.

Each transition checks the role, executes, then records who, when and the note (PohonRiwayat).
Approval freezes the tree: from then on every node service refuses changes, and a change starts
a new revision (Perubahan 1, 2, ...) copied from the approved one.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dinas.models import Pejabat, Pemda, UnitKerja
from dinas.selectors import pemda_kepala_daerah
from pohon.chart import head_title
from pohon.dokumen.models import Dokumen
from pohon.dokumen.services import Signer, dokumen_berkas_issue, dokumen_create
from pohon.jobs import PAPER_SIZES, pengesahan_sign_enqueue
from pohon.models import DokumenTerbit, Node, Pengesahan, Pohon, PohonRiwayat
from pohon.pemda.dukungan import pemda_dukungan_freeze
from pohon.permissions import user_can_review, user_can_revise, user_can_sign, user_can_submit
from pohon.services import pohon_create, pohon_lock, tree_copy
from pohon.silang.services import silang_freeze

logger = logging.getLogger(__name__)
Status = Pohon.Status


def _record(
    pohon: Pohon, *, aksi: str, before: str, user, catatan: str = "", at: datetime.datetime | None = None
) -> PohonRiwayat:
    return PohonRiwayat(pohon=pohon, aksi=aksi, status_sebelum=before, status_sesudah=pohon.status).record_by(
        user, catatan=catatan, at=at
    )


def _set_status(pohon: Pohon, status: str) -> str:
    before = pohon.status
    pohon.status = status
    pohon.full_clean()
    pohon.save(update_fields=["status", "updated_at"])
    return before


def pohon_is_latest(pohon: Pohon) -> bool:
    return not Pohon.objects.filter(dinas_id=pohon.dinas_id, tahun=pohon.tahun, revisi__gt=pohon.revisi).exists()


@transaction.atomic
def pohon_submit(*, pohon: Pohon, user, catatan: str = "", at: datetime.datetime | None = None) -> Pohon:
    """An operator or admin submits a draft (or a returned tree) to the Kepala Dinas."""
    pohon = pohon_lock(pohon)
    if not pohon.is_editable:
        raise ValidationError(
            _("Pohon berstatus %(status)s tidak dapat diajukan.") % {"status": pohon.get_status_display()}
        )
    if user is not None and not user_can_submit(user, pohon):
        raise PermissionDenied(_("Hanya operator atau admin Perangkat Daerah ini yang dapat mengajukan pohon."))
    if not Node.objects.filter(pohon=pohon).visible().exists():
        raise ValidationError(_("Pohon kosong tidak dapat diajukan."))
    before = _set_status(pohon, Status.DIAJUKAN)
    _record(pohon, aksi=PohonRiwayat.Aksi.AJUKAN, before=before, user=user, catatan=catatan, at=at)
    return pohon


def pohon_review_ensure(*, pohon: Pohon, user) -> None:
    """Refuse unless the tree awaits review and ``user`` may review it: a ValidationError for the
    status, PermissionDenied for the role. The approval's confirmation page asks it too."""
    if pohon.status != Status.DIAJUKAN:
        raise ValidationError(
            _("Hanya pohon yang sudah diajukan yang dapat diperiksa; status sekarang %(status)s.")
            % {"status": pohon.get_status_display()}
        )
    if user is not None and not user_can_review(user, pohon):
        raise PermissionDenied(_("Hanya Kepala Dinas Perangkat Daerah ini yang dapat mengembalikan atau menyetujui."))


@transaction.atomic
def pohon_return(*, pohon: Pohon, user, catatan: str, at: datetime.datetime | None = None) -> Pohon:
    """The Kepala Dinas returns a submitted tree with a note; it becomes editable again."""
    pohon = pohon_lock(pohon)
    pohon_review_ensure(pohon=pohon, user=user)
    if not catatan.strip():
        raise ValidationError({"catatan": _("Tuliskan catatan: apa yang perlu diperbaiki.")})
    before = _set_status(pohon, Status.DIKEMBALIKAN)
    _record(pohon, aksi=PohonRiwayat.Aksi.KEMBALIKAN, before=before, user=user, catatan=catatan, at=at)
    return pohon


def kaskade_judul(pohon: Pohon) -> str:
    """What an approved cascade is, as its verification page names it."""
    dinas = pohon.dinas
    if dinas.is_pemda:
        judul = _("Pohon Kinerja Pemerintah %(pemda)s Periode RPJMD %(periode)s") % {
            "pemda": dinas.pemda_nama,
            "periode": pohon.periode_display,
        }
        return judul + (" " + _("Perubahan %(n)s") % {"n": pohon.revisi} if pohon.revisi else "")
    judul = _("Cascading / Pohon Kinerja %(dinas)s %(pemda)s Tahun %(tahun)s") % {
        "dinas": dinas.nama,
        "pemda": dinas.pemda_nama,
        "tahun": pohon.tahun,
    }
    if pohon.revisi:
        judul += " " + _("Perubahan %(n)s") % {"n": pohon.revisi}
    return judul


def pejabat_kepala(pohon: Pohon) -> Pejabat:
    """The official heading the agency in the tree's year: the one who signs. For the Pemda's
    own tree, the signer the Pemda sets (``Pemda.penyetuju_pohon``) in office in the period's
    first year: the Kepala Daerah (``dinas.selectors.pemda_kepala_daerah``), or the Kepala
    Bappeda (the official of the owner record's Kepala unit)."""
    if pohon.is_pemda and pohon.dinas.pemda.penyetuju_pohon == Pemda.PenyetujuPohon.KEPALA_DAERAH:
        pemda = pohon.dinas.pemda
        kepala = pemda_kepala_daerah(pemda, pohon.tahun)
        if kepala is None:
            raise ValidationError(
                _(
                    "Belum ada %(jabatan)s %(pemda)s yang menjabat pada tahun %(tahun)s; "
                    "isi data pejabat terlebih dahulu."
                )
                % {"jabatan": pemda.jabatan_kepala or _("Kepala Daerah"), "pemda": pemda.nama, "tahun": pohon.tahun}
            )
        return kepala
    candidates = Pejabat.objects.filter(unit__dinas_id=pohon.dinas_id, unit__jenis=UnitKerja.Jenis.KEPALA).order_by(
        "-tahun_mulai", "-id"
    )
    for pejabat in candidates:
        if pejabat.in_office(pohon.tahun):
            return pejabat
    if pohon.is_pemda:
        raise ValidationError(
            _("Belum ada pejabat Kepala Bappeda yang menjabat pada tahun %(tahun)s; isi data pejabat terlebih dahulu.")
            % {"tahun": pohon.tahun}
        )
    raise ValidationError(
        _("Belum ada pejabat Kepala Dinas yang menjabat pada tahun %(tahun)s; isi data pejabat terlebih dahulu.")
        % {"tahun": pohon.tahun}
    )


@transaction.atomic
def pohon_approve(*, pohon: Pohon, user, catatan: str = "", at: datetime.datetime | None = None) -> Pengesahan:
    """The Kepala Dinas approves: the tree is frozen and the signer, place and date recorded at
    once; the signed documents of every paper size are made by a background job queued in the
    same transaction (until they exist the tree shows "Sedang ditandatangani"). A certificate
    that cannot sign (missing, wrong passphrase, expired) refuses the approval before anything
    changes."""
    pohon = pohon_lock(pohon)
    pohon_review_ensure(pohon=pohon, user=user)
    pejabat = pejabat_kepala(pohon)
    signing_ensure_ready()
    at = at or timezone.now()
    dinas = pohon.dinas
    # Everything the tree prints beyond its nodes is frozen now: later renames change nothing.
    dokumen = dokumen_create(
        jenis=Dokumen.Jenis.KASKADE,
        judul=kaskade_judul(pohon),
        dinas=dinas,
        tempat=dinas.tempat_dokumen,
        tanggal=timezone.localdate(at),
        signers=[Signer(pejabat=pejabat)],
        at=at,
    )
    units = UnitKerja.objects.filter(nodes__pohon=pohon).order_by().values_list("pk", "nama").distinct()
    before = _set_status(pohon, Status.DISETUJUI)
    pengesahan = Pengesahan(
        pohon=pohon,
        dokumen=dokumen,
        disetujui_oleh=user,
        disetujui_pada=at,
        kepala_judul=head_title(dinas, pohon.periode_display),
        unit_nama={str(pk): nama for pk, nama in units},
        ttd_status=Pengesahan.Ttd.MENUNGGU,
    )
    pengesahan.full_clean()
    pengesahan.save()
    silang_freeze(pengesahan=pengesahan)  # the crosscutting annex, frozen like the rest
    pemda_dukungan_freeze(pengesahan=pengesahan)  # a Pemda tree's supporting agencies, likewise
    _record(pohon, aksi=PohonRiwayat.Aksi.SETUJUI, before=before, user=user, catatan=catatan, at=at)
    pengesahan_sign_enqueue(pengesahan=pengesahan, user=user)
    pengesahan.refresh_from_db()
    return pengesahan


def signing_ensure_ready() -> None:
    """A ValidationError (for the user, without server paths) unless the certificate can sign."""
    from pohon.signing import SigningError, signer_check

    try:
        signer_check()
    except SigningError as error:
        logger.warning("Sertifikat penandatangan tidak siap: %s", error)
        raise ValidationError(
            _(
                "Persetujuan dibatalkan: sertifikat tanda tangan elektronik tidak tersedia, kata sandinya salah "
                "atau masa berlakunya habis; hubungi admin."
            )
        ) from error


@transaction.atomic
def pengesahan_sign_retry(*, pengesahan: Pengesahan, user) -> Pengesahan:
    """After a failed signing (or for an approval made before every paper size was issued at
    once): queue the signing again. The Kepala Dinas or an admin of the agency."""
    pohon = pohon_lock(pengesahan.pohon)
    pengesahan = Pengesahan.objects.select_for_update().get(pk=pengesahan.pk)
    if user is not None and not user_can_sign(user, pohon):
        raise PermissionDenied(_("Hanya Kepala Dinas atau admin Perangkat Daerah ini yang dapat menandatangani."))
    if pengesahan.ttd_status == Pengesahan.Ttd.SELESAI and pengesahan.dokumen.berkas.count() == len(PAPER_SIZES):
        raise ValidationError(_("Semua dokumen pengesahan ini sudah ditandatangani."))
    signing_ensure_ready()
    pengesahan_sign_enqueue(pengesahan=pengesahan, user=user)
    pengesahan.refresh_from_db()
    return pengesahan


@transaction.atomic
def pohon_revise(*, pohon: Pohon, user, catatan: str = "", at: datetime.datetime | None = None) -> Pohon:
    """Start a change after approval: a new draft revision copied from the approved one."""
    pohon = pohon_lock(pohon)
    if pohon.status != Status.DISETUJUI:
        raise ValidationError(_("Perubahan hanya dapat dibuat dari pohon yang sudah disetujui."))
    latest = pohon_is_latest(pohon)
    if not latest:
        raise ValidationError(_("Sudah ada perubahan yang lebih baru untuk tahun ini."))
    if user is not None and not user_can_revise(user, pohon, is_latest=latest):
        raise PermissionDenied(_("Hanya operator atau admin Perangkat Daerah ini yang dapat membuat perubahan."))
    revision = pohon_create(
        dinas=pohon.dinas, tahun=pohon.tahun, revisi=pohon.revisi + 1, tahun_akhir=pohon.tahun_akhir
    )
    tree_copy(source=pohon, target=revision, user=user)
    _record(
        revision,
        aksi=PohonRiwayat.Aksi.PERUBAHAN,
        before=Status.DISETUJUI,
        user=user,
        catatan=catatan or _("Disalin dari %(pohon)s.") % {"pohon": pohon},
        at=at,
    )
    return revision


def dokumen_issue(*, pengesahan: Pengesahan, kertas: str = "F4", signer=None) -> DokumenTerbit:
    """The signed PDF of an approved revision for one paper size: made and stored the first time,
    the stored bytes every time after. Called by the signing job (pohon.jobs), never by a page;
    ``signer``: the certificate the job read once for all sizes."""
    return dokumen_berkas_issue(dokumen=pengesahan.dokumen, kertas=kertas, signer=signer)
