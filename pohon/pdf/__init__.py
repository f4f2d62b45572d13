"""The printed cascade as a PDF, laid out the way the seed document prints it.

``pdf_render`` turns a tree read once (``PohonTree``) into PDF bytes: ``render_to_string`` of
its template (``PdfInput.template``, the cascade ``pohon/pdf/cascade.html`` by default) ->
WeasyPrint ``HTML(string=..., base_url=..., url_fetcher=...)`` -> ``write_pdf()``; any other
kind of document goes the same way through ``pdf_from_template``. The boxes are the chart's own
(``pohon.chart.chart_boxes``); ``layout`` decides how they sit on paper, ``paper`` holds the
sheets' sizes and page rules.

How the boxes sit: the seed is one table whose columns are the sections (Seksi, Subbagian); the
head's box spans all of them, each division (Bidang, Sekretariat) spans its own sections. The PDF
does the same with one HTML table per part, one table column per section. Connectors are a bar
and a short line above each child box plus a line down the middle of its parent's cell. A tree
with more sections than the paper's column budget (``column_budget``) gets an overview part (the
head and compact division boxes with their totals) and then one part per division, each from a
new page, its sections wrapped into rows. In the one-table form the section columns are balanced
(``CascadeLayout._balanced``): as wide as their text needs, so that the sections' row is low.

Where the pages break: a box is kept whole unless it is taller than a page, and then its title
repeats on each page it runs over. The signature block stays with the cascade's end: when it
would stand alone on the last page, the last row runs on from the page before (``pdf_render``).
``PdfInput.muat`` fits the whole document onto one sheet while its text stays >= 6 pt (``pdf_fit``).

Why the markup is built here and not with template includes: WeasyPrint's time grows with the
number of boxes it lays out, and a recursive include costs Python time per node as well. Each item
is one ``<p>`` with its numbering as text; indentation and hanging indents are classes. Every text
goes through ``html.escape``; the page chrome stays in the template.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from dinas.nip import nip_format
from pohon.chart import Box
from pohon.formatting import tanggal_indonesia
from pohon.pdf.layout import FONT_PT, CascadeLayout
from pohon.pdf.paper import MARGIN_TOP, PAPER, column_budget, page_css
from pohon.selectors import PohonTree

if TYPE_CHECKING:
    from weasyprint.document import Document

__all__ = [
    "FIT_BY_DEFAULT",
    "FIT_TEXT_MIN_PT",
    "PAPER",
    "STATEMENT",
    "PdfInput",
    "PdfResult",
    "SignatureBlock",
    "column_budget",
    "html_document",
    "pdf_from_template",
    "pdf_html",
    "pdf_render",
    "signature_block_for",
]

STATEMENT = (
    "Benar bahwa pohon kinerja dimaksud telah kami klarifikasi dan verifikasi sesuai Tupoksi sebagaimana "
    "telah diatur dalam ketentuan yang berlaku, sehingga dapat dipastikan keselarasannya."
)

STATIC_DIR: Path = Path(settings.BASE_DIR) / "static"
TEMPLATE = "pohon/pdf/cascade.html"

# "Fit to one sheet" (``PdfInput.muat``): the whole cascade and its signature block scaled onto
# one page, but only while the cascade's smallest text (the sections' 6.5 pt) stays at least
# ``FIT_TEXT_MIN_PT`` on paper, so at a scale of at least 6/6.5; otherwise it prints on as many
# pages as it takes, at full size. On A3 it is the default; on the smaller sheets it is asked for.
FIT_TEXT_MIN_PT = 6.0
FIT_SCALE_MIN = FIT_TEXT_MIN_PT / min(FONT_PT)
FIT_BY_DEFAULT = frozenset({"A3"})
# Before measuring, the layout's own guess of the height (``CascadeLayout.height_mm``, plus the
# signature block's) rules out trees that could never fit: those guessed taller than this many
# times the room at the smallest scale are not measured at all.
FIT_GUESS_SLACK = 1.3
SIGNATURE_MM = 55  # the signature block's height: the statement, the QR code and its address
PX_MM = 25.4 / 96  # CSS pixels, in which WeasyPrint reports positions
END_ANCHOR = "pokin-akhir"  # an empty element closing the document: where the content ends
CASCADE_END_ANCHOR = "pokin-akhir-kaskade"  # an empty element right after the cascade
SIGNATURE_ANCHOR = "pokin-tanda-tangan"  # the signature block's id


@dataclass(frozen=True)
class SignatureBlock:
    tempat: str  # "Lumajang"
    tanggal: datetime.date
    jabatan: str  # "KEPALA DINAS"
    dinas_lines: list[str]  # ["PEMBERDAYAAN MASYARAKAT DAN DESA", "KABUPATEN LUMAJANG"]
    nama: str  # "PATRIANI HASTIADI, AP. MSi."
    nip: str  # display form "19740910 199412 1 001"


@dataclass(frozen=True)
class PdfInput:
    tree: PohonTree
    kertas: str = "F4"
    draft: bool = True
    signature: SignatureBlock | None = None  # printed only when not draft
    qr_svg: str | None = None  # inline <svg> markup placed beside the signature (not draft); printed
    # as is, so it must come from the project's own QR code maker, never from user input
    verification_url: str | None = None  # printed under the QR as text
    revisi_label: str = ""  # e.g. "Perubahan 1"
    template: str = TEMPLATE  # the page chrome around the cascade's body
    muat: bool | None = None  # fit to one sheet; None: the paper's default (``FIT_BY_DEFAULT``)
    # The crosscutting annex (``pohon.silang``): rows printed on a page of their own after the
    # signature; the marks on the boxes come with the tree (``PohonTree.silang``).
    silang: tuple = ()
    # The boxes to draw, when not the agency cascade's own (``pohon.chart.chart_boxes``): the Pemda
    # cascade's, its supporting agencies' boxes under each Sasaran Pemda (``pohon.pemda.cetak``).
    boxes: Box | None = None


@dataclass(frozen=True)
class PdfResult:
    pdf: bytes
    pages: int
    scale: float = 1.0  # below 1: scaled onto one sheet


def signature_block_for(
    *,
    tempat: str,
    tanggal: datetime.date,
    nama: str,
    nip: str,
    dinas_nama: str,
    pemda: str,
    jabatan: str | None = None,
    prefix: str = "",
) -> SignatureBlock:
    """The block as the seed prints it: "KEPALA DINAS" (``jabatan``, by default "KEPALA" and the
    first word of the agency's name) over the rest of the name and its Pemda, upper case, after
    an acting official's ``prefix`` ("Plt.", "Plh.", "Pj."); ``nip`` in any form people type,
    printed grouped ("19740910 199412 1 001")."""
    first, _space, rest = dinas_nama.partition(" ")
    lines = [line.upper() for line in (rest, pemda) if line]
    return SignatureBlock(
        tempat=tempat,
        tanggal=tanggal,
        jabatan=f"{prefix} {(jabatan or f'KEPALA {first}').upper()}".strip(),
        dinas_lines=lines,
        nama=nama,
        nip=nip_format(nip),
    )


def pdf_title(tree: PohonTree) -> str:
    """The title: the agency's and the Pemda's names as the tree shows them (frozen once approved);
    a Pemda tree's names its RPJMD period."""
    if tree.pohon.tahun_akhir is not None:
        return f"POHON KINERJA {tree.dinas_nama} {tree.pemda_nama} PERIODE RPJMD {tree.pohon.periode_display}".upper()
    return f"CASCADING / POHON KINERJA {tree.dinas_nama} {tree.pemda_nama} TAHUN {tree.pohon.tahun}".upper()


def pdf_from_html(html: str) -> PdfResult:
    document = html_document(html)
    return PdfResult(pdf=document.write_pdf(), pages=len(document.pages))


def html_document(html: str) -> "Document":
    """``html`` laid out by WeasyPrint, its files fetched from ``static/`` only (``StaticFetcher``).
    WeasyPrint is imported here, on the first render, and not when this module is: it costs
    ~0.3 s, which every process start (a command, a job's child, a web worker) would otherwise
    pay before its first page, PDF or not."""
    from pohon.pdf.engine import StaticFetcher, weasyprint_html

    return weasyprint_html(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticFetcher()).render()


def pdf_from_template(template: str, context: dict) -> PdfResult:
    """Any document's template and context as PDF bytes: the one path from markup to paper, with
    the same fetcher (files under ``static/`` only) for every kind of document."""
    return pdf_from_html(render_to_string(template, context))


def pdf_render(data: PdfInput) -> PdfResult:
    """The cascade of ``data.tree`` as PDF bytes and its page count; on one sheet when asked
    for (or by the paper's default) and the text stays readable (``pdf_fit``)."""
    if data.kertas not in PAPER:
        raise ValueError(f"unknown paper {data.kertas!r}; expected one of {', '.join(PAPER)}")
    wanted = data.kertas in FIT_BY_DEFAULT if data.muat is None else data.muat
    document = _document(data)
    if wanted and len(document.pages) > 1 and (fitted := pdf_fit(data)) is not None:
        return fitted  # (one page at full size needs no fitting: one render)
    if not _signature_with_cascade(document):
        # The signature block would stand alone on the last page: the cascade's last row runs
        # on from the page before instead (its boxes cut, their titles repeated), when that
        # brings the two together.
        flowing = _document(data, flow=True)
        if _signature_with_cascade(flowing):
            document = flowing
    return PdfResult(pdf=document.write_pdf(), pages=len(document.pages))


def _document(data: PdfInput, scale: float = 1.0, *, flow: bool = False) -> "Document":
    return html_document(pdf_html(data, scale=scale, flow=flow))


def _anchor_page(document: "Document", anchor: str) -> int | None:
    return next((index for index, page in enumerate(document.pages) if anchor in page.anchors), None)


def _signature_with_cascade(document: "Document") -> bool:
    """Whether the signature block (when there is one) starts on the page where the cascade ends."""
    signature = _anchor_page(document, SIGNATURE_ANCHOR)
    return signature is None or signature == _anchor_page(document, CASCADE_END_ANCHOR)


def pdf_fit(data: PdfInput) -> PdfResult | None:
    """The cascade scaled onto one sheet, or None when that would take its text below
    ``FIT_TEXT_MIN_PT``. The rule, measured rather than guessed: lay the page out at the smallest
    scale allowed (a page 1/scale as large); if the cascade and its signature do not fit on that
    one page, nothing does. Otherwise the measured end of the content (an anchor after the
    signature) gives the largest scale at which that height fits the sheet; at that scale the
    columns are narrower than at the smallest one and the boxes can grow taller, so the result is
    checked and, should it run over, the smallest scale's page (known to fit) is used. Two
    renders at most, and none for a tree whose guessed height is far beyond one sheet or that is
    printed in parts (a tree wider than the sheet)."""
    layout = CascadeLayout(data.tree, data.kertas, head=data.boxes)
    layout.render()
    signature_mm = SIGNATURE_MM if not data.draft and data.signature else 0
    if not layout.whole or (layout.height_mm + signature_mm) * FIT_SCALE_MIN > FIT_GUESS_SLACK * layout.page_mm:
        return None
    smallest = _document(data, FIT_SCALE_MIN)
    end = smallest.pages[0].anchors.get(END_ANCHOR)  # (x, y, ...) in CSS pixels
    if end is None:  # the content runs past the first page, or a template without the anchor
        return None
    end_px = end[1]
    content_mm = end_px * PX_MM - MARGIN_TOP / FIT_SCALE_MIN
    scale = min(1.0, layout.page_mm / content_mm)
    if scale > FIT_SCALE_MIN + 0.001:
        document = _document(data, scale)
        # Only the annex (crosscutting), on a page of its own, may follow the one sheet.
        if _anchor_page(document, END_ANCHOR) == 0:
            return PdfResult(pdf=document.write_pdf(zoom=scale), pages=len(document.pages), scale=scale)
    return PdfResult(pdf=smallest.write_pdf(zoom=FIT_SCALE_MIN), pages=len(smallest.pages), scale=FIT_SCALE_MIN)


def pdf_html(data: PdfInput, *, scale: float = 1.0, flow: bool = False) -> str:
    """The HTML WeasyPrint lays out (public so that tests and benchmarks can time the two steps);
    ``scale`` below 1 lays it out for printing scaled onto one sheet (``pdf_fit``), ``flow`` lets
    the last row run on from the page before (``CascadeLayout``)."""
    title = pdf_title(data.tree)
    running = f"{title} \u2013 {data.revisi_label}" if data.revisi_label else title
    signature = None if data.draft else data.signature
    context = {
        "title": title,
        "running_title": running,
        "revisi_label": data.revisi_label,
        "draft": data.draft,
        "page_css": mark_safe(page_css(data.kertas, data.draft, scale)),
        "body": CascadeLayout(data.tree, data.kertas, scale, flow=flow, head=data.boxes).render(),
        "end_anchor": END_ANCHOR,
        "cascade_end_anchor": CASCADE_END_ANCHOR,
        "signature_anchor": SIGNATURE_ANCHOR,
        "signature": signature,
        "tanggal": tanggal_indonesia(signature.tanggal) if signature else "",
        "statement": STATEMENT,
        "qr_svg": mark_safe(data.qr_svg) if signature and data.qr_svg else "",
        "verification_url": data.verification_url if signature else "",
        "silang_lampiran": data.silang,
    }
    return render_to_string(data.template, context)
