"""Reads of crosscutting: the chart's and the PDF's marks (one query per page), the annex rows,
the inbox of an agency and year, the findings of the checks, and the guard node deletion asks."""

import datetime
import functools
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dinas.models import PerangkatDaerah
from pohon import rules
from pohon.models import Node, Pengesahan, Pohon
from pohon.selectors import PohonTree
from pohon.silang.models import MENUNGGU_BATAS, Silang

Status = Silang.Status
KELUAR, MASUK = "keluar", "masuk"  # the node asks (is the sender's) / supports (is the receiver's)


def pohon_latest_of(dinas_id: int, tahun: int) -> Pohon | None:
    return Pohon.objects.filter(dinas_id=dinas_id, tahun=tahun).select_related("dinas").order_by("-revisi").first()


_NIL = uuid.UUID(int=0)


def node_url(dinas_kode: str, tahun: int, kunci: uuid.UUID | str | None) -> str:
    """The lasting address of a node: its agency, year and kunci (``SilangNodeView`` finds it in the
    newest revision and opens the chart there). One ``reverse`` per agency and year, not per link."""
    if not kunci:
        return ""
    return _node_url_pattern(dinas_kode, tahun).replace(str(_NIL), str(kunci))


@functools.lru_cache(maxsize=256)
def _node_url_pattern(dinas_kode: str, tahun: int) -> str:
    return reverse("pohon:silang_butir", args=[dinas_kode, tahun, _NIL])


def _mitra(silang: Silang, arah: str) -> str:
    """The partner as the other side sees it: its unit, and its agency when that is another one."""
    if arah == KELUAR:
        dinas, unit = silang.penerima_dinas, silang.penerima_unit
    else:
        dinas, unit = silang.pengirim_dinas, silang.pengirim_unit
    same = silang.pengirim_dinas_id == silang.penerima_dinas_id
    unit_nama = unit.nama if unit is not None else ""
    if same:
        return unit_nama or dinas.nama
    return f"{unit_nama}, {dinas.nama}" if unit_nama else dinas.nama


@dataclass(frozen=True)
class SilangMark:
    """One link of a crosscut node as chart and PDF print it."""

    nomor: int  # its row in the annex
    arah: str  # KELUAR or MASUK
    status: str
    status_label: str
    mitra: str
    mitra_url: str  # the partner's node (empty while the request waits: no node yet)


@dataclass(frozen=True)
class SilangBaris:
    """One row of the annex: the node of this tree, the partner, the partner's node, the state.
    Frozen into ``SilangLampiran.baris`` as a dict at approval."""

    nomor: int
    kunci: str
    kode: str
    uraian: str
    arah: str
    arah_label: str
    mitra: str
    mitra_butir: str
    mitra_url: str
    status: str
    status_label: str
    node_pk: int = 0  # the node in the tree read (not meaningful once frozen: the kunci is)


def _standing_for(dinas_id: int, tahun: int) -> QuerySet[Silang]:
    return (
        Silang.objects.filter(tahun=tahun, status__in=Silang.STANDING)
        .filter(Q(pengirim_dinas_id=dinas_id) | Q(penerima_dinas_id=dinas_id))
        .select_related("pengirim_dinas", "pengirim_unit", "penerima_dinas", "penerima_unit")
        .order_by("diminta_pada", "id")
    )


def silang_rows(tree: PohonTree) -> list[SilangBaris]:
    """The standing links of the tree's agency and year whose node is in ``tree``, in tree order:
    one query, which also finds each end's node in this tree by its kunci (two correlated
    subqueries on the (pohon, kunci) unique index), so the tree's own read needs no kunci. A link
    within one agency gives two rows (both its nodes are in the tree)."""
    pohon = tree.pohon
    here = Node.objects.filter(pohon_id=pohon.pk)
    links = _standing_for(pohon.dinas_id, pohon.tahun).annotate(
        pengirim_pk=Subquery(here.filter(kunci=OuterRef("pengirim_kunci")).values("pk")[:1]),
        penerima_pk=Subquery(here.filter(kunci=OuterRef("penerima_kunci")).values("pk")[:1]),
    )
    found: list[tuple[int, int, SilangBaris]] = []
    # Translated once, not once per link.
    labels = {KELUAR: _("Meminta dukungan"), MASUK: _("Mendukung"), "": _("(belum dijawab)")}
    status_labels = {value: str(label) for value, label in Status.choices}
    for silang in links:
        ends = []
        if silang.pengirim_dinas_id == pohon.dinas_id:
            ends.append((KELUAR, silang.pengirim_kunci, silang.pengirim_pk))
        if silang.penerima_dinas_id == pohon.dinas_id and silang.penerima_kunci is not None:
            ends.append((MASUK, silang.penerima_kunci, silang.penerima_pk))
        for arah, kunci, pk in ends:
            node = tree.by_id.get(pk) if pk is not None else None
            if node is None:
                continue  # not in this tree (or not in the part of it read)
            if arah == KELUAR:
                mitra_kode, mitra_uraian = silang.penerima_kode, silang.penerima_uraian
                mitra_url = node_url(silang.penerima_dinas.kode, silang.tahun, silang.penerima_kunci)
            else:
                mitra_kode, mitra_uraian = silang.pengirim_kode, silang.pengirim_uraian
                mitra_url = node_url(silang.pengirim_dinas.kode, silang.tahun, silang.pengirim_kunci)
            mitra_butir = f"{mitra_kode} {mitra_uraian}".strip() if silang.penerima_kunci else labels[""]
            row = SilangBaris(
                nomor=0,
                kunci=str(kunci),
                kode=node.kode,
                uraian=node.uraian,
                arah=arah,
                arah_label=labels[arah],
                mitra=_mitra(silang, arah),
                mitra_butir=mitra_butir,
                mitra_url=mitra_url,
                status=silang.status,
                status_label=status_labels[silang.status],
                node_pk=node.pk,
            )
            found.append((node.lft, silang.pk, row))
    found.sort(key=lambda item: (item[0], item[1]))
    return [SilangBaris(**{**row.__dict__, "nomor": number}) for number, (_o, _p, row) in enumerate(found, start=1)]


def silang_marks(rows: list[SilangBaris] | list[dict], pk_of: dict[str, int]) -> dict[int, list[SilangMark]]:
    """The annex rows (live ``SilangBaris`` or frozen dicts) as marks per node pk (``pk_of``: a
    row's kunci -> the node's pk in the tree printed)."""
    marks: dict[int, list[SilangMark]] = {}
    for row in rows:
        data = row if isinstance(row, dict) else row.__dict__
        pk = pk_of.get(data["kunci"])
        if pk is None:
            continue
        marks.setdefault(pk, []).append(
            SilangMark(
                nomor=data["nomor"],
                arah=data["arah"],
                status=data["status"],
                status_label=data["status_label"],
                mitra=data["mitra"],
                mitra_url=data["mitra_url"],
            )
        )
    return marks


def tree_with_silang(tree: PohonTree) -> list[SilangBaris]:
    """Mark ``tree``'s crosscut nodes (``tree.silang``) from the live links; returns the rows."""
    rows = silang_rows(tree)
    tree.silang = silang_marks(rows, {row.kunci: row.node_pk for row in rows})
    return rows


def tree_with_frozen_silang(tree: PohonTree, pengesahan: Pengesahan) -> list[dict]:
    """Mark ``tree`` (an approved revision) from the annex its approval froze; returns the rows.
    One query finds the frozen kunci's nodes."""
    rows = silang_frozen_rows(pengesahan)
    if rows:
        kuncis = [uuid.UUID(row["kunci"]) for row in rows]
        found = Node.objects.filter(pohon_id=tree.pohon.pk, kunci__in=kuncis).values_list("kunci", "pk")
        tree.silang = silang_marks(rows, {str(kunci): pk for kunci, pk in found})
    return rows


def silang_frozen_rows(pengesahan: Pengesahan) -> list[dict]:
    """The annex an approval froze; [] for an approval made before crosscutting existed (its
    signed document printed none)."""
    lampiran = getattr(pengesahan, "silang_lampiran", None)
    return list(lampiran.baris) if lampiran is not None else []


# --- the inbox and the findings ------------------------------------------------------------------


@dataclass
class SilangInbox:
    masuk: list[Silang]
    keluar: list[Silang]
    terlambat: list[Silang]  # waiting longer than MENUNGGU_BATAS, either way
    ditolak: list[Silang]  # refused, either way


def silang_for_dinas(dinas: PerangkatDaerah, tahun: int) -> QuerySet[Silang]:
    return (
        Silang.objects.filter(tahun=tahun)
        .filter(Q(pengirim_dinas=dinas) | Q(penerima_dinas=dinas))
        .select_related("pengirim_dinas", "pengirim_unit", "penerima_dinas", "penerima_unit")
    )


def silang_inbox(dinas: PerangkatDaerah, tahun: int, *, now: datetime.datetime | None = None) -> SilangInbox:
    """Every link of the agency and year, newest first, in one query; a link within the agency is
    both incoming and outgoing."""
    now = now or timezone.now()
    links = list(silang_for_dinas(dinas, tahun).order_by("-diminta_pada", "-id"))
    return SilangInbox(
        masuk=[s for s in links if s.penerima_dinas_id == dinas.pk],
        keluar=[s for s in links if s.pengirim_dinas_id == dinas.pk],
        terlambat=[s for s in links if s.status == Status.MENUNGGU and now - s.diminta_pada > MENUNGGU_BATAS],
        ditolak=[s for s in links if s.status == Status.DITOLAK],
    )


def silang_get(*, dinas: PerangkatDaerah, tahun: int, pk: int) -> Silang | None:
    """A link of the agency and year (either side), or None: another agency's link is not found."""
    return silang_for_dinas(dinas, tahun).filter(pk=pk).first()


# --- the deletion guard ----------------------------------------------------------------------


def silang_deletion_refusal(*, pohon: Pohon, kunci_kode: dict[uuid.UUID, str]) -> None:
    """Raise a ValidationError naming the partner when a node about to be deleted (``kunci_kode``:
    the kunci and kode of the node and everything below it) has a standing crosscutting link (any
    revision of the year: links name the node, not the row), or a standing link to the Pemda
    (``pohon.tautan``: an agency's Tujuan/Sasaran, or a Sasaran Pemda/Tematik). The one rule node
    deletion asks."""
    from pohon.tautan.selectors import tautan_deletion_refusal  # the links to the Pemda, same rule

    tautan_deletion_refusal(pohon=pohon, kunci_kode=kunci_kode)
    # The agency's standing links of the year are few and the subtree may be the whole tree:
    # its keys are matched here, not sent as an IN list of up to 10,000 keys.
    dinas_id = pohon.dinas_id
    links = [
        silang
        for silang in _standing_for(dinas_id, pohon.tahun)
        if (silang.pengirim_dinas_id == dinas_id and silang.pengirim_kunci in kunci_kode)
        or (silang.penerima_dinas_id == dinas_id and silang.penerima_kunci in kunci_kode)
    ][:5]
    if not links:
        return
    parts = []
    for silang in links:
        own_is_sender = silang.pengirim_dinas_id == pohon.dinas_id and silang.pengirim_kunci in kunci_kode
        arah = KELUAR if own_is_sender else MASUK
        kunci = silang.pengirim_kunci if own_is_sender else silang.penerima_kunci
        parts.append(
            _("%(kode)s dengan %(mitra)s (%(status)s)")
            % {"kode": kunci_kode.get(kunci, ""), "mitra": _mitra(silang, arah), "status": silang.get_status_display()}
        )
    raise ValidationError(
        _(
            "Butir tidak dapat dihapus karena masih tertaut crosscutting: %(daftar)s. "
            "Tarik crosscutting itu terlebih dahulu di halaman Crosscutting."
        )
        % {"daftar": "; ".join(parts)},
        code="silang",
    )


# --- the node panel ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelLink:
    arah_label: str
    mitra: str
    mitra_url: str
    status: str
    status_label: str
    catatan: str


def silang_panel(user, node: Node) -> dict:
    """What the chart's panel of ``node`` shows of crosscutting: its links (one query) and, for
    who may ask, the address of "Minta dukungan (crosscutting)"."""
    from pohon.silang.permissions import SILANG_KINDS, user_can_request

    if node.is_root or node.jenis not in SILANG_KINDS | {rules.SUB_KEGIATAN}:
        return {"silang_links": [], "silang_minta_url": ""}
    pohon = node.pohon
    links = []
    for silang in (
        silang_for_dinas(pohon.dinas, pohon.tahun)
        .filter(
            Q(pengirim_dinas=pohon.dinas, pengirim_kunci=node.kunci)
            | Q(penerima_dinas=pohon.dinas, penerima_kunci=node.kunci)
        )
        .order_by("diminta_pada", "id")
    ):
        arah = KELUAR if silang.pengirim_dinas_id == pohon.dinas_id and silang.pengirim_kunci == node.kunci else MASUK
        if arah == KELUAR:
            url = node_url(silang.penerima_dinas.kode, silang.tahun, silang.penerima_kunci)
        else:
            url = node_url(silang.pengirim_dinas.kode, silang.tahun, silang.pengirim_kunci)
        links.append(
            PanelLink(
                arah_label=_("Meminta dukungan") if arah == KELUAR else _("Mendukung"),
                mitra=_mitra(silang, arah),
                mitra_url=url,
                status=silang.status,
                status_label=silang.get_status_display(),
                catatan=silang.alasan if silang.status == Status.DITOLAK else silang.catatan,
            )
        )
    may = user_can_request(user, pohon, node)
    return {
        "silang_links": links,
        "silang_minta_url": reverse("pohon:silang_minta", args=[pohon.dinas.kode, pohon.tahun, node.pk]) if may else "",
        "silang_url": reverse("pohon:silang", args=[pohon.dinas.kode, pohon.tahun]),
    }
