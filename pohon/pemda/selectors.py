"""Reads of Pemda trees: which tree covers a year, the IKU's yearly targets, a Pemda's page."""

import uuid
from dataclasses import dataclass

from dinas.models import Pemda, PerangkatDaerah
from pohon.models import Pohon, TargetTahunan


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
