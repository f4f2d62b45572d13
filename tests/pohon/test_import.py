"""The tree import: messy input accepted, every refusal named by row and column, nothing written
on a refusal or a dry run, the export round trip, formula escaping, the template and the year copy."""

import csv
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from core.spreadsheet import ImportProblem, formula_escape, formula_unescape, spreadsheet_read
from dinas.models import Keanggotaan, Pejabat, PerangkatDaerah, UnitKerja
from pohon.imports import pohon_copy_to_year, pohon_import, pohon_import_plan
from pohon.models import Node, Pohon
from pohon.resources import COLUMNS, pohon_export
from pohon.selectors import pohon_dump, pohon_tree
from pohon.services import node_create
from pohon.template import pohon_template_xlsx

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
HEADER = list(COLUMNS)

# Rows 2-6 of a small valid sheet (row 1 is the header).
GOOD = [
    ["T1", "", "tujuan", "Meningkatnya X", "Kepala Dinas", "", "", "", ""],
    ["T1.I1", "T1", "indikator", "Indeks X", "", "", "85,5", "%", ""],
    ["B1", "T1", "bidang", "KEPALA BIDANG A", "Bidang A", "", "", "", ""],
    ["B1.P1", "B1", "program", "Program Z", "Bidang A", "Rp. 2.078.747.000", "", "", ""],
    ["B1.P1.K1", "B1.P1", "kegiatan", "Kegiatan A", "", "1.000.000", "", "", ""],
]
GOOD_DUMP = """\
1 T1 - tujuan
2 T1.I1 T1 indikator
2 B1 T1 bidang
3 B1.P1 B1 program 2078747000
4 B1.P1.K1 B1.P1 kegiatan 1000000"""


def xlsx_bytes(rows: list[list[object]], header: list[object] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "pohon"
    sheet.append(HEADER if header is None else header)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def csv_bytes(rows: list[list[object]], header: list[object] | None = None, delimiter: str = ",") -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter)
    writer.writerow(HEADER if header is None else header)
    writer.writerows(rows)
    return stream.getvalue().encode("utf-8")


def rows_of(data: bytes, export_format: str) -> list[dict[str, str]]:
    if export_format == "json":
        return json.loads(data)
    if export_format == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    header, *body = list(sheet.iter_rows(values_only=True))
    return [{key: "" if value is None else str(value) for key, value in zip(header, row, strict=True)} for row in body]


def db_state() -> dict:
    """Everything an import could touch, to compare before and after."""
    return {
        "pohon": sorted(Pohon.objects.values_list("dinas__kode", "tahun", "revisi", "status")),
        "nodes": sorted(
            Node.objects.values_list(
                "pohon_id",
                "kode",
                "jenis",
                "uraian",
                "unit_id",
                "pagu",
                "target_angka",
                "target_teks",
                "satuan",
                "arah",
            )
        ),
        "tree_fields": sorted(Node.objects.values_list("pk", "parent_id", "lft", "rght", "level", "tree_id")),
        "dumps": {str(p): pohon_dump(pohon_tree(p)) for p in Pohon.objects.all()},
        "dinas": PerangkatDaerah.objects.count(),
        "units": UnitKerja.objects.count(),
        "pejabat": Pejabat.objects.count(),
    }


@pytest.fixture
def units(dinas, bidang_unit):
    """Kepala Dinas, Bidang A (from conftest) and a section under the division."""
    UnitKerja.objects.create(dinas=dinas, kode="seksi-a1", nama="Seksi Kelembagaan", jenis="seksi", parent=bidang_unit)
    UnitKerja.objects.create(
        dinas=dinas, kode="bidang-pm", nama="Bidang Pemberdayaan Masyarakat", jenis="bidang", parent=bidang_unit.parent
    )
    return {unit.nama: unit for unit in UnitKerja.objects.filter(dinas=dinas)}


def import_rows(dinas, rows, *, header=None, fmt="xlsx", tahun=2019, **kwargs):
    data = xlsx_bytes(rows, header) if fmt == "xlsx" else csv_bytes(rows, header)
    return pohon_import(dinas=dinas, tahun=tahun, data=data, filename=f"pohon.{fmt}", **kwargs)


def assert_refused(dinas, rows, *, row, column, fragment, header=None, fmt="xlsx", **kwargs) -> ImportProblem:
    before = db_state()
    plan, pohon = import_rows(dinas, rows, header=header, fmt=fmt, **kwargs)
    assert pohon is None and not plan.ok
    assert db_state() == before
    matching = [p for p in plan.problems if p.row == row and p.column == column]
    assert matching, plan.problems
    assert fragment in matching[0].message, matching[0].message
    return matching[0]


# --- accepted -------------------------------------------------------------------------------------


def test_good_rows_import_into_a_new_draft_tree(dinas, units):
    plan, pohon = import_rows(dinas, GOOD)
    assert plan.ok, plan.problems
    assert pohon.status == Pohon.Status.DRAF and (pohon.tahun, pohon.revisi) == (2019, 0)
    assert pohon_dump(pohon_tree(pohon)) == GOOD_DUMP
    nodes = {n.kode: n for n in Node.objects.filter(pohon=pohon).select_related("unit")}
    assert nodes["T1"].unit.nama == "Kepala Dinas"
    assert (nodes["T1.I1"].target_angka, nodes["T1.I1"].satuan, nodes["T1.I1"].arah) == (Decimal("85.5"), "%", "naik")


def test_plan_reports_counts_total_preview_and_rows_in_tree_order(dinas, units):
    shuffled = [GOOD[4], GOOD[2], GOOD[0], GOOD[3], GOOD[1]]
    plan = pohon_import_plan(dinas=dinas, tahun=2019, data=xlsx_bytes(shuffled), filename="p.xlsx")
    assert plan.ok and plan.existing is None
    assert plan.counts == {"tujuan": 1, "bidang": 1, "program": 1, "kegiatan": 1, "indikator": 1}
    assert plan.total_pagu == Decimal(2_078_747_000)  # the Program's own Pagu; its Kegiatan is inside it
    # parents before children; siblings in sheet order (B1 is on row 3, T1.I1 on row 6)
    assert plan.preview == [
        (1, "T1", "tujuan", "Meningkatnya X", None),
        (2, "B1", "bidang", "KEPALA BIDANG A", None),
        (3, "B1.P1", "program", "Program Z", Decimal(2_078_747_000)),
        (4, "B1.P1.K1", "kegiatan", "Kegiatan A", Decimal(1_000_000)),
        (2, "T1.I1", "indikator", "Indeks X", None),
    ]
    assert [row["kode"] for row in plan.rows] == ["T1", "B1", "B1.P1", "B1.P1.K1", "T1.I1"]
    assert [row.row for row in plan.rows] == [4, 3, 5, 2, 6]  # the sheet's own numbers
    assert plan.rows[2]["pagu"] == "2078747000"
    assert Pohon.objects.count() == 0


def test_messy_real_world_xlsx_is_accepted(dinas, units):
    header = [" KODE ", "Induk ", "JENIS", "Uraian", " Unit Kerja", "Pagu", "TARGET", "satuan"]
    rows = [
        ["1.1.1", "1.1.K", "Sub Kegiatan", "Sub satu", None, 2078747000, None, None],  # before its parent
        [None, None, None, None, None, None, None, None],  # empty row
        ["1", None, "TUJUAN", "  Tujuan  ", "  kepala   DINAS ", None, None, None],
        [],
        ["1.1", "1", "Sasaran", "Sasaran", None, None, None, None],
        ["1.1.P", "1.1", "program", "Program", "bidang a", "Rp. 2.078.747.000", None, None],
        ["1.1.K", "1.1.P", "kegiatan", "Kegiatan", None, 2078747000.0, None, None],  # Excel's float
        ["1.1.S", "1.1.K", "SUB KEGIATAN", "S", None, "2.078.747.000,00", None, None],
        ["1.1.T", "1.1.K", "sub_kegiatan", "T", None, "2078747000", None, None],
        ["1.1.I", "1.1.P", "Indikator", "Indikator", None, None, 85, "%"],
    ]
    plan, pohon = import_rows(dinas, rows, header=header)
    assert plan.ok, plan.problems
    assert pohon_dump(pohon_tree(pohon)) == (
        "1 1 - tujuan\n"
        "2 1.1 1 sasaran\n"
        "3 1.1.P 1.1 program 2078747000\n"
        "4 1.1.K 1.1.P kegiatan 2078747000\n"
        "5 1.1.1 1.1.K sub_kegiatan 2078747000\n"
        "5 1.1.S 1.1.K sub_kegiatan 2078747000\n"
        "5 1.1.T 1.1.K sub_kegiatan 2078747000\n"
        "4 1.1.I 1.1.P indikator"
    )
    nodes = {n.kode: n for n in Node.objects.filter(pohon=pohon).select_related("unit")}
    assert nodes["1"].uraian == "Tujuan" and nodes["1"].unit.nama == "Kepala Dinas"
    assert nodes["1.1.P"].unit.nama == "Bidang A"
    assert (nodes["1.1.I"].target_angka, nodes["1.1.I"].satuan) == (Decimal(85), "%")


def test_numbers_in_kode_columns_read_as_excel_shows_them(dinas, units):
    rows = [[1, None, "tujuan", "T", None, None, None, None], [2, 1, "indikator", "I", None, None, 12.5, "%"]]
    plan, pohon = import_rows(dinas, rows)
    assert plan.ok, plan.problems
    assert pohon_dump(pohon_tree(pohon)) == "1 1 - tujuan\n2 2 1 indikator"
    assert Node.objects.get(pohon=pohon, kode="2").target_angka == Decimal("12.5")


def test_a_number_cell_is_read_as_its_value_not_as_indonesian_text(dinas, units):
    """1.125 in an Excel number cell is one and an eighth: the target keeps it, a Pagu of 1.125 is a
    fraction of a Rupiah; the same 1.125 typed as text is 1125 (a dot before three digits
    groups thousands). A kode in a number cell still reads as Excel shows it."""
    rows = [
        [1.125, None, "tujuan", "T", "Kepala Dinas", None, None, None],
        ["I1", 1.125, "indikator", "Indeks", None, None, 1.125, "poin"],
        ["I2", 1.125, "indikator", "Indeks teks", None, None, "1.125", "poin"],
    ]
    plan, pohon = import_rows(dinas, rows, header=HEADER[:8])
    assert plan.ok, plan.problems
    targets = dict(Node.objects.filter(pohon=pohon, jenis="indikator").values_list("kode", "target_angka"))
    assert targets == {"I1": Decimal("1.125"), "I2": Decimal(1125)}
    assert Node.objects.get(pohon=pohon, jenis="tujuan").kode == "1.125"

    fraction = [*GOOD[:3], ["B1.P1", "B1", "program", "Program Z", "Bidang A", 1.125, "", "", ""]]
    problem = assert_refused(dinas, fraction, row=5, column="pagu", fragment="Rupiah utuh")
    assert problem.value == "1.125"


def test_a_json_number_is_read_as_its_value(dinas, units):
    rows = [
        {"kode": "T1", "jenis": "tujuan", "uraian": "T", "unit_kerja": "Kepala Dinas"},
        {"kode": "I1", "induk": "T1", "jenis": "indikator", "uraian": "Indeks", "target": 2.375, "satuan": "poin"},
    ]
    data = json.dumps(rows).encode()
    plan, pohon = pohon_import(dinas=dinas, tahun=2019, data=data, filename="pohon.json")
    assert plan.ok, plan.problems
    assert Node.objects.get(pohon=pohon, kode="I1").target_angka == Decimal("2.375")


def test_semicolon_windows_csv_file_is_accepted(dinas, units):
    data = (DATA / "pohon_berantakan.csv").read_bytes()
    plan, pohon = pohon_import(dinas=dinas, tahun=2019, data=data, filename="pohon_berantakan.csv")
    assert plan.ok, plan.problems
    assert pohon_dump(pohon_tree(pohon)) == (
        "1 T1 - tujuan\n"
        "2 B1 T1 bidang\n"
        "3 B1.P1 B1 program 2078747000\n"
        "4 B1.P1.K1 B1.P1 kegiatan 1250000000\n"
        "5 B1.P1.K1.S1 B1.P1.K1 sub_kegiatan 2078747\n"
        "5 B1.P1.K1.S2 B1.P1.K1 sub_kegiatan 1000\n"
        "3 B1.P2 B1 program 999600000\n"
        "2 T1.I1 T1 indikator"
    )
    nodes = {n.kode: n for n in Node.objects.filter(pohon=pohon).select_related("unit")}
    assert nodes["B1.P1.K1"].uraian == "Fasilitasi Bumdes \u2013 tahap 1"
    assert nodes["B1.P1.K1"].unit.nama == "Seksi Kelembagaan"
    assert nodes["T1"].uraian == "Meningkatnya keberdayaan masyarakat \u201cdesa\u201d"
    assert plan.total_pagu == Decimal(2_078_747_000 + 999_600_000)


def test_json_file_is_accepted(dinas, units):
    data = (DATA / "pohon_berantakan.json").read_bytes()
    plan, pohon = pohon_import(dinas=dinas, tahun=2019, data=data, filename="pohon_berantakan.json")
    assert plan.ok, plan.problems
    assert pohon_dump(pohon_tree(pohon)) == (
        "1 T1 - tujuan\n2 T1.S1 T1 sasaran\n3 T1.S1.P1 T1.S1 program 2078747000\n4 T1.S1.P1.I1 T1.S1.P1 indikator"
    )
    assert Node.objects.get(pohon=pohon, kode="T1.S1.P1.I1").target_angka == Decimal("85.5")


@pytest.mark.parametrize("pagu", ["Rp. 2.078.747.000", "2078747000", "2.078.747.000,00", 2078747000, 2078747000.0])
def test_each_pagu_form(dinas, units, pagu):
    rows = [list(row) for row in GOOD]
    rows[3][5] = pagu
    plan, pohon = import_rows(dinas, rows)
    assert plan.ok, plan.problems
    assert Node.objects.get(pohon=pohon, kode="B1.P1").pagu == Decimal(2_078_747_000)


@pytest.mark.parametrize("jenis", ["Sub Kegiatan", "sub_kegiatan", "SUB KEGIATAN", " sub-kegiatan "])
def test_each_jenis_spelling(dinas, units, jenis):
    rows = [*GOOD, ["S1", "B1.P1.K1", jenis, "Sub", "", "", "", ""]]
    plan, pohon = import_rows(dinas, rows)
    assert plan.ok, plan.problems
    assert Node.objects.get(pohon=pohon, kode="S1").jenis == "sub_kegiatan"


def test_csv_blank_lines_keep_the_sheet_row_numbers(dinas, units):
    text = "kode,induk,jenis,uraian\nT1,,tujuan,T\n\n,,,\nT1.I1,T1,indikator,\n"
    plan = pohon_import_plan(dinas=dinas, tahun=2019, data=text.encode(), filename="p.csv")
    assert [(p.row, p.column) for p in plan.problems] == [(5, "uraian")]


# --- refused: one message per row, naming row and column; nothing written -----------------------


def _with(row_index: int, column: str, value: str) -> list[list[str]]:
    rows = [list(row) for row in GOOD]
    rows[row_index - 2][COLUMNS.index(column)] = value
    return rows


REFUSALS = {
    "unknown induk": (_with(6, "induk", "B9"), 6, "induk", "Induk “B9” tidak ditemukan"),
    "unknown induk, other case": (_with(6, "induk", "b1.p1"), 6, "induk", "Maksudnya “B1.P1”?"),
    "duplicate kode": ([*GOOD, ["B1", "T1", "bidang", "Lagi", "", "", "", ""]], 7, "kode", "sudah dipakai di baris 4"),
    "unknown jenis": (_with(4, "jenis", "direktorat"), 4, "jenis", "Jenis “direktorat” tidak dikenal"),
    "empty jenis": (_with(4, "jenis", ""), 4, "jenis", "Jenis wajib diisi"),
    "kind not allowed under its parent": (
        _with(6, "jenis", "sub_kegiatan"),
        6,
        "jenis",
        "Sub Kegiatan tidak boleh berada di bawah Program",
    ),
    "kind not allowed at the top": (_with(2, "jenis", "bidang"), 2, "jenis", "tingkat teratas"),
    "pagu with sen": (_with(5, "pagu", "1.000,50"), 5, "pagu", "Pagu harus dalam Rupiah utuh, tanpa sen (1.000,50)."),
    "negative pagu": (_with(5, "pagu", "-5000"), 5, "pagu", "tidak boleh negatif"),
    "pagu not a number": (_with(5, "pagu", "dua juta"), 5, "pagu", "bukan angka Rupiah"),
    "pagu too large": (_with(5, "pagu", "1" + "0" * 20), 5, "pagu", "18"),
    "pagu on a kind without": (_with(2, "pagu", "1000"), 2, "pagu", "Tujuan tidak memiliki Pagu"),
    "target on a non-indikator": (_with(5, "target", "10"), 5, "target", "hanya untuk Indikator, bukan Program"),
    "satuan on a non-indikator": (_with(4, "satuan", "%"), 4, "satuan", "hanya untuk Indikator, bukan Bidang"),
    "empty uraian": (_with(4, "uraian", "   "), 4, "uraian", "Uraian wajib diisi"),
    "empty kode": (_with(3, "kode", ""), 3, "kode", "Kode wajib diisi"),
    "bad kode": (_with(3, "kode", "T1 I1"), 3, "kode", "Kode hanya boleh berisi"),
    "kode too long": (_with(3, "kode", "K" * 41), 3, "kode", "40"),
    "unknown unit": (_with(4, "unit_kerja", "Bidang Z"), 4, "unit_kerja", "Unit kerja “Bidang Z” tidak ada"),
    "target too long": (_with(3, "target", "x" * 101), 3, "target", "paling banyak 100"),
    "target number too long": (_with(3, "target", "9" * 16), 3, "target", "paling banyak 15 angka"),
    "target not a number": (_with(3, "target", "85,5,5"), 3, "target", "bukan angka yang dikenali"),
    "satuan disagrees": (
        _with(3, "target", "50 orang"),
        3,
        "satuan",
        "Satuan “orang” yang ditulis pada target berbeda",
    ),
    "unknown arah": (_with(3, "arah", "atas"), 3, "arah", "Arah “atas” tidak dikenal"),
    "arah on a non-indikator": (_with(5, "arah", "naik"), 5, "arah", "hanya untuk Indikator, bukan Program"),
    "uraian too long": (  # an .xlsx cell holds at most 32,767 characters
        _with(4, "uraian", "Panjang " * 25_000),
        4,
        "uraian",
        "Uraian terlalu panjang: 32.767 karakter, paling banyak 2.000.",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_each_refusal_names_row_and_column_and_writes_nothing(dinas, units, case):
    rows, row, column, fragment = REFUSALS[case]
    assert_refused(dinas, rows, row=row, column=column, fragment=fragment)


@pytest.mark.parametrize("case", ["unknown induk", "pagu with sen", "kind not allowed under its parent"])
def test_refusals_from_csv_too(dinas, units, case):
    rows, row, column, fragment = REFUSALS[case]
    assert_refused(dinas, rows, row=row, column=column, fragment=fragment, fmt="csv")


def test_uraian_too_long_from_json(dinas, units):
    """JSON, unlike an .xlsx cell (32,767) or a CSV field (131,072), carries any length."""
    rows = [dict(zip(HEADER[: len(row)], row, strict=True)) for row in _with(4, "uraian", "u" * 200_000)]
    before = db_state()
    plan, pohon = pohon_import(dinas=dinas, tahun=2019, data=json.dumps(rows).encode(), filename="pohon.json")
    assert pohon is None and db_state() == before
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (4, "uraian", "Uraian terlalu panjang: 200.000 karakter, paling banyak 2.000."),
        (5, "induk", "Baris ini bergantung pada baris 4 yang ditolak (kode “B1”)."),
        (6, "induk", "Baris ini bergantung pada baris 4 yang ditolak (kode “B1”)."),
    ]
    assert len(str(plan.problems[0])) < 200  # the value is quoted shortened


def test_uraian_of_the_largest_length_is_accepted(dinas, units):
    plan, pohon = import_rows(dinas, _with(4, "uraian", "u" * 2000))
    assert plan.ok, plan.problems
    assert len(Node.objects.get(pohon=pohon, kode="B1").uraian) == 2000


def test_one_message_per_row_and_descendants_depend_on_the_refused_row(dinas, units):
    rows = _with(4, "uraian", "")  # B1 refused: B1.P1 (row 5) and its Kegiatan (row 6) cannot go in
    plan, _pohon = import_rows(dinas, rows)
    assert [(p.row, p.column) for p in plan.problems] == [(4, "uraian"), (5, "induk"), (6, "induk")]
    assert "bergantung pada baris 4 yang ditolak" in plan.problems[1].message
    assert "bergantung pada baris 4 yang ditolak" in plan.problems[2].message  # the root cause, not row 5


def test_a_row_with_several_faults_gets_one_message(dinas, units):
    rows = _with(5, "pagu", "1,5")
    rows[3][COLUMNS.index("target")] = "10"
    rows[3][COLUMNS.index("uraian")] = ""
    plan, _pohon = import_rows(dinas, rows)
    assert [(p.row, p.column) for p in plan.problems if p.row == 5] == [(5, "uraian")]


def test_cycle_is_refused_with_its_rows(dinas, units):
    rows = [
        *GOOD,
        ["X1", "X2", "sasaran", "Sasaran X1", "", "", "", ""],  # row 7
        ["X2", "X1", "sasaran", "Sasaran X2", "", "", "", ""],  # row 8
        ["X3", "X2", "indikator", "Di bawah lingkaran", "", "", "", ""],  # row 9
    ]
    plan, pohon = import_rows(dinas, rows)
    assert pohon is None
    assert [(p.row, p.column) for p in plan.problems] == [(7, "induk"), (8, "induk"), (9, "induk")]
    assert "lingkaran: X1 \u2192 X2 \u2192 X1" in plan.problems[0].message
    assert "bergantung pada baris 8" in plan.problems[2].message


def test_self_parent_is_a_cycle(dinas, units):
    assert_refused(dinas, _with(4, "induk", "B1"), row=4, column="induk", fragment="lingkaran: B1 \u2192 B1")


def test_missing_required_column_is_named(dinas, units):
    header = ["kode", "induk", "Uraian"]
    problem = assert_refused(dinas, [["T1", "", "T"]], header=header, row=1, column="jenis", fragment="“jenis”")
    assert str(problem).startswith("baris 1, kolom jenis: Kolom wajib")


def test_duplicate_header_column_is_refused(dinas, units):
    header = ["kode", "induk", "jenis", "uraian", "PAGU", "pagu"]
    assert_refused(dinas, [["T1", "", "tujuan", "T", "", ""]], header=header, row=1, column="pagu", fragment="lebih")


def file_refused(dinas, data: bytes, filename: str, fragment: str) -> None:
    before = db_state()
    plan, pohon = pohon_import(dinas=dinas, tahun=2019, data=data, filename=filename)
    assert pohon is None and not plan.ok
    assert db_state() == before
    assert any(fragment in p.message for p in plan.problems), plan.problems


def encrypted_workbook() -> bytes:
    """The start of an OLE2 compound file holding an EncryptedPackage stream, as Excel writes a
    password-protected .xlsx (generated, since no encryption library is installed)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "Root Entry".encode("utf-16-le").ljust(128, b"\x00") + "EncryptedPackage".encode("utf-16-le")
    return header + directory.ljust(1024, b"\x00")


@pytest.mark.parametrize(
    ("data", "filename", "fragment"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary", "laporan.pdf", "Jenis berkas .pdf tidak didukung"),
        (b"\x00\x01\x02\x03binary\x00", "pohon.csv", "bukan spreadsheet yang didukung"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "pohon.xls", "Format Excel lama (.xls)"),
        (encrypted_workbook(), "pohon.xlsx", "terenkripsi"),
        (b"kode,induk\nT1,\n", "pohon.xlsx", "rusak atau bukan buku kerja"),
        (b"PK\x03\x04 not really a zip", "pohon.xlsx", "rusak"),
        (b"", "pohon.xlsx", "Berkas kosong"),
        (b'[{"kode": "T1",', "pohon.json", "JSON tidak sah"),
        (b'{"kode": "T1"}', "pohon.json", "daftar baris"),
        (b"kode,induk,jenis,uraian\n", "pohon.csv", "tidak berisi baris data"),
    ],
)
def test_unreadable_files_are_refused(dinas, units, data, filename, fragment):
    file_refused(dinas, data, filename, fragment)


def test_truncated_workbook_is_corrupt(dinas, units):
    data = xlsx_bytes(GOOD)
    file_refused(dinas, data[: len(data) // 2], "pohon.xlsx", "rusak")


def test_zip_that_is_no_workbook(dinas, units):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    file_refused(dinas, stream.getvalue(), "pohon.xlsx", "bukan buku kerja Excel")


def test_workbook_as_csv_name_is_refused(dinas, units):
    file_refused(dinas, xlsx_bytes(GOOD), "pohon.csv", "ganti akhirannya menjadi .xlsx")


def test_over_the_size_limit(dinas, units, settings):
    settings.POKIN_IMPORT_MAX_BYTES = 1000
    data = csv_bytes(GOOD * 10)
    assert len(data) > 1000
    file_refused(dinas, data, "pohon.csv", "terlalu besar")


def test_over_the_row_limit(dinas, units, settings):
    settings.POKIN_IMPORT_MAX_ROWS = 4
    file_refused(dinas, xlsx_bytes(GOOD), "pohon.xlsx", "lebih dari 4 baris data")
    rows = [*GOOD[:4], [None] * 8, [None] * 8]  # blank rows do not count
    plan, _pohon = import_rows(dinas, rows, dry_run=True)
    assert plan.ok, plan.problems


def test_control_characters_are_refused_by_cell(dinas, units):
    rows = _with(3, "uraian", "Indeks\x07X")
    plan, _pohon = import_rows(dinas, rows, fmt="csv")
    assert [(p.row, p.column) for p in plan.problems] == [(3, "uraian")]


# --- existing trees, dry runs ---------------------------------------------------------------------


def test_existing_tree_needs_replace(dinas, units, chain_tree):
    problem = assert_refused(dinas, GOOD, tahun=2018, row=None, column=None, fragment="gunakan --replace")
    assert "dinas-uji 2018" in problem.message


def test_replace_empties_the_draft_and_writes_the_file(dinas, units, chain_tree):
    plan, pohon = import_rows(dinas, GOOD, tahun=2018, replace=True)
    assert plan.ok and plan.existing == chain_tree
    assert pohon.pk == chain_tree.pk
    assert pohon_dump(pohon_tree(pohon)) == GOOD_DUMP


def test_replace_a_returned_tree(dinas, units, chain_tree):
    Pohon.objects.filter(pk=chain_tree.pk).update(status=Pohon.Status.DIKEMBALIKAN)
    plan, pohon = import_rows(dinas, GOOD, tahun=2018, replace=True)
    assert plan.ok and pohon_dump(pohon_tree(pohon)) == GOOD_DUMP
    pohon.refresh_from_db()
    assert pohon.status == Pohon.Status.DIKEMBALIKAN


@pytest.mark.parametrize(("status", "label"), [("disetujui", "Disetujui"), ("diajukan", "Diajukan")])
def test_import_into_a_frozen_tree_is_refused(dinas, units, chain_tree, status, label):
    Pohon.objects.filter(pk=chain_tree.pk).update(status=status)
    problem = assert_refused(dinas, GOOD, tahun=2018, replace=True, row=None, column=None, fragment=label)
    assert "tidak dapat diganti" in problem.message


def test_dry_run_of_a_new_tree_writes_nothing(dinas, units, chain_tree):
    before = db_state()
    plan, pohon = import_rows(dinas, GOOD, dry_run=True)
    assert plan.ok and pohon is None
    assert db_state() == before


def test_dry_run_of_a_replacement_writes_nothing(dinas, units, chain_tree):
    before = db_state()
    plan, pohon = import_rows(dinas, GOOD, tahun=2018, replace=True, dry_run=True)
    assert plan.ok and pohon is None and plan.existing == chain_tree
    assert db_state() == before


def test_a_tree_approved_after_the_plan_is_not_replaced(dinas, units, chain_tree, monkeypatch):
    """The status is checked again under the tree's lock, just before writing."""
    from pohon import imports

    real_plan = imports.pohon_import_plan

    def plan_then_approve(**kwargs):
        plan = real_plan(**kwargs)
        Pohon.objects.filter(pk=chain_tree.pk).update(status=Pohon.Status.DISETUJUI)
        return plan

    monkeypatch.setattr(imports, "pohon_import_plan", plan_then_approve)
    dump = pohon_dump(pohon_tree(chain_tree))
    plan, pohon = import_rows(dinas, GOOD, tahun=2018, replace=True)
    assert pohon is None and "Disetujui" in plan.problems[-1].message
    assert pohon_dump(pohon_tree(chain_tree)) == dump


def test_year_out_of_range(dinas, units):
    plan, pohon = import_rows(dinas, GOOD, tahun=1918)
    assert pohon is None and "di luar rentang" in plan.problems[0].message


def test_only_an_admin_of_the_agency_imports(dinas, units):
    user_model = get_user_model()
    operator = user_model.objects.create_user("operator", password="x")
    Keanggotaan.objects.create(user=operator, dinas=dinas, peran="operator", unit=units["Bidang A"])
    with pytest.raises(PermissionDenied):
        import_rows(dinas, GOOD, user=operator)
    assert Pohon.objects.count() == 0
    admin = user_model.objects.create_user("admin-dinas", password="x")
    Keanggotaan.objects.create(user=admin, dinas=dinas, peran="admin")
    plan, pohon = import_rows(dinas, GOOD, user=admin)
    assert plan.ok and pohon is not None


# --- round trip and formula escaping --------------------------------------------------------------


@pytest.mark.parametrize("export_format", ["json", "csv", "xlsx"])
def test_demo_round_trip_gives_identical_rows(demo, export_format):
    exported = pohon_export(demo, export_format)
    dump = pohon_dump(pohon_tree(demo))
    dinas = demo.dinas
    Pohon.objects.filter(pk=demo.pk).delete()  # an empty database that still has the agency and its units
    assert not Node.objects.filter(pohon__dinas=dinas).exists()  # (the demo's example Pemda tree is another's)
    plan, pohon = pohon_import(dinas=dinas, tahun=2018, data=exported, filename=f"demo.{export_format}")
    assert plan.ok, plan.problems
    assert plan.total_pagu == Decimal(8_731_687_000)
    again = pohon_export(pohon, export_format)
    assert rows_of(again, export_format) == rows_of(exported, export_format)
    if export_format != "xlsx":  # an xlsx carries its creation time
        assert again == exported
    assert pohon_dump(pohon_tree(pohon)) == dump


FORMULA_LIKE = {
    "T1": '=HYPERLINK("http://contoh.invalid","klik")',
    "T1.I1": "+62 812 3456",
    "T1.S1": "-Sasaran dengan tanda hubung",
    "T1.S2": "@SUM(A1:A2)",
    "T1.S3": "'=sudah berkutip",
    "T1.S4": "'biasa",
}


@pytest.fixture
def formula_tree(pohon, units):
    tujuan = node_create(pohon=pohon, parent=None, jenis="tujuan", uraian=FORMULA_LIKE["T1"], kode="T1")
    node_create(
        pohon=pohon, parent=tujuan, jenis="indikator", uraian=FORMULA_LIKE["T1.I1"], kode="T1.I1",
        target_angka=Decimal(-5), satuan="=1+1",
    )  # fmt: skip
    for kode in ("T1.S1", "T1.S2", "T1.S3", "T1.S4"):
        node_create(pohon=pohon, parent=tujuan, jenis="sasaran", uraian=FORMULA_LIKE[kode], kode=kode)
    return pohon


def test_formula_escape_and_unescape_are_inverse():
    for value in [*FORMULA_LIKE.values(), "", "'", "''", "biasa", "=", "\t=x", "'\t"]:
        assert formula_unescape(formula_escape(value)) == value
    assert formula_escape("=1+1") == "'=1+1"
    assert formula_escape("-5") == "'-5"
    assert formula_escape("'biasa") == "''biasa"
    assert formula_escape("biasa") == "biasa"


@pytest.mark.parametrize("export_format", ["json", "csv", "xlsx"])
def test_export_escapes_formula_cells(formula_tree, export_format):
    """Needs pohon.resources.pohon_export to pass its dataset through dataset_escape_formulae."""
    rows = {row["kode"]: row for row in rows_of(pohon_export(formula_tree, export_format), export_format)}
    assert rows["T1"]["uraian"] == "'" + FORMULA_LIKE["T1"]
    assert rows["T1.I1"]["uraian"] == "'+62 812 3456"
    assert (rows["T1.I1"]["target"], rows["T1.I1"]["satuan"]) == ("'-5", "'=1+1")
    assert rows["T1.S2"]["uraian"] == "'@SUM(A1:A2)"
    assert rows["T1.S3"]["uraian"] == "''=sudah berkutip"
    assert rows["T1.S4"]["uraian"] == "''biasa"
    if export_format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(pohon_export(formula_tree, "xlsx"))).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("export_format", ["json", "csv", "xlsx"])
def test_formula_like_values_round_trip(formula_tree, export_format):
    exported = pohon_export(formula_tree, export_format)
    plan, pohon = pohon_import(dinas=formula_tree.dinas, tahun=2019, data=exported, filename=f"p.{export_format}")
    assert plan.ok, plan.problems
    assert rows_of(pohon_export(pohon, export_format), export_format) == rows_of(exported, export_format)
    values = dict(Node.objects.filter(pohon=pohon).visible().values_list("kode", "uraian"))
    assert values == FORMULA_LIKE
    assert Node.objects.get(pohon=pohon, kode="T1.I1").target_angka == Decimal(-5)


def test_import_undoes_the_escape_of_a_hand_made_file(dinas, units):
    rows = [["T1", "", "tujuan", "'=1+1", "", "", "", ""], ["T1.I1", "T1", "indikator", "''x", "", "", "'-5", "'@"]]
    for fmt in ("csv", "xlsx"):
        plan = pohon_import_plan(
            dinas=dinas, tahun=2019, data=xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows), filename=f"p.{fmt}"
        )
        assert [(r["uraian"], r["target"], r["satuan"]) for r in plan.rows] == [("=1+1", "", ""), ("'x", "-5", "@")]


# --- commands -------------------------------------------------------------------------------------


def test_import_command_prints_the_summary(demo, tmp_path):
    path = tmp_path / "demo.xlsx"
    path.write_bytes(pohon_export(demo, "xlsx"))
    out = io.StringIO()
    call_command("import_pohon", str(path), "--dinas", "dpmd-lumajang", "--tahun", "2019", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Total Pagu: Rp 8.731.687.000" in text
    assert "  Program: 11" in text and "  Kegiatan: 43" in text
    assert "tidak ada yang disimpan" in text
    assert not Pohon.objects.filter(tahun=2019).exists()
    call_command("import_pohon", str(path), "--dinas", "dpmd-lumajang", "--tahun", "2019", stdout=out)
    assert pohon_dump(pohon_tree(Pohon.objects.get(tahun=2019))) == pohon_dump(pohon_tree(demo))


def test_import_command_lists_every_problem_and_fails(dinas, units, tmp_path):
    rows = _with(5, "pagu", "1.000,50")
    rows[1][COLUMNS.index("jenis")] = "direktorat"
    path = tmp_path / "pohon.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 masalah"):
        call_command("import_pohon", str(path), "--dinas", "dinas-uji", "--tahun", "2019", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-3].startswith("baris 3, kolom jenis: Jenis “direktorat” tidak dikenal")
    assert lines[-3].endswith("(nilai: direktorat)")
    assert lines[-2] == "baris 5, kolom pagu: Pagu harus dalam Rupiah utuh, tanpa sen (1.000,50). (nilai: 1.000,50)"
    assert lines[-1] == (
        "baris 6, kolom induk: Baris ini bergantung pada baris 5 yang ditolak (kode “B1.P1”). (nilai: B1.P1)"
    )
    assert not Pohon.objects.exists()


def test_import_command_errors(dinas, tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_pohon", str(tmp_path / "x.csv"), "--dinas", "tidak-ada", "--tahun", "2019")
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("import_pohon", str(tmp_path / "x.csv"), "--dinas", "dinas-uji", "--tahun", "2019")


def test_file_is_read_no_further_than_the_limit(dinas, units, tmp_path, settings):
    settings.POKIN_IMPORT_MAX_BYTES = 100
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes(GOOD * 50))
    with pytest.raises(CommandError):
        call_command("import_pohon", str(path), "--dinas", "dinas-uji", "--tahun", "2019", stdout=io.StringIO())


# --- template -------------------------------------------------------------------------------------


def test_template_has_the_columns_an_example_and_instructions(tmp_path):
    path = tmp_path / "templat.xlsx"
    call_command("template_pohon", "--output", str(path), stderr=io.StringIO())
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["pohon", "contoh", "petunjuk"]
    assert [cell.value for cell in workbook["pohon"][1]] == HEADER
    assert workbook["pohon"].max_row == 1
    assert [cell.value for cell in workbook["contoh"][1]] == HEADER
    instructions = "\n".join(
        " | ".join(str(v) for v in row if v is not None) for row in workbook["petunjuk"].iter_rows(values_only=True)
    )
    assert "sub_kegiatan | Sub Kegiatan | Kegiatan | Indikator" in instructions
    assert "tujuan | Tujuan | tingkat teratas (induk kosong) | Sasaran, Bidang, Indikator" in instructions
    assert "Rp. 2.078.747.000" in instructions and "2.078.747.000,00" in instructions


def test_the_example_sheet_imports_into_the_demo_agency(demo):
    workbook = openpyxl.load_workbook(io.BytesIO(pohon_template_xlsx()))
    rows = [list(row) for row in workbook["contoh"].iter_rows(min_row=2, values_only=True)]
    plan, pohon = pohon_import(dinas=demo.dinas, tahun=2019, data=xlsx_bytes(rows), filename="contoh.xlsx")
    assert plan.ok, plan.problems
    assert plan.counts["program"] == 2 and plan.total_pagu == Decimal(2_078_747_000 + 999_600_000)


def test_an_untouched_template_has_no_rows(dinas, units):
    plan = pohon_import_plan(dinas=dinas, tahun=2019, data=pohon_template_xlsx(), filename="templat.xlsx")
    assert [p.message for p in plan.problems] == ["Berkas tidak berisi baris data (hanya baris judul)."]


def test_the_data_sheet_is_read_even_when_another_is_active(dinas, units):
    workbook = openpyxl.load_workbook(io.BytesIO(pohon_template_xlsx()))
    for row in GOOD:
        workbook["pohon"].append(row)
    workbook.active = workbook.sheetnames.index("petunjuk")
    stream = io.BytesIO()
    workbook.save(stream)
    plan, pohon = pohon_import(dinas=dinas, tahun=2019, data=stream.getvalue(), filename="isi.xlsx")
    assert plan.ok, plan.problems
    assert pohon_dump(pohon_tree(pohon)) == GOOD_DUMP


# --- copying to another year ----------------------------------------------------------------------


def test_copy_command_copies_the_latest_revision_as_a_draft(chain_tree):
    Pohon.objects.filter(pk=chain_tree.pk).update(status=Pohon.Status.DISETUJUI)
    out = io.StringIO()
    call_command("copy_pohon", "--dinas", "dinas-uji", "--from", "2018", "--to", "2019", stdout=out)
    copy = Pohon.objects.get(tahun=2019)
    assert copy.status == Pohon.Status.DRAF and copy.revisi == 0
    assert pohon_dump(pohon_tree(copy)) == pohon_dump(pohon_tree(chain_tree))
    assert "6 butir" in out.getvalue()


def test_copy_refuses_a_year_that_has_a_tree(chain_tree):
    call_command("copy_pohon", "--dinas", "dinas-uji", "--from", "2018", "--to", "2019", stdout=io.StringIO())
    before = db_state()
    with pytest.raises(CommandError, match="sudah memiliki pohon kinerja tahun 2019"):
        call_command("copy_pohon", "--dinas", "dinas-uji", "--from", "2018", "--to", "2019")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("copy_pohon", "--dinas", "dinas-uji", "--from", "2017", "--to", "2020")
    assert db_state() == before


def test_copy_service_keeps_units_and_pagu(pohon, units):
    tujuan = node_create(pohon=pohon, parent=None, jenis="tujuan", uraian="T", kode="T1", unit=units["Kepala Dinas"])
    node_create(pohon=pohon, parent=tujuan, jenis="bidang", uraian="B", kode="B1", unit=units["Bidang A"])
    copy = pohon_copy_to_year(pohon=pohon, tahun=2025)
    assert list(Node.objects.filter(pohon=copy).visible().order_by("lft").values_list("kode", "unit__nama")) == [
        ("T1", "Kepala Dinas"),
        ("B1", "Bidang A"),
    ]


# --- the reader on its own ------------------------------------------------------------------------


def test_reader_keeps_optional_columns_empty_and_ignores_unknown_ones():
    data = b"Kode,Catatan,jenis\nT1,abaikan,tujuan\n"
    rows, problems = spreadsheet_read(data, filename="x.csv", columns=COLUMNS, required=("kode",))
    assert problems == []
    assert rows == [dict.fromkeys(COLUMNS, "") | {"kode": "T1", "jenis": "tujuan"}]
    assert rows[0].row == 2
