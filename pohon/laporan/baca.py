"""Reading an agency's (or a whole Pemda's) year of realisation for the dashboards and reports:
one query per kind of row for every agency at once, rows as tuples, then the same pure functions
as ``pohon.realisasi.selectors.realisasi_tahun`` (``indikator_hitung``) compute each agency.

Why not ``realisasi_tahun`` itself: it reads one agency (ten queries each, so 400 for a Pemda of
40 agencies) and its windows, which the dashboards do not show."""

import uuid
from dataclasses import dataclass
from decimal import Decimal

from dinas.models import PerangkatDaerah
from pohon import rules
from pohon.models import Node, Pohon
from pohon.realisasi.models import LaporanTriwulan, Realisasi, RealisasiAnggaran, RencanaIndikator, TargetTriwulan
from pohon.realisasi.selectors import (
    Ambang,
    ButirRealisasi,
    RealisasiBaris,
    RealisasiTahun,
    ambang_for,
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
    "pk", "kunci", "parent_id", "jenis", "kode", "uraian", "unit_id", "pagu", "target_angka", "target_teks",
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


def _trees_nodes(pohon_ids: list[int]) -> tuple[dict[int, list[ButirRealisasi]], dict[int, dict[int, _Unit]]]:
    """Every visible node of several trees, each with the unit that answers for it, in one query
    ordered by (tree_id, lft): the same records as ``butir_realisasi`` gives for one tree; and the
    units the nodes name, per tree, from the same rows (the owner of a node is always some node's
    own unit)."""
    owner: dict[int, int | None] = {}
    result: dict[int, list[ButirRealisasi]] = {pk: [] for pk in pohon_ids}
    units: dict[int, dict[int, _Unit]] = {pk: {} for pk in pohon_ids}
    rows = Node.objects.filter(pohon_id__in=pohon_ids).order_by("tree_id", "lft").values_list(*_COLUMNS)
    for row in rows:
        pk, _kunci, parent_id, jenis, _kode, _uraian, unit_id = row[:7]
        pohon_id, unit_kode, unit_nama, unit_urutan = row[13:]
        pemilik = unit_id if unit_id is not None else owner.get(parent_id) if parent_id is not None else None
        owner[pk] = pemilik
        if unit_id is not None and unit_id not in units[pohon_id]:
            units[pohon_id][unit_id] = _Unit(unit_id, unit_kode, unit_nama, unit_urutan)
        if jenis == rules.AKAR:
            continue
        result[pohon_id].append(ButirRealisasi(*row[:7], pemilik, *row[7:13]))
    return result, units


def realisasi_baca(
    *, dinas_list: list[PerangkatDaerah], tahun: int, ambang: Ambang, jendela: dict | None = None
) -> dict[int, tuple[RealisasiTahun, str]]:
    """The year's reporting of every agency in ``dinas_list`` (all of one Pemda), each with its
    example-data notice: one query per kind of row for all of them, rows read as tuples (no model
    instances: 2,000 nodes with four quarters are some 9,000 rows), then computed by
    ``pohon.realisasi.selectors.realisasi_tahun_dari``. Eight queries whatever the sizes and the
    number of agencies; the windows (``jendela``) only when given, as the dashboards do not show them."""
    ids = [d.pk for d in dinas_list]
    trees: dict[int, Pohon] = {}
    approved = Pohon.objects.filter(dinas_id__in=ids, tahun=tahun, status=Pohon.Status.DISETUJUI)
    for pohon in approved.select_related("data_contoh").order_by("revisi"):
        trees[pohon.dinas_id] = pohon  # the newest approved revision wins
    nodes, units = _trees_nodes([p.pk for p in trees.values()])
    scope = {"dinas_id__in": ids, "tahun": tahun}
    rencana: dict[int, dict[uuid.UUID, _Rencana]] = {}
    for dinas_id, kunci, aturan, skala in RencanaIndikator.objects.filter(**scope).values_list(
        "dinas_id", "kunci", "aturan", "skala"
    ):
        rencana.setdefault(dinas_id, {})[kunci] = _Rencana(aturan, skala)
    targets: dict[int, dict[uuid.UUID, dict[int, object]]] = {}
    for dinas_id, kunci, tw, angka, teks in TargetTriwulan.objects.filter(**scope).values_list(
        "dinas_id", "kunci", "triwulan", "target_angka", "target_teks"
    ):
        targets.setdefault(dinas_id, {}).setdefault(kunci, {})[tw] = _nilai_of(angka, teks)
    realisasi: dict[int, dict[uuid.UUID, dict[int, RealisasiBaris]]] = {}
    for dinas_id, kunci, tw, angka, teks, *notes in Realisasi.objects.filter(**scope).values_list(
        "dinas_id", "kunci", "triwulan", "realisasi_angka", "realisasi_teks", "pendukung", "penghambat", "tindak_lanjut"
    ):
        realisasi.setdefault(dinas_id, {}).setdefault(kunci, {})[tw] = RealisasiBaris(_nilai_of(angka, teks), *notes)
    anggaran: dict[int, dict[uuid.UUID, dict[int, Decimal]]] = {}
    for dinas_id, kunci, tw, jumlah in RealisasiAnggaran.objects.filter(**scope).values_list(
        "dinas_id", "kunci", "triwulan", "jumlah"
    ):
        anggaran.setdefault(dinas_id, {}).setdefault(kunci, {})[tw] = jumlah
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
            units=units[pohon.pk],
            nodes=nodes[pohon.pk],
            rencana=rencana.get(dinas.pk, {}),
            targets=targets.get(dinas.pk, {}),
            realisasi=realisasi.get(dinas.pk, {}),
            anggaran=anggaran.get(dinas.pk, {}),
            laporan=laporan.get(dinas.pk, {}),
        )
        result[dinas.pk] = (data, mark.keterangan if mark is not None else "")
    return result
