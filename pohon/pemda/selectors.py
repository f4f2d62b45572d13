"""Reads of Pemda trees: which tree covers a year, the IKU's yearly targets, a Pemda's page."""

import uuid
from dataclasses import dataclass

from dinas.models import Pemda, PerangkatDaerah
from pohon import rules
from pohon.models import Node, Pohon, TargetTahunan


def pemda_pemilik(pemda: Pemda) -> PerangkatDaerah | None:
    """The Pemda's owner record (the owner of its trees), or None before its first tree."""
    return PerangkatDaerah.objects.pemda_owners().filter(pemda=pemda).first()


def pemda_pohon_for_tahun(pemda: Pemda, tahun: int, *, revisi: int | None = None) -> Pohon | None:
    """The Pemda tree whose RPJMD period covers ``tahun``: its newest revision (or ``revisi``).
    This is how an agency's tree of a year finds the Pemda tree it supports."""
    trees = Pohon.objects.filter(
        dinas__pemda=pemda,
        dinas__jenis=PerangkatDaerah.Jenis.PEMDA,
        tahun__lte=tahun,
        tahun_akhir__gte=tahun,
    ).select_related("dinas__pemda")
    if revisi is not None:
        return trees.filter(revisi=revisi).first()
    return trees.order_by("-revisi").first()


def pemda_pohon_list(pemda: Pemda) -> list[Pohon]:
    """Every Pemda tree of the Pemda (each period, each revision), newest period first."""
    return list(
        Pohon.objects.filter(dinas__pemda=pemda, dinas__jenis=PerangkatDaerah.Jenis.PEMDA)
        .select_related("dinas__pemda")
        .order_by("-tahun", "-revisi")
    )


def target_tahunan_map(pohon: Pohon) -> dict[uuid.UUID, dict[int, TargetTahunan]]:
    """kunci -> tahun -> target, for the whole tree in one query."""
    result: dict[uuid.UUID, dict[int, TargetTahunan]] = {}
    for target in TargetTahunan.objects.filter(pohon=pohon):
        result.setdefault(target.kunci, {})[target.tahun] = target
    return result


@dataclass(frozen=True)
class TargetCell:
    tahun: int
    display: str


def target_tahunan_cells(pohon: Pohon, kunci: uuid.UUID, satuan: str = "") -> list[TargetCell]:
    """One Indikator's targets, a cell per year of the period ("" where none), with its satuan."""
    per_year = {t.tahun: t.display for t in TargetTahunan.objects.filter(pohon=pohon, kunci=kunci)}
    return [
        TargetCell(tahun, f"{per_year[tahun]} {satuan}".strip() if per_year.get(tahun) else "")
        for tahun in pohon.periode
    ]


@dataclass(frozen=True)
class IndikatorTahunan:
    """A Pemda node's Indikator (IKU) as its panel lists it: kode, uraian, a target per year."""

    kode: str
    uraian: str
    satuan: str
    targets: list[TargetCell]


def pemda_node_indikator(node) -> list[IndikatorTahunan]:
    """The Indikator directly under a Pemda tree's node (a Tujuan or Sasaran Pemda), each with its
    targets for every year of the period: two queries whatever the number of Indikator."""
    pohon = node.pohon
    indikator = list(Node.objects.filter(parent=node, jenis=rules.INDIKATOR).order_by("lft"))
    if not indikator:
        return []
    per_kunci: dict[uuid.UUID, dict[int, str]] = {}
    for target in TargetTahunan.objects.filter(pohon=pohon, kunci__in=[i.kunci for i in indikator]):
        per_kunci.setdefault(target.kunci, {})[target.tahun] = target.display
    result = []
    for item in indikator:
        years = per_kunci.get(item.kunci, {})
        cells = [
            TargetCell(tahun, f"{years[tahun]} {item.satuan}".strip() if years.get(tahun) else "")
            for tahun in pohon.periode
        ]
        result.append(IndikatorTahunan(item.kode, item.uraian, item.satuan, cells))
    return result
