"""Importing and exporting the organisation table: agencies, their units and the officials.

One row per unit (``kode`` unique within its agency, ``induk`` the parent unit's kode); a unit
with several officials over the years takes one row per official, the unit's cells repeated (or
left empty). Agencies are matched by kode, units by agency and kode, officials by unit and NIP:
rows create what is missing and update what differs, so importing the same file twice changes
nothing, and nothing is ever deleted. An empty cell keeps the stored value (an agency's name,
a unit's ``urutan``, an official's years), so a short file can add a unit without restating
everything.

Columns beyond the issue's ten (``tempat``, ``urutan``, ``tahun_mulai``, ``tahun_selesai``) are
optional; the export writes them so that its file imports back to exactly the same state.

Like the tree import it is all or nothing: planned first (nothing written), written only
without problems, in one transaction, each object through ``full_clean()`` and ``save()``.
The order of checks per row (one message per row, the first that applies): agency kode, agency
cells (conflicts with an earlier row of the same agency), unit kode, jenis, nama, urutan,
duplicate unit, official (name, NIP via ``dinas.nip.nip_validate``, jabatan, years, duplicate
NIP); then induk (unknown, cycle), and rows that depend on a refused unit.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dinas.models import Pejabat, PerangkatDaerah, UnitKerja
from dinas.nip import nip_format, nip_normalize, nip_validate
from pohon.resources import FORMATS
from pohon.spreadsheet import ImportProblem, dataset_escape_formulae, normalise_key, spreadsheet_read

COLUMNS: tuple[str, ...] = (
    "perangkat_daerah",
    "nama_perangkat_daerah",
    "pemda",
    "tempat",
    "kode",
    "induk",
    "jenis",
    "nama",
    "urutan",
    "pejabat",
    "nip",
    "jabatan",
    "tahun_mulai",
    "tahun_selesai",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("perangkat_daerah", "kode", "induk", "jenis", "nama")
DATA_SHEET = "organisasi"

_AGENCY_CELLS = {"nama_perangkat_daerah": "nama", "pemda": "pemda", "tempat": "tempat"}
_UNIT_CELLS = ("kode", "induk", "jenis", "nama", "urutan")
_OFFICIAL_CELLS = ("pejabat", "nip", "jabatan", "tahun_mulai", "tahun_selesai")

COUNT_KEYS = (
    "perangkat_daerah_baru",
    "perangkat_daerah_diubah",
    "unit_baru",
    "unit_diubah",
    "pejabat_baru",
    "pejabat_diubah",
)
COUNT_LABELS = {
    "perangkat_daerah_baru": gettext_lazy("Perangkat Daerah baru"),
    "perangkat_daerah_diubah": gettext_lazy("Perangkat Daerah diubah"),
    "unit_baru": gettext_lazy("Unit kerja baru"),
    "unit_diubah": gettext_lazy("Unit kerja diubah"),
    "pejabat_baru": gettext_lazy("Pejabat baru"),
    "pejabat_diubah": gettext_lazy("Pejabat diubah"),
}


@dataclass
class OrganisasiPlan:
    """What an organisation import would do, or why it cannot; nothing written."""

    rows: list[dict[str, str]]  # the rows read (SheetRow: .row is the sheet's number), in sheet order
    problems: list[ImportProblem]
    counts: dict[str, int]  # COUNT_KEYS -> how many would be created / changed
    agencies: list[PerangkatDaerah] = field(default_factory=list, repr=False)  # to save, in order
    units: list[UnitKerja] = field(default_factory=list, repr=False)  # to save, parents first
    officials: list[Pejabat] = field(default_factory=list, repr=False)  # to save

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _UnitEntry:
    """A unit as the file defines it: its first row, and what later rows add."""

    index: int  # the defining row's index
    dinas_kode: str
    kode: str
    induk: str
    jenis: str
    nama: str
    urutan: int | None
    rows: list[int] = field(default_factory=list)  # every row naming this unit


def organisasi_import_plan(*, data: bytes, filename: str) -> OrganisasiPlan:
    """Read and check an organisation table; writes nothing."""
    rows, problems = spreadsheet_read(
        data, filename=filename, columns=COLUMNS, required=REQUIRED_COLUMNS, sheet=DATA_SHEET
    )
    if problems:
        return OrganisasiPlan(rows=[], problems=problems, counts=dict.fromkeys(COUNT_KEYS, 0))
    return _plan(rows)


def organisasi_import(*, data: bytes, filename: str, dry_run: bool = False) -> tuple[OrganisasiPlan, bool]:
    """Import an organisation table, all or nothing; True when it was written (no problems and
    not a dry run), even if nothing needed to change."""
    rows, problems = spreadsheet_read(
        data, filename=filename, columns=COLUMNS, required=REQUIRED_COLUMNS, sheet=DATA_SHEET
    )
    if problems:
        return OrganisasiPlan(rows=[], problems=problems, counts=dict.fromkeys(COUNT_KEYS, 0)), False
    if dry_run:
        return _plan(rows), False
    try:
        with transaction.atomic():
            # Planned again under the agencies' row locks: what is written is what was checked.
            kodes = {row["perangkat_daerah"] for row in rows}
            list(PerangkatDaerah.objects.select_for_update().filter(kode__in=kodes).order_by("pk"))
            plan = _plan(rows)
            if not plan.ok:
                return plan, False
            _write(plan)
    except (ValidationError, IntegrityError) as error:  # changed meanwhile by someone else
        message = (
            " ".join(error.messages)
            if isinstance(error, ValidationError)
            else _("Data organisasi diubah oleh pengguna lain selama impor; ulangi impor.")
        )
        plan = _plan(rows)
        plan.problems.append(ImportProblem(None, None, "", message))
        return plan, False
    return plan, True


def organisasi_export(*, dinas_kode: str | None, export_format: str) -> bytes:
    """The organisation table of one agency (or of all) as json, csv or xlsx; it imports back to
    the same state. Raises PerangkatDaerah.DoesNotExist for an unknown ``dinas_kode``."""
    agencies = PerangkatDaerah.objects.order_by("kode")
    if dinas_kode is not None:
        agencies = agencies.filter(kode=dinas_kode)
        if not agencies.exists():
            raise PerangkatDaerah.DoesNotExist(dinas_kode)
    units_by_agency: dict[int, list[UnitKerja]] = {}
    for unit in UnitKerja.objects.filter(dinas__in=agencies).select_related("parent").order_by("urutan", "id"):
        units_by_agency.setdefault(unit.dinas_id, []).append(unit)
    officials: dict[int, list[Pejabat]] = {}
    for pejabat in Pejabat.objects.filter(unit__dinas__in=agencies).order_by("tahun_mulai", "id"):
        officials.setdefault(pejabat.unit_id, []).append(pejabat)

    dataset = tablib.Dataset(headers=list(COLUMNS))
    for agency in agencies:
        agency_cells = [agency.kode, agency.nama, agency.pemda, agency.tempat]
        units = units_by_agency.get(agency.pk, [])
        if not units:
            dataset.append([*agency_cells, *[""] * (len(COLUMNS) - len(agency_cells))])
        for unit in units:
            unit_cells = [unit.kode, unit.parent.kode if unit.parent else "", unit.jenis, unit.nama, str(unit.urutan)]
            for pejabat in officials.get(unit.pk) or [None]:
                official_cells = (
                    [
                        pejabat.nama,
                        nip_format(pejabat.nip),  # spaced: a spreadsheet keeps it as text, not 1.97E+17
                        pejabat.jabatan,
                        str(pejabat.tahun_mulai),
                        "" if pejabat.tahun_selesai is None else str(pejabat.tahun_selesai),
                    ]
                    if pejabat
                    else [""] * len(_OFFICIAL_CELLS)
                )
                dataset.append([*agency_cells, *unit_cells, *official_cells])
    data = FORMATS[export_format]().export_data(dataset_escape_formulae(dataset))
    return data if isinstance(data, bytes) else data.encode("utf-8")


# --- planning -----------------------------------------------------------------------------------


def _jenis_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in UnitKerja.Jenis.choices:
        for spelling in (value, label):
            lookup[normalise_key(spelling).replace("_", "")] = value
    return lookup


def _problem(row: dict[str, str], column: str, message: str) -> ImportProblem:
    return ImportProblem(row=getattr(row, "row", None), column=column, value=row.get(column, ""), message=message)


def _field_error(model, name: str, value: str) -> str | None:
    """The model field's own message for ``value`` (slug pattern, length), or None."""
    try:
        model._meta.get_field(name).clean(value, None)
    except ValidationError as error:
        return error.messages[0]
    return None


def _year(text: str) -> int | None:
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        raise ValidationError(_("Tahun harus berupa angka empat digit, contoh 2018.")) from None
    if not 1900 <= number <= 2999:
        raise ValidationError(_("Tahun %(tahun)s tidak masuk akal.") % {"tahun": number})
    return number


def _plan(rows: list[dict[str, str]]) -> OrganisasiPlan:
    problems: dict[int, ImportProblem] = {}  # row index -> its one problem
    jenis_lookup = _jenis_lookup()
    jenis_choices = ", ".join(UnitKerja.Jenis.values)
    agency_first: dict[str, int] = {}  # agency kode -> the row defining each agency cell
    agency_values: dict[str, dict[str, tuple[str, int]]] = {}  # kode -> cell -> (value, row index)
    units: dict[tuple[str, str], _UnitEntry] = {}
    officials_seen: dict[tuple[str, str, str], int] = {}  # (agency, unit, nip) -> row index
    official_rows: list[tuple[int, str, str, str]] = []  # (row index, agency, unit kode, nip)

    def refuse(index: int, column: str, message: str) -> None:
        problems.setdefault(index, _problem(rows[index], column, message))

    for index, row in enumerate(rows):
        agency = row["perangkat_daerah"]
        if not agency:
            refuse(index, "perangkat_daerah", _("Kode Perangkat Daerah wajib diisi."))
            continue
        if message := _field_error(PerangkatDaerah, "kode", agency):
            refuse(index, "perangkat_daerah", message)
            continue
        agency_first.setdefault(agency, index)
        values = agency_values.setdefault(agency, {})
        conflict = False
        for column, model_field in _AGENCY_CELLS.items():
            if not row[column]:
                continue
            if message := _field_error(PerangkatDaerah, model_field, row[column]):
                refuse(index, column, message)
                conflict = True
                break
            earlier = values.setdefault(column, (row[column], index))
            if earlier[0] != row[column]:
                refuse(
                    index,
                    column,
                    _("Isi kolom ini berbeda dengan baris %(row)d untuk Perangkat Daerah yang sama (“%(value)s”).")
                    % {"row": rows[earlier[1]].row, "value": earlier[0]},
                )
                conflict = True
                break
        if conflict:
            continue

        if not any(row[column] for column in (*_UNIT_CELLS, *_OFFICIAL_CELLS)):
            continue  # a row for the agency alone (an agency without units)
        kode = row["kode"]
        if not kode:
            refuse(index, "kode", _("Kode unit kerja wajib diisi."))
            continue
        if message := _field_error(UnitKerja, "kode", kode):
            refuse(index, "kode", message)
            continue
        # The first row naming a unit defines it, refused or not: rows below it then depend on it.
        defining = (agency, kode) not in units
        if defining:
            units[(agency, kode)] = _UnitEntry(index, agency, kode, row["induk"], "", row["nama"], None)
        entry = units[(agency, kode)]
        entry.rows.append(index)
        if not defining and entry.index in problems:
            continue  # marked as depending on the unit's refused row below
        jenis = jenis_lookup.get(normalise_key(row["jenis"]).replace("_", ""), "")
        if row["jenis"] and not jenis:
            refuse(
                index,
                "jenis",
                _("Jenis unit “%(jenis)s” tidak dikenal; gunakan salah satu: %(choices)s.")
                % {"jenis": row["jenis"], "choices": jenis_choices},
            )
            continue
        if row["nama"] and (message := _field_error(UnitKerja, "nama", row["nama"])):
            refuse(index, "nama", message)
            continue
        urutan = None
        if row["urutan"]:
            if not row["urutan"].isdigit() or len(row["urutan"]) > 9:
                refuse(index, "urutan", _("Urutan harus berupa bilangan bulat tidak negatif."))
                continue
            urutan = int(row["urutan"])

        if defining:
            if not jenis:
                refuse(
                    index,
                    "jenis",
                    _("Jenis unit wajib diisi; gunakan salah satu: %(choices)s.") % {"choices": jenis_choices},
                )
                continue
            if not row["nama"]:
                refuse(index, "nama", _("Nama unit kerja wajib diisi."))
                continue
            entry.jenis, entry.urutan = jenis, urutan
        else:
            differs = next(
                (
                    column
                    for column, given, defined in (
                        ("induk", row["induk"], entry.induk),
                        ("jenis", jenis, entry.jenis),
                        ("nama", row["nama"], entry.nama),
                        ("urutan", urutan, entry.urutan),
                    )
                    if given not in ("", None) and given != defined
                ),
                None,
            )
            has_official = any(row[column] for column in _OFFICIAL_CELLS)
            if differs or not has_official:
                refuse(
                    index,
                    differs or "kode",
                    _("Kode unit “%(kode)s” sudah dipakai di baris %(row)d untuk Perangkat Daerah yang sama%(detail)s.")
                    % {
                        "kode": kode,
                        "row": rows[entry.index].row,
                        "detail": _(" dengan isi lain") if differs else "",
                    },
                )
                continue

        if not any(row[column] for column in _OFFICIAL_CELLS):
            continue
        for column, label in (("pejabat", _("Nama pejabat")), ("nip", _("NIP")), ("jabatan", _("Jabatan"))):
            if not row[column]:
                refuse(
                    index, column, _("%(label)s wajib diisi bila baris ini mencantumkan pejabat.") % {"label": label}
                )
                break
        if index in problems:
            continue
        try:
            nip_validate(row["nip"])
        except ValidationError as error:
            refuse(index, "nip", error.messages[0])
            continue
        for column, model_field in (("pejabat", "nama"), ("jabatan", "jabatan")):
            if message := _field_error(Pejabat, model_field, row[column]):
                refuse(index, column, message)
                break
        if index in problems:
            continue
        try:
            mulai, selesai = _year(row["tahun_mulai"]), None
        except ValidationError as error:
            refuse(index, "tahun_mulai", error.messages[0])
            continue
        try:
            selesai = _year(row["tahun_selesai"])
        except ValidationError as error:
            refuse(index, "tahun_selesai", error.messages[0])
            continue
        if mulai is not None and selesai is not None and selesai < mulai:
            refuse(index, "tahun_selesai", _("Tahun selesai tidak boleh sebelum tahun mulai."))
            continue
        nip = nip_normalize(row["nip"])
        seen = officials_seen.setdefault((agency, kode, nip), index)
        if seen != index:
            refuse(
                index,
                "nip",
                _("Pejabat dengan NIP ini sudah tercantum di baris %(row)d untuk unit yang sama.")
                % {"row": rows[seen].row},
            )
            continue
        official_rows.append((index, agency, kode, nip))

    # The agencies, units and officials as they are now.
    existing_agencies = {a.kode: a for a in PerangkatDaerah.objects.filter(kode__in=set(agency_first))}
    existing_units: dict[tuple[str, str], UnitKerja] = {}
    for unit in UnitKerja.objects.filter(dinas__in=existing_agencies.values()).select_related("dinas", "parent"):
        existing_units[(unit.dinas.kode, unit.kode)] = unit
    existing_officials: dict[tuple[int, str], Pejabat] = {
        (p.unit_id, p.nip): p for p in Pejabat.objects.filter(unit__dinas__in=existing_agencies.values())
    }

    # An agency new to the database needs its name and Pemda; without them none of its rows can go in.
    agency_refused: dict[str, int] = {}
    for agency, first in agency_first.items():
        if agency in existing_agencies:
            continue
        for column in ("nama_perangkat_daerah", "pemda"):
            if column not in agency_values[agency]:
                refuse(first, column, _("Wajib diisi untuk Perangkat Daerah baru “%(kode)s”.") % {"kode": agency})
                agency_refused[agency] = first
                break

    def parent_of(key: tuple[str, str]) -> tuple[str, str] | None:
        """The parent after the import: the file's induk over the stored parent."""
        entry = units.get(key)
        if entry is not None:
            return (key[0], entry.induk) if entry.induk else None
        unit = existing_units.get(key)
        return (key[0], unit.parent.kode) if unit is not None and unit.parent is not None else None

    for key, entry in units.items():
        if entry.induk and (key[0], entry.induk) not in units and (key[0], entry.induk) not in existing_units:
            refuse(
                entry.index,
                "induk",
                _("Unit induk “%(induk)s” tidak ditemukan di %(dinas)s: tidak ada di berkas maupun di data.")
                % {"induk": entry.induk, "dinas": key[0]},
            )

    # Cycles, through the file's units and stored ones alike (linear: each unit is walked once).
    state: dict[tuple[str, str], int] = {}  # 1 on the current path, 2 done
    for key in units:
        path: list[tuple[str, str]] = []
        current: tuple[str, str] | None = key
        while current is not None and current not in state and (current in units or current in existing_units):
            state[current] = 1
            path.append(current)
            current = parent_of(current)
        if current is not None and state.get(current) == 1:
            cycle = path[path.index(current) :]
            chain = " \u2192 ".join(kode for _agency, kode in [*cycle, cycle[0]])
            for each in cycle:
                if each in units:
                    refuse(
                        units[each].index, "induk", _("Unit induk membentuk lingkaran: %(chain)s.") % {"chain": chain}
                    )
        for each in path:
            state[each] = 2

    # Rows that depend on a refused row: every row of a refused unit, and of the units below it.
    refused_by: dict[tuple[str, str], int | None] = {}
    for key in units:
        chain_keys: list[tuple[str, str]] = []
        current = key
        while current is not None and current in units and current not in refused_by:
            chain_keys.append(current)
            if units[current].index in problems:
                break  # refused on its own; every cycle is, so this walk ends
            current = parent_of(current)
        for each in reversed(chain_keys):
            entry = units[each]
            parent = parent_of(each)
            if entry.index in problems:
                refused_by[each] = entry.index
            else:
                refused_by[each] = refused_by.get(parent) if parent in units else None
    for key, entry in units.items():
        refused = refused_by.get(key)
        if refused is None:
            continue
        for index in entry.rows:
            if index not in problems:
                problems[index] = _problem(
                    rows[index],
                    "induk" if index == entry.index else "kode",
                    _("Baris ini bergantung pada baris %(row)d yang ditolak.") % {"row": rows[refused].row},
                )
    for index, row in enumerate(rows):
        refused = agency_refused.get(row["perangkat_daerah"])
        if refused is not None and index not in problems:
            problems[index] = _problem(
                row,
                "perangkat_daerah",
                _("Baris ini bergantung pada baris %(row)d yang ditolak.") % {"row": rows[refused].row},
            )

    plan = OrganisasiPlan(
        rows=rows,
        problems=[problems[index] for index in sorted(problems)],
        counts=dict.fromkeys(COUNT_KEYS, 0),
    )
    if plan.problems:
        return plan
    _plan_changes(
        plan, rows, agency_values, units, official_rows, existing_agencies, existing_units, existing_officials
    )
    return plan


def _plan_changes(
    plan: OrganisasiPlan,
    rows: list[dict[str, str]],
    agency_values: dict[str, dict[str, tuple[str, int]]],
    units: dict[tuple[str, str], _UnitEntry],
    official_rows: list[tuple[int, str, str, str]],
    existing_agencies: dict[str, PerangkatDaerah],
    existing_units: dict[tuple[str, str], UnitKerja],
    existing_officials: dict[tuple[int, str], Pejabat],
) -> None:
    """The objects to save, with new values set in memory, and the counts of what changes."""
    counts: Counter[str] = Counter()
    agencies: dict[str, PerangkatDaerah] = {}
    for kode, values in agency_values.items():
        agency = existing_agencies.get(kode)
        is_new = agency is None
        if is_new:
            agency = PerangkatDaerah(kode=kode, tempat="")
        changed = False
        for column, model_field in _AGENCY_CELLS.items():
            if column in values and getattr(agency, model_field) != values[column][0]:
                setattr(agency, model_field, values[column][0])
                changed = True
        agencies[kode] = agency
        if is_new or changed:
            counts["perangkat_daerah_baru" if is_new else "perangkat_daerah_diubah"] += 1
            plan.agencies.append(agency)

    # Units parents first (a parent may be new too), in file order otherwise.
    saved: dict[tuple[str, str], UnitKerja] = {}
    order: list[tuple[str, str]] = []
    placed: set[tuple[str, str]] = set()
    for key in units:
        chain = []
        current: tuple[str, str] | None = key
        while current is not None and current in units and current not in placed:
            chain.append(current)
            induk = units[current].induk
            current = (current[0], induk) if induk else None
        for each in reversed(chain):
            placed.add(each)
            order.append(each)
    position_in_agency: Counter[str] = Counter()
    for key in order:
        entry = units[key]
        unit = existing_units.get(key)
        is_new = unit is None
        if is_new:
            unit = UnitKerja(dinas=agencies[entry.dinas_kode], kode=entry.kode)
        parent_key = (entry.dinas_kode, entry.induk) if entry.induk else None
        parent = None if parent_key is None else (saved.get(parent_key) or existing_units[parent_key])
        urutan = entry.urutan
        if urutan is None:
            urutan = unit.urutan if not is_new else position_in_agency[entry.dinas_kode]
        position_in_agency[entry.dinas_kode] += 1
        new_values = {"nama": entry.nama, "jenis": entry.jenis, "urutan": urutan}
        changed = any(getattr(unit, name) != value for name, value in new_values.items())
        changed |= (unit.parent_id if not is_new else None) != (parent.pk if parent is not None else None) or (
            parent is not None and parent.pk is None
        )
        for name, value in new_values.items():
            setattr(unit, name, value)
        unit.parent = parent
        saved[key] = unit
        if is_new or changed:
            counts["unit_baru" if is_new else "unit_diubah"] += 1
            plan.units.append(unit)

    this_year = datetime.date.today().year
    for index, agency_kode, unit_kode, nip in official_rows:
        row = rows[index]
        unit = saved[(agency_kode, unit_kode)]
        pejabat = existing_officials.get((unit.pk, nip)) if unit.pk is not None else None
        is_new = pejabat is None
        if is_new:
            pejabat = Pejabat(unit=unit, nip=nip, tahun_mulai=this_year)
        new_values = {"nama": row["pejabat"], "jabatan": row["jabatan"]}
        if row["tahun_mulai"]:
            new_values["tahun_mulai"] = int(row["tahun_mulai"])
        if row["tahun_selesai"]:
            new_values["tahun_selesai"] = int(row["tahun_selesai"])
        changed = any(getattr(pejabat, name) != value for name, value in new_values.items())
        for name, value in new_values.items():
            setattr(pejabat, name, value)
        if pejabat.tahun_selesai is not None and pejabat.tahun_selesai < pejabat.tahun_mulai:
            plan.problems.append(
                _problem(
                    row,
                    "tahun_mulai",
                    _("Tahun selesai yang tersimpan (%(tahun)s) sebelum tahun mulai ini.")
                    % {"tahun": pejabat.tahun_selesai},
                )
            )
            continue
        if is_new or changed:
            counts["pejabat_baru" if is_new else "pejabat_diubah"] += 1
            plan.officials.append(pejabat)
    plan.counts = {key: counts[key] for key in COUNT_KEYS}


def _write(plan: OrganisasiPlan) -> None:
    for agency in plan.agencies:
        agency.full_clean()
        agency.save()
    for unit in plan.units:
        # Assigning again copies the pk of an agency or parent unit saved just before into
        # dinas_id / parent_id, which full_clean() reads (save() alone would do it too late).
        unit.dinas = unit.dinas
        unit.parent = unit.parent
        unit.full_clean()
        unit.save()
    for pejabat in plan.officials:
        pejabat.unit = pejabat.unit
        pejabat.full_clean()
        pejabat.save()
