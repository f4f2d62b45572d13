"""The printed cascade of a tree, the first kind of issued document (``Dokumen.Jenis.KASKADE``):
a draft rendered on request, or the signed document of an approved revision, rendered from its
frozen approval (names, units, signer, place, date) by ``pohon.dokumen.render``."""

from django.utils.translation import gettext as _

from pohon.dokumen.models import Dokumen
from pohon.dokumen.render import verification_url
from pohon.models import Pohon
from pohon.pdf import PdfInput, PdfResult, SignatureBlock, pdf_render, signature_block_for
from pohon.selectors import pohon_tree
from pohon.signing import sha256_hex
from pohon.signing.qr import qr_svg
from pohon.silang.selectors import tree_with_frozen_silang, tree_with_silang

__all__ = [
    "dokumen_render_draft",
    "kaskade_pdf",
    "sha256_hex",
    "signature_block",
    "verification_url",
]


def revisi_label(pohon: Pohon) -> str:
    return _("Perubahan %(n)s") % {"n": pohon.revisi} if pohon.revisi else ""


def signature_block(dokumen: Dokumen) -> SignatureBlock:
    """The seed's block: 'KEPALA DINAS' / the agency's name without its first word / the Pemda,
    all as frozen in the document, with an acting signer's Plt./Plh./Pj. before the jabatan."""
    signer = dokumen.penandatangan_utama
    if dokumen.dinas.is_pemda:
        # The Pemda tree: "KEPALA BAPPEDA" or "BUPATI" (as frozen, Plt. included) over the Pemda.
        return signature_block_for(
            tempat=dokumen.tempat,
            tanggal=dokumen.tanggal,
            nama=signer.nama,
            nip=signer.nip,
            dinas_nama="",
            pemda=dokumen.pemda_nama,
            jabatan=signer.jabatan,
        )
    return signature_block_for(
        tempat=dokumen.tempat,
        tanggal=dokumen.tanggal,
        nama=signer.nama,
        nip=signer.nip,
        dinas_nama=dokumen.dinas_nama,
        pemda=dokumen.pemda_nama,
        prefix=signer.status_prefix,
    )


def dokumen_render_draft(*, pohon: Pohon, kertas: str, muat: bool | None = None, tahun: int | None = None) -> PdfResult:
    """Any tree not yet approved prints as a draft: watermark, no signature; ``muat``: fit to one
    sheet (None: the paper's default, see ``pohon.pdf``). A Pemda tree prints its supporting
    agencies' trees of ``tahun`` (default ``pemda_dukungan_tahun``)."""
    tree = pohon_tree(pohon)
    silang = tree_with_silang(tree)  # a draft prints the links as they stand now
    boxes = None
    if pohon.is_pemda:  # the supporting agencies as they stand now, as boxes under the Pemda's
        from pohon.pemda.cetak import pemda_print_boxes
        from pohon.pemda.dukungan import pemda_dukungan_rows, pemda_dukungan_tahun

        rows = pemda_dukungan_rows(tree, tahun or pemda_dukungan_tahun(pohon))
        boxes = pemda_print_boxes(tree, [row.__dict__ for row in rows])
    return pdf_render(
        PdfInput(
            tree=tree,
            kertas=kertas,
            draft=True,
            revisi_label=revisi_label(pohon),
            muat=muat,
            silang=tuple(silang),
            boxes=boxes,
        )
    )


def kaskade_pdf(dokumen: Dokumen, kertas: str) -> PdfResult:
    """The renderer of the cascade kind: the approved revision with its signature block and QR
    code, unsigned (``pohon.dokumen.render`` signs it)."""
    pohon = dokumen.pengesahan.pohon
    url = verification_url(dokumen)
    tree = pohon_tree(pohon)
    rows = tree_with_frozen_silang(tree, dokumen.pengesahan)  # the annex as frozen at approval
    boxes = None
    if pohon.is_pemda:  # the supporting agencies as frozen at approval, never the live trees
        from pohon.pemda.cetak import pemda_print_boxes
        from pohon.pemda.dukungan import pemda_dukungan_frozen

        boxes = pemda_print_boxes(tree, pemda_dukungan_frozen(dokumen.pengesahan))
    return pdf_render(
        PdfInput(
            tree=tree,
            silang=tuple(rows),
            boxes=boxes,
            kertas=kertas,
            draft=False,
            signature=signature_block(dokumen),
            qr_svg=qr_svg(url),
            verification_url=url,
            revisi_label=revisi_label(pohon),
        )
    )
