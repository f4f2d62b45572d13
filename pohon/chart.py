"""The cascading chart and the tree table as HTML, built in Python from a tree read once.

Why not templates: a recursive ``{% include %}`` or django-mptt's ``{% recursetree %}`` costs
tens of microseconds per node and per level; at 2,000 nodes that is most of a second. Building the
markup here over the in-memory children map keeps the 2,000-node chart well under 100 ms. Every
text goes through ``html.escape``; the page chrome stays in templates.
"""

from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pohon import rules
from pohon.formatting import depth_class
from pohon.money import rupiah
from pohon.selectors import PohonTree, TreeNode

# Boxes of the printed cascade: the head's box, one per division and section, in trees without
# divisions (the design card's chain) one per Program below the head and per Kegiatan below a
# Program, and in the penjenjangan form (PermenPANRB 89/2021) one per Sasaran under a Sasaran:
# the Sasaran Strategis stand in the head's box, each Sasaran Program and Sasaran Kegiatan in a
# box of its own headed by its unit kerja's name.
HEAD, UNIT, PROGRAM_BOX, KEGIATAN_BOX, SASARAN_BOX = "head", "unit", "program", "kegiatan", "sasaran"

ITEM_PREFIX = {
    rules.TUJUAN: "TUJUAN",
    rules.SASARAN: "SASARAN",
    rules.INDIKATOR: "INDIKATOR",
    rules.PROGRAM: "PROGRAM",
    rules.KEGIATAN: "KEGIATAN",
    rules.SUB_KEGIATAN: "SUB KEGIATAN",
}


def item_prefix(jenis: str) -> str:
    """The kind an item of a box starts with (``PROGRAM``); a kind without a fixed prefix shows
    its label in capitals (translated only then: gettext costs ~10 µs a call)."""
    return ITEM_PREFIX.get(jenis) or rules.jenis_label(jenis).upper()


@dataclass
class Box:
    kind: str
    node: TreeNode | None  # None for the head's box, which holds the top nodes
    children: list["Box"] = field(default_factory=list)


def _box_kind(node: TreeNode, parent: TreeNode | None, parent_box: Box) -> str | None:
    if node.jenis in rules.UNIT_NODES:
        return UNIT
    if node.jenis == rules.SASARAN and parent is not None and parent.jenis == rules.SASARAN:
        return SASARAN_BOX
    if node.jenis == rules.PROGRAM and parent_box.kind == HEAD:
        return PROGRAM_BOX
    if node.jenis == rules.KEGIATAN and parent_box.kind == PROGRAM_BOX:
        return KEGIATAN_BOX
    return None


def head_title(dinas, periode: str = "") -> str:
    """The head's box: "KEPALA DINAS ... KABUPATEN ...", as the printed cascade heads it; for
    the Pemda's own tree "PEMERINTAH KABUPATEN ... RPJMD 2014-2018"."""
    if dinas.is_pemda:
        return f"{dinas.nama} {dinas.pemda_nama} RPJMD {periode}".strip().upper()
    return f"KEPALA {dinas.nama} {dinas.pemda_nama}".upper()


def box_title(box: Box, tree: PohonTree) -> str:
    """A box's heading: the head's title, a penjenjangan Sasaran's unit name in capitals (as the
    printed cascade heads its boxes; "SASARAN" while it has no unit), else the node's own uraian
    (the seed's Bidang and Seksi nodes are named after their jabatan)."""
    node = box.node
    if node is None:
        return tree.head_title  # frozen at approval for an approved revision
    if box.kind == SASARAN_BOX:
        return node.unit.nama.upper() if node.unit is not None else ITEM_PREFIX[rules.SASARAN]
    return node.uraian


def box_body(tree: PohonTree, box: Box) -> list[TreeNode]:
    """The nodes listed inside a box (those with boxes of their own are left out when listing):
    the head's the top of the tree, a penjenjangan Sasaran's the Sasaran itself (its statement,
    with its Indikator, Program and Kegiatan beneath), the others' their children."""
    if box.node is None:
        return tree.top
    if box.kind == SASARAN_BOX:
        return [box.node]
    return tree.children_of(box.node)


def box_node_ids(head: Box) -> set[int]:
    """The ids of the nodes that have a box of their own (all but the head's, under ``head``)."""
    return {box.node.pk for box in all_boxes(head) if box.node is not None}


def unit_box_ids(tree: PohonTree, box_ids: set[int], unit_ids: set[int]) -> list[int]:
    """The ids of the nodes with a box of their own (``box_ids``) that stand for one of
    ``unit_ids`` (an operator's own units), in tree order: one pass, no query."""
    if not unit_ids:
        return []
    return [node.pk for node in tree.nodes if node.pk in box_ids and node.unit_id in unit_ids]


def chart_boxes(tree: PohonTree) -> Box:
    """The chart's boxes: each box hangs under the nearest enclosing box, in tree order (one pass)."""
    head = Box(HEAD, None)
    enclosing: dict[int, Box] = {}
    for node, _depth in tree.walk():
        parent = tree.parent_of(node)
        parent_box = head if parent is None else enclosing[parent.pk]
        kind = _box_kind(node, parent, parent_box)
        if kind is None:
            enclosing[node.pk] = parent_box
        else:
            box = enclosing[node.pk] = Box(kind, node)
            parent_box.children.append(box)
    return head


@dataclass
class ChartRenderer:
    """The chart's markup. Every box and item is focusable (``tabindex="0"``): a click or Enter on
    it opens its panel (static/pohon/panel.js, delegated, nothing per node). A button per node,
    rendered here or built by the script, made a 2,000-node chart's browser layout 110 to 360 ms
    slower; the attribute costs nothing there."""

    tree: PohonTree
    box_ids: set[int] = field(default_factory=set)
    # unit id -> the address of the unit's Perjanjian Kinerja (an approved tree's chart): a link
    # in the box of the unit (the head's box for the unit the head's nodes name).
    pk_links: dict[int, str] = field(default_factory=dict)
    _labels: dict[str, str] = field(default_factory=dict)

    def render(self) -> SafeString:
        head = self.prepare()
        parts: list[str] = ['<ul class="cc-level cc-root">']
        self._branch(head, parts)
        parts.append("</ul>")
        return mark_safe("".join(parts))

    def prepare(self) -> Box:
        """The boxes of the tree read (all of it, or a branch with its path to the top, see
        ``pohon.chart_partial``), remembered so that ``render_box`` and ``render_branch`` agree
        with a full render."""
        # Translated once per page, not once per node: gettext costs ~20 µs a call.
        self._labels = {
            "target": escape(_("Target")),
            "silang": escape(_("Crosscutting")),
            "pk": escape(_("Perjanjian Kinerja unit ini")),
        }
        head = chart_boxes(self.tree)
        self.box_ids = box_node_ids(head)
        return head

    def render_box(self, box: Box) -> str:
        """One box's own element (its title, items and total, without the boxes below it), as
        in the full chart."""
        parts: list[str] = []
        self._box(box, parts)
        return "".join(parts)

    def render_branch(self, box: Box) -> str:
        """One box with every box below it (its ``<li>``), as in the full chart."""
        parts: list[str] = []
        self._branch(box, parts)
        return "".join(parts)

    def render_total(self, box: Box) -> str:
        """A box's "Jumlah Pagu" (the head's "Total Pagu"); present but empty and hidden while
        nothing below has a Pagu, so that an edit can fill it in place."""
        node = box.node
        total = self.tree.total_pagu if node is None else self.tree.total_of(node)
        if total is None:
            return '<div class="cc-total" hidden></div>'
        label = _("Total Pagu") if node is None else _("Jumlah Pagu")
        return f'<div class="cc-total">{escape(label)}: <strong>{rupiah(total)}</strong></div>'

    def _branch(self, box: Box, parts: list[str]) -> None:
        node = box.node
        if node is None:
            parts.append('<li class="cc-branch cc-branch--head">')
        else:
            parts.append(f'<li class="cc-branch cc-branch--{node.jenis}">')
        self._box(box, parts)
        if box.children:
            parts.append('<ul class="cc-level cc-children">')
            for child in box.children:
                self._branch(child, parts)
            parts.append("</ul>")
        parts.append("</li>")

    def _box(self, box: Box, parts: list[str]) -> None:
        tree = self.tree
        node = box.node
        title = escape(box_title(box, tree))
        if node is None:
            parts.append(f'<div class="cc-box cc-box--head" id="cc-head" data-node="{tree.root.pk}" tabindex="0">')
            parts.append(f'<div class="cc-title"><span class="cc-label"><span class="cc-text">{title}</span></span>')
        else:
            classes = box.kind if box.kind == node.jenis else f"{box.kind} cc-box--{node.jenis}"
            if node.pk in tree.silang:
                classes += silang_classes(tree.silang[node.pk])
            parts.append(f'<div class="cc-box cc-box--{classes}" id="n-{node.pk}" tabindex="0">')
            parts.append(f'<div class="cc-title"><span class="cc-label"><span class="cc-text">{title}</span>')
            if node.jenis in rules.BUDGETED and node.pagu is not None:
                parts.append(f' <span class="cc-pagu">({rupiah(node.pagu)})</span>')
            parts.append("</span>")
        body_nodes = box_body(tree, box)
        if self.pk_links:
            self._pk_link(box, body_nodes, parts)
        if box.children:
            parts.append(
                '<button type="button" class="cc-toggle" aria-expanded="true" '
                f'title="{escape(_("Ciutkan atau bentangkan cabang"))}">&minus;</button>'
            )
        parts.append("</div>")
        if node is not None and node.pk in tree.silang:
            parts.append(silang_html(tree.silang[node.pk], self._labels["silang"], "p"))
        # A penjenjangan Sasaran's box lists the Sasaran itself: the box is its focusable element.
        items = [n for n in body_nodes if n is node or n.pk not in self.box_ids]
        if items:
            parts.append('<ul class="cc-items">')
            for item in items:
                self._item(item, parts, focusable=item is not node)
            parts.append("</ul>")
        parts.append(self.render_total(box))
        parts.append("</div>")

    def _pk_link(self, box: Box, body_nodes: list[TreeNode], parts: list[str]) -> None:
        """The link to the PK of the unit the box stands for: a division's or section's box, a
        penjenjangan Sasaran's box, and the head's box (the unit of its top nodes)."""
        if box.node is None:
            unit_id = next((n.unit_id for n in body_nodes if n.unit_id is not None), None)
        elif box.kind in (UNIT, SASARAN_BOX):
            unit_id = box.node.unit_id
        else:
            return
        url = self.pk_links.get(unit_id) if unit_id is not None else None
        if url:
            parts.append(f'<a class="cc-pk" href="{escape(url)}" title="{self._labels["pk"]}">PK</a>')

    def _item(self, node: TreeNode, parts: list[str], focusable: bool = True) -> None:
        children = [n for n in self.tree.children_of(node) if n.pk not in self.box_ids]
        prefix = item_prefix(node.jenis)
        marks = self.tree.silang.get(node.pk) if focusable else None
        classes = f"cc-item cc-item--{node.jenis}" + (silang_classes(marks) if marks else "")
        if focusable:
            parts.append(f'<li class="{classes}" id="n-{node.pk}" tabindex="0">')
        else:
            parts.append(f'<li class="{classes}">')
        parts.append(f'<span class="cc-kind">{prefix}</span> <span class="cc-text">{escape(node.uraian)}</span>')
        if node.pagu is not None:
            parts.append(f' <span class="cc-pagu">({rupiah(node.pagu)})</span>')
        if target := self.tree.target_text(node):
            parts.append(f' <span class="cc-target">{self._labels["target"]}: {escape(target)}</span>')
        if marks:
            parts.append(silang_html(marks, self._labels["silang"], "span"))
        if children:
            parts.append('<ul class="cc-items">')
            for child in children:
                self._item(child, parts)
            parts.append("</ul>")
        parts.append("</li>")


def silang_classes(marks: list) -> str:
    """A crosscut box's or item's extra classes (static/pohon/silang.css): accepted links in one
    colour, only waiting ones dashed."""
    accepted = any(mark.status == "disetujui" for mark in marks)
    return " cs-silang" + ("" if accepted else " cs-menunggu")


def silang_html(marks: list, label: str, tag: str) -> str:
    """The partner's name of each link (``pohon.silang.selectors.SilangMark``), linked to the
    partner's node where there is one, and the link's state."""
    links = []
    for mark in marks:
        mitra = escape(mark.mitra)
        if mark.mitra_url:
            mitra = f'<a href="{escape(mark.mitra_url)}">{mitra}</a>'
        links.append(f"{mitra} ({escape(mark.status_label)})")
    return f'<{tag} class="cs-mitra"><span class="cs-label">{label}:</span> {"; ".join(links)}</{tag}>'


def all_boxes(box: Box):
    stack = [box]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


@dataclass(frozen=True)
class RowEditor:
    """The tree editor's controls for ``table_rows``: which nodes the user may edit (computed for
    the whole page at once) and the URL prefix under which ``<pk>/ubah/`` etc. live. Every
    control carries the node's ``versi``, so an edit made from a stale page is refused."""

    editable: set[int] | frozenset[int]
    node_url: str  # e.g. "/pohon/dpmd-lumajang/2018/node/"


def _row_actions(tree: PohonTree, node: TreeNode, editor: RowEditor) -> str:
    """The editor's cell: the node's ``versi`` and what may be done with it, in one attribute;
    static/pohon/editor.js turns it into the row's buttons. Six buttons with their htmx
    attributes per row made the 20,000-node table 31 MB and 4 s; this keeps it near its size
    without controls."""
    if node.pk not in editor.editable:
        return '<td class="pt-aksi"></td>'
    parent = tree.by_id.get(node.parent_id) if node.parent_id is not None else None
    siblings = tree.children_of(parent) if parent is not None else []
    flags = (
        ("c" if rules.allowed_children(node.jenis, tree.pohon.pemilik) else "")
        + ("u" if siblings and siblings[0].pk != node.pk else "")
        + ("d" if siblings and siblings[-1].pk != node.pk else "")
    )
    return f'<td class="pt-aksi" data-pe="{node.versi} {flags}"></td>'


def table_rows(tree: PohonTree, edit_url: str | None = None, editor: RowEditor | None = None) -> SafeString:
    """The tree as indented table rows: kode, jenis, uraian, unit, Pagu, total, target, satuan,
    and with ``editor`` a last cell of edit controls (empty on rows the user may not edit)."""
    parts: list[str] = []
    edit_title = escape(_("Ubah di admin"))
    jenis_labels = {jenis: escape(rules.jenis_label(jenis)) for jenis in rules.JENIS_LABELS}  # once per page
    for node, depth in tree.walk():
        has_children = bool(tree.children.get(node.pk))
        toggle = (
            '<button type="button" class="pt-toggle" aria-expanded="true">&#9662;</button>'
            if has_children
            else '<span class="pt-leaf"></span>'
        )
        total = tree.total_of(node)
        edit = (
            f' <a class="cc-edit" href="{edit_url.replace("/0/", f"/{node.pk}/")}" title="{edit_title}">&#9998;</a>'
            if edit_url
            else ""
        )
        parts.append(
            f'<tr id="n-{node.pk}" class="pt-row pt-{node.jenis}" data-depth="{depth}">'
            f'<td class="pt-kode">{escape(node.kode)}</td>'
            f'<td class="pt-jenis">{jenis_labels[node.jenis]}</td>'
            f'<td class="pt-uraian {depth_class(depth - 1)}">{toggle}'
            f'<span class="cc-text">{escape(node.uraian)}</span>{edit}</td>'
            f'<td class="pt-unit">{escape(node.unit.nama) if node.unit else ""}</td>'
            f'<td class="pt-num pt-pagu">{rupiah(node.pagu)}</td>'
            f'<td class="pt-num pt-total">{rupiah(total)}</td>'
            f'<td class="pt-target">{escape(tree.target_tahunan.get(node.pk) or node.target_display)}</td>'
            f'<td class="pt-satuan">{escape(node.satuan)}</td>'
            f"{_row_actions(tree, node, editor) if editor is not None else ''}</tr>"
        )
    return mark_safe("".join(parts))
