"""One renderer for every kind of document: the kind's builder makes the PDF from the document's
frozen record (``RENDERERS``), then it is signed (PAdES) for the document's first signer.

A kind is a builder function ``(dokumen, kertas) -> PdfResult`` named here by its dotted path;
the builder renders its own template through ``pohon.pdf.pdf_from_template``. The cascade
(``pohon.documents.kaskade_pdf``, template ``pohon/pdf/cascade.html``) is the first kind."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pohon.dokumen.models import Dokumen
from pohon.pdf import PdfResult
from pohon.signing import SigningError, pdf_sign, signer_load

logger = logging.getLogger(__name__)

RENDERERS: dict[str, str] = {
    Dokumen.Jenis.KASKADE: "pohon.documents.kaskade_pdf",
    Dokumen.Jenis.LAPORAN_TRIWULAN: "pohon.laporan.documents.laporan_pdf",
    Dokumen.Jenis.LAPORAN_KINERJA: "pohon.laporan.documents.laporan_pdf",
    Dokumen.Jenis.PERJANJIAN_KINERJA: "pohon.perjanjian.pdf.perjanjian_pdf",
}


def dokumen_renderer(jenis: str) -> Callable[[Dokumen, str], PdfResult]:
    try:
        return import_string(RENDERERS[jenis])
    except KeyError:
        raise ValueError(f"no renderer for documents of kind {jenis!r}") from None


def verification_url(dokumen: Dokumen) -> str:
    return settings.POKIN_VERIFY_BASE_URL.rstrip("/") + reverse("verifikasi", args=[dokumen.token])


SIGNING_FAILED = gettext_noop(
    "Dokumen tidak dapat ditandatangani: sertifikat tanda tangan elektronik tidak tersedia, kata "
    "sandinya salah atau masa berlakunya habis. Hubungi admin, lalu coba tandatangani lagi."
)


def dokumen_signer():
    """The certificate loaded once for a job that signs several documents
    (``dokumen_render_signed(..., signer=...)``); a failure as the same ValidationError."""
    try:
        return signer_load()
    except SigningError as error:
        logger.warning("Sertifikat penandatangan tidak dapat dimuat: %s", error)
        raise ValidationError(_(SIGNING_FAILED)) from error


def dokumen_render_signed(*, dokumen: Dokumen, kertas: str, signer=None) -> tuple[bytes, int]:
    """Render the document of its kind, then sign it (with ``signer``, a
    ``pohon.signing.signer_load()`` shared by one job's documents, else the certificate read now).
    A signing failure becomes a ValidationError (for the user, without server paths)."""
    result = dokumen_renderer(dokumen.jenis)(dokumen, kertas)
    first = dokumen.penandatangan_utama
    try:
        signed = pdf_sign(
            result.pdf,
            reason=dokumen.judul,
            location=dokumen.tempat,
            signer_name=first.nama if first else "",
            signer=signer,
        )
    except SigningError as error:
        # The reason may name server paths: it goes to the log, the user gets what to do.
        logger.warning("Dokumen %s (%s) tidak dapat ditandatangani: %s", dokumen.token, kertas, error)
        raise ValidationError(_(SIGNING_FAILED)) from error
    return signed, result.pages
