"""Migration pohon 0011_node_target: every old target/satuan pair is carried over, read with the
migration's frozen copy of the target parser; text it cannot read stays text; every Indikator
gets arah "naik". Rows are created at pohon 0007 with the historical models."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dinas.models import PerangkatDaerah
from tests.conftest import pemda_named

BEFORE = [("pohon", "0007_demo_account"), ("dinas", "0003_pejabat_status")]
AFTER = [("pohon", "0011_node_target")]

# kode, jenis, old target, old satuan -> target_angka, target_teks, satuan, arah
OLD_TARGETS = [
    ("I1", "indikator", "85,5", "%", Decimal("85.5"), "", "%", "naik"),
    ("I2", "indikator", "50%", "", Decimal(50), "", "%", "naik"),
    ("I3", "indikator", "45 OPD", "OPD", Decimal(45), "", "OPD", "naik"),
    ("I4", "indikator", "WTP", "", None, "WTP", "", "naik"),
    ("I5", "indikator", "", "", None, "", "", "naik"),
    ("I6", "indikator", "1.250", "orang", Decimal(1250), "", "orang", "naik"),
    ("I7", "indikator", "4,1 poin", "", Decimal("4.1"), "", "poin", "naik"),
    ("I8", "indikator", "85,5,5", "%", None, "85,5,5", "%", "naik"),  # unreadable: kept as text
    ("I9", "indikator", "50%", "orang", None, "50%", "orang", "naik"),  # disagreeing satuan: kept as text
    ("I10", "indikator", "", "desa", None, "", "desa", "naik"),  # a satuan alone stays
    ("I11", "indikator", " -2,5 % ", "%", Decimal("-2.5"), "", "%", "naik"),
    ("I12", "indikator", "1234567890123456", "", None, "1234567890123456", "", "naik"),  # too many digits
]


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_old_targets_are_parsed_and_nothing_is_lost():
    dinas = PerangkatDaerah.objects.create(kode="dinas-lama", nama="Dinas Lama", pemda=pemda_named("Kabupaten Lama"))
    executor = _executor()
    executor.migrate(BEFORE)
    apps = _executor().loader.project_state(BEFORE).apps
    Pohon = apps.get_model("pohon", "Pohon")
    Node = apps.get_model("pohon", "Node")
    pohon = Pohon.objects.create(dinas_id=dinas.pk, tahun=2018)
    count = len(OLD_TARGETS) + 1
    # The nested-set fields written by hand: a root with one Tujuan holding the Indikator.
    root = Node.objects.create(
        pohon=pohon, jenis="akar", kode="", uraian="akar", tree_id=1, lft=1, rght=2 * (count + 1), level=0
    )
    tujuan = Node.objects.create(
        pohon=pohon, parent=root, jenis="tujuan", kode="T1", uraian="Tujuan", tree_id=1, lft=2, rght=2 * count + 1,
        level=1,
    )  # fmt: skip
    for index, (kode, jenis, target, satuan, *_new) in enumerate(OLD_TARGETS):
        Node.objects.create(
            pohon=pohon, parent=tujuan, jenis=jenis, kode=kode, uraian=f"Indikator {kode}", target=target,
            satuan=satuan, tree_id=1, lft=3 + 2 * index, rght=4 + 2 * index, level=2,
        )  # fmt: skip

    _executor().migrate(_executor().loader.graph.leaf_nodes())

    from pohon.models import Node as CurrentNode

    migrated = {
        node.kode: node
        for node in CurrentNode.objects.filter(pohon_id=pohon.pk).only(
            "kode", "jenis", "target_angka", "target_teks", "satuan", "arah"
        )
    }
    for kode, _jenis, _target, _satuan, angka, teks, satuan, arah in OLD_TARGETS:
        node = migrated[kode]
        assert (node.target_angka, node.target_teks, node.satuan, node.arah) == (angka, teks, satuan, arah), kode
    assert (migrated["T1"].target_angka, migrated["T1"].target_teks, migrated["T1"].arah) == (None, "", "")
    assert migrated["I1"].target_satuan_display == "85,5 %"
    assert migrated["I6"].target_display == "1.250"
    assert CurrentNode.objects.filter(pohon_id=pohon.pk).count() == count + 1


@pytest.mark.django_db(transaction=True)
def test_backwards_gives_the_display_text():
    """Unapplying 0010 writes each target back as one text (its display form) and leaves the
    database at the latest migration afterwards."""
    dinas = PerangkatDaerah.objects.create(kode="dinas-balik", nama="Dinas Balik", pemda=pemda_named("Kabupaten Balik"))
    executor = _executor()
    executor.migrate(AFTER)
    apps = _executor().loader.project_state(AFTER).apps
    Pohon = apps.get_model("pohon", "Pohon")
    Node = apps.get_model("pohon", "Node")
    pohon = Pohon.objects.create(dinas_id=dinas.pk, tahun=2018)
    root = Node.objects.create(pohon=pohon, jenis="akar", uraian="akar", tree_id=1, lft=1, rght=6, level=0)
    fields = {"pohon": pohon, "parent": root, "jenis": "indikator", "tree_id": 1, "level": 1, "arah": "naik"}
    Node.objects.create(kode="I1", uraian="a", target_angka=Decimal("1250.5"), satuan="%", lft=2, rght=3, **fields)
    Node.objects.create(kode="I2", uraian="b", target_teks="WTP", lft=4, rght=5, **fields)
    _executor().migrate(BEFORE)
    old = _executor().loader.project_state(BEFORE).apps.get_model("pohon", "Node")
    assert dict(old.objects.filter(pohon_id=pohon.pk, jenis="indikator").values_list("kode", "target")) == {
        "I1": "1.250,5",
        "I2": "WTP",
    }
    _executor().migrate(_executor().loader.graph.leaf_nodes())
