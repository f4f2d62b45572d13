"""Generated trees of a realistic shape, for benchmarks and tests of large trees.

Trees take the seed's form: a head box (Tujuan, its Indikator, two Sasaran with Indikator), then
divisions (Bidang) with Programs carrying Pagu, a Sasaran with Indikator, and sections (Seksi) with
Kegiatan, Sub Kegiatan, a Sasaran and Indikator. The nodes are written in bulk by
``tree_bulk_insert``, which checks the tree's consistency afterwards.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from dinas.models import PerangkatDaerah, UnitKerja
from pohon import rules
from pohon.models import Pohon
from pohon.services import NodeRow, pohon_create, tree_bulk_insert


@dataclass
class _Spec:
    jenis: str
    uraian: str
    kode: str
    pagu: Decimal | None = None
    unit: UnitKerja | None = None
    children: list["_Spec"] | None = None


def sample_shape(size: int) -> tuple[int, int, int]:
    """(divisions, sections per division, kegiatan per section) giving about ``size`` nodes."""
    divisions = 4 if size < 1000 else (8 if size < 10_000 else 24)
    sections = 3 if size < 1000 else (4 if size < 10_000 else 5)
    base = 6 + divisions * (1 + 3 + 4 + sections * 4)  # head, division boxes, sections' own nodes
    per_kegiatan = divisions * sections * 3  # kegiatan, its sub kegiatan, its indikator
    kegiatan = max(1, round((size - base) / per_kegiatan))
    return divisions, sections, kegiatan


def _units(dinas: PerangkatDaerah, divisions: int, sections: int) -> dict[str, UnitKerja]:
    units: dict[str, UnitKerja] = {}
    kepala, _ = UnitKerja.objects.get_or_create(
        dinas=dinas, kode="kepala", defaults={"nama": "Kepala Dinas", "jenis": UnitKerja.Jenis.KEPALA}
    )
    units["kepala"] = kepala
    for d in range(1, divisions + 1):
        bidang, _ = UnitKerja.objects.get_or_create(
            dinas=dinas,
            kode=f"bidang-{d}",
            defaults={"nama": f"Bidang {d}", "jenis": UnitKerja.Jenis.BIDANG, "parent": kepala, "urutan": d},
        )
        units[f"B{d}"] = bidang
        for s in range(1, sections + 1):
            units[f"B{d}.S{s}"], _ = UnitKerja.objects.get_or_create(
                dinas=dinas,
                kode=f"seksi-{d}-{s}",
                defaults={"nama": f"Seksi {d}.{s}", "jenis": UnitKerja.Jenis.SEKSI, "parent": bidang, "urutan": s},
            )
    return units


def _spec(divisions: int, sections: int, kegiatan: int, units: dict[str, UnitKerja]) -> list[_Spec]:
    head = units["kepala"]
    tujuan = _Spec(rules.TUJUAN, "Meningkatnya keberdayaan masyarakat dan desa", "T1", unit=head, children=[])
    tujuan.children.append(_Spec(rules.INDIKATOR, "Penurunan jumlah desa tertinggal", "T1.I1", unit=head))
    for s in (1, 2):
        tujuan.children.append(
            _Spec(
                rules.SASARAN,
                f"Sasaran strategis {s}",
                f"T1.S{s}",
                unit=head,
                children=[_Spec(rules.INDIKATOR, f"Indikator sasaran {s}", f"T1.S{s}.I1", unit=head)],
            )
        )
    for d in range(1, divisions + 1):
        unit = units[f"B{d}"]
        bidang = _Spec(rules.BIDANG, f"KEPALA BIDANG {d}", f"B{d}", unit=unit, children=[])
        for p in range(1, 4):
            bidang.children.append(
                _Spec(
                    rules.PROGRAM,
                    f"Program {d}.{p} peningkatan layanan",
                    f"B{d}.P{p}",
                    pagu=Decimal(100_000_000 * p + 1_000_000 * d),
                    unit=unit,
                )
            )
        bidang.children.append(
            _Spec(
                rules.SASARAN,
                f"Meningkatnya kinerja bidang {d}",
                f"B{d}.S",
                unit=unit,
                children=[
                    _Spec(rules.INDIKATOR, f"Indikator bidang {d}.{i}", f"B{d}.S.I{i}", unit=unit) for i in (1, 2, 3)
                ],
            )
        )
        for s in range(1, sections + 1):
            section_unit = units[f"B{d}.S{s}"]
            prefix = f"B{d}.K{s}"
            seksi = _Spec(rules.SEKSI, f"KASIE {d}.{s}", prefix, unit=section_unit, children=[])
            for k in range(1, kegiatan + 1):
                seksi.children.append(
                    _Spec(
                        rules.KEGIATAN,
                        f"Kegiatan {d}.{s}.{k} fasilitasi dan pembinaan desa",
                        f"{prefix}.G{k}",
                        unit=section_unit,
                        children=[
                            _Spec(
                                rules.SUB_KEGIATAN,
                                f"Sub kegiatan {d}.{s}.{k}",
                                f"{prefix}.G{k}.1",
                                pagu=Decimal(5_000_000 + 1000 * k),
                                unit=section_unit,
                            ),
                            _Spec(
                                rules.INDIKATOR,
                                f"Jumlah desa terbina {d}.{s}.{k}",
                                f"{prefix}.G{k}.I",
                                unit=section_unit,
                            ),
                        ],
                    )
                )
            seksi.children.append(
                _Spec(
                    rules.SASARAN,
                    f"Meningkatnya peran seksi {d}.{s}",
                    f"{prefix}.S",
                    unit=section_unit,
                    children=[
                        _Spec(rules.INDIKATOR, f"Indikator seksi {d}.{s}.{i}", f"{prefix}.S.I{i}", unit=section_unit)
                        for i in (1, 2)
                    ],
                )
            )
            bidang.children.append(seksi)
        tujuan.children.append(bidang)
    return [tujuan]


@transaction.atomic
def sample_tree_create(*, dinas: PerangkatDaerah, tahun: int, size: int) -> Pohon:
    """A new tree of about ``size`` nodes for ``dinas`` and ``tahun``."""
    divisions, sections, kegiatan = sample_shape(size)
    units = _units(dinas, divisions, sections)
    pohon = pohon_create(dinas=dinas, tahun=tahun)
    rows: list[NodeRow] = []

    def place(spec: _Spec, parent: int | None) -> None:
        rows.append(NodeRow(parent, spec.jenis, spec.kode, spec.uraian, spec.unit.pk if spec.unit else None, spec.pagu))
        index = len(rows) - 1
        for child in spec.children or ():
            place(child, index)

    for spec in _spec(divisions, sections, kegiatan, units):
        place(spec, None)
    tree_bulk_insert(pohon=pohon, rows=rows)
    return pohon
