"""Writing the seed document into the database through ``pohon.services`` (see ``pohon.demo``)."""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from dinas.models import Pejabat, Pemda, PerangkatDaerah, UnitKerja
from dinas.nip import nip_normalize
from dinas.services import (
    dinas_create,
    dinas_update,
    pejabat_create,
    pejabat_update,
    pemda_create,
    pemda_update,
    unit_create,
    unit_update,
)
from pohon import rules
from pohon.demo.seed import CascadeDocument, SeedFormatError, Statement, demo_document
from pohon.history import riwayat_peristiwa
from pohon.models import Node, Pohon
from pohon.selectors import pohon_tree
from pohon.services import node_create, node_delete, pohon_create
from pohon.targets import target_parse

DINAS_KODE = "dpmd-lumajang"
DINAS_NAMA = "Dinas Pemberdayaan Masyarakat dan Desa"
DINAS_PEMDA = "Kabupaten Lumajang"
KEPALA_UNIT = "kepala"

# Heading prefix -> unit name prefix and jenis. The printed headings name the position ("KASIE
# ..."); the unit is named for the office ("Seksi ...").
_UNIT_HEADINGS = (
    ("KEPALA BIDANG ", "Bidang", UnitKerja.Jenis.BIDANG),
    ("SEKRETARIAT", "Sekretariat", UnitKerja.Jenis.SEKRETARIAT),
    ("KASIE ", "Seksi", UnitKerja.Jenis.SEKSI),
    ("KASUBAG ", "Subbagian", UnitKerja.Jenis.SUBBAGIAN),
)
_ACRONYMS = frozenset({"TTG", "SDA"})  # Teknologi Tepat Guna, Sumber Daya Alam
_LOWERCASE = frozenset({"DAN"})


@dataclass(frozen=True)
class UnitPlan:
    kode: str
    nama: str
    jenis: str
    parent_kode: str | None
    urutan: int


@dataclass(frozen=True)
class NodePlan:
    """One node to create, in creation order (a parent always comes before its children)."""

    kode: str
    parent_kode: str | None
    jenis: str
    uraian: str
    unit_kode: str | None
    pagu: Decimal | None = None
    target: str = ""
    satuan: str = ""


@dataclass(frozen=True)
class DemoResult:
    document: CascadeDocument
    dinas: PerangkatDaerah
    pohon: Pohon
    pejabat: Pejabat
    rebuilt: bool  # False: the tree already matched the document and was left as it was


def unit_of(heading: str) -> UnitPlan:
    """The unit a box heading stands for: ``"KASIE TTG DAN SDA"`` -> kode ``seksi-ttg-dan-sda``,
    nama ``Seksi TTG dan SDA``, jenis ``seksi`` (parent and urutan are set by ``demo_units``)."""
    for prefix, office, jenis in _UNIT_HEADINGS:
        if heading.startswith(prefix):
            words = [
                word if word in _ACRONYMS else word.lower() if word in _LOWERCASE else word.capitalize()
                for word in heading[len(prefix) :].split()
            ]
            nama = " ".join([office, *words])
            return UnitPlan(kode=slugify(nama), nama=nama, jenis=jenis, parent_kode=None, urutan=0)
    raise SeedFormatError(f"heading {heading!r} names no known unit (Bidang, Sekretariat, Seksi, Subbagian)")


def demo_units(document: CascadeDocument) -> list[UnitPlan]:
    """The head, the divisions and the sections, numbered (urutan) in the document's reading order."""
    plans = [UnitPlan(KEPALA_UNIT, "Kepala Dinas", UnitKerja.Jenis.KEPALA, None, 0)]
    for division in document.divisions:
        plans.append(replace(unit_of(division.heading), parent_kode=KEPALA_UNIT, urutan=len(plans)))
    for division in document.divisions:
        parent = unit_of(division.heading).kode
        for section in division.sections:
            plans.append(replace(unit_of(section.heading), parent_kode=parent, urutan=len(plans)))
    return plans


def demo_nodes(document: CascadeDocument) -> list[NodePlan]:
    """The tree, with kodes that say where a node sits: ``T1`` the Tujuan, ``T1.S2`` its second
    Sasaran, ``B3`` the third division, ``B3.P1`` its first Program, ``B3.K2`` its second section,
    ``B3.K2.G4`` that section's fourth Kegiatan, ``B3.K2.S1.I5`` the fifth Indikator of its Sasaran."""
    plans: list[NodePlan] = []

    def add_statement(jenis: str, kode: str, parent: str, statement: Statement, unit: str) -> None:
        plans.append(NodePlan(kode, parent, jenis, statement.uraian, unit))
        for number, indikator in enumerate(statement.indikator, start=1):
            plans.append(NodePlan(f"{kode}.I{number}", kode, rules.INDIKATOR, indikator, unit))

    head = document.head
    plans.append(NodePlan("T1", None, rules.TUJUAN, head.tujuan.uraian, KEPALA_UNIT))
    for number, indikator in enumerate(head.tujuan.indikator, start=1):
        plans.append(NodePlan(f"T1.I{number}", "T1", rules.INDIKATOR, indikator, KEPALA_UNIT))
    for number, sasaran in enumerate(head.sasaran, start=1):
        add_statement(rules.SASARAN, f"T1.S{number}", "T1", sasaran, KEPALA_UNIT)
    for b, division in enumerate(document.divisions, start=1):
        bidang, unit = f"B{b}", unit_of(division.heading).kode
        plans.append(NodePlan(bidang, "T1", rules.BIDANG, division.heading, unit))
        for p, program in enumerate(division.programs, start=1):
            plans.append(NodePlan(f"{bidang}.P{p}", bidang, rules.PROGRAM, program.uraian, unit, program.pagu))
        for s, sasaran in enumerate(division.sasaran, start=1):
            add_statement(rules.SASARAN, f"{bidang}.S{s}", bidang, sasaran, unit)
        for k, section in enumerate(division.sections, start=1):
            seksi, section_unit = f"{bidang}.K{k}", unit_of(section.heading).kode
            plans.append(NodePlan(seksi, bidang, rules.SEKSI, section.heading, section_unit))
            for g, kegiatan in enumerate(section.kegiatan, start=1):
                plans.append(NodePlan(f"{seksi}.G{g}", seksi, rules.KEGIATAN, kegiatan, section_unit))
            for s, sasaran in enumerate(section.sasaran, start=1):
                add_statement(rules.SASARAN, f"{seksi}.S{s}", seksi, sasaran, section_unit)
    return plans


def pohon_as_plan(pohon: Pohon) -> list[NodePlan]:
    """An existing tree in the same shape as ``demo_nodes``, read in one query, for comparison."""
    tree = pohon_tree(pohon)
    # The units' kode as they are now: an approved tree's nodes carry only the frozen names.
    unit_kode = dict(UnitKerja.objects.filter(dinas_id=pohon.dinas_id).values_list("pk", "kode"))
    plans = []
    for node, _depth in tree.walk():
        parent = tree.parent_of(node)
        plans.append(
            NodePlan(
                kode=node.kode,
                parent_kode=parent.kode if parent else None,
                jenis=node.jenis,
                uraian=node.uraian,
                unit_kode=unit_kode.get(node.unit_id) if node.unit_id is not None else None,
                pagu=node.pagu,
                target=node.target_display,
                satuan=node.satuan,
            )
        )
    return plans


def _pemda_ensure(document: CascadeDocument) -> Pemda:
    pemda = Pemda.objects.filter(nama=DINAS_PEMDA).first()
    if pemda is None:
        return pemda_create(nama=DINAS_PEMDA, tempat=document.signature.place)
    return pemda_update(pemda=pemda, data={"tempat": document.signature.place})


def _dinas_ensure(document: CascadeDocument, pemda: Pemda) -> PerangkatDaerah:
    values = {"nama": DINAS_NAMA, "pemda": pemda, "tempat": document.signature.place}
    dinas = PerangkatDaerah.objects.filter(kode=DINAS_KODE).first()
    if dinas is None:
        return dinas_create(kode=DINAS_KODE, **values)
    return dinas_update(dinas=dinas, data=values)


def _units_ensure(dinas: PerangkatDaerah, plans: list[UnitPlan]) -> dict[str, UnitKerja]:
    existing = {unit.kode: unit for unit in UnitKerja.objects.filter(dinas=dinas)}
    units: dict[str, UnitKerja] = {}
    for plan in plans:  # parents come first in the plan
        values = {
            "nama": plan.nama,
            "jenis": plan.jenis,
            "urutan": plan.urutan,
            "parent": units[plan.parent_kode] if plan.parent_kode else None,
        }
        unit = existing.get(plan.kode)
        if unit is None:
            units[plan.kode] = unit_create(dinas=dinas, kode=plan.kode, **values)
        else:
            units[plan.kode] = unit_update(unit=unit, data=values)
    return units


def _pejabat_ensure(document: CascadeDocument, kepala: UnitKerja) -> Pejabat:
    signature = document.signature
    nip = nip_normalize(signature.nip)
    values = {
        "nama": signature.name,
        "jabatan": f"Kepala {DINAS_NAMA} {DINAS_PEMDA}",
        "tahun_mulai": document.tahun,
        "tahun_selesai": None,
    }
    pejabat = Pejabat.objects.filter(unit=kepala, nip=nip).first()
    if pejabat is None:
        return pejabat_create(unit=kepala, nip=nip, **values)
    return pejabat_update(pejabat=pejabat, data=values)


def _pohon_ensure(
    dinas: PerangkatDaerah, tahun: int, plans: list[NodePlan], units: dict[str, UnitKerja]
) -> tuple[Pohon, bool]:
    """Leave a tree that already matches the document; otherwise empty it and build it again,
    node by node through the services: one event in the history (``riwayat_peristiwa``).

    Emptying goes through ``node_delete`` too, so a tree that was approved meanwhile refuses
    (ValidationError) instead of being silently replaced."""
    pohon = Pohon.objects.filter(dinas=dinas, tahun=tahun, revisi=0).first()
    if pohon is None:
        pohon = pohon_create(dinas=dinas, tahun=tahun)
    elif pohon_as_plan(pohon) == plans:
        return pohon, False
    with riwayat_peristiwa():
        _pohon_build(pohon, plans, units)
    return pohon, True


def _pohon_build(pohon: Pohon, plans: list[NodePlan], units: dict[str, UnitKerja]) -> None:
    for top in Node.objects.filter(pohon=pohon, level=1):
        node_delete(node=top)
    created: dict[str, Node] = {}
    for plan in plans:
        target = target_parse(plan.target, plan.satuan)  # the seed has none: empty
        created[plan.kode] = node_create(
            pohon=pohon,
            parent=created[plan.parent_kode] if plan.parent_kode else None,
            jenis=plan.jenis,
            uraian=plan.uraian,
            kode=plan.kode,
            unit=units[plan.unit_kode] if plan.unit_kode else None,
            pagu=plan.pagu,
            target_angka=target.angka,
            target_teks=target.teks,
            satuan=target.satuan,
        )


@transaction.atomic
def demo_load(document: CascadeDocument | None = None) -> DemoResult:
    """Create or bring back to the document's state: the Pemda (Kabupaten Lumajang), the
    agency, its units, its head and the tree (all written through ``dinas.services``). Running
    it again changes nothing; a tree edited since is rebuilt from the document."""
    document = document or demo_document()
    dinas = _dinas_ensure(document, _pemda_ensure(document))
    units = _units_ensure(dinas, demo_units(document))
    pejabat = _pejabat_ensure(document, units[KEPALA_UNIT])
    pohon, rebuilt = _pohon_ensure(dinas, document.tahun, demo_nodes(document), units)
    return DemoResult(document=document, dinas=dinas, pohon=pohon, pejabat=pejabat, rebuilt=rebuilt)
