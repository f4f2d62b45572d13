"""How the chart's boxes sit on paper: ``CascadeLayout`` builds the cascade's HTML, one table per
part and one table column per section, with the connectors between the boxes (see ``pohon.pdf``).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from itertools import groupby
from math import ceil

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pohon import rules
from pohon.chart import (
    HEAD,
    KEGIATAN_BOX,
    PROGRAM_BOX,
    SASARAN_BOX,
    Box,
    box_body,
    box_node_ids,
    box_title,
    chart_boxes,
    item_prefix,
)
from pohon.money import rupiah
from pohon.pdf.paper import (
    COLUMN_MIN_MM,
    COLUMNS_AT_LEAST,
    MARGIN_BOTTOM,
    MARGIN_SIDE,
    MARGIN_TOP,
    PAPER,
    column_budget,
)
from pohon.selectors import PohonTree, TreeNode

# Items nest at most this deep on paper; deeper ones keep the last indentation.
DEPTH_MAX = 6

# A Tujuan or Sasaran is a statement with its own indicators beneath it ("SASARAN 1 : ..."); the
# other kinds are lists under one label ("KEGIATAN :" then "1. ...", "2. ...").
STATEMENT_KINDS = frozenset({rules.TUJUAN, rules.SASARAN})


# A box of another tree drawn in this cascade: in the Pemda cascade, under each Sasaran Pemda,
# Tematik and Sub Tematik, an agency's Tujuan/Sasaran supporting it (``pohon.pemda.cetak``).
DINAS_BOX = "dinas"


@dataclass
class AgencyBox(Box):
    """An agency's supporting nodes under a Pemda box, from rows read beforehand (frozen at
    approval for a signed document): ``dinas`` the agency's name, ``rows`` dicts with ``jenis``,
    ``kode``, ``uraian``, ``target``, ``tingkat`` (depth under the linked node) and ``status`` (the
    link's state, on the linked node's row). It has no node of this tree (``node`` is None)."""

    dinas: str = ""
    rows: list[dict] = field(default_factory=list)


# Kinds whose box title says what the box is (the chain form's, the Pemda tree's).
TITLED_BOXES = frozenset({PROGRAM_BOX, KEGIATAN_BOX, rules.SASARAN_PEMDA, rules.TEMATIK, rules.SUB_TEMATIK})


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
# What the title and the space between the parts add to the guessed height (mm): the title's two
# lines at 11 pt and its margin, the connectors' rows.
TITLE_MM = 14.0
# A ceiling rounds a paragraph's last line up: on average half a line, used where widths are
# balanced (continuous guesses), while ``_lines`` counts whole lines.
HALF_LINE = 0.5


@dataclass(slots=True)
class _Built:
    """A box's markup, built once, and what its height depends on: the length of each of its
    paragraphs in characters and its fixed part (connectors, padding) in lines."""

    html: list[str]
    lengths: list[int]
    fixed: float

    def lines(self, chars_per_line: float) -> float:
        """The guessed height in lines at ``chars_per_line`` characters a line."""
        return self.fixed + sum(ceil(length / chars_per_line) + 0.1 for length in self.lengths)

    def width_for(self, lines: float, font_mm: float, share: float = 1.0) -> float:
        """The cell width (mm) that brings the box down to about ``lines`` lines (continuous guess:
        each paragraph takes its characters over the line's capacity, plus half a line)."""
        room = lines - self.fixed - (0.1 + HALF_LINE) * len(self.lengths)
        if room <= 0:
            return float("inf")
        return (sum(self.lengths) * CHAR_EM * font_mm / room + BOX_CHROME_MM) / share


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

    def __init__(
        self, tree: PohonTree, kertas: str, scale: float = 1.0, *, flow: bool = False, head: Box | None = None
    ) -> None:
        self.tree = tree
        # ``flow``: the cascade's last row may start on the page before and run on, so that the
        # signature block that follows shares its page (``pohon.pdf.pdf_render`` asks for it only
        # when the signature would otherwise stand alone). Its boxes are cut where the page ends,
        # their titles repeated on the next; a box that fits in the room left stays whole.
        self.flow = flow
        self.budget = column_budget(kertas)
        width, height = PAPER[kertas]
        # Scaled onto one sheet (``pohon.pdf.fit``), the page is laid out 1/scale as large and
        # printed at ``scale``: the layout sees the larger page.
        self.sheet_mm = (width - 2 * MARGIN_SIDE) / scale
        self.page_mm = (height - MARGIN_TOP - MARGIN_BOTTOM) / scale
        self.columns_mm = [self.sheet_mm / COLUMNS_AT_LEAST]  # each section column's width, set per part by _open
        self.lengths: list[int] = []  # the paragraphs' lengths of the box being built
        self.fixed = 0.0  # and its fixed height in lines
        self.built: dict[int, _Built] = {}  # boxes built ahead (by id) to balance the columns
        self.whole = False  # whether the tree prints as one part (the seed's form)
        self.height_mm = TITLE_MM  # the guessed height of the whole cascade, summed over its rows
        # ``head``: boxes built by the caller (the Pemda cascade's, with its agencies' boxes);
        # else the agency cascade's own.
        self.head = head if head is not None else chart_boxes(tree)
        self.box_ids = box_node_ids(self.head)
        self.target_label = _("Target")  # translated once, not once per item
        self.silang_label = _("Crosscutting")
        self.menunggu_label = _("menunggu persetujuan")
        self.dinas_label = _("Perangkat Daerah pendukung")
        self.pemda = tree.pohon.tahun_akhir is not None  # the Pemda's own tree (an RPJMD period)

    # --- the parts --------------------------------------------------------------------------

    def render(self) -> SafeString:
        tops = self.head.children
        columns = sum(_width(box) for box in tops)
        parts: list[str] = []
        self.whole = columns <= self.budget
        if self.whole:
            self._whole(parts, max(columns, 1))
        else:
            self._overview(parts)
            for box in tops:
                self._division(parts, box)
        return mark_safe("".join(parts))

    def _open(
        self, parts: list[str], columns: int, lanjut: str, extra: str = "", widths: list[float] | None = None
    ) -> None:
        """Start a part: a table of ``columns`` section columns, centred, equal unless ``widths``
        (mm) are given. A narrow tree's table is as wide as ``columns`` out of
        ``COLUMNS_AT_LEAST`` would be."""
        spread = max(columns, COLUMNS_AT_LEAST)
        self.columns_mm = widths or [self.sheet_mm / spread] * columns
        table_mm = sum(self.columns_mm)
        if widths:
            cols = "".join(f'<col style="width:{100 * width / table_mm:.3f}%">' for width in widths)
        else:
            cols = f'<col span="{columns}">'
        # The continuation mark is set by an empty element at the part's start: set on the part
        # itself, WeasyPrint would assign it again on every page the part runs over.
        parts.append(
            f'<section class="part{extra}"><div class="mark" data-lanjut="{escape(lanjut)}"></div>'
            f'<table class="cc" style="width:{100 * table_mm / self.sheet_mm:.3f}%">'
            f"<colgroup>{cols}</colgroup>"
        )

    def _whole(self, parts: list[str], columns: int) -> None:
        """The seed's form: the head, every division and every section in one table, the section
        columns balanced (``_balanced``) so that the sections' row is as low as it can be."""
        tops = self.head.children
        stacked = any(box.children for box in tops)
        widths = self._balanced(tops, columns) if stacked else None
        self._open(parts, columns, _("(lanjutan)"), widths=widths)
        self._row(parts, [_Cell(self.head, columns)], level=0, down=bool(tops))
        if tops:
            self._row(parts, _family([(box, _width(box)) for box in tops]), level=1, down=None)
            if stacked:
                cells: list[_Cell] = []
                for box in tops:
                    cells.extend(_family([(child, 1) for child in box.children]) if box.children else [_Cell(None, 1)])
                self._row(parts, cells, level=2, down=False, stack=True, last=self.flow)
        parts.append("</table></section>")

    def _balanced(self, tops: list[Box], columns: int) -> list[float]:
        """Section column widths (mm) that make the sections' row low: a column as wide as its
        box's text needs for the row's height, at least ``COLUMN_MIN_MM``, each division at least
        as wide as keeps its own box no taller than the divisions' row is at equal widths; the
        height is found by bisection over the boxes' guessed heights (``_Built.width_for``), and
        the room left over is shared in proportion. Equal widths, as before, when the guesses
        leave nothing to gain."""
        spread = max(columns, COLUMNS_AT_LEAST)
        total = self.sheet_mm * columns / spread
        equal = total / columns
        narrowest = min(COLUMN_MIN_MM, equal)
        font1, font2 = FONT_PT[1] * PT_MM, FONT_PT[2] * PT_MM
        divisions = [self._build(box) for box in tops]
        sections = [[self._build(child, stack=True) for child in box.children] for box in tops]
        spans = [_width(box) for box in tops]
        for box, built in zip(tops, divisions, strict=True):
            self.built[id(box)] = built
        for box, group in zip(tops, sections, strict=True):
            self.built.update((id(child), built) for child, built in zip(box.children, group, strict=True))
        chars1 = lambda width: max(1.0, (width - BOX_CHROME_MM) / (CHAR_EM * font1))  # noqa: E731
        chars2 = lambda width: max(1.0, (width - BOX_CHROME_MM) / (CHAR_EM * font2))  # noqa: E731
        division_lines = max(built.lines(chars1(span * equal)) for built, span in zip(divisions, spans, strict=True))
        division_min = [built.width_for(division_lines, font1) for built in divisions]
        before = max((built.lines(chars2(equal)) for group in sections for built in group), default=0.0)

        def widths_for(lines: float) -> list[float]:
            widths: list[float] = []
            for group, span, least in zip(sections, spans, division_min, strict=True):
                own = [max(narrowest, built.width_for(lines, font2)) for built in group] or [narrowest]
                short = least - sum(own)
                if short > 0:
                    own = [width + short / span for width in own]
                widths.extend(own)
            return widths

        low, high = 1.0, max(before, 1.0)
        if sum(widths_for(high)) > total:
            return [equal] * columns
        for _step in range(24):
            middle = (low + high) / 2
            if sum(widths_for(middle)) <= total:
                high = middle
            else:
                low = middle
        widths = widths_for(high)
        spare = total / sum(widths)
        return [width * spare for width in widths]

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
        last: bool = False,
    ) -> None:
        """One row of boxes. ``down``: draw the line from each box down to its children's bar
        (None: where the box has children). ``lead``: the row holds a division page's own box.
        ``stack``: the row is the part's last level, so boxes below its boxes stack inside their
        column. ``last``: the cascade's last row, to run on from the page before (``flow``)."""
        font_mm = FONT_PT[level] * PT_MM
        share = HEAD_SHARE if level == 0 else LEAD_SHARE if lead else 1.0
        placed: list[tuple[_Cell, float, _Built | None, float]] = []  # cell, its width, its box, lines
        column = 0
        for cell in cells:
            cell_mm = sum(self.columns_mm[column : column + cell.width])
            column += cell.width
            if cell.box is None:
                placed.append((cell, cell_mm, None, 0.0))
                continue
            built = self.built.pop(id(cell.box), None) or self._build(cell.box, compact=compact, lead=lead, stack=stack)
            chars = max(1.0, (cell_mm * share - BOX_CHROME_MM) / (CHAR_EM * font_mm))
            placed.append((cell, cell_mm, built, built.lines(chars)))
        line_mm = font_mm * LINE_HEIGHT
        row_mm = max((lines for *_rest, lines in placed), default=0.0) * line_mm
        self.height_mm += row_mm
        classes = f"lv{level}" + (" split" if last or row_mm > self.page_mm else "")
        parts.append(f'<tr class="{classes}">')
        for cell, cell_mm, built, lines in placed:
            box = cell.box
            if box is None or built is None:
                parts.append(f'<td colspan="{cell.width}"></td>')
                continue
            if bool(box.children) if down is None else down:
                parts.append(f'<td colspan="{cell.width}" class="down" style="{_line_down(cell_mm)}">')
            else:
                parts.append(f'<td colspan="{cell.width}">')
            cut = last or lines * line_mm > self.page_mm
            if cut:  # taller than a page: cut, its title repeated on each page
                built = self._build(box, compact=compact, lead=lead, stack=stack, cut=True)
            # The box's first piece opens its block; here the connector above it goes in.
            parts.append(
                f'<div class="keep cut">{LINKS[cell.link]}' if cut else f'<div class="keep">{LINKS[cell.link]}'
            )
            parts.extend(built.html[1:])
            parts.append("</td>")
        parts.append("</tr>")

    def _build(
        self, box: Box, *, compact: bool = False, lead: bool = False, stack: bool = False, cut: bool = False
    ) -> _Built:
        """A box's markup and what its height depends on."""
        html: list[str] = []
        self.lengths = []
        self.fixed = 0.0
        self._box(html, box, compact=compact, lead=lead, stack=stack, cut=cut)
        return _Built(html, self.lengths, self.fixed)

    # --- boxes ------------------------------------------------------------------------------

    def _title_text(self, box: Box) -> str:
        return box.dinas if isinstance(box, AgencyBox) else box_title(box, self.tree)

    def _line(self, parts: list[str], html: str, length: int) -> None:
        """Append a paragraph of ``length`` characters (its height is guessed from that)."""
        parts.append(html)
        self.lengths.append(length)

    def _box(
        self,
        parts: list[str],
        box: Box,
        *,
        link: str = "",
        compact: bool = False,
        lead: bool = False,
        stack: bool = False,
        cut: bool = False,
    ) -> None:
        """A box and the connector above it (``link``) in one block kept whole: a box with its
        connector outside that block could be pushed to the next page behind it. ``cut``: the box
        is taller than a page, so it is a table whose header row (the title) WeasyPrint repeats
        on each page the box runs over."""
        if isinstance(box, AgencyBox):
            self._agency_box(parts, box, link=link, cut=cut)
            return
        tree = self.tree
        node = box.node
        raw_title = self._title_text(box)
        title = escape(raw_title)
        body = box_body(tree, box)
        if node is None:
            # A Pemda tree (an RPJMD period) has no Pagu: no "Total Pagu: Rp 0" in its head.
            total = None if self.pemda else tree.total_pagu
        else:
            total = tree.total_of(node)
            if box.kind in TITLED_BOXES:  # the chain form, the Pemda's boxes: say what the box is
                prefix = item_prefix(node.jenis)
                title = f'<span class="k">{escape(prefix)}</span> {title}'
            if node.pagu is not None:
                title += f' <span class="pg">({_rp(node.pagu)})</span>'
        classes = HEAD if node is None else node.jenis
        marks = tree.silang.get(node.pk) if node is not None and box.kind != SASARAN_BOX else None
        if marks:
            classes += " silang"
        element_id = ""
        if lead and node is not None:
            classes += " lead"
            element_id = f' id="b-{node.pk}"'
        self._box_open(
            parts, link=link, classes=classes, element_id=element_id, title=title, length=len(raw_title), cut=cut
        )
        if marks:
            mark, length = silang_pdf_mark(marks, self.silang_label)
            self._line(parts, f'<p class="cs">{mark}</p>', length)
        if not compact:
            self._items(parts, body, 1, own=node)
        if total is not None and (node is None or node.pagu is None):  # an own Pagu is in the title
            label = escape(_("Total Pagu") if node is None else _("Jumlah Pagu"))
            self._line(parts, f'<p class="sum">{label}: <b>{_rp(total)}</b></p>', 30)
        if compact and node is not None:
            ref = escape(_("Rincian: halaman"))
            self._line(parts, f'<p class="ref">{ref} <a href="#b-{node.pk}"></a></p>', 20)
        self._box_close(parts, cut=cut)
        if stack:
            # Boxes below the section level (rare: a Bidang under a Seksi's Sasaran) stack under
            # their parent in the same column, joined by a short line.
            for child in box.children:
                self._box(parts, child, link='<div class="vl"></div>', stack=True)

    def _box_open(
        self, parts: list[str], *, link: str, classes: str, element_id: str, title: str, length: int, cut: bool
    ) -> None:
        """A box's start and title line: a table whose head repeats the title on the next page when
        the box is ``cut`` (a row running on, see ``flow``), else a block."""
        parts.append(f'<div class="keep">{link}')  # first and alone: ``_row`` puts the link in
        self.fixed += 2  # the connector and the box's padding
        if cut:
            parts.append(f'<table class="box cut {classes}"{element_id}><thead><tr><th>')
            self._line(parts, f'<p class="t">{title}</p>', length + 20)
            parts.append("</th></tr></thead><tbody><tr><td>")
        else:
            parts.append(f'<div class="box {classes}"{element_id}>')
            self._line(parts, f'<p class="t">{title}</p>', length + 20)

    @staticmethod
    def _box_close(parts: list[str], *, cut: bool) -> None:
        parts.append("</td></tr></tbody></table></div>" if cut else "</div></div>")

    def _agency_box(self, parts: list[str], box: AgencyBox, *, link: str, cut: bool) -> None:
        """An agency's supporting nodes (``AgencyBox``): a box of its own style headed by the
        agency's name, listing the linked Tujuan/Sasaran and the Tujuan, Sasaran and Indikator
        within them as the cascade lists items ("SASARAN S1 : ...", indented by depth), a waiting
        link's node marked "(menunggu persetujuan)"; boxes below it stack as the sections' do."""
        raw_title = box.dinas
        title = f'<span class="k">{escape(self.dinas_label)}</span> {escape(raw_title)}'
        self._box_open(parts, link=link, classes=DINAS_BOX, element_id="", title=title, length=len(raw_title), cut=cut)
        for row in box.rows:
            jenis = row.get("jenis", "")
            level = min(1 + int(row.get("tingkat") or 0), DEPTH_MAX)
            prefix = item_prefix(jenis)
            label = f"{prefix} {row.get('kode') or ''}".strip()
            uraian = row.get("uraian", "")
            text, length = escape(uraian), len(uraian)
            if target := row.get("target"):
                text += f' <span class="tg">{escape(self.target_label)}: {escape(target)}</span>'
                length += len(self.target_label) + len(target) + 3
            if row.get("status") == "menunggu" and not row.get("tingkat"):
                text += f' <span class="mn">({escape(self.menunggu_label)})</span>'
                length += len(self.menunggu_label) + 3
            self._line(
                parts, f'<p class="i d{level}"><b>{escape(label)} :</b> {text}</p>', 2 * level + len(label) + length
            )
        self._box_close(parts, cut=cut)
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
            label = item_prefix(jenis)
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
        if target := self.tree.target_text(node):
            label = self.target_label
            text += f' <span class="tg">{escape(label)}: {escape(target)}</span>'
            length += len(label) + len(target) + 3
        if node.pk in self.tree.silang:
            mark, mark_length = silang_pdf_mark(self.tree.silang[node.pk], self.silang_label)
            text += f' <span class="cs">{mark}</span>'
            length += mark_length + 1
        return text, length


def silang_pdf_mark(marks: list, label: str) -> tuple[str, int]:
    """A crosscut node's mark in print: "[Crosscutting 1: Bidang X, Dinas Y (Disetujui)]", the
    number being its row in the annex; the markup and its length in characters."""
    text = "; ".join(f"{mark.nomor}: {mark.mitra} ({mark.status_label})" for mark in marks)
    plain = f"[{label} {text}]"
    return escape(plain), len(plain)


def _line_down(cell_mm: float) -> str:
    """A vertical line through the middle of a cell ``cell_mm`` wide, drawn as its background
    (behind the box) so that it runs down the whole row, however tall the row is. A hard-stop
    gradient: WeasyPrint 70 ignores background-size on gradients, so the line's thickness is given
    as a share of the cell's width."""
    half = 50 * LINE_PT * PT_MM / cell_mm
    start, end = f"{50 - half:.4f}%", f"{50 + half:.4f}%"
    return f"background-image:linear-gradient(to right,transparent {start},#333 {start},#333 {end},transparent {end})"


def _width(box: Box) -> int:
    """Section columns a division-level box spans: one per child box, at least one."""
    return max(1, len(box.children))


def _rp(amount: Decimal | int | None) -> str:
    """Rupiah with a no-break space after "Rp", so that an amount stays with its currency."""
    return rupiah(amount).replace(" ", "\u00a0", 1)
