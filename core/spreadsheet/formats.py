"""The file formats a spreadsheet upload may be (see ``core.spreadsheet``): telling them apart
by their bytes, and one reader per format yielding ``(row number, cells)`` with the header first,
stopping at the limits. A refusal is a ``Refused`` with the message for the user."""

import csv
import io
import json
import re
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import PurePath

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 50_000
# An .xlsx is a zip of XML parts, and a few hundred KB of it can unpack to a hundred MB of rows
# and strings that cost openpyxl a minute of CPU. So before openpyxl parses anything the archive
# is checked against these limits (settings POKIN_IMPORT_MAX_UNPACKED_BYTES, ..._MAX_CELLS and
# ..._MAX_SHARED_STRINGS), and the rows are counted while they are read. A 50,000-row export
# unpacks to about 21 MB, compressed about 12 times; its cells are 400,000 (600,000 allows twelve
# columns, and bounds the CPU a hostile file may cost to that of the largest honest one).
DEFAULT_MAX_UNPACKED_BYTES = 40 * 1024 * 1024
DEFAULT_MAX_CELLS = 600_000
DEFAULT_MAX_SHARED_STRINGS = 250_000
# A part that unpacks to more than this many times its compressed size (and to more than
# RATIO_MIN_BYTES) is no spreadsheet anyone saved: XML of real data compresses 5 to 20 times.
MAX_COMPRESSION_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024
# Reading stops at this sheet row even if the rows so far were blank (formatted empty rows).
ROW_SCAN_FACTOR = 2

SUPPORTED_EXTENSIONS = ("xlsx", "csv", "json")
_TEXT_EXTENSIONS = ("csv", "json", "txt", "")
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: legacy .xls, or an encrypted .xlsx
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

_KEY_SEPARATORS = re.compile(r"[\s\-]+")


class Refused(Exception):
    """Reading stops: the file as a whole is refused with this message."""


def import_max_bytes() -> int:
    return int(getattr(settings, "POKIN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def import_max_rows() -> int:
    return int(getattr(settings, "POKIN_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def import_max_unpacked_bytes() -> int:
    return int(getattr(settings, "POKIN_IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES))


def import_max_cells() -> int:
    return int(getattr(settings, "POKIN_IMPORT_MAX_CELLS", DEFAULT_MAX_CELLS))


def import_max_shared_strings() -> int:
    return int(getattr(settings, "POKIN_IMPORT_MAX_SHARED_STRINGS", DEFAULT_MAX_SHARED_STRINGS))


def number_text(number: int) -> str:
    """``200000`` -> ``200.000``: grouped the way the active language writes numbers."""
    return number_format(number, force_grouping=True)


# --- telling the formats apart -------------------------------------------------------------------


def detect(data: bytes, filename: str) -> str:
    """ "xlsx", "csv", "json" or "" (text, to be told apart by its content); or refuse."""
    extension = PurePath(filename or "").suffix.lower().lstrip(".")
    supported = ", ".join(f".{e}" for e in SUPPORTED_EXTENSIONS)
    if extension == "xls" or (data.startswith(_CFB_MAGIC) and _ENCRYPTED_STREAM not in data):
        raise Refused(
            _("Format Excel lama (.xls) tidak didukung; simpan berkas sebagai Excel Workbook (.xlsx) lalu unggah lagi.")
        )
    if data.startswith(_CFB_MAGIC):
        raise Refused(_("Buku kerja ini terenkripsi (dilindungi kata sandi); buka proteksinya lalu simpan ulang."))
    if extension not in (*SUPPORTED_EXTENSIONS, *_TEXT_EXTENSIONS):
        raise Refused(
            _("Jenis berkas .%(extension)s tidak didukung; gunakan %(supported)s.")
            % {"extension": extension, "supported": supported}
        )
    if data.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)):
        if extension in ("csv", "json"):
            raise Refused(
                _(
                    "Nama berkas berakhiran .%(extension)s, tetapi isinya buku kerja Excel; "
                    "ganti akhirannya menjadi .xlsx."
                )
                % {"extension": extension}
            )
        return "xlsx"
    if extension == "xlsx":
        raise Refused(_("Berkas .xlsx ini rusak atau bukan buku kerja Excel."))
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused(
            _("Berkas ini bukan spreadsheet yang didukung (isinya bukan teks); gunakan %(supported)s.")
            % {"supported": supported}
        )
    return extension if extension in ("csv", "json") else ""


def decode(data: bytes) -> str:
    """Text as Excel and others save it: UTF-8 (with or without BOM), UTF-16 with BOM, else
    the Windows code page Indonesian Excel uses for "CSV" (cp1252), else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise Refused(_("Berkas teks UTF-16 ini rusak.")) from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# --- the three readers: each yields (row number, cells), the header first -----------------------

Record = tuple[int, list[object]]


def xlsx_records(data: bytes, sheet: str | None) -> Iterator[Record]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
        names = {part.filename for part in parts}
        mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except Exception:  # any failure of a damaged archive means the same to the user
        raise Refused(_("Berkas .xlsx ini rusak atau bukan buku kerja Excel.")) from None
    if any(part.flag_bits & 0x1 for part in parts):
        raise Refused(_("Buku kerja ini terenkripsi (dilindungi kata sandi); buka proteksinya lalu simpan ulang."))
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise Refused(_("Berkas OpenDocument (.ods) tidak didukung; simpan sebagai Excel Workbook (.xlsx)."))
    if "xl/workbook.xml" not in names:
        raise Refused(_("Berkas ini arsip ZIP, bukan buku kerja Excel (.xlsx)."))
    archive_check(archive)

    import openpyxl

    from core.spreadsheet.xlsx_rows import worksheet_values

    workbook = None
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it does not read (data validation
            # extensions, conditional formats, a missing default style); none matter for values.
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            worksheet = choose_sheet(workbook, sheet)
            scan_limit = ROW_SCAN_FACTOR * import_max_rows() + 1
            declared = worksheet.max_row  # the sheet's own <dimension>, read by openpyxl; may be absent
            if declared is not None and declared > scan_limit:
                raise Refused(_too_many_rows(scan_limit - 1))
            # Each row to its own last cell (a wrong <dimension> is not used to pad rows).
            values_by_row = worksheet_values(worksheet)
        max_cells = import_max_cells()
        number = cells = 0
        while True:
            with warnings.catch_warnings():  # per row: never left switched off while suspended
                warnings.simplefilter("ignore", UserWarning)
                values = next(values_by_row, None)
            if values is None:
                return
            number += 1
            if number > scan_limit:
                raise Refused(_too_many_rows(scan_limit - 1))
            # openpyxl pads a row to its last cell: one cell in column XFD is 16,384 values.
            cells += len(values)
            if cells > max_cells:
                raise Refused(
                    _(
                        "Lembar kerja berisi lebih dari %(cells)s sel (sampai baris %(row)s); "
                        "hapus kolom dan baris kosong di sebelah kanan dan bawah tabel."
                    )
                    % {"cells": number_text(max_cells), "row": number_text(number)}
                )
            yield number, list(values)
    except Refused:
        raise
    except Exception:  # openpyxl raises many kinds (zip, XML, KeyError, ValueError) on a damaged file
        raise Refused(_("Berkas .xlsx ini rusak atau tidak dapat dibaca.")) from None
    finally:
        if workbook is not None:
            workbook.close()


def _too_many_rows(limit: int) -> str:
    return _("Lembar kerja memiliki lebih dari %(rows)s baris.") % {"rows": number_text(limit)}


def archive_check(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook that would cost too much to open, from the zip's directory and one
    streamed pass over the shared strings, before openpyxl reads any of it: what its parts
    unpack to (in total, and against their compressed size) and how many shared strings it
    holds (openpyxl keeps every one in memory before the first row is read).

    The sizes in the zip's directory may be forged, but never in the attacker's favour:
    ``zipfile`` stops each part at its declared size and refuses it on a CRC mismatch."""
    parts = archive.infolist()
    unpacked = sum(part.file_size for part in parts)
    limit = import_max_unpacked_bytes()
    if unpacked > limit:
        raise Refused(
            _("Isi buku kerja ini terlalu besar setelah dibuka (%(size)s; paling besar %(limit)s).")
            % {"size": size_text(unpacked), "limit": size_text(limit)}
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise Refused(
                _(
                    "Buku kerja ini tidak wajar: bagian %(part)s membesar %(ratio)s kali saat dibuka. "
                    "Buka dan simpan ulang berkas di Excel, lalu unggah lagi."
                )
                % {"part": part.filename, "ratio": number_text(int(ratio))}
            )
    strings_part = _shared_strings_part(archive)
    if strings_part is None:
        return
    max_strings = import_max_shared_strings()
    try:
        count = _count_shared_strings(archive, strings_part, stop_after=max_strings)
    except Exception:  # unreadable XML or a missing part: as openpyxl would find it
        raise Refused(_("Berkas .xlsx ini rusak atau tidak dapat dibaca.")) from None
    if count > max_strings:
        raise Refused(
            _("Buku kerja ini berisi lebih dari %(max)s teks berbeda (shared strings); bagi menjadi beberapa berkas.")
            % {"max": number_text(max_strings)}
        )


def _shared_strings_part(archive: zipfile.ZipFile) -> str | None:
    """The shared strings part openpyxl would read: the one [Content_Types].xml names."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS
    from openpyxl.xml.functions import fromstring

    try:
        manifest = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
    except Exception:  # no or broken [Content_Types].xml: openpyxl refuses the file itself
        return None
    found = manifest.find(SHARED_STRINGS)
    return found.PartName[1:] if found is not None else None


def _count_shared_strings(archive: zipfile.ZipFile, name: str, *, stop_after: int) -> int:
    """How many strings (``<si>``) the part holds, streamed, stopping once past ``stop_after``;
    memory stays flat, as each string is dropped when it ends. The parser is openpyxl's own
    (defusedxml's when installed), so this pass accepts what openpyxl's would."""
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    tag = f"{{{SHEET_MAIN_NS}}}si"
    count = 0
    with archive.open(name) as source:
        root = None
        for event, element in iterparse(source, events=("start", "end")):
            if root is None:
                root = element
            elif event == "end" and element.tag == tag:
                count += 1
                if count > stop_after:
                    break
                root.clear()
    return count


def size_text(size: int) -> str:
    """A size in bytes as the messages give it: ``12,5 MB``, ``300 KB``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


def choose_sheet(workbook, preferred: str | None):
    sheets = [each for each in workbook.worksheets if hasattr(each, "iter_rows")]
    if not sheets:
        raise Refused(_("Buku kerja ini tidak memiliki lembar kerja berisi tabel."))
    if preferred:
        for each in sheets:
            if each.title.strip().casefold() == preferred.casefold():
                return each
    active = workbook.active
    return active if active in sheets else sheets[0]


def csv_records(text: str, columns: tuple[str, ...]) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text, columns))
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            yield number, list(values)
    except csv.Error:
        raise Refused(
            _("Berkas CSV rusak di sekitar baris %(row)d (tanda kutip tidak tertutup atau sel terlalu panjang).")
            % {"row": number + 1}
        ) from None


def csv_delimiter(text: str, columns: tuple[str, ...]) -> str:
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


def json_records(text: str) -> Iterator[Record]:
    """A list of objects (as the export writes), or a list of lists whose first is the header."""
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError) as error:
        where = ""
        if isinstance(error, json.JSONDecodeError):
            where = " " + _("(baris %(line)d, kolom %(column)d)") % {"line": error.lineno, "column": error.colno}
        raise Refused(_("Berkas JSON tidak sah%(where)s.") % {"where": where}) from None
    if not isinstance(payload, list):
        raise Refused(_('Berkas JSON harus berupa daftar baris: [{"kode": ..., ...}, ...].'))
    if not payload:
        raise Refused(_("Berkas tidak berisi baris data."))
    if payload and all(isinstance(item, list) for item in payload):
        for number, values in enumerate(payload, start=1):
            yield number, list(values)
        return
    header: dict[str, None] = {}
    for index, item in enumerate(payload):
        if not isinstance(item, dict):
            raise Refused(_('Baris %(row)d berkas JSON bukan objek {"kolom": nilai}.') % {"row": index + 2})
        header.update(dict.fromkeys(str(key) for key in item))
    keys = list(header)
    yield 1, list(keys)
    for index, item in enumerate(payload):
        yield index + 2, [item.get(key) for key in keys]


def normalise_key(value: object) -> str:
    """A header or a choice as people type it -> its key: ``" Unit Kerja "`` -> ``unit_kerja``."""
    text = "" if value is None else str(value)
    return _KEY_SEPARATORS.sub("_", text.strip().casefold()).strip("_")
