"""The demo's 2019: the approved 2018 cascade copied into 2019 (``pohon_copy_to_year``, the service
behind ``copy_pohon``), with EXAMPLE targets on every Indikator, approved by the Kepala Dinas, so
that the dashboards and the Laporan Kinerja show something on the first run.

The seed has no targets; everything this module adds is made up, and says so: the tree carries a
``DataContoh`` mark that every page and report of it shows ("data contoh"). The 2018 tree is
only read, never changed.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dinas.models import UnitKerja
from pohon import rules
from pohon.demo.models import DataContoh
from pohon.history import riwayat_peristiwa
from pohon.imports import pohon_copy_to_year
from pohon.models import Node, Pohon
from pohon.targets import Arah

TAHUN_CONTOH = 2019
KETERANGAN = (
    "Target, target triwulan dan realisasi tahun 2019 dibuat oleh demo untuk memperlihatkan "
    "dasbor dan Laporan Kinerja; bukan data Dinas yang sebenarnya."
)
# The day the example 2019 tree is approved (a working day in the agency's January, as 2018's).
DISETUJUI_PADA = datetime.date(2019, 1, 28)

NAIK, TURUN = Arah.NAIK, Arah.TURUN


@dataclass(frozen=True)
class TargetContoh:
    angka: Decimal
    satuan: str
    arah: str = NAIK


def _t(angka: str, satuan: str, arah: str = NAIK) -> TargetContoh:
    return TargetContoh(Decimal(angka), satuan, arah)


# One example target per Indikator of the seed, by its kode (``pohon.demo.load.demo_nodes``).
# Lumajang has 198 desa; the numbers are plausible, not real.
TARGETS: dict[str, TargetContoh] = {
    "T1.I1": _t("25", "desa", TURUN),  # "Penurunan jumlah desa tertinggal ...": fewer is better
    "T1.S1.I1": _t("80", "%"),
    "T1.S2.I1": _t("40", "desa"),
    "B1.S1.I1": _t("85", "%"),
    "B1.S1.I2": _t("80", "%"),
    "B1.S1.I3": _t("15", "%"),
    "B1.K1.S1.I1": _t("1200", "orang"),
    "B1.K1.S1.I2": _t("198", "orang"),
    "B1.K1.S1.I3": _t("198", "orang"),
    "B1.K1.S1.I4": _t("198", "orang"),
    "B1.K1.S1.I5": _t("198", "orang"),
    "B1.K1.S1.I6": _t("396", "orang"),
    "B1.K1.S1.I7": _t("600", "orang"),
    "B1.K1.S1.I8": _t("250", "orang"),
    "B1.K2.S1.I1": _t("198", "orang"),
    "B1.K2.S1.I2": _t("150", "orang"),
    "B1.K3.S1.I1": _t("198", "desa"),
    "B1.K3.S1.I2": _t("21", "desa"),
    "B2.S1.I1": _t("60", "%"),
    "B2.K1.S1.I1": _t("300", "KRTP"),
    "B2.K1.S1.I2": _t("12", "LKM"),
    "B2.K1.S1.I3": _t("120", "BUMDes"),
    "B2.K2.S1.I1": _t("20", "kelompok"),
    "B2.K2.S1.I2": _t("2", "lomba"),
    "B2.K3.S1.I1": _t("21", "lembaga"),
    "B2.K3.S1.I2": _t("15", "pasar"),
    "B3.S1.I1": _t("75", "%"),
    "B3.S1.I2": _t("80", "%"),
    "B3.S1.I3": _t("70", "%"),
    "B3.S1.I4": _t("90", "%"),
    "B3.K1.S1.I1": _t("21", "orang"),
    "B3.K1.S1.I2": _t("198", "desa"),
    "B3.K1.S1.I3": _t("180", "desa"),
    "B3.K1.S1.I4": _t("396", "orang"),
    "B3.K1.S1.I5": _t("50", "orang"),
    "B3.K2.S1.I1": _t("4", "dokumen"),
    "B3.K2.S1.I2": _t("30", "desa"),
    "B3.K2.S1.I3": _t("198", "desa"),
    "B3.K2.S1.I4": _t("594", "orang"),
    "B3.K2.S1.I5": _t("250", "orang"),
    "B3.K2.S1.I6": _t("40", "pengaduan"),
    "B3.K2.S1.I7": _t("396", "orang"),
    "B3.K2.S1.I8": _t("198", "orang"),
    "B3.K2.S1.I9": _t("198", "orang"),
    "B3.K2.S1.I10": _t("34", "desa"),
    "B3.K3.S1.I1": _t("1", "sistem"),
    "B3.K3.S1.I2": _t("198", "desa"),
    "B3.K3.S1.I3": _t("150", "desa"),
    "B4.S1.I1": _t("100", "%"),
    "B4.S1.I2": _t("90", "%"),
    "B4.S1.I3": _t("100", "%"),
    "B4.K1.S1.I1": _t("100", "%"),
    "B4.K1.S1.I2": _t("40", "unit"),
    "B4.K1.S1.I3": _t("60", "unit"),
    "B4.K2.S1.I1": _t("1", "dokumen"),
    "B4.K2.S1.I2": _t("2", "dokumen"),
    "B4.K2.S1.I3": _t("1", "dokumen"),
}
TARGET_LAIN = _t("100", "%")  # an Indikator the table does not name (a seed edited by hand)


def target_contoh(kode: str) -> TargetContoh:
    return TARGETS.get(kode, TARGET_LAIN)


@transaction.atomic
def demo_2019_tree(*, source: Pohon) -> tuple[Pohon, bool]:
    """The example 2019 tree: copied from ``source`` (the approved 2018 tree) and given the
    example targets, once; a 2019 tree already there is left as it is. Returns (tree, created)."""
    existing = Pohon.objects.filter(dinas_id=source.dinas_id, tahun=TAHUN_CONTOH).order_by("-revisi").first()
    if existing is not None:
        return existing, False
    with riwayat_peristiwa():
        pohon = pohon_copy_to_year(pohon=source, tahun=TAHUN_CONTOH)
        mark = DataContoh(pohon=pohon, keterangan=KETERANGAN)
        mark.full_clean()
        mark.save()
        targets_contoh_set(pohon=pohon)
    return pohon, True


def targets_contoh_set(*, pohon: Pohon) -> int:
    """Give every Indikator of the (draft) tree its example target, satuan and arah through
    ``node_update``, so the rule checks and the history see them as any edit."""
    from pohon.services import node_update

    count = 0
    for node in Node.objects.filter(pohon=pohon, jenis=rules.INDIKATOR).order_by("lft"):
        target = target_contoh(node.kode)
        node_update(node=node, target_angka=target.angka, target_teks="", satuan=target.satuan, arah=target.arah)
        count += 1
    return count


def demo_2019_approve(*, pohon: Pohon, operator, kadis) -> None:
    """Submitted by the operator and approved by the Kepala Dinas on ``DISETUJUI_PADA``, like 2018."""
    from pohon.workflow import pohon_approve, pohon_submit

    pohon.refresh_from_db()
    if pohon.status == Pohon.Status.DISETUJUI:
        return
    zone = timezone.get_current_timezone()
    if pohon.is_editable:
        submitted = datetime.datetime.combine(DISETUJUI_PADA, datetime.time(8, 0), tzinfo=zone)
        pohon_submit(pohon=pohon, user=operator, catatan=_("Pengajuan pohon kinerja contoh 2019."), at=submitted)
    approved = datetime.datetime.combine(DISETUJUI_PADA, datetime.time(9, 0), tzinfo=zone)
    pohon_approve(pohon=pohon, user=kadis, at=approved)


def demo_2019_load(*, source: Pohon, operator, kadis) -> Pohon:
    """What ``load_demo`` calls after approving 2018: the example 2019 tree, approved, with its
    example quarterly targets and realisation TW I-IV."""
    pohon, _created = demo_2019_tree(source=source)
    demo_2019_approve(pohon=pohon, operator=operator, kadis=kadis)
    realisasi_contoh_load(pohon=pohon, kadis=kadis)
    return pohon


def pohon_contoh(pohon: Pohon) -> str:
    """The example-data notice of a tree ("" for real data): what pages and reports print."""
    mark = DataContoh.objects.filter(pohon_id=pohon.pk).values_list("keterangan", flat=True).first()
    return mark or ""


# --- example quarterly targets and realisation, TW I-IV -----------------------------------------------

# Each Indikator's realisation is its quarter's target times its unit's factor (in turn) and a
# small step of its own, so that the dashboards show every colour by unit and Sasaran: green,
# yellow, red, and one above 120 % to check.
FAKTOR_UNIT = tuple(Decimal(f) for f in ("1.02", "0.95", "0.82", "0.97", "0.64", "1.0", "1.33", "0.93", "0.79", "1.04"))
FAKTOR_BUTIR = (Decimal("1"), Decimal("0.98"), Decimal("1.03"))
# The share of a kumulatif Indikator's yearly target planned in each quarter, and of each
# Program's Pagu spent in each quarter.
BAGIAN_TARGET = (Decimal("0.2"), Decimal("0.3"), Decimal("0.3"), Decimal("0.2"))
BAGIAN_ANGGARAN = (Decimal("0.14"), Decimal("0.26"), Decimal("0.31"), Decimal("0.21"))
# A unit that has not reported TW IV yet, so that "belum lapor" shows on the first run.
UNIT_BELUM_LAPOR_TW4 = "seksi-kerja-sama-desa"
# Reports are entered and verified a few days after each quarter ends, inside its window.
TANGGAL_LAPOR = {
    1: datetime.date(2019, 4, 8),
    2: datetime.date(2019, 7, 8),
    3: datetime.date(2019, 10, 7),
    4: datetime.date(2020, 1, 8),
}
JENDELA = (datetime.date(2019, 1, 1), datetime.date(2020, 1, 31))
CATATAN = {
    "pendukung": "(contoh) Dukungan pemerintah desa dan kader di lapangan.",
    "penghambat": "(contoh) Jadwal kegiatan di desa bergeser karena musim tanam.",
    "tindak_lanjut": "(contoh) Pendampingan dijadwalkan ulang pada triwulan berikutnya.",
}


@dataclass(frozen=True)
class RencanaContoh:
    aturan: str
    targets: tuple[Decimal, Decimal, Decimal, Decimal]


def rencana_contoh(target: Decimal, satuan: str, arah: str) -> RencanaContoh:
    """Percentages and falling indicators: the value at each quarter's end (``nilai_akhir``)
    rising to the yearly target; counts: added up (``kumulatif``), the yearly target shared out."""
    if satuan == "%" or arah != NAIK or target < 10:
        if arah == TURUN:
            steps = (target * Decimal("1.2"), target * Decimal("1.12"), target * Decimal("1.05"), target)
        else:
            steps = (target * Decimal("0.85"), target * Decimal("0.9"), target * Decimal("0.95"), target)
        return RencanaContoh("nilai_akhir", tuple(s.quantize(Decimal(1)) for s in steps))  # type: ignore[arg-type]
    parts = [(target * share).quantize(Decimal(1)) for share in BAGIAN_TARGET[:3]]
    return RencanaContoh("kumulatif", (*parts, target - sum(parts)))  # type: ignore[arg-type]


def realisasi_contoh(target: Decimal, faktor: Decimal, arah: str, satuan: str) -> Decimal:
    # Fewer is better for a falling Indikator: a factor above 1 is then a shortfall.
    value = target * (2 - faktor) if arah == TURUN else target * faktor
    return value.quantize(Decimal("0.1") if satuan == "%" else Decimal(1))


def realisasi_contoh_load(*, pohon: Pohon, kadis) -> int:
    """Example quarterly targets, realisation and spending for TW I-IV of the approved example
    tree, entered through ``pohon.realisasi.services`` and verified by the Kepala Dinas (all but
    one unit's TW IV, left unreported). Once: a year that has any realisation is left as it is.
    Returns how many quarterly reports were verified."""
    from pohon.realisasi.models import Realisasi
    from pohon.realisasi.selectors import butir_realisasi
    from pohon.realisasi.services import (
        AnggaranInput,
        RealisasiInput,
        jendela_set,
        laporan_simpan,
        laporan_verifikasi,
        rencana_set,
    )
    from pohon.targets import target_format

    dinas, tahun = pohon.dinas, pohon.tahun
    if Realisasi.objects.filter(dinas=dinas, tahun=tahun).exists():
        return 0
    for tw in TANGGAL_LAPOR:
        jendela_set(
            pemda=dinas.pemda, tahun=tahun, triwulan=tw, mulai=JENDELA[0], selesai=JENDELA[1], user=None,
            today=JENDELA[0],
        )  # fmt: skip
    nodes = butir_realisasi(pohon)
    indikator = [n for n in nodes if n.jenis == rules.INDIKATOR and n.target_angka is not None]
    plans = {}
    for node in indikator:
        plan = rencana_contoh(node.target_angka, node.satuan, node.arah)
        plans[node.kunci] = plan
        rencana_set(
            dinas=dinas,
            tahun=tahun,
            kunci=node.kunci,
            aturan=plan.aturan,
            targets={tw: target_format(value) for tw, value in enumerate(plan.targets, start=1)},
            user=None,
        )
    budget = [n for n in nodes if n.jenis in rules.BUDGETED and n.pagu is not None]
    units = sorted({n.pemilik_id for n in (*indikator, *budget)}, key=lambda pk: (pk is None, pk or 0))
    skipped = set(UnitKerja.objects.filter(dinas=dinas, kode=UNIT_BELUM_LAPOR_TW4).values_list("pk", flat=True))
    verified = 0
    for tw, today in TANGGAL_LAPOR.items():
        for unit_index, unit_id in enumerate(units):
            if tw == 4 and unit_id in skipped:
                continue
            entries = []
            for index, node in enumerate(n for n in indikator if n.pemilik_id == unit_id):
                faktor = FAKTOR_UNIT[unit_index % len(FAKTOR_UNIT)] * FAKTOR_BUTIR[(index + tw) % len(FAKTOR_BUTIR)]
                value = realisasi_contoh(plans[node.kunci].targets[tw - 1], faktor, node.arah, node.satuan)
                notes = CATATAN if faktor < Decimal("0.9") or faktor > Decimal("1.2") else {}
                entries.append(RealisasiInput(kunci=node.kunci, nilai=target_format(value), **notes))
            spending = [
                AnggaranInput(kunci=node.kunci, jumlah=(node.pagu * BAGIAN_ANGGARAN[tw - 1]).quantize(Decimal(1)))
                for node in budget
                if node.pemilik_id == unit_id
            ]
            laporan_simpan(
                dinas=dinas, tahun=tahun, triwulan=tw, indikator=entries, anggaran=spending, user=None,
                ajukan=True, unit_id=unit_id, today=today,
            )  # fmt: skip
            laporan_verifikasi(
                dinas=dinas, tahun=tahun, triwulan=tw, unit_id=unit_id, user=kadis,
                catatan="(contoh) Diverifikasi sesuai bukti dukung.",
            )  # fmt: skip
            verified += 1
    return verified
