import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from pohon.models import Node
from pohon.resources import COLUMNS, pohon_export

pytestmark = pytest.mark.django_db

EXPECTED_ROWS = [
    {
        "kode": "T1",
        "induk": "",
        "jenis": "tujuan",
        "uraian": "Meningkatnya X",
        "unit_kerja": "",
        "pagu": "",
        "target": "",
        "satuan": "",
        "arah": "",
    },
    {
        "kode": "T1.I1",
        "induk": "T1",
        "jenis": "indikator",
        "uraian": "Indeks X",
        "unit_kerja": "",
        "pagu": "",
        "target": "85,5",
        "satuan": "%",
        "arah": "naik",
    },
    {
        "kode": "S1",
        "induk": "T1",
        "jenis": "sasaran",
        "uraian": "Meningkatnya Y",
        "unit_kerja": "",
        "pagu": "",
        "target": "",
        "satuan": "",
        "arah": "",
    },
    {
        "kode": "P1",
        "induk": "S1",
        "jenis": "program",
        "uraian": "Program Z",
        "unit_kerja": "",
        "pagu": "6545000000",
        "target": "",
        "satuan": "",
        "arah": "",
    },
    {
        "kode": "K1",
        "induk": "P1",
        "jenis": "kegiatan",
        "uraian": "Kegiatan A",
        "unit_kerja": "",
        "pagu": "5150000000",
        "target": "",
        "satuan": "",
        "arah": "",
    },
    {
        "kode": "K2",
        "induk": "P1",
        "jenis": "kegiatan",
        "uraian": "Kegiatan B",
        "unit_kerja": "",
        "pagu": "1395000000",
        "target": "",
        "satuan": "",
        "arah": "",
    },
]


def expected_rows(pohon) -> list[dict]:
    """EXPECTED_ROWS with each node's kunci, the last column, which the export always writes."""
    kunci = {kode: str(key) for kode, key in Node.objects.filter(pohon=pohon).values_list("kode", "kunci")}
    assert len(set(kunci.values())) == len(kunci)  # each node its own
    return [{**row, "kunci": kunci[row["kode"]]} for row in EXPECTED_ROWS]


def rows_from_json(data: bytes) -> list[dict]:
    return json.loads(data)


def rows_from_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def rows_from_xlsx(data: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    header, *body = list(sheet.iter_rows(values_only=True))
    return [{key: "" if value is None else str(value) for key, value in zip(header, row, strict=True)} for row in body]


READERS = {"json": rows_from_json, "csv": rows_from_csv, "xlsx": rows_from_xlsx}


@pytest.mark.parametrize("export_format", sorted(READERS))
def test_each_format_gives_the_same_rows_in_tree_order(chain_tree, export_format):
    rows = READERS[export_format](pohon_export(chain_tree, export_format))
    assert rows == expected_rows(chain_tree)


def test_json_objects_have_exactly_the_columns(chain_tree):
    for row in json.loads(pohon_export(chain_tree, "json")):
        assert tuple(row) == COLUMNS


def test_unit_kerja_is_the_unit_name(pohon, bidang_unit):
    from pohon.services import node_create

    tujuan = node_create(pohon=pohon, parent=None, jenis="tujuan", uraian="T", kode="T1")
    node_create(pohon=pohon, parent=tujuan, jenis="bidang", uraian="KEPALA BIDANG A", kode="B1", unit=bidang_unit)
    rows = rows_from_json(pohon_export(pohon, "json"))
    assert rows[1]["unit_kerja"] == "Bidang A"


def test_export_command_to_file_and_stdout(chain_tree, tmp_path, capfdbinary):
    output = tmp_path / "pohon.xlsx"
    call_command("export_pohon", dinas="dinas-uji", tahun=2018, export_format="xlsx", output=str(output))
    assert rows_from_xlsx(output.read_bytes()) == expected_rows(chain_tree)
    call_command("export_pohon", dinas="dinas-uji", tahun=2018, export_format="csv")
    assert rows_from_csv(capfdbinary.readouterr().out) == expected_rows(chain_tree)


def test_export_command_unknown_tree(chain_tree):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("export_pohon", dinas="dinas-uji", tahun=2030, export_format="json")
