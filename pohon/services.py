"""Writes to the performance tree. Every path that creates, changes, moves or deletes a node
(admin, import, editor, demo loader) goes through these functions.

django-mptt is not safe under concurrent writes, so each write first locks the tree's own
``Pohon`` row (``select_for_update``) and re-reads the node's tree fields under that lock.
On SQLite the connection runs IMMEDIATE transactions, which serialise writers the same way.
"""

from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from dinas.models import PerangkatDaerah, UnitKerja
from pohon import rules
from pohon.models import Node, Pohon

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
}

# Any fixed number serves; it names the lock that serialises tree_id allocation on PostgreSQL.
_TREE_ID_LOCK = 7_013_201


def pohon_lock(pohon: Pohon) -> Pohon:
    """Lock the tree's owning row for the rest of the transaction and return it fresh."""
    return Pohon.objects.select_for_update().select_related("dinas").get(pk=pohon.pk)


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
def pohon_create(*, dinas: PerangkatDaerah, tahun: int, revisi: int = 0) -> Pohon:
    """Create an empty draft tree with its hidden root."""
    pohon = Pohon(dinas=dinas, tahun=tahun, revisi=revisi)
    pohon.full_clean()
    pohon.save()
    if connection.vendor == "postgresql":
        # mptt gives a new root max(tree_id) + 1: two trees created at once must not share it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TREE_ID_LOCK])
    root = Node(pohon=pohon, jenis=rules.AKAR, kode="", uraian=f"{dinas.kode} {tahun}")
    root.full_clean(exclude=["kode"])
    root.save()
    return pohon


def _refresh_tree_fields(node: Node) -> None:
    # After the lock, the in-memory lft/rght/tree_id may be stale (another writer moved things).
    node.refresh_from_db(fields=["parent", "lft", "rght", "tree_id", "level"])
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
    target: str = "",
    satuan: str = "",
    position: Position = "last-child",
) -> Node:
    """Add a node under ``parent`` (None: at the top of the tree), checked by the rule table."""
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
    node = Node(
        pohon=pohon,
        parent=parent,
        jenis=jenis,
        kode=kode or node_next_kode(pohon=pohon, jenis=jenis),
        uraian=uraian.strip(),
        unit=unit,
        pagu=pagu,
        target=target.strip(),
        satuan=satuan.strip(),
    )
    node.full_clean()
    node.parent = None  # insert_node places it; mptt requires a parentless instance here
    Node.objects.insert_node(node, parent, position=position, save=True)
    return node


NODE_EDITABLE_FIELDS = frozenset({"kode", "uraian", "unit", "pagu", "target", "satuan"})


@transaction.atomic
def node_update(*, node: Node, **changes: object) -> Node:
    """Change a node's own fields (not its place: see ``node_move``)."""
    unknown = set(changes) - NODE_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"node_update cannot change {sorted(unknown)}")
    pohon = pohon_lock(node.pohon)
    pohon_ensure_editable(pohon)
    if node.is_root:
        raise ValidationError(_("Akar pohon tidak dapat diubah."))
    _refresh_tree_fields(node)
    for field, value in changes.items():
        setattr(node, field, value.strip() if isinstance(value, str) else value)
    node.full_clean()
    node.save(update_fields=[*changes.keys()])
    return node


def node_move_target_parent(*, target: Node, position: str) -> Node | None:
    """The parent a node would get when placed at ``position`` relative to ``target``."""
    if position in ("first-child", "last-child"):
        return target
    return target.parent


@transaction.atomic
def node_move(*, node: Node, target: Node, position: str) -> Node:
    """Move ``node`` with its subtree to ``position`` relative to ``target``, in the same tree."""
    if position not in POSITIONS:
        raise ValidationError(_("Posisi pemindahan %(position)s tidak dikenal.") % {"position": position})
    pohon = pohon_lock(node.pohon)
    pohon_ensure_editable(pohon)
    if target.pohon_id != node.pohon_id:
        raise ValidationError({"parent": _("Node hanya dapat dipindahkan di dalam pohon yang sama.")})
    if node.is_root:
        raise ValidationError(_("Akar pohon tidak dapat dipindahkan."))
    _refresh_tree_fields(node)
    _refresh_tree_fields(target)
    if target.is_root and position in ("left", "right"):
        raise ValidationError({"parent": _("Node tidak dapat diletakkan di samping akar pohon.")})
    if target.pk == node.pk or (target.tree_id == node.tree_id and node.lft < target.lft and target.rght < node.rght):
        raise ValidationError({"parent": _("Node tidak dapat dipindahkan ke dalam dirinya sendiri.")})
    new_parent = node_move_target_parent(target=target, position=position)
    node.validate_parent(new_parent)
    Node.objects.move_node(node, target, position)
    return node


@transaction.atomic
def node_delete(*, node: Node) -> int:
    """Delete a node and its subtree; returns how many nodes went."""
    pohon = pohon_lock(node.pohon)
    pohon_ensure_editable(pohon)
    if node.is_root:
        raise ValidationError(_("Akar pohon tidak dapat dihapus."))
    _refresh_tree_fields(node)
    count = node.get_descendant_count() + 1
    node.delete()
    return count
