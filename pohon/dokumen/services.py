"""Writes of issued documents: a document with its frozen signers, and its signed files."""

import datetime
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from dinas.models import Pejabat, PerangkatDaerah
from pohon.dokumen.models import Dokumen, DokumenTerbit, Penandatangan


@dataclass(frozen=True)
class Signer:
    """One signer of a document to be issued: the official and the role they sign in."""

    pejabat: Pejabat
    peran: str = Penandatangan.Peran.PENANDATANGAN


@transaction.atomic
def dokumen_create(
    *,
    jenis: str,
    judul: str,
    dinas: PerangkatDaerah,
    tempat: str,
    tanggal: datetime.date,
    signers: list[Signer],
    at: datetime.datetime | None = None,
    token: str | None = None,
) -> Dokumen:
    """Issue a document: the agency's and Pemda's names, place, date and every signer (name, NIP,
    jabatan as printed with Plt./Plh./Pj., pangkat, status) are copied now, once."""
    dokumen = Dokumen(
        jenis=jenis,
        token=token or secrets.token_urlsafe(24),
        judul=judul,
        dinas=dinas,
        dinas_nama=dinas.nama,
        pemda_nama=dinas.pemda_nama,
        tempat=tempat,
        tanggal=tanggal,
        diterbitkan_pada=at or timezone.now(),
    )
    dokumen.full_clean()
    dokumen.save()
    for urutan, signer in enumerate(signers, start=1):
        pejabat = signer.pejabat
        penandatangan = Penandatangan(
            dokumen=dokumen,
            peran=signer.peran,
            urutan=urutan,
            pejabat=pejabat,
            nama=pejabat.nama,
            nip=pejabat.nip,
            jabatan=pejabat.jabatan_tertulis,
            pangkat=pejabat.pangkat,
            status=pejabat.status,
        )
        penandatangan.full_clean()
        penandatangan.save()
    return dokumen


def dokumen_berkas_issue(*, dokumen: Dokumen, kertas: str, signer=None) -> DokumenTerbit:
    """The signed PDF of a document for one paper size: rendered, signed and stored the first
    time, the stored bytes every time after. Only background jobs call it, never a page.
    ``signer``: see ``pohon.dokumen.render.dokumen_render_signed``.

    Rendering and signing (most of a second) run outside any transaction of ours and only the
    INSERT is atomic: on SQLite a transaction begins IMMEDIATE, taking the database's write lock,
    and a job issuing many documents one after another (a bulk PK issue) then left pages only
    the moments between two documents to get it, so a page could starve for 20 s. Two jobs that
    render the same file at once both succeed: the second finds the first's row and returns it
    (the bytes differ by their signing time, and the stored ones are the ones issued)."""
    existing = DokumenTerbit.objects.filter(dokumen=dokumen, kertas=kertas).first()
    if existing is not None:
        return existing
    # WeasyPrint and pyHanko are heavy: they load only when a document is really made.
    from pohon.dokumen.render import dokumen_render_signed
    from pohon.signing import sha256_hex

    pdf, pages = dokumen_render_signed(dokumen=dokumen, kertas=kertas, signer=signer)
    berkas = DokumenTerbit(
        dokumen=dokumen, kertas=kertas, pdf=pdf, sha256=sha256_hex(pdf), ukuran=len(pdf), halaman=pages
    )
    try:
        with transaction.atomic():
            stored = DokumenTerbit.objects.filter(dokumen=dokumen, kertas=kertas).first()
            if stored is not None:
                return stored
            berkas.full_clean()
            berkas.save()
    except IntegrityError:  # another job's INSERT came between our look and ours
        return DokumenTerbit.objects.get(dokumen=dokumen, kertas=kertas)
    return berkas
