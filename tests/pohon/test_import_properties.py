"""Properties of the import, on generated input.

- Any tree the rule table allows survives export -> import (into another year) unchanged, in
  every format, and its rows may come in any order.
- Random cells and random bytes never raise, and never leave a partial write: either the whole
  tree is written and consistent, or the database is exactly as before.

Function-scoped fixtures are not reset between hypothesis examples, so each example runs inside
its own ``transaction.atomic()`` that is always rolled back (a savepoint inside the test's own
transaction), and starts from the same database.
"""

import contextlib
import csv
import io
import json
import random
from collections import deque
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dinas.imports import organisasi_import
from dinas.models import Pejabat, PerangkatDaerah, UnitKerja
from pohon import rules
from pohon.imports import pohon_import
from pohon.models import Node, Pohon
from pohon.resources import COLUMNS, pohon_export
from pohon.selectors import pohon_dump, pohon_tree
from pohon.services import NodeRow, pohon_create, tree_bulk_insert, tree_verify
from pohon.targets import Arah, target_parse

pytestmark = pytest.mark.django_db(transaction=False)

PROPERTY_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
UNIT_NAMES = ("Kepala Dinas", "Bidang Pemberdayaan Masyarakat", "Seksi Kelembagaan")


@contextlib.contextmanager
def rolled_back():
    """One example's own database state: whatever it writes is undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def db_state() -> tuple:
    return (
        sorted(Pohon.objects.values_list("dinas_id", "tahun", "revisi", "status")),
        sorted(Node.objects.values_list("pk", "pohon_id", "parent_id", "lft", "rght", "kode", "jenis", "pagu")),
        PerangkatDaerah.objects.count(),
        sorted(UnitKerja.objects.values_list("pk", "dinas_id", "kode", "nama", "jenis", "parent_id", "urutan")),
        Pejabat.objects.count(),
    )


@pytest.fixture
def units(dinas):
    kepala = UnitKerja.objects.create(dinas=dinas, kode="kepala", nama=UNIT_NAMES[0], jenis="kepala")
    bidang = UnitKerja.objects.create(dinas=dinas, kode="bidang", nama=UNIT_NAMES[1], jenis="bidang", parent=kepala)
    UnitKerja.objects.create(dinas=dinas, kode="seksi", nama=UNIT_NAMES[2], jenis="seksi", parent=bidang)
    return {unit.nama: unit for unit in UnitKerja.objects.filter(dinas=dinas)}


# Text as people store it: no control characters (the import refuses them), no unassigned or
# private code points (U+FFFE and U+FFFF cannot be written to .xlsx), no surrounding spaces
# (cells are trimmed). Leading = + - @ ' are included: they test the formula escaping.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Co")), min_size=1, max_size=24).map(
    str.strip
)
# A target as the parser gives it: a number (at most 4 decimals, 15 significant digits, either
# sign) or a text that does not read as one.
TARGET_NUMBER = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places), st.integers(-(10**15) + 1, 10**15 - 1), st.integers(0, 4)
)
TARGET_TEXT = TEXT.filter(lambda text: bool(text) and len(text) <= 100 and target_parse(text).teks == text)
KODE = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._/\-]{0,10}", fullmatch=True)


@st.composite
def trees(draw) -> list[NodeRow]:
    """A random tree the rule table allows, parents before children (breadth first)."""
    rows: list[NodeRow] = []
    queue: deque[int] = deque()
    limit = draw(st.integers(1, 30))

    def add(parent: int | None, jenis: str) -> None:
        kode = f"{draw(KODE)}-{len(rows)}"  # unique, and every character the validator allows
        rows.append(
            NodeRow(
                parent=parent,
                jenis=jenis,
                kode=kode,
                uraian=draw(TEXT.filter(bool)),
                unit_id=draw(st.integers(0, len(UNIT_NAMES))),  # an index into the units; 0: none
                pagu=draw(st.none() | st.integers(0, 10**17).map(Decimal)) if jenis in rules.BUDGETED else None,
                **(_target(draw) if jenis in rules.MEASURED else {}),
            )
        )
        queue.append(len(rows) - 1)

    for _ in range(draw(st.integers(1, 2))):
        add(None, rules.TUJUAN)
    while queue and len(rows) < limit:
        index = queue.popleft()
        allowed = rules.allowed_children(rows[index].jenis)
        for _ in range(draw(st.integers(0, 3)) if allowed else 0):
            if len(rows) < limit:
                add(index, draw(st.sampled_from(allowed)))
    return rows


def _target(draw) -> dict:
    number = draw(st.none() | TARGET_NUMBER)
    return {
        "target_angka": number,
        "target_teks": draw(st.just("") | TARGET_TEXT) if number is None else "",
        "satuan": draw(st.just("") | TEXT),
        "arah": draw(st.sampled_from(Arah.values)),
    }


def rows_of(data: bytes, export_format: str) -> list[dict[str, str]]:
    if export_format == "json":
        return json.loads(data)
    if export_format == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    header, *body = list(sheet.iter_rows(values_only=True))
    return [{key: "" if value is None else str(value) for key, value in zip(header, row, strict=True)} for row in body]


FORMULA_TREE = [
    NodeRow(None, rules.TUJUAN, "T1", "=1+1", 1),
    NodeRow(0, rules.INDIKATOR, "T1.I1", "'=sudah berkutip", 0, None, Decimal("-5.25"), "", "@", "turun"),
    NodeRow(0, rules.INDIKATOR, "T1.I2", "-", 0, None, Decimal(1250), "", "=%", "tetap"),
    NodeRow(0, rules.INDIKATOR, "T1.I3", "@", 0, None, None, "=WTP", "-", "naik"),
    NodeRow(0, rules.SASARAN, "T1.S1", "+62 812", 2),
    NodeRow(4, rules.PROGRAM, "T1.S1.P1", "'biasa", 3, Decimal(2_078_747_000)),
]


@PROPERTY_SETTINGS
@given(tree=trees(), export_format=st.sampled_from(["json", "csv", "xlsx"]), seed=st.integers(0, 2**32))
@example(tree=FORMULA_TREE, export_format="xlsx", seed=0)
@example(tree=FORMULA_TREE, export_format="csv", seed=0)
def test_any_allowed_tree_round_trips(dinas, units, tree, export_format, seed):
    unit_ids = [None, *(unit.pk for unit in units.values())]
    tree = [replace(r, unit_id=unit_ids[r.unit_id]) for r in tree]
    with rolled_back():
        source = pohon_create(dinas=dinas, tahun=2018)
        tree_bulk_insert(pohon=source, rows=tree)
        exported = pohon_export(source, export_format)
        plan, copy = pohon_import(dinas=dinas, tahun=2019, data=exported, filename=f"pohon.{export_format}")
        assert plan.ok, plan.problems
        assert pohon_dump(pohon_tree(copy)) == pohon_dump(pohon_tree(source))
        assert rows_of(pohon_export(copy, export_format), export_format) == rows_of(exported, export_format)

        # Any order of the rows makes the same tree (siblings then follow the new order).
        source_rows = json.loads(pohon_export(source, "json"))
        shuffled = list(source_rows)
        random.Random(seed).shuffle(shuffled)
        plan, again = pohon_import(dinas=dinas, tahun=2020, data=json.dumps(shuffled).encode(), filename="acak.json")
        assert plan.ok, plan.problems
        again_rows = json.loads(pohon_export(again, "json"))
        assert sorted(tuple(row.values()) for row in again_rows) == sorted(tuple(row.values()) for row in source_rows)


CELL = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.booleans(),
    st.sampled_from(
        [
            "T1",
            "T1.I1",
            "B1",
            "tujuan",
            "Sasaran",
            "Sub Kegiatan",
            "indikator",
            "akar",
            "Rp. 1.000",
            "1.000,50",
            "-5",
            "=1+1",
            "'=x",
            "Kepala Dinas",
            "kepala  dinas",
            "",
            " ",
        ]
    ),  # fmt: skip
)
HEADERS = st.one_of(
    st.just(list(COLUMNS)),
    st.permutations(list(COLUMNS)),
    st.lists(st.sampled_from([*COLUMNS, " KODE ", "Unit Kerja", "x", None]), max_size=9),
)


def xlsx_safe(value):
    """openpyxl refuses control characters in text; such a workbook cannot be made at all."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
    return value


def encode(header: list, rows: list[list], export_format: str) -> bytes:
    if export_format == "xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in [header, *rows]:
            sheet.append([xlsx_safe(value) for value in row])
        stream = io.BytesIO()
        workbook.save(stream)
        return stream.getvalue()
    if export_format == "csv":
        stream = io.StringIO()
        csv.writer(stream).writerows([header, *rows])
        return stream.getvalue().encode("utf-8", "surrogatepass")
    objects = [dict(zip([str(h) for h in header], row, strict=False)) for row in rows]
    return json.dumps(objects).encode()


@PROPERTY_SETTINGS
@given(
    header=HEADERS,
    rows=st.lists(st.lists(CELL, max_size=9), max_size=12),
    export_format=st.sampled_from(["xlsx", "csv", "json"]),
    tahun=st.sampled_from([2018, 2019]),  # 2018 has a draft tree: refused, or replaced
    replace=st.booleans(),
)
def test_random_cells_never_raise_nor_write_partly(
    dinas, units, chain_tree, header, rows, export_format, tahun, replace
):
    data = encode(header, rows, export_format)
    with rolled_back():
        before = db_state()
        plan, pohon = pohon_import(
            dinas=dinas, tahun=tahun, data=data, filename=f"acak.{export_format}", replace=replace
        )
        if pohon is None:
            assert not plan.ok
            assert db_state() == before
        else:
            assert plan.ok
            tree_verify(pohon)
            assert Node.objects.filter(pohon=pohon).visible().count() == len(plan.rows)
        for problem in plan.problems:
            assert problem.message and str(problem)
            assert problem.row is None or problem.row >= 1


def _mutated_workbook(seed: int) -> bytes:
    stream = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(list(COLUMNS))
    workbook.active.append(["T1", "", "tujuan", "T", "", "", "", ""])
    workbook.save(stream)
    data = bytearray(stream.getvalue())
    generator = random.Random(seed)
    for _ in range(generator.randint(1, 8)):
        data[generator.randrange(len(data))] = generator.randrange(256)
    return bytes(data)


BYTES = st.one_of(
    st.binary(max_size=2000),
    st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=500).map(lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b),
    st.binary(max_size=500).map(lambda b: b"\xef\xbb\xbfkode,induk,jenis,uraian\n" + b),
    st.binary(max_size=500).map(lambda b: b'[{"kode": ' + b),
    st.integers(0, 2**32).map(_mutated_workbook),
)
FILENAMES = st.sampled_from(["p.xlsx", "p.csv", "p.json", "p.txt", "p", "p.pdf", "p.XLSX", ".csv", ""])


@PROPERTY_SETTINGS
@given(data=BYTES, filename=FILENAMES)
def test_random_bytes_never_raise_nor_write(dinas, units, data, filename):
    before = db_state()
    with rolled_back():
        plan, pohon = pohon_import(dinas=dinas, tahun=2019, data=data, filename=filename)
        if pohon is None:
            assert db_state() == before
        else:
            tree_verify(pohon)
    with rolled_back():
        plan, written = organisasi_import(data=data, filename=filename)
        if not written:
            assert db_state() == before
