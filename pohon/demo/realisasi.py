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

from pohon import rules
from pohon.demo.models import DataContoh
from pohon.history import riwayat_peristiwa
from pohon.imports import pohon_copy_to_year
from pohon.models import Node, Pohon
from pohon.targets import Arah

TAHUN_CONTOH = 2019
KETERANGAN = (
    "Data contoh: target, target triwulan dan realisasi tahun 2019 dibuat oleh demo untuk memperlihatkan "
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
    """What ``load_demo`` calls after approving 2018: the example 2019 tree, approved."""
    pohon, _created = demo_2019_tree(source=source)
    demo_2019_approve(pohon=pohon, operator=operator, kadis=kadis)
    return pohon


def pohon_contoh(pohon: Pohon) -> str:
    """The example-data notice of a tree ("" for real data): what pages and reports print."""
    mark = DataContoh.objects.filter(pohon_id=pohon.pk).values_list("keterangan", flat=True).first()
    return mark or ""
