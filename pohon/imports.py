"""Importing a whole tree from a spreadsheet (the canonical table of ``pohon.resources``), and
copying a tree to another year.

An import is planned first (``pohon_import_plan``: read, validate as a whole, write nothing) and
written only when the plan has no problem at all (``pohon_import``): in one transaction, into a
new draft tree or into an emptied editable one, in bulk through ``tree_bulk_insert``, which
computes the nested-set fields and verifies the tree afterwards. Row-by-row saving through
django-mptt took 60 s for 10,000 rows; the bulk path takes about a second.

Why not a django-import-export ``Resource.import_data``: it saves row by row (the slow path,
and ``use_bulk`` would skip mptt's fields), and its errors are per row, while most of what goes
wrong in a tree is between rows (an unknown or cyclic ``induk``, a kind the rule table does not
allow under its parent, the rows below a refused one). The export stays a Resource.

The checks, in order; each row gets at most one message, the first that applies:
1. the tree: an existing tree needs ``replace`` and must be editable (draf, dikembalikan);
2. the file (``pohon.spreadsheet``): type, size, rows, required columns, cell characters;
3. each row's own cells: kode (empty, duplicate, the field's validator and length), jenis,
   uraian, unit_kerja (by name within the agency), pagu (``pagu_parse``, 18 digits), target and
   satuan (lengths), the kind rules of ``Node.clean`` (Pagu, target, satuan), then induk (unknown);
4. between rows: cycles of induk; then, parents before children, the rule table
   (``rules.jenis_allowed_under``, top-level rows stand under the hidden root "akar");
5. a row below a refused one gets one message naming the nearest ancestor refused on its own.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dinas.models import PerangkatDaerah, UnitKerja
from pohon import rules
from pohon.history import riwayat_record
from pohon.models import Node, NodeRiwayat, Pohon
from pohon.money import pagu_parse
from pohon.permissions import authorize_branch_edit
from pohon.resources import COLUMNS
from pohon.services import (
    NodeRow,
    node_delete,
    pohon_create,
    pohon_ensure_editable,
    pohon_lock,
    tree_bulk_insert,
    tree_copy,
)
from pohon.spreadsheet import ImportProblem, SheetRow, normalise_key, spreadsheet_read

REQUIRED_COLUMNS: tuple[str, ...] = ("kode", "induk", "jenis", "uraian")
DATA_SHEET = "pohon"  # the template's sheet to fill in
TAHUN_MIN, TAHUN_MAX = 2000, 2100

# Model field -> spreadsheet column, in the order a row's problems are looked for.
_FIELD_COLUMNS = {
    "kode": "kode",
    "jenis": "jenis",
    "uraian": "uraian",
    "unit": "unit_kerja",
    "pagu": "pagu",
    "target": "target",
    "satuan": "satuan",
}


@dataclass
class ImportPlan:
    """What an import would do, or why it cannot: read and checked, nothing written."""

    dinas: PerangkatDaerah
    tahun: int
    rows: list[dict[str, str]]  # the cleaned rows (SheetRow: .row is the sheet's number) in tree order
    problems: list[ImportProblem]
    counts: dict[str, int]  # per jenis, in the rule table's order
    total_pagu: Decimal  # the roll-up total, as pohon.selectors.pagu_rollup computes it
    preview: list[tuple[int, str, str, str, Decimal | None]]  # (depth, kode, jenis, uraian, pagu); top = 1
    existing: Pohon | None  # the tree this would replace, if any
    node_rows: list[NodeRow] = field(default_factory=list, repr=False)  # what tree_bulk_insert gets

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Row:
    """One data row on its way through the checks."""

    sheet: SheetRow
    jenis: str = ""
    unit: UnitKerja | None = None
    pagu: Decimal | None = None
    parent: int | None = None  # index of the parent row; None: the top of the tree
    problem: ImportProblem | None = None
    refused_by: int | None = None  # index of the refused ancestor this row depends on

    @property
    def ok(self) -> bool:
        return self.problem is None


def pohon_import_existing(*, dinas: PerangkatDaerah, tahun: int) -> Pohon | None:
    """The tree an import for this agency and year would replace: its newest revision."""
    return Pohon.objects.filter(dinas=dinas, tahun=tahun).select_related("dinas").order_by("-revisi").first()


def pohon_import_plan(
    *, dinas: PerangkatDaerah, tahun: int, data: bytes, filename: str, replace: bool = False
) -> ImportPlan:
    """Read and check a spreadsheet for importing into ``dinas``'s tree of ``tahun``; writes nothing."""
    existing = pohon_import_existing(dinas=dinas, tahun=tahun)
    problems = _tree_problems(dinas=dinas, tahun=tahun, existing=existing, replace=replace)
    sheet_rows, file_problems = spreadsheet_read(
        data, filename=filename, columns=COLUMNS, required=REQUIRED_COLUMNS, sheet=DATA_SHEET
    )
    problems += file_problems
    rows = [_Row(sheet=row) for row in sheet_rows if isinstance(row, SheetRow)]
    _check_cells(rows, dinas)
    _check_parents(rows)
    order = _tree_order(rows)
    problems += sorted((row.problem for row in rows if row.problem), key=lambda p: (p.row or 0, p.column or ""))
    plan = ImportPlan(
        dinas=dinas,
        tahun=tahun,
        rows=[],
        problems=problems,
        counts={},
        total_pagu=Decimal(0),
        preview=[],
        existing=existing,
    )
    _fill_plan(plan, rows, order)
    return plan


def pohon_import(
    *,
    dinas: PerangkatDaerah,
    tahun: int,
    data: bytes,
    filename: str,
    replace: bool = False,
    dry_run: bool = False,
    user=None,
) -> tuple[ImportPlan, Pohon | None]:
    """Import a spreadsheet as ``dinas``'s tree of ``tahun``, all or nothing.

    Returns the plan and the written tree; on any problem, or with ``dry_run``, nothing is
    written and the tree is None. With ``user`` the user must be allowed to edit the top of the
    tree (an Admin of the agency: PermissionDenied otherwise); None is a system import.
    """
    plan = pohon_import_plan(dinas=dinas, tahun=tahun, data=data, filename=filename, replace=replace)
    if not plan.ok or dry_run:
        return plan, None
    authorize_branch_edit(user, plan.existing or Pohon(dinas=dinas, tahun=tahun), None)
    try:
        pohon = _import_write(plan, user=user)
    except ValidationError as error:  # the tree changed since the plan was made (approved, created)
        plan.problems.append(ImportProblem(None, None, "", " ".join(error.messages)))
        return plan, None
    except IntegrityError:  # a tree created, or a unit deleted, meanwhile
        plan.problems.append(
            ImportProblem(
                None,
                None,
                "",
                _(
                    "Data berubah selama impor (pohon kinerja %(dinas)s tahun %(tahun)s atau unit kerjanya "
                    "diubah oleh pengguna lain); tidak ada yang disimpan, ulangi impor."
                )
                % {"dinas": dinas.kode, "tahun": tahun},
            )
        )
        return plan, None
    return plan, pohon


@transaction.atomic
def _import_write(plan: ImportPlan, *, user=None) -> Pohon:
    if plan.existing is None:
        pohon = pohon_create(dinas=plan.dinas, tahun=plan.tahun)
    else:
        pohon = pohon_lock(plan.existing)
        pohon_ensure_editable(pohon)
        pohon_empty(pohon=pohon, user=user)
    tree_bulk_insert(pohon=pohon, rows=plan.node_rows)
    # One entry per import: the file's rows are the record, per-node entries would only add cost.
    riwayat_record(pohon=pohon, aksi=NodeRiwayat.Aksi.IMPOR, user=user, sesudah={"jumlah": len(plan.node_rows)})
    return pohon


@transaction.atomic
def pohon_empty(*, pohon: Pohon, user=None) -> int:
    """Delete every node of an editable tree but its hidden root, under the tree's lock, through
    ``node_delete``; returns how many nodes went. The tree itself (status, history) stays."""
    pohon = pohon_lock(pohon)
    pohon_ensure_editable(pohon)
    deleted = 0
    # Right to left: each deletion then only shifts the root's rght, never a sibling's fields.
    for top in Node.objects.filter(pohon=pohon, level=1).order_by("-lft"):
        deleted += node_delete(node=top, user=user)
    return deleted


@transaction.atomic
def pohon_copy_to_year(*, pohon: Pohon, tahun: int) -> Pohon:
    """Copy ``pohon`` (every node, with its units, Pagu and targets) into a new draft tree of the
    same agency for ``tahun``; refuses when the agency already has a tree for that year."""
    if not TAHUN_MIN <= tahun <= TAHUN_MAX:
        raise ValidationError(
            _("Tahun %(tahun)s di luar rentang %(min)d-%(max)d.")
            % {"tahun": tahun, "min": TAHUN_MIN, "max": TAHUN_MAX},
            code="tahun_range",
        )
    source = pohon_lock(pohon)
    if Pohon.objects.filter(dinas_id=source.dinas_id, tahun=tahun).exists():
        raise ValidationError(
            _("Perangkat Daerah %(dinas)s sudah memiliki pohon kinerja tahun %(tahun)s; pohon tidak disalin.")
            % {"dinas": source.dinas.kode, "tahun": tahun},
            code="pohon_exists",
        )
    target = pohon_create(dinas=source.dinas, tahun=tahun)
    tree_copy(source=source, target=target)
    return target


# --- the checks ---------------------------------------------------------------------------------


def _tree_problems(*, dinas: PerangkatDaerah, tahun: int, existing: Pohon | None, replace: bool) -> list[ImportProblem]:
    if not TAHUN_MIN <= tahun <= TAHUN_MAX:
        return [
            ImportProblem(
                None,
                None,
                str(tahun),
                _("Tahun %(tahun)s di luar rentang %(min)d-%(max)d.")
                % {"tahun": tahun, "min": TAHUN_MIN, "max": TAHUN_MAX},
            )
        ]
    if existing is None:
        return []
    if not existing.is_editable:
        return [
            ImportProblem(
                None,
                None,
                "",
                _("Pohon kinerja %(pohon)s berstatus %(status)s dan tidak dapat diganti dengan impor.")
                % {"pohon": existing, "status": existing.get_status_display()},
            )
        ]
    if not replace:
        return [
            ImportProblem(
                None,
                None,
                "",
                _(
                    "Pohon kinerja %(pohon)s sudah ada (berstatus %(status)s); gunakan --replace "
                    "(ganti pohon yang ada) untuk mengganti seluruh isinya."
                )
                % {"pohon": existing, "status": existing.get_status_display()},
            )
        ]
    return []


def _problem(row: _Row, column: str, message: str) -> ImportProblem:
    return ImportProblem(row=row.sheet.row, column=column, value=row.sheet.get(column, ""), message=message)


def _jenis_lookup() -> dict[str, str]:
    """``Sub Kegiatan``, ``sub_kegiatan``, ``SUB KEGIATAN``, ``subkegiatan`` -> ``sub_kegiatan``."""
    lookup = {}
    for jenis in rules.JENIS_LABELS:
        if jenis != rules.AKAR:
            for spelling in (jenis, rules.jenis_label(jenis)):
                lookup[normalise_key(spelling).replace("_", "")] = jenis
    return lookup


def _unit_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _check_cells(rows: list[_Row], dinas: PerangkatDaerah) -> None:
    """Each row's own cells, and induk against the kodes of the file."""
    jenis_lookup = _jenis_lookup()
    jenis_choices = ", ".join(j for j in rules.JENIS_LABELS if j != rules.AKAR)
    units: dict[str, list[UnitKerja]] = {}
    for unit in UnitKerja.objects.filter(dinas=dinas):
        units.setdefault(_unit_key(unit.nama), []).append(unit)
    first_with_kode: dict[str, int] = {}
    for index, row in enumerate(rows):
        first_with_kode.setdefault(row.sheet["kode"], index)

    for index, row in enumerate(rows):
        cells = row.sheet
        found: dict[str, str] = {}  # column -> first message
        if not cells["kode"]:
            found["kode"] = _("Kode wajib diisi.")
        elif first_with_kode[cells["kode"]] != index:
            found["kode"] = _("Kode “%(kode)s” sudah dipakai di baris %(row)d.") % {
                "kode": cells["kode"],
                "row": rows[first_with_kode[cells["kode"]]].sheet.row,
            }
        row.jenis = jenis_lookup.get(normalise_key(cells["jenis"]).replace("_", ""), "")
        if not cells["jenis"]:
            found["jenis"] = _("Jenis wajib diisi; gunakan salah satu: %(choices)s.") % {"choices": jenis_choices}
        elif not row.jenis:
            found["jenis"] = _("Jenis “%(jenis)s” tidak dikenal; gunakan salah satu: %(choices)s.") % {
                "jenis": cells["jenis"],
                "choices": jenis_choices,
            }
        if not cells["uraian"]:
            found["uraian"] = _("Uraian wajib diisi.")
        if cells["unit_kerja"]:
            matches = units.get(_unit_key(cells["unit_kerja"]), [])
            if len(matches) == 1:
                row.unit = matches[0]
            elif not matches:
                found["unit_kerja"] = _(
                    "Unit kerja “%(unit)s” tidak ada di %(dinas)s; tulis nama unit persis seperti di daftar unit kerja."
                ) % {"unit": cells["unit_kerja"], "dinas": dinas.kode}
            else:
                found["unit_kerja"] = _("Ada lebih dari satu unit kerja bernama “%(unit)s” di %(dinas)s.") % {
                    "unit": cells["unit_kerja"],
                    "dinas": dinas.kode,
                }
        try:
            row.pagu = pagu_parse(cells["pagu"])
        except ValidationError as error:
            found["pagu"] = error.messages[0]
        for model_field, messages in _model_errors(row).items():
            column = _FIELD_COLUMNS.get(model_field)
            if column and messages:
                found.setdefault(column, messages[0])
        if cells["induk"] in first_with_kode:
            row.parent = first_with_kode[cells["induk"]]
        elif cells["induk"]:
            found["induk"] = _unknown_induk(cells["induk"], first_with_kode)
        for column in (*_FIELD_COLUMNS.values(), "induk"):
            if column in found:
                row.problem = _problem(row, column, found[column])
                break


def _model_errors(row: _Row) -> dict[str, list[str]]:
    """The model's own rules for the row's cells: each field's validators (kode pattern, lengths,
    Pagu digits), then ``Node.clean`` for the kind rules (Pagu only on Program/Kegiatan/Sub
    Kegiatan, target and satuan only on an Indikator). The parent is checked later."""
    cells = row.sheet
    errors: dict[str, list[str]] = {}
    for name, value in (("kode", cells["kode"]), ("target", cells["target"]), ("satuan", cells["satuan"])):
        if value:
            try:
                Node._meta.get_field(name).clean(value, None)
            except ValidationError as error:
                errors[name] = error.messages
    if row.pagu is not None:
        try:
            Node._meta.get_field("pagu").clean(row.pagu, None)
        except ValidationError as error:
            errors["pagu"] = error.messages
    # Node.clean judges only Pagu, target and satuan beyond what is checked above (kode and
    # uraian present, the unit matched within the agency). Building a Node costs about 50 us, so
    # only rows with those cells build one: 10,000 rows are checked in a fraction of a second.
    parent = _STAND_IN_PARENTS.get(row.jenis)
    if parent is not None and (row.pagu is not None or cells["target"] or cells["satuan"]):
        node = Node(
            jenis=row.jenis,
            kode=cells["kode"],
            uraian=cells["uraian"],
            pagu=row.pagu,
            target=cells["target"],
            satuan=cells["satuan"],
        )
        # A stand-in parent of a kind that may hold this row, so that clean() speaks only of
        # the row's own cells.
        node.parent = parent
        try:
            node.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name != "parent":
                    errors.setdefault(name, []).extend(messages)
    return errors


_STAND_IN_PARENTS = {
    child: Node(jenis=parent) for parent, children in reversed(rules.ALLOWED_CHILDREN.items()) for child in children
}


def _unknown_induk(induk: str, kodes: dict[str, int]) -> str:
    message = _("Induk “%(induk)s” tidak ditemukan: tidak ada baris dengan kode itu.") % {"induk": induk}
    similar = [kode for kode in kodes if kode.casefold() == induk.casefold()]
    if similar:
        message += " " + _("Maksudnya “%(kode)s”? Huruf besar dan kecil pada kode dibedakan.") % {"kode": similar[0]}
    return message


def _check_parents(rows: list[_Row]) -> None:
    """Cycles of induk, then, parents before children, the rule table and the rows that depend
    on a refused one."""
    state = [0] * len(rows)  # 0 unseen, 1 on the current path, 2 done
    for start in range(len(rows)):
        path: list[int] = []
        current: int | None = start
        while current is not None and state[current] == 0:
            state[current] = 1
            path.append(current)
            current = rows[current].parent
        if current is not None and state[current] == 1:  # back on the path: a cycle
            cycle = path[path.index(current) :]
            chain = " \u2192 ".join(rows[i].sheet["kode"] for i in [*cycle, cycle[0]])
            numbers = ", ".join(str(rows[i].sheet.row) for i in cycle)
            for i in cycle:
                if rows[i].ok:
                    rows[i].problem = _problem(
                        rows[i],
                        "induk",
                        _("Induk membentuk lingkaran: %(chain)s (baris %(rows)s).") % {"chain": chain, "rows": numbers},
                    )
        for i in path:
            state[i] = 2

    resolved = [False] * len(rows)
    for start in range(len(rows)):
        chain = []
        current = start
        while current is not None and not resolved[current]:
            chain.append(current)
            if not rows[current].ok:
                break  # refused on its own: needs no parent to be resolved
            current = rows[current].parent
        for i in reversed(chain):  # the topmost unresolved first
            _resolve(rows, i)
            resolved[i] = True


def _resolve(rows: list[_Row], index: int) -> None:
    row = rows[index]
    if not row.ok:
        return
    parent = rows[row.parent] if row.parent is not None else None
    if parent is not None and not parent.ok:
        refused = parent.refused_by if parent.refused_by is not None else row.parent
        row.refused_by = refused
        row.problem = _problem(
            row,
            "induk",
            _("Baris ini bergantung pada baris %(row)d yang ditolak (kode “%(kode)s”).")
            % {"row": rows[refused].sheet.row, "kode": rows[refused].sheet["kode"]},
        )
        return
    parent_jenis = parent.jenis if parent is not None else rules.AKAR
    if not rules.jenis_allowed_under(row.jenis, parent_jenis):
        row.problem = _problem(row, "jenis", rules.refusal_message(row.jenis, parent_jenis))


def _tree_order(rows: list[_Row]) -> list[int]:
    """The accepted rows, parents before children, siblings in sheet order (depth first)."""
    children: dict[int | None, list[int]] = {}
    for index, row in enumerate(rows):
        if row.ok:
            children.setdefault(row.parent, []).append(index)
    order: list[int] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        index = stack.pop()
        order.append(index)
        stack.extend(reversed(children.get(index, [])))
    return order


def _fill_plan(plan: ImportPlan, rows: list[_Row], order: list[int]) -> None:
    """Rows, preview, counts and roll-up of the accepted rows, in tree order."""
    position = {index: at for at, index in enumerate(order)}
    depth: dict[int, int] = {}
    for index in order:
        row = rows[index]
        depth[index] = 1 if row.parent is None else depth[row.parent] + 1
        cells = row.sheet
        cleaned = SheetRow(
            cells.row,
            {
                **cells,
                "jenis": row.jenis,
                "unit_kerja": row.unit.nama if row.unit else "",
                "pagu": "" if row.pagu is None else str(row.pagu),
            },
        )
        plan.rows.append(cleaned)
        plan.preview.append((depth[index], cells["kode"], row.jenis, cells["uraian"], row.pagu))
        plan.node_rows.append(
            NodeRow(
                parent=None if row.parent is None else position[row.parent],
                jenis=row.jenis,
                kode=cells["kode"],
                uraian=cells["uraian"],
                unit_id=row.unit.pk if row.unit else None,
                pagu=row.pagu,
                target=cells["target"],
                satuan=cells["satuan"],
            )
        )
    per_jenis = Counter(rows[index].jenis for index in order)
    plan.counts = {jenis: per_jenis[jenis] for jenis in rules.JENIS_LABELS if per_jenis[jenis]}
    # pagu_rollup's rule: a node's own Pagu where it has one, else the sum of its children's.
    totals: dict[int, Decimal | None] = {}
    child_totals: dict[int | None, list[Decimal]] = {}
    for index in reversed(order):
        row = rows[index]
        below = child_totals.get(index)
        total = row.pagu if row.pagu is not None else (sum(below, Decimal(0)) if below else None)
        totals[index] = total
        if total is not None:
            child_totals.setdefault(row.parent, []).append(total)
    plan.total_pagu = sum(child_totals.get(None, []), Decimal(0))
