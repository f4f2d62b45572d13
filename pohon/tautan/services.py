"""Writes of the links to the Pemda. Each checks the right (``pohon.tautan.permissions``), executes,
then records in the history of both trees (their newest revisions) as one event.

The services lock the newest revisions of the trees whose nodes they name (``pohon_lock``, the lock
node deletion takes), the Pemda tree first, then the agency's, so a node cannot be deleted between
the check that it exists and the link that then protects it.
"""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dinas.models import PerangkatDaerah
from pohon.history import riwayat_peristiwa, riwayat_record
from pohon.models import Node, NodeRiwayat, Pohon
from pohon.pemda.selectors import pemda_pohon_for_tahun
from pohon.services import pohon_lock
from pohon.silang.selectors import pohon_latest_of
from pohon.silang.services import (
    _in_latest,
    _node_unit,
    answer_node_create,
    request_close,
    request_ensure_waiting,
    request_open,
)
from pohon.tautan.models import TautanPemda
from pohon.tautan.permissions import (
    DINAS_KINDS,
    PEMDA_KINDS,
    user_can_answer,
    user_can_propose,
    user_can_send,
    user_can_withdraw,
)

Status, Arah = TautanPemda.Status, TautanPemda.Arah


def _pemda_latest(pemda_dinas_id: int, pemda_tahun: int) -> Pohon | None:
    return pohon_latest_of(pemda_dinas_id, pemda_tahun)


def _record(tautan: TautanPemda, *, user, label: str, catatan: str = "") -> None:
    """One entry in the agency tree's history (its node, or the tree while none is linked) and one
    in the Pemda tree's (its node), sharing one event."""
    pemda_mitra = f"{tautan.pemda_kode} {tautan.pemda_uraian}".strip() + " (" + _("Pemda") + ")"
    dinas_mitra = f"{tautan.dinas.nama}: {tautan.dinas_kode} {tautan.dinas_uraian}".strip().rstrip(":")
    ends = [
        (tautan.dinas_id, tautan.tahun, tautan.dinas_kunci, tautan.dinas_kode, pemda_mitra),
        (tautan.pemda_dinas_id, tautan.pemda_tahun, tautan.pemda_kunci, tautan.pemda_kode, dinas_mitra),
    ]
    with riwayat_peristiwa():
        for dinas_id, tahun, kunci, kode, mitra in ends:
            pohon = pohon_latest_of(dinas_id, tahun)
            if pohon is None:
                continue
            sesudah = {"tautan": label, "mitra": mitra}
            if catatan:
                sesudah["catatan"] = catatan
            riwayat_record(
                pohon=pohon, aksi=NodeRiwayat.Aksi.TAUTAN, user=user, kunci=kunci, kode=kode or "", sesudah=sesudah
            )


def _pemda_end(pohon_pemda: Pohon, kunci: uuid.UUID) -> tuple[Pohon, Node]:
    pohon_pemda = pohon_lock(_pemda_latest(pohon_pemda.dinas_id, pohon_pemda.tahun) or pohon_pemda)
    node = _in_latest(pohon_pemda, kunci)
    if node.jenis not in PEMDA_KINDS:
        raise ValidationError({"pemda_node": _("Tautan hanya ke Sasaran Pemda, Tematik atau Sub Tematik.")})
    return pohon_pemda, node


def _pemda_end_fields(pohon_pemda: Pohon, pemda_node: Node) -> dict:
    """A link's Pemda end: the Pemda, its tree's owner and period, and the node's key with its
    kode, uraian and kind as they are when the link is made."""
    return {
        "pemda_id": pohon_pemda.dinas.pemda_id,
        "pemda_dinas": pohon_pemda.dinas,
        "pemda_tahun": pohon_pemda.tahun,
        "pemda_kunci": pemda_node.kunci,
        "pemda_kode": pemda_node.kode,
        "pemda_uraian": pemda_node.uraian,
        "pemda_jenis": pemda_node.jenis,
    }


def _agency_tree(dinas: PerangkatDaerah, tahun: int) -> Pohon:
    pohon = pohon_latest_of(dinas.pk, tahun)
    if pohon is None:
        raise ValidationError(
            {
                "dinas": _("%(dinas)s belum memiliki pohon kinerja tahun %(tahun)s.")
                % {"dinas": dinas.nama, "tahun": tahun}
            }
        )
    return pohon_lock(pohon)


def _check_period(pohon_pemda: Pohon, tahun: int) -> None:
    if not (pohon_pemda.tahun <= tahun <= (pohon_pemda.tahun_akhir or pohon_pemda.tahun)):
        raise ValidationError(
            _("Tahun %(tahun)s tidak berada dalam periode RPJMD %(periode)s.")
            % {"tahun": tahun, "periode": pohon_pemda.periode_display}
        )


def _ensure_no_duplicate(*, dinas_id: int, tahun: int, dinas_kunci, pemda_pohon: Pohon, pemda_kunci) -> None:
    standing = TautanPemda.objects.filter(
        dinas_id=dinas_id,
        tahun=tahun,
        pemda_dinas_id=pemda_pohon.dinas_id,
        pemda_tahun=pemda_pohon.tahun,
        pemda_kunci=pemda_kunci,
        status__in=TautanPemda.STANDING,
    )
    if dinas_kunci is not None:
        standing = standing.filter(dinas_kunci=dinas_kunci)
    else:
        standing = standing.filter(dinas_kunci__isnull=True)
    if standing.exists():
        raise ValidationError(_("Tautan ini sudah ada (menunggu atau disetujui)."))


@transaction.atomic
def tautan_propose(
    *, node: Node, pemda_node: Node, catatan: str = "", user=None, at: datetime.datetime | None = None
) -> TautanPemda:
    """The agency proposes that ``node`` (its Tujuan/Sasaran) supports ``pemda_node`` (a Sasaran
    Pemda, Tematik or Sub Tematik of the Pemda tree covering its year); Bappeda answers."""
    agency = node.pohon.dinas
    pohon_pemda = pemda_pohon_for_tahun(agency.pemda, node.pohon.tahun)
    if pohon_pemda is None or pohon_pemda.dinas_id != pemda_node.pohon.dinas_id:
        raise ValidationError(
            {"pemda_node": _("Pilih butir dari pohon kinerja Pemda yang periodenya mencakup tahun %(tahun)s.")
             % {"tahun": node.pohon.tahun}}
        )  # fmt: skip
    if pemda_node.pohon.tahun != pohon_pemda.tahun:
        raise ValidationError({"pemda_node": _("Butir Pemda ini dari periode RPJMD lain.")})
    pohon_pemda, pemda_node = _pemda_end(pohon_pemda, pemda_node.kunci)
    pohon = _agency_tree(agency, node.pohon.tahun)
    node = _in_latest(pohon, node.kunci)
    if node.jenis not in DINAS_KINDS:
        raise ValidationError(_("Yang ditautkan ke Pemda hanya Tujuan atau Sasaran Perangkat Daerah."))
    if user is not None and not user_can_propose(user, pohon, node):
        raise PermissionDenied(_("Anda tidak berhak mengusulkan tautan untuk butir ini."))
    _ensure_no_duplicate(
        dinas_id=agency.pk,
        tahun=pohon.tahun,
        dinas_kunci=node.kunci,
        pemda_pohon=pohon_pemda,
        pemda_kunci=pemda_node.kunci,
    )
    tautan = TautanPemda(
        **_pemda_end_fields(pohon_pemda, pemda_node),
        dinas=agency,
        tahun=pohon.tahun,
        dinas_kunci=node.kunci,
        dinas_kode=node.kode,
        dinas_uraian=node.uraian,
        dinas_jenis=node.jenis,
        dinas_unit=_node_unit(node),
        arah=Arah.USULAN,
    )
    request_open(tautan, catatan=catatan, user=user, at=at)
    _record(tautan, user=user, label=_("Diusulkan (menunggu persetujuan Bappeda)"), catatan=tautan.catatan)
    return tautan


@transaction.atomic
def tautan_send(
    *,
    pemda_node: Node,
    dinas: PerangkatDaerah,
    tahun: int,
    catatan: str = "",
    user=None,
    at: datetime.datetime | None = None,
) -> TautanPemda:
    """Bappeda sends ``pemda_node`` to an agency of its Pemda for its tree of ``tahun`` (a year of
    the period); the agency accepts (linking or creating a Tujuan/Sasaran) or refuses."""
    pohon_pemda, pemda_node = _pemda_end(pemda_node.pohon, pemda_node.kunci)
    if user is not None and not user_can_send(user, pohon_pemda, pemda_node):
        raise PermissionDenied(_("Hanya Bappeda Pemda ini yang dapat mengirim butir Pemda."))
    if dinas.is_pemda or dinas.pemda_id != pohon_pemda.dinas.pemda_id:
        raise ValidationError({"dinas": _("Pilih Perangkat Daerah dari Pemerintah Daerah ini.")})
    _check_period(pohon_pemda, tahun)
    _agency_tree(dinas, tahun)
    _ensure_no_duplicate(
        dinas_id=dinas.pk, tahun=tahun, dinas_kunci=None, pemda_pohon=pohon_pemda, pemda_kunci=pemda_node.kunci
    )
    tautan = TautanPemda(
        **_pemda_end_fields(pohon_pemda, pemda_node),
        dinas=dinas,
        tahun=tahun,
        arah=Arah.KIRIMAN,
    )
    request_open(tautan, catatan=catatan, user=user, at=at)
    _record(tautan, user=user, label=_("Dikirim Bappeda (menunggu jawaban)"), catatan=tautan.catatan)
    return tautan


def _lock(tautan: TautanPemda) -> TautanPemda:
    return (
        TautanPemda.objects.select_for_update(of=("self",))
        .select_related("pemda", "pemda_dinas", "dinas", "dinas_unit")
        .get(pk=tautan.pk)
    )


def _ensure_waiting(tautan: TautanPemda) -> None:
    request_ensure_waiting(tautan, _("Tautan ini sudah %(status)s; tidak dapat dijawab lagi."))


@transaction.atomic
def tautan_accept(
    *,
    tautan: TautanPemda,
    user=None,
    node: Node | None = None,
    parent: Node | None = None,
    jenis: str = "",
    uraian: str = "",
    at: datetime.datetime | None = None,
) -> TautanPemda:
    """Accept a waiting link. A proposal (Bappeda approves) takes no node. A link Bappeda sent (the
    agency accepts) links ``node`` (a Tujuan/Sasaran of the agency's newest revision), or a new
    node of ``jenis`` under ``parent`` created through ``node_create`` (the rule table and the
    branch rights decide, as for any new node; the tree must be editable)."""
    tautan = _lock(tautan)
    pohon_pemda = _pemda_latest(tautan.pemda_dinas_id, tautan.pemda_tahun)
    if pohon_pemda is not None:
        pohon_lock(pohon_pemda)
    pohon = _agency_tree(tautan.dinas, tautan.tahun)
    _ensure_waiting(tautan)
    if user is not None and not user_can_answer(user, tautan):
        raise PermissionDenied(_("Anda tidak berhak menjawab tautan ini."))
    if pohon_pemda is None or not Node.objects.filter(pohon=pohon_pemda, kunci=tautan.pemda_kunci).exists():
        raise ValidationError(_("Butir Pemda tautan ini sudah tidak ada di pohon kinerja Pemda."))
    if tautan.arah == Arah.USULAN:
        node = _in_latest(pohon, tautan.dinas_kunci)
    elif node is not None:
        if node.pohon_id != pohon.pk:
            node = _in_latest(pohon, node.kunci) if node.pohon.dinas_id == pohon.dinas_id else None
            if node is None:
                raise ValidationError({"node": _("Pilih butir dari pohon Perangkat Daerah ini.")})
        if node.jenis not in DINAS_KINDS:
            raise ValidationError({"node": _("Yang ditautkan harus Tujuan atau Sasaran.")})
    elif parent is not None or jenis:
        node = answer_node_create(
            pohon=pohon,
            parent=parent,
            jenis=jenis,
            uraian=uraian,
            kinds=DINAS_KINDS,
            kinds_message=_("Pilih jenis butir baru: Tujuan atau Sasaran."),
            parent_message=_("Induk harus berada di pohon terbaru Perangkat Daerah ini."),
            refused_message=_(
                "Anda tidak berhak menambah butir di bawah induk ini. Tautkan butir yang sudah ada, "
                "atau minta admin atau operator unit itu membuat butirnya terlebih dahulu."
            ),
            unit=None if parent is None or parent.is_root else parent.unit,
            user=user,
        )
    else:
        raise ValidationError(_("Pilih butir yang ada, atau induk untuk butir baru."))
    if tautan.arah == Arah.KIRIMAN:
        _ensure_no_duplicate(
            dinas_id=tautan.dinas_id,
            tahun=tautan.tahun,
            dinas_kunci=node.kunci,
            pemda_pohon=pohon_pemda,
            pemda_kunci=tautan.pemda_kunci,
        )
    tautan.dinas_kunci = node.kunci
    tautan.dinas_kode = node.kode
    tautan.dinas_uraian = node.uraian
    tautan.dinas_jenis = node.jenis
    if tautan.dinas_unit_id is None:
        tautan.dinas_unit = _node_unit(node)
    request_close(tautan, status=Status.DISETUJUI, user=user, at=at, alasan=tautan.alasan)
    _record(tautan, user=user, label=_("Disetujui"))
    return tautan


@transaction.atomic
def tautan_refuse(*, tautan: TautanPemda, alasan: str, user=None, at: datetime.datetime | None = None) -> TautanPemda:
    """The answering side refuses, with a reason."""
    tautan = _lock(tautan)
    _ensure_waiting(tautan)
    if user is not None and not user_can_answer(user, tautan):
        raise PermissionDenied(_("Anda tidak berhak menjawab tautan ini."))
    if not alasan.strip():
        raise ValidationError({"alasan": _("Tuliskan alasan penolakan.")})
    request_close(tautan, status=Status.DITOLAK, user=user, at=at, alasan=alasan)
    _record(tautan, user=user, label=_("Ditolak"), catatan=tautan.alasan)
    return tautan


@transaction.atomic
def tautan_withdraw(
    *, tautan: TautanPemda, user=None, alasan: str = "", at: datetime.datetime | None = None
) -> TautanPemda:
    """Either side withdraws a standing link (waiting or accepted): its nodes may then be deleted."""
    tautan = _lock(tautan)
    if not tautan.is_standing:
        raise ValidationError(_("Tautan ini sudah %(status)s.") % {"status": tautan.get_status_display().lower()})
    if user is not None and not user_can_withdraw(user, tautan):
        raise PermissionDenied(_("Anda tidak berhak menarik tautan ini."))
    request_close(tautan, status=Status.DITARIK, user=user, at=at, alasan=alasan)
    _record(tautan, user=user, label=_("Ditarik"), catatan=tautan.alasan)
    return tautan
