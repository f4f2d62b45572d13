"""Reads for the Perjanjian Kinerja: what each unit's PK holds, taken from an approved tree read
once (``pohon.selectors.pohon_tree``), and the PKs a user may see.

Which unit signs at which level, with whom, and what it lists (DOMAIN.md, "The yearly cycle"
step 3):

- JPT, the agency's head (unit ``kepala``) with the Kepala Daerah: the head's Sasaran (Sasaran
  Strategis) with their Indikator, and every Program of the tree with its Pagu;
- Administrator, a Bidang or the Sekretariat with the head: its Sasaran (Sasaran Program) and
  the Programs of its units (its own and its sections') with their Kegiatan beneath;
- Pengawas, a Seksi or Subbagian with its Bidang or the Sekretariat: its Sasaran (Sasaran
  Kegiatan) and its Kegiatan with their Sub Kegiatan beneath.

Every Pagu is the tree's own roll-up (``PohonTree.totals``, ``pagu_rollup``): a line shows its
node's total, and JUMLAH is the unit's total in the tree: the sum of the totals of the topmost
nodes belonging to the unit or a unit below it (the head: the tree's total). That is the
"Jumlah Pagu" the chart shows on the unit's box.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from dinas.models import Pejabat, PerangkatDaerah, UnitKerja
from dinas.selectors import dinas_visible_to, pemda_kepala_daerah
from pohon import rules
from pohon.models import Node, Pohon
from pohon.money import rupiah
from pohon.perjanjian.models import PerjanjianBaris, PerjanjianKinerja
from pohon.selectors import PohonTree, TreeNode, pohon_tree

Tingkat = PerjanjianKinerja.Tingkat
Tabel = PerjanjianBaris.Tabel

TINGKAT_BY_UNIT = {
    UnitKerja.Jenis.KEPALA: Tingkat.JPT,
    UnitKerja.Jenis.BIDANG: Tingkat.ADMINISTRATOR,
    UnitKerja.Jenis.SEKRETARIAT: Tingkat.ADMINISTRATOR,
    UnitKerja.Jenis.SEKSI: Tingkat.PENGAWAS,
    UnitKerja.Jenis.SUBBAGIAN: Tingkat.PENGAWAS,
}

# The headings of the two tables, by level: what the regulation's PK forms call them.
SASARAN_LABEL = {
    Tingkat.JPT: "Sasaran Strategis",
    Tingkat.ADMINISTRATOR: "Sasaran Program",
    Tingkat.PENGAWAS: "Sasaran Kegiatan",
}
ANGGARAN_LABEL = {
    Tingkat.JPT: "Program",
    Tingkat.ADMINISTRATOR: "Program / Kegiatan",
    Tingkat.PENGAWAS: "Kegiatan / Sub Kegiatan",
}
# Which budget node heads a line of the anggaran table, and which kind is listed beneath it.
ANGGARAN_JENIS = {
    Tingkat.JPT: (rules.PROGRAM, None),
    Tingkat.ADMINISTRATOR: (rules.PROGRAM, rules.KEGIATAN),
    Tingkat.PENGAWAS: (rules.KEGIATAN, rules.SUB_KEGIATAN),
}


@dataclass(frozen=True)
class BarisPlan:
    """One line of a PK as generation writes it (``PerjanjianBaris``)."""

    tabel: str
    tingkat: int
    kunci: UUID
    jenis: str
    kode: str
    uraian: str
    target: str = ""
    satuan: str = ""
    pagu: Decimal | None = None

    def as_key(self) -> list:
        return [
            self.tabel,
            self.tingkat,
            str(self.kunci),
            self.jenis,
            self.kode,
            self.uraian,
            self.target,
            self.satuan,
            None if self.pagu is None else str(int(self.pagu)),
        ]


@dataclass
class PerjanjianPlan:
    """What one unit's PK would be, or why the unit gets none (``masalah``)."""

    unit: UnitKerja
    unit_nama: str
    tingkat: str
    pihak_pertama: Pejabat | None = None
    pihak_kedua: Pejabat | None = None
    baris: list[BarisPlan] = field(default_factory=list)
    jumlah_pagu: Decimal | None = None
    masalah: str = ""

    @property
    def sidik(self) -> str:
        """A digest of what the PK lists: equal digests, equal content."""
        data = [
            self.tingkat,
            [b.as_key() for b in self.baris],
            None if self.jumlah_pagu is None else str(self.jumlah_pagu),
        ]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()

    @property
    def jumlah_pagu_display(self) -> str:
        return rupiah(self.jumlah_pagu) or "-"

    @property
    def tingkat_label(self) -> str:
        return str(Tingkat(self.tingkat).label)


def _officials_by_unit(dinas: PerangkatDaerah, tahun: int) -> dict[int, list[Pejabat]]:
    """Every official of the agency's units in office in ``tahun``, by unit: one query."""
    rows = (
        Pejabat.objects.filter(unit__dinas=dinas, tahun_mulai__lte=tahun)
        .filter(Q(tahun_selesai__isnull=True) | Q(tahun_selesai__gte=tahun))
        .order_by("unit_id", "-tahun_mulai", "pk")
    )
    found: dict[int, list[Pejabat]] = {}
    for pejabat in rows:
        found.setdefault(pejabat.unit_id, []).append(pejabat)
    return found


def _unit_scopes(units: list[UnitKerja]) -> dict[int, set[int]]:
    """Each unit's id with the ids of every unit below it."""
    children: dict[int | None, list[int]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit.pk)
    scopes: dict[int, set[int]] = {}
    for unit in units:
        scope, stack = set(), [unit.pk]
        while stack:
            current = stack.pop()
            if current not in scope:
                scope.add(current)
                stack.extend(children.get(current, ()))
        scopes[unit.pk] = scope
    return scopes


def unit_total(tree: PohonTree, scope: set[int], *, whole_tree: bool = False) -> Decimal | None:
    """The tree's Pagu total for a unit: the tree's total for the head (``whole_tree``), else the
    sum of the roll-up totals of the topmost nodes of the units in ``scope`` (a node counts unless
    its parent already belongs to the scope, so nothing is counted twice). None without any Pagu."""
    if whole_tree:
        return tree.totals.get(tree.root.pk)
    found: list[Decimal] = []
    for node in tree.nodes:
        if node.unit_id not in scope:
            continue
        parent = tree.parent_of(node)
        if parent is not None and parent.unit_id in scope:
            continue
        total = tree.total_of(node)
        if total is not None:
            found.append(total)
    return sum(found, Decimal(0)) if found else None


def _content(
    tree: PohonTree, kunci: dict[int, UUID], unit: UnitKerja, tingkat: str, scope: set[int]
) -> tuple[list[BarisPlan], Decimal | None]:
    head = tingkat == Tingkat.JPT

    def line(tabel: str, depth: int, node: TreeNode, *, pagu: bool = False) -> BarisPlan:
        return BarisPlan(
            tabel=tabel,
            tingkat=depth,
            kunci=kunci[node.pk],
            jenis=node.jenis,
            kode=node.kode,
            uraian=node.uraian,
            target=node.target_display,
            satuan=node.satuan,
            pagu=tree.total_of(node) if pagu else None,
        )

    kinerja: list[BarisPlan] = []
    anggaran: list[BarisPlan] = []
    heads, beneath = ANGGARAN_JENIS[tingkat]
    for node in tree.nodes:  # tree order
        if node.jenis == rules.SASARAN and node.unit_id == unit.pk:
            kinerja.append(line(Tabel.KINERJA, 0, node))
            kinerja.extend(
                line(Tabel.KINERJA, 1, child) for child in tree.children_of(node) if child.jenis == rules.INDIKATOR
            )
        elif node.jenis == heads and (head or node.unit_id in scope):
            anggaran.append(line(Tabel.ANGGARAN, 0, node, pagu=True))
            if beneath:
                anggaran.extend(
                    line(Tabel.ANGGARAN, 1, child, pagu=True)
                    for child in tree.children_of(node)
                    if child.jenis == beneath
                )
    return kinerja + anggaran, unit_total(tree, scope, whole_tree=head)


def perjanjian_plans(pohon: Pohon, tree: PohonTree | None = None) -> list[PerjanjianPlan]:
    """One plan per structural unit of the agency, in the units' order: its level, both parties
    and its lines, or the reason it gets no PK (no official in the tree's year, or more than
    one; no official above it; nothing of it in the tree). A fixed number of queries."""
    tree = tree or pohon_tree(pohon)
    dinas, tahun = pohon.dinas, pohon.tahun
    units = list(UnitKerja.objects.filter(dinas=dinas).order_by("urutan", "id"))
    by_id = {unit.pk: unit for unit in units}
    scopes = _unit_scopes(units)
    officials = _officials_by_unit(dinas, tahun)
    kunci = dict(Node.objects.filter(pohon=pohon).values_list("pk", "kunci"))
    kepala_daerah = pemda_kepala_daerah(dinas.pemda, tahun)
    frozen_names = {int(pk): nama for pk, nama in (tree_unit_names(pohon) or {}).items()}
    plans: list[PerjanjianPlan] = []
    for unit in units:
        tingkat = TINGKAT_BY_UNIT.get(unit.jenis)
        if tingkat is None:
            continue
        plan = PerjanjianPlan(unit=unit, unit_nama=frozen_names.get(unit.pk, unit.nama), tingkat=tingkat)
        plans.append(plan)
        plan.baris, plan.jumlah_pagu = _content(tree, kunci, unit, tingkat, scopes[unit.pk])
        held = officials.get(unit.pk, [])
        if not held:
            plan.masalah = _("Belum ada pejabat %(unit)s yang menjabat pada tahun %(tahun)s; isi data pejabatnya.") % {
                "unit": unit.nama,
                "tahun": tahun,
            }
            continue
        if len(held) > 1:
            plan.masalah = _(
                "Ada %(n)d pejabat %(unit)s yang menjabat pada tahun %(tahun)s (%(nama)s); "
                "perbaiki masa jabatannya agar tinggal satu."
            ) % {"n": len(held), "unit": unit.nama, "tahun": tahun, "nama": ", ".join(p.nama for p in held)}
            continue
        plan.pihak_pertama = held[0]
        if tingkat == Tingkat.JPT:
            plan.pihak_kedua = kepala_daerah
            if kepala_daerah is None:
                plan.masalah = _(
                    "Belum ada Kepala Daerah %(pemda)s yang menjabat pada tahun %(tahun)s; isi data Pemda."
                ) % {"pemda": dinas.pemda.nama, "tahun": tahun}
                continue
        else:
            parent = by_id.get(unit.parent_id)
            above = officials.get(parent.pk, []) if parent is not None else []
            if len(above) != 1:
                plan.masalah = _(
                    "Atasan %(unit)s (%(atasan)s) belum memiliki tepat satu pejabat pada tahun %(tahun)s."
                ) % {"unit": unit.nama, "atasan": parent.nama if parent else "-", "tahun": tahun}
                continue
            plan.pihak_kedua = above[0]
        if not plan.baris:
            plan.masalah = _("%(unit)s tidak memiliki Sasaran maupun anggaran di pohon kinerja ini.") % {
                "unit": unit.nama
            }
    return plans


def tree_unit_names(pohon: Pohon) -> dict[str, str] | None:
    """The unit names the tree's approval froze (None for a tree not approved)."""
    from pohon.selectors import pohon_approval

    pengesahan = pohon_approval(pohon)
    return pengesahan.unit_nama if pengesahan is not None else None


def perjanjian_queryset() -> QuerySet[PerjanjianKinerja]:
    return PerjanjianKinerja.objects.select_related(
        "dinas__pemda", "unit", "pohon", "pihak_pertama", "pihak_kedua", "dokumen", "menggantikan__dokumen"
    )


def perjanjian_for_dinas(dinas: PerangkatDaerah, tahun: int) -> list[PerjanjianKinerja]:
    """Every PK of an agency and year, current and replaced, in the units' order, newest first
    within a unit: one query (the replacing PK read with it)."""
    return list(
        perjanjian_queryset()
        .filter(dinas=dinas, tahun=tahun)
        .select_related("pengganti")
        .order_by("unit__urutan", "unit_id", "-pohon__revisi", "-id")
    )


def perjanjian_current(dinas: PerangkatDaerah, tahun: int) -> dict[int, PerjanjianKinerja]:
    """Each unit's PK now in force or in progress (the newest that nothing replaces), by unit id."""
    return perjanjian_current_of(perjanjian_for_dinas(dinas, tahun))


def perjanjian_current_of(every: list[PerjanjianKinerja]) -> dict[int, PerjanjianKinerja]:
    """The newest PK per unit of ``every`` (as ``perjanjian_for_dinas`` orders them)."""
    current: dict[int, PerjanjianKinerja] = {}
    for pk in every:
        current.setdefault(pk.unit_id, pk)
    return current


def dinas_for_user(user, dinas_kode: str) -> PerangkatDaerah:
    """An agency the user belongs to; Http404 otherwise (no hint that it exists)."""
    dinas = dinas_visible_to(user).filter(kode=dinas_kode).select_related("pemda").first()
    if dinas is None:
        raise Http404("Perangkat Daerah tidak ditemukan.")
    return dinas


def perjanjian_for_user(user, *, dinas_kode: str, tahun: int, pk: int) -> PerjanjianKinerja:
    """A PK of an agency the user belongs to; Http404 otherwise."""
    perjanjian = (
        perjanjian_queryset()
        .filter(pk=pk, tahun=tahun, dinas__kode=dinas_kode, dinas__in=dinas_visible_to(user))
        .prefetch_related(
            Prefetch("baris", queryset=PerjanjianBaris.objects.order_by("tabel", "urutan")),
            "riwayat",
            "dokumen__penandatangan",
        )
        .first()
    )
    if perjanjian is None:
        raise Http404("Perjanjian Kinerja tidak ditemukan.")
    return perjanjian


def pohon_approved_latest(dinas: PerangkatDaerah, tahun: int) -> Pohon | None:
    """The newest approved revision of the agency's tree for the year: what PKs are made from."""
    return (
        Pohon.objects.filter(dinas=dinas, tahun=tahun, status=Pohon.Status.DISETUJUI)
        .select_related("dinas__pemda", "pengesahan__dokumen")
        .order_by("-revisi")
        .first()
    )


def perjanjian_tables(perjanjian: PerjanjianKinerja) -> tuple[list[PerjanjianBaris], list[PerjanjianBaris]]:
    """The PK's two tables (kinerja, anggaran) from its frozen lines (prefetched when read by
    ``perjanjian_for_user``)."""
    lines = sorted(perjanjian.baris.all(), key=lambda b: (b.tabel, b.urutan))
    return [b for b in lines if b.tabel == Tabel.KINERJA], [b for b in lines if b.tabel == Tabel.ANGGARAN]


@dataclass(frozen=True)
class SasaranRow:
    """A Sasaran with its Indikator: one row per Indikator, the Sasaran's cell spanning them."""

    nomor: int
    sasaran: PerjanjianBaris
    indikator: list[PerjanjianBaris]

    @property
    def rowspan(self) -> int:
        return max(1, len(self.indikator))


def sasaran_rows(lines: list[PerjanjianBaris]) -> list[SasaranRow]:
    rows: list[SasaranRow] = []
    for line in lines:
        if line.tingkat == 0:
            rows.append(SasaranRow(nomor=len(rows) + 1, sasaran=line, indikator=[]))
        elif rows:
            rows[-1].indikator.append(line)
    return rows


def anggaran_rows(lines: list[PerjanjianBaris]) -> list[tuple[str, PerjanjianBaris]]:
    """(number, line): "1", "2" for the heading lines, "" for the lines beneath them."""
    rows, number = [], 0
    for line in lines:
        if line.tingkat == 0:
            number += 1
            rows.append((str(number), line))
        else:
            rows.append(("", line))
    return rows


def perjanjian_context(perjanjian: PerjanjianKinerja) -> dict:
    """What the PK's tables show: shared by the PDF and the PK's page."""
    kinerja, anggaran = perjanjian_tables(perjanjian)
    return {
        "perjanjian": perjanjian,
        "sasaran_label": SASARAN_LABEL[perjanjian.tingkat],
        "anggaran_label": ANGGARAN_LABEL[perjanjian.tingkat],
        "sasaran_rows": sasaran_rows(kinerja),
        "anggaran_rows": anggaran_rows(anggaran),
        "jumlah": rupiah(perjanjian.jumlah_pagu) or "-",
        "is_perubahan": perjanjian.jenis == PerjanjianKinerja.Jenis.PERUBAHAN,
    }


def perjanjian_unit_links(pohon: Pohon) -> dict[int, str]:
    """For the chart of an approved tree: each unit's link to its PK (``pohon:perjanjian_unit``,
    which finds the unit's current PK or explains there is none). Nothing for other trees: PKs
    are made from approved trees only. One query for the unit ids."""
    if pohon.status != Pohon.Status.DISETUJUI:
        return {}
    from django.urls import reverse

    base = reverse("pohon:perjanjian_unit", args=[pohon.dinas.kode, pohon.tahun, 0]).removesuffix("0/")
    return {
        unit_id: f"{base}{unit_id}/"
        for unit_id in UnitKerja.objects.filter(dinas_id=pohon.dinas_id).values_list("pk", flat=True)
    }
