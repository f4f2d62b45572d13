"""Two writers at once: each tree write locks the tree first (select_for_update on PostgreSQL,
IMMEDIATE transactions on SQLite), so concurrent inserts wait for each other instead of failing
with "database is locked" or corrupting django-mptt's nested-set fields."""

import threading

import pytest
from django.db import connection, connections

from pohon.models import Node
from pohon.services import node_create, tree_verify

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
