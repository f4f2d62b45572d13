"""What a tree is missing or gets wrong, listed for the chart and table pages and the approval's
confirmation.

Three severities: an error (the tree contradicts itself: a Pagu overrun, a unit node without a
unit), a warning (something is missing that the tree should state) and information (something
absent that is normal for the document's form, shown collapsed: the seed states Pagu on its
programmes only, so its kegiatan carry none, and it has no targets at all). What is normal is
decided here, once, for every page that shows checks.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from pohon import rules
from pohon.money import rupiah
from pohon.selectors import PohonTree, TreeNode, pagu_overruns

SHOWN_PER_GROUP = 50
ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass
class CheckFinding:
    node: TreeNode
    detail: str = ""


@dataclass
class CheckGroup:
    code: str
    severity: str
    title: str
    findings: list[CheckFinding] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def shown(self) -> list[CheckFinding]:
        """The first findings, enough to act on; a 20,000-node tree may have thousands."""
        return self.findings[:SHOWN_PER_GROUP]

    @property
    def not_shown(self) -> int:
        return max(0, self.count - SHOWN_PER_GROUP)


class CheckReport(list[CheckGroup]):
    """The groups with findings, errors and warnings first; a list, with the counts a summary needs."""

    def _findings(self, severity: str) -> int:
        return sum(group.count for group in self if group.severity == severity)

    @property
    def problems(self) -> list[CheckGroup]:
        """Errors and warnings: what someone should act on."""
        return [group for group in self if group.severity != INFO]

    @property
    def info(self) -> list[CheckGroup]:
        return [group for group in self if group.severity == INFO]

    @property
    def error_count(self) -> int:
        return self._findings(ERROR)

    @property
    def warning_count(self) -> int:
        return self._findings(WARNING)

    @property
    def info_count(self) -> int:
        return self._findings(INFO)


class _ProgramPagu:
    """Whether a Kegiatan's Pagu is stated on its Program: the Program above it (the design card's
    chain), or, in the seed's and the penjenjangan form where a Kegiatan hangs under a Seksi or a
    Sasaran Kegiatan, the Programs of the nearest node above it that holds Programs (its Bidang,
    its Sasaran Program). Answers are kept per ancestor, so a tree costs one walk per level."""

    def __init__(self, tree: PohonTree) -> None:
        self.tree = tree
        self.known: dict[int, bool | None] = {}  # node id -> answer there, None: ask further up

    def _at(self, node: TreeNode) -> bool | None:
        if node.pk not in self.known:
            if node.jenis == rules.PROGRAM:
                self.known[node.pk] = self.tree.total_of(node) is not None
            else:
                programs = [c for c in self.tree.children_of(node) if c.jenis == rules.PROGRAM]
                self.known[node.pk] = any(self.tree.total_of(p) is not None for p in programs) if programs else None
        return self.known[node.pk]

    def covers(self, kegiatan: TreeNode) -> bool:
        ancestor = self.tree.parent_of(kegiatan)
        while ancestor is not None:
            answer = self._at(ancestor)
            if answer is not None:
                return answer
            ancestor = self.tree.parent_of(ancestor)
        return False


def pohon_checks(tree: PohonTree) -> CheckReport:
    """Every check over one pass of the tree already in memory; groups without findings are dropped."""
    groups = {
        "no_indicator": CheckGroup("no_indicator", ERROR, str(_("Tujuan atau Sasaran tanpa Indikator"))),
        "pagu_overrun": CheckGroup("pagu_overrun", ERROR, str(_("Pagu anak melebihi Pagu induknya"))),
        "unit_missing": CheckGroup("unit_missing", ERROR, str(_("Bidang atau Seksi tanpa unit kerja"))),
        # In the penjenjangan form a Sasaran under a Sasaran is a box headed by its unit's name.
        "jenjang_unit_missing": CheckGroup(
            "jenjang_unit_missing", WARNING, str(_("Sasaran di bawah Sasaran tanpa unit kerja"))
        ),
        "empty_division": CheckGroup("empty_division", WARNING, str(_("Bidang atau Seksi yang kosong"))),
        "no_pagu": CheckGroup("no_pagu", WARNING, str(_("Program atau Kegiatan tanpa Pagu"))),
        "no_target": CheckGroup("no_target", WARNING, str(_("Indikator tanpa target atau satuan"))),
        "pagu_on_program": CheckGroup(
            "pagu_on_program", INFO, str(_("Kegiatan tanpa Pagu sendiri: Pagu-nya tercatat pada Program"))
        ),
        "no_targets_yet": CheckGroup(
            "no_targets_yet", INFO, str(_("Indikator tanpa target: pohon ini belum memuat target sama sekali"))
        ),
    }
    target_label, satuan_label = str(_("target")), str(_("satuan"))  # translated once, not per node
    # A tree stating no target anywhere (the seed's form) is not missing one here and there.
    no_target_group = (
        "no_target"
        if any(node.jenis == rules.INDIKATOR and node.has_target for node in tree.nodes)
        else "no_targets_yet"
    )
    program_pagu = _ProgramPagu(tree)
    for node in tree.nodes:
        children = tree.children_of(node)
        if node.jenis in (rules.TUJUAN, rules.SASARAN) and not any(c.jenis == rules.INDIKATOR for c in children):
            groups["no_indicator"].findings.append(CheckFinding(node))
        elif node.jenis == rules.INDIKATOR and not (node.has_target and node.satuan):
            missing = [
                label for value, label in ((node.has_target, target_label), (node.satuan, satuan_label)) if not value
            ]
            groups[no_target_group].findings.append(CheckFinding(node, ", ".join(missing)))
        elif node.jenis in (rules.PROGRAM, rules.KEGIATAN) and tree.total_of(node) is None:
            covered = node.jenis == rules.KEGIATAN and program_pagu.covers(node)
            groups["pagu_on_program" if covered else "no_pagu"].findings.append(CheckFinding(node))
        elif node.jenis in rules.UNIT_NODES:
            if node.unit_id is None:
                groups["unit_missing"].findings.append(CheckFinding(node))
            if not children:
                groups["empty_division"].findings.append(CheckFinding(node))
        if node.jenis == rules.SASARAN and node.unit_id is None:
            parent = tree.parent_of(node)
            if parent is not None and parent.jenis == rules.SASARAN:
                groups["jenjang_unit_missing"].findings.append(CheckFinding(node))
    for overrun in pagu_overruns(tree):
        groups["pagu_overrun"].findings.append(
            CheckFinding(
                overrun.node,
                str(_("anak %(children)s, induk %(own)s, lebih %(excess)s"))
                % {
                    "children": rupiah(overrun.children_total),
                    "own": rupiah(overrun.node.pagu),
                    "excess": rupiah(overrun.excess),
                },
            )
        )
    return CheckReport(group for group in groups.values() if group.findings)
