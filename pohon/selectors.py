"""Reads of the performance tree: one query per tree, then everything in Python.

A page never asks the database per node: ``pohon_tree`` fetches the whole tree in ``lft`` order
with one query and builds the children map and the Pagu roll-up in one pass each.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from pohon import rules
from pohon.models import Node, Pohon


@dataclass
class PohonTree:
    """A tree read once: nodes in tree order, children per node id, totals per node id."""

    pohon: Pohon
    root: Node
    nodes: list[Node]  # every visible node, in tree (lft) order
    children: dict[int, list[Node]] = field(default_factory=dict)
    totals: dict[int, Decimal | None] = field(default_factory=dict)
    parents: dict[int, Node] = field(default_factory=dict)

    @property
    def top(self) -> list[Node]:
        return self.children.get(self.root.pk, [])

    @property
    def total_pagu(self) -> Decimal:
        return self.totals.get(self.root.pk) or Decimal(0)

    def children_of(self, node: Node) -> list[Node]:
        return self.children.get(node.pk, [])

    def parent_of(self, node: Node) -> Node | None:
        parent = self.parents.get(node.pk)
        return None if parent is None or parent.is_root else parent

    def total_of(self, node: Node) -> Decimal | None:
        return self.totals.get(node.pk)

    def walk(self, node: Node | None = None) -> Iterator[tuple[Node, int]]:
        """Yield (node, depth) in tree order below ``node`` (default: the whole tree)."""
        start = node or self.root
        stack = [(child, 1) for child in reversed(self.children_of(start))]
        while stack:
            current, depth = stack.pop()
            yield current, depth
            stack.extend((child, depth + 1) for child in reversed(self.children_of(current)))


def pohon_nodes(pohon: Pohon) -> list[Node]:
    """All nodes of the tree, hidden root first, in tree order, in one query."""
    return list(Node.objects.filter(pohon=pohon).select_related("unit").order_by("lft"))


def pagu_rollup(nodes: list[Node], children: dict[int, list[Node]]) -> dict[int, Decimal | None]:
    """A node's total is its own Pagu where it has one, otherwise the sum of its children's
    totals; money is never counted twice. None where no Pagu exists anywhere below."""
    totals: dict[int, Decimal | None] = {}
    for node in reversed(nodes):  # children come after their parent in lft order
        if node.pagu is not None:
            totals[node.pk] = node.pagu
            continue
        child_totals = [totals[c.pk] for c in children.get(node.pk, ()) if totals[c.pk] is not None]
        totals[node.pk] = sum(child_totals, Decimal(0)) if child_totals else None
    return totals


def pohon_tree(pohon: Pohon) -> PohonTree:
    nodes = pohon_nodes(pohon)
    children: dict[int, list[Node]] = {}
    parents: dict[int, Node] = {}
    by_id = {node.pk: node for node in nodes}
    for node in nodes:
        if node.parent_id is not None:
            children.setdefault(node.parent_id, []).append(node)
            parents[node.pk] = by_id[node.parent_id]
    root = next(node for node in nodes if node.is_root)
    return PohonTree(
        pohon=pohon,
        root=root,
        nodes=[node for node in nodes if not node.is_root],
        children=children,
        totals=pagu_rollup(nodes, children),
        parents=parents,
    )


@dataclass(frozen=True)
class PaguOverrun:
    node: Node
    children_total: Decimal

    @property
    def excess(self) -> Decimal:
        return self.children_total - (self.node.pagu or Decimal(0))


def pagu_overruns(tree: PohonTree) -> list[PaguOverrun]:
    """Where the children's Pagu adds up to more than their parent's own Pagu."""
    overruns = []
    for node in tree.nodes:
        if node.pagu is None:
            continue
        child_totals = [tree.totals[c.pk] for c in tree.children_of(node) if tree.totals[c.pk] is not None]
        if child_totals and sum(child_totals, Decimal(0)) > node.pagu:
            overruns.append(PaguOverrun(node=node, children_total=sum(child_totals, Decimal(0))))
    return overruns


def pohon_dump(tree: PohonTree) -> str:
    """A text dump of the tree (depth, kode, parent kode, jenis, pagu), one node a line,
    for comparing trees in tests and on the command line."""
    lines = []
    for node, depth in tree.walk():
        parent = tree.parent_of(node)
        pagu = "" if node.pagu is None else str(int(node.pagu))
        lines.append(f"{depth} {node.kode} {parent.kode if parent else '-'} {node.jenis} {pagu}".rstrip())
    return "\n".join(lines)


def unit_nodes_without_unit(tree: PohonTree) -> list[Node]:
    return [node for node in tree.nodes if node.jenis in rules.UNIT_NODES and node.unit_id is None]


def pohon_latest(*, dinas_kode: str, tahun: int) -> Pohon:
    """The newest revision of an agency's tree for a year; raises Pohon.DoesNotExist."""
    return Pohon.objects.for_dinas(dinas_kode).for_tahun(tahun).select_related("dinas").latest("revisi")
