"""What an organisation import reads and plans (see ``dinas.imports``): its columns, the counts it
reports, and the plan itself."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from core.spreadsheet import ImportProblem, choice_key, choice_lookup
from dinas.models import Pejabat, Pemda, PerangkatDaerah, UnitKerja

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
    "status",
    "pangkat",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("perangkat_daerah", "kode", "induk", "jenis", "nama")
DATA_SHEET = "organisasi"

# An agency's cells -> the model field that checks each (the pemda cell names a Pemda by its nama).
AGENCY_CELLS = {
    "nama_perangkat_daerah": (PerangkatDaerah, "nama"),
    "pemda": (Pemda, "nama"),
    "tempat": (PerangkatDaerah, "tempat"),
}
UNIT_CELLS = ("kode", "induk", "jenis", "nama", "urutan")
OFFICIAL_CELLS = ("pejabat", "nip", "jabatan", "tahun_mulai", "tahun_selesai", "status", "pangkat")

# Typed in the status column: the value, the label, or the prefix a signature prints ("Plt.").
STATUS_LOOKUP = {
    **choice_lookup(Pejabat.Status.choices),
    **{choice_key(prefix): str(value) for value, prefix in Pejabat.STATUS_PREFIX.items()},
}

COUNT_KEYS = (
    "pemda_baru",
    "perangkat_daerah_baru",
    "perangkat_daerah_diubah",
    "unit_baru",
    "unit_diubah",
    "pejabat_baru",
    "pejabat_diubah",
)
COUNT_LABELS = {
    "pemda_baru": gettext_lazy("Pemda baru"),
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
    pemdas: list[Pemda] = field(default_factory=list, repr=False)  # new Pemda, named by the file
    agencies: list[PerangkatDaerah] = field(default_factory=list, repr=False)  # to save, in order
    units: list[UnitKerja] = field(default_factory=list, repr=False)  # to save, parents first
    officials: list[Pejabat] = field(default_factory=list, repr=False)  # to save

    @classmethod
    def unread(cls, problems: list[ImportProblem]) -> "OrganisasiPlan":
        """The plan of a file that could not be read: only its problems, every count zero."""
        return cls(rows=[], problems=problems, counts=dict.fromkeys(COUNT_KEYS, 0))

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new_pemda_names(self) -> list[str]:
        return [pemda.nama for pemda in self.pemdas]


@dataclass
class UnitEntry:
    """A unit as the file defines it: its first row, and what later rows add."""

    index: int  # the defining row's index
    dinas_kode: str
    kode: str
    induk: str
    jenis: str
    nama: str
    urutan: int | None
    rows: list[int] = field(default_factory=list)  # every row naming this unit
