"""The demo's Perjanjian Kinerja: EXAMPLE officials for the units the seed names no one for, and
the PKs of the approved 2018 tree, generated, submitted, approved and signed.

The seed document names only the Kepala Dinas. Every other official here (the Sekretaris, the
Kepala Bidang, the Kepala Seksi and Kepala Subbagian, and the Bupati) is invented: each name
ends with "(contoh)", so it is marked as example data wherever it shows (the PK page, the PDF,
the admin, the verification page). One is a Plt. and one a Plh., to show the prefixes. The
tree itself is not touched: it stays exactly the seed.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import job_execute
from core.models import Pekerjaan
from dinas.models import Pejabat, UnitKerja
from dinas.selectors import pemda_kepala_daerah
from dinas.services import pejabat_create
from pohon.models import Pohon
from pohon.perjanjian.jobs import JOB_PERJANJIAN_TTD
from pohon.perjanjian.models import PerjanjianKinerja
from pohon.perjanjian.services import perjanjian_approve, perjanjian_generate, perjanjian_submit

CONTOH = "(contoh)"
# Invented names, given in the units' order (urutan); the Bupati's first.
EXAMPLE_NAMES = (
    "H. Bambang Sutrisno, S.H. (contoh)",
    "Dra. Sri Wahyuni, M.Si. (contoh)",
    "Agus Priyanto, S.Sos., M.M. (contoh)",
    "Ir. Hendra Kurniawan, M.T. (contoh)",
    "Drs. Eko Prasetyo (contoh)",
    "Siti Aminah, S.E. (contoh)",
    "Rudi Hartono, S.STP. (contoh)",
    "Dewi Lestari, S.Sos. (contoh)",
    "Yuli Astuti, S.P. (contoh)",
    "Muhammad Arifin, S.T. (contoh)",
    "Nur Hidayati, S.AP. (contoh)",
    "Bayu Saputra, S.Kom. (contoh)",
    "Fitri Handayani, S.H. (contoh)",
    "Joko Santoso, S.IP. (contoh)",
    "Rina Marlina, S.E., M.Ak. (contoh)",
    "Teguh Wibowo, S.Sos. (contoh)",
)
PANGKAT = {
    UnitKerja.Jenis.BIDANG: "Pembina, IV/a",
    UnitKerja.Jenis.SEKRETARIAT: "Pembina Tingkat I, IV/b",
    UnitKerja.Jenis.SEKSI: "Penata Tingkat I, III/d",
    UnitKerja.Jenis.SUBBAGIAN: "Penata, III/c",
}
# Two acting officials, to show the prefixes on the PK: the Sekretaris is Plt., the first
# Subbagian's head Plh.
ACTING = {UnitKerja.Jenis.SEKRETARIAT: Pejabat.Status.PLT, UnitKerja.Jenis.SUBBAGIAN: Pejabat.Status.PLH}


@dataclass
class DemoPerjanjian:
    pejabat_contoh: list[Pejabat] = field(default_factory=list)  # created by this run
    perjanjian: list[PerjanjianKinerja] = field(default_factory=list)  # approved by this run
    masalah: list[str] = field(default_factory=list)


def jabatan_for(unit: UnitKerja, dinas_nama: str) -> str:
    if unit.jenis == UnitKerja.Jenis.SEKRETARIAT:
        return f"Sekretaris {dinas_nama}"
    return f"Kepala {unit.nama}"


def _nip(index: int) -> str:
    """A well-formed, invented NIP: born in the 1970s, appointed in the 1990s, numbered by ``index``."""
    month, day = index % 12 + 1, index % 27 + 1
    return f"197{index % 10}{month:02d}{day:02d}199{index % 10}{month:02d}{1 + index % 2}{index + 1:03d}"


def demo_officials_ensure(dinas, tahun: int) -> list[Pejabat]:
    """An example official for every unit below the head that has none in ``tahun``, and an
    example Bupati when the Pemda has none: idempotent (a unit with an official is left alone)."""
    created: list[Pejabat] = []
    if pemda_kepala_daerah(dinas.pemda, tahun) is None:
        pemda = dinas.pemda
        jabatan = f"{pemda.jabatan_kepala} {pemda.tempat}".strip()
        created.append(pejabat_create(nama=EXAMPLE_NAMES[0], pemda=pemda, jabatan=jabatan, tahun_mulai=tahun))
    held = set(Pejabat.objects.filter(unit__dinas=dinas, tahun_mulai__lte=tahun).values_list("unit_id", flat=True))
    acting_done: set[str] = set()
    units = UnitKerja.objects.filter(dinas=dinas).exclude(jenis=UnitKerja.Jenis.KEPALA).order_by("urutan", "id")
    for index, unit in enumerate(units, start=1):
        if unit.pk in held:
            continue
        status = Pejabat.Status.DEFINITIF
        if unit.jenis in ACTING and unit.jenis not in acting_done:
            status = ACTING[unit.jenis]
            acting_done.add(unit.jenis)
        created.append(
            pejabat_create(
                nama=EXAMPLE_NAMES[index % len(EXAMPLE_NAMES)],
                unit=unit,
                nip=_nip(index),
                jabatan=jabatan_for(unit, dinas.nama),
                status=status,
                pangkat=PANGKAT.get(unit.jenis, ""),
                tahun_mulai=tahun,
            )
        )
    return created


def demo_perjanjian_load(pohon: Pohon, *, kadis, signed_on: datetime.date, issue: bool = True) -> DemoPerjanjian:
    """Example officials, then (for an approved tree) its PKs: generated and approved by the
    Kepala Dinas and submitted as their units' side would, on the day after the tree's
    approval. A PK already approved is left as it is. The signing is queued; run it with
    ``demo_perjanjian_sign_now`` once this has committed. ``issue=False``: the officials only
    (the test suite's approved demo, which signs 16 PKs otherwise)."""
    result = DemoPerjanjian(pejabat_contoh=demo_officials_ensure(pohon.dinas, pohon.tahun))
    pohon.refresh_from_db()
    if not issue or kadis is None or pohon.status != Pohon.Status.DISETUJUI:
        return result
    zone = timezone.get_current_timezone()
    day = signed_on + datetime.timedelta(days=1)
    generated = perjanjian_generate(
        pohon=pohon, user=kadis, at=datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=zone)
    )
    result.masalah = [plan.masalah for plan in generated.masalah]
    submitted_at = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=zone)
    approved_at = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=zone)
    for perjanjian in generated.dibuat:
        perjanjian = perjanjian_submit(perjanjian=perjanjian, user=None, at=submitted_at)
        result.perjanjian.append(perjanjian_approve(perjanjian=perjanjian, user=kadis, at=approved_at))
    return result


def demo_perjanjian_sign_now(dinas) -> int:
    """Run the PK signings the demo queued (as ``_demo_sign_now`` does for the tree), after the
    approvals have committed. Returns how many ran."""
    ran = 0
    for job_id in Pekerjaan.objects.filter(
        jenis=JOB_PERJANJIAN_TTD, dinas_id=dinas.pk, status=Pekerjaan.Status.ANTRI
    ).values_list("pk", flat=True):
        job_execute(job_id=str(job_id))
        ran += 1
    return ran


def demo_perjanjian_summary(result: DemoPerjanjian, write) -> None:
    """What ``load_demo`` prints about the PKs, the example officials named as such."""
    if result.pejabat_contoh:
        write(
            _("Pejabat CONTOH dibuat (nama fiktif bertanda %(contoh)s, bukan data seed): %(n)d")
            % {"contoh": CONTOH, "n": len(result.pejabat_contoh)}
        )
        for pejabat in result.pejabat_contoh:
            write(f"  {pejabat.jabatan_tertulis}: {pejabat.nama}")
    if result.perjanjian:
        write(_("Perjanjian Kinerja disetujui dan ditandatangani: %(n)d") % {"n": len(result.perjanjian)})
    for masalah in result.masalah:
        write(_("  Tanpa Perjanjian Kinerja: %(masalah)s") % {"masalah": masalah})
