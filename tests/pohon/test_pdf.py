"""The printed cascade (pohon/pdf.py) read back from the PDF itself: its text (pypdf), its page
sizes, where its words lie (``pdftotext -bbox``) and, for a person to look at, its first page
as a PNG in ``test-artifacts/``."""

import datetime
import io
import re
import subprocess
from decimal import Decimal

import pypdf
import pytest
from django.conf import settings

from dinas.models import PerangkatDaerah
from pohon.formatting import tanggal_indonesia
from pohon.models import Pohon
from pohon.pdf import (
    PAPER,
    STATEMENT,
    PdfInput,
    SignatureBlock,
    column_budget,
    pdf_render,
    signature_block_for,
)
from pohon.pdf.engine import FetchRefused, StaticFetcher
from pohon.selectors import pohon_tree
from pohon.services import node_create, pohon_create
from tests.conftest import DEMO_PROGRAMMES, pemda_named

pytestmark = pytest.mark.django_db

ARTIFACTS = settings.BASE_DIR / "test-artifacts"
MM = 72 / 25.4  # PDF points per millimetre

SIGNER = SignatureBlock(
    tempat="Lumajang",
    tanggal=datetime.date(2018, 1, 25),
    jabatan="KEPALA DINAS",
    dinas_lines=["PEMBERDAYAAN MASYARAKAT DAN DESA", "KABUPATEN LUMAJANG"],
    nama="PATRIANI HASTIADI, AP. MSi.",
    nip="19740910 199412 1 001",
)
SIGNATURE_TEXTS = [STATEMENT, "Lumajang, 25 Januari 2018", "PATRIANI HASTIADI, AP. MSi.", "NIP. 19740910 199412 1 001"]
VERIFY_URL = "https://pokin.example/verifikasi/3f9a7c"
# A stand-in for the QR code the approval step makes: what matters here is that inline SVG prints.
QR_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21">'
    '<path d="M0 0h7v7h-7zM14 0h7v7h-7zM0 14h7v7h-7zM9 9h3v3h-3z"/></svg>'
)


def squeezed(text: str) -> str:
    """Text without any whitespace: words wrap at different places in a narrow column, and a
    long word may even be broken inside, so texts are compared with all whitespace taken out."""
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>')


def words_outside_page(pdf: bytes) -> tuple[int, list[str]]:
    """(words on all pages, the words whose box is not inside its page), by ``pdftotext -bbox``."""
    result = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True)
    width = height = 0.0
    count, outside = 0, []
    for line in result.stdout.decode().splitlines():
        if page := _PAGE.search(line):
            width, height = float(page[1]), float(page[2])
        elif word := _WORD.search(line):
            count += 1
            x_min, y_min, x_max, y_max = (float(value) for value in word.groups()[:4])
            if x_min < 0 or y_min < 0 or x_max > width or y_max > height:
                outside.append(f"{word[5]} ({x_min:.0f},{y_min:.0f})-({x_max:.0f},{y_max:.0f}) on {width}x{height}")
    return count, outside


def test_tanggal_indonesia():
    assert tanggal_indonesia(datetime.date(2018, 1, 25)) == "25 Januari 2018"
    assert tanggal_indonesia(datetime.date(2024, 8, 1)) == "1 Agustus 2024"
    assert tanggal_indonesia(datetime.date(2019, 12, 31)) == "31 Desember 2019"


def test_demo_approved_prints_the_whole_cascade_and_the_signature(demo):
    result = pdf_render(
        PdfInput(
            tree=pohon_tree(demo),
            kertas="F4",
            draft=False,
            signature=SIGNER,
            qr_svg=QR_SVG,
            verification_url=VERIFY_URL,
        )
    )
    text = squeezed(pdf_text(result.pdf))
    title = "CASCADING / POHON KINERJA DINAS PEMBERDAYAAN MASYARAKAT DAN DESA KABUPATEN LUMAJANG TAHUN 2018"
    assert squeezed(title) in text
    assert squeezed("KEPALA DINAS PEMBERDAYAAN MASYARAKAT DAN DESA KABUPATEN LUMAJANG") in text
    for uraian, pagu in DEMO_PROGRAMMES:
        assert squeezed(f"{uraian} ({pagu})") in text, uraian
    tree = pohon_tree(demo)
    kegiatan = [node.uraian for node in tree.nodes if node.jenis == "kegiatan"]
    assert len(kegiatan) == 43
    for uraian in kegiatan:
        assert squeezed(uraian) in text, uraian
    for node in tree.nodes:  # every other box and line too: units, Sasaran, Indikator
        assert squeezed(node.uraian) in text, node.uraian
    assert squeezed("Total Pagu: Rp 8.731.687.000") in text
    assert squeezed("Jumlah Pagu: Rp 3.358.047.000") in text  # the first division's three programmes
    for expected in [*SIGNATURE_TEXTS, "KEPALA DINAS", "PEMBERDAYAAN MASYARAKAT DAN DESA", VERIFY_URL]:
        assert squeezed(expected) in text, expected
    assert "DRAF" not in text
    # The signature block closes the document: after the last section, on the last page.
    last_page = squeezed(pypdf.PdfReader(io.BytesIO(result.pdf)).pages[-1].extract_text())
    assert squeezed(STATEMENT) in last_page and squeezed("NIP. 19740910 199412 1 001") in last_page
    assert f"Halaman1dari{result.pages}" in text
    count, outside = words_outside_page(result.pdf)
    assert count > 1000 and outside == []
    # The first page as a picture, for a person to look at (test-artifacts/ is git-ignored).
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "-",
            str(ARTIFACTS / "cascade-demo-page1"),
        ],
        input=result.pdf,
        check=True,
    )
    assert (ARTIFACTS / "cascade-demo-page1.png").stat().st_size > 10_000


def test_draft_has_the_watermark_and_no_signature(demo):
    result = pdf_render(PdfInput(tree=pohon_tree(demo), draft=True, signature=SIGNER, qr_svg=QR_SVG))
    reader = pypdf.PdfReader(io.BytesIO(result.pdf))
    assert result.pages == len(reader.pages)
    for page in reader.pages:  # on every page
        assert "DRAF" in page.extract_text()
    # also as plain text, which pdftotext (it leaves out the diagonal watermark) finds on each page
    layout = subprocess.run(["pdftotext", "-layout", "-", "-"], input=result.pdf, capture_output=True, check=True)
    assert [page.count("DRAF") for page in layout.stdout.decode().split("\f")[: result.pages]] == [1] * result.pages
    text = squeezed(pdf_text(result.pdf))
    for signature_text in SIGNATURE_TEXTS:
        assert squeezed(signature_text) not in text
    assert "NIP." not in text
    assert squeezed("Rp 8.731.687.000") in text


@pytest.mark.parametrize(
    ("kertas", "points"), [("A4", (841.9, 595.3)), ("F4", (935.4, 609.4)), ("A3", (1190.6, 841.9))]
)
def test_paper_sizes_are_landscape(demo, kertas, points):
    result = pdf_render(PdfInput(tree=pohon_tree(demo), kertas=kertas))
    width, height = PAPER[kertas]
    assert points == (pytest.approx(width * MM, abs=0.1), pytest.approx(height * MM, abs=0.1))
    sizes = page_sizes(result.pdf)
    assert len(sizes) == result.pages >= 1
    for size in sizes:
        assert size == (pytest.approx(points[0], abs=0.1), pytest.approx(points[1], abs=0.1))
    assert words_outside_page(result.pdf)[1] == []


def test_unknown_paper_is_refused(chain_tree):
    with pytest.raises(ValueError, match="Letter"):
        pdf_render(PdfInput(tree=pohon_tree(chain_tree), kertas="Letter"))


def test_chain_tree_prints(chain_tree):
    result = pdf_render(PdfInput(tree=pohon_tree(chain_tree), draft=False, signature=SIGNER))
    text = squeezed(pdf_text(result.pdf))
    assert squeezed("CASCADING / POHON KINERJA DINAS UJI KABUPATEN CONTOH TAHUN 2018") in text
    assert squeezed("TUJUAN : Meningkatnya X") in text
    assert squeezed("INDIKATOR : Indeks X Target: 85,5 %") in text
    assert squeezed("SASARAN : Meningkatnya Y") in text
    assert squeezed("PROGRAM Program Z (Rp 6.545.000.000)") in text
    assert squeezed("KEGIATAN Kegiatan A (Rp 5.150.000.000)") in text
    assert squeezed("KEGIATAN Kegiatan B (Rp 1.395.000.000)") in text
    assert squeezed("Total Pagu: Rp 6.545.000.000") in text
    assert "JumlahPagu" not in text  # a box with its own Pagu shows it once, in its title
    assert squeezed("NIP. 19740910 199412 1 001") in text
    assert result.pages == 1


def test_revision_label_and_page_numbers(chain_tree):
    result = pdf_render(PdfInput(tree=pohon_tree(chain_tree), revisi_label="Perubahan 1"))
    text = squeezed(pdf_text(result.pdf))
    assert "Perubahan1" in text
    assert "Halaman1dari1" in text


def _wide_tree(*, divisions: int, sections: int, wide_division_sections: int, kegiatan: int = 2) -> Pohon:
    """A small tree of the seed's shape with many divisions, built through the services: each
    division a Program, a Sasaran and ``sections`` sections of ``kegiatan`` Kegiatan; the first division has
    ``wide_division_sections`` sections, more than any sheet's column budget. Some texts are long,
    one word runs on for 90 characters, one amount is in the hundreds of trillions."""
    dinas = PerangkatDaerah.objects.create(kode="dinas-lebar", nama="Dinas Lebar", pemda=pemda_named("Kabupaten Uji"))
    pohon = pohon_create(dinas=dinas, tahun=2026)
    tujuan = node_create(pohon=pohon, parent=None, jenis="tujuan", kode="T1", uraian="Meningkatnya pelayanan")
    node_create(
        pohon=pohon,
        parent=tujuan,
        jenis="indikator",
        kode="T1.I1",
        uraian="Indeks",
        target_angka=Decimal(90),
        satuan="%",
    )
    for d in range(1, divisions + 1):
        bidang = node_create(pohon=pohon, parent=tujuan, jenis="bidang", kode=f"B{d}", uraian=f"KEPALA BIDANG {d}")
        pagu = Decimal(987_654_321_000_000) if d == 2 else Decimal(100_000_000 * d)
        node_create(pohon=pohon, parent=bidang, jenis="program", kode=f"B{d}.P1", uraian=f"Program {d}", pagu=pagu)
        sasaran = node_create(
            pohon=pohon, parent=bidang, jenis="sasaran", kode=f"B{d}.S1", uraian=f"Meningkatnya kinerja bidang {d}"
        )
        node_create(pohon=pohon, parent=sasaran, jenis="indikator", kode=f"B{d}.S1.I1", uraian="Persentase capaian")
        for s in range(1, (wide_division_sections if d == 1 else sections) + 1):
            seksi = node_create(pohon=pohon, parent=bidang, jenis="seksi", kode=f"B{d}.K{s}", uraian=f"KASIE {d}.{s}")
            for g in range(1, kegiatan + 1):
                uraian = f"Fasilitasi dan pembinaan kelembagaan pemerintahan desa tahap {d}.{s}.{g}"
                if (d, s, g) == (3, 1, 1):
                    uraian = "Sosialisasi" + "X" * 90
                node_create(pohon=pohon, parent=seksi, jenis="kegiatan", kode=f"B{d}.K{s}.G{g}", uraian=uraian)
    return pohon


def test_wide_tree_gets_an_overview_and_a_part_per_division(db):
    pohon = _wide_tree(divisions=24, sections=2, wide_division_sections=14)
    tree = pohon_tree(pohon)
    result = pdf_render(PdfInput(tree=tree, kertas="A4"))
    reader = pypdf.PdfReader(io.BytesIO(result.pdf))
    pages = [squeezed(page.extract_text()) for page in reader.pages]
    # the overview: the head and every division's compact box with its total and details page
    assert squeezed("KEPALA DINAS LEBAR KABUPATEN UJI") in pages[0]
    for d in range(1, 25):
        assert f"KEPALABIDANG{d}" in pages[0]
    assert "Rincian:halaman2" in pages[0]
    assert "KASIE" not in pages[0]
    # then one part per division, each from a new page, repeating the title above it
    starts = [index for index, page in enumerate(pages) if "PROGRAM:Program" in page]
    assert len(starts) == 24
    assert result.pages >= 25
    for index in range(1, len(pages)):
        assert squeezed("CASCADING / POHON KINERJA DINAS LEBAR KABUPATEN UJI TAHUN 2026") in pages[index]
    # the 14 sections of the first division wrap into two rows (A4 holds 11 columns)
    assert column_budget("A4") < 14
    first_division = "".join(pages[starts[0] : starts[1]])
    for s in range(1, 15):
        assert f"KASIE1.{s}KEGIATAN:" in first_division
    # every node is printed somewhere
    text = "".join(pages)
    for node in tree.nodes:
        assert squeezed(node.uraian) in text, node.uraian
    assert squeezed("Rp 987.654.321.000.000") in text
    count, outside = words_outside_page(result.pdf)
    assert count > 1000
    assert outside == []


def test_long_division_continues_with_lanjutan(db):
    """A division whose sections run over a page says so on the page that continues it."""
    pohon = _wide_tree(divisions=12, sections=1, wide_division_sections=30, kegiatan=4)
    result = pdf_render(PdfInput(tree=pohon_tree(pohon), kertas="A4"))
    pages = [squeezed(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(result.pdf)).pages]
    continued = [page for page in pages if "KEPALABIDANG1(lanjutan)" in page]
    assert continued, "the first division's 40 sections take more than one page"
    assert not any("KEPALABIDANG2(lanjutan)" in page for page in pages)  # one section: one page
    assert words_outside_page(result.pdf)[1] == []


def test_fonts_are_the_projects_own(chain_tree):
    reader = pypdf.PdfReader(io.BytesIO(pdf_render(PdfInput(tree=pohon_tree(chain_tree))).pdf))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Pokin" in font for font in fonts), fonts


def test_fetcher_serves_static_files_only(tmp_path):
    fetcher = StaticFetcher()
    font = settings.BASE_DIR / "static" / "fonts" / "DejaVuSansCondensed.ttf"
    response = fetcher.fetch(font.as_uri())
    assert response.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    response.close()
    outside = tmp_path / "secret.txt"
    outside.write_text("no")
    refused = [
        "http://example.com/pokin.css",
        "https://example.com/font.ttf",
        "ftp://example.com/x",
        "data:text/css,body{}",
        outside.as_uri(),
        (settings.BASE_DIR / "static" / ".." / "manage.py").as_uri(),
        "file://example.com" + font.as_posix(),
        (settings.BASE_DIR / "static" / "fonts" / "missing.ttf").as_uri(),
    ]
    for url in refused:
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


def test_signature_block_for_builds_the_seeds_lines():
    block = signature_block_for(
        tempat="Lumajang",
        tanggal=datetime.date(2018, 1, 25),
        jabatan="Kepala Dinas",
        nama="PATRIANI HASTIADI, AP. MSi.",
        nip="197409101994121001",
        dinas_nama="Dinas Pemberdayaan Masyarakat dan Desa",
        pemda="Kabupaten Lumajang",
    )
    assert block == SIGNER


def test_column_budget_per_paper():
    assert [column_budget(kertas) for kertas in ("A4", "F4", "A3")] == [11, 13, 16]
