"""Checking an organisation table row by row and between rows (see ``dinas.imports``), into a plan;
nothing is written.

The checks are split by entity, each a method of ``_Checks`` that shares the rows, the one
problem per row and what earlier rows defined: a row's agency cells (``_agency_row``), its unit
(``_unit_row``), its official (``_official_row``); then between rows and against the database:
the Pemda each agency names (``_pemda_known``), new agencies' required cells
(``_new_agencies``), units' parents (``_induk_known``, ``_cycles``) and the rows depending on a
refused one (``_dependents``). ``organisasi_plan_rows`` runs them in that order.
"""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.spreadsheet import ImportProblem, choice_key, choice_lookup, row_problem
from dinas.imports.changes import plan_changes
from dinas.imports.plan import (
    AGENCY_CELLS,
    COUNT_KEYS,
    OFFICIAL_CELLS,
    STATUS_LOOKUP,
    UNIT_CELLS,
    OrganisasiPlan,
    UnitEntry,
)
from dinas.models import Pejabat, Pemda, PerangkatDaerah, UnitKerja
from dinas.nip import nip_normalize, nip_validate
from dinas.services import pemda_fields_from_nama


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


UnitKey = tuple[str, str]  # (agency kode, unit kode)


class _Checks:
    """One table's checks; each method checks one entity and records at most one problem per row."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.rows = rows
        self.problems: dict[int, ImportProblem] = {}  # row index -> its one problem
        self.agency_first: dict[str, int] = {}  # agency kode -> its first row
        self.agency_values: dict[str, dict[str, tuple[str, int]]] = {}  # kode -> cell -> (value, row index)
        self.agency_refused: dict[str, int] = {}  # agency kode -> the refused row its rows depend on
        self.units: dict[UnitKey, UnitEntry] = {}
        self.officials_seen: dict[tuple[str, str, str], int] = {}  # (agency, unit, nip) -> row index
        self.official_rows: list[tuple[int, str, str, str]] = []  # (row index, agency, unit kode, nip)
        self.jenis_lookup = choice_lookup(UnitKerja.Jenis.choices)
        self.jenis_choices = ", ".join(UnitKerja.Jenis.values)
        self.existing_agencies: dict[str, PerangkatDaerah] = {}
        self.existing_units: dict[UnitKey, UnitKerja] = {}
        self.existing_officials: dict[tuple[int, str], Pejabat] = {}
        self.existing_pemdas: dict[str, Pemda] = {}

    def refuse(self, index: int, column: str, message: str) -> None:
        self.problems.setdefault(index, row_problem(self.rows[index], column, message))

    def depends(self, index: int, column: str, refused: int) -> None:
        if index not in self.problems:
            self.problems[index] = row_problem(
                self.rows[index],
                column,
                _("Baris ini bergantung pada baris %(row)d yang ditolak.") % {"row": self.rows[refused].row},
            )

    # --- row by row ------------------------------------------------------------------------------

    def each_row(self) -> None:
        for index, row in enumerate(self.rows):
            if not self._agency_row(index, row):
                continue
            if not any(row[column] for column in (*UNIT_CELLS, *OFFICIAL_CELLS)):
                continue  # a row for the agency alone (an agency without units)
            if not self._unit_row(index, row):
                continue
            if any(row[column] for column in OFFICIAL_CELLS):
                self._official_row(index, row)

    def _agency_row(self, index: int, row: dict[str, str]) -> bool:
        """The agency's kode, and its cells against the agency's earlier rows."""
        agency = row["perangkat_daerah"]
        if not agency:
            self.refuse(index, "perangkat_daerah", _("Kode Perangkat Daerah wajib diisi."))
            return False
        if message := _field_error(PerangkatDaerah, "kode", agency):
            self.refuse(index, "perangkat_daerah", message)
            return False
        self.agency_first.setdefault(agency, index)
        values = self.agency_values.setdefault(agency, {})
        for column, (model, model_field) in AGENCY_CELLS.items():
            if not row[column]:
                continue
            if message := _field_error(model, model_field, row[column]):
                self.refuse(index, column, message)
                return False
            earlier = values.setdefault(column, (row[column], index))
            if earlier[0] != row[column]:
                self.refuse(
                    index,
                    column,
                    _("Isi kolom ini berbeda dengan baris %(row)d untuk Perangkat Daerah yang sama (“%(value)s”).")
                    % {"row": self.rows[earlier[1]].row, "value": earlier[0]},
                )
                return False
        return True

    def _unit_row(self, index: int, row: dict[str, str]) -> bool:
        """The unit a row names: defined by its first row, repeated (or left empty) by later ones."""
        agency, kode = row["perangkat_daerah"], row["kode"]
        if not kode:
            self.refuse(index, "kode", _("Kode unit kerja wajib diisi."))
            return False
        if message := _field_error(UnitKerja, "kode", kode):
            self.refuse(index, "kode", message)
            return False
        # The first row naming a unit defines it, refused or not: rows below it then depend on it.
        defining = (agency, kode) not in self.units
        if defining:
            self.units[(agency, kode)] = UnitEntry(index, agency, kode, row["induk"], "", row["nama"], None)
        entry = self.units[(agency, kode)]
        entry.rows.append(index)
        if not defining and entry.index in self.problems:
            return False  # marked as depending on the unit's refused row later
        jenis = self.jenis_lookup.get(choice_key(row["jenis"]), "")
        if row["jenis"] and not jenis:
            self.refuse(
                index,
                "jenis",
                _("Jenis unit “%(jenis)s” tidak dikenal; gunakan salah satu: %(choices)s.")
                % {"jenis": row["jenis"], "choices": self.jenis_choices},
            )
            return False
        if row["nama"] and (message := _field_error(UnitKerja, "nama", row["nama"])):
            self.refuse(index, "nama", message)
            return False
        urutan = None
        if row["urutan"]:
            if not row["urutan"].isdigit() or len(row["urutan"]) > 9:
                self.refuse(index, "urutan", _("Urutan harus berupa bilangan bulat tidak negatif."))
                return False
            urutan = int(row["urutan"])

        if defining:
            if not jenis:
                self.refuse(
                    index,
                    "jenis",
                    _("Jenis unit wajib diisi; gunakan salah satu: %(choices)s.") % {"choices": self.jenis_choices},
                )
                return False
            if not row["nama"]:
                self.refuse(index, "nama", _("Nama unit kerja wajib diisi."))
                return False
            entry.jenis, entry.urutan = jenis, urutan
            return True
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
            self.refuse(
                index,
                differs or "kode",
                _("Kode unit “%(kode)s” sudah dipakai di baris %(row)d untuk Perangkat Daerah yang sama%(detail)s.")
                % {
                    "kode": kode,
                    "row": self.rows[entry.index].row,
                    "detail": _(" dengan isi lain") if differs else "",
                },
            )
            return False
        return True

    def _official_row(self, index: int, row: dict[str, str]) -> None:
        """The official of a row: name, NIP, jabatan, years, status, pangkat, and no NIP twice."""
        agency, kode = row["perangkat_daerah"], row["kode"]
        for column, label in (("pejabat", _("Nama pejabat")), ("nip", _("NIP")), ("jabatan", _("Jabatan"))):
            if not row[column]:
                self.refuse(
                    index, column, _("%(label)s wajib diisi bila baris ini mencantumkan pejabat.") % {"label": label}
                )
                return
        try:
            nip_validate(row["nip"])
        except ValidationError as error:
            self.refuse(index, "nip", error.messages[0])
            return
        for column, model_field in (("pejabat", "nama"), ("jabatan", "jabatan"), ("pangkat", "pangkat")):
            if message := _field_error(Pejabat, model_field, row[column]):
                self.refuse(index, column, message)
                return
        try:
            mulai, selesai = _year(row["tahun_mulai"]), None
        except ValidationError as error:
            self.refuse(index, "tahun_mulai", error.messages[0])
            return
        try:
            selesai = _year(row["tahun_selesai"])
        except ValidationError as error:
            self.refuse(index, "tahun_selesai", error.messages[0])
            return
        if mulai is not None and selesai is not None and selesai < mulai:
            self.refuse(index, "tahun_selesai", _("Tahun selesai tidak boleh sebelum tahun mulai."))
            return
        if row["status"] and choice_key(row["status"]) not in STATUS_LOOKUP:
            self.refuse(
                index,
                "status",
                _("Status jabatan “%(status)s” tidak dikenal; gunakan salah satu: %(choices)s.")
                % {"status": row["status"], "choices": ", ".join(Pejabat.Status.values)},
            )
            return
        nip = nip_normalize(row["nip"])
        seen = self.officials_seen.setdefault((agency, kode, nip), index)
        if seen != index:
            self.refuse(
                index,
                "nip",
                _("Pejabat dengan NIP ini sudah tercantum di baris %(row)d untuk unit yang sama.")
                % {"row": self.rows[seen].row},
            )
            return
        self.official_rows.append((index, agency, kode, nip))

    # --- between rows and against the database ---------------------------------------------------

    def read_existing(self) -> None:
        """The Pemda, agencies, units and officials as they are now."""
        agencies = PerangkatDaerah.objects.filter(kode__in=set(self.agency_first))
        self.existing_agencies = {a.kode: a for a in agencies}
        units = UnitKerja.objects.filter(dinas__in=self.existing_agencies.values()).select_related("dinas", "parent")
        self.existing_units = {(unit.dinas.kode, unit.kode): unit for unit in units}
        self.existing_officials = {
            (p.unit_id, p.nip): p for p in Pejabat.objects.filter(unit__dinas__in=self.existing_agencies.values())
        }
        names = {values["pemda"][0] for values in self.agency_values.values() if "pemda" in values}
        self.existing_pemdas = {p.nama: p for p in Pemda.objects.filter(nama__in=names)}

    def _pemda_known(self) -> None:
        """A Pemda the file names that does not exist yet is created from its name: the name must
        say its jenis (Kabupaten, Kota, Provinsi), and its kode must be free."""
        new_kodes: dict[str, str] = {}  # slug -> the name it came from
        slugs = {slugify(values["pemda"][0])[:50] for values in self.agency_values.values() if "pemda" in values}
        taken = set(Pemda.objects.filter(kode__in=slugs).values_list("kode", flat=True))
        for agency, values in self.agency_values.items():
            if "pemda" not in values or values["pemda"][0] in self.existing_pemdas:
                continue
            nama, index = values["pemda"]
            jenis, _tempat = pemda_fields_from_nama(nama)
            kode = slugify(nama)[:50]
            if jenis is None:
                message = _(
                    "Pemda “%(nama)s” belum ada; nama Pemda baru harus diawali Kabupaten, Kota atau Provinsi."
                ) % {"nama": nama}
            elif kode in taken or new_kodes.setdefault(kode, nama) != nama:
                message = _(
                    "Pemda “%(nama)s” belum ada dan kodenya (%(kode)s) sudah dipakai Pemda lain; "
                    "tulis nama Pemda persis seperti yang sudah tercatat."
                ) % {"nama": nama, "kode": kode}
            else:
                continue
            self.refuse(index, "pemda", message)
            self.agency_refused.setdefault(agency, index)

    def _new_agencies(self) -> None:
        """An agency new to the database needs its name and Pemda; without them none of its rows
        can go in."""
        for agency, first in self.agency_first.items():
            if agency in self.existing_agencies:
                continue
            for column in ("nama_perangkat_daerah", "pemda"):
                if column not in self.agency_values[agency]:
                    self.refuse(
                        first, column, _("Wajib diisi untuk Perangkat Daerah baru “%(kode)s”.") % {"kode": agency}
                    )
                    self.agency_refused.setdefault(agency, first)
                    break

    def parent_of(self, key: UnitKey) -> UnitKey | None:
        """The parent after the import: the file's induk over the stored parent."""
        entry = self.units.get(key)
        if entry is not None:
            return (key[0], entry.induk) if entry.induk else None
        unit = self.existing_units.get(key)
        return (key[0], unit.parent.kode) if unit is not None and unit.parent is not None else None

    def _induk_known(self) -> None:
        for key, entry in self.units.items():
            parent = (key[0], entry.induk)
            if entry.induk and parent not in self.units and parent not in self.existing_units:
                self.refuse(
                    entry.index,
                    "induk",
                    _("Unit induk “%(induk)s” tidak ditemukan di %(dinas)s: tidak ada di berkas maupun di data.")
                    % {"induk": entry.induk, "dinas": key[0]},
                )

    def _cycles(self) -> None:
        """Cycles, through the file's units and stored ones alike (linear: each unit is walked once)."""
        state: dict[UnitKey, int] = {}  # 1 on the current path, 2 done
        for key in self.units:
            path: list[UnitKey] = []
            current: UnitKey | None = key
            while (
                current is not None
                and current not in state
                and (current in self.units or current in self.existing_units)
            ):
                state[current] = 1
                path.append(current)
                current = self.parent_of(current)
            if current is not None and state.get(current) == 1:
                cycle = path[path.index(current) :]
                chain = " \u2192 ".join(kode for _agency, kode in [*cycle, cycle[0]])
                for each in cycle:
                    if each in self.units:
                        self.refuse(
                            self.units[each].index,
                            "induk",
                            _("Unit induk membentuk lingkaran: %(chain)s.") % {"chain": chain},
                        )
            for each in path:
                state[each] = 2

    def _dependents(self) -> None:
        """Rows that depend on a refused row: every row of a refused unit and of the units below
        it, and every row of a refused agency."""
        refused_by: dict[UnitKey, int | None] = {}
        for key in self.units:
            chain_keys: list[UnitKey] = []
            current: UnitKey | None = key
            while current is not None and current in self.units and current not in refused_by:
                chain_keys.append(current)
                if self.units[current].index in self.problems:
                    break  # refused on its own; every cycle is, so this walk ends
                current = self.parent_of(current)
            for each in reversed(chain_keys):
                entry = self.units[each]
                parent = self.parent_of(each)
                if entry.index in self.problems:
                    refused_by[each] = entry.index
                else:
                    refused_by[each] = refused_by.get(parent) if parent in self.units else None
        for key, entry in self.units.items():
            refused = refused_by.get(key)
            if refused is not None:
                for index in entry.rows:
                    self.depends(index, "induk" if index == entry.index else "kode", refused)
        for index, row in enumerate(self.rows):
            refused = self.agency_refused.get(row["perangkat_daerah"])
            if refused is not None:
                self.depends(index, "perangkat_daerah", refused)

    def between_rows(self) -> None:
        self.read_existing()
        self._pemda_known()
        self._new_agencies()
        self._induk_known()
        self._cycles()
        self._dependents()


def organisasi_plan_rows(rows: list[dict[str, str]]) -> OrganisasiPlan:
    """Check every row, then the rows together and against what is stored; a plan of what
    would change when nothing is refused."""
    checks = _Checks(rows)
    checks.each_row()
    checks.between_rows()
    problems = checks.problems
    plan = OrganisasiPlan(
        rows=rows,
        problems=[problems[index] for index in sorted(problems)],
        counts=dict.fromkeys(COUNT_KEYS, 0),
    )
    if plan.problems:
        return plan
    plan_changes(plan, checks)
    return plan
