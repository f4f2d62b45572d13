"""Issuing a report: the quarterly report or the Laporan Kinerja of an agency's year becomes a
signed document of its own kind (``Dokumen.Jenis.LAPORAN_TRIWULAN``, ``LAPORAN_KINERJA``).

Check, then execute, then record: the Kepala Dinas (or an Admin) of the agency issues; the
content is computed and frozen now (``LaporanTerbit.isi``) with the signer, place and date
(``dokumen_create``); the PDF is rendered and signed by a background job queued in the same
transaction (``pohon.laporan.jobs``). A report issued again for the same year (and quarter)
replaces the earlier one, which stays verifiable and names its replacement (``diganti_oleh``).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dinas.models import Keanggotaan, PerangkatDaerah
from dinas.selectors import user_roles
from pohon.dokumen.models import Dokumen
from pohon.dokumen.services import Signer, dokumen_create
from pohon.laporan.documents import judul
from pohon.laporan.isi import isi_kinerja_for, isi_triwulan_for
from pohon.laporan.models import LaporanTerbit
from pohon.realisasi.models import TRIWULAN_LABELS
from pohon.realisasi.selectors import pohon_berlaku

Peran = Keanggotaan.Peran
DOKUMEN_JENIS = {
    LaporanTerbit.Jenis.TRIWULAN: Dokumen.Jenis.LAPORAN_TRIWULAN,
    LaporanTerbit.Jenis.KINERJA: Dokumen.Jenis.LAPORAN_KINERJA,
}


def user_can_issue_laporan(user, dinas_id: int) -> bool:
    """Issue (sign) a report of the agency: its Kepala Dinas or an Admin."""
    return bool(user_roles(user, dinas_id) & {Peran.ADMIN, Peran.KEPALA_DINAS})


@transaction.atomic
def laporan_terbitkan(
    *,
    dinas: PerangkatDaerah,
    tahun: int,
    jenis: str,
    user,
    triwulan: int | None = None,
    at: datetime.datetime | None = None,
) -> LaporanTerbit:
    """Issue the report: freeze its content and its signer, and queue its signing."""
    from pohon.laporan.jobs import laporan_sign_enqueue
    from pohon.workflow import pejabat_kepala, signing_ensure_ready

    if user is not None and not user_can_issue_laporan(user, dinas.pk):
        raise PermissionDenied(_("Hanya Kepala Dinas atau admin yang boleh menerbitkan laporan."))
    if jenis not in DOKUMEN_JENIS:
        raise ValidationError(_("Jenis laporan tidak dikenal."), code="jenis")
    if jenis == LaporanTerbit.Jenis.TRIWULAN and triwulan not in TRIWULAN_LABELS:
        raise ValidationError(_("Triwulan harus 1 sampai 4."), code="triwulan")
    if jenis == LaporanTerbit.Jenis.KINERJA:
        triwulan = None
    dinas = PerangkatDaerah.objects.select_for_update().select_related("pemda").get(pk=dinas.pk)
    pohon = pohon_berlaku(dinas=dinas, tahun=tahun)
    if pohon is None:
        raise ValidationError(
            _("Pohon kinerja %(tahun)s belum disetujui: laporan disusun dari pohon yang disetujui.") % {"tahun": tahun},
            code="pohon_belum_disetujui",
        )
    pejabat = pejabat_kepala(pohon)
    signing_ensure_ready()
    at = at or timezone.now()
    if jenis == LaporanTerbit.Jenis.TRIWULAN:
        isi = isi_triwulan_for(dinas=dinas, tahun=tahun, triwulan=triwulan)
    else:
        isi = isi_kinerja_for(dinas=dinas, tahun=tahun)
    title = judul(isi)
    if isi["contoh"]:
        title += " " + _("(DATA CONTOH)")
    dokumen = dokumen_create(
        jenis=DOKUMEN_JENIS[jenis],
        judul=title[:500],
        dinas=dinas,
        tempat=dinas.tempat_dokumen,
        tanggal=timezone.localdate(at),
        signers=[Signer(pejabat=pejabat)],
        at=at,
    )
    earlier = list(
        LaporanTerbit.objects.select_for_update()
        .filter(dinas=dinas, tahun=tahun, jenis=jenis, triwulan=triwulan, dokumen__diganti_oleh__isnull=True)
        .select_related("dokumen")
    )
    laporan = LaporanTerbit(
        dokumen=dokumen,
        jenis=jenis,
        dinas=dinas,
        tahun=tahun,
        triwulan=triwulan,
        isi=isi,
        diterbitkan_oleh=user,
        diterbitkan_pada=at,
    )
    laporan.full_clean()
    laporan.save()
    for old in earlier:
        Dokumen.objects.filter(pk=old.dokumen_id).update(diganti_oleh=dokumen)
    laporan_sign_enqueue(laporan=laporan, user=user)
    return laporan
