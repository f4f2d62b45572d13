"""The spreadsheet reader's limits on what an .xlsx may unpack to and hold: each hostile file is
built here from XML strings, refused with one Indonesian message before openpyxl parses it (or
as soon as its rows pass a limit), and nothing is written."""

import io
import zipfile

import pytest

from core.spreadsheet import spreadsheet_read
from pohon.imports import pohon_import
from pohon.models import Pohon
from pohon.resources import COLUMNS

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
HEADER_ROW = '<row r="1">' + "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in COLUMNS) + "</row>"
DATA_ROW = '<row r="2"><c t="inlineStr"><is><t>T1</t></is></c><c/><c t="inlineStr"><is><t>tujuan</t></is></c>'
DATA_ROW += '<c t="inlineStr"><is><t>Meningkatnya X</t></is></c></row>'


def xlsx(rows: str = DATA_ROW, *, strings: str | None = None, strings_part: str = "xl/sharedStrings.xml",
         dimension: str = "", extra: dict[str, str] | None = None) -> bytes:  # fmt: skip
    """A one-sheet workbook: the canonical header, then ``rows`` (sheet XML), with a shared
    strings part when ``strings`` (its <si> elements) is given."""
    overrides = (
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    )
    relationships = (
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    )
    if strings is not None:
        overrides += f'<Override PartName="/{strings_part}" ContentType="{STRINGS_TYPE}"/>'
        relationships += (
            f'<Relationship Id="rId2" Target="/{strings_part}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
        )
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets><sheet name="pohon" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{relationships}</Relationships>',
        "xl/worksheets/sheet1.xml": f"<worksheet {NS}>{dimension}<sheetData>{HEADER_ROW}{rows}</sheetData></worksheet>",
        **(extra or {}),
    }
    if strings is not None:
        parts[strings_part] = f"<sst {NS}>{strings}</sst>"
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return stream.getvalue()


def read(data: bytes) -> tuple[list, list[str]]:
    rows, problems = spreadsheet_read(data, filename="pohon.xlsx", columns=COLUMNS, required=("kode",), sheet="pohon")
    return rows, [problem.message for problem in problems]


def refused(data: bytes) -> str:
    rows, messages = read(data)
    assert rows == [] and len(messages) == 1, messages
    return messages[0]


def test_the_built_workbook_reads():
    rows, messages = read(xlsx(strings="<si><t>dipakai</t></si>"))
    assert messages == []
    assert [(row.row, row["kode"], row["jenis"]) for row in rows] == [(2, "T1", "tujuan")]


def test_unpacking_past_the_limit_is_refused(settings):
    settings.POKIN_IMPORT_MAX_UNPACKED_BYTES = 20_000
    filler = "".join(f'<row r="{n}"><c r="J{n}"><v>{n * 7919 % 100_003}</v></c></row>' for n in range(3, 700))
    message = refused(xlsx(DATA_ROW + filler))
    assert message.startswith("Isi buku kerja ini terlalu besar setelah dibuka (")
    assert message.endswith("; paling besar 20 KB).")


def test_an_absurd_compression_ratio_is_refused():
    data = xlsx(DATA_ROW + "<row/>" * 400_000)  # 2.4 MB of rows in a few KB
    assert len(data) < 20_000
    message = refused(data)
    assert message.startswith("Buku kerja ini tidak wajar: bagian xl/worksheets/sheet1.xml membesar ")
    assert "simpan ulang berkas di Excel" in message


def test_shared_strings_are_counted_before_openpyxl_reads_them(settings):
    settings.POKIN_IMPORT_MAX_SHARED_STRINGS = 10
    rows, messages = read(xlsx(strings="<si><t>x</t></si>" * 10))
    assert messages == [] and len(rows) == 1
    assert refused(xlsx(strings="<si><t>x</t></si>" * 11)) == (
        "Buku kerja ini berisi lebih dari 10 teks berbeda (shared strings); bagi menjadi beberapa berkas."
    )


def test_shared_strings_under_another_name_are_counted_too(settings):
    """openpyxl reads the part [Content_Types].xml names, whatever it is called; so does the count."""
    settings.POKIN_IMPORT_MAX_SHARED_STRINGS = 10
    data = xlsx(strings="<si><t>x</t></si>" * 11, strings_part="xl/teks.xml")
    assert "lebih dari 10 teks berbeda" in refused(data)


def test_a_declared_dimension_past_the_rows_the_reader_scans_is_refused():
    data = xlsx(dimension='<dimension ref="A1:H1048576"/>')
    assert refused(data) == "Lembar kerja memiliki lebih dari 100.000 baris."


def test_a_gap_to_the_last_row_is_refused_at_the_scan_limit(settings):
    """openpyxl yields an empty row for every row number skipped: a jump to row 1,048,576 would
    be a million rows from one element."""
    settings.POKIN_IMPORT_MAX_ROWS = 10
    data = xlsx(DATA_ROW + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>')
    assert refused(data) == "Lembar kerja memiliki lebih dari 20 baris."


def test_cells_are_counted_as_openpyxl_pads_them(settings):
    """One cell in column XFD is a row of 16,384 values."""
    settings.POKIN_IMPORT_MAX_CELLS = 40_000
    wide = "".join(f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(3, 6))
    assert refused(xlsx(DATA_ROW + wide)) == (
        "Lembar kerja berisi lebih dari 40.000 sel (sampai baris 5); "
        "hapus kolom dan baris kosong di sebelah kanan dan bawah tabel."
    )


@pytest.mark.django_db
def test_a_refused_workbook_writes_nothing(dinas):
    plan, pohon = pohon_import(dinas=dinas, tahun=2019, data=xlsx(DATA_ROW + "<row/>" * 400_000), filename="p.xlsx")
    assert pohon is None and not plan.ok
    assert [(p.row, p.column) for p in plan.problems] == [(None, None)]
    assert not Pohon.objects.exists()
