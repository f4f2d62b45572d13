"""What the Kepala Dinas is about to approve and sign, read for the confirmation step before
``pohon.workflow.pohon_approve``: the tree's totals, the open checks, the changes since the last
approved revision, and the signer, place and date the document will print.

Only reads: the approval itself freezes these same values (``pohon_approve``), so the page shows
them from the same sources (``pejabat_kepala``, ``PerangkatDaerah.tempat_dokumen``, the local date).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from dinas.models import Pejabat
from pohon import rules
from pohon.checks import CheckReport, pohon_checks
from pohon.formatting import tanggal_indonesia
from pohon.history import PohonDiff, pohon_diff
from pohon.models import Pohon
from pohon.money import rupiah
from pohon.selectors import PohonTree, pohon_tree
from pohon.workflow import kaskade_judul, pejabat_kepala, signing_ensure_ready


@dataclass(frozen=True)
class JenisCount:
    jenis: str
    label: str
    count: int


@dataclass
class ApprovalPreview:
    pohon: Pohon
    judul: str  # "Cascading / Pohon Kinerja ... Tahun 2018 Perubahan 1", as the verification page names it
    tree: PohonTree
    per_jenis: list[JenisCount]
    checks: CheckReport
    diff: PohonDiff
    signer: Pejabat | None
    tempat: str
    tanggal: datetime.date
    problems: list[str] = field(default_factory=list)  # what would refuse the approval now

    @property
    def total_pagu(self) -> Decimal:
        return self.tree.total_pagu

    @property
    def total_pagu_display(self) -> str:
        return rupiah(self.tree.total_pagu)

    @property
    def butir_count(self) -> int:
        return len(self.tree.nodes)

    @property
    def tanggal_display(self) -> str:
        """As the signature block prints it: ``2 Desember 2026``."""
        return tanggal_indonesia(self.tanggal)

    @property
    def can_confirm(self) -> bool:
        return not self.problems


def butir_per_jenis(tree: PohonTree) -> list[JenisCount]:
    """How many butir of each kind the tree has (the hidden root is none), in the rule table's order."""
    counts: dict[str, int] = {}
    for node in tree.nodes:
        counts[node.jenis] = counts.get(node.jenis, 0) + 1
    return [
        JenisCount(jenis, rules.jenis_label(jenis), counts[jenis]) for jenis in rules.JENIS_LABELS if jenis in counts
    ]


def approval_preview(*, pohon: Pohon, at: datetime.datetime | None = None) -> ApprovalPreview:
    """Everything the confirmation shows, read once. A missing signer or a certificate that
    cannot sign is a ``problem`` to show before confirming, not an exception: the approval
    would refuse with the same message."""
    tree = pohon_tree(pohon)
    problems: list[str] = []
    try:
        signer: Pejabat | None = pejabat_kepala(pohon)
    except ValidationError as error:
        signer = None
        problems.extend(error.messages)
    try:
        signing_ensure_ready()
    except ValidationError as error:
        problems.extend(error.messages)
    return ApprovalPreview(
        pohon=pohon,
        judul=kaskade_judul(pohon),
        tree=tree,
        per_jenis=butir_per_jenis(tree),
        checks=pohon_checks(tree),
        diff=pohon_diff(pohon=pohon),
        signer=signer,
        tempat=pohon.dinas.tempat_dokumen,
        tanggal=timezone.localdate(at or timezone.now()),
        problems=problems,
    )
