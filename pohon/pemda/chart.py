"""The Pemda chart (issue 13 item 5): the Pemda tree, and under each Sasaran Pemda, Tematik and Sub
Tematik the agencies whose Tujuan/Sasaran support it, each collapsed to its name and count.

A Pemda of 40 agencies with 500 nodes each holds 20,000 agency nodes: the page sends none of them.
It reads the Pemda tree once (``pohon_tree``), the kunci of its boxes (one query) and the links
counted per Pemda node and agency (one grouped query), so its query count does not grow with the
agencies. Opening an agency asks ``pemda_chart_dinas`` for that agency's supporting nodes only:
the linked Tujuan/Sasaran with the Tujuan, Sasaran and Indikator beneath them (two queries on the
(pohon, kunci) index and the lft range), rendered by the agency chart's own ``ChartRenderer``.

The links are ``pohon.tautan``'s (``TautanPemda``); this module reads them through
``standing_links`` only.
"""

import uuid
from dataclasses import dataclass
from html import escape

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dinas.models import PerangkatDaerah
from pohon import rules
from pohon.chart import Box, ChartRenderer, box_node_ids
from pohon.models import Node, Pohon
from pohon.selectors import TREE_NODE_COLUMNS, PohonTree, TreeNode, pohon_tree

# Pemda nodes with a box of their own, under which the supporting agencies hang.
PEMDA_BOXES = frozenset({rules.SASARAN_PEMDA, rules.TEMATIK, rules.SUB_TEMATIK})
# What an agency's supporting branch shows: its Tujuan, Sasaran and their Indikator (not the
# Program and Kegiatan below, which are the agency's own chart's).
DUKUNGAN_JENIS = (rules.TUJUAN, rules.SASARAN, rules.INDIKATOR)
MENUNGGU, DISETUJUI = "menunggu", "disetujui"
SHOWN_STATES = (MENUNGGU, DISETUJUI)  # a refused link supports nothing


@dataclass(frozen=True)
class DinasDukungan:
    """One agency under one Pemda node: how many of its nodes support it (accepted, waiting)."""

    dinas_id: int
    kode: str
    nama: str
    disetujui: int
    menunggu: int

    @property
    def jumlah(self) -> int:
        return self.disetujui + self.menunggu


# --- the links (pemdalink's model) ---------------------------------------------------------------


def standing_links(pemda_pohon: Pohon, tahun: int) -> QuerySet:
    """The links to ``pemda_pohon``'s nodes from the agencies' trees of ``tahun`` that support a
    node: accepted or waiting, with an agency node (a node Bappeda sent waits without one)."""
    from pohon.tautan.selectors import tautan_for_pemda_pohon

    return tautan_for_pemda_pohon(pemda_pohon).filter(
        tahun=tahun, status__in=SHOWN_STATES, dinas_kunci__isnull=False, pemda_id=pemda_pohon.dinas.pemda_id
    )


def _link_counts(pemda_pohon: Pohon, kunci: list[uuid.UUID], tahun: int) -> list[tuple[uuid.UUID, int, str, int]]:
    """(Pemda node kunci, agency id, state, count) of the standing links to ``kunci``: one query."""
    return list(
        standing_links(pemda_pohon, tahun)
        .filter(pemda_kunci__in=kunci)
        .values_list("pemda_kunci", "dinas_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _linked_kunci(pemda_pohon: Pohon, pemda_kunci: uuid.UUID, dinas_id: int, tahun: int) -> dict[uuid.UUID, str]:
    """The agency's node kunci supporting one Pemda node, with the link's state: one query."""
    rows = standing_links(pemda_pohon, tahun).filter(pemda_kunci=pemda_kunci, dinas_id=dinas_id)
    return dict(rows.values_list("dinas_kunci", "status").order_by())


# --- the page -------------------------------------------------------------------------------------


def pemda_boxes(tree: PohonTree) -> Box:
    """The Pemda chart's boxes: the head's box holds Visi, Misi, Tujuan Pemda and their IKU; each
    Sasaran Pemda, Tematik and Sub Tematik has a box of its own (its IKU inside), under the
    nearest enclosing one."""
    head = Box("head", None)
    enclosing: dict[int, Box] = {}
    for node, _depth in tree.walk():
        parent = tree.parent_of(node)
        parent_box = head if parent is None else enclosing[parent.pk]
        if node.jenis in PEMDA_BOXES:
            box = enclosing[node.pk] = Box(node.jenis, node)
            parent_box.children.append(box)
        else:
            enclosing[node.pk] = parent_box
    return head


def pemda_chart_pohon(kode: str, tahun: int) -> Pohon | None:
    """``pemda_pohon_for_tahun`` by the Pemda's kode, the Pemda read with it (one query)."""
    return (
        Pohon.objects.filter(
            dinas__pemda__kode=kode,
            dinas__jenis=PerangkatDaerah.Jenis.PEMDA,
            tahun__lte=tahun,
            tahun_akhir__gte=tahun,
        )
        .select_related("dinas__pemda")
        .order_by("-revisi")
        .first()
    )


def pemda_records(pemda) -> dict[int, tuple[str, str, str]]:
    """Every record of the Pemda (its agencies and its owner record): pk -> (kode, nama, jenis)."""
    return {pk: (kode, nama, jenis) for pk, kode, nama, jenis in
            PerangkatDaerah.objects.filter(pemda=pemda).values_list("pk", "kode", "nama", "jenis")}  # fmt: skip


def pemda_dukungan(
    tree: PohonTree, tahun: int, records: dict[int, tuple[str, str, str]] | None = None
) -> tuple[dict[int, list[DinasDukungan]], dict[int, str]]:
    """Per Pemda box node pk, the agencies supporting it (by name); and each such node's kunci.
    Two queries whatever the number of agencies and their nodes (three without ``records``)."""
    pohon = tree.pohon
    kunci_of = dict(Node.objects.filter(pohon=pohon, jenis__in=PEMDA_BOXES).values_list("pk", "kunci"))
    pk_of = {kunci: pk for pk, kunci in kunci_of.items()}
    counts: dict[tuple[int, int], dict[str, int]] = {}
    for pemda_kunci, dinas_id, status, n in _link_counts(pohon, list(pk_of), tahun):
        counts.setdefault((pk_of[pemda_kunci], dinas_id), {})[status] = n
    if records is None:
        records = pemda_records(pohon.dinas.pemda_id)
    result: dict[int, list[DinasDukungan]] = {}
    for (pk, dinas_id), states in counts.items():
        record = records.get(dinas_id)
        if record is None or record[2] != PerangkatDaerah.Jenis.DINAS:
            continue
        kode, nama, _jenis = record
        result.setdefault(pk, []).append(
            DinasDukungan(dinas_id, kode, nama, states.get(DISETUJUI, 0), states.get(MENUNGGU, 0))
        )
    for rows in result.values():
        rows.sort(key=lambda row: row.nama)
    return result, {pk: str(kunci) for pk, kunci in kunci_of.items()}


@dataclass
class PemdaChartRenderer(ChartRenderer):
    """The Pemda tree drawn by the agency chart's renderer, with the Pemda's own boxes and, below
    each, one collapsed entry per supporting agency (static/pohon/pemda-chart.js opens it)."""

    dukungan: dict[int, list[DinasDukungan]] | None = None
    kunci_of: dict[int, str] | None = None
    dinas_url: str = ""  # the fragment's URL with "__dinas__" for the agency's kode
    readable: frozenset[int] = frozenset()  # the agencies this user may open

    def prepare(self) -> Box:
        self._labels = {"target": escape(_("Target")), "silang": escape(_("Crosscutting"))}
        head = pemda_boxes(self.tree)
        self.box_ids = box_node_ids(head)
        return head

    def _branch(self, box: Box, parts: list[str]) -> None:
        agencies = (self.dukungan or {}).get(box.node.pk, []) if box.node is not None else []
        if not agencies:
            super()._branch(box, parts)
            return
        parts.append(f'<li class="cc-branch cc-branch--{box.node.jenis}">')
        self._box(box, parts)
        parts.append('<ul class="cc-level cc-children">')
        for child in box.children:
            self._branch(child, parts)
        kunci = (self.kunci_of or {}).get(box.node.pk, "")
        for agency in agencies:
            self._agency(agency, kunci, parts)
        parts.append("</ul></li>")

    def _agency(self, agency: DinasDukungan, kunci: str, parts: list[str]) -> None:
        nama = escape(agency.nama)
        count = escape(ngettext("%(n)d butir mendukung", "%(n)d butir mendukung", agency.jumlah) % {"n": agency.jumlah})
        if agency.menunggu:
            count += " " + escape(_("(%(n)d menunggu)") % {"n": agency.menunggu})
        parts.append('<li class="cc-branch pc-branch">')
        if agency.dinas_id in self.readable:
            url = escape(self.dinas_url.replace("__dinas__", agency.kode) + f"?butir={kunci}")
            parts.append(
                f'<details class="cc-box pc-dinas" data-url="{url}"><summary class="cc-title">'
                f'<span class="pc-nama">{nama}</span> <span class="pc-count">{count}</span></summary>'
                '<div class="pc-body" aria-live="polite"></div></details>'
            )
        else:
            parts.append(
                f'<div class="cc-box pc-dinas pc-tertutup"><div class="cc-title"><span class="pc-nama">{nama}</span> '
                f'<span class="pc-count">{count}</span></div></div>'
            )
        parts.append("</li>")


def pemda_chart_html(
    pemda_pohon: Pohon, tahun: int, *, readable: set[int], records: dict[int, tuple[str, str, str]]
) -> tuple[PohonTree, SafeString]:
    """The Pemda chart's markup for the agencies' trees of ``tahun``."""
    tree = pohon_tree(pemda_pohon)
    dukungan, kunci_of = pemda_dukungan(tree, tahun, records)
    renderer = PemdaChartRenderer(
        tree,
        dukungan=dukungan,
        kunci_of=kunci_of,
        dinas_url=reverse("pemda:chart_dinas", args=[pemda_pohon.dinas.pemda.kode, tahun, "__dinas__"]),
        readable=frozenset(readable),
    )
    return tree, renderer.render()


# --- opening one agency ---------------------------------------------------------------------------


def _agency_tree(pohon: Pohon, linked: dict[uuid.UUID, str]) -> tuple[PohonTree, list[TreeNode]]:
    """The agency's supporting nodes as a partial tree: the linked nodes, and the Tujuan, Sasaran
    and Indikator within them (one query for the linked nodes' ranges, one for the nodes)."""
    ranges = list(Node.objects.filter(pohon=pohon, kunci__in=list(linked)).values_list("lft", "rght"))
    if not ranges:
        return PohonTree(pohon=pohon, root=None, nodes=[]), []
    within = Q()
    for lft, rght in ranges:
        within |= Q(lft__gte=lft, rght__lte=rght)
    rows = (
        Node.objects.filter(pohon=pohon, jenis__in=DUKUNGAN_JENIS)
        .filter(within)
        .order_by("lft")
        .values_list(*TREE_NODE_COLUMNS)
    )
    nodes = [TreeNode(*row) for row in rows]
    by_id = {node.pk: node for node in nodes}
    children: dict[int, list[TreeNode]] = {}
    tops: list[TreeNode] = []
    tops_lft = {lft for lft, _r in ranges}
    for node in nodes:
        if node.lft in tops_lft:
            tops.append(node)
        elif node.parent_id in by_id:
            children.setdefault(node.parent_id, []).append(node)
    tree = PohonTree(pohon=pohon, root=None, nodes=nodes, children=children, by_id=by_id)
    return tree, tops


def pemda_chart_dinas(*, pemda_pohon: Pohon, dinas: PerangkatDaerah, tahun: int, pemda_kunci: uuid.UUID) -> SafeString:
    """One agency's nodes supporting one Pemda node, as the HTML the Pemda chart inserts: the
    agency's chart items (its renderer, its crosscut marks), a link to the agency's chart."""
    from pohon.silang.selectors import pohon_latest_of, tree_with_silang

    linked = _linked_kunci(pemda_pohon, pemda_kunci, dinas.pk, tahun)
    pohon = pohon_latest_of(dinas.pk, tahun) if linked else None
    if pohon is None:
        return mark_safe(f'<p class="pc-kosong muted">{escape(_("Belum ada butir pendukung."))}</p>')
    tree, tops = _agency_tree(pohon, linked)
    tree.silang = {}
    if tops:
        tree_with_silang(tree)
    renderer = ChartRenderer(tree)
    renderer._labels = {"target": escape(_("Target")), "silang": escape(_("Crosscutting"))}
    parts = ['<ul class="cc-items pc-items">']
    for node in tops:
        renderer._item(node, parts)
    parts.append("</ul>")
    parts.append(
        f'<p class="pc-link"><a href="{escape(pohon.chart_url())}">{escape(_("Buka bagan lengkap"))} '
        f"{escape(dinas.nama)} {pohon.tahun}</a></p>"
    )
    return mark_safe("".join(parts))
