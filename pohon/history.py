"""The history of every node change: recording (called by the services once a write is done),
the history page's rows, and the difference from the previous approved revision. Restoring a
deleted subtree is a service (``pohon.services.node_restore``): this module imports nothing from
the services, which import it.

The services record explicitly instead of a signal-based library (django-simple-history): the
bulk writes of import and copy send no signals, and django-mptt's lft/rght shuffles would be
recorded as changes of nodes nobody touched. A snapshot holds a node's own fields as plain JSON
(unit by name, Pagu as a string of digits, parent by kode), so an entry still reads correctly
after the node, its parent or its unit is gone. Every node entry carries the node's ``kunci``,
which a restored node keeps: one node's history is selected by it.
"""

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pohon import rules
from pohon.models import Node, NodeRiwayat, Pohon
from pohon.money import rupiah
from pohon.permissions import operator_unit_ids, user_can_edit_branch, user_can_edit_pohon
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
    "target_tahunan": gettext_lazy("Target per tahun"),
    "urutan": gettext_lazy("Urutan"),
    "jumlah": gettext_lazy("Jumlah node"),
    "sumber": gettext_lazy("Sumber"),
    # crosscutting entries (pohon.silang): the step, the partner, the note or reason
    "silang": gettext_lazy("Crosscutting"),
    "tautan": gettext_lazy("Tautan Pemda"),  # links to the Pemda (pohon.tautan)
    "mitra": gettext_lazy("Mitra"),
    "catatan": gettext_lazy("Catatan"),
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
    restore finds the same unit, and each node's ``kunci`` so that it gets the same key back."""
    rows = list(
        Node.objects.filter(tree_id=node.tree_id, lft__gte=node.lft, rght__lte=node.rght)
        .order_by("lft")
        .values(
            "parent__kode", "kode", "jenis", "uraian", "unit_id", "unit__nama", "pagu",
            "target_angka", "target_teks", "satuan", "arah", "kunci",
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
            "kunci": str(row["kunci"]),
        }
        for row in rows
    ]


# The event (``NodeRiwayat.peristiwa``) the entries being written belong to: one per service call
# that writes many entries (an import, the demo loader, emptying a tree) and one per request
# (pohon.middleware), so that the history page shows one line where one action wrote hundreds of
# entries. A context variable, not the transaction: tests run each test in one transaction, and
# the demo loader's command wraps several actions (build, submit, approve) in one.
_peristiwa: ContextVar[uuid.UUID | None] = ContextVar("pokin_riwayat_peristiwa", default=None)


@contextmanager
def riwayat_peristiwa() -> Iterator[uuid.UUID]:
    """Every history entry written inside shares one event id; nested scopes join the outermost."""
    current = _peristiwa.get()
    if current is not None:
        yield current
        return
    token = _peristiwa.set(uuid.uuid4())
    try:
        yield _peristiwa.get()  # type: ignore[misc]
    finally:
        _peristiwa.reset(token)


# An import or a copy records one entry; it lists the nodes it wrote (kode, jenis, uraian) so
# that the history can show them, up to this many (the count is always the whole).
BUTIR_MAX = 500
BUTIR_URAIAN_MAX = 200


def butir_list(rows: Iterable[Any]) -> list[list[str]]:
    """``[[kode, jenis, uraian], ...]`` of the first ``BUTIR_MAX`` rows (objects with those fields)."""
    items = []
    for row in rows:
        if len(items) == BUTIR_MAX:
            break
        items.append([row.kode, row.jenis, row.uraian[:BUTIR_URAIAN_MAX]])
    return items


def riwayat_record(
    *,
    pohon: Pohon,
    aksi: str,
    user,
    node: Node | None = None,
    node_id: int | None = None,
    kunci: uuid.UUID | None = None,
    kode: str = "",
    sebelum: dict[str, Any] | None = None,
    sesudah: dict[str, Any] | None = None,
) -> NodeRiwayat:
    """Write one history entry: the last step of every node service (check, execute, record).
    A node's entry carries its kunci (from ``node``, or ``kunci`` for a node already deleted)."""
    entry = NodeRiwayat(
        pohon=pohon,
        node_id=node.pk if node is not None else node_id,
        kunci=node.kunci if node is not None else kunci,
        kode=kode or (node.kode if node is not None else ""),
        aksi=aksi,
        user=user,
        user_nama=user_label(user),
        sebelum=sebelum or {},
        sesudah=sesudah or {},
        peristiwa=_peristiwa.get() or uuid.uuid4(),
    )
    # The foreign keys are the tree locked by the service and the request's user: validating
    # them would cost two queries on every edit for nothing.
    entry.full_clean(exclude=["pohon", "user"])
    entry.save()
    return entry


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


def riwayat_for_pohon(pohon: Pohon, *, kunci: uuid.UUID | None = None) -> QuerySet[NodeRiwayat]:
    """Newest first; with ``kunci`` only that node's entries, from before a deletion and restore
    too (the restored node has the same kunci, not the same id)."""
    entries = NodeRiwayat.objects.filter(pohon=pohon)
    if kunci is not None:
        entries = entries.filter(kunci=kunci)
    return entries.order_by("-waktu", "-id")


def riwayat_node_kunci(pohon: Pohon, value: str) -> uuid.UUID | None:
    """The kunci a history page's ``?node=`` names: a kunci itself, or (links made before kunci
    existed) a node's id, of a node in the tree or of one an entry recorded; None for anything else."""
    try:
        return uuid.UUID(value)
    except ValueError:
        pass
    if not value.isdigit():
        return None
    kunci = Node.objects.filter(pohon=pohon, pk=int(value)).values_list("kunci", flat=True).first()
    if kunci is None:
        kunci = (
            NodeRiwayat.objects.filter(pohon=pohon, node_id=int(value), kunci__isnull=False)
            .values_list("kunci", flat=True)
            .first()
        )
    return kunci


@dataclass
class RiwayatRow:
    entry: NodeRiwayat
    changes: list[FieldChange]
    can_restore: bool = False
    restore_note: str = ""
    # The history page's one-line form of a creation or deletion: the values shown, no labels.
    ringkas: list[str] = field(default_factory=list)


def riwayat_rows(entries: list[NodeRiwayat], *, pohon: Pohon, user) -> list[RiwayatRow]:
    """The page's rows; a deletion gets a restore button when the tree is editable, its former
    parent still exists, its kode is free, the node (its kunci) is not back in the tree, and the
    user may add under that parent. One query for the parents, kodes and kunci of all deletions on
    the page, plus, for an operator, one for the branches of their units: a fixed number however
    many deletions the page shows."""
    rows = [RiwayatRow(entry, entry_changes(entry)) for entry in entries]
    deletions = [row for row in rows if row.entry.aksi == Aksi.HAPUS and row.entry.sebelum.get("nodes")]
    if not deletions or not pohon.is_editable:
        return rows
    wanted = {row.entry.sebelum["nodes"][0]["parent"] for row in deletions} | {row.entry.kode for row in deletions}
    kuncis = {row.entry.kunci for row in deletions if row.entry.kunci is not None}
    found = list(Node.objects.filter(Q(kode__in=wanted) | Q(kunci__in=kuncis), pohon=pohon))
    present = {node.kode: node for node in found}
    present_kunci = {node.kunci for node in found}
    may_edit = _branch_check(user, pohon)
    for row in deletions:
        parent = present.get(row.entry.sebelum["nodes"][0]["parent"])
        if row.entry.kunci in present_kunci:
            row.restore_note = _("butir ini sudah ada lagi di pohon")
        elif row.entry.kode in present:
            row.restore_note = _("kode sudah ada lagi di pohon")
        elif parent is None:
            row.restore_note = _("induknya sudah tidak ada")
        else:
            row.can_restore = may_edit(parent)
    return rows


def _branch_check(user, pohon: Pohon) -> Callable[[Node], bool]:
    """``user_can_edit_branch`` for many nodes at once: an Admin everywhere, nobody but an
    Admin at the top, an operator under a node of their units (one query for those nodes)."""
    if not user_can_edit_branch(user, pohon, None):  # not an Admin
        if not user_can_edit_pohon(user, pohon):
            return lambda node: False
        unit_ids = operator_unit_ids(user, pohon.dinas_id)
        spans = list(Node.objects.filter(pohon=pohon, unit_id__in=unit_ids).values_list("lft", "rght"))
        return lambda node: not node.is_root and any(lft <= node.lft and rght >= node.rght for lft, rght in spans)
    return lambda node: True


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


DIFF_FIELDS: tuple[str, ...] = ("kode", "jenis", "uraian", "unit", "pagu", "target", "satuan", "arah", "parent")


def _diff_rows(pohon: Pohon) -> dict[uuid.UUID, dict[str, Any]]:
    """The tree's nodes by kunci. ``parent`` is shown by kode but compared by the parent's kunci
    (``parent_kunci``), so renaming a parent's kode does not count as moving its children."""
    rows = (
        Node.objects.filter(pohon=pohon)
        .visible()
        .order_by("lft")
        .values_list(
            "kunci", "kode", "jenis", "uraian", "unit__nama", "pagu", "target_angka", "target_teks", "satuan",
            "arah", "parent__kode", "parent__kunci",
        )
    )  # fmt: skip
    return {
        kunci: {
            "kode": kode,
            "jenis": jenis,
            "uraian": uraian,
            "unit": unit or "",
            "pagu": None if pagu is None else str(int(pagu)),
            "target": target_display(target_angka, target_teks),
            "satuan": satuan,
            "arah": arah,
            "parent": parent or "",
            "parent_kunci": parent_kunci if parent else None,  # the hidden root is no parent to show
        }
        for (
            kunci,
            kode,
            jenis,
            uraian,
            unit,
            pagu,
            target_angka,
            target_teks,
            satuan,
            arah,
            parent,
            parent_kunci,
        ) in rows
    }


def _diff_differs(name: str, old: dict[str, Any], new: dict[str, Any]) -> bool:
    if name == "parent":
        return old["parent_kunci"] != new["parent_kunci"]
    return old[name] != new[name]


def pohon_diff(*, pohon: Pohon) -> PohonDiff:
    """Compare the tree with the latest approved revision of the same agency and year with a
    lower ``revisi``, node by node matched on kunci (a renamed kode or a moved node is one
    change, not a removal and an addition): three queries whatever the trees' size."""
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
    for kunci, values in new.items():
        if kunci not in old:
            diff.added.append(DiffNode(values["kode"], rules.jenis_label(values["jenis"]), values["uraian"]))
            continue
        before = old[kunci]
        changes = [
            FieldChange(
                name, str(FIELD_LABELS[name]), value_display(name, before[name]), value_display(name, values[name])
            )
            for name in DIFF_FIELDS
            if _diff_differs(name, before, values)
        ]
        if changes:
            diff.changed.append(
                NodeChange(values["kode"], rules.jenis_label(values["jenis"]), values["uraian"], changes)
            )
    diff.removed = [
        DiffNode(values["kode"], rules.jenis_label(values["jenis"]), values["uraian"])
        for kunci, values in old.items()
        if kunci not in new
    ]
    return diff
