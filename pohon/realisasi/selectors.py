"""Reads of the quarterly reporting: for one agency and year, every Indikator's quarterly
targets, realisation, capaian (with its formula), colour and status, and every budget line's
Pagu, realisation and serapan, in a fixed number of queries whatever the tree's size.

The tree reported on is the newest *approved* revision of the year (``pohon_berlaku``); rows are
matched to its nodes by lasting key (``Node.kunci``), so the reports entered against an earlier
revision stay attached after a Perubahan.
"""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, ExpressionWrapper, F
from django.utils import timezone

from dinas.models import Pemda, PerangkatDaerah, UnitKerja
from pohon import rules
from pohon.models import Node, Pohon
from pohon.money import rupiah
from pohon.realisasi.capaian import (
    BATAS_HIJAU,
    BATAS_KUNING,
    BATAS_PERIKSA,
    RUMUS_ATURAN,
    RUMUS_SERAPAN,
    SKALA_OPINI_BPK,
    Aturan,
    Capaian,
    capaian_hitung,
    gabung,
    perlu_diperiksa,
    persen_format,
    serapan,
    warna,
)
from pohon.realisasi.models import (
    TRIWULAN_LABELS,
    JendelaPelaporan,
    LaporanTriwulan,
    PengaturanCapaian,
    Realisasi,
    RealisasiAnggaran,
    RencanaIndikator,
    TargetTriwulan,
)
from pohon.targets import target_display, target_format

TRIWULAN = (1, 2, 3, 4)
BELUM_LAPOR = "belum_lapor"
STATUS_LABELS = {
    BELUM_LAPOR: "Belum lapor",
    LaporanTriwulan.Status.DRAF: "Draf",
    LaporanTriwulan.Status.DIAJUKAN: "Diajukan",
    LaporanTriwulan.Status.DIKEMBALIKAN: "Dikembalikan",
    LaporanTriwulan.Status.DIVERIFIKASI: "Diverifikasi",
}

Nilai = Decimal | str | None  # a number, a qualitative text, or nothing


@dataclass(frozen=True, slots=True)
class Ambang:
    """A Pemda's colour bands (``PengaturanCapaian``, or the defaults)."""

    hijau: Decimal = BATAS_HIJAU
    kuning: Decimal = BATAS_KUNING
    periksa: Decimal = BATAS_PERIKSA

    def warna(self, nilai: Decimal | None) -> str:
        return warna(nilai, hijau=self.hijau, kuning=self.kuning)

    def periksa_perlu(self, nilai: Decimal | None) -> bool:
        return perlu_diperiksa(nilai, batas=self.periksa)


@dataclass(frozen=True, slots=True)
class ButirRealisasi:
    """A node of the reported tree as this module needs it (one query for the whole tree)."""

    pk: int
    kunci: uuid.UUID
    parent_id: int | None
    jenis: str
    kode: str
    uraian: str
    unit_id: int | None  # its own unit
    pemilik_id: int | None  # the unit that answers for it: its own, else the nearest above
    pagu: Decimal | None
    target_angka: Decimal | None
    target_teks: str
    satuan: str
    arah: str
    level: int

    @property
    def target(self) -> Nilai:
        return self.target_angka if self.target_angka is not None else (self.target_teks or None)

    @property
    def target_display(self) -> str:
        return target_display(self.target_angka, self.target_teks)

    @property
    def jenis_label(self) -> str:
        return rules.jenis_label(self.jenis)


@dataclass(slots=True)
class TriwulanIndikator:
    """One quarter of one Indikator: its own target and realisation, and the capaian of the
    values combined up to this quarter by the indikator's rule (``target_gabung``,
    ``realisasi_gabung``)."""

    triwulan: int
    target: Nilai
    realisasi: Nilai
    target_gabung: Nilai
    realisasi_gabung: Nilai
    capaian: Capaian
    warna: str  # capaian.Warna: hijau / kuning / merah / abu
    periksa: bool  # above 120 %: marked for checking
    status: str  # belum_lapor, or the unit's LaporanTriwulan.Status
    target_tahunan: bool = False  # no quarterly target: measured against the year's target
    pendukung: str = ""
    penghambat: str = ""
    tindak_lanjut: str = ""

    @property
    def label(self) -> str:
        return TRIWULAN_LABELS[self.triwulan]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def target_display(self) -> str:
        return _nilai_display(self.target)

    @property
    def realisasi_display(self) -> str:
        return _nilai_display(self.realisasi)

    @property
    def target_gabung_display(self) -> str:
        """The target the capaian was measured against (combined, or the year's)."""
        return _nilai_display(self.target_gabung)

    @property
    def realisasi_gabung_display(self) -> str:
        return _nilai_display(self.realisasi_gabung)

    @property
    def capaian_display(self) -> str:
        return persen_format(self.capaian.nilai)


class IndikatorRealisasi:
    """One Indikator's year: its four quarters (``triwulan``, ``tw(n)``) and the year against the
    tree's yearly target (``capaian_tahunan``: what the LKj reports; grey until a quarter is
    reported). Built by ``indikator_hitung`` from its rows; each quarter's capaian and the year's
    are computed when first read, and once: a Pemda's dashboard reads one quarter of each of
    thousands of Indikator, the reports read them all."""

    __slots__ = (
        "node", "aturan", "skala", "target_list", "realisasi_list", "_entries", "_combined", "_status", "_ambang",
        "_quarters", "_year",
    )  # fmt: skip

    def __init__(
        self,
        *,
        node: ButirRealisasi,
        aturan: str,
        skala: list[tuple[str, int]],
        target_list: list[Nilai],
        entries: list["RealisasiBaris | None"],
        combined: list[tuple[Nilai, Nilai]],
        status: dict[int, str],
        ambang: Ambang,
    ) -> None:
        self.node = node
        self.aturan = aturan
        self.skala = skala
        self.target_list = target_list  # each quarter's own target, TW I..IV
        self.realisasi_list: list[Nilai] = [entry.nilai if entry is not None else None for entry in entries]
        self._entries = entries
        self._combined = combined  # (target, realisation) combined up to each quarter
        self._status = status
        self._ambang = ambang
        self._quarters: list[TriwulanIndikator | None] = [None, None, None, None]
        self._year: tuple[Nilai, Capaian] | None = None

    def tw(self, triwulan: int) -> TriwulanIndikator:
        quarter = self._quarters[triwulan - 1]
        if quarter is None:
            quarter = self._quarters[triwulan - 1] = self._quarter(triwulan)
        return quarter

    @property
    def triwulan(self) -> list[TriwulanIndikator]:
        """TW I..IV, always four."""
        return [self.tw(tw) for tw in TRIWULAN]

    def _quarter(self, tw: int) -> TriwulanIndikator:
        target_g, real_g = self._combined[tw - 1]
        result = capaian_hitung(arah=self.node.arah, realisasi=real_g, target=target_g, skala=self.skala)
        target, entry = self.target_list[tw - 1], self._entries[tw - 1]
        return TriwulanIndikator(
            tw,
            target,
            self.realisasi_list[tw - 1],
            target_g,
            real_g,
            result,
            self._ambang.warna(result.nilai),
            self._ambang.periksa_perlu(result.nilai),
            self._status.get(tw, LaporanTriwulan.Status.DRAF) if entry is not None else BELUM_LAPOR,
            target is None and target_g is not None,
            entry.pendukung if entry is not None else "",
            entry.penghambat if entry is not None else "",
            entry.tindak_lanjut if entry is not None else "",
        )

    def _tahun(self) -> tuple[Nilai, Capaian]:
        if self._year is None:
            # The realisation combined up to the latest reported quarter by the same rule
            # (kumulatif: the sum of all reported; rata_rata: their mean; nilai_akhir, or a
            # qualitative one: the latest reported value), against the tree's yearly target.
            latest = max((tw for tw in TRIWULAN if self.realisasi_list[tw - 1] is not None), default=None)
            real_year = None if latest is None else self._combined[latest - 1][1]
            year = capaian_hitung(arah=self.node.arah, realisasi=real_year, target=self.node.target, skala=self.skala)
            self._year = (real_year, year)
        return self._year

    @property
    def realisasi_tahunan(self) -> Nilai:
        """The year's realisation the ``capaian_tahunan`` was computed from (by the rule)."""
        return self._tahun()[0]

    @property
    def capaian_tahunan(self) -> Capaian:
        return self._tahun()[1]

    @property
    def warna_tahunan(self) -> str:
        return self._ambang.warna(self.capaian_tahunan.nilai)

    @property
    def aturan_label(self) -> str:
        return str(Aturan(self.aturan).label)

    @property
    def rumus(self) -> str:
        return self.capaian_tahunan.rumus

    @property
    def capaian_tahunan_display(self) -> str:
        return persen_format(self.capaian_tahunan.nilai)

    @property
    def belum_lapor(self) -> bool:
        """No quarter reported yet."""
        return all(value is None for value in self.realisasi_list)

    @property
    def rumus_aturan(self) -> str:
        return RUMUS_ATURAN[Aturan(self.aturan)]


@dataclass(slots=True)
class TriwulanAnggaran:
    triwulan: int
    jumlah: Decimal | None  # spent in this quarter; None when not reported
    kumulatif: Decimal | None  # spent up to this quarter (None when nothing reported up to it)
    serapan: Decimal | None  # kumulatif / Pagu, percent
    melebihi_pagu: bool
    status: str

    @property
    def jumlah_display(self) -> str:
        return rupiah(self.jumlah) if self.jumlah is not None else "—"

    @property
    def kumulatif_display(self) -> str:
        return rupiah(self.kumulatif) if self.kumulatif is not None else "—"

    @property
    def serapan_display(self) -> str:
        return persen_format(self.serapan)


@dataclass(slots=True)
class AnggaranRealisasi:
    node: ButirRealisasi
    pagu: Decimal
    triwulan: list[TriwulanAnggaran]

    @property
    def pagu_display(self) -> str:
        return rupiah(self.pagu)

    @property
    def realisasi_tahun(self) -> Decimal | None:
        return next((tw.kumulatif for tw in reversed(self.triwulan) if tw.kumulatif is not None), None)

    @property
    def serapan_tahun(self) -> Decimal | None:
        return serapan(self.realisasi_tahun, self.pagu)

    def tw(self, triwulan: int) -> TriwulanAnggaran:
        return self.triwulan[triwulan - 1]


@dataclass(slots=True)
class RealisasiTahun:
    """Everything the year's reporting of one agency shows."""

    dinas: PerangkatDaerah
    tahun: int
    pohon: Pohon | None  # the approved revision reported on; None: nothing to report on yet
    ambang: Ambang
    nodes: list[ButirRealisasi]  # the whole tree in tree order (Sasaran etc. for grouping)
    indikator: list[IndikatorRealisasi]
    anggaran: list[AnggaranRealisasi]  # the budget lines that have their own Pagu
    laporan: dict[tuple[int, int | None], LaporanTriwulan]  # (triwulan, unit id) -> report
    jendela: dict[int, JendelaPelaporan]  # triwulan -> window
    units: dict[int, UnitKerja] = field(default_factory=dict)
    rumus_serapan: str = RUMUS_SERAPAN

    @property
    def by_kunci(self) -> dict[uuid.UUID, ButirRealisasi]:
        return {node.kunci: node for node in self.nodes}

    def jendela_terbuka(self, triwulan: int, today=None) -> bool:
        window = self.jendela.get(triwulan)
        return window is not None and window.is_open(today)

    def laporan_status(self, triwulan: int, unit_id: int | None) -> str:
        laporan = self.laporan.get((triwulan, unit_id))
        return laporan.status if laporan is not None else LaporanTriwulan.Status.DRAF

    def rumus(self) -> list[str]:
        """The formulas the indikator here use, each once, for printing under a table."""
        return list(dict.fromkeys(row.rumus for row in self.indikator))


@dataclass(frozen=True, slots=True)
class RealisasiBaris:
    """One quarter's realisation as the selector reads it (``Realisasi`` without the ORM)."""

    nilai: Nilai
    pendukung: str = ""
    penghambat: str = ""
    tindak_lanjut: str = ""


def _nilai_display(value: Nilai) -> str:
    if value is None or value == "":
        return "—"
    return target_format(value) if isinstance(value, Decimal) else value


def pohon_berlaku(*, dinas: PerangkatDaerah, tahun: int) -> Pohon | None:
    """The newest approved revision of the agency's tree for the year: what is reported on."""
    return (
        Pohon.objects.filter(dinas=dinas, tahun=tahun, status=Pohon.Status.DISETUJUI)
        .select_related("dinas__pemda")
        .order_by("-revisi")
        .first()
    )


def ambang_for(pemda: Pemda | int) -> Ambang:
    pemda_id = pemda if isinstance(pemda, int) else pemda.pk
    setting = PengaturanCapaian.objects.filter(pemda_id=pemda_id).first()
    if setting is None:
        return Ambang()
    return Ambang(setting.batas_hijau, setting.batas_kuning, setting.batas_periksa)


def kunci_mentah() -> ExpressionWrapper:
    """A row's lasting key as the database returns it (a hex string on SQLite, a UUID on
    PostgreSQL), without ``UUIDField``'s converter. A Pemda's year is tens of thousands of rows
    pointing at a few thousand nodes, and building a ``uuid.UUID`` for every row cost more than
    computing all their capaian: each node's key is converted once (``KunciPeta``) and the rows
    are matched through it."""
    return ExpressionWrapper(F("kunci"), output_field=CharField())


class KunciPeta(dict):
    """Raw key (``kunci_mentah``) -> ``uuid.UUID``, filled from the nodes read. ``of(raw)`` is a
    node's key; a row whose key belongs to no node read gives None and is skipped (nothing would
    look it up: every read is by a node's key)."""

    def add(self, raw) -> uuid.UUID:
        kunci = raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw)
        self[raw] = kunci
        return kunci

    of = dict.get


_COLUMNS = (
    "pk", "parent_id", "jenis", "kode", "uraian", "unit_id", "pagu", "target_angka", "target_teks",
    "satuan", "arah", "level",
)  # fmt: skip


def butir_realisasi(pohon: Pohon, peta: KunciPeta | None = None) -> list[ButirRealisasi]:
    """The tree's visible nodes in tree order, each with the unit that answers for it: one query.
    ``peta``, when given, learns the nodes' raw keys (see ``kunci_mentah``)."""
    owner: dict[int, int | None] = {}
    nodes = []
    peta = KunciPeta() if peta is None else peta
    for raw, *row in Node.objects.filter(pohon=pohon).order_by("lft").values_list(kunci_mentah(), *_COLUMNS):
        pk, parent_id, jenis, _kode, _uraian, unit_id = row[:6]
        pemilik = unit_id if unit_id is not None else owner.get(parent_id) if parent_id is not None else None
        owner[pk] = pemilik
        if jenis == rules.AKAR:
            continue
        nodes.append(ButirRealisasi(pk, peta.add(raw), *row[1:6], pemilik, *row[6:]))
    return nodes


def jendela_pemda(*, pemda: Pemda | int, tahun: int) -> dict[int, JendelaPelaporan]:
    pemda_id = pemda if isinstance(pemda, int) else pemda.pk
    return {window.triwulan: window for window in JendelaPelaporan.objects.filter(pemda_id=pemda_id, tahun=tahun)}


def skala_of(rencana: RencanaIndikator | None) -> list[tuple[str, int]]:
    if rencana is None or not rencana.skala:
        return list(SKALA_OPINI_BPK)
    return [(str(name), int(score)) for name, score in rencana.skala]


def indikator_hitung(
    *,
    node: ButirRealisasi,
    rencana: RencanaIndikator | None,
    targets: dict[int, Nilai],
    realisasi: dict[int, RealisasiBaris],
    status: dict[int, str],
    ambang: Ambang,
) -> IndikatorRealisasi:
    """One Indikator's four quarters and its year, from its rows (pure: no query): the quarters'
    values combined by its rule here, each capaian when first read (``IndikatorRealisasi``)."""
    aturan = rencana.aturan if rencana is not None else Aturan.NILAI_AKHIR
    target_list = [targets.get(tw) for tw in TRIWULAN]
    entries = [realisasi.get(tw) for tw in TRIWULAN]
    real_list: list[Nilai] = [entry.nilai if entry is not None else None for entry in entries]
    year_target = node.target
    qualitative = (
        isinstance(year_target, str)
        or any(isinstance(value, str) for value in target_list)
        or any(isinstance(value, str) for value in real_list)
    )
    if qualitative or aturan == Aturan.NILAI_AKHIR:
        # A qualitative value does not add up: each quarter stands on its own. A quarter without
        # its own target is measured against the year's (the value the year should end at), as
        # agencies without quarterly targets do.
        combined = [
            (target if target is not None else year_target, real)
            for target, real in zip(target_list, real_list, strict=True)
        ]
    else:
        combined = gabung(aturan, target_list, real_list)  # type: ignore[arg-type]
    return IndikatorRealisasi(
        node=node,
        aturan=aturan,
        skala=skala_of(rencana),
        target_list=target_list,
        entries=entries,
        combined=combined,
        status=status,
        ambang=ambang,
    )


def realisasi_tahun(*, dinas: PerangkatDaerah, tahun: int, pohon: Pohon | None = None) -> RealisasiTahun:
    """The year's reporting of one agency (see the module's docstring). Queries: the tree, its
    nodes, the units, the Pemda's bands, windows, quarterly plans, targets, realisation, budget
    and reports: ten, whatever the size."""
    pohon = pohon or pohon_berlaku(dinas=dinas, tahun=tahun)
    ambang = ambang_for(dinas.pemda_id)
    jendela = jendela_pemda(pemda=dinas.pemda_id, tahun=tahun)
    units = {unit.pk: unit for unit in UnitKerja.objects.filter(dinas=dinas)}
    if pohon is None:
        return RealisasiTahun(dinas, tahun, None, ambang, [], [], [], {}, jendela, units)
    peta = KunciPeta()
    nodes = butir_realisasi(pohon, peta)
    scope = {"dinas": dinas, "tahun": tahun}
    rencana = {row.kunci: row for row in RencanaIndikator.objects.filter(**scope)}
    # Rows as tuples, not model instances: a 2,000-node tree reported for a year has ~6,000 of
    # them, and building model instances cost more than everything else here together; their
    # keys raw, matched to the nodes' through ``peta`` (see ``kunci_mentah``).
    targets: dict[uuid.UUID, dict[int, Nilai]] = {}
    for raw, tw, angka, teks in TargetTriwulan.objects.filter(**scope).values_list(
        kunci_mentah(), "triwulan", "target_angka", "target_teks"
    ):
        if (kunci := peta.of(raw)) is not None:
            targets.setdefault(kunci, {})[tw] = angka if angka is not None else (teks or None)
    realisasi: dict[uuid.UUID, dict[int, RealisasiBaris]] = {}
    for raw, tw, angka, teks, *notes in Realisasi.objects.filter(**scope).values_list(
        kunci_mentah(), "triwulan", "realisasi_angka", "realisasi_teks", "pendukung", "penghambat", "tindak_lanjut"
    ):
        if (kunci := peta.of(raw)) is not None:
            realisasi.setdefault(kunci, {})[tw] = RealisasiBaris(angka if angka is not None else (teks or None), *notes)
    anggaran: dict[uuid.UUID, dict[int, Decimal]] = {}
    for raw, tw, jumlah in RealisasiAnggaran.objects.filter(**scope).values_list(kunci_mentah(), "triwulan", "jumlah"):
        if (kunci := peta.of(raw)) is not None:
            anggaran.setdefault(kunci, {})[tw] = jumlah
    laporan = {(row.triwulan, row.unit_id): row for row in LaporanTriwulan.objects.filter(**scope)}
    return realisasi_tahun_dari(
        dinas=dinas,
        tahun=tahun,
        pohon=pohon,
        ambang=ambang,
        jendela=jendela,
        units=units,
        nodes=nodes,
        rencana=rencana,
        targets=targets,
        realisasi=realisasi,
        anggaran=anggaran,
        laporan=laporan,
    )


def realisasi_tahun_dari(
    *,
    dinas: PerangkatDaerah,
    tahun: int,
    pohon: Pohon,
    ambang: Ambang,
    jendela: dict,
    units: dict[int, UnitKerja],
    nodes: list[ButirRealisasi],
    rencana: dict,
    targets: dict,
    realisasi: dict,
    anggaran: dict[uuid.UUID, dict[int, Decimal]],
    laporan: dict,
) -> RealisasiTahun:
    """One agency's year from rows already read (``realisasi_tahun`` reads one agency's,
    ``pohon.laporan.baca`` every agency of a Pemda at once): ``indikator_hitung`` for every
    Indikator, and the budget lines quarter by quarter; ``anggaran`` maps a node's kunci to the
    Rupiah spent per quarter. No query."""

    def status_of(node: ButirRealisasi) -> dict[int, str]:
        return {
            tw: (laporan[(tw, node.pemilik_id)].status if (tw, node.pemilik_id) in laporan else "draf")
            for tw in TRIWULAN
        }

    indikator = [
        indikator_hitung(
            node=node,
            rencana=rencana.get(node.kunci),
            targets=targets.get(node.kunci, {}),
            realisasi=realisasi.get(node.kunci, {}),
            status=status_of(node),
            ambang=ambang,
        )
        for node in nodes
        if node.jenis in rules.MEASURED
    ]
    budget = []
    for node in nodes:
        if node.jenis not in rules.BUDGETED or node.pagu is None:
            continue
        rows, running, quarters = anggaran.get(node.kunci, {}), None, []
        statuses = status_of(node)
        for tw in TRIWULAN:
            row = rows.get(tw)
            if row is not None:
                running = (running or Decimal(0)) + row
            quarters.append(
                TriwulanAnggaran(
                    triwulan=tw,
                    jumlah=row,
                    kumulatif=running,
                    serapan=serapan(running, node.pagu),
                    melebihi_pagu=running is not None and running > node.pagu,
                    status=statuses[tw] if row is not None else BELUM_LAPOR,
                )
            )
        budget.append(AnggaranRealisasi(node=node, pagu=node.pagu, triwulan=quarters))
    return RealisasiTahun(dinas, tahun, pohon, ambang, nodes, indikator, budget, laporan, jendela, units)


@dataclass
class UnitTriwulan:
    """A unit's quarter as the Kepala Dinas's page lists it (pages may add their own
    attributes: no slots)."""

    unit_id: int | None
    unit_kode: str  # "-" for the nodes no unit answers for (the pages' URLs use it)
    unit_nama: str
    status: str
    jumlah_indikator: int
    jumlah_lapor: int
    jumlah_anggaran: int
    laporan: LaporanTriwulan | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def unit_triwulan_list(data: RealisasiTahun, triwulan: int) -> list[UnitTriwulan]:
    """Every unit that answers for an Indikator or a budget line, with its quarter's status and
    how many of its Indikator have been reported (no query)."""
    counts: dict[int | None, list[int]] = {}
    for row in data.indikator:
        entry = counts.setdefault(row.node.pemilik_id, [0, 0, 0])
        entry[0] += 1
        entry[1] += row.realisasi_list[triwulan - 1] is not None
    for row in data.anggaran:
        counts.setdefault(row.node.pemilik_id, [0, 0, 0])[2] += 1
    result = []
    for unit_id, (total, reported, budget) in counts.items():
        laporan = data.laporan.get((triwulan, unit_id))
        status = laporan.status if laporan is not None else (BELUM_LAPOR if not reported else "draf")
        unit = data.units.get(unit_id) if unit_id is not None else None
        result.append(
            UnitTriwulan(
                unit_id=unit_id,
                unit_kode=unit.kode if unit is not None else "-",
                unit_nama=unit.nama if unit is not None else "Tanpa unit kerja",
                status=status,
                jumlah_indikator=total,
                jumlah_lapor=reported,
                jumlah_anggaran=budget,
                laporan=laporan,
            )
        )
    order = {unit_id: (unit.urutan, unit.pk) for unit_id, unit in data.units.items()}
    result.sort(key=lambda row: order.get(row.unit_id, (10**9, 0)))
    return result


def hari_ini():
    return timezone.localdate()


_AKSI_LABELS = {
    "isi": "diisi",
    "ubah": "diubah",
    "hapus": "dihapus",
    "ajukan": "diajukan",
    "verifikasi": "diverifikasi",
    "kembalikan": "dikembalikan",
    "buka": "dibuka",
    "buka_ulang": "dibuka kembali",
    "tutup": "ditutup",
    "ambang": "batas warna diubah",
}


@dataclass(frozen=True, slots=True)
class RiwayatBaris:
    waktu: object
    user_nama: str
    judul: str  # "Realisasi indikator diubah"
    kode: str
    triwulan: str
    perubahan: list[tuple[str, str, str]]  # (field, before, after)
    catatan: str


def riwayat_realisasi(*, dinas: PerangkatDaerah, tahun: int, limit: int = 100) -> list[RiwayatBaris]:
    """The newest changes of an agency's year of reporting (and of its Pemda's windows): one query."""
    from django.db.models import Q

    from pohon.realisasi.models import RealisasiRiwayat

    entries = RealisasiRiwayat.objects.filter(
        Q(dinas=dinas) | Q(dinas__isnull=True, pemda_id=dinas.pemda_id), tahun=tahun
    ).order_by("-waktu", "-id")[:limit]
    rows = []
    for entry in entries:
        names = list(dict.fromkeys([*entry.sebelum, *entry.sesudah]))
        changes = [
            (name, _plain(entry.sebelum.get(name)), _plain(entry.sesudah.get(name)))
            for name in names
            if entry.sebelum.get(name) != entry.sesudah.get(name)
        ]
        rows.append(
            RiwayatBaris(
                waktu=entry.waktu,
                user_nama=entry.user_nama,
                judul=f"{entry.get_objek_display()} {_AKSI_LABELS.get(entry.aksi, entry.aksi)}",
                kode=entry.kode,
                triwulan=TRIWULAN_LABELS.get(entry.triwulan, ""),
                perubahan=changes,
                catatan=entry.catatan,
            )
        )
    return rows


def _plain(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, list):
        return ", ".join(f"{name} {score}" for name, score in value) if value else "—"
    return str(value)
