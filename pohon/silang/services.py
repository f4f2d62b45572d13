"""Writes of crosscutting. Each checks the right (``pohon.silang.permissions``), executes, then
records in the history of both trees (their newest revisions), as one event.

A link's ends are (agency, tahun, kunci). The services lock the newest revision of the tree whose
node they name (``pohon_lock``), the same lock node deletion takes, so a node cannot be deleted
between the check that it exists and the link that then protects it.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dinas.models import UnitKerja
from pohon.history import riwayat_peristiwa, riwayat_record, user_label
from pohon.models import Node, NodeRiwayat, Pengesahan, Pohon
from pohon.permissions import user_can_edit_branch
from pohon.selectors import pohon_tree
from pohon.services import node_create, pohon_lock, pohon_root
from pohon.silang.models import PermintaanTautan, Silang, SilangLampiran
from pohon.silang.permissions import (
    PENERIMA_KINDS,
    SILANG_KINDS,
    user_can_answer,
    user_can_request,
    user_can_withdraw,
)
from pohon.silang.selectors import KELUAR, MASUK, _mitra, pohon_latest_of, silang_rows

Status = Silang.Status


def _latest_locked(dinas_id: int, tahun: int, *, nama: str) -> Pohon:
    pohon = pohon_latest_of(dinas_id, tahun)
    if pohon is None:
        raise ValidationError(
            _("%(dinas)s belum memiliki pohon kinerja tahun %(tahun)s.") % {"dinas": nama, "tahun": tahun}
        )
    return pohon_lock(pohon)


def _in_latest(pohon: Pohon, kunci: uuid.UUID) -> Node:
    node = Node.objects.filter(pohon=pohon, kunci=kunci).select_related("unit").first()
    if node is None:
        raise ValidationError(
            _("Butir ini sudah tidak ada di revisi terbaru pohon %(pohon)s; muat ulang halaman.") % {"pohon": pohon}
        )
    return node


def _node_unit(node: Node) -> UnitKerja | None:
    """The node's unit, or the nearest unit above it: the unit that answers for it."""
    if node.unit_id is not None:
        return node.unit
    ancestor = (
        Node.objects.filter(tree_id=node.tree_id, lft__lt=node.lft, rght__gt=node.rght, unit__isnull=False)
        .select_related("unit")
        .order_by("-lft")
        .first()
    )
    return ancestor.unit if ancestor is not None else None


def answer_node_create(
    *,
    pohon: Pohon,
    parent: Node | None,
    jenis: str,
    uraian: str,
    kinds: frozenset[str] | set[str] | tuple[str, ...],
    kinds_message: str,
    parent_message: str,
    refused_message: str,
    unit: UnitKerja | None,
    user=None,
    pagu: Decimal | None = None,
) -> Node:
    """The node an accepted request creates in the answering tree (crosscutting, a Pemda link):
    of one of ``kinds``, under ``parent`` (the top when None) of that tree's newest revision, if
    the user may add there; written by ``node_create``, so the rule table decides the rest."""
    if jenis not in kinds:
        raise ValidationError({"jenis": kinds_message})
    if not uraian.strip():
        raise ValidationError({"uraian": _("Uraian wajib diisi.")})
    if parent is None:
        parent = pohon_root(pohon)
    if parent.pohon_id != pohon.pk:
        raise ValidationError({"parent": parent_message})
    if user is not None and not user_can_edit_branch(user, pohon, parent):
        raise ValidationError({"parent": refused_message})
    return node_create(
        pohon=pohon,
        parent=None if parent.is_root else parent,
        jenis=jenis,
        uraian=uraian,
        unit=unit,
        pagu=pagu,
        user=user,
    )


def request_open(request: PermintaanTautan, *, catatan: str, user, at: datetime.datetime | None) -> None:
    """Record who asked and when, with the note, check and save a new request (crosscutting or a
    Pemda link)."""
    request.catatan = catatan.strip()
    request.diminta_oleh = user
    request.diminta_nama = user_label(user)
    request.diminta_pada = at or timezone.now()
    request.full_clean()
    request.save()


def request_ensure_waiting(request: PermintaanTautan, message: str) -> None:
    """Refuse to answer a request that is no longer waiting; ``message`` names it and takes its
    status (e.g. "Permintaan ini sudah %(status)s; ...")."""
    if request.status != PermintaanTautan.Status.MENUNGGU:
        raise ValidationError(message % {"status": request.get_status_display().lower()})


def request_close(
    request: PermintaanTautan, *, status: str, user, at: datetime.datetime | None, alasan: str = ""
) -> None:
    """Record a request's answer (accepted or refused: who and when it was answered) or its
    withdrawal (who and when it was withdrawn), checked and saved: the one step every crosscutting
    and Pemda link goes through. The caller has locked the row and checked the user's right."""
    who = "ditarik" if status == PermintaanTautan.Status.DITARIK else "dijawab"
    request.status = status
    request.alasan = alasan.strip()
    setattr(request, f"{who}_oleh", user)
    setattr(request, f"{who}_nama", user_label(user))
    setattr(request, f"{who}_pada", at or timezone.now())
    request.full_clean()
    request.save()


def _record(silang: Silang, *, user, label: str, catatan: str = "") -> None:
    """One entry in each tree's history (the sender's node; the receiver's node once it is linked,
    else the receiver's tree as a whole), sharing one event."""
    with riwayat_peristiwa():
        ends = [
            (silang.pengirim_dinas_id, KELUAR, silang.pengirim_kunci, silang.pengirim_kode),
            (silang.penerima_dinas_id, MASUK, silang.penerima_kunci, silang.penerima_kode),
        ]
        for dinas_id, arah, kunci, kode in ends:
            pohon = pohon_latest_of(dinas_id, silang.tahun)
            if pohon is None:
                continue
            sesudah = {"silang": label, "mitra": _mitra(silang, arah)}
            if catatan:
                sesudah["catatan"] = catatan
            riwayat_record(
                pohon=pohon, aksi=NodeRiwayat.Aksi.SILANG, user=user, kunci=kunci, kode=kode or "", sesudah=sesudah
            )


@transaction.atomic
def silang_request(
    *, node: Node, penerima_unit: UnitKerja, catatan: str, user=None, at: datetime.datetime | None = None
) -> Silang:
    """The sender asks ``penerima_unit`` (of its own agency or another of the same Pemda) to
    support ``node`` (a Sasaran, Program or Kegiatan), with a note."""
    pohon = _latest_locked(node.pohon.dinas_id, node.pohon.tahun, nama=node.pohon.dinas.nama)
    node = _in_latest(pohon, node.kunci)
    if user is not None and not user_can_request(user, pohon, node):
        raise PermissionDenied(_("Anda tidak berhak meminta crosscutting untuk butir ini."))
    if node.jenis not in SILANG_KINDS:
        raise ValidationError(_("Crosscutting hanya untuk Sasaran, Program dan Kegiatan."))
    if not catatan.strip():
        raise ValidationError({"catatan": _("Tuliskan catatan: dukungan apa yang diminta.")})
    penerima_dinas = penerima_unit.dinas
    if penerima_dinas.pemda_id != pohon.dinas.pemda_id:
        raise ValidationError(
            {"penerima_unit": _("Crosscutting hanya dengan Perangkat Daerah dari Pemerintah Daerah yang sama.")}
        )
    if pohon_latest_of(penerima_dinas.pk, pohon.tahun) is None:
        raise ValidationError(
            {
                "penerima_unit": _("%(dinas)s belum memiliki pohon kinerja tahun %(tahun)s.")
                % {"dinas": penerima_dinas.nama, "tahun": pohon.tahun}
            }
        )
    if Silang.objects.filter(
        tahun=pohon.tahun,
        pengirim_dinas=pohon.dinas,
        pengirim_kunci=node.kunci,
        penerima_unit=penerima_unit,
        status__in=Silang.STANDING,
    ).exists():
        raise ValidationError(
            {"penerima_unit": _("Butir ini sudah memiliki crosscutting dengan %(unit)s.") % {"unit": penerima_unit}}
        )
    silang = Silang(
        tahun=pohon.tahun,
        pengirim_dinas=pohon.dinas,
        pengirim_unit=_node_unit(node),
        pengirim_kunci=node.kunci,
        pengirim_kode=node.kode,
        pengirim_uraian=node.uraian,
        penerima_dinas=penerima_dinas,
        penerima_unit=penerima_unit,
    )
    request_open(silang, catatan=catatan, user=user, at=at)
    _record(silang, user=user, label=_("Diminta (menunggu)"), catatan=silang.catatan)
    return silang


def _lock(silang: Silang) -> Silang:
    # Only the link's own row: PostgreSQL cannot lock the nullable side of the unit's outer join.
    return (
        Silang.objects.select_for_update(of=("self",))
        .select_related("pengirim_dinas", "pengirim_unit", "penerima_dinas", "penerima_unit")
        .get(pk=silang.pk)
    )


@transaction.atomic
def silang_accept(
    *,
    silang: Silang,
    user=None,
    node: Node | None = None,
    parent: Node | None = None,
    jenis: str = "",
    uraian: str = "",
    pagu: Decimal | None = None,
    at: datetime.datetime | None = None,
) -> Silang:
    """The receiver accepts: links ``node`` (a node of its newest revision), or creates a new node
    of ``jenis`` under ``parent`` through ``node_create`` (the rule table and the branch rights
    decide, as for any new node; the tree must be editable)."""
    pohon = _latest_locked(silang.penerima_dinas_id, silang.tahun, nama=silang.penerima_dinas.nama)
    silang = _lock(silang)
    request_ensure_waiting(silang, _("Permintaan ini sudah %(status)s; tidak dapat dijawab lagi."))
    if user is not None and not user_can_answer(user, silang):
        raise PermissionDenied(_("Anda tidak berhak menjawab permintaan crosscutting ini."))
    if node is not None:
        if node.pohon_id != pohon.pk:
            node = _in_latest(pohon, node.kunci) if node.pohon.dinas_id == pohon.dinas_id else None
            if node is None:
                raise ValidationError({"node": _("Pilih butir dari pohon Perangkat Daerah penerima.")})
        if node.jenis not in PENERIMA_KINDS:
            raise ValidationError({"node": _("Yang ditautkan harus Sasaran, Program, Kegiatan atau Sub Kegiatan.")})
        if node.kunci == silang.pengirim_kunci:
            raise ValidationError({"node": _("Butir tidak dapat mendukung dirinya sendiri.")})
    elif parent is not None or jenis:
        node = answer_node_create(
            pohon=pohon,
            parent=parent,
            jenis=jenis,
            uraian=uraian,
            kinds=PENERIMA_KINDS,
            kinds_message=_("Pilih jenis butir baru: Sasaran, Program, Kegiatan atau Sub Kegiatan."),
            parent_message=_("Induk harus berada di pohon terbaru Perangkat Daerah penerima."),
            refused_message=_(
                "Anda tidak berhak menambah butir di bawah induk ini. Pilih induk di cabang unit Anda, "
                "atau tautkan butir yang sudah ada."
            ),
            unit=silang.penerima_unit,
            pagu=pagu,
            user=user,
        )
    else:
        raise ValidationError(_("Pilih butir yang ada, atau induk untuk butir baru."))
    silang.penerima_kunci = node.kunci
    silang.penerima_kode = node.kode
    silang.penerima_uraian = node.uraian
    request_close(silang, status=Status.DISETUJUI, user=user, at=at, alasan=silang.alasan)
    _record(silang, user=user, label=_("Disetujui"))
    return silang


@transaction.atomic
def silang_refuse(*, silang: Silang, alasan: str, user=None, at: datetime.datetime | None = None) -> Silang:
    """The receiver refuses, with a reason."""
    silang = _lock(silang)
    request_ensure_waiting(silang, _("Permintaan ini sudah %(status)s; tidak dapat dijawab lagi."))
    if user is not None and not user_can_answer(user, silang):
        raise PermissionDenied(_("Anda tidak berhak menjawab permintaan crosscutting ini."))
    if not alasan.strip():
        raise ValidationError({"alasan": _("Tuliskan alasan penolakan.")})
    request_close(silang, status=Status.DITOLAK, user=user, at=at, alasan=alasan)
    _record(silang, user=user, label=_("Ditolak"), catatan=silang.alasan)
    return silang


@transaction.atomic
def silang_withdraw(*, silang: Silang, user=None, alasan: str = "", at: datetime.datetime | None = None) -> Silang:
    """Either side withdraws a standing link (waiting or accepted): its nodes may then be deleted."""
    silang = _lock(silang)
    if not silang.is_standing:
        raise ValidationError(_("Crosscutting ini sudah %(status)s.") % {"status": silang.get_status_display().lower()})
    if user is not None and not user_can_withdraw(user, silang):
        raise PermissionDenied(_("Anda tidak berhak menarik crosscutting ini."))
    request_close(silang, status=Status.DITARIK, user=user, at=at, alasan=alasan)
    _record(silang, user=user, label=_("Ditarik"), catatan=silang.alasan)
    return silang


def silang_freeze(*, pengesahan: Pengesahan) -> SilangLampiran:
    """Freeze the annex of an approved revision with its approval (called by ``pohon_approve``
    inside its transaction, before the documents are rendered): the signed cascade marks these
    nodes and prints these rows, whatever happens to the links afterwards."""
    rows = silang_rows(pohon_tree(pengesahan.pohon))
    lampiran = SilangLampiran(pengesahan=pengesahan, baris=[row.__dict__ for row in rows])
    lampiran.full_clean(exclude=["pengesahan"])
    lampiran.save()
    return lampiran
