"""The penjenjangan form's sample (tests/data/pohon_penjenjangan.csv) and the units it names:
Sasaran Strategis (the head) -> Sasaran Program (a Bidang or the Sekretariat) -> Sasaran Kegiatan
(a Seksi or Subbagian), each with its Indikator, Programs and Kegiatan in its own Sasaran's box.
Shared by the tests of the import, the pages and the PDF and by the browser test."""

import csv
from pathlib import Path

from dinas.models import PerangkatDaerah, UnitKerja
from pohon.imports import pohon_import
from pohon.models import Pohon

CSV = Path(__file__).resolve().parent.parent / "data" / "pohon_penjenjangan.csv"

# division -> (jenis, its sections), in the order the chart draws them
UNITS = {
    "Bidang Pemberdayaan Masyarakat": (
        "bidang",
        ["Seksi Kelembagaan Masyarakat", "Seksi Bina Kader Pemberdayaan", "Seksi Partisipasi Masyarakat"],
    ),
    "Bidang Pemberdayaan Usaha Ekonomi Masyarakat": (
        "bidang",
        ["Seksi Lembaga Ekonomi Masyarakat", "Seksi TTG dan SDA"],
    ),
    "Bidang Bina Pemerintahan Desa": ("bidang", ["Seksi Penataan Desa", "Seksi Kelembagaan Pemerintahan Desa"]),
    "Sekretariat": ("sekretariat", ["Subbagian Umum dan Kepegawaian", "Subbagian Keuangan"]),
}
SECTIONS = [section for _jenis, sections in UNITS.values() for section in sections]
TOTAL_PAGU = "Rp 7.464.247.000"  # the four Programs' Pagu


def rows() -> list[dict[str, str]]:
    with CSV.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def sasaran_rows(prefix: str) -> list[dict[str, str]]:
    """The Sasaran rows whose kode starts with ``prefix``: SS (Strategis), SP (Program), SK (Kegiatan)."""
    return [row for row in rows() if row["jenis"] == "sasaran" and row["kode"].startswith(prefix)]


def penjenjangan_units(dinas: PerangkatDaerah) -> None:
    """One Kepala, four divisions (three Bidang and the Sekretariat) and nine sections."""
    kepala = UnitKerja.objects.create(dinas=dinas, kode="kepala", nama="Kepala Dinas", jenis="kepala")
    urutan = 1
    for division_index, (nama, (jenis, sections)) in enumerate(UNITS.items(), start=1):
        division = UnitKerja.objects.create(
            dinas=dinas, kode=f"divisi-{division_index}", nama=nama, jenis=jenis, parent=kepala, urutan=urutan
        )
        urutan += 1
        for section_index, section in enumerate(sections, start=1):
            UnitKerja.objects.create(
                dinas=dinas,
                kode=f"divisi-{division_index}-{section_index}",
                nama=section,
                jenis="subbagian" if jenis == "sekretariat" else "seksi",
                parent=division,
                urutan=urutan,
            )
            urutan += 1


def penjenjangan_pohon(dinas: PerangkatDaerah, tahun: int = 2024) -> Pohon:
    """The sample imported as ``dinas``'s draft tree of ``tahun`` (the units must exist)."""
    plan, pohon = pohon_import(dinas=dinas, tahun=tahun, data=CSV.read_bytes(), filename=CSV.name)
    assert plan.ok and pohon is not None, plan.problems
    return pohon
