"""Matching a checked organisation table against what is stored (see ``dinas.imports``): what
would be created and what would change, counted; nothing is written."""

import datetime
from collections import Counter
from typing import TYPE_CHECKING

from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.spreadsheet import choice_key, row_problem
from dinas.imports.plan import COUNT_KEYS, STATUS_LOOKUP, OrganisasiPlan
from dinas.models import Pejabat, Pemda, PerangkatDaerah, UnitKerja
from dinas.services import pemda_fields_from_nama

if TYPE_CHECKING:
    from dinas.imports.checks import _Checks


def plan_changes(plan: OrganisasiPlan, checks: "_Checks") -> None:
    """The objects to save, with new values set in memory, and the counts of what changes."""
    rows, units = checks.rows, checks.units
    existing_units, existing_officials = checks.existing_units, checks.existing_officials
    counts: Counter[str] = Counter()

    # A Pemda the file names and the database does not know yet is created from its name.
    pemdas: dict[str, Pemda] = dict(checks.existing_pemdas)
    for values in checks.agency_values.values():
        if "pemda" in values and values["pemda"][0] not in pemdas:
            nama = values["pemda"][0]
            jenis, tempat = pemda_fields_from_nama(nama)
            pemdas[nama] = Pemda(kode=slugify(nama)[:50], nama=nama, jenis=jenis or "", tempat=tempat)
            counts["pemda_baru"] += 1
            plan.pemdas.append(pemdas[nama])

    agencies: dict[str, PerangkatDaerah] = {}
    for kode, values in checks.agency_values.items():
        agency = checks.existing_agencies.get(kode)
        is_new = agency is None
        if is_new:
            agency = PerangkatDaerah(kode=kode, tempat="")
        changed = False
        for column, model_field in (("nama_perangkat_daerah", "nama"), ("tempat", "tempat")):
            if column in values and getattr(agency, model_field) != values[column][0]:
                setattr(agency, model_field, values[column][0])
                changed = True
        if "pemda" in values:
            pemda = pemdas[values["pemda"][0]]
            if is_new or pemda.pk is None or agency.pemda_id != pemda.pk:
                agency.pemda = pemda
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
    for index, agency_kode, unit_kode, nip in checks.official_rows:
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
        if row["status"]:
            new_values["status"] = STATUS_LOOKUP[choice_key(row["status"])]
        if row["pangkat"]:
            new_values["pangkat"] = row["pangkat"]
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
