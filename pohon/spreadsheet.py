"""Reading the spreadsheets people upload (.xlsx, .csv, .json) into rows of text, safely.

Shared by the tree import (``pohon.imports``) and the organisation import (``dinas.imports``):
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
are driven here directly, row by row, stopping at the row limit.
"""

import csv
import io
import json
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

import tablib
from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 50_000
# An .xlsx is a zip: refuse one whose parts unpack to more than this many times the upload limit
# (a "zip bomb" of a few MB could otherwise unpack to gigabytes).
UNPACKED_FACTOR = 10
# Reading stops at this sheet row even if the rows so far were blank (formatted empty rows).
ROW_SCAN_FACTOR = 20

SUPPORTED_EXTENSIONS = ("xlsx", "csv", "json")
_TEXT_EXTENSIONS = ("csv", "json", "txt", "")
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: legacy .xls, or an encrypted .xlsx
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# Cells may hold tabs and line breaks; other control characters (and lone surrogates, which a
# JSON "\ud800" produces) cannot be stored in PostgreSQL text or written back to .xlsx.
_BAD_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_KEY_SEPARATORS = re.compile(r"[\s\-]+")

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


class SheetRow(dict[str, str]):
    """One data row: canonical column -> cell text (every requested column, "" when empty),
    and ``row``, the number the spreadsheet shows for it."""

    __slots__ = ("row",)

    def __init__(self, row: int, cells: dict[str, str]) -> None:
        super().__init__(cells)
        self.row = row


class _Refused(Exception):
    """Reading stops: the file as a whole is refused with this message."""


def import_max_bytes() -> int:
    return int(getattr(settings, "POKIN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def import_max_rows() -> int:
    return int(getattr(settings, "POKIN_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def normalise_key(value: object) -> str:
    """A header or a choice as people type it -> its key: ``" Unit Kerja "`` -> ``unit_kerja``."""
    text = "" if value is None else str(value)
    return _KEY_SEPARATORS.sub("_", text.strip().casefold()).strip("_")


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
    Excel shows them (``2078747000``, not ``2078747000.0``), surrounding spaces removed, and an
    export's formula escape undone. ``sheet`` names the worksheet to prefer in a workbook (the
    template's data sheet); without it, or when absent, the active sheet is read.

    When anything is wrong the rows are empty and the problems say why (file-level problems have
    no row); the function never raises on any content.
    """
    size_limit = import_max_bytes()
    if len(data) > size_limit:
        return [], [
            _file_problem(
                _("Berkas terlalu besar (%(size)s); paling besar %(limit)s.")
                % {"size": _size_text(len(data)), "limit": _size_text(size_limit)}
            )
        ]
    if not data.strip():
        return [], [_file_problem(_("Berkas kosong."))]
    try:
        kind = _detect(data, filename)
        if kind == "xlsx":
            return _rows_from_records(_xlsx_records(data, sheet), columns=columns, required=required)
        text = _decode(data)
        if kind == "json" or (kind == "" and text.lstrip()[:1] in ("[", "{")):
            return _rows_from_records(_json_records(text), columns=columns, required=required)
        return _rows_from_records(_csv_records(text, columns), columns=columns, required=required)
    except _Refused as refused:
        return [], [_file_problem(str(refused))]


# --- telling the formats apart -------------------------------------------------------------------


def _detect(data: bytes, filename: str) -> str:
    """ "xlsx", "csv", "json" or "" (text, to be told apart by its content); or refuse."""
    extension = PurePath(filename or "").suffix.lower().lstrip(".")
    supported = ", ".join(f".{e}" for e in SUPPORTED_EXTENSIONS)
    if extension == "xls" or (data.startswith(_CFB_MAGIC) and _ENCRYPTED_STREAM not in data):
        raise _Refused(
            _("Format Excel lama (.xls) tidak didukung; simpan berkas sebagai Excel Workbook (.xlsx) lalu unggah lagi.")
        )
    if data.startswith(_CFB_MAGIC):
        raise _Refused(_("Buku kerja ini terenkripsi (dilindungi kata sandi); buka proteksinya lalu simpan ulang."))
    if extension not in (*SUPPORTED_EXTENSIONS, *_TEXT_EXTENSIONS):
        raise _Refused(
            _("Jenis berkas .%(extension)s tidak didukung; gunakan %(supported)s.")
            % {"extension": extension, "supported": supported}
        )
    if data.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)):
        if extension in ("csv", "json"):
            raise _Refused(
                _(
                    "Nama berkas berakhiran .%(extension)s, tetapi isinya buku kerja Excel; "
                    "ganti akhirannya menjadi .xlsx."
                )
                % {"extension": extension}
            )
        return "xlsx"
    if extension == "xlsx":
        raise _Refused(_("Berkas .xlsx ini rusak atau bukan buku kerja Excel."))
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Refused(
            _("Berkas ini bukan spreadsheet yang didukung (isinya bukan teks); gunakan %(supported)s.")
            % {"supported": supported}
        )
    return extension if extension in ("csv", "json") else ""


def _decode(data: bytes) -> str:
    """Text as Excel and others save it: UTF-8 (with or without BOM), UTF-16 with BOM, else
    the Windows code page Indonesian Excel uses for "CSV" (cp1252), else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _Refused(_("Berkas teks UTF-16 ini rusak.")) from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# --- the three readers: each yields (row number, cells), the header first -----------------------

Record = tuple[int, list[object]]


def _xlsx_records(data: bytes, sheet: str | None) -> Iterator[Record]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
        names = {part.filename for part in parts}
        mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except Exception:  # any failure of a damaged archive means the same to the user
        raise _Refused(_("Berkas .xlsx ini rusak atau bukan buku kerja Excel.")) from None
    if any(part.flag_bits & 0x1 for part in parts):
        raise _Refused(_("Buku kerja ini terenkripsi (dilindungi kata sandi); buka proteksinya lalu simpan ulang."))
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise _Refused(_("Berkas OpenDocument (.ods) tidak didukung; simpan sebagai Excel Workbook (.xlsx)."))
    if "xl/workbook.xml" not in names:
        raise _Refused(_("Berkas ini arsip ZIP, bukan buku kerja Excel (.xlsx)."))
    if sum(part.file_size for part in parts) > UNPACKED_FACTOR * import_max_bytes():
        raise _Refused(_("Isi buku kerja ini terlalu besar setelah dibuka."))

    import openpyxl

    workbook = None
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it does not read (data validation
            # extensions, conditional formats, a missing default style); none matter for values.
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            worksheet = _choose_sheet(workbook, sheet)
            worksheet.reset_dimensions()  # a wrong <dimension> would pad every row to its width
            values_by_row = worksheet.iter_rows(values_only=True)
        scan_limit = ROW_SCAN_FACTOR * import_max_rows() + 1
        number = 0
        while True:
            with warnings.catch_warnings():  # per row: never left switched off while suspended
                warnings.simplefilter("ignore", UserWarning)
                values = next(values_by_row, None)
            if values is None:
                return
            number += 1
            if number > scan_limit:
                raise _Refused(_("Lembar kerja memiliki lebih dari %(rows)d baris.") % {"rows": scan_limit - 1})
            yield number, list(values)
    except _Refused:
        raise
    except Exception:  # openpyxl raises many kinds (zip, XML, KeyError, ValueError) on a damaged file
        raise _Refused(_("Berkas .xlsx ini rusak atau tidak dapat dibaca.")) from None
    finally:
        if workbook is not None:
            workbook.close()


def _choose_sheet(workbook, preferred: str | None):
    sheets = [each for each in workbook.worksheets if hasattr(each, "iter_rows")]
    if not sheets:
        raise _Refused(_("Buku kerja ini tidak memiliki lembar kerja berisi tabel."))
    if preferred:
        for each in sheets:
            if each.title.strip().casefold() == preferred.casefold():
                return each
    active = workbook.active
    return active if active in sheets else sheets[0]


def _csv_records(text: str, columns: tuple[str, ...]) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text, columns))
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            yield number, list(values)
    except csv.Error:
        raise _Refused(
            _("Berkas CSV rusak di sekitar baris %(row)d (tanda kutip tidak tertutup atau sel terlalu panjang).")
            % {"row": number + 1}
        ) from None


def _csv_delimiter(text: str, columns: tuple[str, ...]) -> str:
    """Comma, or the semicolon Indonesian Excel writes (comma is the decimal sign there), or tab:
    whichever splits the header into the most known column names."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    known = set(columns)
    best, best_score = ",", -1
    for delimiter in (",", ";", "\t"):
        try:
            header = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        score = sum(normalise_key(cell) in known for cell in header)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _json_records(text: str) -> Iterator[Record]:
    """A list of objects (as the export writes), or a list of lists whose first is the header."""
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError) as error:
        where = ""
        if isinstance(error, json.JSONDecodeError):
            where = " " + _("(baris %(line)d, kolom %(column)d)") % {"line": error.lineno, "column": error.colno}
        raise _Refused(_("Berkas JSON tidak sah%(where)s.") % {"where": where}) from None
    if not isinstance(payload, list):
        raise _Refused(_('Berkas JSON harus berupa daftar baris: [{"kode": ..., ...}, ...].'))
    if not payload:
        raise _Refused(_("Berkas tidak berisi baris data."))
    if payload and all(isinstance(item, list) for item in payload):
        for number, values in enumerate(payload, start=1):
            yield number, list(values)
        return
    header: dict[str, None] = {}
    for index, item in enumerate(payload):
        if not isinstance(item, dict):
            raise _Refused(_('Baris %(row)d berkas JSON bukan objek {"kolom": nilai}.') % {"row": index + 2})
        header.update(dict.fromkeys(str(key) for key in item))
    keys = list(header)
    yield 1, list(keys)
    for index, item in enumerate(payload):
        yield index + 2, [item.get(key) for key in keys]


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
    for number, values in iterator:
        cells: dict[str, str] = {}
        for column in columns:
            index = positions.get(column)
            value = values[index] if index is not None and index < len(values) else None
            if isinstance(value, (list, dict)):
                problems.append(
                    ImportProblem(number, column, "", _("Sel harus berisi teks atau angka, bukan daftar atau objek."))
                )
                value = None
            text = _cell_text(value)
            if _BAD_CHARACTERS.search(text):
                problems.append(
                    ImportProblem(
                        number,
                        column,
                        text,
                        _("Sel berisi karakter kontrol yang tidak diizinkan; ketik ulang isinya sebagai teks biasa."),
                    )
                )
            cells[column] = text
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
    """A cell as text: numbers as a person reads them, dates in ISO form, spaces trimmed, the
    export's formula escape undone."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        # Excel keeps every number as a float: 2078747000 arrives as 2078747000.0.
        text = str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    elif hasattr(value, "isoformat"):
        text = value.isoformat()
    else:
        text = str(value)
    return formula_unescape(text.strip())


def _file_problem(message: str) -> ImportProblem:
    return ImportProblem(row=None, column=None, value="", message=message)


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"
