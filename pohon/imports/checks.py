"""The checks of a tree import (see ``pohon.imports``): each row's own cells, then the rows
between them (parents, cycles, the rule table), and the plan filled from the rows that pass."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.spreadsheet import ImportProblem, SheetRow, choice_key, choice_lookup, row_problem
from dinas.models import PerangkatDaerah, UnitKerja
from pohon import rules
from pohon.models import Node, Pohon, node_values_errors
from pohon.money import pagu_parse
from pohon.services import (
    NodeRow,
)
from pohon.targets import ParsedTarget, arah_default, arah_parse, target_parse

if TYPE_CHECKING:
    from pohon.imports import ImportPlan

TAHUN_MIN, TAHUN_MAX = 2000, 2100

# Model field -> spreadsheet column, in the order a row's problems are looked for.
_FIELD_COLUMNS = {
    "kode": "kode",
    "jenis": "jenis",
    "uraian": "uraian",
    "unit": "unit_kerja",
    "pagu": "pagu",
    "target": "target",
    "target_angka": "target",
    "target_teks": "target",
    "satuan": "satuan",
    "arah": "arah",
}


@dataclass
class CheckedRow:
    """One data row on its way through the checks."""

    sheet: SheetRow
    jenis: str = ""
    unit: UnitKerja | None = None
    pagu: Decimal | None = None
    target: ParsedTarget = ParsedTarget()  # target and satuan as target_parse reads them
    arah: str = ""
    kunci: uuid.UUID | None = None  # None: a new node (no kunci in the row)
    parent: int | None = None  # index of the parent row; None: the top of the tree
    problem: ImportProblem | None = None
    refused_by: int | None = None  # index of the refused ancestor this row depends on

    @property
    def ok(self) -> bool:
        return self.problem is None


def tahun_out_of_range(tahun: int) -> str | None:
    """Why a tree cannot be made for ``tahun``, or None when the year is in range."""
    if TAHUN_MIN <= tahun <= TAHUN_MAX:
        return None
    return _("Tahun %(tahun)s di luar rentang %(min)d-%(max)d.") % {"tahun": tahun, "min": TAHUN_MIN, "max": TAHUN_MAX}


def tree_problems(*, dinas: PerangkatDaerah, tahun: int, existing: Pohon | None, replace: bool) -> list[ImportProblem]:
    if out_of_range := tahun_out_of_range(tahun):
        return [ImportProblem(None, None, str(tahun), out_of_range)]
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


def _problem(row: CheckedRow, column: str, message: str) -> ImportProblem:
    return row_problem(row.sheet, column, message)


def _jenis_lookup() -> dict[str, str]:
    """``Sub Kegiatan``, ``sub_kegiatan``, ``SUB KEGIATAN``, ``subkegiatan`` -> ``sub_kegiatan``."""
    return choice_lookup((jenis, rules.jenis_label(jenis)) for jenis in rules.JENIS_LABELS if jenis != rules.AKAR)


def _unit_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def check_cells(rows: list[CheckedRow], dinas: PerangkatDaerah) -> None:
    """Each row's own cells, and induk against the kodes of the file."""
    jenis_lookup = _jenis_lookup()
    jenis_choices = ", ".join(j for j in rules.JENIS_LABELS if j != rules.AKAR)
    units: dict[str, list[UnitKerja]] = {}
    for unit in UnitKerja.objects.filter(dinas=dinas):
        units.setdefault(_unit_key(unit.nama), []).append(unit)
    first_with_kode: dict[str, int] = {}
    for index, row in enumerate(rows):
        first_with_kode.setdefault(row.sheet["kode"], index)
    folded_kodes: dict[str, str] = {}  # for the hint on an induk that differs in case only
    for kode in first_with_kode:
        folded_kodes.setdefault(kode.casefold(), kode)
    first_with_kunci: dict[uuid.UUID, int] = {}

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
        row.jenis = jenis_lookup.get(choice_key(cells["jenis"]), "")
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
        try:
            row.target = target_parse(cells["target"], cells["satuan"])
        except ValidationError as error:
            for column, messages in error.message_dict.items():  # "target" or "satuan"
                found.setdefault(column, messages[0])
        try:
            row.arah = arah_parse(cells["arah"])
        except ValidationError as error:
            found["arah"] = error.messages[0]
        for model_field, messages in _model_errors(row).items():
            column = _FIELD_COLUMNS.get(model_field)
            if column and messages:
                found.setdefault(column, messages[0])
        if kunci_problem := _check_kunci(row, index, first_with_kunci, rows):
            found["kunci"] = kunci_problem
        if cells["induk"] in first_with_kode:
            row.parent = first_with_kode[cells["induk"]]
        elif cells["induk"]:
            found["induk"] = _unknown_induk(cells["induk"], folded_kodes)
        for column in (*_FIELD_COLUMNS.values(), "kunci", "induk"):
            if column in found:
                row.problem = _problem(row, column, found[column])
                break


def _check_kunci(
    row: CheckedRow, index: int, first_with_kunci: dict[uuid.UUID, int], rows: list[CheckedRow]
) -> str | None:
    """Parse the row's kunci (empty: a new node) into ``row.kunci``; the message when it is no
    UUID or an earlier row has it already (two rows cannot be the same node)."""
    text = row.sheet["kunci"]
    if not text:
        return None
    try:
        kunci = uuid.UUID(text)
    except ValueError:
        return _(
            "Kunci “%(kunci)s” tidak sah: kunci ditulis oleh ekspor dalam bentuk "
            "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx; salin apa adanya atau kosongkan untuk node baru."
        ) % {"kunci": text}
    first = first_with_kunci.setdefault(kunci, index)
    if first != index:
        return _("Kunci “%(kunci)s” sudah dipakai di baris %(row)d; setiap butir memiliki kuncinya sendiri.") % {
            "kunci": text,
            "row": rows[first].sheet.row,
        }
    row.kunci = kunci
    return None


def _model_errors(row: CheckedRow) -> dict[str, list[str]]:
    """The model's own rules for the row's cells: each field's validators (kode pattern, the
    lengths of kode, uraian and satuan, Pagu digits; the target's were checked by
    ``target_parse``), then ``node_values_errors`` for the kind rules (Pagu only on Program/Kegiatan/Sub
    Kegiatan, target, satuan and arah only on an Indikator). The parent is checked later."""
    cells = row.sheet
    errors: dict[str, list[str]] = {}
    target = row.target
    for name, value in (("kode", cells["kode"]), ("uraian", cells["uraian"]), ("satuan", target.satuan)):
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
    # The kind rules of the row's own values (Pagu, target, satuan, arah), as Node.clean applies
    # them; the parent is checked later (check_parents). No Node is built: 10,000 rows are
    # checked in a fraction of a second.
    if row.jenis:
        values_errors = node_values_errors(
            jenis=row.jenis,
            pagu=row.pagu,
            target_angka=target.angka,
            target_teks=target.teks,
            satuan=target.satuan,
            arah=row.arah,
        )
        for name, messages in values_errors.items():
            errors.setdefault(name, []).extend(messages)
    return errors


def _unknown_induk(induk: str, folded_kodes: dict[str, str]) -> str:
    """The message for an induk no row has as kode; ``folded_kodes`` maps each kode, case folded,
    to the first kode in the sheet that folds to it (a hint for a difference in case only)."""
    message = _("Induk “%(induk)s” tidak ditemukan: tidak ada baris dengan kode itu.") % {"induk": induk}
    similar = folded_kodes.get(induk.casefold())
    if similar:
        message += " " + _("Maksudnya “%(kode)s”? Huruf besar dan kecil pada kode dibedakan.") % {"kode": similar}
    return message


def check_parents(rows: list[CheckedRow], pemilik: str = rules.PEMILIK_DINAS) -> None:
    """Cycles of induk, then, parents before children, the rule table (of the tree's owner kind)
    and the rows that depend on a refused one."""
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
            _resolve(rows, i, pemilik)
            resolved[i] = True


def _resolve(rows: list[CheckedRow], index: int, pemilik: str) -> None:
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
    if not rules.jenis_allowed_under(row.jenis, parent_jenis, pemilik):
        row.problem = _problem(row, "jenis", rules.refusal_message(row.jenis, parent_jenis, pemilik))


def tree_order(rows: list[CheckedRow]) -> list[int]:
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


def fill_plan(plan: ImportPlan, rows: list[CheckedRow], order: list[int]) -> None:
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
                "target": row.target.display,
                "satuan": row.target.satuan,
                "arah": arah_default(row.jenis, row.arah),
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
                target_angka=row.target.angka,
                target_teks=row.target.teks,
                satuan=row.target.satuan,
                arah=arah_default(row.jenis, row.arah),
                kunci=row.kunci,
            )
        )
    per_jenis = Counter(rows[index].jenis for index in order)
    plan.counts = {jenis: per_jenis[jenis] for jenis in rules.JENIS_LABELS if per_jenis[jenis]}
    # pagu_rollup's rule: a node's own Pagu where it has one, else the sum of its children's.
    child_totals: dict[int | None, list[Decimal]] = {}
    for index in reversed(order):
        row = rows[index]
        below = child_totals.get(index)
        total = row.pagu if row.pagu is not None else (sum(below, Decimal(0)) if below else None)
        if total is not None:
            child_totals.setdefault(row.parent, []).append(total)
    plan.total_pagu = sum(child_totals.get(None, []), Decimal(0))
