"""The checks' severities: what is normal for the document's form is information, real problems
stay warnings or errors."""

from decimal import Decimal

import pytest

from pohon.checks import ERROR, INFO, WARNING, pohon_checks
from pohon.models import Node
from pohon.selectors import pohon_tree
from pohon.services import node_create, node_update

pytestmark = pytest.mark.django_db


def found(pohon) -> dict[str, tuple[str, list[str]]]:
    """code -> (severity, the kode of every finding)."""
    return {g.code: (g.severity, [f.node.kode for f in g.findings]) for g in pohon_checks(pohon_tree(pohon))}


def node(pohon, kode: str) -> Node:
    return Node.objects.get(pohon=pohon, kode=kode)


def test_the_demo_has_no_warnings_only_information(demo):
    report = pohon_checks(pohon_tree(demo))
    assert report.problems == []
    assert (report.error_count, report.warning_count, report.info_count) == (0, 0, 100)
    checks = found(demo)
    # Its kegiatan hang under Seksi; Pagu is on their Bidang's Programs (the seed's form).
    severity, kegiatan = checks["pagu_on_program"]
    assert severity == INFO and len(kegiatan) == 43 and "B1.K1.G1" in kegiatan and "B4.K2.G3" in kegiatan
    # No Indikator of the seed has a target: information, not 57 warnings.
    severity, indikator = checks["no_targets_yet"]
    assert severity == INFO and len(indikator) == 57
    assert "no_pagu" not in checks and "no_target" not in checks


def test_kegiatan_of_a_bidang_whose_programs_have_no_pagu_is_a_warning(demo):
    node_update(node=node(demo, "B2.P1"), pagu=None)  # Bidang PUEM's only Program
    checks = found(demo)
    severity, missing = checks["no_pagu"]
    assert severity == WARNING
    assert missing == ["B2.P1", "B2.K1.G1", "B2.K1.G2", "B2.K1.G3", "B2.K2.G1", "B2.K2.G2", "B2.K3.G1", "B2.K3.G2"]
    assert len(checks["pagu_on_program"][1]) == 43 - 7


def test_one_budgeted_program_of_the_bidang_covers_its_kegiatan(demo):
    node_update(node=node(demo, "B1.P2"), pagu=None)
    checks = found(demo)
    assert checks["no_pagu"] == (WARNING, ["B1.P2"])  # the Program itself still lacks its Pagu
    assert "B1.K1.G1" in checks["pagu_on_program"][1]


def test_in_the_chain_a_kegiatan_under_a_budgeted_program_is_information(chain_tree):
    node_update(node=node(chain_tree, "K1"), pagu=None)
    node_update(node=node(chain_tree, "K2"), pagu=None)
    assert found(chain_tree)["pagu_on_program"] == (INFO, ["K1", "K2"])
    assert "no_pagu" not in found(chain_tree)
    node_update(node=node(chain_tree, "P1"), pagu=None)  # now nothing below has a Pagu either
    assert found(chain_tree)["no_pagu"] == (WARNING, ["P1", "K1", "K2"])


def test_a_kegiatan_with_no_program_anywhere_above_is_a_warning(pohon):
    sasaran = node_create(pohon=pohon, parent=None, jenis="sasaran", uraian="Meningkatnya X", kode="S1")
    node_create(pohon=pohon, parent=sasaran, jenis="indikator", uraian="Indeks X", kode="S1.I1")
    node_create(pohon=pohon, parent=sasaran, jenis="kegiatan", uraian="Kegiatan tanpa Program", kode="K1")
    assert found(pohon)["no_pagu"] == (WARNING, ["K1"])


def test_missing_targets_are_warnings_once_the_tree_has_any_target(demo):
    node_update(node=node(demo, "T1.I1"), target_angka=Decimal("85.5"), satuan="%")
    checks = found(demo)
    severity, missing = checks["no_target"]
    assert severity == WARNING and len(missing) == 56 and "T1.I1" not in missing
    assert "no_targets_yet" not in checks


def test_errors_stay_errors(chain_tree):
    node_update(node=node(chain_tree, "K2"), pagu=Decimal(1_500_000_000))
    report = pohon_checks(pohon_tree(chain_tree))
    assert [(g.code, g.severity) for g in report.problems] == [("no_indicator", ERROR), ("pagu_overrun", ERROR)]
    assert (report.error_count, report.warning_count, report.info_count) == (2, 0, 0)


def test_checks_panel_sets_information_apart(admin_client, demo):
    html = admin_client.get("/pohon/dpmd-lumajang/2018/").content.decode()
    panel = html[html.index('aria-label="Pemeriksaan pohon"') : html.index("</aside>")]
    assert "Tidak ada kesalahan atau peringatan." in panel
    info = panel[panel.index('<details class="checks-info">') :]
    assert '<details class="checks-info" open' not in panel  # collapsed
    assert '<span class="badge badge-info">Informasi</span> 100 butir wajar untuk bentuk dokumen ini' in info
    assert info.count('<details class="check check-info">') == 2
