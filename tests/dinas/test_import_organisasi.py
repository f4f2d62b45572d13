"""The organisation table: create or update agencies, units and officials; twice changes nothing;
refusals by row and column with nothing written; the export imports back to the same state."""

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dinas.imports import COLUMNS, COUNT_KEYS, organisasi_export, organisasi_import, organisasi_import_plan
from dinas.models import Pejabat, Pemda, PerangkatDaerah, UnitKerja
from dinas.services import pemda_create

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
HEADER = list(COLUMNS)
NIP_BUDI = "197409101994121001"


def org_state() -> dict:
    """The organisation as data, independent of primary keys."""
    return {
        "agencies": sorted(PerangkatDaerah.objects.values_list("kode", "nama", "pemda__nama", "tempat")),
        "units": sorted(
            UnitKerja.objects.values_list("dinas__kode", "kode", "nama", "jenis", "parent__kode", "urutan")
        ),
        # (a Kepala Daerah, the demo's Bupati, has no unit: None sorts first)
        "officials": sorted(
            Pejabat.objects.values_list(
                "unit__dinas__kode",
                "unit__kode",
                "nama",
                "nip",
                "jabatan",
                "tahun_mulai",
                "tahun_selesai",
                "status",
                "pangkat",
            ),
            key=lambda row: tuple((value is not None, value or "") for value in row),
        ),
        "pemda": sorted(Pemda.objects.values_list("kode", "nama", "jenis", "tempat")),
    }


def org_wipe() -> None:
    Pejabat.objects.all().delete()
    while UnitKerja.objects.exists():  # parents are protected: leaves first
        UnitKerja.objects.filter(children__isnull=True).delete()
    PerangkatDaerah.objects.all().delete()  # the Pemda records stay, as the admin keeps them


def table(rows: list[dict[str, str]], fmt: str = "csv") -> bytes:
    full = [[row.get(column, "") for column in HEADER] for row in rows]
    if fmt == "xlsx":
        workbook = openpyxl.Workbook()
        workbook.active.append(HEADER)
        for row in full:
            workbook.active.append(row)
        stream = io.BytesIO()
        workbook.save(stream)
        return stream.getvalue()
    stream = io.StringIO()
    csv.writer(stream).writerows([HEADER, *full])
    return stream.getvalue().encode()


AGENCY = {"perangkat_daerah": "dinas-baru", "nama_perangkat_daerah": "Dinas Baru", "pemda": "Kota Baru"}
BASE = [
    {**AGENCY, "kode": "kepala", "jenis": "kepala", "nama": "Kepala Dinas", "pejabat": "Budi", "nip": NIP_BUDI,
     "jabatan": "Kepala Dinas Baru", "tahun_mulai": "2020"},
    {"perangkat_daerah": "dinas-baru", "kode": "bidang-a", "induk": "kepala", "jenis": "bidang", "nama": "Bidang A"},
    {"perangkat_daerah": "dinas-baru", "kode": "seksi-a1", "induk": "bidang-a", "jenis": "seksi", "nama": "Seksi A1"},
]  # fmt: skip


def refused(rows: list[dict[str, str]], *, row: int, column: str, fragment: str):
    before = org_state()
    plan, written = organisasi_import(data=table(rows), filename="organisasi.csv")
    assert not written and not plan.ok
    assert org_state() == before
    matching = [p for p in plan.problems if p.row == row and p.column == column]
    assert matching, plan.problems
    assert fragment in matching[0].message, matching[0].message
    return plan


def test_messy_file_creates_agency_units_and_officials():
    data = (DATA / "organisasi_berantakan.csv").read_bytes()
    plan, written = organisasi_import(data=data, filename="organisasi_berantakan.csv")
    assert plan.ok and written, plan.problems
    assert plan.counts == {
        "pemda_baru": 1,
        "perangkat_daerah_baru": 1,
        "perangkat_daerah_diubah": 0,
        "unit_baru": 4,
        "unit_diubah": 0,
        "pejabat_baru": 3,
        "pejabat_diubah": 0,
    }
    state = org_state()
    assert state["agencies"] == [("dinas-contoh", "Dinas Contoh", "Kabupaten Contoh", "Contoh")]
    assert state["pemda"] == [("kabupaten-contoh", "Kabupaten Contoh", "kabupaten", "Contoh")]
    units = {kode: (jenis, parent) for _d, kode, _n, jenis, parent, _u in state["units"]}
    assert units == {
        "kepala": ("kepala", None),
        "bidang-a": ("bidang", "kepala"),
        "seksi-a1": ("seksi", "bidang-a"),
        "sekretariat": ("sekretariat", "kepala"),
    }
    officials = sorted(
        (unit, nama, nip, mulai, selesai) for _d, unit, nama, nip, _j, mulai, selesai, _s, _p in state["officials"]
    )
    assert officials == [
        ("bidang-a", "Siti", "198001012005012003", 2019, None),
        ("kepala", "Ahmad", "196503121990031002", 2010, 2017),
        ("kepala", "Budi, S.Sos.", NIP_BUDI, 2018, None),
    ]  # fmt: skip


def test_importing_twice_changes_nothing():
    data = (DATA / "organisasi_berantakan.csv").read_bytes()
    organisasi_import(data=data, filename="o.csv")
    state = org_state()
    plan, written = organisasi_import(data=data, filename="o.csv")
    assert written and plan.counts == dict.fromkeys(COUNT_KEYS, 0)
    assert org_state() == state


def test_dry_run_writes_nothing():
    before = org_state()
    plan, written = organisasi_import(data=table(BASE), filename="o.csv", dry_run=True)
    assert plan.ok and not written
    assert plan.counts["unit_baru"] == 3 and plan.counts["pejabat_baru"] == 1
    assert org_state() == before
    assert organisasi_import_plan(data=table(BASE), filename="o.csv").counts == plan.counts
    assert org_state() == before


def test_update_changes_only_what_differs_and_empty_cells_keep_values():
    organisasi_import(data=table(BASE), filename="o.csv")
    rows = [
        {"perangkat_daerah": "dinas-baru", "kode": "bidang-a", "induk": "kepala", "jenis": "bidang",
         "nama": "Bidang A2"},
        {"perangkat_daerah": "dinas-baru", "kode": "kepala", "jenis": "kepala", "nama": "Kepala Dinas",
         "pejabat": "Budi", "nip": "19740910 199412 1 001", "jabatan": "Kepala Dinas Baru", "tahun_selesai": "2024"},
    ]  # fmt: skip
    plan, written = organisasi_import(data=table(rows, "xlsx"), filename="o.xlsx")
    assert written and plan.counts == {**dict.fromkeys(COUNT_KEYS, 0), "unit_diubah": 1, "pejabat_diubah": 1}
    assert UnitKerja.objects.get(kode="bidang-a").nama == "Bidang A2"
    budi = Pejabat.objects.get(nip=NIP_BUDI)
    assert (budi.tahun_mulai, budi.tahun_selesai) == (2020, 2024)  # the start year was kept
    assert PerangkatDaerah.objects.get(kode="dinas-baru").nama == "Dinas Baru"  # empty agency cells keep it


def test_a_unit_may_be_placed_under_a_stored_unit():
    organisasi_import(data=table(BASE), filename="o.csv")
    rows = [{"perangkat_daerah": "dinas-baru", "kode": "seksi-a2", "induk": "bidang-a", "jenis": "seksi", "nama": "S2"}]
    plan, written = organisasi_import(data=table(rows), filename="o.csv")
    assert written and plan.counts["unit_baru"] == 1
    assert UnitKerja.objects.get(kode="seksi-a2").parent.kode == "bidang-a"


@pytest.mark.parametrize(
    ("change", "row", "column", "fragment"),
    [
        ({0: {"nip": "19741310 199412 1 001"}}, 2, "nip", "bukan tanggal yang benar"),
        ({0: {"nip": "1974091019941210"}}, 2, "nip", "18 angka, bukan 16"),
        ({2: {"induk": "bidang-z"}}, 4, "induk", "Unit induk “bidang-z” tidak ditemukan"),
        ({1: {"jenis": "direktorat"}}, 3, "jenis", "Jenis unit “direktorat” tidak dikenal"),
        ({0: {"induk": "seksi-a1"}}, 2, "induk", "lingkaran: kepala \u2192 seksi-a1 \u2192 bidang-a \u2192 kepala"),
        ({1: {"kode": "Bidang A"}}, 3, "kode", "slug"),
        ({0: {"perangkat_daerah": "dinas baru"}}, 2, "perangkat_daerah", "slug"),
        ({0: {"nama_perangkat_daerah": ""}}, 2, "nama_perangkat_daerah", "Perangkat Daerah baru"),
        ({1: {"pemda": "Kota Lain"}}, 3, "pemda", "berbeda dengan baris 2"),
        ({0: {"jabatan": ""}}, 2, "jabatan", "Jabatan wajib diisi"),
        ({0: {"tahun_selesai": "2019"}}, 2, "tahun_selesai", "sebelum tahun mulai"),
        ({0: {"tahun_mulai": "dua ribu"}}, 2, "tahun_mulai", "angka empat digit"),
        ({1: {"urutan": "-1"}}, 3, "urutan", "bilangan bulat"),
        ({2: {"nama": ""}}, 4, "nama", "Nama unit kerja wajib diisi"),
    ],
)
def test_each_refusal_names_row_and_column_and_writes_nothing(change, row, column, fragment):
    rows = [dict(r) for r in BASE]
    for index, cells in change.items():
        rows[index].update(cells)
    refused(rows, row=row, column=column, fragment=fragment)


def test_duplicate_kode_within_an_agency():
    rows = [*BASE, {"perangkat_daerah": "dinas-baru", "kode": "bidang-a", "jenis": "bidang", "nama": "Bidang Lain"}]
    refused(rows, row=5, column="nama", fragment="Kode unit “bidang-a” sudah dipakai di baris 3")
    rows[-1]["nama"] = ""
    refused(rows, row=5, column="kode", fragment="sudah dipakai di baris 3")


def test_same_kode_in_another_agency_is_another_unit():
    other = {"perangkat_daerah": "dinas-lain", "nama_perangkat_daerah": "Dinas Lain", "pemda": "Kota Lain"}
    rows = [*BASE, {**other, "kode": "bidang-a", "jenis": "bidang", "nama": "Bidang A"}]
    plan, written = organisasi_import(data=table(rows), filename="o.csv")
    assert written and plan.counts["unit_baru"] == 4 and plan.counts["perangkat_daerah_baru"] == 2


def test_cycle_through_a_stored_unit():
    organisasi_import(data=table(BASE), filename="o.csv")
    rows = [{"perangkat_daerah": "dinas-baru", "kode": "kepala", "induk": "seksi-a1", "jenis": "kepala", "nama": "K"}]
    refused(rows, row=2, column="induk", fragment="lingkaran")


def test_rows_below_a_refused_unit_depend_on_it():
    rows = [dict(r) for r in BASE]
    rows[1]["jenis"] = "direktorat"
    plan = refused(rows, row=3, column="jenis", fragment="tidak dikenal")
    assert [(p.row, p.column) for p in plan.problems] == [(3, "jenis"), (4, "induk")]
    assert "bergantung pada baris 3 yang ditolak" in plan.problems[1].message


def test_missing_required_column():
    data = b"perangkat_daerah,kode,jenis\ndinas-baru,kepala,kepala\n"
    plan, written = organisasi_import(data=data, filename="o.csv")
    assert not written
    assert [(p.row, p.column) for p in plan.problems] == [(1, "induk"), (1, "nama")]


def test_same_official_twice_for_a_unit():
    rows = [*BASE, {"perangkat_daerah": "dinas-baru", "kode": "kepala", "pejabat": "Budi", "nip": NIP_BUDI,
                    "jabatan": "Kepala"}]  # fmt: skip
    refused(rows, row=5, column="nip", fragment="sudah tercantum di baris 2")


# --- export and the round trip --------------------------------------------------------------------


@pytest.fixture
def organisation():
    """Two agencies (one without units), officials over the years, formula-like names."""
    data = (DATA / "organisasi_berantakan.csv").read_bytes()
    organisasi_import(data=data, filename="o.csv")
    # A Pemda whose name a spreadsheet would read as a formula (the import creates new Pemda only
    # from names that say Kabupaten, Kota or Provinsi): recorded in the admin beforehand.
    pemda_create(nama="+Kota", jenis="kota", tempat="Kota")
    extra = [
        {"perangkat_daerah": "badan-kosong", "nama_perangkat_daerah": "=Badan Kosong", "pemda": "+Kota", "tempat": ""},
        {"perangkat_daerah": "dinas-contoh", "kode": "seksi-x", "induk": "bidang-a", "jenis": "seksi",
         "nama": "-Seksi X", "urutan": "9", "pejabat": "@Nama", "nip": "19900101 201501 2 001", "jabatan": "'Kasie"},
    ]  # fmt: skip
    plan, written = organisasi_import(data=table(extra), filename="extra.csv")
    assert written, plan.problems
    return org_state()


def rows_of(data: bytes, fmt: str) -> list[dict[str, str]]:
    if fmt == "json":
        return json.loads(data)
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    header, *body = list(sheet.iter_rows(values_only=True))
    return [{k: "" if v is None else str(v) for k, v in zip(header, row, strict=True)} for row in body]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_imports_back_to_the_same_state(organisation, fmt):
    exported = organisasi_export(dinas_kode=None, export_format=fmt)
    org_wipe()
    plan, written = organisasi_import(data=exported, filename=f"organisasi.{fmt}")
    assert written, plan.problems
    assert org_state() == organisation
    assert rows_of(organisasi_export(dinas_kode=None, export_format=fmt), fmt) == rows_of(exported, fmt)


def test_export_escapes_formula_cells(organisation):
    rows = rows_of(organisasi_export(dinas_kode=None, export_format="csv"), "csv")
    kosong = next(r for r in rows if r["perangkat_daerah"] == "badan-kosong")
    assert (kosong["nama_perangkat_daerah"], kosong["pemda"], kosong["kode"]) == ("'=Badan Kosong", "'+Kota", "")
    seksi = next(r for r in rows if r["kode"] == "seksi-x")
    assert (seksi["nama"], seksi["pejabat"], seksi["jabatan"]) == ("'-Seksi X", "'@Nama", "''Kasie")
    assert seksi["nip"] == "19900101 201501 2 001"


def test_export_of_one_agency(organisation):
    rows = rows_of(organisasi_export(dinas_kode="badan-kosong", export_format="json"), "json")
    assert [r["perangkat_daerah"] for r in rows] == ["badan-kosong"]
    with pytest.raises(PerangkatDaerah.DoesNotExist):
        organisasi_export(dinas_kode="tidak-ada", export_format="json")


def test_the_demo_organisation_exports_and_imports_without_change(demo):
    state = org_state()
    exported = organisasi_export(dinas_kode="dpmd-lumajang", export_format="xlsx")
    plan, written = organisasi_import(data=exported, filename="demo.xlsx")
    assert written and plan.counts == dict.fromkeys(COUNT_KEYS, 0), plan.problems
    assert org_state() == state


# --- commands -------------------------------------------------------------------------------------


def test_commands_export_and_import(organisation, tmp_path):
    path = tmp_path / "organisasi.xlsx"
    call_command("export_organisasi", "--format", "xlsx", "--output", str(path), stderr=io.StringIO())
    org_wipe()
    out = io.StringIO()
    call_command("import_organisasi", str(path), "--dry-run", stdout=out)
    assert "Unit kerja baru: 5" in out.getvalue() and "tidak ada yang disimpan" in out.getvalue()
    assert not UnitKerja.objects.exists()
    call_command("import_organisasi", str(path), stdout=out)
    assert org_state() == organisation


def test_import_command_lists_problems_and_fails(tmp_path):
    rows = [dict(r) for r in BASE]
    rows[0]["nip"] = "123"
    path = tmp_path / "o.csv"
    path.write_bytes(table(rows))
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 masalah"):
        call_command("import_organisasi", str(path), stdout=out)
    assert out.getvalue().splitlines()[-3:] == [
        "baris 2, kolom nip: NIP harus terdiri dari 18 angka, bukan 3. (nilai: 123)",
        "baris 3, kolom induk: Baris ini bergantung pada baris 2 yang ditolak. (nilai: kepala)",
        "baris 4, kolom induk: Baris ini bergantung pada baris 2 yang ditolak. (nilai: bidang-a)",
    ]
    assert not PerangkatDaerah.objects.exists()


def test_export_command_unknown_agency():
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("export_organisasi", "--dinas", "tidak-ada", "--format", "json")


# --- the Pemda and the officials' status and pangkat ------------------------------------------------


def test_a_pemda_new_to_the_database_is_created_from_the_file_and_shown_in_the_plan():
    plan = organisasi_import_plan(data=table(BASE), filename="o.csv")
    assert plan.ok, plan.problems
    assert plan.counts["pemda_baru"] == 1 and plan.new_pemda_names == ["Kota Baru"]
    assert not Pemda.objects.exists()  # a plan writes nothing

    plan, written = organisasi_import(data=table(BASE), filename="o.csv")
    assert written, plan.problems
    pemda = Pemda.objects.get()
    assert (pemda.kode, pemda.nama, pemda.jenis, pemda.tempat, pemda.jabatan_kepala) == (
        "kota-baru",
        "Kota Baru",
        "kota",
        "Baru",
        "Wali Kota",
    )
    dinas = PerangkatDaerah.objects.get(kode="dinas-baru")
    assert (dinas.pemda, dinas.pemda_nama, dinas.tempat_dokumen) == (pemda, "Kota Baru", "Baru")
    assert f"{dinas.nama} {dinas.pemda}" == "Dinas Baru Kota Baru"


def test_a_known_pemda_is_matched_by_name_and_moving_an_agency_counts_as_a_change():
    lumajang = pemda_create(nama="Kabupaten Lumajang")
    organisasi_import(data=table(BASE), filename="o.csv")
    moved = [{**BASE[0], "pemda": "Kabupaten Lumajang"}]
    plan, written = organisasi_import(data=table(moved), filename="o.csv")
    assert written, plan.problems
    assert (plan.counts["pemda_baru"], plan.counts["perangkat_daerah_diubah"]) == (0, 1)
    assert PerangkatDaerah.objects.get(kode="dinas-baru").pemda == lumajang
    assert Pemda.objects.count() == 2  # Kota Baru stays, unused


def test_a_new_pemda_whose_name_says_no_kind_is_refused():
    rows = [{**BASE[0], "pemda": "Pemerintah Lumajang"}, *BASE[1:]]
    plan = refused(rows, row=2, column="pemda", fragment="harus diawali Kabupaten, Kota atau Provinsi")
    assert not Pemda.objects.exists()
    assert [p.row for p in plan.problems] == [2, 3, 4]  # the agency's other rows depend on it


def test_official_status_and_pangkat_are_read_and_exported():
    rows = [{**BASE[0], "status": "Plt.", "pangkat": "Pembina Tingkat I, IV/b"}, *BASE[1:]]
    plan, written = organisasi_import(data=table(rows), filename="o.csv")
    assert written, plan.problems
    budi = Pejabat.objects.get(nip=NIP_BUDI)
    assert (budi.status, budi.pangkat, budi.jabatan_tertulis) == (
        "plt",
        "Pembina Tingkat I, IV/b",
        "Plt. Kepala Dinas Baru",
    )
    exported = list(
        csv.DictReader(io.StringIO(organisasi_export(dinas_kode="dinas-baru", export_format="csv").decode()))
    )
    kepala = next(r for r in exported if r["kode"] == "kepala")
    assert (kepala["pemda"], kepala["status"], kepala["pangkat"]) == ("Kota Baru", "plt", "Pembina Tingkat I, IV/b")
    # An empty status cell keeps what is stored; an unknown one is refused.
    organisasi_import(data=table(BASE), filename="o.csv")
    assert Pejabat.objects.get(nip=NIP_BUDI).status == "plt"
    refused([{**BASE[0], "status": "sementara"}], row=2, column="status", fragment="tidak dikenal")


def test_export_then_import_on_an_empty_database_recreates_the_pemda():
    rows = [{**BASE[0], "status": "pj", "pangkat": "Pembina"}, *BASE[1:]]
    organisasi_import(data=table(rows), filename="o.csv")
    before = org_state()
    data = organisasi_export(dinas_kode=None, export_format="xlsx")
    org_wipe()
    Pemda.objects.all().delete()
    plan, written = organisasi_import(data=data, filename="o.xlsx")
    assert written, plan.problems
    assert plan.counts["pemda_baru"] == 1
    assert org_state() == before
