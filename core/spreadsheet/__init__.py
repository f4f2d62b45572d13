"""Reading the spreadsheets people upload (.xlsx, .csv, .json) into rows of text, safely.

Shared by the tree import (``pohon.imports``) and the organisation import (``dinas.imports``),
which is why it lives in ``core``, which imports neither app:
both get the same formats, limits, header rules and problem type, so a user meets one set of
messages. Nothing here knows about trees or agencies; it turns bytes into ``SheetRow``s (column
-> cell text, plus the row number the spreadsheet shows) or into ``ImportProblem``s, and never
raises on any input.

Why not ``tablib.import_set`` / ``base_formats.*.create_dataset`` for the loading itself, as the
resources do for export: tablib's CSV reader drops blank lines (every row number after one would
be wrong, and row numbers are what users act on) and raises on a row longer than the header; its
JSON reader takes the columns from the first object only; ``XLSX.create_dataset`` reads every
row of the sheet into memory with no limit (a 10 MB upload can hold millions of rows). So the
same readers tablib uses underneath (``csv``, ``json``, openpyxl in read-only, data-only mode)
are driven directly (``core.spreadsheet.formats``), row by row, stopping at the row limit;
an .xlsx is first checked, from its zip directory and a count of its shared strings, against
what it may unpack to and hold (``formats.archive_check``), since openpyxl reads every shared
string before the first row.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from core.spreadsheet.formats import (
    Record,
    Refused,
    csv_records,
    decode,
    detect,
    import_max_bytes,
    import_max_rows,
    json_records,
    normalise_key,
    size_text,
    xlsx_records,
)

# The formats files are written in (export) and offered for them, django-import-export's.
ExportFormat = Literal["json", "csv", "xlsx"]
FORMATS: dict[str, type[base_formats.Format]] = {
    "json": base_formats.JSON,
    "csv": base_formats.CSV,
    "xlsx": base_formats.XLSX,
}

# Cells may hold tabs and line breaks; other control characters (and lone surrogates, which a
# JSON "\ud800" produces) cannot be stored in PostgreSQL text or written back to .xlsx.
_BAD_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

# Formula injection: a cell starting with one of these is run as a formula by spreadsheet
# programs (OWASP "CSV injection"). The export prefixes such cells, and cells that already start
# with the prefix, with an apostrophe; the import removes exactly that one apostrophe again, so
# escape and unescape are inverse and the round trip is exact.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPE = "'"


@dataclass(frozen=True)
class ImportProblem:
    """One reason an import is refused, as the user can find it in their file."""

    row: int | None  # as the spreadsheet shows it: header is row 1, first data row is 2; None for the file
    column: str | None  # canonical column name, e.g. "pagu"
    value: str  # the cell as given ("" when none)
    message: str  # Indonesian

    def __str__(self) -> str:
        """``baris 5, kolom pagu: Pagu harus ... (nilai: 1.000,50)``, the form the commands print."""
        where = []
        if self.row is not None:
            where.append(_("baris %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("kolom %(column)s") % {"column": self.column})
        text = f"{', '.join(where) or _('berkas')}: {self.message}"
        if self.value:
            shown = _BAD_CHARACTERS.sub("\ufffd", self.value)
            shown = shown if len(shown) <= 100 else shown[:99] + "\u2026"
            text += " " + _("(nilai: %(value)s)") % {"value": shown}
        return text


class SheetNumber(str):
    """A cell that held a number (an .xlsx number cell, a JSON number): its text as ``_cell_text``
    writes it (``2078747000``, ``1.125``), and ``number``, the exact value the cell held.

    Readers of amounts (``pohon.money.pagu_parse``, ``pohon.targets.target_parse``) take
    ``number`` and never re-read the text: in a number cell ``1.125`` is one and an eighth, while
    ``1.125`` typed as text is 1125 in Indonesian notation (a dot before three digits groups
    thousands). Every other reader sees the text, as before (a kode ``1.2`` stays ``1.2``)."""

    number: Decimal

    def __new__(cls, text: str, number: Decimal) -> "SheetNumber":
        cell = super().__new__(cls, text)
        cell.number = number
        return cell

    def __reduce__(self):
        return (SheetNumber, (str(self), self.number))


class SheetRow(dict[str, str]):
    """One data row: canonical column -> cell text (every requested column, "" when empty),
    and ``row``, the number the spreadsheet shows for it."""

    __slots__ = ("row",)

    def __init__(self, row: int, cells: dict[str, str]) -> None:
        super().__init__(cells)
        self.row = row


def formula_escape(value: str) -> str:
    """Protect one exported cell from being run as a formula (see FORMULA_TRIGGERS)."""
    if value and (value.startswith(FORMULA_TRIGGERS) or value.startswith(FORMULA_ESCAPE)):
        return FORMULA_ESCAPE + value
    return value


def formula_unescape(value: str) -> str:
    """Undo ``formula_escape``: exactly its inverse, so exported files import unchanged."""
    if value.startswith(FORMULA_ESCAPE) and value[1:2] and value[1:].startswith((*FORMULA_TRIGGERS, FORMULA_ESCAPE)):
        return value[1:]
    return value


def dataset_escape_formulae(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of ``dataset`` whose text cells are escaped with ``formula_escape`` (headers kept).

    django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only deletes a leading
    ``=``: it loses data and leaves ``+ - @`` alone, so it is not used."""
    escaped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        escaped.append([formula_escape(cell) if isinstance(cell, str) else cell for cell in row])
    return escaped


def spreadsheet_file_read(path: str | Path) -> bytes:
    """A file's bytes for ``spreadsheet_read``, reading no more than one byte past the size
    limit (so a huge file is refused by the limit, not by running out of memory)."""
    with open(path, "rb") as handle:
        return handle.read(import_max_bytes() + 1)


def spreadsheet_read(
    data: bytes,
    *,
    filename: str,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    sheet: str | None = None,
) -> tuple[list[dict[str, str]], list[ImportProblem]]:
    """Read an uploaded spreadsheet into rows of canonical columns, or say why not.

    The rows are ``SheetRow``s in sheet order, blank rows left out (the numbers of the others
    are still the sheet's). Headers are matched case- and space-insensitively (``" Unit Kerja"``
    is ``unit_kerja``); columns not in ``columns`` are ignored. Cells become text: numbers as
    Excel shows them (``2078747000``, not ``2078747000.0``; a ``SheetNumber`` that also carries
    the exact value), surrounding spaces removed, and an
    export's formula escape undone. ``sheet`` names the worksheet to prefer in a workbook (the
    template's data sheet); without it, or when absent, the active sheet is read.

    When anything is wrong the rows are empty and the problems say why (file-level problems have
    no row); the function never raises on any content.
    """
    if len(data) > import_max_bytes():
        return [], [size_problem(len(data))]
    if not data.strip():
        return [], [_file_problem(_("Berkas kosong."))]
    try:
        kind = detect(data, filename)
        if kind == "xlsx":
            return _rows_from_records(xlsx_records(data, sheet), columns=columns, required=required)
        text = decode(data)
        if kind == "json" or (kind == "" and text.lstrip()[:1] in ("[", "{")):
            return _rows_from_records(json_records(text), columns=columns, required=required)
        return _rows_from_records(csv_records(text, columns), columns=columns, required=required)
    except Refused as refused:
        return [], [_file_problem(str(refused))]


# --- records -> rows ----------------------------------------------------------------------------


def _rows_from_records(
    records: Iterable[Record], *, columns: tuple[str, ...], required: tuple[str, ...]
) -> tuple[list[dict[str, str]], list[ImportProblem]]:
    iterator = iter(records)
    try:
        return _rows_from_iterator(iterator, columns=columns, required=required)
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()  # a reader stopped early (row limit) releases its workbook now


def _rows_from_iterator(
    iterator: Iterator[Record], *, columns: tuple[str, ...], required: tuple[str, ...]
) -> tuple[list[dict[str, str]], list[ImportProblem]]:
    first = next(iterator, None)
    header_cells = first[1] if first is not None else []
    positions: dict[str, int] = {}
    problems: list[ImportProblem] = []
    for index, cell in enumerate(header_cells):
        key = normalise_key(_cell_text(cell)) if cell is not None else ""
        if key not in columns:
            continue
        if key in positions:
            problems.append(
                ImportProblem(
                    1, key, str(cell), _("Kolom %(column)s muncul lebih dari sekali di baris judul.") % {"column": key}
                )
            )
        positions.setdefault(key, index)
    for column in required:
        if column not in positions:
            problems.append(
                ImportProblem(
                    1,
                    column,
                    "",
                    _("Kolom wajib “%(column)s” tidak ada di baris judul (baris 1). Judul kolom yang dipakai: %(all)s.")
                    % {"column": column, "all": ", ".join(columns)},
                )
            )
    if problems:
        return [], problems

    max_rows = import_max_rows()
    rows: list[dict[str, str]] = []
    at = [(column, positions.get(column, -1)) for column in columns]
    for number, values in iterator:
        cells: dict[str, str] = {}
        width = len(values)
        for column, index in at:
            value = values[index] if 0 <= index < width else None
            if isinstance(value, (list, dict)):
                problems.append(
                    ImportProblem(number, column, "", _("Sel harus berisi teks atau angka, bukan daftar atau objek."))
                )
                text = ""
            else:
                text = _cell_text(value)
            cells[column] = text
        if _BAD_CHARACTERS.search("".join(cells.values())):  # one search per row; which cell, when one has
            problems.extend(
                ImportProblem(
                    number,
                    column,
                    text,
                    _("Sel berisi karakter kontrol yang tidak diizinkan; ketik ulang isinya sebagai teks biasa."),
                )
                for column, text in cells.items()
                if _BAD_CHARACTERS.search(text)
            )
        if not any(cells.values()):
            continue  # a blank row: skipped, the numbers of the others stay the sheet's
        rows.append(SheetRow(number, cells))
        if len(rows) > max_rows:
            return [], [
                _file_problem(
                    _("Berkas berisi lebih dari %(max)d baris data; bagi menjadi beberapa berkas.") % {"max": max_rows}
                )
            ]
    if not rows and not problems:
        problems.append(_file_problem(_("Berkas tidak berisi baris data (hanya baris judul).")))
    if problems:
        return [], problems
    return rows, []


def _cell_text(value: object) -> str:
    """A cell as text: numbers as a person reads them (a ``SheetNumber`` carrying the exact
    value), dates in ISO form, spaces trimmed, the export's formula escape undone."""
    if value.__class__ is str:  # every CSV cell and most others: the common case first
        return formula_unescape(value.strip())
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _number_text(value)
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif hasattr(value, "isoformat"):
        text = value.isoformat()
    else:
        text = str(value)
    return formula_unescape(text.strip())


def _number_text(value: int | float | Decimal) -> str:
    """A number cell's text; a ``SheetNumber`` unless the value is not finite (NaN, infinity)."""
    if isinstance(value, float):
        # Excel keeps every number as a float: 2078747000 arrives as 2078747000.0.
        text = str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    else:
        text = str(value)
    number = Decimal(str(value))  # str(0.1) is "0.1": the value as the cell shows it, not the float's binary
    return SheetNumber(text, number) if number.is_finite() else text


def row_problem(row: dict[str, str], column: str, message: str) -> ImportProblem:
    """A problem of one cell of a ``SheetRow``, quoting what the cell holds."""
    return ImportProblem(row=getattr(row, "row", None), column=column, value=row.get(column, ""), message=message)


def choice_key(text: str) -> str:
    """A choice as typed, for lookup: ``Sub Kegiatan``, ``sub_kegiatan``, ``SUBKEGIATAN`` -> ``subkegiatan``."""
    return normalise_key(text).replace("_", "")


def choice_lookup(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    """``choice_key`` of each choice's value and of its label -> the value."""
    return {choice_key(str(spelling)): value for value, label in choices for spelling in (value, label)}


def size_problem(size: int) -> ImportProblem:
    """The problem of a file of ``size`` bytes, over the import's size limit."""
    message = _("Berkas terlalu besar (%(size)s); paling besar %(limit)s.") % {
        "size": size_text(size),
        "limit": size_text(import_max_bytes()),
    }
    return _file_problem(message)


def _file_problem(message: str) -> ImportProblem:
    return ImportProblem(row=None, column=None, value="", message=message)
