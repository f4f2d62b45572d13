"""The penjenjangan form (PermenPANRB 89/2021) end to end: a three-level tree of Sasaran, each
under the Sasaran it serves and headed on paper by its unit kerja, with no Bidang or Seksi nodes
(tests/data/pohon_penjenjangan.csv: 2 Sasaran Strategis, 4 Sasaran Program, 9 Sasaran Kegiatan),
through the import, the chart, the table, the export, the checks and the PDF."""

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.urls import reverse

from dinas.models import UnitKerja
from pohon import rules
from pohon.imports import pohon_import
from pohon.models import Node, Pohon
from pohon.pdf import PdfInput, column_budget, pdf_render
from pohon.resources import pohon_export
from pohon.selectors import pohon_dump, pohon_tree
from pohon.services import node_create
from pohon.template import pohon_template_xlsx
from tests.pohon.penjenjangan import (
    CSV,
    SECTIONS,
    TOTAL_PAGU,
    UNITS,
    penjenjangan_pohon,
    penjenjangan_units,
    rows,
    sasaran_rows,
)
from tests.pohon.test_pdf import ARTIFACTS, pdf_text, squeezed, words_outside_page

pytestmark = pytest.mark.django_db

TAHUN = 2024
# The tree as the file gives it: depth, kode, parent, jenis, Pagu (the first division in full)
DUMP_START = """\
1 SS1 - sasaran
2 SS1.I1 SS1 indikator
2 SP1 SS1 sasaran
3 SP1.I1 SP1 indikator
3 SP1.P1 SP1 program 2078747000
3 SK1 SP1 sasaran
4 SK1.I1 SK1 indikator
4 SK1.G1 SK1 kegiatan
3 SK2 SP1 sasaran
4 SK2.I1 SK2 indikator
4 SK2.G1 SK2 kegiatan
3 SK3 SP1 sasaran
4 SK3.I1 SK3 indikator
4 SK3.G1 SK3 kegiatan
2 SP2 SS1 sasaran
"""


@pytest.fixture
def units(dinas):
    penjenjangan_units(dinas)


@pytest.fixture
def penjenjangan(dinas, units) -> Pohon:
    return penjenjangan_pohon(dinas, TAHUN)


def chart_html(client, dinas) -> str:
    response = client.get(reverse("pohon:chart", args=[dinas.kode, TAHUN]))
    assert response.status_code == 200
    return response.content.decode()


def box_html(html: str, pk: int) -> str:
    """A chart box's own markup: from its element to the next box (its children come after it)."""
    start = html.index(f'<div class="cc-box cc-box--sasaran" id="n-{pk}"')
    end = html.find('<div class="cc-box', start + 1)
    return html[start : end if end != -1 else len(html)]


def children_of(kode: str) -> list[dict[str, str]]:
    return [row for row in rows() if row["induk"] == kode]


# --- the sample and the rule table ------------------------------------------------------------------


def test_the_sample_is_the_three_level_form():
    assert len(sasaran_rows("SS")) == 2 and len(sasaran_rows("SP")) == 4 and len(sasaran_rows("SK")) == 9
    assert all(row["induk"] == "" for row in sasaran_rows("SS"))
    assert {row["induk"] for row in sasaran_rows("SP")} == {"SS1", "SS2"}
    assert {row["induk"] for row in sasaran_rows("SK")} == {"SP1", "SP2", "SP3", "SP4"}
    for row in sasaran_rows("S"):  # each Sasaran has its Indikator and its unit
        assert [child["jenis"] for child in children_of(row["kode"])][0] == "indikator", row["kode"]
        assert row["unit_kerja"]
    assert [row["unit_kerja"] for row in sasaran_rows("SK")] == SECTIONS
    assert not [row for row in rows() if row["jenis"] in (rules.BIDANG, rules.SEKSI, rules.TUJUAN)]


def test_rule_table_admits_the_form():
    assert rules.jenis_allowed_under(rules.SASARAN, rules.AKAR)  # Sasaran Strategis at the top
    assert rules.jenis_allowed_under(rules.SASARAN, rules.SASARAN)  # Sasaran Program / Kegiatan
    for child in (rules.INDIKATOR, rules.PROGRAM, rules.KEGIATAN):
        assert rules.jenis_allowed_under(child, rules.SASARAN)
    # still refused: what has a box of its own only as a unit, and nothing under an Indikator
    assert not rules.jenis_allowed_under(rules.SUB_KEGIATAN, rules.SASARAN)
    assert not rules.jenis_allowed_under(rules.SASARAN, rules.INDIKATOR)
    assert not rules.jenis_allowed_under(rules.SASARAN, rules.PROGRAM)


def test_template_instructions_come_from_the_rule_table():
    sheet = openpyxl.load_workbook(io.BytesIO(pohon_template_xlsx()))["petunjuk"]
    text = "\n".join(" | ".join(str(v) for v in row if v is not None) for row in sheet.iter_rows(values_only=True))
    assert (
        "sasaran | Sasaran | tingkat teratas (induk kosong), Tujuan, Sasaran, Bidang, Seksi "
        "| Sasaran, Bidang, Program, Kegiatan, Indikator"
    ) in text
    assert "Kosongkan untuk baris di tingkat teratas (Tujuan atau Sasaran)" in text
    assert "Bentuk penjenjangan (PermenPANRB 89/2021)" in text


# --- import ---------------------------------------------------------------------------------------


def test_import_plans_then_writes_the_form(dinas, units):
    data = CSV.read_bytes()
    plan, pohon = pohon_import(dinas=dinas, tahun=TAHUN, data=data, filename=CSV.name, dry_run=True)
    assert plan.ok, plan.problems
    assert pohon is None and not Pohon.objects.exists()  # planned, nothing written
    assert plan.counts == {"sasaran": 15, "program": 4, "kegiatan": 9, "indikator": 15}
    assert plan.total_pagu == Decimal(7_464_247_000)
    assert plan.preview[:3] == [
        (1, "SS1", "sasaran", "Meningkatnya keberdayaan masyarakat desa", None),
        (2, "SS1.I1", "indikator", "Persentase desa mandiri", None),
        (2, "SP1", "sasaran", "Meningkatnya kapasitas lembaga kemasyarakatan desa", None),
    ]

    plan, pohon = pohon_import(dinas=dinas, tahun=TAHUN, data=data, filename=CSV.name)
    assert plan.ok and pohon is not None, plan.problems
    dump = pohon_dump(pohon_tree(pohon))
    assert dump.startswith(DUMP_START)
    assert len(dump.splitlines()) == len(rows()) == 43
    units_by_kode = dict(Node.objects.filter(pohon=pohon).visible().values_list("kode", "unit__nama"))
    assert {row["kode"]: row["unit_kerja"] for row in rows()} == units_by_kode


def _csv_with(changes: dict[str, dict[str, str]]) -> bytes:
    """The sample with some cells changed, by kode."""
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=list(rows()[0]))
    writer.writeheader()
    writer.writerows({**row, **changes.get(row["kode"], {})} for row in rows())
    return stream.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    ("kode", "change", "column", "fragment"),
    [
        ("SK2", {"pagu": "1.000.000"}, "pagu", "Sasaran tidak memiliki Pagu"),
        ("SK2.G1", {"jenis": "sub_kegiatan"}, "jenis", "Sub Kegiatan tidak boleh berada di bawah Sasaran"),
        ("SK2.I1", {"induk": "SK2.G1", "jenis": "sasaran", "target": "", "satuan": ""}, "jenis", "di bawah Kegiatan"),
    ],
)
def test_import_refuses_what_the_form_does_not_allow(dinas, units, kode, change, column, fragment):
    plan, pohon = pohon_import(dinas=dinas, tahun=TAHUN, data=_csv_with({kode: change}), filename="p.csv")
    assert pohon is None and not Pohon.objects.exists()
    row = [row["kode"] for row in rows()].index(kode) + 2  # the header is row 1
    first, *rest = plan.problems
    assert (first.row, first.column) == (row, column) and fragment in first.message, first
    assert all("bergantung pada baris" in problem.message for problem in rest)  # the rows under it


# --- the chart, the table and the checks ---------------------------------------------------------


def test_chart_draws_a_box_per_sasaran_headed_by_its_unit(admin_client, dinas, penjenjangan):
    html = chart_html(admin_client, dinas)
    pks = dict(Node.objects.filter(pohon=penjenjangan).values_list("kode", "pk"))
    # the head's box holds the two Sasaran Strategis with their Indikator
    head = html[html.index('id="cc-head"') : html.index('<ul class="cc-level cc-children">')]
    assert "KEPALA DINAS UJI KABUPATEN CONTOH" in head
    for row in sasaran_rows("SS"):
        assert f'<span class="cc-text">{row["uraian"]}</span>' in head
        for child in children_of(row["kode"]):  # its Indikator here, its Sasaran Program in boxes below
            assert (f'<span class="cc-text">{child["uraian"]}</span>' in head) == (child["jenis"] != "sasaran")
    # one box per Sasaran Program and per Sasaran Kegiatan, none for the Sasaran Strategis
    assert html.count('<div class="cc-box cc-box--sasaran"') == 4 + 9
    for row in sasaran_rows("SP") + sasaran_rows("SK"):
        box = box_html(html, pks[row["kode"]])
        title = re.search(r'<div class="cc-title"><span class="cc-label"><span class="cc-text">([^<]*)<', box)[1]
        assert title == row["unit_kerja"].upper()
        assert f'<span class="cc-kind">SASARAN</span> <span class="cc-text">{row["uraian"]}</span>' in box
        for child in children_of(row["kode"]):
            if child["jenis"] != "sasaran":  # Indikator, Program, Kegiatan: inside the box
                assert f'<span class="cc-text">{child["uraian"]}</span>' in box, child["kode"]
            else:  # a Sasaran Kegiatan: a box of its own, below
                assert child["uraian"] not in box
    # the Sasaran Kegiatan are the chart's lowest row: their boxes hold no further box
    assert html.count('<ul class="cc-level cc-children">') == 1 + 4
    assert "BIDANG PEMBERDAYAAN MASYARAKAT" in html and "SUBBAGIAN KEUANGAN" in html
    assert f'id="total-pagu">{TOTAL_PAGU}<' in html
    assert "Jumlah Pagu: <strong>Rp 2.078.747.000</strong>" in box_html(html, pks["SP1"])
    # the checks find only what the seed's form has too: Kegiatan whose Pagu is on the Program,
    # which is normal for the form (information, not a warning)
    assert "Kegiatan tanpa Pagu sendiri: Pagu-nya tercatat pada Program <strong>(9)</strong>" in html
    assert "Tidak ada kesalahan atau peringatan." in html
    for absent in (
        "Program atau Kegiatan tanpa Pagu",
        "Tujuan atau Sasaran tanpa Indikator",
        "tanpa unit kerja",
        "Bidang atau Seksi yang kosong",
        "Indikator tanpa target atau satuan",
        "Pagu anak melebihi",
    ):
        assert absent not in html


def test_table_lists_every_row_with_its_unit(admin_client, dinas, penjenjangan):
    response = admin_client.get(reverse("pohon:table", args=[dinas.kode, TAHUN]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="pt-row ') == 43
    assert html.count('class="pt-row pt-sasaran"') == 15
    for row in rows():
        assert f'<span class="cc-text">{row["uraian"]}</span>' in html
    for nama in ["Kepala Dinas", *UNITS, *SECTIONS]:
        assert f'<td class="pt-unit">{nama}</td>' in html
    assert f'<th class="num pt-total">{TOTAL_PAGU}</th>' in html


def test_a_sasaran_under_a_sasaran_without_unit_is_a_warning(admin_client, dinas, penjenjangan):
    parent = Node.objects.get(pohon=penjenjangan, kode="SP1")
    sasaran = node_create(pohon=penjenjangan, parent=parent, jenis="sasaran", uraian="Sasaran tanpa unit", kode="SK0")
    node_create(
        pohon=penjenjangan, parent=sasaran, jenis="indikator", uraian="Indikator X", target_angka=Decimal(1), satuan="%"
    )
    html = chart_html(admin_client, dinas)
    assert "Sasaran di bawah Sasaran tanpa unit kerja <strong>(1)</strong>" in html
    assert f'<a href="#n-{sasaran.pk}" class="check-link"' in html
    box = box_html(html, sasaran.pk)
    assert '<span class="cc-label"><span class="cc-text">SASARAN</span>' in box  # no unit: the kind heads it
    assert "Sasaran tanpa unit" in box


# --- export ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "json"])
def test_export_gives_the_file_back_and_round_trips(dinas, penjenjangan, export_format):
    exported = pohon_export(penjenjangan, export_format)
    if export_format == "csv":  # the sample is in the export's own form: the same rows, column by column
        read = list(csv.DictReader(io.StringIO(exported.decode("utf-8"))))
        assert [{column: row[column] for column in rows()[0]} for row in read] == rows()
    plan, again = pohon_import(dinas=dinas, tahun=TAHUN + 1, data=exported, filename=f"p.{export_format}")
    assert plan.ok, plan.problems
    assert pohon_dump(pohon_tree(again)) == pohon_dump(pohon_tree(penjenjangan))
    if export_format != "xlsx":  # an xlsx carries its creation time
        assert pohon_export(again, export_format) == exported


# --- PDF --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kertas", ["F4", "A3"])
def test_pdf_prints_the_boxes_under_their_units(penjenjangan, kertas):
    result = pdf_render(PdfInput(tree=pohon_tree(penjenjangan), kertas=kertas))
    text = squeezed(pdf_text(result.pdf))
    assert squeezed("CASCADING / POHON KINERJA DINAS UJI KABUPATEN CONTOH TAHUN 2024") in text
    assert squeezed("KEPALA DINAS UJI KABUPATEN CONTOH") in text
    for nama in [*UNITS, *SECTIONS]:
        assert squeezed(nama.upper()) in text, nama
    for row in rows():
        assert squeezed(row["uraian"]) in text, row["kode"]
    for row in sasaran_rows("SP") + sasaran_rows("SK"):  # each box: its unit, then its Sasaran
        assert squeezed(f"{row['unit_kerja'].upper()} SASARAN : {row['uraian']}") in text, row["kode"]
    assert squeezed("SASARAN 1 : Meningkatnya keberdayaan masyarakat desa") in text  # in the head's box
    assert squeezed(f"Total Pagu: {TOTAL_PAGU}") in text
    # nine Sasaran Kegiatan columns fit one sheet of either paper, as the seed's eleven sections do
    assert result.pages == 1
    assert words_outside_page(result.pdf)[1] == []
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"cascade-penjenjangan-{kertas}.pdf").write_bytes(result.pdf)


def test_a_wide_penjenjangan_tree_gets_an_overview_and_a_part_per_sasaran_program(dinas, units):
    """Too many Sasaran Kegiatan for one sheet: the overview holds the head and each Sasaran
    Program's compact box under its unit's name, then each Sasaran Program gets its own part."""
    pohon = penjenjangan_pohon(dinas, TAHUN)
    sections = {unit.nama: unit for unit in UnitKerja.objects.filter(dinas=dinas, jenis="seksi")}
    for kode in ("SP1", "SP3"):  # 3 + 6 and 2 + 6 Sasaran Kegiatan: 17 columns, more than A4's 11
        parent = Node.objects.get(pohon=pohon, kode=kode)
        for number in range(1, 7):
            node_create(
                pohon=pohon,
                parent=parent,
                jenis="sasaran",
                kode=f"{kode}.X{number}",
                uraian=f"Meningkatnya kinerja tambahan {kode}.{number}",
                unit=sections[SECTIONS[number % 3]],
            )
    assert column_budget("A4") < 17
    result = pdf_render(PdfInput(tree=pohon_tree(pohon), kertas="A4"))
    pages = [squeezed(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(result.pdf)).pages]
    assert squeezed("KEPALA DINAS UJI KABUPATEN CONTOH") in pages[0]
    for nama in UNITS:
        assert squeezed(nama.upper()) in pages[0]
    assert "Rincian:halaman2" in pages[0]
    assert squeezed(sasaran_rows("SK")[0]["uraian"]) not in pages[0]
    parts = [page for page in pages[1:] if squeezed("SASARAN : Meningkatnya") in page]
    assert len(parts) == len(pages) - 1 >= 4
    text = "".join(pages)
    for node in pohon_tree(pohon).nodes:
        assert squeezed(node.uraian) in text, node.kode
    assert words_outside_page(result.pdf)[1] == []
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "cascade-penjenjangan-wide-A4.pdf").write_bytes(result.pdf)
