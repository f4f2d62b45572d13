"""What a tree is missing or gets wrong, listed for the chart and table pages."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from pohon import rules
from pohon.money import rupiah
from pohon.selectors import PohonTree, TreeNode, pagu_overruns

SHOWN_PER_GROUP = 50
ERROR = "error"
WARNING = "warning"


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


def pohon_checks(tree: PohonTree) -> list[CheckGroup]:
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
    }
    target_label, satuan_label = str(_("target")), str(_("satuan"))  # translated once, not per node
    for node in tree.nodes:
        children = tree.children_of(node)
        if node.jenis in (rules.TUJUAN, rules.SASARAN) and not any(c.jenis == rules.INDIKATOR for c in children):
            groups["no_indicator"].findings.append(CheckFinding(node))
        elif node.jenis == rules.INDIKATOR and not (node.has_target and node.satuan):
            missing = [
                label for value, label in ((node.has_target, target_label), (node.satuan, satuan_label)) if not value
            ]
            groups["no_target"].findings.append(CheckFinding(node, ", ".join(missing)))
        elif node.jenis in (rules.PROGRAM, rules.KEGIATAN) and tree.total_of(node) is None:
            groups["no_pagu"].findings.append(CheckFinding(node))
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
    return [group for group in groups.values() if group.findings]
