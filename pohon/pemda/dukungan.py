"""The Pemda cascade's supporting agencies (issue 13 item 7): under each Sasaran Pemda, Tematik and
Sub Tematik, the agencies whose Tujuan/Sasaran support it, with those nodes' Tujuan, Sasaran and
Indikator and their targets, printed as boxes of the cascade (``pohon.pemda.cetak``). Read live
for a draft; frozen into ``PemdaDukunganLampiran`` when the
Pemda tree is approved (``pemda_dukungan_freeze``, called by ``pohon_approve``), so a signed
document never changes when an agency later renames or moves a linked node."""

import datetime
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pohon import rules
from pohon.models import Node, Pengesahan, Pohon
from pohon.pemda.chart import DUKUNGAN_JENIS, PEMDA_BOXES, standing_links
from pohon.pemda.lampiran import PemdaDukunganLampiran
from pohon.selectors import PohonTree, pohon_tree
from pohon.targets import target_with_satuan


@dataclass(frozen=True)
class DukunganBaris:
    """One printed row: a Pemda node's heading (``dinas`` empty) or one agency node below it."""

    pemda_butir: str  # "SP1 Sasaran Pemda ..." (the Pemda node this row is under)
    pemda_kunci: str = ""  # that node's lasting key (``Node.kunci``), where its box is printed
    dinas: str = ""
    status: str = ""  # the link's state ("menunggu" printed as such)
    tingkat: int = 0  # depth under the linked node (0: the linked Tujuan/Sasaran itself)
    jenis: str = ""
    kode: str = ""
    uraian: str = ""
    target: str = ""


def pemda_dukungan_tahun(pohon: Pohon, at: datetime.date | None = None) -> int:
    """Which year's agency trees a Pemda cascade prints: the year of ``at`` (today) inside the
    RPJMD period, else its nearest end."""
    year = (at or timezone.localdate()).year
    return min(max(year, pohon.tahun), pohon.tahun_akhir or pohon.tahun)


def pemda_dukungan_rows(tree: PohonTree, tahun: int) -> list[DukunganBaris]:
    """The rows, live: a handful of queries whatever the number of agencies (the links, the
    agencies' trees of the year, the linked nodes' ranges, the nodes within them)."""
    pohon = tree.pohon
    boxes = [node for node in tree.nodes if node.jenis in PEMDA_BOXES]
    if not boxes:
        return []
    kunci_of = dict(Node.objects.filter(pohon=pohon, jenis__in=PEMDA_BOXES).values_list("pk", "kunci"))
    links = list(
        standing_links(pohon, tahun)
        .filter(pemda_kunci__in=list(kunci_of.values()))
        .select_related("dinas")
        .order_by("dinas__nama", "pk")
    )
    trees = {}
    for p in Pohon.objects.filter(dinas_id__in={link.dinas_id for link in links}, tahun=tahun).order_by("revisi"):
        trees[p.dinas_id] = p  # the newest revision last
    linked = {}
    if links:
        wanted = Q()
        for link in links:
            if link.dinas_id in trees:
                wanted |= Q(pohon=trees[link.dinas_id], kunci=link.dinas_kunci)
        if wanted:
            for row in Node.objects.filter(wanted).values("pohon_id", "kunci", "lft", "rght", "level"):
                linked[(row["pohon_id"], row["kunci"])] = row
    within = Q()
    for row in linked.values():
        within |= Q(pohon_id=row["pohon_id"], lft__gte=row["lft"], rght__lte=row["rght"])
    nodes_of: dict[int, list[dict]] = {}
    if linked:
        for node in (
            Node.objects.filter(within, jenis__in=DUKUNGAN_JENIS)
            .order_by("pohon_id", "lft")
            .values("pohon_id", "lft", "level", "jenis", "kode", "uraian", "target_angka", "target_teks", "satuan")
        ):
            nodes_of.setdefault(node["pohon_id"], []).append(node)
    rows: list[DukunganBaris] = []
    for node in boxes:
        butir = f"{node.kode} {node.uraian}".strip()
        kunci = str(kunci_of[node.pk])
        rows.append(DukunganBaris(pemda_butir=butir, pemda_kunci=kunci, jenis=node.jenis))
        for link in (lk for lk in links if lk.pemda_kunci == kunci_of[node.pk]):
            agency = trees.get(link.dinas_id)
            top = linked.get((agency.pk, link.dinas_kunci)) if agency else None
            if top is None:
                continue
            for child in nodes_of.get(agency.pk, []):
                if not top["lft"] <= child["lft"] <= top["rght"]:
                    continue
                target = target_with_satuan(child["target_angka"], child["target_teks"], child["satuan"])
                rows.append(
                    DukunganBaris(
                        pemda_butir=butir,
                        pemda_kunci=kunci,
                        dinas=link.dinas.nama,
                        status=link.status,
                        tingkat=child["level"] - top["level"],
                        jenis=child["jenis"],
                        kode=child["kode"],
                        uraian=child["uraian"],
                        target=target if child["jenis"] == rules.INDIKATOR else "",
                    )
                )
    return rows


def pemda_dukungan_live(pohon: Pohon, tahun: int | None = None) -> list[dict]:
    return [asdict(row) for row in pemda_dukungan_rows(pohon_tree(pohon), tahun or pemda_dukungan_tahun(pohon))]


@transaction.atomic
def pemda_dukungan_freeze(*, pengesahan: Pengesahan) -> PemdaDukunganLampiran | None:
    """Freeze the supporting agencies of an approved Pemda tree with its approval (inside
    ``pohon_approve``'s transaction, before the documents are rendered). None for an agency tree."""
    pohon = pengesahan.pohon
    if not pohon.is_pemda:
        return None
    tahun = pemda_dukungan_tahun(pohon, timezone.localdate(pengesahan.disetujui_pada))
    lampiran = PemdaDukunganLampiran(pengesahan=pengesahan, tahun=tahun, baris=pemda_dukungan_live(pohon, tahun))
    lampiran.full_clean(exclude=["pengesahan"])
    lampiran.save()
    return lampiran


def pemda_dukungan_frozen(pengesahan: Pengesahan) -> list[dict]:
    """What the approval froze; [] for an approval made before this existed."""
    lampiran = PemdaDukunganLampiran.objects.filter(pengesahan=pengesahan).first()
    return list(lampiran.baris) if lampiran is not None else []


def pemda_draft_pdf_kunci(pohon: Pohon, kertas: str, tahun: int) -> str:
    """The draft job's key: changes when the Pemda tree, any agency tree of the Pemda or any link
    changes, so a draft job's PDF is shared only while what it prints stays the same."""
    from django.db.models import Count, Max

    from pohon.jobs import draft_fingerprint
    from pohon.models import NodeRiwayat, TautanPemda

    agencies = NodeRiwayat.objects.filter(pohon__dinas__pemda_id=pohon.dinas.pemda_id).aggregate(m=Max("id"))["m"]
    links = TautanPemda.objects.filter(pemda_dinas_id=pohon.dinas_id, pemda_tahun=pohon.tahun).aggregate(
        n=Count("pk"), m=Max("pk"), j=Max("dijawab_pada"), t=Max("ditarik_pada")
    )
    return (
        f"pdf-draf-pemda:{pohon.pk}:{tahun}:{kertas}:{draft_fingerprint(pohon)}:{agencies or 0}:"
        f"{links['n']}-{links['m']}-{links['j']}-{links['t']}"
    )
