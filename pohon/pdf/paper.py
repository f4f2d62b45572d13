"""The sheets the cascade prints on: their sizes and margins, how many section columns fit across
one, and the page rules (size, page numbers, the draft mark) that depend on them."""

from django.utils.translation import gettext as _

# Landscape sheets, (width, height) in millimetres. F4 (folio) is what Indonesian offices print on.
PAPER: dict[str, tuple[int, int]] = {"A4": (297, 210), "F4": (330, 215), "A3": (420, 297)}
# Page margins in millimetres: top and bottom hold the running title and the page number.
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 12, 9, 10
# The narrowest section column: at 6.5 pt DejaVu Sans Condensed it holds about 20 characters a
# line, enough for "(Rp 2.078.747.000)" and a few words of a Kegiatan. It sets how many sections
# fit across a sheet (the column budget): A4 11, F4 13, A3 16.
COLUMN_MIN_MM = 24
# A tree with fewer sections than this still lays them out as if there were this many columns, so
# a small tree does not stretch two boxes across a whole sheet.
COLUMNS_AT_LEAST = 4


def column_budget(kertas: str) -> int:
    """How many section columns fit across the sheet at ``COLUMN_MIN_MM`` each."""
    width, _height = PAPER[kertas]
    return max(COLUMNS_AT_LEAST, (width - 2 * MARGIN_SIDE) // COLUMN_MIN_MM)


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string or the ``<style>`` element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    return f'"{escaped}"'


def page_css(kertas: str, draft: bool, scale: float = 1.0) -> str:
    """The rules that depend on the paper, the language and the state: sheet size, page numbers
    and, on a draft, "DRAF" in the top corner of every page as plain text (besides the diagonal
    watermark, which text extraction such as ``pdftotext -layout`` leaves out). Scaled onto one
    sheet, the page is laid out 1/``scale`` as large and printed at ``scale`` (WeasyPrint's
    ``zoom``), so that the printed sheet and its margins keep their sizes."""
    width, height = PAPER[kertas]
    page_of = (_css_string(_("Halaman") + " "), _css_string(" " + _("dari") + " "))
    draft_mark = f" @top-left {{ content: {_css_string(_('DRAF'))}; }}" if draft else ""
    size = f"{width / scale:.4f}mm {height / scale:.4f}mm"
    margin = f"{MARGIN_TOP / scale:.4f}mm {MARGIN_SIDE / scale:.4f}mm {MARGIN_BOTTOM / scale:.4f}mm"
    return (
        f"@page {{ size: {size}; margin: {margin};"
        f" @bottom-right {{ content: {page_of[0]} counter(page) {page_of[1]} counter(pages); }}{draft_mark} }}"
    )
