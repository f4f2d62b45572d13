"""The printed cascade of a tree: a draft rendered on request, or the signed document of an
approved revision, rendered from its frozen approval (signer, place, date) and signed once."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from pohon.models import Pengesahan, Pohon
from pohon.pdf import PdfInput, PdfResult, SignatureBlock, pdf_render, signature_block_for
from pohon.selectors import pohon_tree
from pohon.signing import SigningError, pdf_sign, sha256_hex
from pohon.signing.qr import qr_svg

logger = logging.getLogger(__name__)

__all__ = ["dokumen_render_draft", "dokumen_render_signed", "sha256_hex", "signature_block", "verification_url"]


def revisi_label(pohon: Pohon) -> str:
    return _("Perubahan %(n)s") % {"n": pohon.revisi} if pohon.revisi else ""


def signature_block(pengesahan: Pengesahan) -> SignatureBlock:
    """The seed's block: 'KEPALA DINAS' / the agency's name without its first word / the Pemda."""
    dinas = pengesahan.pohon.dinas
    return signature_block_for(
        tempat=pengesahan.tempat,
        tanggal=pengesahan.tanggal,
        nama=pengesahan.pejabat_nama,
        nip=pengesahan.pejabat_nip,
        dinas_nama=dinas.nama,
        pemda=dinas.pemda_nama,
    )


def verification_url(pengesahan: Pengesahan) -> str:
    return settings.POKIN_VERIFY_BASE_URL.rstrip("/") + reverse("verifikasi", args=[pengesahan.token])


def dokumen_render_draft(*, pohon: Pohon, kertas: str) -> PdfResult:
    """Any tree not yet approved prints as a draft: watermark, no signature."""
    return pdf_render(PdfInput(tree=pohon_tree(pohon), kertas=kertas, draft=True, revisi_label=revisi_label(pohon)))


def dokumen_render_signed(*, pengesahan: Pengesahan, kertas: str) -> tuple[bytes, int]:
    """Render the approved revision with its signature block and QR code, then sign it (PAdES).
    A signing failure becomes a ValidationError so that the approval it belongs to is refused."""
    pohon = pengesahan.pohon
    url = verification_url(pengesahan)
    result = pdf_render(
        PdfInput(
            tree=pohon_tree(pohon),
            kertas=kertas,
            draft=False,
            signature=signature_block(pengesahan),
            qr_svg=qr_svg(url),
            verification_url=url,
            revisi_label=revisi_label(pohon),
        )
    )
    try:
        signed = pdf_sign(
            result.pdf,
            reason=_("Persetujuan pohon kinerja %(pohon)s") % {"pohon": pohon},
            location=pengesahan.tempat,
            signer_name=pengesahan.pejabat_nama,
        )
    except SigningError as error:
        # The reason may name server paths: it goes to the log, the user gets what to do.
        logger.warning("Dokumen %s (%s) tidak dapat ditandatangani: %s", pohon, kertas, error)
        raise ValidationError(
            _(
                "Dokumen tidak dapat ditandatangani: sertifikat tanda tangan elektronik tidak tersedia, kata "
                "sandinya salah atau masa berlakunya habis. Hubungi admin, lalu coba tandatangani lagi."
            )
        ) from error
    return signed, result.pages
