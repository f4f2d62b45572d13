"""Reading an agency's (or a whole Pemda's) year of realisation for the dashboards and reports:
one query per kind of row for every agency at once, rows as tuples, then the same pure functions
as ``pohon.realisasi.selectors.realisasi_tahun`` (``indikator_hitung``) compute each agency.

Why not ``realisasi_tahun`` itself: it reads one agency (ten queries each, so 400 for a Pemda of
40 agencies) and its windows, which the dashboards do not show."""

import gc
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, JSONField, OuterRef, Subquery, When

from dinas.models import PerangkatDaerah
from pohon import rules
from pohon.models import Node, Pohon
from pohon.realisasi.models import LaporanTriwulan, Realisasi, RealisasiAnggaran, RencanaIndikator, TargetTriwulan
from pohon.realisasi.selectors import (
    Ambang,
    ButirRealisasi,
    KunciPeta,
    RealisasiBaris,
    RealisasiTahun,
    ambang_for,
    kunci_mentah,
    realisasi_tahun_dari,
)


def ambang_of(dinas: PerangkatDaerah) -> Ambang:
    """The colour bands of the agency's Pemda: from the settings read with the agency when they
    were (``select_related("pemda__pengaturan_capaian")``), else one query (``ambang_for``)."""
    pemda = dinas.pemda if "pemda" in dinas._state.fields_cache else None
    if pemda is not None and "pengaturan_capaian" in pemda._state.fields_cache:
        setting = pemda._state.fields_cache["pengaturan_capaian"]
        return Ambang(setting.batas_hijau, setting.batas_kuning, setting.batas_periksa) if setting else Ambang()
    return ambang_for(dinas.pemda_id)


_COLUMNS = (
    "pk", "parent_id", "jenis", "kode", "uraian", "unit_id", "pagu", "target_angka", "target_teks",
    "satuan", "arah", "level", "pohon_id", "unit__kode", "unit__nama", "unit__urutan",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Unit:
    """A unit as the dashboards name and order it (read with the nodes: no query of its own)."""

    pk: int
    kode: str
    nama: str
    urutan: int


@dataclass(frozen=True, slots=True)
class _Rencana:
    aturan: str
    skala: list


@dataclass(frozen=True, slots=True)
class _Laporan:
    status: str


def _nilai_of(angka: Decimal | None, teks: str) -> Decimal | str | None:
    return angka if angka is not None else (teks or None)


def _quarters(store: dict, dinas_id: int, kunci: uuid.UUID) -> dict:
    """``store[dinas_id][kunci]``, made when missing (not ``setdefault(..., {})``, which builds a
    dict for every row only to drop it: tens of thousands of them for a Pemda)."""
    per_dinas = store.get(dinas_id)
    if per_dinas is None:
        per_dinas = store[dinas_id] = {}
    quarters = per_dinas.get(kunci)
    if quarters is None:
        quarters = per_dinas[kunci] = {}
    return quarters


@contextmanager
def gc_paused():
    """Python's cyclic garbage collector paused while a year is read and computed. Reading a
    Pemda's year makes some 200,000 small objects, none in a reference cycle, and each of them
    counted towards the collector's next pass over every object in the process: measured, those
    passes took a third of the Pemda dashboard's time. Nothing is collected late that matters
    (the objects are freed by reference counting as usual); the collector resumes afterwards,
    unless something else had paused it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _rencana_of(field: str, tahun: int, output_field) -> Case:
    """An Indikator's quarterly plan (``RencanaIndikator``, at most one per agency, year and key)
    read with its node: a subquery on the plan's unique key, only for Indikator rows."""
    plan = RencanaIndikator.objects.filter(dinas_id=OuterRef("pohon__dinas_id"), tahun=tahun, kunci=OuterRef("kunci"))
    return Case(
        When(jenis__in=rules.MEASURED, then=Subquery(plan.values(field)[:1], output_field=output_field)),
        default=None,
        output_field=output_field,
    )


@dataclass
class _Pohon:
    """What ``_trees_nodes`` reads of several trees."""

    nodes: dict[int, list[ButirRealisasi]]  # pohon pk -> its visible nodes in tree order
    units: dict[int, dict[int, _Unit]]  # pohon pk -> the units its nodes name
    rencana: dict[int, dict[uuid.UUID, _Rencana]]  # pohon pk -> kunci -> the Indikator's plan
    peta: KunciPeta  # raw key -> kunci, of every node read


def _trees_nodes(pohon_ids: list[int], tahun: int) -> _Pohon:
    """Every visible node of several trees, each with the unit that answers for it, in one query
    ordered by (tree_id, lft): the same records as ``butir_realisasi`` gives for one tree; the
    units the nodes name, per tree, from the same rows (the owner of a node is always some node's
    own unit); and each Indikator's plan of ``tahun`` (aturan and skala) beside it."""
    owner: dict[int, int | None] = {}
    result = _Pohon(
        {pk: [] for pk in pohon_ids}, {pk: {} for pk in pohon_ids}, {pk: {} for pk in pohon_ids}, KunciPeta()
    )
    peta = result.peta
    rows = (
        Node.objects.filter(pohon_id__in=pohon_ids)
        .annotate(
            rencana_aturan=_rencana_of("aturan", tahun, CharField()),
            rencana_skala=_rencana_of("skala", tahun, JSONField()),
        )
        .order_by("tree_id", "lft")
        .values_list(kunci_mentah(), *_COLUMNS, "rencana_aturan", "rencana_skala")
    )
    for raw, *row in rows:
        pk, parent_id, jenis, _kode, _uraian, unit_id = row[:6]
        pohon_id, unit_kode, unit_nama, unit_urutan, aturan, skala = row[12:]
        pemilik = unit_id if unit_id is not None else owner.get(parent_id) if parent_id is not None else None
        owner[pk] = pemilik
        units = result.units[pohon_id]
        if unit_id is not None and unit_id not in units:
            units[unit_id] = _Unit(unit_id, unit_kode, unit_nama, unit_urutan)
        if jenis == rules.AKAR:
            continue
        kunci = peta.add(raw)
        result.nodes[pohon_id].append(ButirRealisasi(pk, kunci, *row[1:6], pemilik, *row[6:12]))
        if aturan is not None:
            result.rencana[pohon_id][kunci] = _Rencana(aturan, skala)
    return result


def realisasi_baca(
    *,
    dinas_list: list[PerangkatDaerah],
    tahun: int,
    ambang: Ambang,
    jendela: dict | None = None,
    catatan: bool = True,
) -> dict[int, tuple[RealisasiTahun, str]]:
    """The year's reporting of every agency in ``dinas_list`` (all of one Pemda), each with its
    example-data notice: one query per kind of row for all of them, rows read as tuples (no model
    instances: 2,000 nodes with four quarters are some 9,000 rows) with their keys raw (see
    ``kunci_mentah``), then computed by ``pohon.realisasi.selectors.realisasi_tahun_dari``. Six
    queries whatever the sizes and the number of agencies (the trees, their nodes with the
    Indikator's plans, targets, realisation, budget, the units' reports); the windows
    (``jendela``) only when given, as the dashboards do not show them; the notes of each quarter
    (pendukung, penghambat, tindak lanjut) unless ``catatan`` is False (the dashboards again)."""
    with gc_paused():
        return _realisasi_baca(dinas_list=dinas_list, tahun=tahun, ambang=ambang, jendela=jendela, catatan=catatan)


def _realisasi_baca(
    *, dinas_list: list[PerangkatDaerah], tahun: int, ambang: Ambang, jendela: dict | None, catatan: bool
) -> dict[int, tuple[RealisasiTahun, str]]:
    ids = [d.pk for d in dinas_list]
    trees: dict[int, Pohon] = {}
    approved = Pohon.objects.filter(dinas_id__in=ids, tahun=tahun, status=Pohon.Status.DISETUJUI)
    for pohon in approved.select_related("data_contoh").order_by("revisi"):
        trees[pohon.dinas_id] = pohon  # the newest approved revision wins
    if not trees:
        return {}
    read = _trees_nodes([p.pk for p in trees.values()], tahun)
    peta = read.peta
    scope = {"dinas_id__in": list(trees), "tahun": tahun}
    targets: dict[int, dict[uuid.UUID, dict[int, object]]] = {}
    for dinas_id, raw, tw, angka, teks in TargetTriwulan.objects.filter(**scope).values_list(
        "dinas_id", kunci_mentah(), "triwulan", "target_angka", "target_teks"
    ):
        if (kunci := peta.of(raw)) is not None:
            _quarters(targets, dinas_id, kunci)[tw] = _nilai_of(angka, teks)
    realisasi: dict[int, dict[uuid.UUID, dict[int, RealisasiBaris]]] = {}
    note_columns = ("pendukung", "penghambat", "tindak_lanjut") if catatan else ()
    for dinas_id, raw, tw, angka, teks, *notes in Realisasi.objects.filter(**scope).values_list(
        "dinas_id", kunci_mentah(), "triwulan", "realisasi_angka", "realisasi_teks", *note_columns
    ):
        if (kunci := peta.of(raw)) is not None:
            _quarters(realisasi, dinas_id, kunci)[tw] = RealisasiBaris(_nilai_of(angka, teks), *notes)
    anggaran: dict[int, dict[uuid.UUID, dict[int, Decimal]]] = {}
    for dinas_id, raw, tw, jumlah in RealisasiAnggaran.objects.filter(**scope).values_list(
        "dinas_id", kunci_mentah(), "triwulan", "jumlah"
    ):
        if (kunci := peta.of(raw)) is not None:
            _quarters(anggaran, dinas_id, kunci)[tw] = jumlah
    laporan: dict[int, dict[tuple[int, int | None], _Laporan]] = {}
    for dinas_id, tw, unit_id, status in LaporanTriwulan.objects.filter(**scope).values_list(
        "dinas_id", "triwulan", "unit_id", "status"
    ):
        laporan.setdefault(dinas_id, {})[(tw, unit_id)] = _Laporan(status)
    result = {}
    for dinas in dinas_list:
        pohon = trees.get(dinas.pk)
        if pohon is None:
            continue
        mark = getattr(pohon, "data_contoh", None)  # read with the tree (select_related): no query
        data = realisasi_tahun_dari(
            dinas=dinas,
            tahun=tahun,
            pohon=pohon,
            ambang=ambang,
            jendela=jendela or {},
            units=read.units[pohon.pk],
            nodes=read.nodes[pohon.pk],
            rencana=read.rencana[pohon.pk],
            targets=targets.get(dinas.pk, {}),
            realisasi=realisasi.get(dinas.pk, {}),
            anggaran=anggaran.get(dinas.pk, {}),
            laporan=laporan.get(dinas.pk, {}),
        )
        result[dinas.pk] = (data, mark.keterangan if mark is not None else "")
    return result
