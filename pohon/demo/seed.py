"""The seed document read into plain frozen dataclasses (see ``pohon.demo``): no database."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from pohon.formatting import BULAN
from pohon.money import pagu_parse

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
