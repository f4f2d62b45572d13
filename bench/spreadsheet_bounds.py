"""Benchmark: reading hostile .xlsx uploads, before (the obvious openpyxl load) and after the
reader's limits (``core.spreadsheet.spreadsheet_read``).

The files are built here, in memory, from XML strings:
- ``bomb``: about 240 KB that unpack to about 80 MB: a million shared strings and a million rows
  whose one cell lies outside the table's columns (so every row reads as blank and nothing stops
  early on the data-row limit);
- ``dense``: a file made to pass the size and compression checks (random text, numbered rows):
  every shared string the limit allows, and rows of eight cells (after eight empty ones) until
  the reader refuses it at the cell limit: about the most a file may still cost the reader;
- ``export``: an honest export of a 10,000-node tree, to show the checks cost it nothing.

"Before" is what tablib's XLSX import does: ``openpyxl.load_workbook(read_only=True,
data_only=True)`` and every row of the active sheet. "After" is ``spreadsheet_read`` with the
project's settings. Each is timed (CPU seconds, median of ``--repeats`` runs) and its peak Python
allocation measured by tracemalloc in one more run.

    .venv/bin/python bench/spreadsheet_bounds.py [--repeats 3] [--skip-before]

Measured on 2 CPUs (median of 3; peak = tracemalloc):
    bomb (240 KB -> 83 MB)    before 79.83 s  93 MiB   all 1,070,001 rows read
                              after   0.00 s   0 MiB   refused: unpacks to 82,6 MB, limit 40 MB
    dense (5543 KB -> 28 MB)  before  6.40 s  35 MiB   75,000 rows read
                              after   5.23 s  35 MiB   refused at 600.000 cells (row 37.501)
    export (345 KB -> 4 MB)   before  0.59 s   1 MiB   after 0.74 s, 7 MiB (10,038 rows, as text)
The reader as it was before these limits took 76 s of CPU and 214 MB of RSS on a 224 KB bomb
(a million strings and rows).
"""

import argparse
import io
import random
import statistics
import string
import time
import tracemalloc
import zipfile
from collections.abc import Callable

from _setup import bench_django, bench_pemda, print_table

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADER = ["kode", "induk", "jenis", "uraian", "unit_kerja", "pagu", "target", "satuan"]
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="pohon" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    '<Relationship Id="rId2" Target="sharedStrings.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    "</Relationships>"
)


def workbook_bytes(sheet_rows: str, strings: list[str] | str) -> bytes:
    """An .xlsx whose one sheet has the canonical header and then ``sheet_rows`` (XML)."""
    header = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in HEADER)
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {NS}><sheetData>'
        f"<row>{header}</row>{sheet_rows}</sheetData></worksheet>"
    )
    items = strings if isinstance(strings, str) else "".join(f"<si><t>{text}</t></si>" for text in strings)
    table = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst {NS}>{items}</sst>'
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", table)
    return stream.getvalue()


def bomb_xlsx(count: int = 1_070_000) -> bytes:
    """``count`` one-letter shared strings and ``count`` rows, each with one cell in column I
    (after eight empty ones): outside the table, so every row is blank to the reader."""
    row = "<row>" + "<c/>" * 8 + '<c t="s"><v>0</v></c></row>'
    return workbook_bytes(row * count, "<si><t>x</t></si>" * count)


def dense_xlsx(strings: int, rows: int, cells: int) -> bytes:
    """Random text and numbered rows and cells: it compresses about as well as real data, so
    only the counting limits stop it."""
    rng = random.Random(7)
    texts = ["".join(rng.choices(string.ascii_letters, k=8)) for _ in range(strings)]
    parts = []
    for number in range(2, rows + 2):
        values = "".join(
            f'<c r="{_column(9 + i)}{number}" t="s"><v>{rng.randrange(strings)}</v></c>' for i in range(cells)
        )
        parts.append(f'<row r="{number}">{values}</row>')
    return workbook_bytes("".join(parts), texts)


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def openpyxl_obvious(data: bytes) -> int:
    """What tablib's XLSX import does: the read-only workbook, every row of the active sheet."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return sum(1 for _row in workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()


def reader_after(data: bytes) -> str:
    from core.spreadsheet import spreadsheet_read
    from pohon.resources import COLUMNS

    rows, problems = spreadsheet_read(data, filename="hostile.xlsx", columns=COLUMNS, required=("kode",), sheet="pohon")
    return problems[0].message if problems else f"{len(rows)} rows"


def cpu_median(function: Callable[[], object], repeats: int) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(repeats):
        start = time.process_time()
        result = function()
        timings.append(time.process_time() - start)
    return statistics.median(timings), result


def peak_mib(function: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def unpacked_mib(data: bytes) -> float:
    return sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(data)).infolist()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-before", action="store_true", help="only the reader with its limits")
    args = parser.parse_args()
    bench_django()

    from core.spreadsheet.formats import import_max_cells, import_max_rows, import_max_shared_strings
    from dinas.models import PerangkatDaerah
    from pohon.resources import pohon_export
    from pohon.sample import sample_tree_create

    dinas = PerangkatDaerah.objects.create(kode="bench-bounds", nama="Dinas Uji", pemda=bench_pemda("Kabupaten Uji"))
    # The densest file the checks before openpyxl let through: every shared string allowed, and
    # rows of eight cells up to the cell limit (or the rows the reader scans, whichever is less).
    dense_rows = min(import_max_cells() // 8, 2 * import_max_rows()) - 1
    files = {
        "bomb": bomb_xlsx(),
        "dense": dense_xlsx(import_max_shared_strings(), dense_rows, 8),
        "export": pohon_export(sample_tree_create(dinas=dinas, tahun=2029, size=10_000), "xlsx"),
    }
    rows = []
    for name, data in files.items():
        label = f"{name} ({len(data) / 1024:.0f} KB -> {unpacked_mib(data):.0f} MB)"
        readers = [("before", openpyxl_obvious), ("after", reader_after)]
        if args.skip_before:
            readers = readers[1:]
        for when, reader in readers:
            seconds, result = cpu_median(lambda reader=reader, data=data: reader(data), args.repeats)
            peak = peak_mib(lambda reader=reader, data=data: reader(data))
            outcome = f"{result} rows" if isinstance(result, int) else str(result)
            rows.append([label, when, f"{seconds:.2f}", f"{peak:.0f}", outcome[:90]])
            print(*rows[-1], sep="  |  ", flush=True)
    print()
    print(f"Reading hostile .xlsx files: CPU seconds (median of {args.repeats}), peak Python allocation (tracemalloc)")
    print_table(["file", "reader", "cpu s", "peak MiB", "outcome"], rows)


if __name__ == "__main__":
    main()
