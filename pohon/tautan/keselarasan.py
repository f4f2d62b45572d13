"""The alignment checks of a Pemda and a year (issue 13, item 6): what the Pemda chart marks and
the table (page and export) lists. Read in a fixed number of queries, whatever the number of
agencies and nodes:

- a Sasaran Pemda that no agency supports (no accepted link to it, nor to a Tematik/Sub Tematik
  under it, from an agency tree of the year);
- an agency Tujuan or Sasaran linked to nothing (no standing link to the Pemda, itself or through
  a Tujuan/Sasaran above it at any depth);
- a link to the Pemda, or a crosscutting request, waiting longer than 14 days;
- a refused link to the Pemda (not since replaced by a standing one of the same nodes).
"""

import datetime
import uuid
from dataclasses import dataclass

import tablib
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheet import FORMATS, ExportFormat, dataset_escape_formulae
from dinas.models import Pemda, PerangkatDaerah
from pohon import rules
from pohon.formatting import tanggal_indonesia
from pohon.models import Node, Pohon, Silang
from pohon.pemda.selectors import pemda_pohon_for_tahun
from pohon.silang.models import MENUNGGU_BATAS
from pohon.silang.selectors import node_url
from pohon.tautan.models import TautanPemda
from pohon.tautan.permissions import DINAS_KINDS, PEMDA_KINDS

Status = TautanPemda.Status

SASARAN_TANPA_DUKUNGAN = "sasaran_tanpa_dukungan"
BUTIR_TANPA_TAUTAN = "butir_tanpa_tautan"
MENUNGGU_LAMA = "menunggu_lama"
DITOLAK = "ditolak"

JENIS_LABELS = {
    SASARAN_TANPA_DUKUNGAN: gettext_lazy("Sasaran Pemda tanpa dukungan"),
    BUTIR_TANPA_TAUTAN: gettext_lazy("Butir Perangkat Daerah tanpa tautan"),
    MENUNGGU_LAMA: gettext_lazy("Menunggu lebih dari 14 hari"),
    DITOLAK: gettext_lazy("Tautan ditolak"),
}
TINGGI, SEDANG, RENDAH = "tinggi", "sedang", "rendah"
TINGKAT_LABELS = {TINGGI: gettext_lazy("Tinggi"), SEDANG: gettext_lazy("Sedang"), RENDAH: gettext_lazy("Rendah")}
_ORDER = {TINGGI: 0, SEDANG: 1, RENDAH: 2}


@dataclass(frozen=True)
class Temuan:
    """One finding: its kind and severity, the agency concerned ("" for the Pemda's own node), the
    node (kunci, kode, uraian, the URL that opens it), and a sentence saying what is wrong."""

    jenis: str
    tingkat: str
    dinas_kode: str
    dinas_nama: str
    kunci: str
    kode: str
    uraian: str
    teks: str
    url: str

    @property
    def jenis_label(self) -> str:
        return str(JENIS_LABELS[self.jenis])

    @property
    def tingkat_label(self) -> str:
        return str(TINGKAT_LABELS[self.tingkat])


def _latest_trees(agencies: list[PerangkatDaerah], tahun: int) -> dict[int, Pohon]:
    """The newest revision of each agency's tree of ``tahun``: one query."""
    latest: dict[int, Pohon] = {}
    for pohon in Pohon.objects.filter(dinas__in=agencies, tahun=tahun).order_by("dinas_id", "revisi"):
        latest[pohon.dinas_id] = pohon
    return latest


def _days(now: datetime.datetime, since: datetime.datetime) -> int:
    return (now - since).days


def pemda_alignment(
    pemda: Pemda, tahun: int, *, dinas: PerangkatDaerah | None = None, now: datetime.datetime | None = None
) -> list[Temuan]:
    """The findings of ``pemda`` for the agency trees of ``tahun`` (and the Pemda tree covering
    it), most severe first. With ``dinas``, only that agency's findings (what an agency sees).
    Seven queries."""
    now = now or timezone.now()
    pohon_pemda = pemda_pohon_for_tahun(pemda, tahun)
    agencies = list(PerangkatDaerah.objects.agencies().filter(pemda=pemda).order_by("nama"))
    if dinas is not None:
        agencies = [a for a in agencies if a.pk == dinas.pk]
    by_id = {a.pk: a for a in agencies}
    trees = _latest_trees(agencies, tahun)
    links = list(
        TautanPemda.objects.filter(pemda=pemda, tahun=tahun, dinas__in=agencies)
        .exclude(status=Status.DITARIK)
        .select_related("dinas", "pemda_dinas")
        .order_by("diminta_pada", "id")
    )
    findings: list[Temuan] = []

    # Sasaran Pemda that no agency supports (the Pemda's own; not what an agency is shown).
    if pohon_pemda is not None and dinas is None:
        owner = pohon_pemda.dinas
        pemda_nodes = list(
            Node.objects.filter(pohon=pohon_pemda, jenis__in=PEMDA_KINDS).values(
                "pk", "parent_id", "kunci", "kode", "uraian", "jenis"
            )
        )
        sasaran_of: dict[int, int] = {}  # a Pemda node -> the Sasaran Pemda it is (under)
        by_pk = {row["pk"]: row for row in pemda_nodes}
        for row in pemda_nodes:
            current = row
            while current is not None and current["jenis"] != rules.SASARAN_PEMDA:
                current = by_pk.get(current["parent_id"])
            if current is not None:
                sasaran_of[row["pk"]] = current["pk"]
        pk_of_kunci = {row["kunci"]: row["pk"] for row in pemda_nodes}
        supported = set()
        for link in links:
            if (
                link.status == Status.DISETUJUI
                and link.pemda_dinas_id == owner.pk
                and link.pemda_tahun == pohon_pemda.tahun
                and link.pemda_kunci in pk_of_kunci
            ):
                supported.add(sasaran_of.get(pk_of_kunci[link.pemda_kunci]))
        for row in pemda_nodes:
            if row["jenis"] == rules.SASARAN_PEMDA and row["pk"] not in supported:
                findings.append(
                    Temuan(
                        jenis=SASARAN_TANPA_DUKUNGAN,
                        tingkat=TINGGI,
                        dinas_kode="",
                        dinas_nama="",
                        kunci=str(row["kunci"]),
                        kode=row["kode"],
                        uraian=row["uraian"],
                        teks=_("Belum ada Perangkat Daerah yang mendukung Sasaran Pemda ini pada tahun %(tahun)s.")
                        % {"tahun": tahun},
                        url=node_url(owner.kode, pohon_pemda.tahun, row["kunci"]),
                    )
                )

    # Agency Tujuan/Sasaran linked to nothing, itself or through a Tujuan/Sasaran above it (at
    # any depth: a division's Sasaran under the agency's linked Tujuan is aligned through it).
    linked: set[tuple[int, uuid.UUID]] = {
        (link.dinas_id, link.dinas_kunci) for link in links if link.is_standing and link.dinas_kunci is not None
    }
    tree_dinas = {pohon.pk: dinas_id for dinas_id, pohon in trees.items()}
    agency_nodes = list(
        Node.objects.filter(pohon__in=list(trees.values()), jenis__in=DINAS_KINDS)
        .order_by("pohon_id", "lft")
        .values("pohon_id", "lft", "rght", "kunci", "kode", "uraian", "jenis")
    )
    covering: dict[int, list[tuple[int, int]]] = {}  # tree -> (lft, rght) of its linked nodes
    for row in agency_nodes:
        if (tree_dinas[row["pohon_id"]], row["kunci"]) in linked:
            covering.setdefault(row["pohon_id"], []).append((row["lft"], row["rght"]))
    for row in agency_nodes:
        dinas_id = tree_dinas[row["pohon_id"]]
        spans = covering.get(row["pohon_id"], ())
        if any(lft <= row["lft"] and row["rght"] <= rght for lft, rght in spans):
            continue
        agency = by_id[dinas_id]
        findings.append(
            Temuan(
                jenis=BUTIR_TANPA_TAUTAN,
                tingkat=SEDANG,
                dinas_kode=agency.kode,
                dinas_nama=agency.nama,
                kunci=str(row["kunci"]),
                kode=row["kode"],
                uraian=row["uraian"],
                teks=_("%(jenis)s ini belum tertaut ke Sasaran Pemda mana pun.")
                % {"jenis": rules.jenis_label(row["jenis"])},
                url=node_url(agency.kode, tahun, row["kunci"]),
            )
        )

    # Links to the Pemda waiting too long, and refused ones not since replaced.
    standing_pairs = {(t.dinas_id, t.dinas_kunci, t.pemda_kunci) for t in links if t.is_standing}
    for t in links:
        if t.is_late(now):
            waiting_for = _("Bappeda") if t.arah == TautanPemda.Arah.USULAN else t.dinas.nama
            findings.append(
                Temuan(
                    jenis=MENUNGGU_LAMA,
                    tingkat=SEDANG,
                    dinas_kode=t.dinas.kode,
                    dinas_nama=t.dinas.nama,
                    kunci=str(t.dinas_kunci or t.pemda_kunci),
                    kode=t.dinas_kode or t.pemda_kode,
                    uraian=t.dinas_uraian or t.pemda_uraian,
                    teks=_("Tautan ke %(pemda)s menunggu jawaban %(pihak)s sejak %(tanggal)s (%(hari)s hari).")
                    % {
                        "pemda": f"{t.pemda_kode} {t.pemda_uraian}".strip(),
                        "pihak": waiting_for,
                        "tanggal": tanggal_indonesia(t.diminta_pada.date()),
                        "hari": _days(now, t.diminta_pada),
                    },
                    url=node_url(t.dinas.kode, t.tahun, t.dinas_kunci)
                    if t.dinas_kunci
                    else node_url(t.pemda_dinas.kode, t.pemda_tahun, t.pemda_kunci),
                )
            )
        elif t.status == Status.DITOLAK and (t.dinas_id, t.dinas_kunci, t.pemda_kunci) not in standing_pairs:
            findings.append(
                Temuan(
                    jenis=DITOLAK,
                    tingkat=RENDAH,
                    dinas_kode=t.dinas.kode,
                    dinas_nama=t.dinas.nama,
                    kunci=str(t.dinas_kunci or t.pemda_kunci),
                    kode=t.dinas_kode or t.pemda_kode,
                    uraian=t.dinas_uraian or t.pemda_uraian,
                    teks=_("Tautan ke %(pemda)s ditolak oleh %(oleh)s: %(alasan)s")
                    % {
                        "pemda": f"{t.pemda_kode} {t.pemda_uraian}".strip(),
                        "oleh": t.dijawab_nama,
                        "alasan": t.alasan,
                    },
                    url=node_url(t.dinas.kode, t.tahun, t.dinas_kunci)
                    if t.dinas_kunci
                    else node_url(t.pemda_dinas.kode, t.pemda_tahun, t.pemda_kunci),
                )
            )

    # Crosscutting requests waiting too long (either side in the agencies read).
    late = (
        Silang.objects.filter(tahun=tahun, status=Silang.Status.MENUNGGU, diminta_pada__lt=now - MENUNGGU_BATAS)
        .filter(Q(pengirim_dinas__in=agencies) | Q(penerima_dinas__in=agencies))
        .select_related("pengirim_dinas", "penerima_dinas", "penerima_unit")
        .order_by("diminta_pada", "id")
    )
    for s in late:
        findings.append(
            Temuan(
                jenis=MENUNGGU_LAMA,
                tingkat=SEDANG,
                dinas_kode=s.pengirim_dinas.kode,
                dinas_nama=s.pengirim_dinas.nama,
                kunci=str(s.pengirim_kunci),
                kode=s.pengirim_kode,
                uraian=s.pengirim_uraian,
                teks=_("Crosscutting ke %(mitra)s menunggu jawaban sejak %(tanggal)s (%(hari)s hari).")
                % {
                    "mitra": f"{s.penerima_unit.nama}, {s.penerima_dinas.nama}",
                    "tanggal": tanggal_indonesia(s.diminta_pada.date()),
                    "hari": _days(now, s.diminta_pada),
                },
                url=node_url(s.pengirim_dinas.kode, s.tahun, s.pengirim_kunci),
            )
        )
    findings.sort(key=lambda f: (_ORDER[f.tingkat], f.jenis, f.dinas_nama, f.kode))
    return findings


def alignment_dataset(findings: list[Temuan], *, base_url: str = "") -> tablib.Dataset:
    """The findings as a table: the same columns as the page."""
    dataset = tablib.Dataset(
        headers=[
            _("Tingkat"),
            _("Jenis temuan"),
            _("Perangkat Daerah"),
            _("Kode"),
            _("Uraian"),
            _("Keterangan"),
            _("Tautan"),
        ],
        title=_("Keselarasan"),
    )
    for f in findings:
        dataset.append(
            [f.tingkat_label, f.jenis_label, f.dinas_nama or _("Pemda"), f.kode, f.uraian, f.teks, base_url + f.url]
        )
    return dataset


def alignment_export(findings: list[Temuan], export_format: ExportFormat, *, base_url: str = "") -> bytes:
    """The table as a file (formula-like cells escaped, as the tree export)."""
    data = FORMATS[export_format]().export_data(dataset_escape_formulae(alignment_dataset(findings, base_url=base_url)))
    return data if isinstance(data, bytes) else data.encode("utf-8")
