"""The yearly-cycle foundation's migrations together, over the database the issue names: the demo
agency with its approved 2018 tree (workflow steps, a signed file) and a Perubahan in which a kode
was renamed, a Kegiatan moved, an Indikator deleted and targets typed as text (tests/legacy_schema.py
writes it at pohon 0007 / dinas 0002 with the historical models). After migrating to the latest
state, every row is there and reads the way the new model means it."""

from decimal import Decimal

import pytest
from django.db import connection

from tests.legacy_schema import LEGACY_PDF, LEGACY_TOKEN, legacy_apps, legacy_build, migrate_to_latest


@pytest.fixture
def migrated(django_db_blocker):
    """The legacy rows, migrated forward; the database is left at the latest migration."""
    apps = legacy_apps(connection)
    data = legacy_build(apps)
    migrate_to_latest(connection)
    return data


@pytest.mark.django_db(transaction=True)
def test_the_demo_and_its_perubahan_survive_the_migrations(migrated, client):
    from pohon.history import pohon_diff
    from pohon.models import Node, NodeRiwayat, Pengesahan, Pohon
    from pohon.selectors import pohon_summaries

    data = migrated
    approved = Pohon.objects.get(pk=data.approved_id)
    revision = Pohon.objects.get(pk=data.revision_id)

    # The seed's exact figures are still the approved tree's.
    [summary] = pohon_summaries([approved])
    assert summary.total_pagu == Decimal(8_731_687_000)
    assert summary.node_count == data.node_count - Node.objects.filter(pohon=revision).visible().count()

    # kunci: the Perubahan's nodes share their source's key; the renamed one too (its history
    # entry says which kode it had).
    old = dict(Node.objects.filter(pohon=approved).visible().values_list("kode", "kunci"))
    new = dict(Node.objects.filter(pohon=revision).visible().values_list("kode", "kunci"))
    assert new[data.moved_kode] == old[data.moved_kode]
    old_kode, new_kode = data.renamed
    assert new[new_kode] == old[old_kode]
    assert len(set(old.values())) == len(old) and len(set(new.values())) == len(new)  # unique per tree
    assert set(new.values()) == set(old.values()) - {old[data.deleted_kode]}

    # The diff of the revision: the rename and the move are one change each, the deletion one removal.
    diff = pohon_diff(pohon=revision)
    changed = {change.kode: {c.field: (c.old, c.new) for c in change.changes} for change in diff.changed}
    assert changed[new_kode] == {"kode": (old_kode, new_kode)}
    assert changed[data.moved_kode] == {"parent": ("B1.K1", "B1.K2")}
    assert [node.kode for node in diff.removed] == [data.deleted_kode]
    assert diff.added == []

    # The history entry of the moved node carries the node's key.
    entry = NodeRiwayat.objects.get(pohon=revision, kode=data.moved_kode, aksi="pindah")
    assert entry.kunci == new[data.moved_kode]

    # The approval became an issued document with the same token; its file's bytes are untouched.
    pengesahan = Pengesahan.objects.get(pk=data.pengesahan_id)
    assert pengesahan.dokumen.token == LEGACY_TOKEN
    [berkas] = pengesahan.dokumen.berkas.all()
    assert bytes(berkas.pdf) == LEGACY_PDF
    signer = pengesahan.penandatangan
    assert signer.nama == "PATRIANI HASTIADI, AP. MSi."
    response = client.get(f"/verifikasi/{LEGACY_TOKEN}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "PATRIANI HASTIADI, AP. MSi." in page and "kadis" not in page

    # The Pemda string became a record, and the agency belongs to it.
    assert (approved.dinas.pemda.nama, approved.dinas.pemda.jenis, approved.dinas.tempat_dokumen) == (
        "Kabupaten Lumajang",
        "kabupaten",
        "Lumajang",
    )
    assert pengesahan.dokumen.pemda_nama == "Kabupaten Lumajang"

    # Targets typed as text became numbers with their satuan, or stayed text.
    targets = {
        node.kode: (node.target_angka, node.target_teks, node.satuan, node.arah)
        for node in Node.objects.filter(pohon=revision, kode__in=["T1.I1", "T1.S1.I1", "T1.S2.I1", "B1.S1.I1"])
    }
    assert targets == {
        "T1.I1": (Decimal("85.5"), "", "%", "naik"),
        "T1.S1.I1": (Decimal("50"), "", "%", "naik"),
        "T1.S2.I1": (Decimal("45"), "", "OPD", "naik"),
        "B1.S1.I1": (None, "WTP", "", "naik"),
    }
