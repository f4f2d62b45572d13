"""The values of a read-only openpyxl worksheet, row by row, as ``worksheet.iter_rows(values_only=True)``
gives them after ``reset_dimensions()``, but without building a rich-text object per inline string.

openpyxl (3.1) writes every text cell as an inline string (``<c t="inlineStr"><is><t>...</t></is>``),
so Pokin's own exports are read back cell by cell through ``Text.from_tree``: that alone was 40 % of
reading a 10,000-row export. Here an inline string's text is taken straight from its elements, exactly
what ``Text.content`` returns (the plain ``<t>`` and the ``<t>`` of each run ``<r>``, no phonetic
``<rPh>``); every other cell is left to openpyxl's own parser. ``tests/core/test_xlsx_rows.py``
compares the two on every kind of cell.

This module is imported only once openpyxl is needed (it imports openpyxl at load)."""

from collections.abc import Iterator

from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"


def inline_text(element) -> str:
    """The text of an ``<is>`` element, as openpyxl's ``Text.from_tree(element).content``."""
    parts = []
    for child in element:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            text = child.find(_TEXT)
            if text is not None:
                parts.append(text.text or "")
    return "".join(parts)


class ValuesParser(WorkSheetParser):
    """openpyxl's worksheet parser for cached values (``data_only``), reading inline strings directly."""

    def parse_cell(self, element) -> dict:
        if element.get("t") != "inlineStr":
            return super().parse_cell(element)
        string = element.find(INLINE_STRING)
        if string is not None:
            element.remove(string)  # the row's elements are cleared after it is parsed anyway
        cell = super().parse_cell(element)  # row, column and style as openpyxl reads them
        if string is not None:
            cell["value"] = inline_text(string)
            cell["data_type"] = "s"
        return cell


def worksheet_values(worksheet: ReadOnlyWorksheet) -> Iterator[list[object]]:
    """Each row's values from column A to the row's last cell; a missing or empty row is ``[]``.
    Rows out of order are skipped, as openpyxl's read-only worksheet does."""
    workbook = worksheet.parent
    assert workbook.data_only, "ValuesParser reads cached values only"
    with worksheet._get_source() as source:
        parser = ValuesParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        expected = 1
        for number, cells in parser.parse():
            while expected < number:
                expected += 1
                yield []
            if number < expected:
                continue
            expected += 1
            values: list[object] = [None] * (cells[-1]["column"] if cells else 0)
            for cell in cells:
                column = cell["column"]
                if 1 <= column <= len(values):
                    values[column - 1] = cell["value"]
            yield values
