"""The quarterly report and the Laporan Kinerja as PDF: a draft from the data as it is now, or the
issued document from its frozen content (``LaporanTerbit.isi``), registered as the renderers of
``Dokumen.Jenis.LAPORAN_TRIWULAN`` and ``LAPORAN_KINERJA`` in ``pohon.dokumen.render.RENDERERS``
(which signs what they return). The charts are the dashboard's own SVG (``pohon.laporan.svg``),
drawn from the numbers frozen in the content."""

from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from pohon.dokumen.models import Dokumen
from pohon.formatting import tanggal_indonesia
from pohon.laporan import svg
from pohon.pdf import PdfResult, pdf_from_html
from pohon.pdf.paper import page_css

KERTAS = "A4"  # reports print on A4 landscape (the tables' eight to ten columns need its width)
TEMPLATE = {"triwulan": "pohon/pdf/laporan_triwulan.html", "kinerja": "pohon/pdf/laporan_kinerja.html"}


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def grafik(isi: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """The content's charts as SVG markup (drawn from its frozen numbers)."""
    data = isi.get("grafik") or {}
    hijau, kuning, periksa = (_dec(v) for v in data.get("batas") or (None, None, None))
    batas = svg.Batas(hijau=hijau, kuning=kuning, periksa=periksa) if hijau is not None else svg.BATAS_BAKU
    label = isi.get("triwulan_label") or "TW IV"
    return {
        "sasaran": mark_safe(
            svg.capaian_bars(
                [svg.Batang(a, _dec(b), c) for a, b, c in data.get("sasaran", [])],
                chart_id=f"{prefix}grafik-sasaran",
                title=_("Capaian per Sasaran s.d. %(tw)s") % {"tw": label},
                batas=batas,
            )
        ),
        "unit": mark_safe(
            svg.capaian_bars(
                [svg.Batang(a, _dec(b), c) for a, b, c in data.get("unit", [])],
                chart_id=f"{prefix}grafik-unit",
                title=_("Capaian per unit kerja s.d. %(tw)s") % {"tw": label},
                batas=batas,
            )
        ),
        "serapan": mark_safe(
            svg.serapan_columns(
                [svg.Kolom(a, _dec(b), c) for a, b, c in data.get("serapan", [])],
                chart_id=f"{prefix}grafik-serapan",
                title=_("Serapan anggaran kumulatif per triwulan"),
            )
        ),
    }


def judul(isi: dict[str, Any]) -> str:
    """``LAPORAN KINERJA TRIWULAN II TAHUN 2019 DINAS ... KABUPATEN LUMAJANG`` (upper case)."""
    if isi["jenis"] == "triwulan":
        head = _("Laporan Kinerja Triwulan %(tw)s Tahun %(tahun)s") % {
            "tw": isi["triwulan_label"].removeprefix("TW "),
            "tahun": isi["tahun"],
        }
    else:
        head = _("Laporan Kinerja (LKj) Tahun %(tahun)s") % {"tahun": isi["tahun"]}
    return f"{head} {isi['dinas']} {isi['pemda']}".upper()


def laporan_html(isi: dict[str, Any], *, draft: bool, signature=None, qr: str = "", verification_url: str = "") -> str:
    """The report's markup, as WeasyPrint gets it."""
    title = judul(isi)
    context = {
        "isi": isi,
        "title": title,
        "running_title": title,
        "draft": draft,
        "page_css": mark_safe(page_css(KERTAS, draft)),
        "grafik": grafik(isi),
        "signature": signature,
        "tanggal": tanggal_indonesia(signature.tanggal) if signature else "",
        "statement": "",
        "qr_svg": mark_safe(qr) if qr else "",
        "verification_url": verification_url,
        "signature_anchor": "pokin-tanda-tangan",
    }
    return render_to_string(TEMPLATE[isi["jenis"]], context)


def laporan_pdf_render(
    isi: dict[str, Any], *, draft: bool, signature=None, qr: str = "", verification_url: str = ""
) -> PdfResult:
    return pdf_from_html(laporan_html(isi, draft=draft, signature=signature, qr=qr, verification_url=verification_url))


def laporan_draft_pdf(isi: dict[str, Any]) -> PdfResult:
    """A report not issued: the data as it is now, "DRAF" on every page, no signature."""
    return laporan_pdf_render(isi, draft=True)


def laporan_pdf(dokumen: Dokumen, kertas: str) -> PdfResult:
    """The renderer of both report kinds: the issued report from its frozen content with the
    signer's block and the QR code of its verification page, unsigned (``pohon.dokumen.render``
    signs it)."""
    from pohon.documents import signature_block
    from pohon.dokumen.render import verification_url
    from pohon.signing.qr import qr_svg

    url = verification_url(dokumen)
    return laporan_pdf_render(
        dokumen.laporan.isi, draft=False, signature=signature_block(dokumen), qr=qr_svg(url), verification_url=url
    )
