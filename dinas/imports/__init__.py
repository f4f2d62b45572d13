"""Importing and exporting the organisation table: agencies, their units and the officials.

One row per unit (``kode`` unique within its agency, ``induk`` the parent unit's kode); a unit
with several officials over the years takes one row per official, the unit's cells repeated (or
left empty). Agencies are matched by kode, units by agency and kode, officials by unit and NIP:
rows create what is missing and update what differs, so importing the same file twice changes
nothing, and nothing is ever deleted. An empty cell keeps the stored value (an agency's name,
a unit's ``urutan``, an official's years), so a short file can add a unit without restating
everything.

The ``pemda`` column names the agency's Pemda by its name; a Pemda not yet recorded is created
from the file (its jenis and place from the name: "Kota Malang" is a Kota, printed "Malang"),
and the preview counts it as a new Pemda. Columns beyond the issue's ten (``tempat``,
``urutan``, ``tahun_mulai``, ``tahun_selesai``, and the official's ``status`` and ``pangkat``)
are optional; the export writes them so that its file imports back to exactly the same state.

Like the tree import it is all or nothing: planned first (nothing written), written only
without problems, in one transaction, each object through ``dinas.services``.
The order of checks per row (one message per row, the first that applies): agency kode, agency
cells (conflicts with an earlier row of the same agency), unit kode, jenis, nama, urutan,
duplicate unit, official (name, NIP via ``dinas.nip.nip_validate``, jabatan, years, duplicate
NIP); then induk (unknown, cycle), and rows that depend on a refused unit.
"""

import tablib
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from core.spreadsheet import FORMATS, ImportProblem, dataset_escape_formulae, spreadsheet_read
from dinas.imports.checks import organisasi_plan_rows
from dinas.imports.plan import (
    COLUMNS,
    COUNT_KEYS,
    COUNT_LABELS,
    DATA_SHEET,
    OFFICIAL_CELLS,
    REQUIRED_COLUMNS,
    OrganisasiPlan,
)
from dinas.models import Pejabat, PerangkatDaerah, UnitKerja
from dinas.nip import nip_format
from dinas.services import (
    dinas_create,
    dinas_update,
    pejabat_create,
    pejabat_update,
    pemda_create,
    unit_create,
    unit_update,
)

__all__ = [
    "COLUMNS",
    "COUNT_KEYS",
    "COUNT_LABELS",
    "OrganisasiPlan",
    "organisasi_export",
    "organisasi_import",
    "organisasi_import_plan",
]


def organisasi_import_plan(*, data: bytes, filename: str) -> OrganisasiPlan:
    """Read and check an organisation table; writes nothing."""
    rows, problems = spreadsheet_read(
        data, filename=filename, columns=COLUMNS, required=REQUIRED_COLUMNS, sheet=DATA_SHEET
    )
    if problems:
        return OrganisasiPlan.unread(problems)
    return organisasi_plan_rows(rows)


def organisasi_import(*, data: bytes, filename: str, dry_run: bool = False) -> tuple[OrganisasiPlan, bool]:
    """Import an organisation table, all or nothing; True when it was written (no problems and
    not a dry run), even if nothing needed to change."""
    rows, problems = spreadsheet_read(
        data, filename=filename, columns=COLUMNS, required=REQUIRED_COLUMNS, sheet=DATA_SHEET
    )
    if problems:
        return OrganisasiPlan.unread(problems), False
    if dry_run:
        return organisasi_plan_rows(rows), False
    try:
        with transaction.atomic():
            # Planned again under the agencies' row locks: what is written is what was checked.
            kodes = {row["perangkat_daerah"] for row in rows}
            list(PerangkatDaerah.objects.select_for_update().filter(kode__in=kodes).order_by("pk"))
            plan = organisasi_plan_rows(rows)
            if not plan.ok:
                return plan, False
            _write(plan)
    except (ValidationError, IntegrityError) as error:  # changed meanwhile by someone else
        message = (
            " ".join(error.messages)
            if isinstance(error, ValidationError)
            else _("Data organisasi diubah oleh pengguna lain selama impor; ulangi impor.")
        )
        plan = organisasi_plan_rows(rows)
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
        agency_cells = [agency.kode, agency.nama, agency.pemda.nama, agency.tempat]
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
                        pejabat.status,
                        pejabat.pangkat,
                    ]
                    if pejabat
                    else [""] * len(OFFICIAL_CELLS)
                )
                dataset.append([*agency_cells, *unit_cells, *official_cells])
    data = FORMATS[export_format]().export_data(dataset_escape_formulae(dataset))
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _write(plan: OrganisasiPlan) -> None:
    """Through ``dinas.services``, in order: new Pemda, agencies, units parents first, officials.
    The plan's new objects are unsaved stand-ins: ``saved`` maps each to what its service
    created, so that a unit's agency or parent created just before is the saved one."""
    saved: dict[int, Model] = {}

    def resolved(obj):
        return None if obj is None else saved.get(id(obj), obj)

    for pemda in plan.pemdas:
        saved[id(pemda)] = pemda_create(kode=pemda.kode, nama=pemda.nama, jenis=pemda.jenis, tempat=pemda.tempat)
    for agency in plan.agencies:
        values = {"nama": agency.nama, "pemda": resolved(agency.pemda), "tempat": agency.tempat}
        if agency.pk is None:
            saved[id(agency)] = dinas_create(kode=agency.kode, **values)
        else:
            dinas_update(dinas=agency, data=values)
    for unit in plan.units:
        values = {"nama": unit.nama, "jenis": unit.jenis, "parent": resolved(unit.parent), "urutan": unit.urutan}
        if unit.pk is None:
            saved[id(unit)] = unit_create(dinas=resolved(unit.dinas), kode=unit.kode, **values)
        else:
            unit_update(unit=unit, data=values)
    for pejabat in plan.officials:
        values = {
            "nama": pejabat.nama,
            "jabatan": pejabat.jabatan,
            "status": pejabat.status,
            "pangkat": pejabat.pangkat,
            "tahun_mulai": pejabat.tahun_mulai,
            "tahun_selesai": pejabat.tahun_selesai,
        }
        if pejabat.pk is None:
            pejabat_create(unit=resolved(pejabat.unit), nip=pejabat.nip, **values)
        else:
            pejabat_update(pejabat=pejabat, data=values)
