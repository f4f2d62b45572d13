"""Two writers at once: each tree write locks the tree first (select_for_update on PostgreSQL,
IMMEDIATE transactions on SQLite), so concurrent inserts wait for each other instead of failing
with "database is locked" or corrupting django-mptt's nested-set fields."""

import random
import threading
import time

import pytest
from django.db import connection, connections, transaction

from pohon.models import Node, NodeRiwayat
from pohon.services import node_create, node_delete, node_move, pohon_lock, tree_verify
from tests.conftest import DEMO_PASSWORD, Client

WRITERS = 4
INSERTS_EACH = 25


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_under_one_parent_all_land_and_keep_the_tree_consistent(chain_tree):
    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    parent_pk = Node.objects.get(pohon=chain_tree, kode="P1").pk
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        try:
            start.wait()
            for i in range(INSERTS_EACH):
                parent = Node.objects.get(pk=parent_pk)
                node_create(
                    pohon=chain_tree, parent=parent, jenis="kegiatan", uraian=f"W{number}.{i}", kode=f"W{number}.{i}"
                )
        except BaseException as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Node.objects.filter(pohon=chain_tree, kode__startswith="W").count() == WRITERS * INSERTS_EACH
    tree_verify(chain_tree)


MIXED_WRITERS = 4
MIXED_OPERATIONS = 30


def tree_fields(tree_id: int) -> list[tuple]:
    return list(
        Node.objects.filter(tree_id=tree_id).order_by("pk").values_list("pk", "parent_id", "lft", "rght", "level")
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_and_moves_keep_the_tree_exact(chain_tree):
    """Four writers each add Kegiatan under two programmes and move their own nodes between
    them and around each other, all at once. Afterwards every accepted change is there (each node
    under the parent its writer last gave it, each change in the history), the nested sets are
    consistent, and django-mptt's own rebuild from the parent links would change nothing."""
    p1 = Node.objects.get(pohon=chain_tree, kode="P1")
    p2 = node_create(pohon=chain_tree, parent=Node.objects.get(pohon=chain_tree, kode="S1"), jenis="program",
                     uraian="Program kedua", kode="P2")  # fmt: skip
    programmes = {"P1": p1.pk, "P2": p2.pk}
    history_before = NodeRiwayat.objects.filter(pohon=chain_tree).count()
    expected_parent: dict[str, str] = {}  # kode -> kode of the parent its writer last gave it
    lock = threading.Lock()
    errors: list[BaseException] = []
    start = threading.Barrier(MIXED_WRITERS)

    def writer(number: int) -> None:
        rng = random.Random(number)
        own: dict[str, str] = {}
        try:
            start.wait()
            for i in range(MIXED_OPERATIONS):
                if i % 2 == 0 or not own:
                    parent_kode = rng.choice(sorted(programmes))
                    kode = f"M{number}.{i}"
                    node_create(
                        pohon=chain_tree, parent=Node.objects.get(pk=programmes[parent_kode]), jenis="kegiatan",
                        uraian=kode, kode=kode, position=rng.choice(["first-child", "last-child"]),
                    )  # fmt: skip
                    own[kode] = parent_kode
                    continue
                kode = rng.choice(sorted(own))
                node = Node.objects.get(pohon=chain_tree, kode=kode)
                others = [k for k in own if k != kode]
                if others and rng.random() < 0.5:
                    sibling = rng.choice(sorted(others))
                    # the sibling's parent is only ever changed by this writer: known here
                    target, position = Node.objects.get(pohon=chain_tree, kode=sibling), rng.choice(["left", "right"])
                    own[kode] = own[sibling]
                else:
                    parent_kode = rng.choice(sorted(programmes))
                    target = Node.objects.get(pk=programmes[parent_kode])
                    position = rng.choice(["first-child", "last-child"])
                    own[kode] = parent_kode
                node_move(node=node, target=target, position=position)
            with lock:
                expected_parent.update(own)
        except BaseException as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(MIXED_WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    tree_verify(chain_tree)
    actual = dict(Node.objects.filter(pohon=chain_tree, kode__startswith="M").values_list("kode", "parent__kode"))
    assert actual == expected_parent
    assert len(actual) == MIXED_WRITERS * (MIXED_OPERATIONS // 2)
    entries = NodeRiwayat.objects.filter(pohon=chain_tree).count() - history_before
    assert entries == MIXED_WRITERS * MIXED_OPERATIONS  # one entry per accepted create or move

    tree_id = p1.tree_id
    before = tree_fields(tree_id)
    with transaction.atomic():
        Node.objects.partial_rebuild(tree_id)
        rebuilt = tree_fields(tree_id)
        transaction.set_rollback(True)
    assert rebuilt == before
    assert tree_fields(tree_id) == before


@pytest.mark.django_db(transaction=True)
def test_a_change_waiting_for_the_lock_while_its_node_is_deleted_is_refused_with_409(demo):
    """The editor posts a change of B1.K1.G1 while another writer holds the tree's lock and
    deletes its section. On PostgreSQL the request has read the node and waits in the service
    for the lock; on SQLite its IMMEDIATE transaction waits before reading anything. Either way,
    once the other writer commits, the answer is 409 with the reload message, not a 500 from
    Node.DoesNotExist, and the tree is consistent."""
    client = Client()
    assert client.login(username="operator", password=DEMO_PASSWORD)
    node = Node.objects.get(pohon=demo, kode="B1.K1.G1")
    locked = threading.Event()
    errors: list[BaseException] = []

    def deleter() -> None:
        try:
            with transaction.atomic():
                pohon_lock(demo)
                node_delete(node=Node.objects.get(pohon=demo, kode="B1.K1"))
                locked.set()
                time.sleep(0.5)  # the request below now waits for this lock
        except BaseException as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
            locked.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=deleter)
    thread.start()
    locked.wait()
    response = client.post(
        f"/pohon/dpmd-lumajang/2018/node/{node.pk}/ubah/",
        {"uraian": "Dari halaman lama", "versi": node.versi},
        HTTP_HX_REQUEST="true",
    )
    thread.join()
    assert errors == []
    assert response.status_code == 409
    assert "sudah dihapus oleh pengguna lain; muat ulang halaman." in response.content.decode()
    assert not Node.objects.filter(pohon=demo, kode__startswith="B1.K1").exists()
    tree_verify(demo)
