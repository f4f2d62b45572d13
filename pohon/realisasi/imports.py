"""The realisation import: a spreadsheet of (kode or kunci, triwulan, realisasi,
realisasi_anggaran, notes, and for an Indikator its quarter's target and its rule), all or
nothing, each problem named by row and column.

The file is read by ``core.spreadsheet`` (the formats, limits and messages every import shares)
and every row goes through the same checks and writes as the quarter's form
(``services._realisasi_write`` / ``_anggaran_write``): rights, the open window, the unit's report
not frozen, the value on the indikator's scale, the Pagu. A dry run (the preview) and any problem
roll the whole transaction back.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.spreadsheet import ImportProblem, SheetRow, spreadsheet_read
from dinas.models import PerangkatDaerah
from pohon import rules
from pohon.history import riwayat_peristiwa
from pohon.realisasi.capaian import Aturan
from pohon.realisasi.models import TRIWULAN_LABELS
from pohon.realisasi.services import (
    AnggaranInput,
    Konteks,
    RealisasiInput,
    _anggaran_write,
    _ensure_open,
    _realisasi_write,
    konteks_load,
    rencana_set,
)

COLUMNS: tuple[str, ...] = (
    "kode", "kunci", "triwulan", "realisasi", "realisasi_anggaran", "pendukung", "penghambat", "tindak_lanjut",
    "konfirmasi_lebih_pagu", "target", "aturan",
)  # fmt: skip
REQUIRED: tuple[str, ...] = ("triwulan",)
_YA = {"ya", "y", "yes", "1", "true", "benar"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "tw i": 1, "tw ii": 2, "tw iii": 3, "tw iv": 4}


@dataclass
class ImportHasil:
    problems: list[ImportProblem] = field(default_factory=list)
    realisasi: int = 0
    anggaran: int = 0
    target: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class _Rollback(Exception):
    pass


def _triwulan(text: str) -> int | None:
    key = " ".join(text.split()).casefold()
    if key.isdigit() and int(key) in TRIWULAN_LABELS:
        return int(key)
    return _ROMAN.get(key)


def _aturan(text: str) -> str | None:
    key = "_".join(text.replace("-", " ").split()).casefold()
    return key if key in Aturan.values else None


def _node_of(ctx: Konteks, row: SheetRow):
    if row.get("kunci"):
        try:
            node = ctx.by_kunci.get(uuid.UUID(row["kunci"]))
        except ValueError:
            node = None
        return node, "kunci", row["kunci"]
    node = ctx.by_kode.get(row.get("kode", "").casefold())
    return node, "kode", row.get("kode", "")


def realisasi_import(
    *,
    dinas: PerangkatDaerah,
    tahun: int,
    data: bytes,
    filename: str,
    user,
    dry_run: bool = False,
    today: datetime.date | None = None,
) -> ImportHasil:
    """Import (or, with ``dry_run``, check) a realisation spreadsheet; nothing is written unless
    every row passes."""
    sheet_rows, problems = spreadsheet_read(data, filename=filename, columns=COLUMNS, required=REQUIRED)
    result = ImportHasil(problems=list(problems))
    if problems:
        return result
    try:
        with transaction.atomic(), riwayat_peristiwa():
            _import_rows(dinas=dinas, tahun=tahun, rows=sheet_rows, user=user, today=today, result=result)
            if result.problems or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except ValidationError as error:  # the year has no approved tree
        result.problems.append(ImportProblem(None, None, "", " ".join(error.messages)))
    return result


def _import_rows(*, dinas, tahun, rows, user, today, result: ImportHasil) -> None:
    ctx = konteks_load(dinas=dinas, tahun=tahun)
    seen: dict[tuple[uuid.UUID, int], int] = {}

    def problem(row: SheetRow, column: str, message: str) -> None:
        result.problems.append(ImportProblem(row.row, column, row.get(column, ""), message))

    open_checked: dict[int, str] = {}
    for row in rows:
        if not isinstance(row, SheetRow):
            continue
        result.rows += 1
        node, column, _value = _node_of(ctx, row)
        if not row.get("kode") and not row.get("kunci"):
            problem(row, "kode", _("Isi kode atau kunci butir."))
            continue
        if node is None:
            problem(
                row, column, _("Butir tidak ditemukan pada pohon kinerja %(tahun)s yang disetujui.") % {"tahun": tahun}
            )
            continue
        triwulan = _triwulan(row.get("triwulan", ""))
        if triwulan is None:
            problem(row, "triwulan", _("Triwulan harus 1, 2, 3 atau 4 (atau I-IV)."))
            continue
        reports = bool(row.get("realisasi") or row.get("realisasi_anggaran"))
        if reports and triwulan not in open_checked:
            try:
                _ensure_open(ctx, triwulan, today)
                open_checked[triwulan] = ""
            except ValidationError as error:
                open_checked[triwulan] = " ".join(error.messages)
        if reports and open_checked[triwulan]:
            problem(row, "triwulan", open_checked[triwulan])
            continue
        earlier = seen.get((node.kunci, triwulan))
        if earlier is not None:
            problem(
                row,
                column,
                _("%(kode)s %(tw)s sudah ada di baris %(row)d.")
                % {"kode": node.kode, "tw": TRIWULAN_LABELS[triwulan], "row": earlier},
            )
            continue
        seen[(node.kunci, triwulan)] = row.row
        if node.jenis in rules.MEASURED:
            if row.get("realisasi_anggaran"):
                problem(
                    row, "realisasi_anggaran", _("Realisasi anggaran diisi pada Program/Kegiatan, bukan Indikator.")
                )
                continue
            if row.get("target") or row.get("aturan"):
                if not _rencana_row(ctx, row, node=node, triwulan=triwulan, user=user, problem=problem):
                    continue
                result.target += 1
                if not row.get("realisasi"):
                    continue
            if not row.get("realisasi"):
                problem(row, "realisasi", _("Isi realisasi (atau target) indikator ini."))
                continue
            entry = RealisasiInput(
                kunci=node.kunci,
                nilai=row["realisasi"],
                pendukung=row.get("pendukung", ""),
                penghambat=row.get("penghambat", ""),
                tindak_lanjut=row.get("tindak_lanjut", ""),
            )
            target_column, write = "realisasi", _realisasi_write
        elif node.jenis in rules.BUDGETED:
            if row.get("target") or row.get("aturan"):
                column_bad = "target" if row.get("target") else "aturan"
                problem(row, column_bad, _("Target dan aturan triwulan hanya untuk Indikator."))
                continue
            if row.get("realisasi"):
                problem(row, "realisasi", _("%(jenis)s tidak memiliki realisasi indikator; isi realisasi_anggaran.")
                        % {"jenis": node.jenis_label})  # fmt: skip
                continue
            if not row.get("realisasi_anggaran"):
                problem(row, "realisasi_anggaran", _("Isi realisasi anggaran butir ini."))
                continue
            entry = AnggaranInput(
                kunci=node.kunci,
                jumlah=row["realisasi_anggaran"],
                konfirmasi_lebih_pagu=row.get("konfirmasi_lebih_pagu", "").casefold() in _YA,
            )
            target_column, write = "realisasi_anggaran", _anggaran_write
        else:
            problem(row, column, _("%(jenis)s tidak dilaporkan realisasinya.") % {"jenis": node.jenis_label})
            continue
        try:
            with transaction.atomic():
                written = write(ctx, triwulan=triwulan, entry=entry, user=user)
        except PermissionDenied as denied:
            problem(row, column, str(denied))
            continue
        except ValidationError as error:
            problem(row, target_column, " ".join(error.messages))
            continue
        if written is not None:
            if target_column == "realisasi":
                result.realisasi += 1
            else:
                result.anggaran += 1


def _rencana_row(ctx: Konteks, row: SheetRow, *, node, triwulan: int, user, problem) -> bool:
    """Set the quarter's target and/or the rule of an Indikator from a row; False when refused."""
    aturan_text = row.get("aturan", "")
    aturan = _aturan(aturan_text) if aturan_text else None
    if aturan_text and aturan is None:
        message = _("Aturan “%(a)s” tidak dikenal; gunakan kumulatif, nilai_akhir atau rata_rata.")
        problem(row, "aturan", message % {"a": aturan_text})
        return False
    current = ctx.rencana.get(node.kunci)
    try:
        with transaction.atomic():
            rencana_set(
                dinas=ctx.dinas,
                tahun=ctx.tahun,
                kunci=node.kunci,
                aturan=aturan or (current.aturan if current is not None else Aturan.NILAI_AKHIR),
                targets={triwulan: row["target"]} if row.get("target") else {},
                user=user,
                ctx=ctx,
            )
    except PermissionDenied as denied:
        problem(row, "kode" if row.get("kode") else "kunci", str(denied))
        return False
    except ValidationError as error:
        messages = error.messages
        if hasattr(error, "error_dict"):
            messages = [m for ms in error.message_dict.values() for m in ms]
        problem(row, "target", " ".join(messages))
        return False
    return True
