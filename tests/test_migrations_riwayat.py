"""Migration pohon 0012_riwayat_peristiwa: every existing history entry gets an event id; the runs
one action wrote (the demo loader's creations, an import with the emptying before it) share one,
every other entry has its own. Rows are created at pohon 0011 with the historical models."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from dinas.models import PerangkatDaerah
from tests.conftest import pemda_named

BEFORE = [("pohon", "0011_node_target")]


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_existing_entries_are_grouped_into_events():
    dinas = PerangkatDaerah.objects.create(kode="dinas-lama", nama="Dinas Lama", pemda=pemda_named("Kabupaten Lama"))
    _executor().migrate(BEFORE)
    apps = _executor().loader.project_state(BEFORE).apps
    Pohon = apps.get_model("pohon", "Pohon")
    NodeRiwayat = apps.get_model("pohon", "NodeRiwayat")
    User = apps.get_model("auth", "User")
    budi = User.objects.create(username="budi")
    first, second = (
        Pohon.objects.create(dinas_id=dinas.pk, tahun=2018),
        Pohon.objects.create(dinas_id=dinas.pk, tahun=2019),
    )
    start = timezone.make_aware(datetime.datetime(2024, 5, 1, 9, 0, 0))

    def entry(pohon, label, aksi, seconds, user=None):
        return NodeRiwayat.objects.create(
            pohon=pohon, kode=label, aksi=aksi, user=user, user_nama=user.username if user else "sistem",
            waktu=start + datetime.timedelta(seconds=seconds),
        )  # fmt: skip

    # the demo loader: 8 creations 0.6 s apart (4.2 s in all, across five seconds)
    for number in range(8):
        entry(first, f"D{number}", "buat", number * 0.6)
    entry(first, "E1", "ubah", 5)  # an edit right after: its own event
    entry(first, "E2", "buat", 5.5, budi)  # another user's creation: its own event
    entry(first, "E3", "buat", 60, budi)  # the same user a minute later: another event
    # an import replacing a tree: two deletions of the old top nodes, then the import's entry
    entry(second, "H1", "hapus", 0, budi)
    entry(second, "H2", "hapus", 0.1, budi)
    entry(second, "", "impor", 0.4, budi)
    entry(second, "H3", "hapus", 30, budi)  # a deletion later on: its own event
    entry(second, "", "impor", 31, budi)  # an import right after a deletion of the same user joins it

    _executor().migrate(_executor().loader.graph.leaf_nodes())

    from pohon.models import NodeRiwayat as Current

    events = {}
    for row in Current.objects.order_by("id"):
        assert row.peristiwa is not None
        events.setdefault(row.peristiwa, []).append(row.kode or row.aksi)
    assert sorted(events.values()) == sorted(
        [
            [f"D{n}" for n in range(8)],
            ["E1"],
            ["E2"],
            ["E3"],
            ["H1", "H2", "impor"],
            ["H3", "impor"],
        ]
    )
    # new entries get an id of their own by default
    assert Current._meta.get_field("peristiwa").default is not None
