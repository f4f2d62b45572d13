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

The checks (``pohon.imports.checks``), in order; each row gets at most one message, the first that applies:
1. the tree: an existing tree needs ``replace`` and must be editable (draf, dikembalikan);
2. the file (``core.spreadsheet``): type, size, rows, required columns, cell characters;
3. each row's own cells: kode (empty, duplicate, the field's validator and length), jenis,
   uraian (empty, length), unit_kerja (by name within the agency), pagu (``pagu_parse``, 18 digits), target and
   satuan (``pohon.targets.target_parse``: a number or a text, the satuan typed in the target
   agreeing with the satuan column), arah (naik/turun/tetap, empty: naik), satuan length, the
   kind rules of ``Node.clean`` (Pagu, target, satuan, arah), kunci (a UUID, not twice in the
   file), then induk (unknown);
4. between rows: cycles of induk; then, parents before children, the rule table
   (``rules.jenis_allowed_under``, top-level rows stand under the hidden root "akar");
5. a row below a refused one gets one message naming the nearest ancestor refused on its own.

A Pemda tree (its owner of jenis pemda) is checked against the Pemda's rule table and reads one
optional column more per year of its RPJMD period (``target_2014`` ...: an Indikator's yearly
target, ``pohon.resources``); the period is the existing tree's, else ``tahun``-``tahun_akhir``
(five years by default).
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.spreadsheet import ImportProblem, SheetRow, row_problem, spreadsheet_read
from dinas.models import PerangkatDaerah
from pohon import rules
from pohon.history import butir_list, riwayat_peristiwa, riwayat_record
from pohon.imports.checks import (
    CheckedRow,
    check_cells,
    check_parents,
    fill_plan,
    tahun_out_of_range,
    tree_order,
    tree_problems,
)
from pohon.models import Node, NodeRiwayat, Pohon
from pohon.permissions import authorize_branch_edit
from pohon.resources import COLUMNS, target_column
from pohon.services import (
    NodeRow,
    node_delete,
    pohon_create,
    pohon_ensure_editable,
    pohon_lock,
    tree_bulk_insert,
    tree_copy,
)
from pohon.targets import ParsedTarget, target_parse

REQUIRED_COLUMNS: tuple[str, ...] = ("kode", "induk", "jenis", "uraian")
DATA_SHEET = "pohon"  # the template's sheet to fill in


@dataclass
class ImportPlan:
    """What an import would do, or why it cannot: read and checked, nothing written."""

    dinas: PerangkatDaerah
    tahun: int
    problems: list[ImportProblem]
    existing: Pohon | None  # the tree this would replace, if any
    # Filled by the checks from the rows that pass (empty for a file that could not be read):
    rows: list[dict[str, str]] = field(default_factory=list)  # cleaned rows (SheetRow) in tree order
    counts: dict[str, int] = field(default_factory=dict)  # per jenis, in the rule table's order
    total_pagu: Decimal = Decimal(0)  # the roll-up total, as pohon.selectors.pagu_rollup computes it
    # (depth, kode, jenis, uraian, pagu); top = 1
    preview: list[tuple[int, str, str, str, Decimal | None]] = field(default_factory=list)
    node_rows: list[NodeRow] = field(default_factory=list, repr=False)  # what tree_bulk_insert gets
    # A Pemda tree's period end, and its Indikator's yearly targets: node_rows index -> tahun -> target.
    tahun_akhir: int | None = None
    targets: dict[int, dict[int, ParsedTarget]] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems


def pohon_import_existing(*, dinas: PerangkatDaerah, tahun: int) -> Pohon | None:
    """The tree an import for this agency and year would replace: its newest revision."""
    return Pohon.objects.filter(dinas=dinas, tahun=tahun).select_related("dinas").order_by("-revisi").first()


def pohon_import_plan(
    *,
    dinas: PerangkatDaerah,
    tahun: int,
    data: bytes,
    filename: str,
    replace: bool = False,
    tahun_akhir: int | None = None,
) -> ImportPlan:
    """Read and check a spreadsheet for importing into ``dinas``'s tree of ``tahun``; writes nothing."""
    existing = pohon_import_existing(dinas=dinas, tahun=tahun)
    problems = tree_problems(dinas=dinas, tahun=tahun, existing=existing, replace=replace)
    years: tuple[int, ...] = ()
    if dinas.is_pemda:
        if existing is not None:
            tahun_akhir = existing.tahun_akhir
        elif tahun_akhir is None:
            from pohon.pemda.services import PERIODE_TAHUN

            tahun_akhir = tahun + PERIODE_TAHUN - 1
        if tahun_akhir is not None and not tahun <= tahun_akhir <= tahun + 9:
            problems.append(ImportProblem(None, None, str(tahun_akhir), _("Periode RPJMD harus 1 sampai 10 tahun.")))
        else:
            years = tuple(range(tahun, (tahun_akhir or tahun) + 1))
    else:
        tahun_akhir = None
    sheet_rows, file_problems = spreadsheet_read(
        data,
        filename=filename,
        columns=(*COLUMNS, *(target_column(year) for year in years)),
        required=REQUIRED_COLUMNS,
        sheet=DATA_SHEET,
    )
    problems += file_problems
    rows = [CheckedRow(sheet=row) for row in sheet_rows if isinstance(row, SheetRow)]
    check_cells(rows, dinas)
    yearly = _check_yearly_targets(rows, years)
    pemilik = rules.PEMILIK_PEMDA if dinas.is_pemda else rules.PEMILIK_DINAS
    check_parents(rows, pemilik)
    order = tree_order(rows)
    problems += sorted((row.problem for row in rows if row.problem), key=lambda p: (p.row or 0, p.column or ""))
    plan = ImportPlan(dinas=dinas, tahun=tahun, problems=problems, existing=existing, tahun_akhir=tahun_akhir)
    fill_plan(plan, rows, order)
    plan.targets = {at: yearly[index] for at, index in enumerate(order) if yearly.get(index)}
    return plan


def _check_yearly_targets(rows: list[CheckedRow], years: tuple[int, ...]) -> dict[int, dict[int, ParsedTarget]]:
    """A Pemda tree's ``target_<tahun>`` cells: read like ``target`` (with the row's satuan), only
    on an Indikator. Returns row index -> tahun -> target for the rows that have any."""
    found: dict[int, dict[int, ParsedTarget]] = {}
    for index, row in enumerate(rows):
        for year in years:
            column = target_column(year)
            cell = row.sheet.get(column, "")
            if not cell or not row.ok:
                continue
            if row.jenis != rules.INDIKATOR:
                row.problem = row_problem(
                    row.sheet,
                    column,
                    _("Target per tahun hanya untuk Indikator, bukan %(jenis)s.")
                    % {"jenis": rules.jenis_label(row.jenis)},
                )
                break
            try:
                parsed = target_parse(cell, row.target.satuan)
            except ValidationError as error:
                row.problem = row_problem(row.sheet, column, error.messages[0])
                break
            found.setdefault(index, {})[year] = parsed
    return found


def pohon_import(
    *,
    dinas: PerangkatDaerah,
    tahun: int,
    data: bytes,
    filename: str,
    replace: bool = False,
    dry_run: bool = False,
    user=None,
    tahun_akhir: int | None = None,
) -> tuple[ImportPlan, Pohon | None]:
    """Import a spreadsheet as ``dinas``'s tree of ``tahun``, all or nothing.

    Returns the plan and the written tree; on any problem, or with ``dry_run``, nothing is
    written and the tree is None. With ``user`` the user must be allowed to edit the top of the
    tree (an Admin of the agency: PermissionDenied otherwise); None is a system import.
    """
    plan = pohon_import_plan(
        dinas=dinas, tahun=tahun, data=data, filename=filename, replace=replace, tahun_akhir=tahun_akhir
    )
    if not plan.ok or dry_run:
        return plan, None
    authorize_branch_edit(user, plan.existing or Pohon(dinas=dinas, tahun=tahun, tahun_akhir=plan.tahun_akhir), None)
    try:
        pohon = _import_write(plan, filename=filename, user=user)
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
@riwayat_peristiwa()
def _import_write(plan: ImportPlan, *, filename: str, user=None) -> Pohon:
    """One event in the history: the emptying of a replaced tree and the import's own entry."""
    node_rows = plan.node_rows
    if plan.existing is None:
        pohon = pohon_create(dinas=plan.dinas, tahun=plan.tahun, tahun_akhir=plan.tahun_akhir)
    else:
        pohon = pohon_lock(plan.existing)
        node_rows = _keep_known_kunci(pohon, node_rows)
        pohon_empty(pohon=pohon, user=user)  # refuses a tree that is no longer editable
    nodes = tree_bulk_insert(pohon=pohon, rows=node_rows)
    if pohon.tahun_akhir is not None:
        from pohon.pemda.services import target_tahunan_bulk_write

        target_tahunan_bulk_write(pohon=pohon, targets=plan.targets, nodes=nodes)
    # One entry per import: the file's rows are the record, per-node entries would only add cost;
    # it names the file and lists the first nodes for the history page.
    riwayat_record(
        pohon=pohon,
        aksi=NodeRiwayat.Aksi.IMPOR,
        user=user,
        sesudah={"jumlah": len(plan.node_rows), "berkas": filename, "butir": butir_list(plan.node_rows)},
    )
    return pohon


def _keep_known_kunci(pohon: Pohon, rows: list[NodeRow]) -> list[NodeRow]:
    """The rows to write over ``pohon``'s nodes: a row with a kunci keeps it; a row without one
    (a file from before kunci existed, a new row) whose kode a node of the tree has gets that
    node's kunci, unless another row of the file names it, so replacing a draft by a file keeps
    the nodes it already knew (their history and links). One query."""
    taken = {row.kunci for row in rows if row.kunci is not None}
    if len(taken) == len(rows):
        return rows  # every row names its node (an export's file): nothing to look up
    known = dict(Node.objects.filter(pohon=pohon).visible().values_list("kode", "kunci"))
    return [
        replace(row, kunci=known[row.kode])
        if row.kunci is None and row.kode in known and known[row.kode] not in taken
        else row
        for row in rows
    ]


@transaction.atomic
@riwayat_peristiwa()
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
    same agency for ``tahun``; refuses when the agency already has a tree for that year. A Pemda
    tree is copied into a new RPJMD period of the same length starting in ``tahun`` (its nodes
    keep their kunci; the yearly targets, which belong to the old period's years, stay behind)."""
    if out_of_range := tahun_out_of_range(tahun):
        raise ValidationError(out_of_range, code="tahun_range")
    source = pohon_lock(pohon)
    if source.is_pemda:
        from pohon.pemda.services import pemda_pohon_create

        assert source.tahun_akhir is not None
        target = pemda_pohon_create(
            pemda=source.dinas.pemda, tahun=tahun, tahun_akhir=tahun + source.tahun_akhir - source.tahun
        )
        tree_copy(source=source, target=target)
        return target
    if Pohon.objects.filter(dinas_id=source.dinas_id, tahun=tahun).exists():
        raise ValidationError(
            _("Perangkat Daerah %(dinas)s sudah memiliki pohon kinerja tahun %(tahun)s; pohon tidak disalin.")
            % {"dinas": source.dinas.kode, "tahun": tahun},
            code="pohon_exists",
        )
    target = pohon_create(dinas=source.dinas, tahun=tahun)
    tree_copy(source=source, target=target)
    return target
