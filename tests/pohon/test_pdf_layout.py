"""Where things fall on the printed cascade's pages: the signature block with the cascade's end,
boxes kept whole (or, when taller than a page, their titles repeated), and the cascade fitted
onto one sheet. Each page is read back with ``pdftotext -f N -l N`` and ``pdftotext -bbox``;
the pages are also saved as PNGs in ``test-artifacts/`` for a person to look at."""

import io
import re
import subprocess

import pypdf
import pytest
from django.conf import settings
from django.urls import reverse

from pohon.chart import box_body, box_node_ids, box_title, chart_boxes
from pohon.pdf import FIT_TEXT_MIN_PT, STATEMENT, PdfInput, pdf_render
from pohon.selectors import pohon_tree
from tests.pohon.test_pdf import (
    QR_SVG,
    SIGNER,
    VERIFY_URL,
    _wide_tree,
    page_sizes,
    squeezed,
    words_outside_page,
)

pytestmark = pytest.mark.django_db

ARTIFACTS = settings.BASE_DIR / "test-artifacts"
_PAGE = re.compile(r"<page ")
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>')


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, squeezed (pypdf, as ``tests/pohon/test_pdf.py`` reads the whole text)."""
    return [squeezed(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def word_heights(pdf: bytes) -> list[tuple[str, float]]:
    """Every word and the height of its box (``pdftotext -bbox``), which is proportional to its size."""
    result = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True)
    return [(word[5], float(word[4]) - float(word[2])) for word in _WORD.finditer(result.stdout.decode())]


def save_pages(pdf: bytes, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-", str(ARTIFACTS / name)], input=pdf, check=True)


def approved(tree, kertas: str, **options) -> PdfInput:
    return PdfInput(
        tree=tree,
        kertas=kertas,
        draft=False,
        signature=SIGNER,
        qr_svg=QR_SVG,
        verification_url=VERIFY_URL,
        **options,
    )


def boxes_first_and_last(tree) -> list[tuple[str, str]]:
    """Each box's title and the last item printed in it (the last node of its body, depth first)."""
    pairs = []
    head = chart_boxes(tree)
    own_box = box_node_ids(head)  # nodes printed in a box of their own, not in their parent's
    stack = [head]
    while stack:
        box = stack.pop()
        stack.extend(box.children)
        body = [node for node in box_body(tree, box) if node.pk not in own_box]
        if not body:
            continue
        last = body[-1]
        while children := [node for node in tree.children_of(last) if node.pk not in own_box]:
            last = children[-1]
        pairs.append((box_title(box, tree), last.uraian))
    return pairs


@pytest.mark.parametrize(("kertas", "pages"), [("F4", 2), ("A4", 2), ("A3", 1)])
def test_signature_block_shares_a_page_with_the_cascade(demo, kertas, pages):
    tree = pohon_tree(demo)
    result = pdf_render(approved(tree, kertas))
    save_pages(result.pdf, f"cascade-signature-{kertas}")
    assert result.pages == pages
    texts = page_texts(result.pdf)
    signed = [
        text
        for text in texts
        if squeezed("PATRIANI HASTIADI, AP. MSi.") in text
        and squeezed(STATEMENT) in text
        and squeezed(VERIFY_URL) in text
    ]
    assert len(signed) == 1, "the signature block is printed once, whole"
    kegiatan = [squeezed(node.uraian) for node in tree.nodes if node.jenis == "kegiatan"]
    assert any(uraian in signed[0] for uraian in kegiatan), "the signature's page holds the cascade's boxes too"
    assert signed[0] is texts[-1]  # and it closes the document


@pytest.mark.parametrize(("kertas", "pages"), [("F4", 2), ("A3", 1)])
def test_no_box_is_split_across_pages(demo, kertas, pages):
    tree = pohon_tree(demo)
    result = pdf_render(approved(tree, kertas, muat=False))  # A3 at full size, not fitted
    assert result.pages == pages
    texts = page_texts(result.pdf)
    pairs = boxes_first_and_last(tree)
    assert len(pairs) == 16  # the head, four divisions, eleven sections
    for title, last in pairs:
        first = next(index for index, text in enumerate(texts) if squeezed(title) in text)
        assert squeezed(last) in texts[first], f"{title}: its last line {last!r} is on another page"


def test_on_a4_the_last_row_runs_on_with_its_titles_repeated(demo):
    """A4 is too low for the sections' row and the signature on one page: the row starts under the
    divisions and runs on, each box cut there repeating its title above its continuation."""
    tree = pohon_tree(demo)
    result = pdf_render(approved(tree, "A4"))
    texts = page_texts(result.pdf)
    assert result.pages == 2
    for title in ("KASIE KELEMBAGAAN PEMERINTAHAN DESA", "KASIE PENATAAN DESA"):
        assert all(squeezed(title) in text for text in texts), title
    for node in tree.nodes:  # nothing lost in the cut
        assert squeezed(node.uraian) in "".join(texts), node.uraian
    cut = [
        title
        for title, last in boxes_first_and_last(tree)
        if squeezed(last) not in next(text for text in texts if squeezed(title) in text)
    ]
    assert "KASIE KELEMBAGAAN PEMERINTAHAN DESA" in cut  # what the F4 and A3 test would catch


def test_box_taller_than_a_page_repeats_its_title(db):
    pohon = _wide_tree(divisions=2, sections=1, wide_division_sections=1, kegiatan=70)
    tree = pohon_tree(pohon)
    result = pdf_render(PdfInput(tree=tree, kertas="A4"))
    save_pages(result.pdf, "cascade-tall-box")
    texts = page_texts(result.pdf)
    assert result.pages >= 3
    with_title = [text for text in texts if "KASIE1.1KEGIATAN" in text or "KASIE1.1" in text]
    assert len(with_title) >= 2, "the box's title on every page it runs over"
    text = "".join(texts)
    for g in range(1, 71):
        assert squeezed(f"tahap 1.1.{g}") in text


def test_fit_to_one_sheet_keeps_the_text_at_6_pt(db):
    """A tree a little taller than an A4 sheet, asked to fit: one page, its smallest text 6 pt."""
    pohon = _wide_tree(divisions=3, sections=2, wide_division_sections=2, kegiatan=24)
    tree = pohon_tree(pohon)
    full = pdf_render(PdfInput(tree=tree, kertas="A4"))
    fitted = pdf_render(PdfInput(tree=tree, kertas="A4", muat=True))
    save_pages(fitted.pdf, "cascade-A4-one-sheet")
    assert (full.pages, fitted.pages) == (2, 1)
    assert FIT_TEXT_MIN_PT / 6.5 <= fitted.scale < 1
    # the smallest text: its height on the page against the same text's at full size (6.5 pt)
    smallest_full = min(height for _word, height in word_heights(full.pdf))
    smallest_fitted = min(height for _word, height in word_heights(fitted.pdf))
    assert 6.5 * smallest_fitted / smallest_full >= FIT_TEXT_MIN_PT - 0.01
    assert smallest_fitted < smallest_full
    text = page_texts(fitted.pdf)[0]
    for node in tree.nodes:
        assert squeezed(node.uraian) in text, node.uraian
    assert "Halaman1dari1" in text and "DRAF" in text
    assert words_outside_page(fitted.pdf)[1] == []
    assert page_sizes(fitted.pdf) == page_sizes(full.pdf)[:1]  # the same sheet


def test_a3_fits_the_demo_on_one_sheet_by_default(demo):
    tree = pohon_tree(demo)
    result = pdf_render(approved(tree, "A3"))
    save_pages(result.pdf, "cascade-A3")
    assert result.pages == 1
    assert pdf_render(approved(tree, "A3", muat=True)).pdf == result.pdf
    text = page_texts(result.pdf)[0]
    for node in tree.nodes:
        assert squeezed(node.uraian) in text, node.uraian
    assert squeezed("Total Pagu: Rp 8.731.687.000") in text
    assert squeezed("PATRIANI HASTIADI, AP. MSi.") in text


def test_fit_is_refused_when_the_text_would_shrink_below_6_pt(demo):
    """The demo on F4 would need about 60 %: asked to fit, it prints at full size on its pages."""
    tree = pohon_tree(demo)
    result = pdf_render(approved(tree, "F4", muat=True))
    assert (result.pages, result.scale) == (2, 1.0)


def test_pdf_view_takes_the_fit_choice(client, db):
    from django.contrib.auth import get_user_model

    _wide_tree(divisions=3, sections=2, wide_division_sections=2, kegiatan=24)
    client.force_login(get_user_model().objects.create_superuser("super", password="rahasia-uji"))
    url = reverse("pohon:pdf", args=["dinas-lebar", 2026])

    def pages(query: str) -> int:
        response = client.get(url + query)
        assert response.status_code == 200
        return len(pypdf.PdfReader(io.BytesIO(response.content)).pages)

    assert [pages("?kertas=A4"), pages("?kertas=A4&muat=1"), pages("?kertas=A4&muat=0")] == [2, 1, 2]
    chart = client.get(reverse("pohon:chart", args=["dinas-lebar", 2026])).content.decode()
    assert "?kertas=A4&amp;muat=1" in chart and "?kertas=F4&amp;muat=1" in chart
    assert "?kertas=A3&amp;muat=1" not in chart  # A3 fits by default
