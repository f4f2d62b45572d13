"""Checking an organisation table row by row and between rows (see ``dinas.imports``), into a plan;
nothing is written."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.spreadsheet import ImportProblem, choice_key, choice_lookup, row_problem
from dinas.imports.changes import plan_changes
from dinas.imports.plan import (
    AGENCY_CELLS,
    COUNT_KEYS,
    OFFICIAL_CELLS,
    UNIT_CELLS,
    OrganisasiPlan,
    UnitEntry,
)
from dinas.models import Pejabat, PerangkatDaerah, UnitKerja
from dinas.nip import nip_normalize, nip_validate


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


def organisasi_plan_rows(rows: list[dict[str, str]]) -> OrganisasiPlan:
    problems: dict[int, ImportProblem] = {}  # row index -> its one problem
    jenis_lookup = choice_lookup(UnitKerja.Jenis.choices)
    jenis_choices = ", ".join(UnitKerja.Jenis.values)
    agency_first: dict[str, int] = {}  # agency kode -> the row defining each agency cell
    agency_values: dict[str, dict[str, tuple[str, int]]] = {}  # kode -> cell -> (value, row index)
    units: dict[tuple[str, str], UnitEntry] = {}
    officials_seen: dict[tuple[str, str, str], int] = {}  # (agency, unit, nip) -> row index
    official_rows: list[tuple[int, str, str, str]] = []  # (row index, agency, unit kode, nip)

    def refuse(index: int, column: str, message: str) -> None:
        problems.setdefault(index, row_problem(rows[index], column, message))

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
        for column, model_field in AGENCY_CELLS.items():
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

        if not any(row[column] for column in (*UNIT_CELLS, *OFFICIAL_CELLS)):
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
            units[(agency, kode)] = UnitEntry(index, agency, kode, row["induk"], "", row["nama"], None)
        entry = units[(agency, kode)]
        entry.rows.append(index)
        if not defining and entry.index in problems:
            continue  # marked as depending on the unit's refused row below
        jenis = jenis_lookup.get(choice_key(row["jenis"]), "")
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
            has_official = any(row[column] for column in OFFICIAL_CELLS)
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

        if not any(row[column] for column in OFFICIAL_CELLS):
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
                problems[index] = row_problem(
                    rows[index],
                    "induk" if index == entry.index else "kode",
                    _("Baris ini bergantung pada baris %(row)d yang ditolak.") % {"row": rows[refused].row},
                )
    for index, row in enumerate(rows):
        refused = agency_refused.get(row["perangkat_daerah"])
        if refused is not None and index not in problems:
            problems[index] = row_problem(
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
    plan_changes(plan, rows, agency_values, units, official_rows, existing_agencies, existing_units, existing_officials)
    return plan
