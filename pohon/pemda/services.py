"""Writes that only the Pemda tree has: creating a period's tree and setting an IKU's yearly
targets. Everything else (nodes, workflow, import, copy) is the agency tree's own service."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dinas.models import Pemda
from dinas.services import pemda_pemilik_ensure
from pohon import rules
from pohon.history import riwayat_record
from pohon.models import Node, NodeRiwayat, Pohon, TargetTahunan
from pohon.services import _bump_version, _node_open, node_update, pohon_create
from pohon.targets import ParsedTarget

# An RPJMD is five years; the period's length is the tree's own (``Pohon.tahun_akhir``).
PERIODE_TAHUN = 5


@transaction.atomic
def pemda_pohon_create(*, pemda: Pemda, tahun: int, tahun_akhir: int | None = None) -> Pohon:
    """An empty draft Pemda tree for the RPJMD period ``tahun``-``tahun_akhir`` (five years by
    default), owned by the Pemda's owner record (created when missing). Refused when a Pemda
    tree of the Pemda already covers one of its years."""
    owner = pemda_pemilik_ensure(pemda=pemda)
    tahun_akhir = tahun + PERIODE_TAHUN - 1 if tahun_akhir is None else tahun_akhir
    overlapping = (
        Pohon.objects.filter(dinas=owner, tahun__lte=tahun_akhir, tahun_akhir__gte=tahun).order_by("tahun").first()
    )
    if overlapping is not None:
        raise ValidationError(
            _("%(pemda)s sudah memiliki pohon kinerja periode %(periode)s yang beririsan dengan %(awal)s-%(akhir)s.")
            % {"pemda": pemda.nama, "periode": overlapping.periode_display, "awal": tahun, "akhir": tahun_akhir},
            code="periode_overlap",
        )
    return pohon_create(dinas=owner, tahun=tahun, tahun_akhir=tahun_akhir)


def _targets_text(values: dict[int, str]) -> str:
    return "; ".join(f"{tahun}: {value}" for tahun, value in sorted(values.items()) if value)


@transaction.atomic
def target_tahunan_set(
    *, node: Node, targets: dict[int, ParsedTarget | None], user=None, versi: int | None = None
) -> Node:
    """Set an Indikator's targets for years of its Pemda tree's period (None or an empty target:
    no target that year). Checked like every node change (tree editable, the user's right on the
    branch, a current page); recorded in the node's history as one change of "Target per tahun"."""
    pohon = _node_open(node, user=user, versi=versi, root_refusal=_("Akar pohon tidak dapat diubah."))
    if not pohon.is_pemda or node.jenis != rules.INDIKATOR:
        raise ValidationError(_("Target per tahun hanya untuk Indikator pohon kinerja Pemda."))
    outside = sorted(set(targets) - set(pohon.periode))
    if outside:
        raise ValidationError(
            _("Tahun %(tahun)s di luar periode %(periode)s.")
            % {"tahun": ", ".join(map(str, outside)), "periode": pohon.periode_display}
        )
    existing = {t.tahun: t for t in TargetTahunan.objects.filter(pohon=pohon, kunci=node.kunci)}
    before = {tahun: t.display for tahun, t in existing.items()}
    after = dict(before)
    for tahun, parsed in targets.items():
        row = existing.get(tahun)
        if parsed is None or (parsed.angka is None and not parsed.teks):
            if row is not None:
                row.delete()
            after.pop(tahun, None)
            continue
        row = row or TargetTahunan(pohon=pohon, kunci=node.kunci, tahun=tahun)
        row.target_angka, row.target_teks = parsed.angka, parsed.teks
        row.full_clean()
        row.save()
        after[tahun] = row.display
    if before != after:
        _bump_version(node)
        riwayat_record(
            pohon=pohon,
            aksi=NodeRiwayat.Aksi.UBAH,
            user=user,
            node=node,
            sebelum={"target_tahunan": _targets_text(before)},
            sesudah={"target_tahunan": _targets_text(after)},
        )
    return node


def target_tahunan_bulk_write(*, pohon: Pohon, targets: dict, nodes: list[Node]) -> int:
    """Write the yearly targets of a freshly bulk-written Pemda tree (an import): ``targets``
    maps a row index of ``nodes`` to {tahun: ParsedTarget}. Replaces the tree's targets. The
    caller holds the tree's lock (``tree_bulk_insert`` took it)."""
    TargetTahunan.objects.filter(pohon=pohon).delete()
    rows = [
        TargetTahunan(pohon=pohon, kunci=nodes[index].kunci, tahun=tahun, target_angka=t.angka, target_teks=t.teks)
        for index, per_year in targets.items()
        for tahun, t in per_year.items()
        if t.angka is not None or t.teks
    ]
    TargetTahunan.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def indikator_pemda_update(
    *, node: Node, targets: dict[int, ParsedTarget | None], user=None, versi: int | None = None, **changes: object
) -> Node:
    """The editor's one write for a Pemda tree's Indikator: its own fields (``node_update``),
    then its yearly targets, both against the version the page showed."""
    node_update(node=node, user=user, versi=versi, **changes)
    return target_tahunan_set(node=node, targets=targets, user=user)
