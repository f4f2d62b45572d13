"""pohon 0008_node_kunci carries every existing row over: nodes get their lasting key (the same
for nodes of one agency that share a kode, so a Perubahan's nodes keep their source's key) and
history entries the key of their node; 20,000 nodes well within a minute."""

import time
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("pohon", "0007_demo_account")
AFTER = ("pohon", "0008_node_kunci")


def _targets(executor: MigrationExecutor, pohon_migration: tuple[str, str]) -> list[tuple[str, str]]:
    """Every other app at its latest migration, pohon at ``pohon_migration``."""
    # dinas stands where it stood before the foundation (the Pemda still a text column), since the
    # rows are written with the historical models of that state.
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in ("pohon", "dinas")]
    return [*others, ("dinas", "0003_pejabat_status"), pohon_migration]


def _migrate_to(pohon_migration: tuple[str, str]):
    """Migrate the test database so that pohon stands at ``pohon_migration``; the historical
    models of that state."""
    executor = MigrationExecutor(connection)
    targets = _targets(executor, pohon_migration)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def at_0007(transactional_db):
    apps = _migrate_to(BEFORE)
    yield apps
    _migrate_to_latest()  # the rest of the suite runs on the latest schema


def _tree(apps, dinas, tahun, revisi, status, kodes: list[tuple[str, str | None]], tree_id: int):
    """A tree with a hidden root and ``kodes`` as (kode, parent kode) in tree order, its nested
    sets set by hand (the historical model has no django-mptt manager)."""
    Pohon, Node = apps.get_model("pohon", "Pohon"), apps.get_model("pohon", "Node")
    pohon = Pohon.objects.create(dinas=dinas, tahun=tahun, revisi=revisi, status=status)
    children: dict[str | None, list[str]] = {}
    for kode, parent in kodes:
        children.setdefault(parent, []).append(kode)
    nodes = {}
    counter = 0

    def place(kode: str | None, parent, level: int):
        nonlocal counter
        counter += 1
        lft = counter
        node = Node.objects.create(
            pohon=pohon, parent=parent, jenis="akar" if kode is None else "sasaran", kode=kode or "",
            uraian=kode or "akar", lft=lft, rght=0, level=level, tree_id=tree_id,
        )  # fmt: skip
        nodes[kode] = node
        for child in children.get(kode, []):
            place(child, node, level + 1)
        counter += 1
        node.rght = counter
        node.save(update_fields=["rght"])

    place(None, None, 0)
    return pohon, nodes


def test_0008_gives_nodes_and_history_their_kunci(at_0007):
    apps = at_0007
    Dinas = apps.get_model("dinas", "PerangkatDaerah")
    NodeRiwayat = apps.get_model("pohon", "NodeRiwayat")
    dinas = Dinas.objects.create(kode="dinas-a", nama="Dinas A", pemda="Kabupaten A")
    other = Dinas.objects.create(kode="dinas-b", nama="Dinas B", pemda="Kabupaten B")
    shape = [("T1", None), ("T1.S1", "T1"), ("T1.S2", "T1")]
    murni, murni_nodes = _tree(apps, dinas, 2018, 0, "disetujui", shape, tree_id=1)
    # The Perubahan: T1.S2 deleted, T1.S3 added.
    perubahan, perubahan_nodes = _tree(apps, dinas, 2018, 1, "draf", [*shape[:2], ("T1.S3", "T1")], tree_id=2)
    next_year, next_year_nodes = _tree(apps, dinas, 2019, 0, "draf", shape[:1], tree_id=3)
    _elsewhere, elsewhere_nodes = _tree(apps, other, 2018, 0, "draf", shape[:1], tree_id=4)
    tree_fields_before = sorted(apps.get_model("pohon", "Node").objects.values_list("pk", "lft", "rght", "level"))

    def entry(pohon, aksi, node_id, kode):
        return NodeRiwayat.objects.create(pohon=pohon, aksi=aksi, node_id=node_id, kode=kode, user_nama="sistem")

    gone_id = max(n.pk for n in apps.get_model("pohon", "Node").objects.all()) + 100
    deleted = entry(perubahan, "hapus", gone_id, "T1.S2")  # deleted for good: no T1.S2 in the Perubahan
    renamed = entry(perubahan, "ubah", perubahan_nodes["T1.S1"].pk, "T1.S1-lama")  # by node_id, kode since changed
    restored = entry(perubahan, "buat", gone_id + 1, "T1.S3")  # that node was deleted and restored: by kode
    whole_tree = entry(perubahan, "salin", None, "")
    in_murni = entry(murni, "buat", murni_nodes["T1.S2"].pk, "T1.S2")

    # The models of the migrated state (the app's own may have fields of later migrations).
    after = _migrate_to(AFTER)
    Node, NodeRiwayat = after.get_model("pohon", "Node"), after.get_model("pohon", "NodeRiwayat")

    def kunci(pohon, kode) -> uuid.UUID:
        return Node.objects.get(pohon_id=pohon.pk, kode=kode).kunci

    # One key per agency and kode, across revisions and years; each tree's root its own.
    assert kunci(murni, "T1") == kunci(perubahan, "T1") == kunci(next_year, "T1")
    assert kunci(murni, "T1.S1") == kunci(perubahan, "T1.S1")
    assert len({kunci(murni, "T1"), kunci(murni, "T1.S1"), kunci(murni, "T1.S2"), kunci(perubahan, "T1.S3")}) == 4
    assert kunci(_elsewhere, "T1") != kunci(murni, "T1")  # another agency's T1 is another node
    roots = list(Node.objects.filter(jenis="akar").values_list("kunci", flat=True))
    assert len(roots) == 4 and len(set(roots)) == 4
    assert Node.objects.filter(kunci__isnull=True).count() == 0
    assert Node.objects.count() == 4 + 3 + 3 + 1 + 1
    # The nested sets are untouched.
    assert sorted(Node.objects.values_list("pk", "lft", "rght", "level")) == tree_fields_before

    def entry_kunci(row):
        return NodeRiwayat.objects.get(pk=row.pk).kunci

    assert entry_kunci(renamed) == kunci(perubahan, "T1.S1")
    assert entry_kunci(restored) == kunci(perubahan, "T1.S3")
    assert entry_kunci(in_murni) == kunci(murni, "T1.S2")
    assert entry_kunci(deleted) is None
    assert entry_kunci(whole_tree) is None
    assert NodeRiwayat.objects.count() == 5
    del next_year_nodes, elsewhere_nodes, perubahan_nodes


def test_0008_over_20000_nodes_is_fast(at_0007):
    apps = at_0007
    Dinas = apps.get_model("dinas", "PerangkatDaerah")
    Pohon, Node = apps.get_model("pohon", "Pohon"), apps.get_model("pohon", "Node")
    NodeRiwayat = apps.get_model("pohon", "NodeRiwayat")
    dinas = Dinas.objects.create(kode="dinas-besar", nama="Dinas Besar", pemda="Kabupaten Besar")
    size = 10_000
    for revisi in (0, 1):  # two revisions sharing every kode: 20,002 nodes
        pohon = Pohon.objects.create(dinas=dinas, tahun=2018, revisi=revisi)
        root = Node.objects.create(
            pohon=pohon, jenis="akar", uraian="akar", lft=1, rght=2 * size + 2, level=0, tree_id=10 + revisi
        )
        Node.objects.bulk_create(
            [
                Node(
                    pohon=pohon,
                    parent=root,
                    jenis="sasaran",
                    kode=f"S{i}",
                    uraian=f"S{i}",
                    lft=2 * i + 2,
                    rght=2 * i + 3,
                    level=1,
                    tree_id=10 + revisi,
                )  # fmt: skip
                for i in range(size)
            ],
            batch_size=1000,
        )
    NodeRiwayat.objects.bulk_create(
        [NodeRiwayat(pohon=pohon, aksi="ubah", kode=f"S{i}", user_nama="sistem") for i in range(0, size, 2)],
        batch_size=1000,
    )
    started = time.perf_counter()
    after = _migrate_to(AFTER)
    seconds = time.perf_counter() - started
    Node, NodeRiwayat = after.get_model("pohon", "Node"), after.get_model("pohon", "NodeRiwayat")

    assert seconds < 60, f"0008 took {seconds:.1f} s over {2 * size + 2} nodes"
    print(f"0008_node_kunci over {2 * size + 2} nodes: {seconds:.2f} s on {connection.vendor}")
    assert Node.objects.filter(kunci__isnull=True).count() == 0
    assert Node.objects.exclude(jenis="akar").values("kunci").distinct().count() == size
    assert NodeRiwayat.objects.filter(kunci__isnull=True).count() == 0
