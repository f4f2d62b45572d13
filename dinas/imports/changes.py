"""Matching a checked organisation table against what is stored (see ``dinas.imports``): what
would be created and what would change, counted; nothing is written."""

import datetime
from collections import Counter

from django.utils.translation import gettext as _

from core.spreadsheet import row_problem
from dinas.imports.plan import (
    AGENCY_CELLS,
    COUNT_KEYS,
    OrganisasiPlan,
    UnitEntry,
)
from dinas.models import Pejabat, PerangkatDaerah, UnitKerja


def plan_changes(
    plan: OrganisasiPlan,
    rows: list[dict[str, str]],
    agency_values: dict[str, dict[str, tuple[str, int]]],
    units: dict[tuple[str, str], UnitEntry],
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
        for column, model_field in AGENCY_CELLS.items():
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
                row_problem(
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
