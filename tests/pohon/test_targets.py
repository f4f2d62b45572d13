"""Targets are numbers where they are numbers (issue 11, item 5): each typed form through the
parser, the import, the editor and the admin; the refusals; the display on chart, table and
history; values read back exactly from the database; export -> import -> export identical."""

import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pohon.history import pohon_diff
from pohon.imports import pohon_import
from pohon.models import Node, NodeRiwayat, Pohon
from pohon.resources import COLUMNS, pohon_export
from pohon.services import node_create, node_delete, node_update
from pohon.targets import (
    ParsedTarget,
    arah_parse,
    target_format,
    target_parse,
    target_stored,
    target_with_satuan,
)
from pohon.template import pohon_template_xlsx
from pohon.workflow import pohon_revise
from tests.conftest import DEMO_PASSWORD, Client

pytestmark = pytest.mark.django_db

# What people type -> (number, text, satuan); the satuan column is empty.
TYPED = {
    "85,5": (Decimal("85.5"), "", ""),
    "85.5": (Decimal("85.5"), "", ""),
    "50%": (Decimal(50), "", "%"),
    "45 OPD": (Decimal(45), "", "OPD"),
    "4,1 poin": (Decimal("4.1"), "", "poin"),
    "WTP": (None, "WTP", ""),
    "Baik": (None, "Baik", ""),
    "1.250": (Decimal(1250), "", ""),  # Indonesian thousands separator
    "1.250.000": (Decimal(1_250_000), "", ""),
    "1.250,5": (Decimal("1250.5"), "", ""),
    "1,250.5": (Decimal("1250.5"), "", ""),  # both separators, the English way round: unambiguous
    "1,25": (Decimal("1.25"), "", ""),  # a comma is always the decimal comma
    "1.25": (Decimal("1.25"), "", ""),  # one dot not followed by exactly three digits: a decimal point
    "0.125": (Decimal("0.125"), "", ""),  # a leading 0 is no thousands group
    "-2,5 %": (Decimal("-2.5"), "", "%"),
    "\u22123": (Decimal(-3), "", ""),  # the minus sign
    "  12   desa ": (Decimal(12), "", "desa"),
    "0": (Decimal(0), "", ""),
    "": (None, "", ""),
}


@pytest.mark.parametrize(("typed", "expected"), TYPED.items(), ids=list(TYPED))
def test_parser_reads_each_form(typed, expected):
    assert target_parse(typed) == ParsedTarget(*expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(85, Decimal(85)), (85.5, Decimal("85.5")), (4.1, Decimal("4.1")), (Decimal("1250"), Decimal(1250))],
)
def test_parser_takes_a_spreadsheets_number_cell_as_that_number(value, expected):
    assert target_parse(value, "%") == ParsedTarget(expected, "", "%")


def test_satuan_in_the_target_and_in_the_satuan_column():
    assert target_parse("50%", "%") == ParsedTarget(Decimal(50), "", "%")  # the same: fine
    assert target_parse("45 opd", "OPD") == ParsedTarget(Decimal(45), "", "OPD")  # case does not matter
    assert target_parse("85,5", "%") == ParsedTarget(Decimal("85.5"), "", "%")
    assert target_parse("WTP", "opini") == ParsedTarget(None, "WTP", "opini")
    with pytest.raises(ValidationError) as refused:
        target_parse("50%", "orang")
    assert refused.value.message_dict == {
        "satuan": [
            "Satuan “%” yang ditulis pada target berbeda dengan satuan “orang”; tulis satuan di satu tempat "
            "saja, atau samakan."
        ]
    }


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("85,5,5", "Target “85,5,5” bukan angka yang dikenali."),
        ("1.2.3", "Target “1.2.3” bukan angka yang dikenali."),
        ("1.25,5", "Target “1.25,5” bukan angka yang dikenali."),
        ("85, 5", "Target “85, 5” bukan angka yang dikenali."),
        ("1,23456", "Target 1,23456: paling banyak 4 angka di belakang koma."),
        ("1234567890123456", "Target 1234567890123456 terlalu panjang: paling banyak 15 angka."),
        ("W" * 101, "Target terlalu panjang: 101 karakter, paling banyak 100."),
        ("5 " + "x" * 61, "Satuan pada target terlalu panjang: 61 karakter, paling banyak 60."),
    ],
)
def test_parser_refuses_what_does_not_read(typed, message):
    with pytest.raises(ValidationError) as refused:
        target_parse(typed)
    assert list(refused.value.message_dict) == ["target"]
    assert refused.value.message_dict["target"][0].startswith(message)


def test_text_the_parser_cannot_read_is_kept_as_text_where_nothing_may_be_lost():
    assert target_stored("85,5,5", "%") == ParsedTarget(None, "85,5,5", "%")
    assert target_stored("50%", "orang") == ParsedTarget(None, "50%", "orang")
    assert target_stored("85,5", "%") == ParsedTarget(Decimal("85.5"), "", "%")


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (Decimal("85.5000"), "85,5"),
        (Decimal("1250.0000"), "1.250"),
        (Decimal("1250.5"), "1.250,5"),
        (Decimal("1250000"), "1.250.000"),
        (Decimal("0.125"), "0,125"),
        (Decimal("-2.5"), "-2,5"),
        (Decimal("100"), "100"),
        (Decimal("0.0000"), "0"),
        (Decimal("123456789012.345"), "123.456.789.012,345"),
    ],
)
def test_display_is_indonesian_without_trailing_zeros_and_reads_back(number, shown):
    assert target_format(number) == shown
    assert target_parse(shown).angka == number


def test_display_with_satuan():
    assert target_with_satuan(Decimal("85.5"), "", "%") == "85,5 %"
    assert target_with_satuan(None, "WTP", "") == "WTP"
    assert target_with_satuan(None, "", "desa") == "desa"


def test_arah_accepts_the_three_directions_in_any_case():
    assert [arah_parse(v) for v in ("naik", "Naik", " TURUN ", "tetap", "")] == ["naik", "naik", "turun", "tetap", ""]
    with pytest.raises(ValidationError, match="Arah “atas” tidak dikenal; gunakan naik, turun atau tetap."):
        arah_parse("atas")


# --- the database ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [Decimal("4.1"), Decimal("85.5"), Decimal("0.1"), Decimal("0.0001"), Decimal("-2.35"), Decimal("99999999999.9999")]
    + [Decimal("123456789012345"), Decimal("1250"), Decimal("33.3333")],
)
def test_numbers_read_back_exactly(chain_tree, number):
    """SQLite stores a decimal as a float; 15 significant digits read back exact on both databases."""
    node = Node.objects.get(pohon=chain_tree, kode="T1.I1")
    node_update(node=node, target_angka=number)
    stored = Node.objects.get(pk=node.pk).target_angka
    assert stored == number
    assert target_format(stored) == target_format(number)
    assert Node.objects.filter(pk=node.pk, target_angka=number).exists()


def test_an_indikator_gets_naik_and_other_kinds_no_direction(chain_tree):
    tujuan = Node.objects.get(pohon=chain_tree, kode="T1")
    indikator = node_create(pohon=chain_tree, parent=tujuan, jenis="indikator", uraian="Indeks Y", kode="T1.I2")
    assert indikator.arah == "naik"
    assert Node.objects.get(pohon=chain_tree, kode="S1").arah == ""
    turun = node_create(pohon=chain_tree, parent=tujuan, jenis="indikator", uraian="Z", kode="T1.I3", arah="turun")
    assert turun.arah == "turun"


def test_a_target_or_direction_on_another_kind_or_both_forms_are_refused(chain_tree):
    tujuan = Node.objects.get(pohon=chain_tree, kode="T1")
    with pytest.raises(ValidationError) as refused:
        node_create(pohon=chain_tree, parent=tujuan, jenis="sasaran", uraian="S", target_teks="Baik")
    assert refused.value.message_dict["target"] == ["Target, Satuan dan Arah hanya untuk Indikator, bukan Sasaran."]
    with pytest.raises(ValidationError) as refused:
        node_create(pohon=chain_tree, parent=tujuan, jenis="sasaran", uraian="S", arah="naik")
    assert refused.value.message_dict["arah"] == ["Target, Satuan dan Arah hanya untuk Indikator, bukan Sasaran."]
    with pytest.raises(ValidationError) as refused:
        node_create(
            pohon=chain_tree, parent=tujuan, jenis="indikator", uraian="I", target_angka=Decimal(1), target_teks="x"
        )
    assert refused.value.message_dict["target"] == ["Target berupa angka atau teks, tidak keduanya."]


# --- the import -----------------------------------------------------------------------------------


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "pohon"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _indikator_rows(cells: list[tuple[str, str, str]]) -> list[list[object]]:
    rows: list[list[object]] = [["T1", "", "tujuan", "Meningkatnya X", "", "", "", "", ""]]
    for number, (target, satuan, arah) in enumerate(cells, start=1):
        rows.append([f"T1.I{number}", "T1", "indikator", f"Indikator {number}", "", "", target, satuan, arah])
    return rows


def test_import_reads_each_typed_form(dinas):
    forms = [typed for typed in TYPED if typed]
    arah = ["naik", "Naik", "TURUN", "tetap", ""]
    cells = [(typed, "", arah[i % len(arah)]) for i, typed in enumerate(forms)]
    plan, pohon = pohon_import(dinas=dinas, tahun=2019, data=_xlsx(_indikator_rows(cells)), filename="p.xlsx")
    assert plan.ok, plan.problems
    stored = {
        kode: (angka, teks, satuan, arah)
        for kode, angka, teks, satuan, arah in Node.objects.filter(pohon=pohon, jenis="indikator").values_list(
            "kode", "target_angka", "target_teks", "satuan", "arah"
        )
    }
    for i, typed in enumerate(forms, start=1):
        angka, teks, satuan = TYPED[typed]
        assert stored[f"T1.I{i}"] == (angka, teks, satuan, (arah[(i - 1) % len(arah)] or "naik").lower()), typed


def test_import_with_the_satuan_in_both_columns(dinas):
    rows = _indikator_rows([("50%", "%", ""), ("45 OPD", "opd", "")])
    plan, pohon = pohon_import(dinas=dinas, tahun=2019, data=_xlsx(rows), filename="p.xlsx")
    assert plan.ok, plan.problems
    nodes = Node.objects.filter(pohon=pohon, jenis="indikator").order_by("kode")
    assert [(n.target_angka, n.satuan) for n in nodes] == [(Decimal(50), "%"), (Decimal(45), "opd")]


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (("50%", "orang", ""), "satuan", "Satuan “%” yang ditulis pada target berbeda dengan satuan “orang”"),
        (("85,5,5", "%", ""), "target", "Target “85,5,5” bukan angka yang dikenali."),
        (("85", "%", "ke atas"), "arah", "Arah “ke atas” tidak dikenal; gunakan naik, turun atau tetap."),
    ],
)
def test_import_refusals_name_row_and_column(dinas, cells, column, message):
    rows = _indikator_rows([("1", "", ""), cells])
    plan, pohon = pohon_import(dinas=dinas, tahun=2019, data=_xlsx(rows), filename="p.xlsx")
    assert pohon is None
    assert [(p.row, p.column) for p in plan.problems] == [(4, column)]
    assert plan.problems[0].message.startswith(message)


def test_import_refuses_a_target_on_a_tujuan(dinas):
    rows = [["T1", "", "tujuan", "Meningkatnya X", "", "", "85", "%", ""]]
    plan, pohon = pohon_import(dinas=dinas, tahun=2019, data=_xlsx(rows), filename="p.xlsx")
    assert pohon is None
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (2, "target", "Target, Satuan dan Arah hanya untuk Indikator, bukan Tujuan.")
    ]


def test_a_file_without_the_arah_column_still_imports(dinas):
    rows = [row[:-1] for row in _indikator_rows([("85,5", "%", "")])]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS[:-1]))
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    plan, pohon = pohon_import(dinas=dinas, tahun=2019, data=stream.getvalue(), filename="p.xlsx")
    assert plan.ok, plan.problems
    assert Node.objects.get(pohon=pohon, kode="T1.I1").arah == "naik"


# --- the round trip -------------------------------------------------------------------------------


@pytest.fixture
def targets_tree(pohon):
    tujuan = node_create(pohon=pohon, parent=None, jenis="tujuan", uraian="Meningkatnya X", kode="T1")
    for number, typed in enumerate(["85,5 %", "1.250 orang", "4,1 poin", "WTP", "-2,5 %", "0,125", ""], start=1):
        parsed = target_parse(typed)
        node_create(
            pohon=pohon, parent=tujuan, jenis="indikator", uraian=f"Indikator {number}", kode=f"T1.I{number}",
            target_angka=parsed.angka, target_teks=parsed.teks, satuan=parsed.satuan,
            arah=("naik", "turun", "tetap")[number % 3],
        )  # fmt: skip
    return pohon


def _rows(data: bytes, export_format: str) -> list[dict[str, str]]:
    if export_format == "json":
        return json.loads(data)
    if export_format == "csv":
        import csv

        return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    header, *body = list(sheet.iter_rows(values_only=True))
    return [{key: "" if value is None else value for key, value in zip(header, row, strict=True)} for row in body]


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "json"])
def test_export_import_export_is_identical(targets_tree, export_format):
    exported = pohon_export(targets_tree, export_format)
    rows = {row["kode"]: row for row in _rows(exported, export_format)}
    # one canonical form: the display text, in every format (a text cell in .xlsx); a leading minus
    # gets the export's formula escape, which the import takes off again
    assert [(rows[f"T1.I{n}"]["target"], rows[f"T1.I{n}"]["satuan"]) for n in range(1, 8)] == [
        ("85,5", "%"), ("1.250", "orang"), ("4,1", "poin"), ("WTP", ""), ("'-2,5", "%"), ("0,125", ""), ("", ""),
    ]  # fmt: skip
    assert [rows[f"T1.I{n}"]["arah"] for n in range(1, 4)] == ["turun", "tetap", "naik"]
    assert rows["T1"]["arah"] == ""
    plan, copy = pohon_import(dinas=targets_tree.dinas, tahun=2019, data=exported, filename=f"pohon.{export_format}")
    assert plan.ok, plan.problems
    again = pohon_export(copy, export_format)
    if export_format != "xlsx":  # a workbook carries its creation time
        assert again == exported
    assert _rows(again, export_format) == _rows(exported, export_format)
    fields = ("kode", "target_angka", "target_teks", "satuan", "arah")
    assert list(Node.objects.filter(pohon=copy).order_by("lft").values_list(*fields)) == list(
        Node.objects.filter(pohon=targets_tree).order_by("lft").values_list(*fields)
    )


def test_template_explains_the_target_forms():
    workbook = openpyxl.load_workbook(io.BytesIO(pohon_template_xlsx()))
    text = " ".join(str(cell.value) for row in workbook["petunjuk"].iter_rows() for cell in row if cell.value)
    assert "1.250 = seribu dua ratus lima puluh" in text
    assert "Kosong berarti naik" in text
    assert "Ekspor menulis target sebagai teks" in text
    assert workbook["pohon"].column_dimensions["G"].number_format == "@"  # target kept as typed


# --- pages ----------------------------------------------------------------------------------------


def test_chart_and_table_show_targets_the_indonesian_way(admin_client, targets_tree):
    chart = admin_client.get(reverse("pohon:chart", args=["dinas-uji", 2018])).content.decode()
    for shown in ("85,5 %", "1.250 orang", "4,1 poin", "WTP", "-2,5 %", "0,125"):
        assert f'<span class="cc-target">Target: {shown}</span>' in chart
    table = admin_client.get(reverse("pohon:table", args=["dinas-uji", 2018])).content.decode()
    cells = re.findall(r'<td class="pt-target">([^<]*)</td><td class="pt-satuan">([^<]*)</td>', table)
    assert ("1.250", "orang") in cells and ("WTP", "") in cells and ("85,5", "%") in cells


def test_node_panel_shows_target_and_arah(admin_client, targets_tree):
    node = Node.objects.get(pohon=targets_tree, kode="T1.I2")
    html = admin_client.get(reverse("pohon:node_panel", args=["dinas-uji", 2018, node.pk])).content.decode()
    assert "<dd>1.250 orang</dd>" in html
    assert "<dd>Tetap</dd>" in html


# --- the editor -----------------------------------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def operator(demo) -> Client:
    client = Client()
    assert client.login(username="operator", password=DEMO_PASSWORD)
    return client


def _demo_node(kode: str) -> Node:
    return Node.objects.get(pohon__dinas__kode="dpmd-lumajang", kode=kode)


def _url(kode: str, action: str) -> str:
    return f"/pohon/dpmd-lumajang/2018/node/{_demo_node(kode).pk}/{action}/"


def _add_indikator(client: Client, kode: str, **fields):
    data = {"jenis": "indikator", "uraian": f"Indikator {kode}", "kode": kode, "versi": _demo_node("B1.K1").versi}
    return client.post(_url("B1.K1", "tambah"), data | fields, **HTMX)


@pytest.mark.parametrize(("typed", "expected"), [(t, e) for t, e in TYPED.items() if t], ids=[t for t in TYPED if t])
def test_editor_adds_an_indikator_with_each_typed_form(operator, typed, expected):
    response = _add_indikator(operator, "UJI.I1", target=typed, satuan="", arah="turun")
    assert response.status_code == 200 and response["HX-Reswap"] == "none", response.content.decode()[:500]
    added = _demo_node("UJI.I1")
    assert (added.target_angka, added.target_teks, added.satuan, added.arah) == (*expected, "turun")


def test_editor_puts_a_disagreeing_satuan_next_to_the_satuan(operator):
    response = _add_indikator(operator, "UJI.I1", target="50%", satuan="orang", arah="naik")
    form = response.context["form"]
    assert form.errors == {
        "satuan": [
            "Satuan “%” yang ditulis pada target berbeda dengan satuan “orang”; tulis satuan di satu tempat "
            "saja, atau samakan."
        ]
    }
    assert 'class="pe-field pe-field-satuan has-error"' in response.content.decode()
    assert not Node.objects.filter(kode="UJI.I1").exists()


def test_editor_refuses_a_number_that_does_not_read_next_to_the_target(operator):
    response = _add_indikator(operator, "UJI.I1", target="85,5,5", satuan="%", arah="naik")
    assert list(response.context["form"].errors) == ["target"]
    assert 'class="pe-field pe-field-target has-error"' in response.content.decode()
    assert not Node.objects.filter(kode="UJI.I1").exists()


def test_editor_refuses_a_target_on_a_kegiatan_and_ignores_the_hidden_arah(operator):
    data = {"jenis": "kegiatan", "uraian": "Kegiatan uji", "kode": "UJI1", "versi": _demo_node("B1.K1").versi}
    response = operator.post(_url("B1.K1", "tambah"), data | {"target": "10", "arah": "naik"}, **HTMX)
    assert response.context["form"].errors == {
        "target": ["Target, Satuan dan Arah hanya untuk Indikator, bukan Kegiatan."]
    }
    response = operator.post(_url("B1.K1", "tambah"), data | {"target": "", "arah": "naik"}, **HTMX)
    assert response["HX-Reswap"] == "none"
    assert _demo_node("UJI1").arah == ""


def test_editor_edit_form_shows_the_target_as_typed_and_saves_a_change(operator):
    _add_indikator(operator, "UJI.I1", target="1.250", satuan="orang", arah="tetap")
    node = _demo_node("UJI.I1")
    form = operator.get(_url("UJI.I1", "ubah") + f"?versi={node.versi}", **HTMX).content.decode()
    assert re.search(r'<input type="text" name="target" value="1.250"', form)
    assert re.search(r'<option value="tetap" selected>', form)
    data = {"uraian": node.uraian, "target": "WTP", "satuan": "", "arah": "naik", "versi": node.versi}
    response = operator.post(_url("UJI.I1", "ubah"), data, **HTMX)
    assert response["HX-Reswap"] == "none", response.content.decode()[:500]
    node.refresh_from_db()
    assert (node.target_angka, node.target_teks, node.satuan, node.arah) == (None, "WTP", "", "naik")
    entry = NodeRiwayat.objects.filter(node_id=node.pk, aksi=NodeRiwayat.Aksi.UBAH).latest("id")
    assert entry.sebelum == {"target": "1.250", "satuan": "orang", "arah": "tetap"}
    assert entry.sesudah == {"target": "WTP", "satuan": "", "arah": "naik"}


def test_admin_form_reads_the_typed_target(admin_client, chain_tree):
    tujuan = Node.objects.get(pohon=chain_tree, kode="T1")
    data = {"pohon": chain_tree.pk, "parent": tujuan.pk, "jenis": "indikator", "kode": "T1.I2", "uraian": "Indeks Y"}
    data |= {"unit": "", "pagu": "", "target": "45 OPD", "satuan": "", "arah": "turun"}
    response = admin_client.post(f"/admin/pohon/node/add/?pohon={chain_tree.pk}", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Node.objects.get(pohon=chain_tree, kode="T1.I2")
    assert (added.target_angka, added.satuan, added.arah) == (Decimal(45), "OPD", "turun")
    change = admin_client.get(f"/admin/pohon/node/{added.pk}/change/").content.decode()
    assert re.search(r'name="target" value="45"', change)
    response = admin_client.post(f"/admin/pohon/node/add/?pohon={chain_tree.pk}", data | {"satuan": "orang"})
    assert response.status_code == 200
    assert "berbeda dengan satuan “orang”" in response.content.decode()


# --- history --------------------------------------------------------------------------------------


def test_restore_recreates_the_target_from_the_history(admin_client, targets_tree):
    for kode in ("T1.I1", "T1.I4"):
        node_delete(node=Node.objects.get(pohon=targets_tree, kode=kode))
    for entry in NodeRiwayat.objects.filter(pohon=targets_tree, aksi=NodeRiwayat.Aksi.HAPUS):
        assert admin_client.post(reverse("pohon:pulihkan", args=["dinas-uji", 2018, entry.pk])).status_code == 302
    restored = {n.kode: n for n in Node.objects.filter(pohon=targets_tree, kode__in=["T1.I1", "T1.I4"])}
    assert (restored["T1.I1"].target_angka, restored["T1.I1"].satuan, restored["T1.I1"].arah) == (
        Decimal("85.5"), "%", "turun",
    )  # fmt: skip
    assert (restored["T1.I4"].target_teks, restored["T1.I4"].arah) == ("WTP", "turun")


def test_restore_of_an_entry_written_before_targets_were_numbers(admin_client, chain_tree):
    """A deletion recorded before migration 0010 holds the target as typed and no arah."""
    node = Node.objects.get(pohon=chain_tree, kode="T1.I1")
    node_delete(node=node)
    entry = NodeRiwayat.objects.get(pohon=chain_tree, aksi=NodeRiwayat.Aksi.HAPUS)
    rows = entry.sebelum["nodes"]
    for row in rows:
        row.pop("arah")
    rows[0].update(target="50%", satuan="")
    entry.save()
    assert admin_client.post(reverse("pohon:pulihkan", args=["dinas-uji", 2018, entry.pk])).status_code == 302
    restored = Node.objects.get(pohon=chain_tree, kode="T1.I1")
    assert (restored.target_angka, restored.satuan, restored.arah) == (Decimal(50), "%", "naik")


def test_diff_between_revisions_shows_a_changed_target(chain_tree):
    Pohon.objects.filter(pk=chain_tree.pk).update(status=Pohon.Status.DISETUJUI)
    revision = pohon_revise(pohon=chain_tree, user=None)
    node = Node.objects.get(pohon=revision, kode="T1.I1")
    node_update(node=node, target_angka=Decimal("90.25"), arah="tetap")
    changed = {change.kode: change for change in pohon_diff(pohon=revision).changed}
    shown = {(c.label, c.old, c.new) for c in changed["T1.I1"].changes}
    assert shown == {("Target", "85,5", "90,25"), ("Arah", "Naik", "Tetap")}
