"""The demo data: the 2018 cascade of the DPMD Kabupaten Lumajang, read from its printed table.

The seed (``fixtures/seed/dpmd-lumajang-2018.txt``) is the text of a printed, signed cascade. The
parser turns it into plain frozen dataclasses, so the reading can be tested without a database and
every wording, typo and budget stays exactly the document's. The loader writes the tree only through
``pohon.services``, so the rule table checks each demo node exactly as it checks a user's edit.

How the text is laid out: the printed table is a grid of eleven columns, one line per row, cells
separated by single tabs (an empty cell is an empty string between two tabs). A box that spans
several columns sits in its first column; that is how a division's sections are found (every
section column from the division's own column up to the next division's column) without the
groups 3, 3, 3, 2 being written anywhere in the code.
"""

import datetime
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from dinas.models import Pejabat, PerangkatDaerah, UnitKerja
from dinas.nip import nip_normalize
from pohon import rules
from pohon.formatting import BULAN
from pohon.models import Node, Pohon
from pohon.money import pagu_parse
from pohon.selectors import pohon_tree
from pohon.services import node_create, node_delete, pohon_create

SEED_PATH: Path = settings.BASE_DIR / "fixtures" / "seed" / "dpmd-lumajang-2018.txt"


class SeedFormatError(ValueError):
    """The text does not have the printed table's shape; the message says where it differs."""


# --- The document, as plain data --------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """A Tujuan or Sasaran with the indicators the same box lists for it."""

    uraian: str
    indikator: tuple[str, ...] = ()


@dataclass(frozen=True)
class Program:
    uraian: str
    pagu: Decimal | None


@dataclass(frozen=True)
class Section:
    """A Seksi or Subbagian box: the Kegiatan it carries out and its own Sasaran."""

    heading: str
    kegiatan: tuple[str, ...]
    sasaran: tuple[Statement, ...]


@dataclass(frozen=True)
class Division:
    """A Bidang or the Sekretariat: its budgeted Programs, its Sasaran and its sections."""

    heading: str
    programs: tuple[Program, ...]
    sasaran: tuple[Statement, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class HeadBox:
    heading: str
    tujuan: Statement
    sasaran: tuple[Statement, ...]


@dataclass(frozen=True)
class Signature:
    statement: str
    place: str
    date: datetime.date
    title_lines: tuple[str, ...]
    name: str
    nip: str  # as printed: "19740910 199412 1 001"


@dataclass(frozen=True)
class CascadeDocument:
    title: str
    tahun: int
    head: HeadBox
    divisions: tuple[Division, ...]
    signature: Signature

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(section for division in self.divisions for section in division.sections)


# --- Reading the text -------------------------------------------------------------------------

_LABEL = re.compile(r"\b(TUJUAN|SASARAN|INDIKATOR|KEGIATAN)(?:\s+\d+)?\s*:")
_PROGRAM_PAGU = re.compile(r"^(?P<uraian>.+?)\s*\((?P<pagu>Rp\.?\s*[\d.,]+)\)$")
_PARAGRAPH_TAG = re.compile(r"</?p>")
_TABLE_RULE = re.compile(r"^-+$")
_PLACE_DATE = re.compile(r"^(?P<place>[^,]+),\s*(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\s+(?P<year>\d{4})$")
_MONTHS = {name.lower(): number for number, name in enumerate(BULAN, start=1)}


def split_numbered(text: str) -> list[str]:
    """Split ``"1. A 2. B 3. C"`` into ``["A", "B", "C"]``; text not starting with ``1.`` is one item.

    Only the next expected number starts a new item, and only where it stands alone (at the start
    or after whitespace) followed by a dot and whitespace. So a budget ("Rp. 2.078.747.000"), an
    abbreviation ("Adm. Desa") or a number out of sequence stays inside its item. Each item keeps
    its own wording and trailing period; only surrounding whitespace goes.
    """
    text = text.strip()
    first = re.match(r"1\.\s+", text)
    if first is None:
        return [text] if text else []
    items = []
    start, number = first.end(), 2
    while marker := re.compile(rf"(?<!\S){number}\.\s+").search(text, start):
        items.append(text[start : marker.start()].strip())
        start, number = marker.end(), number + 1
    items.append(text[start:].strip())
    return items


def _labelled(cell: str) -> tuple[str, list[tuple[str, str]]]:
    """The text before the first label, and each (LABEL, text) after it, in order."""
    matches = list(_LABEL.finditer(cell))
    lead = cell[: matches[0].start()] if matches else cell
    parts = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(cell)
        parts.append((match.group(1), cell[match.end() : end].strip()))
    return lead.strip(), parts


def _statements(parts: list[tuple[str, str]], *, where: str, statement_labels: tuple[str, ...]) -> list[Statement]:
    """Group labelled parts into statements: a TUJUAN/SASARAN opens one, an INDIKATOR adds to it."""
    statements: list[Statement] = []
    for label, text in parts:
        if label in statement_labels:
            statements.append(Statement(uraian=text))
        elif label == "INDIKATOR":
            if not statements:
                raise SeedFormatError(f"{where}: INDIKATOR before any {'/'.join(statement_labels)}")
            last = statements[-1]
            statements[-1] = Statement(last.uraian, last.indikator + tuple(split_numbered(text)))
    return statements


def _program(item: str) -> Program:
    match = _PROGRAM_PAGU.match(item)
    if match is None:
        return Program(uraian=item, pagu=None)
    return Program(uraian=match["uraian"], pagu=pagu_parse(match["pagu"]))


def _cell_text(cell: str) -> str:
    """A cell without its ``<p>`` tags; paragraphs are joined by the whitespace around them."""
    return _PARAGRAPH_TAG.sub(" ", cell).strip()


def _occupied(row: list[str]) -> dict[int, str]:
    """Column -> text of a row's non-empty cells."""
    return {column: _cell_text(cell) for column, cell in enumerate(row) if cell.strip()}


def _parse_head(rows: list[list[str]]) -> HeadBox:
    parts = [part for row in rows[1:] for cell in _occupied(row).values() for part in _labelled(cell)[1]]
    if not parts or parts[0][0] != "TUJUAN" or sum(label == "TUJUAN" for label, _text in parts) != 1:
        raise SeedFormatError("head box: expected one TUJUAN before its Sasaran")
    statements = _statements(parts, where="head box", statement_labels=("TUJUAN", "SASARAN"))
    return HeadBox(heading=rows[0][0].strip(), tujuan=statements[0], sasaran=tuple(statements[1:]))


def _section(heading: str, text: str) -> Section:
    lead, parts = _labelled(text)
    if lead:
        raise SeedFormatError(f"section {heading!r}: text before KEGIATAN: {lead!r}")
    return Section(
        heading=heading,
        kegiatan=tuple(item for label, part in parts if label == "KEGIATAN" for item in split_numbered(part)),
        sasaran=tuple(_statements(parts, where=f"section {heading!r}", statement_labels=("SASARAN",))),
    )


def _division(heading: str, text: str, sections: list[Section]) -> Division:
    lead, parts = _labelled(text)
    return Division(
        heading=heading,
        programs=tuple(_program(item) for item in split_numbered(lead)),
        sasaran=tuple(_statements(parts, where=f"division {heading!r}", statement_labels=("SASARAN",))),
        sections=tuple(sections),
    )


def _parse_body(rows: list[list[str]]) -> tuple[Division, ...]:
    """Division headings, division cells, section headings, section cells, then the rows that
    continue the section cells after the page break (column by column; rules are dashes)."""
    if len(rows) < 4:
        raise SeedFormatError("expected division headings, division cells, section headings, section cells")
    division_headings, division_cells, section_headings, section_cells = (_occupied(row) for row in rows[:4])
    if not division_headings or not section_headings:
        raise SeedFormatError("no division or no section headings")
    if set(division_cells) != set(division_headings) or set(section_cells) - set(section_headings):
        raise SeedFormatError("the cells under the division or section headings are not in their columns")
    section_texts = dict(section_cells)
    for row in rows[4:]:
        occupied = _occupied(row)
        if all(_TABLE_RULE.match(cell) for cell in occupied.values()):
            continue
        if set(occupied) - set(section_headings):
            raise SeedFormatError(f"a continuation row has cells outside the section columns: {sorted(occupied)}")
        for column, cell in occupied.items():
            section_texts[column] = f"{section_texts.get(column, '')} {cell}".strip()

    # A division owns the section columns from its own column up to the next division's.
    starts = sorted(division_headings)
    if starts[0] > min(section_headings):
        raise SeedFormatError("a section stands left of every division")
    ends = [*starts[1:], len(rows[0])]
    return tuple(
        _division(
            division_headings[start],
            division_cells[start],
            [
                _section(section_headings[column], section_texts.get(column, ""))
                for column in sorted(section_headings)
                if start <= column < end
            ],
        )
        for start, end in zip(starts, ends, strict=True)
    )


def _parse_signature(lines: list[str]) -> Signature:
    """Statement, ``Place, 25 Januari 2018``, the title lines, the name, ``NIP. ...``."""
    dated = [(i, match) for i, line in enumerate(lines) if (match := _PLACE_DATE.match(line))]
    nip_at = next((i for i, line in enumerate(lines) if line.startswith("NIP")), None)
    if not dated or nip_at is None or nip_at < dated[0][0] + 2:
        raise SeedFormatError("signature block: expected statement, place and date, title, name and NIP")
    date_at, when = dated[0]
    month = _MONTHS.get(when["month"].lower())
    if month is None:
        raise SeedFormatError(f"signature block: unknown month {when['month']!r}")
    return Signature(
        statement=" ".join(lines[:date_at]),
        place=when["place"].strip(),
        date=datetime.date(int(when["year"]), month, int(when["day"])),
        title_lines=tuple(lines[date_at + 1 : nip_at - 1]),
        name=lines[nip_at - 1],
        nip=re.sub(r"^NIP\.?\s*", "", lines[nip_at]),
    )


def parse_cascade(text: str) -> CascadeDocument:
    """Read the printed cascade's text (see the module docstring and DOMAIN.md) into data."""
    lines = text.splitlines()
    table_at = [i for i, line in enumerate(lines) if "\t" in line]
    if not table_at:
        raise SeedFormatError("no table rows (lines with tab-separated cells)")
    title = " ".join(line.strip() for line in lines[: table_at[0]] if line.strip()).replace("**", "").strip()
    tahun_match = re.search(r"TAHUN\s+(\d{4})", title)
    if tahun_match is None:
        raise SeedFormatError(f"title {title!r} names no year (TAHUN yyyy)")

    rows = [lines[i].split("\t") for i in table_at]
    if any(len(row) != len(rows[0]) for row in rows):
        raise SeedFormatError(f"table rows differ in their number of columns (expected {len(rows[0])})")
    head_rows = 1
    while head_rows < len(rows) and _LABEL.match(rows[head_rows][0].strip()):
        head_rows += 1
    signature_lines = [line.strip() for line in lines[table_at[-1] + 1 :] if line.strip()]
    return CascadeDocument(
        title=title,
        tahun=int(tahun_match[1]),
        head=_parse_head(rows[:head_rows]),
        divisions=_parse_body(rows[head_rows:]),
        signature=_parse_signature(signature_lines),
    )


def demo_document(path: Path = SEED_PATH) -> CascadeDocument:
    return parse_cascade(path.read_text(encoding="utf-8"))


# --- Loading it -------------------------------------------------------------------------------

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
    plans = []
    for node, _depth in tree.walk():
        parent = tree.parent_of(node)
        plans.append(
            NodePlan(
                kode=node.kode,
                parent_kode=parent.kode if parent else None,
                jenis=node.jenis,
                uraian=node.uraian,
                unit_kode=node.unit.kode if node.unit else None,
                pagu=node.pagu,
                target=node.target,
                satuan=node.satuan,
            )
        )
    return plans


def _dinas_ensure(document: CascadeDocument) -> PerangkatDaerah:
    dinas = PerangkatDaerah.objects.filter(kode=DINAS_KODE).first() or PerangkatDaerah(kode=DINAS_KODE)
    dinas.nama, dinas.pemda, dinas.tempat = DINAS_NAMA, DINAS_PEMDA, document.signature.place
    dinas.full_clean()
    dinas.save()
    return dinas


def _units_ensure(dinas: PerangkatDaerah, plans: list[UnitPlan]) -> dict[str, UnitKerja]:
    existing = {unit.kode: unit for unit in UnitKerja.objects.filter(dinas=dinas)}
    units: dict[str, UnitKerja] = {}
    for plan in plans:  # parents come first in the plan
        unit = existing.get(plan.kode) or UnitKerja(dinas=dinas, kode=plan.kode)
        unit.nama, unit.jenis, unit.urutan = plan.nama, plan.jenis, plan.urutan
        unit.parent = units[plan.parent_kode] if plan.parent_kode else None
        unit.full_clean()
        unit.save()
        units[plan.kode] = unit
    return units


def _pejabat_ensure(document: CascadeDocument, kepala: UnitKerja) -> Pejabat:
    signature = document.signature
    nip = nip_normalize(signature.nip)
    pejabat = Pejabat.objects.filter(unit=kepala, nip=nip).first() or Pejabat(unit=kepala, nip=nip)
    pejabat.nama = signature.name
    pejabat.jabatan = f"Kepala {DINAS_NAMA} {DINAS_PEMDA}"
    pejabat.tahun_mulai = document.tahun
    pejabat.tahun_selesai = None
    pejabat.full_clean()
    pejabat.save()
    return pejabat


def _pohon_ensure(
    dinas: PerangkatDaerah, tahun: int, plans: list[NodePlan], units: dict[str, UnitKerja]
) -> tuple[Pohon, bool]:
    """Leave a tree that already matches the document; otherwise empty it and build it again.

    Emptying goes through ``node_delete`` too, so a tree that was approved meanwhile refuses
    (ValidationError) instead of being silently replaced."""
    pohon = Pohon.objects.filter(dinas=dinas, tahun=tahun, revisi=0).first()
    if pohon is None:
        pohon = pohon_create(dinas=dinas, tahun=tahun)
    elif pohon_as_plan(pohon) == plans:
        return pohon, False
    else:
        for top in Node.objects.filter(pohon=pohon, level=1):
            node_delete(node=top)
    created: dict[str, Node] = {}
    for plan in plans:
        created[plan.kode] = node_create(
            pohon=pohon,
            parent=created[plan.parent_kode] if plan.parent_kode else None,
            jenis=plan.jenis,
            uraian=plan.uraian,
            kode=plan.kode,
            unit=units[plan.unit_kode] if plan.unit_kode else None,
            pagu=plan.pagu,
            target=plan.target,
            satuan=plan.satuan,
        )
    return pohon, True


@transaction.atomic
def demo_load(document: CascadeDocument | None = None) -> DemoResult:
    """Create or bring back to the document's state: the agency, its units, its head and the
    tree. Running it again changes nothing; a tree edited since is rebuilt from the document."""
    document = document or demo_document()
    dinas = _dinas_ensure(document)
    units = _units_ensure(dinas, demo_units(document))
    pejabat = _pejabat_ensure(document, units[KEPALA_UNIT])
    pohon, rebuilt = _pohon_ensure(dinas, document.tahun, demo_nodes(document), units)
    return DemoResult(document=document, dinas=dinas, pohon=pohon, pejabat=pejabat, rebuilt=rebuilt)
