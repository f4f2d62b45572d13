"""The history of every node change: recording (called by the services once a write is done),
restoring a deleted subtree, the history page's rows, and the difference from the previous
approved revision.

The services record explicitly instead of a signal-based library (django-simple-history): the
bulk writes of import and copy send no signals, and django-mptt's lft/rght shuffles would be
recorded as changes of nodes nobody touched. A snapshot holds a node's own fields as plain JSON
(unit by name, Pagu as a string of digits, parent by kode), so an entry still reads correctly
after the node, its parent or its unit is gone.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dinas.models import UnitKerja
from pohon import rules
from pohon.models import Node, NodeRiwayat, Pohon
from pohon.money import rupiah
from pohon.permissions import authorize_branch_edit, user_can_edit_branch
from pohon.targets import arah_default, arah_label, target_display, target_stored

Aksi = NodeRiwayat.Aksi

# A node's own fields as the history stores them, in the order the page shows them. "target" is
# the target as shown (``85,5``, ``WTP``; pohon.targets), whether the node keeps it as a number or
# as text: entries written before targets became numbers read the same way.
SNAPSHOT_FIELDS: tuple[str, ...] = ("kode", "jenis", "uraian", "unit", "pagu", "target", "satuan", "arah")
# Model fields the history records under another name.
_SNAPSHOT_OF = {"target_angka": "target", "target_teks": "target"}

FIELD_LABELS = {
    "kode": gettext_lazy("Kode"),
    "jenis": gettext_lazy("Jenis"),
    "uraian": gettext_lazy("Uraian"),
    "unit": gettext_lazy("Unit kerja"),
    "pagu": gettext_lazy("Pagu"),
    "target": gettext_lazy("Target"),
    "satuan": gettext_lazy("Satuan"),
    "arah": gettext_lazy("Arah"),
    "parent": gettext_lazy("Induk"),
    "urutan": gettext_lazy("Urutan"),
    "jumlah": gettext_lazy("Jumlah node"),
    "sumber": gettext_lazy("Sumber"),
}


def user_label(user) -> str:
    if user is None:
        return _("sistem")
    return user.get_full_name() or user.get_username()


def snapshot_value(node: Node, name: str) -> Any:
    """One field of ``node`` as the history stores it (JSON-safe; the unit by name)."""
    if name == "unit":
        return node.unit.nama if node.unit_id is not None else ""
    if name == "pagu":
        return None if node.pagu is None else str(int(node.pagu))
    if name == "target":
        return node.target_display
    return getattr(node, name)


def snapshot_names(fields) -> list[str]:
    """The snapshot names of changed model fields (both target fields are "target"), in order."""
    return list(dict.fromkeys(_SNAPSHOT_OF.get(field, field) for field in fields))


def snapshot_target_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The target fields of a node re-created from a snapshot row, read from the target as shown
    with the parser that reads typed targets (text it cannot read stays text, as in migration
    0010); rows written before "arah" existed get an Indikator's default."""
    parsed = target_stored(row.get("target") or "", row.get("satuan") or "")
    return {
        "target_angka": parsed.angka,
        "target_teks": parsed.teks,
        "satuan": parsed.satuan,
        "arah": arah_default(row["jenis"], row.get("arah", "")),
    }


def node_snapshot(node: Node, *, parent_kode: str) -> dict[str, Any]:
    data = {name: snapshot_value(node, name) for name in SNAPSHOT_FIELDS}
    data["parent"] = parent_kode
    return data


def node_place(node: Node) -> dict[str, Any]:
    """Where a node stands: its parent's kode ("" for the top of the tree) and its 1-based
    position among its siblings. Two small queries; only moves and deletions ask."""
    parent_kode = Node.objects.filter(pk=node.parent_id).values_list("kode", flat=True).first() or ""
    before = Node.objects.filter(tree_id=node.tree_id, parent_id=node.parent_id, lft__lt=node.lft).count()
    return {"parent": parent_kode, "urutan": before + 1}


def subtree_rows(node: Node) -> list[dict[str, Any]]:
    """The node and everything below it, in tree order, each row naming its parent by kode: one
    query, joined to the parents. The rows keep ``unit_id`` beside the unit's name so that a
    restore finds the same unit."""
    rows = list(
        Node.objects.filter(tree_id=node.tree_id, lft__gte=node.lft, rght__lte=node.rght)
        .order_by("lft")
        .values(
            "parent__kode", "kode", "jenis", "uraian", "unit_id", "unit__nama", "pagu",
            "target_angka", "target_teks", "satuan", "arah",
        )
    )  # fmt: skip
    return [
        {
            "kode": row["kode"],
            "jenis": row["jenis"],
            "uraian": row["uraian"],
            "unit": row["unit__nama"] or "",
            "unit_id": row["unit_id"],
            "pagu": None if row["pagu"] is None else str(int(row["pagu"])),
            "target": target_display(row["target_angka"], row["target_teks"]),
            "satuan": row["satuan"],
            "arah": row["arah"],
            "parent": row["parent__kode"] or "",
        }
        for row in rows
    ]


def riwayat_record(
    *,
    pohon: Pohon,
    aksi: str,
    user,
    node: Node | None = None,
    node_id: int | None = None,
    kode: str = "",
    sebelum: dict[str, Any] | None = None,
    sesudah: dict[str, Any] | None = None,
) -> NodeRiwayat:
    """Write one history entry: the last step of every node service (check, execute, record)."""
    entry = NodeRiwayat(
        pohon=pohon,
        node_id=node.pk if node is not None else node_id,
        kode=kode or (node.kode if node is not None else ""),
        aksi=aksi,
        user=user,
        user_nama=user_label(user),
        sebelum=sebelum or {},
        sesudah=sesudah or {},
    )
    # The foreign keys are the tree locked by the service and the request's user: validating
    # them would cost two queries on every edit for nothing.
    entry.full_clean(exclude=["pohon", "user"])
    entry.save()
    return entry


# --- restoring ----------------------------------------------------------------------------------


@transaction.atomic
def node_restore(*, riwayat: NodeRiwayat, user=None) -> Node:
    """Re-create the subtree a ``hapus`` entry deleted, under its former parent and at its former
    position among the siblings where that still exists. Refused when the tree is not editable,
    the parent is gone, a kode is taken meanwhile, or the user may not add under that parent."""
    # services imports this module for its record calls; importing it back at the top would be
    # circular.
    from pohon.services import pohon_ensure_editable, pohon_lock

    if riwayat.aksi != Aksi.HAPUS or not riwayat.sebelum.get("nodes"):
        raise ValidationError(_("Hanya node yang dihapus yang dapat dipulihkan."))
    pohon = pohon_lock(riwayat.pohon)
    pohon_ensure_editable(pohon)
    rows: list[dict[str, Any]] = riwayat.sebelum["nodes"]
    parent_kode = rows[0]["parent"]
    if parent_kode:
        parent = Node.objects.filter(pohon=pohon, kode=parent_kode).first()
    else:
        parent = Node.objects.filter(pohon=pohon, jenis=rules.AKAR).first()
    if parent is None:
        raise ValidationError(
            _("Induk %(induk)s dari node %(kode)s sudah tidak ada; pulihkan atau buat induknya terlebih dahulu.")
            % {"induk": parent_kode, "kode": rows[0]["kode"]},
            code="parent_gone",
        )
    taken = sorted(
        Node.objects.filter(pohon=pohon, kode__in=[row["kode"] for row in rows]).values_list("kode", flat=True)
    )
    if taken:
        raise ValidationError(
            _("Kode %(kode)s sudah dipakai di pohon ini; node tidak dipulihkan.") % {"kode": ", ".join(taken)},
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
        node.full_clean()
        node.parent = None  # insert_node places it; mptt requires a parentless instance here
        target, position = under, "last-child"
        if index == 0:
            target, position = _restore_position(under, riwayat.sebelum.get("urutan"))
        Node.objects.insert_node(node, target, position=position, save=True)
        placed[row["kode"]] = node
        top = top or node
    assert top is not None
    riwayat_record(
        pohon=pohon,
        aksi=Aksi.PULIHKAN,
        user=user,
        node=top,
        sesudah={**{k: v for k, v in rows[0].items() if k != "unit_id"}, "jumlah": len(rows)},
    )
    return top


def _restore_position(parent: Node, urutan: int | None) -> tuple[Node, str]:
    """Before the sibling now at the former position, or last when there are fewer siblings."""
    if urutan:
        sibling = Node.objects.filter(parent=parent).order_by("lft")[urutan - 1 : urutan].first()
        if sibling is not None:
            return sibling, "left"
    return parent, "last-child"


# --- the history page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


def value_display(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if name == "jenis":
        return str(rules.jenis_label(value))
    if name == "pagu":
        return rupiah(Decimal(value))
    if name == "arah":
        return arah_label(value)
    return str(value)


def entry_changes(entry: NodeRiwayat) -> list[FieldChange]:
    """The before -> after pairs an entry shows, in the page's field order."""
    before, after = entry.sebelum or {}, entry.sesudah or {}
    if entry.aksi == Aksi.HAPUS:
        after = {"jumlah": 0}
        before = {**before, "jumlah": len(before.get("nodes", []))}
    changes = []
    for name, label in FIELD_LABELS.items():
        if name in before or name in after:
            old, new = value_display(name, before.get(name)), value_display(name, after.get(name))
            if entry.aksi in (Aksi.UBAH, Aksi.PINDAH) and old == new:
                continue
            changes.append(FieldChange(name, str(label), old, new))
    return changes


def riwayat_for_pohon(pohon: Pohon, *, node_id: int | None = None) -> QuerySet[NodeRiwayat]:
    """Newest first; with ``node_id`` only that node's entries."""
    entries = NodeRiwayat.objects.filter(pohon=pohon)
    if node_id is not None:
        entries = entries.filter(node_id=node_id)
    return entries.order_by("-waktu", "-id")


@dataclass
class RiwayatRow:
    entry: NodeRiwayat
    changes: list[FieldChange]
    can_restore: bool = False
    restore_note: str = ""


def riwayat_rows(entries: list[NodeRiwayat], *, pohon: Pohon, user) -> list[RiwayatRow]:
    """The page's rows; a deletion gets a restore button when the tree is editable, its former
    parent still exists, its kode is free and the user may add under that parent. One query for
    the parents and kodes of all deletions on the page (plus, for an operator, one per deletion)."""
    rows = [RiwayatRow(entry, entry_changes(entry)) for entry in entries]
    deletions = [row for row in rows if row.entry.aksi == Aksi.HAPUS and row.entry.sebelum.get("nodes")]
    if not deletions or not pohon.is_editable:
        return rows
    wanted = {row.entry.sebelum["nodes"][0]["parent"] for row in deletions} | {row.entry.kode for row in deletions}
    present = {node.kode: node for node in Node.objects.filter(pohon=pohon, kode__in=wanted)}
    for row in deletions:
        parent = present.get(row.entry.sebelum["nodes"][0]["parent"])
        if row.entry.kode in present:
            row.restore_note = _("kode sudah ada lagi di pohon")
        elif parent is None:
            row.restore_note = _("induknya sudah tidak ada")
        else:
            row.can_restore = user_can_edit_branch(user, pohon, parent)
    return rows


# --- what changed since the last approval -------------------------------------------------------


@dataclass(frozen=True)
class DiffNode:
    kode: str
    jenis: str
    uraian: str


@dataclass(frozen=True)
class NodeChange:
    kode: str
    jenis: str
    uraian: str
    changes: list[FieldChange]


@dataclass
class PohonDiff:
    """The tree against ``base``, the latest approved earlier revision (None: nothing to compare)."""

    base: Pohon | None
    added: list[DiffNode] = field(default_factory=list)
    removed: list[DiffNode] = field(default_factory=list)
    changed: list[NodeChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)


DIFF_FIELDS: tuple[str, ...] = ("jenis", "uraian", "unit", "pagu", "target", "satuan", "arah", "parent")


def _diff_rows(pohon: Pohon) -> dict[str, dict[str, Any]]:
    rows = (
        Node.objects.filter(pohon=pohon)
        .visible()
        .order_by("lft")
        .values_list(
            "kode", "jenis", "uraian", "unit__nama", "pagu", "target_angka", "target_teks", "satuan", "arah",
            "parent__kode",
        )
    )  # fmt: skip
    return {
        kode: {
            "jenis": jenis,
            "uraian": uraian,
            "unit": unit or "",
            "pagu": None if pagu is None else str(int(pagu)),
            "target": target_display(target_angka, target_teks),
            "satuan": satuan,
            "arah": arah,
            "parent": parent or "",
        }
        for kode, jenis, uraian, unit, pagu, target_angka, target_teks, satuan, arah, parent in rows
    }


def pohon_diff(*, pohon: Pohon) -> PohonDiff:
    """Compare the tree with the latest approved revision of the same agency and year with a
    lower ``revisi``, node by node matched on kode: three queries whatever the trees' size."""
    base = (
        Pohon.objects.filter(
            dinas_id=pohon.dinas_id, tahun=pohon.tahun, revisi__lt=pohon.revisi, status=Pohon.Status.DISETUJUI
        )
        .order_by("-revisi")
        .first()
        if pohon.revisi
        else None
    )
    diff = PohonDiff(base=base)
    if base is None:
        return diff
    old, new = _diff_rows(base), _diff_rows(pohon)
    for kode, values in new.items():
        if kode not in old:
            diff.added.append(DiffNode(kode, rules.jenis_label(values["jenis"]), values["uraian"]))
            continue
        changes = [
            FieldChange(
                name, str(FIELD_LABELS[name]), value_display(name, old[kode][name]), value_display(name, values[name])
            )
            for name in DIFF_FIELDS
            if old[kode][name] != values[name]
        ]
        if changes:
            diff.changed.append(NodeChange(kode, rules.jenis_label(values["jenis"]), values["uraian"], changes))
    diff.removed = [
        DiffNode(kode, rules.jenis_label(values["jenis"]), values["uraian"])
        for kode, values in old.items()
        if kode not in new
    ]
    return diff
