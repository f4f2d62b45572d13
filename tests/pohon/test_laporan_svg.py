"""The server-drawn charts: colours by band, numbers written out, and the same markup drawn by
WeasyPrint into a PDF whose text pdftotext reads."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from pohon.laporan.svg import (
    ABU,
    FILL,
    HIJAU,
    KUNING,
    MERAH,
    Batang,
    Batas,
    Kolom,
    band,
    capaian_bars,
    persen_text,
    serapan_columns,
)

SVG = "{http://www.w3.org/2000/svg}"


def bars() -> list[Batang]:
    return [
        Batang("Meningkatnya Keberdayaan Masyarakat", Decimal("95.25")),
        Batang("Meningkatnya Tata Kelola Penyelenggaraan Pemerintahan Desa", Decimal("80")),
        Batang("Sekretariat", Decimal("60.04")),
        Batang("Bidang Bina Pemerintahan Desa", None),
        Batang("Seksi TTG dan SDA", Decimal("131.5"), catatan="2 dari 2 indikator"),
    ]


@pytest.mark.parametrize(
    ("persen", "expected"),
    [
        (None, ABU),
        (Decimal(0), MERAH),
        (Decimal("74.99"), MERAH),
        (Decimal(75), KUNING),
        (Decimal("89.99"), KUNING),
        (Decimal(90), HIJAU),
        (Decimal(250), HIJAU),
    ],
)
def test_band_thresholds(persen, expected):
    assert band(persen) == expected


def test_band_thresholds_of_a_pemda():
    batas = Batas(hijau=Decimal(95), kuning=Decimal(80))
    assert band(Decimal(92), batas) == KUNING
    assert band(Decimal(79), batas) == MERAH


def test_persen_text():
    assert persen_text(Decimal("92.45")) == "92,5 %"
    assert persen_text(Decimal("1234.5")) == "1.234,5 %"
    assert persen_text(Decimal(100), 0) == "100 %"
    assert persen_text(None) == "\u2013"


def test_capaian_bars_colours_numbers_and_marks():
    markup = capaian_bars(bars(), chart_id="g1", title="Capaian per Sasaran")
    root = ET.fromstring(markup)  # well-formed XML
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Capaian per Sasaran"
    groups = root.findall(f"{SVG}g")
    assert [g.get("class") for g in groups] == [
        "batang batang-hijau",
        "batang batang-kuning",
        "batang batang-merah",
        "batang batang-abu",
        "batang batang-hijau",
    ]
    fills = [g.find(f"{SVG}rect").get("fill") for g in groups]
    assert fills[:3] == [FILL[HIJAU], FILL[KUNING], FILL[MERAH]]
    assert fills[3] == "none"  # belum lapor: an outline, never a coloured bar
    texts = [" ".join(t.text for t in g.iter(f"{SVG}text")) for g in groups]
    assert "95,3 %" in texts[0]
    assert "60,0 %" in texts[2]
    assert "belum lapor" in texts[3]
    assert "131,5 % \u25b2 periksa" in texts[4]
    assert "2 dari 2 indikator" in texts[4]
    desc = root.find(f"{SVG}desc").text
    assert "Sekretariat: 60,0 % (kurang)" in desc
    assert "Bidang Bina Pemerintahan Desa: belum lapor" in desc
    assert "di atas 120 %, periksa" in desc


def test_capaian_bars_escape_labels_and_wrap_long_ones():
    long = "Meningkatnya <Kapasitas> & " + "peran lembaga kemasyarakatan desa " * 8
    markup = capaian_bars([Batang(long, Decimal(50))], chart_id="g2", title="x")
    root = ET.fromstring(markup)
    lines = [t.text for t in root.find(f"{SVG}g").findall(f"{SVG}text")]
    assert lines[0].startswith("Meningkatnya <Kapasitas> &")
    assert lines[1].endswith("\u2026")  # two lines at most; the whole label is in the <title>
    assert root.find(f"{SVG}g").find(f"{SVG}title").text.startswith("Meningkatnya <Kapasitas> & peran")


def test_empty_charts_say_so():
    assert "Belum ada data." in capaian_bars([], chart_id="g3", title="x")
    assert "Belum ada data." in serapan_columns([], chart_id="g4", title="x")


def test_serapan_columns():
    markup = serapan_columns(
        [
            Kolom("TW I", Decimal("18.2"), "Rp 1.000.000"),
            Kolom("TW II", Decimal("45")),
            Kolom("TW III", None),
            Kolom("TW IV", Decimal("104")),
        ],
        chart_id="s1",
        title="Serapan anggaran per triwulan",
    )
    root = ET.fromstring(markup)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for expected in ("18,2 %", "TW I", "Rp 1.000.000", "45,0 %", "belum lapor", "104,0 %", "TW IV"):
        assert expected in texts
    assert len(root.findall(f"{SVG}g/{SVG}rect")) == 3


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_weasyprint_draws_the_charts_with_their_text():
    from pohon.pdf import pdf_from_html

    page = (
        "<html><body><h1>Uji grafik</h1>"
        + capaian_bars(bars(), chart_id="g1", title="Capaian per Sasaran")
        + serapan_columns([Kolom("TW I", Decimal("18.2"), "Rp 1.000.000")], chart_id="s1", title="Serapan")
        + "</body></html>"
    )
    result = pdf_from_html(page)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=result.pdf, capture_output=True, check=True
    ).stdout.decode()
    flat = re.sub(r"\s+", " ", text)
    for expected in (
        "Meningkatnya Keberdayaan Masyarakat",
        "95,3 %",
        "60,0 %",
        "belum lapor",
        "131,5 %",
        "periksa",
        "18,2 %",
        "TW I",
        "Rp 1.000.000",
    ):
        assert expected in flat, expected
