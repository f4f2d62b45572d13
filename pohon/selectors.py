"""Reads of the performance tree: one query per tree, then everything in Python.

A page never asks the database per node: ``pohon_tree`` fetches the whole tree in ``lft`` order
with one query and builds the children map and the Pagu roll-up in one pass each.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from dinas.models import UnitKerja
from pohon import rules
from pohon.models import Node, Pengesahan, Pohon
from pohon.money import rupiah
from pohon.targets import arah_label, target_display, target_with_satuan


@dataclass(slots=True, eq=False)
class TreeNode:
    """A read-only node as pages see it: the columns of one row, no ORM machinery.

    Building 2,000 model instances costs ~40 ms (Model.__init__ and django-mptt's bookkeeping);
    these records cost a tenth of that. Writes never take them: services work on ``Node``.
    """

    pk: int
    pohon_id: int
    parent_id: int | None
    jenis: str
    kode: str
    uraian: str
    unit_id: int | None
    pagu: Decimal | None
    target_angka: Decimal | None
    target_teks: str
    satuan: str
    arah: str
    lft: int
    rght: int
    level: int
    versi: int  # the editor's forms carry it, so an edit made on a stale page is refused
    unit: "UnitKerja | FrozenUnit | None" = None

    @property
    def id(self) -> int:
        return self.pk

    @property
    def is_root(self) -> bool:
        return self.jenis == rules.AKAR

    @property
    def jenis_label(self) -> str:
        return rules.jenis_label(self.jenis)

    def get_jenis_display(self) -> str:
        return self.jenis_label

    @property
    def pagu_display(self) -> str:
        return rupiah(self.pagu)

    @property
    def has_target(self) -> bool:
        return self.target_angka is not None or bool(self.target_teks)

    @property
    def target_display(self) -> str:
        """``85,5``, ``1.250``, ``WTP``; "" without a target."""
        return target_display(self.target_angka, self.target_teks)

    @property
    def target_satuan_display(self) -> str:
        """``85,5 %``: the target with its satuan, as chart and PDF print it."""
        return target_with_satuan(self.target_angka, self.target_teks, self.satuan)

    @property
    def arah_label(self) -> str:
        return arah_label(self.arah)

    def __str__(self) -> str:
        return f"{self.kode} {self.uraian[:80]}"


@dataclass(frozen=True, slots=True)
class FrozenUnit:
    """A unit as an approved tree shows it: the name frozen at approval, whatever the unit is
    called (or whether it exists) now. Stands in for ``UnitKerja`` wherever ``.nama``/``.pk`` is read."""

    pk: int
    nama: str

    @property
    def id(self) -> int:
        return self.pk

    def __str__(self) -> str:
        return self.nama


TREE_NODE_COLUMNS = (
    "pk", "pohon_id", "parent_id", "jenis", "kode", "uraian", "unit_id", "pagu", "target_angka", "target_teks",
    "satuan", "arah", "lft", "rght", "level", "versi",
)  # fmt: skip


@dataclass
class PohonTree:
    """A tree read once: nodes in tree order, children per node id, totals per node id."""

    pohon: Pohon
    root: TreeNode
    nodes: list[TreeNode]  # every visible node, in tree (lft) order
    children: dict[int, list[TreeNode]] = field(default_factory=dict)
    totals: dict[int, Decimal | None] = field(default_factory=dict)
    by_id: dict[int, TreeNode] = field(default_factory=dict)
    # What the tree prints around its nodes: live for a draft, frozen at approval once approved.
    dinas_nama: str = ""
    pemda_nama: str = ""
    head_title: str = ""  # the head's box: "KEPALA DINAS ... KABUPATEN ..."
    # A Pemda tree's Indikator: node id -> its yearly targets as shown ("2014: 40 %; 2015: 45 %").
    target_tahunan: dict[int, str] = field(default_factory=dict)
    # Crosscut nodes: node pk -> its links as chart and PDF mark them (``pohon.silang.selectors``);
    # empty unless a page asked for them.
    silang: dict[int, list] = field(default_factory=dict)

    def target_text(self, node: "TreeNode") -> str:
        """What chart and PDF print as an Indikator's target: the yearly targets of a Pemda tree's
        IKU, else the target with its satuan ("" without any)."""
        return self.target_tahunan.get(node.pk) or (
            node.target_satuan_display if node.has_target or node.satuan else ""
        )

    @property
    def top(self) -> list[TreeNode]:
        return self.children.get(self.root.pk, [])

    @property
    def total_pagu(self) -> Decimal:
        return self.totals.get(self.root.pk) or Decimal(0)

    def children_of(self, node: TreeNode) -> list[TreeNode]:
        return self.children.get(node.pk, [])

    def parent_of(self, node: TreeNode) -> TreeNode | None:
        parent = self.by_id.get(node.parent_id) if node.parent_id is not None else None
        return None if parent is None or parent.is_root else parent

    def total_of(self, node: TreeNode) -> Decimal | None:
        return self.totals.get(node.pk)

    def walk(self) -> Iterator[tuple[TreeNode, int]]:
        """Yield (node, depth) in tree order, the top nodes at depth 1 (the root is not yielded)."""
        base = self.root.level
        for current in self.nodes:  # already in tree order, the root excluded
            yield current, current.level - base


def pohon_approval(pohon: Pohon) -> Pengesahan | None:
    """The frozen approval of an approved revision (None for any other tree)."""
    if pohon.status != Pohon.Status.DISETUJUI:
        return None
    try:
        return pohon.pengesahan
    except Pengesahan.DoesNotExist:
        return None


def pohon_head_title(pohon: Pohon) -> str:
    """The head's box title: frozen at approval, else from the agency as it is now."""
    from pohon.chart import head_title

    pengesahan = pohon_approval(pohon)
    return pengesahan.kepala_judul if pengesahan is not None else head_title(pohon.dinas, pohon.periode_display)


def node_unit_nama(node: Node) -> str:
    """The name of a node's unit as its tree shows it (frozen once the tree is approved)."""
    if node.unit_id is None:
        return ""
    pengesahan = pohon_approval(node.pohon)
    if pengesahan is not None and str(node.unit_id) in pengesahan.unit_nama:
        return pengesahan.unit_nama[str(node.unit_id)]
    return node.unit.nama


def pohon_units(pohon: Pohon, pengesahan: Pengesahan | None) -> dict[int, "UnitKerja | FrozenUnit"]:
    """The units a tree's nodes name, by id: the agency's (one query, a few dozen rows), or for an
    approved tree the names its approval froze (no query)."""
    if pengesahan is not None:
        return {int(pk): FrozenUnit(int(pk), nama) for pk, nama in pengesahan.unit_nama.items()}
    return {unit.pk: unit for unit in UnitKerja.objects.filter(dinas_id=pohon.dinas_id)}


def pohon_nodes(pohon: Pohon, pengesahan: Pengesahan | None = None) -> list[TreeNode]:
    """All nodes of the tree, hidden root first, in tree order: one query for the nodes, one for
    the agency's units (a few dozen) which the nodes then share. With the approval of an approved
    tree, the units are the names frozen in it (no query)."""
    units = pohon_units(pohon, pengesahan)
    rows = Node.objects.filter(pohon=pohon).order_by("lft").values_list(*TREE_NODE_COLUMNS)
    nodes = [TreeNode(*row) for row in rows]
    for node in nodes:
        if node.unit_id is not None:
            node.unit = units.get(node.unit_id)
    return nodes


def pagu_rollup(nodes: list[TreeNode], children: dict[int, list[TreeNode]]) -> dict[int, Decimal | None]:
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
    """The tree read once. An approved revision shows what its approval froze: the agency's and
    the Pemda's names, the head's title and every unit's name (``FrozenUnit``)."""
    from pohon.chart import head_title

    pengesahan = pohon_approval(pohon)
    nodes = pohon_nodes(pohon, pengesahan)
    children: dict[int, list[TreeNode]] = {}
    for node in nodes:
        if node.parent_id is not None:
            children.setdefault(node.parent_id, []).append(node)
    return PohonTree(
        pohon=pohon,
        root=nodes[0],  # the hidden root has lft 1
        nodes=nodes[1:],
        children=children,
        totals=pagu_rollup(nodes, children),
        by_id={node.pk: node for node in nodes},
        dinas_nama=pengesahan.dokumen.dinas_nama if pengesahan else pohon.dinas.nama,
        pemda_nama=pengesahan.dokumen.pemda_nama if pengesahan else pohon.dinas.pemda_nama,
        head_title=pengesahan.kepala_judul if pengesahan else head_title(pohon.dinas, pohon.periode_display),
        target_tahunan=_target_tahunan_texts(pohon, nodes) if pohon.tahun_akhir is not None else {},
    )


def _target_tahunan_texts(pohon: Pohon, nodes: list[TreeNode]) -> dict[int, str]:
    """node id -> "2014: 40 %; 2015: 45 %" for a Pemda tree's Indikator with yearly targets (two queries)."""
    from pohon.models import TargetTahunan

    per_kunci: dict = {}
    for kunci, tahun, angka, teks in (
        TargetTahunan.objects.filter(pohon=pohon)
        .order_by("tahun")
        .values_list("kunci", "tahun", "target_angka", "target_teks")
    ):
        per_kunci.setdefault(kunci, []).append((tahun, target_display(angka, teks)))
    if not per_kunci:
        return {}
    satuan = {node.pk: node.satuan for node in nodes}
    texts = {}
    for pk, kunci in Node.objects.filter(pohon=pohon, kunci__in=list(per_kunci)).values_list("pk", "kunci"):
        unit = f" {satuan.get(pk, '')}".rstrip()
        texts[pk] = "; ".join(f"{tahun}: {shown}{unit}" for tahun, shown in per_kunci[kunci])
    return texts


@dataclass(frozen=True)
class PaguOverrun:
    node: TreeNode
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


def pohon_latest(*, dinas_kode: str, tahun: int) -> Pohon:
    """The newest revision of an agency's tree for a year; raises Pohon.DoesNotExist."""
    return Pohon.objects.for_dinas(dinas_kode).for_tahun(tahun).select_related("dinas__pemda").latest("revisi")


def pohon_for_user(user, *, dinas_kode: str, tahun: int, revisi: int | None = None) -> Pohon:
    """A tree the user may see: the newest revision, or the one asked for. Http404 for a tree
    that does not exist and for one of an agency the user does not belong to (no hint that it
    exists)."""
    from django.http import Http404

    from dinas.selectors import dinas_visible_to

    trees = Pohon.objects.filter(dinas__in=dinas_visible_to(user), dinas__kode=dinas_kode, tahun=tahun)
    if revisi is not None:
        trees = trees.filter(revisi=revisi)
    # data_contoh: the demo's example-data mark, shown in the page's header (a join, no query).
    pohon = trees.select_related("dinas__pemda", "pengesahan__dokumen", "data_contoh").order_by("-revisi").first()
    if pohon is None:
        raise Http404("Pohon kinerja tidak ditemukan.")
    return pohon


def node_for_user(user, *, dinas_kode: str, tahun: int, pk: int, allow_root: bool = False) -> Node:
    """A node of a tree the user may see (any revision of the year). Http404 for a node of
    another agency's tree, and for the hidden root unless ``allow_root`` (adding at the top)."""
    from django.http import Http404

    from dinas.selectors import dinas_visible_to

    node = (
        Node.objects.select_related("pohon__dinas", "unit")
        .filter(pk=pk, pohon__dinas__kode=dinas_kode, pohon__tahun=tahun, pohon__dinas__in=dinas_visible_to(user))
        .first()
    )
    if node is None or (node.is_root and not allow_root):
        raise Http404("Node tidak ditemukan.")
    return node


def pohon_siblings(pohon: Pohon) -> list[Pohon]:
    """Every tree of the same agency (all years, all revisions), newest first, in one query:
    the page's year switcher and list of revisions both come from it, each revision's shown status
    (``Pohon.status_display``) with its approval read in the same query."""
    return list(
        Pohon.objects.filter(dinas_id=pohon.dinas_id).select_related("pengesahan").order_by("-tahun", "-revisi")
    )


@dataclass(frozen=True)
class PohonSummary:
    pohon: Pohon
    total_pagu: Decimal
    node_count: int


def pohon_summaries(pohons: list[Pohon]) -> list[PohonSummary]:
    """Total Pagu and node count of several trees in one query: a Pagu counts unless an ancestor
    with its own Pagu already counted it (the same roll-up as ``pagu_rollup``)."""
    from django.db.models import Count

    ids = [p.pk for p in pohons]
    totals: dict[int, Decimal] = dict.fromkeys(ids, Decimal(0))
    covered_until: dict[int, int] = {}
    rows = (
        Node.objects.filter(pohon_id__in=ids, pagu__isnull=False)
        .order_by("pohon_id", "lft")
        .values_list("pohon_id", "lft", "rght", "pagu")
    )
    for pohon_id, lft, rght, pagu in rows:
        if lft < covered_until.get(pohon_id, 0):
            continue  # inside a node whose own Pagu was already counted
        totals[pohon_id] += pagu
        covered_until[pohon_id] = rght
    counts = dict(
        Node.objects.filter(pohon_id__in=ids)
        .visible()
        .order_by()  # mptt's default ordering (tree_id, lft) would split the GROUP BY per node
        .values("pohon_id")
        .annotate(n=Count("id"))
        .values_list("pohon_id", "n")
    )
    return [PohonSummary(p, totals[p.pk], counts.get(p.pk, 0)) for p in pohons]


def approved_trees_using_unit(unit: UnitKerja) -> list[str]:
    """The approved trees (any revision) with a node of ``unit``, named as people see them
    ("dpmd-lumajang 2018 Perubahan 1"), in one query: what keeps the unit from being deleted
    (registered with ``dinas.usage`` by ``PohonConfig.ready``)."""
    trees = (
        Pohon.objects.filter(status=Pohon.Status.DISETUJUI, nodes__unit=unit)
        .select_related("dinas")
        .distinct()
        .order_by("dinas__kode", "tahun", "revisi")
    )
    return [str(pohon) for pohon in trees]
