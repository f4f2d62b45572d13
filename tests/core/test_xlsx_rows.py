"""The fast row reader gives exactly what openpyxl's read-only worksheet gives, for every kind of cell."""

import datetime
import io
import zipfile

import openpyxl
import pytest

from core.spreadsheet.formats import xlsx_records
from core.spreadsheet.xlsx_rows import worksheet_values

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _openpyxl_rows(data: bytes) -> list[list[object]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        worksheet = workbook.active
        worksheet.reset_dimensions()
        return [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _fast_rows(data: bytes) -> list[list[object]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [list(row) for row in worksheet_values(workbook.active)]
    finally:
        workbook.close()


def _with_sheet_xml(sheet_data: str, *, shared_strings: str | None = None) -> bytes:
    """A workbook saved by openpyxl whose first sheet's rows are replaced by ``sheet_data``."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["placeholder"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = f"<worksheet {NS}><sheetData>{sheet_data}</sheetData></worksheet>".encode()
            if item.filename == "[Content_Types].xml" and shared_strings is not None:
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            if item.filename == "xl/_rels/workbook.xml.rels" and shared_strings is not None:
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            target.writestr(item, content)
        if shared_strings is not None:
            target.writestr("xl/sharedStrings.xml", f"<sst {NS}>{shared_strings}</sst>")
    return output.getvalue()


def test_same_values_as_openpyxl_for_a_written_workbook():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["kode", "uraian", "pagu", "aktif", "tanggal"])
    sheet.append(["1", "Meningkatnya  kemandirian\tdesa\n(baris dua)", 2078747000, True, datetime.date(2018, 1, 25)])
    sheet.append([None, "", 1.5, False, None])
    sheet.append([])
    sheet.append(["'=SUM(A1)", "Ünïcode – “kutip”", -3, None, datetime.datetime(2018, 1, 25, 9, 30)])
    sheet.cell(row=9, column=7, value="jauh")
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()

    fast = _fast_rows(data)
    assert fast == _openpyxl_rows(data)
    assert fast[1][1] == "Meningkatnya  kemandirian\tdesa\n(baris dua)"
    assert fast[1][2] == 2078747000
    assert fast[8] == [None] * 6 + ["jauh"]


def test_rich_text_phonetic_shared_strings_gaps_and_cells_without_coordinates():
    sheet_data = (
        '<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t>Teb</t></r><r><t xml:space="preserve">al </t>'
        '</r><rPh sb="0" eb="1"><t>x</t></rPh></is></c><c r="C1" t="s"><v>1</v></c></row>'
        '<row r="3"><c t="inlineStr"><is><t>tanpa koordinat</t></is></c><c t="n"><v>7</v></c>'
        '<c t="inlineStr"><is/></c><c t="inlineStr"/></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>urutan salah</t></is></c></row>'
        '<row r="5"><c r="B5" t="b"><v>1</v></c><c r="D5" t="str"><f>A1</f><v>hasil rumus</v></c>'
        '<c r="E5" t="e"><v>#N/A</v></c><c r="F5" t="s"><v>0</v></c></row>'
        "<row/>"
        '<row r="7"><c r="A7" t="inlineStr"><is><t>&amp;&lt;tag&gt; &#x201C;ok&#x201D;</t></is></c></row>'
    )
    shared = "<si><t>bersama</t></si><si><r><t>ka</t></r><r><t>ya</t></r></si>"
    data = _with_sheet_xml(sheet_data, shared_strings=shared)

    fast = _fast_rows(data)
    assert fast == _openpyxl_rows(data)
    assert fast[0] == ["Tebal ", None, "kaya"]
    assert fast[2] == ["tanpa koordinat", 7, "", None]
    assert fast[4] == [None, True, None, "hasil rumus", "#N/A", "bersama"]
    assert fast[6] == ["&<tag> \u201cok\u201d"]


def test_the_import_reader_uses_it_and_numbers_rows():
    data = _with_sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>kode</t></is></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><r><t>1.</t></r><r><t>2</t></r></is></c></row>'
    )
    assert list(xlsx_records(data, None)) == [(1, ["kode"]), (2, []), (3, ["1.2"])]


@pytest.mark.parametrize("rows", [0, 1])
def test_an_empty_sheet(rows):
    data = _with_sheet_xml("<row/>" * rows)
    assert _fast_rows(data) == _openpyxl_rows(data)
