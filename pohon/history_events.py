"""The history page as events: one line per action, not per entry.

An event is every ``NodeRiwayat`` entry sharing one ``peristiwa`` (an import with the emptying of
the tree it replaced, the demo loader's hundreds of creations, one request's writes; see
``pohon.history.riwayat_peristiwa``) or one workflow step (``PohonRiwayat``: diajukan,
dikembalikan, disetujui, Perubahan dibuat), merged newest first. A Perubahan's copy of the tree
(its one ``salin`` entry) is shown in the step's line.

Reads in a fixed number of queries whatever the history's size: the heads of all node events
(one row per event), the steps, then the entries of the page's events only, and for the page's
deletions the restore checks (``riwayat_rows``).
"""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dinas.models import UnitKerja
from pohon import rules
from pohon.history import RiwayatRow, riwayat_rows
from pohon.models import Node, NodeRiwayat, Pohon, PohonRiwayat

Aksi = NodeRiwayat.Aksi
ALUR = "alur"  # the kind of change "workflow steps" in the filter
PER_PAGE = 50


@dataclass(frozen=True)
class RiwayatFilter:
    """What the page's GET form asks for; empty fields do not filter."""

    kunci: uuid.UUID | None = None  # one node's history
    unit: UnitKerja | None = None  # the unit's nodes and those of the units below it
    unit_names: frozenset[str] = frozenset()
    unit_ids: frozenset[int] = frozenset()
    pengguna: str = ""  # a user's name as the entries recorded it
    aksi: str = ""  # a NodeRiwayat.Aksi, or ALUR
    dari: datetime.date | None = None
    sampai: datetime.date | None = None

    @property
    def active(self) -> bool:
        return bool(self.unit or self.pengguna or self.aksi or self.dari or self.sampai)


def unit_below(units: list[UnitKerja], unit: UnitKerja) -> list[UnitKerja]:
    """``unit`` and every unit under it, from the agency's list (no query)."""
    children: dict[int | None, list[UnitKerja]] = defaultdict(list)
    for candidate in units:
        children[candidate.parent_id].append(candidate)
    found, stack = [], [unit]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children[current.pk])
    return found


def riwayat_filter(*, units: list[UnitKerja], data: dict[str, Any], kunci: uuid.UUID | None) -> RiwayatFilter:
    """The filters of the page's cleaned GET form (``pohon.forms.RiwayatFilterForm``); ``units``
    are the agency's, so that a unit's filter takes in the units below it without a query."""
    unit = next((candidate for candidate in units if candidate.pk == data.get("unit")), None)
    below = unit_below(units, unit) if unit is not None else []
    return RiwayatFilter(
        kunci=kunci,
        unit=unit,
        unit_names=frozenset(candidate.nama for candidate in below),
        unit_ids=frozenset(candidate.pk for candidate in below),
        pengguna=data.get("pengguna") or "",
        aksi=data.get("aksi") or "",
        dari=data.get("dari"),
        sampai=data.get("sampai"),
    )


def _bounds(filters: RiwayatFilter) -> Q:
    q = Q()
    zone = timezone.get_current_timezone()
    if filters.dari:
        q &= Q(waktu__gte=datetime.datetime.combine(filters.dari, datetime.time.min, tzinfo=zone))
    if filters.sampai:
        end = filters.sampai + datetime.timedelta(days=1)
        q &= Q(waktu__lt=datetime.datetime.combine(end, datetime.time.min, tzinfo=zone))
    return q


def _entry_filter(pohon: Pohon, filters: RiwayatFilter) -> Q | None:
    """The entries the filters keep, or None when they keep no node entry at all."""
    if filters.aksi == ALUR:
        return None
    q = Q(pohon=pohon) & _bounds(filters)
    if filters.kunci is not None:
        q &= Q(kunci=filters.kunci)
    if filters.pengguna:
        q &= Q(user_nama=filters.pengguna)
    if filters.aksi:
        q &= Q(aksi=filters.aksi)
    if filters.unit is not None:
        # A node of the unit now (by its kunci), or an entry that names the unit (a deleted node,
        # a node moved to another unit since): the history stores units by name.
        names = sorted(filters.unit_names)
        q &= (
            Q(kunci__in=Node.objects.filter(pohon=pohon, unit_id__in=filters.unit_ids).values("kunci"))
            | Q(sesudah__unit__in=names)
            | Q(sebelum__unit__in=names)
        )
    return q


def _step_filter(pohon: Pohon, filters: RiwayatFilter) -> Q | None:
    if filters.kunci is not None or filters.unit is not None or (filters.aksi and filters.aksi != ALUR):
        return None
    q = Q(pohon=pohon) & _bounds(filters)
    if filters.pengguna:
        q &= Q(user_nama=filters.pengguna)
    return q


def riwayat_user_names(pohon: Pohon) -> list[str]:
    """Everyone the tree's history names (node entries and workflow steps), in one query."""
    names = (
        NodeRiwayat.objects.filter(pohon=pohon)
        .order_by()
        .values_list("user_nama", flat=True)
        .union(PohonRiwayat.objects.filter(pohon=pohon).order_by().values_list("user_nama", flat=True))
    )
    return sorted({name for name in names if name}, key=str.casefold)


@dataclass
class Peristiwa:
    """One line of the page."""

    waktu: datetime.datetime
    user_nama: str
    kind: str  # the CSS and filter kind: an Aksi or ALUR
    label: str  # "Diimpor", "Dibuat", "Diajukan", ...
    summary: str = ""  # "144 butir dari dpmd-2018.xlsx", "B1.P1 Program ...", ...
    rows: list[RiwayatRow] = field(default_factory=list)
    butir: list[tuple[str, str, str]] = field(default_factory=list)  # an import's or a copy's nodes
    butir_more: int = 0  # how many more the import or copy wrote than it lists
    step: PohonRiwayat | None = None
    catatan: str = ""
    status: str = ""  # a step's status afterwards (for its colour)

    @property
    def single(self) -> RiwayatRow | None:
        """The one entry of a one-entry node event, shown inline."""
        return self.rows[0] if len(self.rows) == 1 and not self.butir else None

    @property
    def expandable(self) -> bool:
        return self.single is None and bool(self.rows or self.butir)

    @property
    def item_count(self) -> int:
        return len(self.rows) + len(self.butir)


WHOLE = (Aksi.BUAT, Aksi.HAPUS, Aksi.PULIHKAN)  # entries that show a whole node, not a change


def _tidy(row: RiwayatRow) -> None:
    """A creation, deletion or restore on the page: without the empty fields and the kode (the
    line shows it); a deletion counts its nodes only when it took more than one. ``ringkas``
    holds the values for a one-line item (jenis, uraian, unit, Pagu, target ...)."""
    if row.entry.aksi not in WHOLE:
        return
    deletion = row.entry.aksi == Aksi.HAPUS
    kept = []
    for change in row.changes:
        value = change.old if deletion else change.new
        if change.field == "jumlah":
            if deletion and len(row.entry.sebelum.get("nodes", [])) > 1:
                kept.append(change)
            continue
        if value != "—" and change.field not in ("kode", "urutan"):
            kept.append(change)
    row.changes = kept
    row.ringkas = [
        (change.old if deletion else change.new)
        for change in kept
        if change.field in ("jenis", "uraian", "unit", "pagu", "target", "satuan")
    ]


def _count(n: int) -> str:
    return ngettext("%(n)s butir", "%(n)s butir", n) % {"n": f"{n:,}".replace(",", ".")}


def _whole_tree(entry: NodeRiwayat) -> tuple[list[tuple[str, str, str]], int]:
    items = [(kode, rules.jenis_label(jenis), uraian) for kode, jenis, uraian in entry.sesudah.get("butir", [])]
    return items, max(int(entry.sesudah.get("jumlah", 0)) - len(items), 0)


def _node_event(rows: list[RiwayatRow], uraian_now: dict[uuid.UUID, str]) -> Peristiwa:
    entries = [row.entry for row in rows]
    last = entries[-1]
    event = Peristiwa(waktu=last.waktu, user_nama=last.user_nama, kind=last.aksi, label=last.get_aksi_display())
    whole = next((entry for entry in entries if entry.aksi in (Aksi.IMPOR, Aksi.SALIN)), None)
    if whole is not None:
        jumlah = int(whole.sesudah.get("jumlah", 0))
        event.kind, event.label = whole.aksi, whole.get_aksi_display()
        event.butir, event.butir_more = _whole_tree(whole)
        event.rows = [row for row in rows if row.entry is not whole]  # the emptying before an import
        if whole.aksi == Aksi.IMPOR and whole.sesudah.get("berkas"):
            event.summary = _("%(butir)s dari %(berkas)s") % {
                "butir": _count(jumlah),
                "berkas": whole.sesudah["berkas"],
            }
        elif whole.aksi == Aksi.SALIN and whole.sesudah.get("sumber"):
            event.summary = _("%(butir)s dari %(sumber)s") % {
                "butir": _count(jumlah),
                "sumber": whole.sesudah["sumber"],
            }
        else:
            event.summary = _count(jumlah)
        if event.rows:
            replaced = sum(len(row.entry.sebelum.get("nodes", [])) for row in event.rows)
            event.summary += " " + _("(menggantikan %(butir)s)") % {"butir": _count(replaced)}
        return event
    event.rows = rows
    kinds = list(dict.fromkeys(entry.aksi for entry in entries))
    if len(entries) == 1:
        # The node's uraian beside its kode: as recorded, or (an edit or a move records only
        # what changed) as the node has it now.
        event.summary = last.sesudah.get("uraian") or last.sebelum.get("uraian") or uraian_now.get(last.kunci, "")
        if last.aksi in WHOLE:  # the line shows the uraian already
            rows[0].changes = [change for change in rows[0].changes if change.field != "uraian"]
    elif len(kinds) == 1:
        event.summary = _count(len(entries))
    else:
        event.kind, event.label = "campuran", _("Beberapa perubahan")
        per_kind = defaultdict(int)
        for entry in entries:
            per_kind[entry.get_aksi_display()] += 1
        event.summary = ", ".join(f"{label.lower()} {_count(n)}" for label, n in per_kind.items())
    return event


def _step_event(step: PohonRiwayat, copy: Peristiwa | None) -> Peristiwa:
    event = Peristiwa(
        waktu=step.waktu,
        user_nama=step.user_nama,
        kind=ALUR,
        label=step.get_aksi_display(),
        step=step,
        catatan=step.catatan,
        status=step.status_sesudah,
    )
    if copy is not None:  # a Perubahan: the copy of the approved tree is this step
        event.summary, event.butir, event.butir_more = copy.summary, copy.butir, copy.butir_more
    return event


@dataclass
class RiwayatPage:
    page: Page
    events: list[Peristiwa]


def riwayat_events(*, pohon: Pohon, filters: RiwayatFilter, user, page: int | str = 1) -> RiwayatPage:
    """The page ``page`` of the tree's events, newest first, ``PER_PAGE`` a page: four queries
    (five with deletions on the page) whatever the number of entries."""
    entry_q, step_q = _entry_filter(pohon, filters), _step_filter(pohon, filters)
    steps = list(PohonRiwayat.objects.filter(step_q)) if step_q is not None else []
    perubahan = next((step for step in steps if step.aksi == PohonRiwayat.Aksi.PERUBAHAN), None)
    heads: list[tuple[datetime.datetime, int, str, Any]] = []  # (time, order, kind, key)
    copy_keys: set[uuid.UUID] = set()
    if entry_q is not None:
        for peristiwa, waktu, last_id, copies in (
            NodeRiwayat.objects.filter(entry_q)
            .order_by()
            .values("peristiwa")
            .annotate(waktu=Max("waktu"), last_id=Max("id"), copies=Count("id", filter=Q(aksi=Aksi.SALIN)))
            .values_list("peristiwa", "waktu", "last_id", "copies")
        ):
            if copies and perubahan is not None:
                copy_keys.add(peristiwa)  # shown in the Perubahan's line
            else:
                heads.append((waktu, last_id, "node", peristiwa))
    heads.extend((step.waktu, step.pk, "step", step) for step in steps)
    heads.sort(key=lambda head: (head[0], head[2] == "step", head[1]), reverse=True)
    current = Paginator(heads, PER_PAGE).get_page(page)
    wanted = [head[3] for head in current.object_list if head[2] == "node"]
    if not any(head[3] is perubahan for head in current.object_list):
        copy_keys = set()
    entries = list(
        NodeRiwayat.objects.filter(
            ((entry_q or Q(pk__in=[])) & Q(peristiwa__in=wanted)) | Q(pohon=pohon, peristiwa__in=copy_keys)
        ).order_by("waktu", "id")
    )
    by_event: dict[uuid.UUID, list[RiwayatRow]] = defaultdict(list)
    for row in riwayat_rows(entries, pohon=pohon, user=user):
        _tidy(row)
        by_event[row.entry.peristiwa].append(row)
    copy_rows = [row for key in copy_keys for row in by_event[key] if row.entry.aksi == Aksi.SALIN]
    uraian_now = dict(
        Node.objects.filter(
            pohon=pohon, kunci__in={row.entry.kunci for rows in by_event.values() if len(rows) == 1 for row in rows}
        ).values_list("kunci", "uraian")
    )
    copy = _node_event(copy_rows[:1], uraian_now) if copy_rows else None
    events = []
    for _waktu, _order, kind, key in current.object_list:
        if kind == "step":
            events.append(_step_event(key, copy if key is perubahan else None))
        elif by_event[key]:
            events.append(_node_event(by_event[key], uraian_now))
    return RiwayatPage(page=current, events=events)
