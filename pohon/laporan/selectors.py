"""Reads of the dashboards: an agency's year (capaian per Sasaran and per unit, serapan per
quarter, the units that have not reported) and a Pemda's year (the same per agency).

The year's data is ``pohon.realisasi.selectors.RealisasiTahun``, read for one agency or for every
agency of a Pemda at once by ``pohon.laporan.baca.realisasi_baca`` (six queries whatever the
sizes); the roll-ups here are Python over it, with no query.

How groups are scored: a Sasaran's (or a unit's) capaian is the mean of the capaian of its own
Indikator that can be computed; the count of those beside it ("3 dari 4 indikator") says how
many were reported. A group without any is grey ("belum lapor"), never green.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from dinas.models import Pemda, PerangkatDaerah
from pohon import rules
from pohon.demo.models import DataContoh
from pohon.laporan import svg
from pohon.laporan.baca import ambang_of, gc_paused, realisasi_baca
from pohon.models import Pohon
from pohon.money import rupiah
from pohon.realisasi.capaian import RUMUS_SERAPAN, persen_format, serapan
from pohon.realisasi.models import (
    TRIWULAN_LABELS,
    LaporanTriwulan,
)
from pohon.realisasi.selectors import (
    BELUM_LAPOR,
    TRIWULAN,
    Ambang,
    AnggaranRealisasi,
    ButirRealisasi,
    IndikatorRealisasi,
    RealisasiTahun,
    UnitTriwulan,
    ambang_for,
    indikator_hitung,
    unit_triwulan_list,
)

TWO_PLACES = Decimal("0.01")
RUMUS_KELOMPOK = "Capaian Sasaran/unit = rata-rata capaian indikatornya yang dapat dihitung"


def _mean(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(slots=True)
class CapaianKelompok:
    """A Sasaran's or a unit's capaian: the mean over its Indikator that can be computed."""

    kode: str
    label: str
    unit_nama: str
    nilai: Decimal | None
    jumlah_indikator: int
    jumlah_dihitung: int
    warna: str
    periksa: bool

    @property
    def nilai_display(self) -> str:
        return persen_format(self.nilai)

    @property
    def hitungan(self) -> str:
        return _("%(n)d dari %(total)d indikator") % {"n": self.jumlah_dihitung, "total": self.jumlah_indikator}

    @property
    def warna_label(self) -> str:
        return svg.band_label(self.warna)


@dataclass(slots=True)
class SerapanTriwulan:
    triwulan: int
    jumlah: Decimal | None  # spent in the quarter, every budget line of the agency
    kumulatif: Decimal | None
    serapan: Decimal | None  # kumulatif / Pagu

    @property
    def label(self) -> str:
        return TRIWULAN_LABELS[self.triwulan]

    @property
    def jumlah_display(self) -> str:
        return rupiah(self.jumlah) if self.jumlah is not None else "\u2014"

    @property
    def kumulatif_display(self) -> str:
        return rupiah(self.kumulatif) if self.kumulatif is not None else "\u2014"

    @property
    def serapan_display(self) -> str:
        return persen_format(self.serapan)


def _kelompok(
    kode: str, label: str, unit_nama: str, rows: list[IndikatorRealisasi], triwulan: int, ambang: Ambang
) -> CapaianKelompok:
    values = [v for row in rows if (v := _nilai(row, triwulan)) is not None]
    nilai = _mean(values)
    return CapaianKelompok(
        kode=kode,
        label=label,
        unit_nama=unit_nama,
        nilai=nilai,
        jumlah_indikator=len(rows),
        jumlah_dihitung=len(values),
        warna=ambang.warna(nilai),
        periksa=ambang.periksa_perlu(nilai),
    )


def _nilai(row: IndikatorRealisasi, triwulan: int) -> Decimal | None:
    """The capaian the dashboard shows for an Indikator: up to ``triwulan``, combined by its rule."""
    return row.tw(triwulan).capaian.nilai


def anggaran_utama(anggaran: list[AnggaranRealisasi], nodes: list[ButirRealisasi]) -> list[AnggaranRealisasi]:
    """The budget lines whose Pagu no line above them already counts (a Kegiatan with its own
    Pagu under a Program with one is part of the Program's): money is never counted twice."""
    with_pagu = {row.node.pk for row in anggaran}
    parent = {node.pk: node.parent_id for node in nodes}

    def covered(pk: int) -> bool:
        up = parent.get(pk)
        while up is not None:
            if up in with_pagu:
                return True
            up = parent.get(up)
        return False

    return [row for row in anggaran if not covered(row.node.pk)]


def serapan_per_triwulan(anggaran: list[AnggaranRealisasi], pagu: Decimal) -> list[SerapanTriwulan]:
    result = []
    running: Decimal | None = None
    for tw in TRIWULAN:
        spent = [row.tw(tw).jumlah for row in anggaran if row.tw(tw).jumlah is not None]
        jumlah = sum(spent, Decimal(0)) if spent else None
        if jumlah is not None:
            running = (running or Decimal(0)) + jumlah
        result.append(SerapanTriwulan(tw, jumlah, running, serapan(running, pagu) if jumlah is not None else None))
    return result


@dataclass(slots=True)
class DasborDinas:
    """Everything the agency's dashboard shows for one year, up to one quarter."""

    data: RealisasiTahun
    triwulan: int
    per_sasaran: list[CapaianKelompok]
    per_unit: list[CapaianKelompok]
    keseluruhan: CapaianKelompok
    serapan: list[SerapanTriwulan]
    pagu: Decimal
    realisasi_anggaran: Decimal | None
    units: list[UnitTriwulan]
    contoh: str = ""  # the example-data notice, "" for real data
    rumus: list[str] = field(default_factory=list)

    @property
    def pohon(self) -> Pohon | None:
        return self.data.pohon

    @property
    def triwulan_label(self) -> str:
        return TRIWULAN_LABELS[self.triwulan]

    @property
    def belum_lapor(self) -> list[UnitTriwulan]:
        """The units whose quarter is not submitted yet (nothing entered, or a draft, or returned)."""
        waiting = {BELUM_LAPOR, LaporanTriwulan.Status.DRAF, LaporanTriwulan.Status.DIKEMBALIKAN}
        return [unit for unit in self.units if unit.status in waiting]

    @property
    def pagu_display(self) -> str:
        return rupiah(self.pagu)

    @property
    def serapan_tahun(self) -> Decimal | None:
        return serapan(self.realisasi_anggaran, self.pagu)

    @property
    def serapan_tahun_display(self) -> str:
        return persen_format(self.serapan_tahun)

    @property
    def realisasi_anggaran_display(self) -> str:
        return rupiah(self.realisasi_anggaran) if self.realisasi_anggaran is not None else "\u2014"

    @property
    def rumus_serapan(self) -> str:
        return RUMUS_SERAPAN

    @property
    def rumus_kelompok(self) -> str:
        return RUMUS_KELOMPOK

    def svg_sasaran(self, chart_id: str = "grafik-sasaran", *, width: int = 720, compact: bool = False) -> str:
        return svg.capaian_bars(
            [svg.Batang(row.label, row.nilai, row.hitungan) for row in self.per_sasaran],
            chart_id=chart_id,
            width=width,
            compact=compact,
            title=_("Capaian per Sasaran s.d. %(tw)s") % {"tw": self.triwulan_label},
            batas=batas_of(self.data.ambang),
        )

    def svg_unit(self, chart_id: str = "grafik-unit", *, width: int = 720, compact: bool = False) -> str:
        return svg.capaian_bars(
            [svg.Batang(row.label, row.nilai, row.hitungan) for row in self.per_unit],
            chart_id=chart_id,
            width=width,
            compact=compact,
            title=_("Capaian per unit kerja s.d. %(tw)s") % {"tw": self.triwulan_label},
            batas=batas_of(self.data.ambang),
        )

    def svg_serapan(self, chart_id: str = "grafik-serapan", *, width: int = 480, compact: bool = False) -> str:
        return svg.serapan_columns(
            [
                svg.Kolom(row.label, row.serapan, row.jumlah_display if row.jumlah is not None and not compact else "")
                for row in self.serapan
            ],
            chart_id=chart_id,
            width=width,
            title=_("Serapan anggaran kumulatif per triwulan"),
        )


def batas_of(ambang: Ambang) -> svg.Batas:
    return svg.Batas(hijau=ambang.hijau, kuning=ambang.kuning, periksa=ambang.periksa)


def triwulan_terakhir(data: RealisasiTahun) -> int:
    """The latest quarter with any realisation entered (TW I when none yet)."""
    latest = 1
    for row in data.indikator:
        for tw, value in zip(TRIWULAN, row.realisasi_list, strict=True):
            if value is not None:
                latest = max(latest, tw)
    for row in data.anggaran:
        for quarter in row.triwulan:
            if quarter.jumlah is not None:
                latest = max(latest, quarter.triwulan)
    return latest


def dasbor_hitung(data: RealisasiTahun, *, triwulan: int | None = None, contoh: str = "") -> DasborDinas:
    """The dashboard from a year's data (pure: no query)."""
    triwulan = triwulan or triwulan_terakhir(data)
    ambang = data.ambang
    by_pk = {node.pk: node for node in data.nodes}
    unit_nama = {pk: unit.nama for pk, unit in data.units.items()}

    # Per Sasaran: the Indikator standing directly under it.
    under: dict[int, list[IndikatorRealisasi]] = {}
    for row in data.indikator:
        parent = by_pk.get(row.node.parent_id) if row.node.parent_id is not None else None
        if parent is not None and parent.jenis == rules.SASARAN:
            under.setdefault(parent.pk, []).append(row)
    per_sasaran = [
        _kelompok(node.kode, node.uraian, unit_nama.get(node.pemilik_id, ""), under[node.pk], triwulan, ambang)
        for node in data.nodes
        if node.jenis == rules.SASARAN and node.pk in under
    ]
    # Per unit: the Indikator each unit answers for.
    per_unit_rows: dict[int | None, list[IndikatorRealisasi]] = {}
    for row in data.indikator:
        per_unit_rows.setdefault(row.node.pemilik_id, []).append(row)
    order = {pk: (unit.urutan, unit.pk) for pk, unit in data.units.items()}
    per_unit = [
        _kelompok(
            str(unit_id or ""),
            unit_nama.get(unit_id, _("Tanpa unit kerja")) if unit_id is not None else _("Tanpa unit kerja"),
            "",
            rows,
            triwulan,
            ambang,
        )
        for unit_id, rows in sorted(per_unit_rows.items(), key=lambda item: order.get(item[0], (10**9, 0)))
    ]
    keseluruhan = _kelompok("", _("Seluruh indikator"), "", data.indikator, triwulan, ambang)
    lines = anggaran_utama(data.anggaran, data.nodes)
    pagu = sum((row.pagu for row in lines), Decimal(0))
    per_tw = serapan_per_triwulan(lines, pagu)
    upto = [row.kumulatif for row in per_tw[:triwulan] if row.kumulatif is not None]
    return DasborDinas(
        data=data,
        triwulan=triwulan,
        per_sasaran=per_sasaran,
        per_unit=per_unit,
        keseluruhan=keseluruhan,
        serapan=per_tw,
        pagu=pagu,
        realisasi_anggaran=upto[-1] if upto else None,
        units=unit_triwulan_list(data, triwulan),
        contoh=contoh,
        rumus=[*dict.fromkeys(row.tw(triwulan).capaian.rumus for row in data.indikator)],
    )


def data_contoh(pohon: Pohon | None) -> str:
    if pohon is None:
        return ""
    return DataContoh.objects.filter(pohon_id=pohon.pk).values_list("keterangan", flat=True).first() or ""


def dasbor_dinas(*, dinas: PerangkatDaerah, tahun: int, triwulan: int | None = None) -> DasborDinas:
    """The agency's dashboard: six queries whatever the tree's size (``realisasi_baca``), plus one
    for the Pemda's colour bands unless ``dinas`` was read with ``pemda__pengaturan_capaian``."""
    with gc_paused():
        years = realisasi_baca(dinas_list=[dinas], tahun=tahun, ambang=ambang_of(dinas), catatan=False)
        if dinas.pk not in years:
            return dasbor_hitung(RealisasiTahun(dinas, tahun, None, ambang_of(dinas), [], [], [], {}, {}, {}))
        data, contoh = years[dinas.pk]
        return dasbor_hitung(data, triwulan=triwulan, contoh=contoh)


# --- the Pemda -------------------------------------------------------------------------------------


@dataclass(slots=True)
class BarisDinas:
    """One agency on the Pemda's dashboard."""

    dinas: PerangkatDaerah
    dasbor: DasborDinas | None  # None: no approved tree for the year

    @property
    def nilai(self) -> Decimal | None:
        return self.dasbor.keseluruhan.nilai if self.dasbor else None

    @property
    def nilai_display(self) -> str:
        return persen_format(self.nilai)

    @property
    def warna(self) -> str:
        return self.dasbor.keseluruhan.warna if self.dasbor else svg.ABU

    @property
    def warna_label(self) -> str:
        return svg.band_label(self.warna)


@dataclass(slots=True)
class DasborPemda:
    pemda: Pemda
    tahun: int
    triwulan: int
    rows: list[BarisDinas]  # sorted by capaian, highest first, the agencies without any last
    ambang: Ambang
    contoh: bool = False

    @property
    def pagu(self) -> Decimal:
        return sum((row.dasbor.pagu for row in self.rows if row.dasbor), Decimal(0))

    @property
    def serapan(self) -> list[SerapanTriwulan]:
        result = []
        for tw in TRIWULAN:
            quarters = [row.dasbor.serapan[tw - 1] for row in self.rows if row.dasbor]
            spent = [q.jumlah for q in quarters if q.jumlah is not None]
            result.append(SerapanTriwulan(tw, sum(spent, Decimal(0)) if spent else None, None, None))
        running: Decimal | None = None
        for row in result:
            if row.jumlah is not None:
                running = (running or Decimal(0)) + row.jumlah
                row.kumulatif, row.serapan = running, serapan(running, self.pagu)
        return result

    def svg_dinas(self, chart_id: str = "grafik-dinas", *, width: int = 720, compact: bool = False) -> str:
        return svg.capaian_bars(
            [
                svg.Batang(
                    row.dinas.nama,
                    row.nilai,
                    row.dasbor.keseluruhan.hitungan if row.dasbor else _("belum ada pohon disetujui"),
                )
                for row in self.rows
            ],
            chart_id=chart_id,
            title=_("Capaian per Perangkat Daerah s.d. %(tw)s") % {"tw": TRIWULAN_LABELS[self.triwulan]},
            batas=batas_of(self.ambang),
            width=width,
            compact=compact,
        )

    def svg_serapan(self, chart_id: str = "grafik-serapan-pemda") -> str:
        return svg.serapan_columns(
            [
                svg.Kolom(row.label, row.serapan, row.jumlah_display if row.jumlah is not None else "")
                for row in self.serapan
            ],
            chart_id=chart_id,
            title=_("Serapan anggaran kumulatif per triwulan, seluruh Perangkat Daerah"),
        )


def dasbor_pemda(*, pemda: Pemda, tahun: int, triwulan: int | None = None) -> DasborPemda:
    """The Pemda's dashboard: every agency's year read at once (``realisasi_baca``)."""
    dinas_list = list(PerangkatDaerah.objects.filter(pemda=pemda).order_by("nama"))
    ambang = ambang_for(pemda)
    with gc_paused():  # see there: tens of thousands of small objects, none in a cycle
        years = realisasi_baca(dinas_list=dinas_list, tahun=tahun, ambang=ambang, catatan=False)
        if triwulan is None:
            triwulan = max((triwulan_terakhir(data) for data, _contoh in years.values()), default=1)
        rows = []
        for dinas in dinas_list:
            entry = years.get(dinas.pk)
            dasbor = dasbor_hitung(entry[0], triwulan=triwulan, contoh=entry[1]) if entry is not None else None
            rows.append(BarisDinas(dinas, dasbor))
    rows.sort(key=lambda row: (row.nilai is None, -(row.nilai or 0), row.dinas.nama))
    return DasborPemda(
        pemda=pemda,
        tahun=tahun,
        triwulan=triwulan,
        rows=rows,
        ambang=ambang,
        contoh=any(row.dasbor is not None and row.dasbor.contoh for row in rows),
    )


__all__ = [
    "ambang_of",
    "realisasi_baca",
    "CapaianKelompok",
    "DasborDinas",
    "DasborPemda",
    "dasbor_dinas",
    "dasbor_hitung",
    "dasbor_pemda",
    "indikator_hitung",
]
