"""The PK's PDF (``Dokumen.Jenis.PERJANJIAN_KINERJA``), rendered from the frozen record only:
the issued document (names of the agency and Pemda, place, date, both signers as printed) and
the PK's frozen lines. Page 1: the agreement and the two signatures (Pihak Kedua left, Pihak
Pertama right) with the QR code of the verification page; page 2: the tables with JUMLAH.
``pohon.dokumen.render`` signs the bytes."""

from django.utils.safestring import mark_safe

from pohon.dokumen.models import Dokumen, Penandatangan
from pohon.dokumen.render import verification_url
from pohon.formatting import tanggal_indonesia
from pohon.pdf import PdfResult, pdf_from_template
from pohon.perjanjian.models import PerjanjianKinerja
from pohon.perjanjian.selectors import perjanjian_context
from pohon.signing.qr import qr_svg

TEMPLATE = "pohon/pdf/perjanjian.html"
# Portrait sheets, (width, height) in millimetres.
PAPER_PORTRAIT: dict[str, tuple[int, int]] = {"F4": (215, 330), "A4": (210, 297), "A3": (297, 420)}
QR_MM = 28


def perjanjian_pdf(dokumen: Dokumen, kertas: str) -> PdfResult:
    """The renderer of the PK kind (``pohon.dokumen.render.RENDERERS``)."""
    perjanjian = (
        PerjanjianKinerja.objects.select_related("menggantikan__dokumen").prefetch_related("baris").get(dokumen=dokumen)
    )
    signers = {s.peran: s for s in dokumen.penandatangan.all()}
    width, height = PAPER_PORTRAIT[kertas]
    url = verification_url(dokumen)
    earlier = perjanjian.menggantikan.dokumen if perjanjian.menggantikan is not None else None
    context = {
        **perjanjian_context(perjanjian),
        "dokumen": dokumen,
        "pertama": signers[Penandatangan.Peran.PIHAK_PERTAMA],
        "kedua": signers[Penandatangan.Peran.PIHAK_KEDUA],
        "tanggal": tanggal_indonesia(dokumen.tanggal),
        "menggantikan_tanggal": tanggal_indonesia(earlier.tanggal) if earlier is not None else "",
        "page_css": mark_safe(f"@page {{ size: {width}mm {height}mm; }}"),
        "qr_svg": mark_safe(qr_svg(url, size_mm=QR_MM)),
        "verification_url": url,
    }
    return pdf_from_template(TEMPLATE, context)
