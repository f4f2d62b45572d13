"""How the chart's boxes sit on paper: ``CascadeLayout`` builds the cascade's HTML, one table per
part and one table column per section, with the connectors between the boxes (see ``pohon.pdf``).
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape
from itertools import groupby

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pohon import rules
from pohon.chart import (
    HEAD,
    ITEM_PREFIX,
    KEGIATAN_BOX,
    PROGRAM_BOX,
    Box,
    box_body,
    box_node_ids,
    box_title,
    chart_boxes,
)
from pohon.money import rupiah
from pohon.pdf.paper import COLUMNS_AT_LEAST, MARGIN_BOTTOM, MARGIN_SIDE, MARGIN_TOP, PAPER, column_budget
from pohon.selectors import PohonTree, TreeNode

# Items nest at most this deep on paper; deeper ones keep the last indentation.
DEPTH_MAX = 6

# A Tujuan or Sasaran is a statement with its own indicators beneath it ("SASARAN 1 : ..."); the
# other kinds are lists under one label ("KEGIATAN :" then "1. ...", "2. ...").
STATEMENT_KINDS = frozenset({rules.TUJUAN, rules.SASARAN})


@dataclass(slots=True)
class _Cell:
    """One cell of a row of boxes: the box (None: an empty cell), how many section columns it
    spans, and the connector drawn above it (a key of ``LINKS``)."""

    box: Box | None
    width: int
    link: str = ""


# The connector above a child box: the bar joining it to its siblings (from the first child's
# middle to the last one's), then a short line down to the box. "gap" is as high, and empty.
LINKS = {
    "first": '<div class="h first"></div><div class="v"></div>',
    "middle": '<div class="h"></div><div class="v"></div>',
    "last": '<div class="h last"></div><div class="v"></div>',
    "only": '<div class="v"></div>',
    "gap": '<div class="gap"></div>',
    "": "",
}
LINE_PT = 0.6  # connector lines, as thick as the boxes' borders in pdf.css
PT_MM = 25.4 / 72

# Rows of boxes by level: the head's, the divisions', the sections'. Their font sizes (pt) are
# pdf.css's ``tr.lv0`` .. ``tr.lv2``; the line height is ``html``'s.
FONT_PT = (7.5, 7.0, 6.5)
LINE_HEIGHT = 1.12
# The average advance of DejaVu Sans Condensed in running text, in em: measured on the demo
# (20 characters a line in a 23 mm column at 6.5 pt). Used only to guess a box's height.
CHAR_EM = 0.5
# Box width within its cell (pdf.css: the head's box 75 %, a division page's own box 60 %) and
# what the cell's and the box's padding and borders take off the width (mm).
HEAD_SHARE, LEAD_SHARE, BOX_CHROME_MM = 0.75, 0.6, 3.4


def _family(children: list[tuple[Box, int]]) -> list[_Cell]:
    """The cells of one parent's children, each with its place on the bar."""
    if len(children) == 1:
        return [_Cell(children[0][0], children[0][1], "only")]
    last = len(children) - 1
    return [
        _Cell(box, width, "first" if index == 0 else "last" if index == last else "middle")
        for index, (box, width) in enumerate(children)
    ]


class CascadeLayout:
    """Boxes on paper: one table per part, one table column per section column; each box sits
    in the middle of its cell, so the connectors drawn at the cells' middles meet the boxes.

    A row of boxes and each box in it are kept whole (``break-inside: avoid``), so a box is never
    cut across a page. Only a box taller than a whole page must be cut; to cut it once, where it
    starts, rather than after pushing it to an empty page, each row's height is guessed from its
    text while its markup is built, and a row taller than a page is marked ``split``.
    """

    def __init__(self, tree: PohonTree, kertas: str) -> None:
        self.tree = tree
        self.budget = column_budget(kertas)
        width, height = PAPER[kertas]
        self.sheet_mm = width - 2 * MARGIN_SIDE
        self.page_mm = height - MARGIN_TOP - MARGIN_BOTTOM
        self.column_mm = self.sheet_mm / COLUMNS_AT_LEAST  # set per part by _open
        self.chars_per_line = 1.0  # set per cell by _row
        self.lines = 0.0  # the guessed height of the cell being built, in lines
        self.head = chart_boxes(tree)
        self.box_ids = box_node_ids(self.head)
        self.target_label = _("Target")  # translated once, not once per item

    # --- the parts --------------------------------------------------------------------------

    def render(self) -> SafeString:
        tops = self.head.children
        columns = sum(_width(box) for box in tops)
        parts: list[str] = []
        if columns <= self.budget:
            self._whole(parts, max(columns, 1))
        else:
            self._overview(parts)
            for box in tops:
                self._division(parts, box)
        return mark_safe("".join(parts))

    def _open(self, parts: list[str], columns: int, lanjut: str, extra: str = "") -> None:
        """Start a part: a table of ``columns`` equal section columns, centred. A narrow tree's
        table is as wide as ``columns`` out of ``COLUMNS_AT_LEAST`` would be."""
        spread = max(columns, COLUMNS_AT_LEAST)
        self.column_mm = self.sheet_mm / spread
        # The continuation mark is set by an empty element at the part's start: set on the part
        # itself, WeasyPrint would assign it again on every page the part runs over.
        parts.append(
            f'<section class="part{extra}"><div class="mark" data-lanjut="{escape(lanjut)}"></div>'
            f'<table class="cc" style="width:{100 * columns / spread:.3f}%">'
            f'<colgroup><col span="{columns}"></colgroup>'
        )

    def _whole(self, parts: list[str], columns: int) -> None:
        """The seed's form: the head, every division and every section in one table."""
        tops = self.head.children
        self._open(parts, columns, _("(lanjutan)"))
        self._row(parts, [_Cell(self.head, columns)], level=0, down=bool(tops))
        if tops:
            self._row(parts, _family([(box, _width(box)) for box in tops]), level=1, down=None)
            if any(box.children for box in tops):
                cells: list[_Cell] = []
                for box in tops:
                    cells.extend(_family([(child, 1) for child in box.children]) if box.children else [_Cell(None, 1)])
                self._row(parts, cells, level=2, down=False, stack=True)
        parts.append("</table></section>")

    def _overview(self, parts: list[str]) -> None:
        """The upper levels of a tree too wide for one sheet: the head and each division's compact
        box (its Pagu and the page of its details), in several rows if need be."""
        tops = self.head.children
        per_row = max(1, self.budget // 2)
        columns = 2 * min(per_row, len(tops))
        one_row = len(tops) <= per_row
        self._open(parts, columns, _("Ikhtisar (lanjutan)"), " overview")
        self._row(parts, [_Cell(self.head, columns)], level=0, down=one_row)
        for start in range(0, len(tops), per_row):
            chunk = [(box, 2) for box in tops[start : start + per_row]]
            cells = _family(chunk) if one_row else [_Cell(box, width, "gap") for box, width in chunk]
            if len(chunk) < per_row:
                cells.append(_Cell(None, columns - 2 * len(chunk)))
            self._row(parts, cells, level=1, down=False, compact=True)
        parts.append("</table></section>")

    def _division(self, parts: list[str], box: Box) -> None:
        """One division from a new page: its full box, then its sections in rows of at most the
        column budget; the first row hangs from the division's bar, the others follow it."""
        children = box.children
        columns = min(self.budget, max(len(children), 1))
        self._open(parts, columns, f"{self._title_text(box)} {_('(lanjutan)')}", " division")
        self._row(parts, [_Cell(box, columns)], level=1, down=bool(children), lead=True)
        for start in range(0, len(children), columns):
            chunk = [(child, 1) for child in children[start : start + columns]]
            cells = _family(chunk) if start == 0 else [_Cell(child, 1, "gap") for child, _w in chunk]
            if len(chunk) < columns:
                cells.append(_Cell(None, columns - len(chunk)))
            self._row(parts, cells, level=2, down=False, stack=True)
        parts.append("</table></section>")

    # --- rows -------------------------------------------------------------------------------

    def _row(
        self,
        parts: list[str],
        cells: list[_Cell],
        *,
        level: int,
        down: bool | None,
        compact: bool = False,
        lead: bool = False,
        stack: bool = False,
    ) -> None:
        """One row of boxes. ``down``: draw the line from each box down to its children's bar
        (None: where the box has children). ``lead``: the row holds a division page's own box.
        ``stack``: the row is the part's last level, so boxes below its boxes stack inside their
        column."""
        font_mm = FONT_PT[level] * PT_MM
        share = HEAD_SHARE if level == 0 else LEAD_SHARE if lead else 1.0
        row: list[str] = []
        tallest = 0.0
        for cell in cells:
            box = cell.box
            span = cell.width
            if box is None:
                row.append(f'<td colspan="{span}"></td>')
                continue
            if bool(box.children) if down is None else down:
                row.append(f'<td colspan="{span}" class="down" style="{self._line_down(cell.width)}">')
            else:
                row.append(f'<td colspan="{span}">')
            text_mm = cell.width * self.column_mm * share - BOX_CHROME_MM
            self.chars_per_line = max(1.0, text_mm / (CHAR_EM * font_mm))
            self.lines = 0.0
            self._box(row, box, link=LINKS[cell.link], compact=compact, lead=lead, stack=stack)
            tallest = max(tallest, self.lines)
            row.append("</td>")
        too_tall = tallest * font_mm * LINE_HEIGHT > self.page_mm
        parts.append(f'<tr class="lv{level} split">' if too_tall else f'<tr class="lv{level}">')
        parts.extend(row)
        parts.append("</tr>")

    def _line_down(self, width: int) -> str:
        """A vertical line through the middle of a cell ``width`` section columns wide, drawn as its
        background (behind the box) so that it runs down the whole row, however tall the row is.
        A hard-stop gradient: WeasyPrint 70 ignores background-size on gradients, so the line's
        thickness is given as a share of the cell's width."""
        half = 50 * LINE_PT * PT_MM / (width * self.column_mm)
        start, end = f"{50 - half:.4f}%", f"{50 + half:.4f}%"
        return (
            f"background-image:linear-gradient(to right,transparent {start},#333 {start},#333 {end},transparent {end})"
        )

    # --- boxes ------------------------------------------------------------------------------

    def _title_text(self, box: Box) -> str:
        return box_title(box, self.tree)

    def _line(self, parts: list[str], html: str, length: int) -> None:
        """Append a paragraph of ``length`` characters and count the lines it will take."""
        parts.append(html)
        self.lines += -(-length // self.chars_per_line) + 0.1

    def _box(
        self,
        parts: list[str],
        box: Box,
        *,
        link: str = "",
        compact: bool = False,
        lead: bool = False,
        stack: bool = False,
    ) -> None:
        """A box and the connector above it (``link``) in one block kept whole: a box with its
        connector outside that block could be pushed to the next page behind it."""
        tree = self.tree
        node = box.node
        raw_title = self._title_text(box)
        title = escape(raw_title)
        body = box_body(tree, box)
        if node is None:
            total = tree.total_pagu
        else:
            total = tree.total_of(node)
            if box.kind in (PROGRAM_BOX, KEGIATAN_BOX):  # the chain form: say what the box is
                title = f'<span class="k">{ITEM_PREFIX[node.jenis]}</span> {title}'
            if node.pagu is not None:
                title += f' <span class="pg">({_rp(node.pagu)})</span>'
        classes = HEAD if node is None else node.jenis
        element_id = ""
        if lead and node is not None:
            classes += " lead"
            element_id = f' id="b-{node.pk}"'
        parts.append(f'<div class="keep">{link}<div class="box {classes}"{element_id}>')
        self.lines += 2  # the connector and the box's padding
        self._line(parts, f'<p class="t">{title}</p>', len(raw_title) + 20)
        if not compact:
            self._items(parts, body, 1, own=node)
        if total is not None and (node is None or node.pagu is None):  # an own Pagu is in the title
            label = escape(_("Total Pagu") if node is None else _("Jumlah Pagu"))
            self._line(parts, f'<p class="sum">{label}: <b>{_rp(total)}</b></p>', 30)
        if compact and node is not None:
            ref = escape(_("Rincian: halaman"))
            self._line(parts, f'<p class="ref">{ref} <a href="#b-{node.pk}"></a></p>', 20)
        parts.append("</div></div>")
        if stack:
            # Boxes below the section level (rare: a Bidang under a Seksi's Sasaran) stack under
            # their parent in the same column, joined by a short line.
            for child in box.children:
                self._box(parts, child, link='<div class="vl"></div>', stack=True)

    def _items(self, parts: list[str], nodes: list[TreeNode], depth: int, own: TreeNode | None = None) -> None:
        """Runs of the same kind under one label, as the seed writes them: ``KEGIATAN :`` then
        ``1. ...``; a single item or a statement on the label's own line (``SASARAN 1 : ...``).
        ``own``: the box's own node, listed although it has a box (a penjenjangan Sasaran)."""
        shown = [node for node in nodes if node is own or node.pk not in self.box_ids]
        level = min(depth, DEPTH_MAX)
        indent = 2 * level  # characters the indentation and the numbering take, roughly
        for jenis, run in groupby(shown, key=lambda node: node.jenis):
            group = list(run)
            label = ITEM_PREFIX.get(jenis) or rules.jenis_label(jenis).upper()
            if len(group) == 1 or jenis in STATEMENT_KINDS:
                for number, node in enumerate(group, start=1):
                    tag = f"{label} {number}" if len(group) > 1 else label
                    text, length = self._text(node)
                    self._line(parts, f'<p class="i d{level}"><b>{tag} :</b> {text}</p>', indent + len(tag) + length)
                    self._items(parts, self.tree.children_of(node), depth + 1)
            else:
                self._line(parts, f'<p class="i d{level}"><b>{label} :</b></p>', indent + len(label))
                for number, node in enumerate(group, start=1):
                    text, length = self._text(node)
                    self._line(parts, f'<p class="i n d{level}">{number}. {text}</p>', indent + 4 + length)
                    self._items(parts, self.tree.children_of(node), depth + 1)

    def _text(self, node: TreeNode) -> tuple[str, int]:
        """An item's markup and its length in characters."""
        text = escape(node.uraian)
        length = len(node.uraian)
        if node.pagu is not None:
            amount = _rp(node.pagu)
            text += f' <span class="pg">({amount})</span>'
            length += len(amount) + 3
        if node.has_target or node.satuan:
            target = node.target_satuan_display
            label = self.target_label
            text += f' <span class="tg">{escape(label)}: {escape(target)}</span>'
            length += len(label) + len(target) + 3
        return text, length


def _width(box: Box) -> int:
    """Section columns a division-level box spans: one per child box, at least one."""
    return max(1, len(box.children))


def _rp(amount: Decimal | int | None) -> str:
    """Rupiah with a no-break space after "Rp", so that an amount stays with its currency."""
    return rupiah(amount).replace(" ", "\u00a0", 1)
