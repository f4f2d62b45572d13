"""Writes to the performance tree. Every path that creates, changes, moves or deletes a node
(admin, import, editor, demo loader) goes through these functions.

django-mptt is not safe under concurrent writes, so each write first locks the tree's own
``Pohon`` row (``select_for_update``) and re-reads the node's tree fields under that lock.
On SQLite the connection runs IMMEDIATE transactions, which serialise writers the same way.
"""

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from dinas.models import PerangkatDaerah, UnitKerja
from pohon import rules
from pohon.history import (
    butir_list,
    node_place,
    node_snapshot,
    riwayat_record,
    snapshot_names,
    snapshot_target_fields,
    snapshot_value,
    subtree_rows,
)
from pohon.models import Node, NodeRiwayat, Pohon, TargetTahunan
from pohon.permissions import authorize_branch_edit
from pohon.silang.selectors import silang_deletion_refusal
from pohon.targets import arah_default

Position = Literal["first-child", "last-child", "left", "right"]
POSITIONS: tuple[str, ...] = ("first-child", "last-child", "left", "right")

KODE_PREFIX = {
    rules.TUJUAN: "TUJ",
    rules.SASARAN: "SAS",
    rules.BIDANG: "BID",
    rules.SEKSI: "SKS",
    rules.PROGRAM: "PRG",
    rules.KEGIATAN: "KEG",
    rules.SUB_KEGIATAN: "SUB",
    rules.INDIKATOR: "IND",
    rules.VISI: "VIS",
    rules.MISI: "MIS",
    rules.TUJUAN_PEMDA: "TJP",
    rules.SASARAN_PEMDA: "SSP",
    rules.TEMATIK: "TEM",
    rules.SUB_TEMATIK: "STM",
}

# Any fixed number serves; it names the lock that serialises tree_id allocation on PostgreSQL.
_TREE_ID_LOCK = 7_013_201


class NodeDeleted(ValidationError):
    """A node a change names (the node itself, its parent or the move's target) was deleted by
    someone else, typically while this change waited for the tree's lock. A ValidationError, so
    every caller that shows refusals shows this one; the editor answers it with 409 (its page is
    stale and must be reloaded) instead of re-showing a form for a node that is gone."""

    def __init__(self, kode: str = "") -> None:
        if kode:
            message = _("Butir %(kode)s sudah dihapus oleh pengguna lain; muat ulang halaman.") % {"kode": kode}
        else:
            message = _("Butir ini sudah dihapus oleh pengguna lain; muat ulang halaman.")
        super().__init__(message, code="node_deleted")


def pohon_lock(pohon: Pohon) -> Pohon:
    """Lock the tree's owning row for the rest of the transaction and return it fresh."""
    try:
        return Pohon.objects.select_for_update().select_related("dinas").get(pk=pohon.pk)
    except Pohon.DoesNotExist:
        raise ValidationError(
            _("Pohon kinerja ini sudah dihapus oleh pengguna lain; muat ulang halaman."), code="pohon_deleted"
        ) from None


def pohon_ensure_editable(pohon: Pohon) -> None:
    if not pohon.is_editable:
        raise ValidationError(
            _("Pohon %(pohon)s berstatus %(status)s dan tidak dapat diubah.")
            % {"pohon": pohon, "status": pohon.get_status_display()},
            code="pohon_frozen",
        )


def pohon_root(pohon: Pohon) -> Node:
    return Node.objects.get(pohon=pohon, jenis=rules.AKAR)


@transaction.atomic
def pohon_create(*, dinas: PerangkatDaerah, tahun: int, revisi: int = 0, tahun_akhir: int | None = None) -> Pohon:
    """Create an empty draft tree with its hidden root. A Pemda tree (``dinas`` of jenis pemda)
    needs ``tahun_akhir``, the last year of its RPJMD period."""
    pohon = Pohon(dinas=dinas, tahun=tahun, revisi=revisi, tahun_akhir=tahun_akhir)
    pohon.full_clean()
    pohon.save()
    if connection.vendor == "postgresql":
        # mptt gives a new root max(tree_id) + 1: two trees created at once must not share it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TREE_ID_LOCK])
    root = Node(pohon=pohon, jenis=rules.AKAR, kode="", uraian=f"{dinas.kode} {pohon.periode_display}")
    root.full_clean(exclude=["kode"])
    root.save()
    return pohon


def _refresh_tree_fields(node: Node) -> None:
    # After the lock, the in-memory lft/rght/tree_id may be stale (another writer moved things),
    # or the node may be gone (another writer deleted it or an ancestor, with its subtree).
    try:
        node.refresh_from_db(fields=["parent", "lft", "rght", "tree_id", "level", "versi"])
    except Node.DoesNotExist:
        raise NodeDeleted(node.kode) from None
    # mptt compares the parent with its own cached copy on save(); keep that copy fresh too, or a
    # node moved meanwhile by another writer would be "moved back" by a plain field update.
    Node._mptt_meta.update_mptt_cached_fields(node)


def node_next_kode(*, pohon: Pohon, jenis: str) -> str:
    prefix = KODE_PREFIX[jenis]
    taken = set(Node.objects.filter(pohon=pohon, kode__startswith=prefix).values_list("kode", flat=True))
    number = len(taken) + 1
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{prefix}{number:02d}"


@transaction.atomic
def node_create(
    *,
    pohon: Pohon,
    parent: Node | None,
    jenis: str,
    uraian: str,
    kode: str = "",
    unit: UnitKerja | None = None,
    pagu: Decimal | None = None,
    target_angka: Decimal | None = None,
    target_teks: str = "",
    satuan: str = "",
    arah: str = "",
    position: Position = "last-child",
    user=None,
) -> Node:
    """Add a node under ``parent`` (None: at the top of the tree), checked by the rule table.
    With ``user`` the per-unit rights are checked too (None: a system write). An Indikator's
    target is a number or a text (``pohon.targets.target_parse`` reads what people type); its
    ``arah`` defaults to naik."""
    pohon = pohon_lock(pohon)
    pohon_ensure_editable(pohon)
    if jenis == rules.AKAR or jenis not in rules.JENIS_LABELS:
        raise ValidationError({"jenis": _("Jenis %(jenis)s tidak dikenal.") % {"jenis": jenis}})
    if parent is None:
        parent = pohon_root(pohon)
    else:
        if parent.pohon_id != pohon.pk:
            raise ValidationError({"parent": _("Induk harus berada di pohon yang sama.")})
        _refresh_tree_fields(parent)
    authorize_branch_edit(user, pohon, parent)
    node = Node(
        pohon=pohon,
        parent=parent,
        jenis=jenis,
        kode=kode or node_next_kode(pohon=pohon, jenis=jenis),
        uraian=uraian.strip(),
        unit=unit,
        pagu=pagu,
        target_angka=target_angka,
        target_teks=target_teks.strip(),
        satuan=satuan.strip(),
        arah=arah_default(jenis, arah),
    )
    _node_insert(node, target=parent, position=position)
    riwayat_record(
        pohon=pohon,
        aksi=NodeRiwayat.Aksi.BUAT,
        user=user,
        node=node,
        sesudah=node_snapshot(node, parent_kode=parent.kode),
    )
    return node


def _node_insert(node: Node, *, target: Node, position: Position) -> None:
    """Validate ``node`` (its ``parent`` set) and insert it at ``position`` relative to ``target``
    (whose tree fields the caller has just read under the tree's lock): the one insert path of
    ``node_create`` and ``node_restore``."""
    node.full_clean()
    node.parent = None  # insert_node places it; mptt requires a parentless instance here
    Node.objects.insert_node(node, target, position=position, save=True)


NODE_EDITABLE_FIELDS = frozenset({"kode", "uraian", "unit", "pagu", "target_angka", "target_teks", "satuan", "arah"})


def node_ensure_current(node: Node, versi: int | None) -> None:
    """Refuse an edit made on a stale page: ``versi`` is the node's version the page showed."""
    if versi is not None and node.versi != versi:
        raise ValidationError(
            _(
                "Node %(kode)s telah diubah oleh pengguna lain sejak halaman ini dibuka. "
                "Muat ulang halaman, lalu ulangi."
            )
            % {"kode": node.kode},
            code="stale",
        )


def _node_open(node: Node, *, user, versi: int | None, root_refusal: str) -> Pohon:
    """The opening every change of an existing node shares: lock the tree, refuse a tree that is
    not editable and the hidden root (with ``root_refusal``), re-read the node's tree fields
    under the lock, check the user's right on its branch and that the page was current. Returns
    the locked tree."""
    pohon = pohon_lock(node.pohon)
    pohon_ensure_editable(pohon)
    if node.is_root:
        raise ValidationError(root_refusal)
    _refresh_tree_fields(node)
    authorize_branch_edit(user, pohon, node)
    node_ensure_current(node, versi)
    return pohon


def _bump_version(node: Node) -> None:
    # versi is no tree field: a plain UPDATE leaves django-mptt's nested sets alone.
    Node.objects.filter(pk=node.pk).update(versi=models.F("versi") + 1)
    node.versi += 1


@transaction.atomic
def node_update(*, node: Node, user=None, versi: int | None = None, **changes: object) -> Node:
    """Change a node's own fields (not its place: see ``node_move``). With ``versi``, an edit
    based on an older version of the node is refused (someone else changed it meanwhile)."""
    unknown = set(changes) - NODE_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"node_update cannot change {sorted(unknown)}")
    pohon = _node_open(node, user=user, versi=versi, root_refusal=_("Akar pohon tidak dapat diubah."))
    if "arah" in changes:
        changes["arah"] = arah_default(node.jenis, str(changes["arah"] or ""))
    recorded = snapshot_names(changes)
    before = {name: snapshot_value(node, name) for name in recorded}
    for field, value in changes.items():
        setattr(node, field, value.strip() if isinstance(value, str) else value)
    node.full_clean()
    node.versi += 1
    node.save(update_fields=[*changes.keys(), "versi"])
    after = {name: snapshot_value(node, name) for name in recorded}
    changed = [name for name in recorded if before[name] != after[name]]
    if changed:
        riwayat_record(
            pohon=pohon,
            aksi=NodeRiwayat.Aksi.UBAH,
            user=user,
            node=node,
            sebelum={field: before[field] for field in changed},
            sesudah={field: after[field] for field in changed},
        )
    return node


def node_move_target_parent(*, target: Node, position: str) -> Node | None:
    """The parent a node would get when placed at ``position`` relative to ``target``."""
    if position in ("first-child", "last-child"):
        return target
    return target.parent


@transaction.atomic
def node_move(*, node: Node, target: Node, position: str, user=None, versi: int | None = None) -> Node:
    """Move ``node`` with its subtree to ``position`` relative to ``target``, in the same tree."""
    if position not in POSITIONS:
        raise ValidationError(_("Posisi pemindahan %(position)s tidak dikenal.") % {"position": position})
    if target.pohon_id != node.pohon_id:
        raise ValidationError({"parent": _("Butir hanya dapat dipindahkan di dalam pohon yang sama.")})
    pohon = _node_open(node, user=user, versi=versi, root_refusal=_("Akar pohon tidak dapat dipindahkan."))
    _refresh_tree_fields(target)
    if target.is_root and position in ("left", "right"):
        raise ValidationError({"parent": _("Butir tidak dapat diletakkan di samping akar pohon.")})
    if target.is_descendant_of(node, include_self=True):
        raise ValidationError({"parent": _("Butir tidak dapat dipindahkan ke dalam dirinya sendiri.")})
    new_parent = node_move_target_parent(target=target, position=position)
    node.validate_parent(new_parent)
    authorize_branch_edit(user, pohon, new_parent)
    before = node_place(node)
    Node.objects.move_node(node, target, position)
    _bump_version(node)
    _refresh_tree_fields(node)
    riwayat_record(
        pohon=pohon, aksi=NodeRiwayat.Aksi.PINDAH, user=user, node=node, sebelum=before, sesudah=node_place(node)
    )
    return node


@transaction.atomic
def node_delete(*, node: Node, user=None, versi: int | None = None) -> int:
    """Delete a node and its subtree; returns how many nodes went. Refused while a node of the
    subtree has a standing crosscutting link (``silang_deletion_refusal``, the one rule)."""
    pohon = _node_open(node, user=user, versi=versi, root_refusal=_("Akar pohon tidak dapat dihapus."))
    rows = subtree_rows(node)
    silang_deletion_refusal(pohon=pohon, kunci_kode={uuid.UUID(row["kunci"]): row["kode"] for row in rows})
    place = node_place(node)
    node_id = node.pk
    node.delete()
    riwayat_record(
        pohon=pohon,
        aksi=NodeRiwayat.Aksi.HAPUS,
        user=user,
        node_id=node_id,
        kunci=node.kunci,
        kode=rows[0]["kode"],
        sebelum={**_entry_fields(rows[0]), "urutan": place["urutan"], "nodes": rows},
    )
    return len(rows)


def _entry_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The top row of a subtree snapshot as an entry's own fields: without the unit's id and the
    kunci, which the entry holds in a column of its own."""
    return {name: value for name, value in row.items() if name not in ("unit_id", "kunci")}


@transaction.atomic
def node_restore(*, riwayat: NodeRiwayat, user=None) -> Node:
    """Re-create the subtree a ``hapus`` entry deleted, under its former parent and at its former
    position among the siblings where that still exists, each node with its former kunci (so its
    history from before the deletion stays its own). Refused when the tree is not editable, the
    parent is gone, a kode is taken meanwhile, or the user may not add under that parent."""
    if riwayat.aksi != NodeRiwayat.Aksi.HAPUS or not riwayat.sebelum.get("nodes"):
        raise ValidationError(_("Hanya butir yang dihapus yang dapat dipulihkan."))
    pohon = pohon_lock(riwayat.pohon)
    pohon_ensure_editable(pohon)
    rows: list[dict[str, Any]] = riwayat.sebelum["nodes"]
    parent_kode = rows[0]["parent"]
    parent = Node.objects.filter(pohon=pohon, kode=parent_kode).first() if parent_kode else pohon_root(pohon)
    if parent is None:
        raise ValidationError(
            _("Induk %(induk)s dari butir %(kode)s sudah tidak ada; pulihkan atau buat induknya terlebih dahulu.")
            % {"induk": parent_kode, "kode": rows[0]["kode"]},
            code="parent_gone",
        )
    kuncis = [row["kunci"] for row in rows if row.get("kunci")]
    back = dict(Node.objects.filter(pohon=pohon, kunci__in=kuncis).values_list("kunci", "kode"))
    if back:  # the same node is in the tree again (restored already, re-imported): name the topmost
        kode = next(back[uuid.UUID(kunci)] for kunci in kuncis if uuid.UUID(kunci) in back)
        raise ValidationError(
            _("Butir %(kode)s sudah ada lagi di pohon ini; butir tidak dipulihkan.") % {"kode": kode},
            code="node_back",
        )
    taken = sorted(
        Node.objects.filter(pohon=pohon, kode__in=[row["kode"] for row in rows]).values_list("kode", flat=True)
    )
    if taken:
        raise ValidationError(
            _("Kode %(kode)s sudah dipakai di pohon ini; butir tidak dipulihkan.") % {"kode": ", ".join(taken)},
            code="kode_taken",
        )
    authorize_branch_edit(user, pohon, parent)

    units = {unit.pk: unit for unit in UnitKerja.objects.filter(dinas_id=pohon.dinas_id)}
    units_by_name = {unit.nama: unit for unit in units.values()}
    placed: dict[str, Node] = {parent_kode: parent}
    top: Node | None = None
    for index, row in enumerate(rows):
        under = placed[row["parent"]]
        # django-mptt shifts lft/rght in the database on every insert; the in-memory parent goes
        # stale after its first child, so re-read its tree fields before each insert.
        under.refresh_from_db(fields=["lft", "rght", "tree_id", "level"])
        node = Node(
            pohon=pohon,
            parent=under,
            jenis=row["jenis"],
            kode=row["kode"],
            uraian=row["uraian"],
            unit=units.get(row.get("unit_id")) or units_by_name.get(row["unit"]),
            pagu=None if row["pagu"] in (None, "") else Decimal(row["pagu"]),
            **snapshot_target_fields(row),
        )
        if row.get("kunci"):  # snapshots written before kunci existed have none: the node gets a new one
            node.kunci = uuid.UUID(row["kunci"])
        target, position = under, "last-child"
        if index == 0:
            target, position = _restore_position(under, riwayat.sebelum.get("urutan"))
        _node_insert(node, target=target, position=position)
        placed[row["kode"]] = node
        top = top or node
    assert top is not None
    riwayat_record(
        pohon=pohon,
        aksi=NodeRiwayat.Aksi.PULIHKAN,
        user=user,
        node=top,
        sesudah={**_entry_fields(rows[0]), "jumlah": len(rows)},
    )
    return top


def _restore_position(parent: Node, urutan: int | None) -> tuple[Node, Position]:
    """Before the sibling now at the former position, or last when there are fewer siblings."""
    if urutan:
        sibling = Node.objects.filter(parent=parent).order_by("lft")[urutan - 1 : urutan].first()
        if sibling is not None:
            return sibling, "left"
    return parent, "last-child"


@dataclass(frozen=True)
class NodeRow:
    """A node to write in bulk: ``parent`` is the index of its parent in the same list (None: the
    top of the tree); the list is in tree order, parents before children, siblings in order."""

    parent: int | None
    jenis: str
    kode: str
    uraian: str
    unit_id: int | None = None
    pagu: Decimal | None = None
    target_angka: Decimal | None = None
    target_teks: str = ""
    satuan: str = ""
    arah: str = ""
    kunci: uuid.UUID | None = None  # None: a new node, which gets a new key


def nested_set_fields(parents: list[int | None]) -> tuple[list[int], list[int], list[int], int]:
    """The nested-set fields (lft, rght, level) of nodes given in tree order by the index of each
    one's parent (None: under the hidden root, which holds lft 1), and the last number used (the
    root's rght is one more). Pure arithmetic, one pass: the bulk writes compute the tree here
    instead of letting django-mptt shift rows per insert."""
    children: dict[int | None, list[int]] = {}
    for index, parent in enumerate(parents):
        if parent is not None and not 0 <= parent < index:
            raise ValueError(f"row {index}: parent {parent} must come earlier in the list")
        children.setdefault(parent, []).append(index)
    lft, rght, level = [0] * len(parents), [0] * len(parents), [0] * len(parents)
    counter = 1  # the root holds 1
    stack: list[tuple[int, bool]] = [(i, False) for i in reversed(children.get(None, []))]
    while stack:
        index, closing = stack.pop()
        counter += 1
        if closing:
            rght[index] = counter
            continue
        lft[index] = counter
        parent = parents[index]
        level[index] = 1 if parent is None else level[parent] + 1
        stack.append((index, True))
        stack.extend((child, False) for child in reversed(children.get(index, [])))
    return lft, rght, level, counter


@functools.cache
def _node_columns() -> tuple[dict[str, Any], tuple[tuple[str, Callable[[], Any]], ...]]:
    """Every column's attname -> its default, in field order (a callable default: None), and the
    callable defaults (kunci's uuid4), which are made per node."""
    columns: dict[str, Any] = {}
    made: list[tuple[str, Callable[[], Any]]] = []
    for field in Node._meta.concrete_fields:
        if field.has_default() and callable(field.default):
            columns[field.attname] = None
            made.append((field.attname, field.default))
        else:
            columns[field.attname] = field.get_default()
    return columns, tuple(made)


def _node_new(**values: Any) -> Node:
    """An unsaved Node of ``values`` (attnames) and every other column's default, built from its
    values in field order: half the cost of keyword arguments (Django pops each one), which for
    the 10,000 nodes of an import was 0.06 s."""
    columns, made = _node_columns()
    row = {**columns, **values}
    for name, make in made:
        if name not in values:
            row[name] = make()
    return Node(*row.values())


def tree_bulk_insert(*, pohon: Pohon, rows: list[NodeRow]) -> list[Node]:
    """Write many nodes into an empty tree at once: the nested-set fields are computed in
    memory, the rows inserted level by level, and the result checked by ``tree_verify``.

    Row-by-row inserts through django-mptt cost ~5 ms a node; this costs a fraction. The caller
    has already validated the rows against the rule table (import, copy); a failed check raises
    and the surrounding transaction rolls everything back. Verifying instead of ``rebuild()``:
    same guarantee, one query instead of one UPDATE per node.
    """
    pohon = pohon_lock(pohon)
    root = pohon_root(pohon)
    if Node.objects.filter(pohon=pohon).visible().exists():
        raise ValidationError(_("Pohon tujuan harus kosong."))
    lft, rght, level, counter = nested_set_fields([row.parent for row in rows])
    nodes = [
        _node_new(
            pohon_id=pohon.pk,
            jenis=row.jenis,
            kode=row.kode,
            uraian=row.uraian,
            unit_id=row.unit_id,
            pagu=row.pagu,
            target_angka=row.target_angka,
            target_teks=row.target_teks,
            satuan=row.satuan,
            arah=arah_default(row.jenis, row.arah),
            kunci=row.kunci or uuid.uuid4(),
            tree_id=root.tree_id,
            lft=lft[i],
            rght=rght[i],
            level=level[i],
        )
        for i, row in enumerate(rows)
    ]
    for depth in sorted(set(level)):
        batch = [i for i in range(len(rows)) if level[i] == depth]
        for i in batch:
            parent = rows[i].parent
            nodes[i].parent_id = root.pk if parent is None else nodes[parent].pk
        Node.objects.bulk_create([nodes[i] for i in batch], batch_size=1000)
    Node.objects.filter(pk=root.pk).update(rght=counter + 1)
    tree_verify(pohon)
    return nodes


def tree_verify(pohon: Pohon) -> None:
    """Check the tree's nested-set fields against its parent links in one pass; raise
    RuntimeError on any inconsistency (bulk writes use this instead of trusting themselves)."""
    rows = list(
        Node.objects.filter(pohon=pohon)
        .order_by("lft")
        .values_list("pk", "parent_id", "lft", "rght", "level", "tree_id")
    )
    if not rows or rows[0][1] is not None or rows[0][2] != 1 or rows[0][3] != 2 * len(rows):
        raise RuntimeError(f"tree of {pohon} has a broken root")
    tree_id = rows[0][5]
    stack: list[tuple[int, int, int]] = []  # (pk, rght, level) of the open ancestors
    expected = 1
    for pk, parent_id, lft, rght, level, row_tree_id in rows:
        while stack and stack[-1][1] < lft:
            expected = stack.pop()[1] + 1
        if row_tree_id != tree_id or lft != expected or rght <= lft or (rght - lft) % 2 != 1:
            raise RuntimeError(f"node {pk} of {pohon} has inconsistent tree fields")
        if stack and (parent_id != stack[-1][0] or level != stack[-1][2] + 1 or rght >= stack[-1][1]):
            raise RuntimeError(f"node {pk} of {pohon} does not sit under its parent")
        stack.append((pk, rght, level))
        expected = lft + 1


@transaction.atomic
def tree_copy(*, source: Pohon, target: Pohon, user=None) -> int:
    """Copy every node of ``source`` into the empty ``target`` (a revision, the next year), each
    with its kunci: the copy of a node is the same node of the cycle."""
    nodes = list(
        Node.objects.filter(pohon=source)
        .visible()
        .order_by("lft")
        .values_list(
            "pk", "parent_id", "jenis", "kode", "uraian", "unit_id", "pagu",
            "target_angka", "target_teks", "satuan", "arah", "kunci",
        )
    )  # fmt: skip
    index_of = {pk: index for index, (pk, *_rest) in enumerate(nodes)}
    rows = [
        NodeRow(index_of.get(parent_id), jenis, kode, uraian, unit_id, pagu, *rest)
        for _pk, parent_id, jenis, kode, uraian, unit_id, pagu, *rest in nodes
    ]
    tree_bulk_insert(pohon=target, rows=rows)
    if source.tahun_akhir is not None and (source.tahun, source.tahun_akhir) == (target.tahun, target.tahun_akhir):
        # A revision of a Pemda tree keeps the IKU's yearly targets; a new period starts without.
        TargetTahunan.objects.bulk_create(
            TargetTahunan(
                pohon=target, kunci=t.kunci, tahun=t.tahun, target_angka=t.target_angka, target_teks=t.target_teks
            )
            for t in TargetTahunan.objects.filter(pohon=source, kunci__in=[row.kunci for row in rows])
        )
    # One entry for the whole copy: per-node entries would double the cost of a bulk write.
    riwayat_record(
        pohon=target,
        aksi=NodeRiwayat.Aksi.SALIN,
        user=user,
        sesudah={"jumlah": len(rows), "sumber": str(source), "butir": butir_list(rows)},
    )
    return len(rows)
