"""A node keeps its identity (``Node.kunci``) through a Perubahan, a copy to the next year, an
export and re-import, a deletion and restore; the difference between revisions matches on it."""

import csv
import io
import json
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from dinas.models import Keanggotaan
from pohon.history import pohon_diff
from pohon.imports import pohon_import
from pohon.models import Node, NodeRiwayat, Pohon
from pohon.resources import COLUMNS, pohon_export
from pohon.selectors import pohon_dump, pohon_tree
from pohon.services import node_create, node_delete, node_move, node_restore, node_update
from pohon.workflow import pohon_revise

pytestmark = pytest.mark.django_db
User = get_user_model()


def kunci_by_kode(pohon: Pohon) -> dict[str, uuid.UUID]:
    return dict(Node.objects.filter(pohon=pohon).visible().values_list("kode", "kunci"))


def node(pohon, kode) -> Node:
    return Node.objects.get(pohon=pohon, kode=kode)


def approve(pohon: Pohon) -> None:
    Pohon.objects.filter(pk=pohon.pk).update(status=Pohon.Status.DISETUJUI)
    pohon.refresh_from_db()


@pytest.fixture
def budi(dinas):
    user = User.objects.create_user("budi", password="x", first_name="Budi", last_name="Santoso")
    Keanggotaan.objects.create(user=user, dinas=dinas, peran="admin")
    return user


def test_every_node_has_its_own_kunci_and_a_taken_one_is_refused(chain_tree):
    keys = kunci_by_kode(chain_tree)
    assert len(keys) == 6 and len(set(keys.values())) == 6
    twin = Node(
        pohon=chain_tree, parent=node(chain_tree, "T1"), jenis="sasaran", uraian="Kembar", kode="S9",
        kunci=keys["S1"],
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Kunci ini sudah dipakai oleh butir lain di pohon yang sama"):
        twin.full_clean()


# --- carried unchanged --------------------------------------------------------------------------


def test_perubahan_keeps_every_kunci(chain_tree):
    approve(chain_tree)
    revision = pohon_revise(pohon=chain_tree, user=None)
    assert kunci_by_kode(revision) == kunci_by_kode(chain_tree)
    # a node added to the revision is a new node
    added = node_create(pohon=revision, parent=node(revision, "P1"), jenis="kegiatan", uraian="Baru", kode="K3")
    assert added.kunci not in kunci_by_kode(chain_tree).values()


def test_copy_pohon_command_keeps_every_kunci(chain_tree):
    call_command("copy_pohon", "--dinas", "dinas-uji", "--from", "2018", "--to", "2019", stdout=io.StringIO())
    copy = Pohon.objects.get(dinas=chain_tree.dinas, tahun=2019)
    assert kunci_by_kode(copy) == kunci_by_kode(chain_tree)


@pytest.mark.parametrize("export_format", ["json", "csv", "xlsx"])
def test_export_then_import_keeps_every_kunci(chain_tree, export_format):
    before = kunci_by_kode(chain_tree)
    exported = pohon_export(chain_tree, export_format)
    dinas = chain_tree.dinas
    Pohon.objects.filter(pk=chain_tree.pk).delete()
    plan, pohon = pohon_import(dinas=dinas, tahun=2018, data=exported, filename=f"pohon.{export_format}")
    assert pohon is not None, plan.problems
    assert kunci_by_kode(pohon) == before
    if export_format != "xlsx":  # an xlsx carries its creation time
        assert pohon_export(pohon, export_format) == exported


def csv_file(rows: list[dict[str, str]], columns=COLUMNS) -> bytes:
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue().encode()


def exported_rows(pohon) -> list[dict[str, str]]:
    return json.loads(pohon_export(pohon, "json"))


def test_import_gives_rows_without_kunci_new_ones_and_keeps_the_others(chain_tree):
    rows = exported_rows(chain_tree)
    rows[4]["kunci"] = ""  # K1: as a new row
    rows.append({**rows[5], "kode": "K3", "uraian": "Kegiatan C", "kunci": ""})
    plan, pohon = pohon_import(dinas=chain_tree.dinas, tahun=2020, data=csv_file(rows), filename="pohon.csv")
    assert pohon is not None, plan.problems
    old, new = kunci_by_kode(chain_tree), kunci_by_kode(pohon)
    assert {kode: new[kode] == old.get(kode) for kode in new} == {
        "T1": True, "T1.I1": True, "S1": True, "P1": True, "K1": False, "K2": True, "K3": False,
    }  # fmt: skip
    assert new["K1"] != new["K3"]


def test_import_replacing_a_draft_keeps_the_kunci_it_knew(chain_tree):
    """A file without the kunci column (written before it existed) replaces the draft: the nodes
    whose kode the tree had keep their kunci, the others get new ones."""
    before = kunci_by_kode(chain_tree)
    rows = [{**row, "kode": "K9" if row["kode"] == "K2" else row["kode"]} for row in exported_rows(chain_tree)]
    data = csv_file(rows, columns=COLUMNS[:-1])
    plan, pohon = pohon_import(dinas=chain_tree.dinas, tahun=2018, data=data, filename="pohon.csv", replace=True)
    assert pohon == chain_tree, plan.problems
    after = kunci_by_kode(chain_tree)
    assert {kode: after[kode] for kode in before if kode != "K2"} == {k: v for k, v in before.items() if k != "K2"}
    assert after["K9"] not in before.values()


def test_import_replacing_a_draft_with_kunci_swapped_follows_the_kunci(chain_tree):
    """The file's kunci wins over the kode: renaming K1 to K2 and K2 to K1 in the file keeps
    each node's key with its row."""
    before = kunci_by_kode(chain_tree)
    swap = {"K1": "K2", "K2": "K1"}
    rows = [{**row, "kode": swap.get(row["kode"], row["kode"])} for row in exported_rows(chain_tree)]
    plan, pohon = pohon_import(
        dinas=chain_tree.dinas, tahun=2018, data=csv_file(rows), filename="pohon.csv", replace=True
    )
    assert pohon is not None, plan.problems
    after = kunci_by_kode(chain_tree)
    assert (after["K1"], after["K2"]) == (before["K2"], before["K1"])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("bukan-uuid", "Kunci “bukan-uuid” tidak sah"),
        ("twice", "sudah dipakai di baris 3; setiap butir memiliki kuncinya sendiri"),
    ],
)
def test_import_refuses_a_bad_or_repeated_kunci_naming_row_and_column(chain_tree, value, message):
    rows = exported_rows(chain_tree)
    rows[3]["kunci"] = rows[1]["kunci"] if value == "twice" else value  # sheet row 5 (P1)
    count = Node.objects.count()
    plan, pohon = pohon_import(dinas=chain_tree.dinas, tahun=2020, data=csv_file(rows), filename="pohon.csv")
    assert pohon is None and Node.objects.count() == count
    assert [(p.row, p.column) for p in plan.problems][0] == (5, "kunci")
    assert message in plan.problems[0].message
    assert str(plan.problems[0]).startswith("baris 5, kolom kunci: Kunci")


# --- delete and restore -------------------------------------------------------------------------


def test_delete_then_restore_keeps_the_kunci_of_the_whole_subtree(chain_tree, budi):
    before = kunci_by_kode(chain_tree)
    node_delete(node=node(chain_tree, "P1"), user=budi)
    entry = NodeRiwayat.objects.filter(pohon=chain_tree).latest("id")
    assert entry.kunci == before["P1"]
    assert [row["kunci"] for row in entry.sebelum["nodes"]] == [str(before[k]) for k in ("P1", "K1", "K2")]
    restored = node_restore(riwayat=entry, user=budi)
    assert restored.pk != entry.node_id and restored.kunci == before["P1"]
    assert kunci_by_kode(chain_tree) == before
    assert NodeRiwayat.objects.filter(pohon=chain_tree).latest("id").kunci == before["P1"]


def test_restore_of_a_snapshot_without_kunci_gives_new_ones(chain_tree):
    """A deletion recorded before kunci existed: the nodes come back with new keys."""
    before = kunci_by_kode(chain_tree)
    node_delete(node=node(chain_tree, "K1"))
    entry = NodeRiwayat.objects.filter(pohon=chain_tree).latest("id")
    for row in entry.sebelum["nodes"]:
        del row["kunci"]
    entry.save()
    restored = node_restore(riwayat=entry)
    assert restored.kode == "K1" and restored.kunci not in before.values()


def test_restored_node_shows_its_history_from_before_the_deletion(client, chain_tree, budi):
    k1 = node(chain_tree, "K1")
    node_update(node=k1, user=budi, uraian="Kegiatan A yang diubah")
    node_update(node=node(chain_tree, "K2"), user=budi, uraian="Kegiatan B lain")  # another node's entry
    node_delete(node=node(chain_tree, "K1"), user=budi)
    restored = node_restore(riwayat=NodeRiwayat.objects.filter(pohon=chain_tree).latest("id"), user=budi)
    client.force_login(budi)

    panel = client.get(reverse("pohon:node_panel", args=["dinas-uji", 2018, restored.pk])).content.decode()
    for text in ("Dipulihkan", "Dihapus", "Kegiatan A yang diubah", "Dibuat"):
        assert text in panel
    assert "Kegiatan B lain" not in panel
    history_url = chain_tree.page_url("pohon:riwayat", node=restored.kunci)
    assert history_url in panel

    page = client.get(history_url).content.decode()
    for text in ("Dipulihkan", "Dihapus", "Kegiatan A yang diubah", "Dibuat"):
        assert text in page
    assert "Kegiatan B lain" not in page
    # a link made with the old node's id (before kunci) finds the same history
    old_link = client.get(chain_tree.page_url("pohon:riwayat", node=k1.pk)).content.decode()
    assert "Kegiatan A yang diubah" in old_link and "Dipulihkan" in old_link and "Kegiatan B lain" not in old_link


def test_restore_refuses_a_node_that_is_back_under_another_kode(client, chain_tree, budi):
    """K1 deleted, then a file re-imported over the draft brings it back as K1B (same kunci): the
    deletion cannot be restored a second node with that key, and the history page says why."""
    exported = exported_rows(chain_tree)
    node_delete(node=node(chain_tree, "K1"), user=budi)
    entry = NodeRiwayat.objects.filter(pohon=chain_tree).latest("id")
    rows = [{**row, "kode": "K1B" if row["kode"] == "K1" else row["kode"]} for row in exported]
    plan, pohon = pohon_import(
        dinas=chain_tree.dinas, tahun=2018, data=csv_file(rows), filename="pohon.csv", replace=True
    )
    assert pohon is not None, plan.problems
    assert node(chain_tree, "K1B").kunci == entry.kunci
    with pytest.raises(ValidationError, match="Butir K1B sudah ada lagi di pohon ini"):
        node_restore(riwayat=entry, user=budi)
    client.force_login(budi)
    page = client.get(chain_tree.page_url("pohon:riwayat")).content.decode()
    assert "butir ini sudah ada lagi di pohon" in page and "kode sudah ada lagi di pohon" not in page
    # another node under a deleted node's kode is only a kode taken
    node_delete(node=node(chain_tree, "K2"), user=budi)
    node_create(pohon=chain_tree, parent=node(chain_tree, "P1"), jenis="kegiatan", uraian="Lain", kode="K2")
    page = client.get(chain_tree.page_url("pohon:riwayat")).content.decode()
    assert "kode sudah ada lagi di pohon" in page


# --- the difference between revisions -----------------------------------------------------------


def test_diff_shows_a_renamed_kode_and_a_moved_node_as_one_change_each(chain_tree):
    approve(chain_tree)
    revision = pohon_revise(pohon=chain_tree, user=None)
    node_update(node=node(revision, "K1"), kode="K1-BARU")
    node_move(node=node(revision, "T1.I1"), target=node(revision, "S1"), position="last-child")
    node_update(node=node(revision, "P1"), kode="P1-BARU")  # its children K1, K2 stay where they were
    diff = pohon_diff(pohon=revision)
    assert diff.added == [] and diff.removed == []
    changed = {c.kode: [(f.label, f.old, f.new) for f in c.changes] for c in diff.changed}
    assert changed == {
        "T1.I1": [("Induk", "T1", "S1")],
        "P1-BARU": [("Kode", "P1", "P1-BARU")],
        "K1-BARU": [("Kode", "K1", "K1-BARU")],
    }


def test_diff_of_a_deleted_and_recreated_node_is_a_removal_and_an_addition(chain_tree):
    """The same kode on a new node is another node: the kunci tells them apart."""
    approve(chain_tree)
    revision = pohon_revise(pohon=chain_tree, user=None)
    node_delete(node=node(revision, "K2"))
    node_create(
        pohon=revision, parent=node(revision, "P1"), jenis="kegiatan", uraian="Kegiatan B", kode="K2",
        pagu=Decimal(1_395_000_000),
    )  # fmt: skip
    diff = pohon_diff(pohon=revision)
    assert [n.kode for n in diff.added] == ["K2"] and [n.kode for n in diff.removed] == ["K2"]
    assert diff.changed == []
    assert pohon_dump(pohon_tree(revision)) == pohon_dump(pohon_tree(chain_tree))


def test_admin_change_page_shows_the_kunci_read_only(admin_client, chain_tree):
    k1 = node(chain_tree, "K1")
    html = admin_client.get(reverse("admin:pohon_node_change", args=[k1.pk])).content.decode()
    assert str(k1.kunci) in html and 'name="kunci"' not in html
    add = admin_client.get(reverse("admin:pohon_node_add") + f"?pohon={chain_tree.pk}")
    assert add.status_code == 200 and "Kunci" not in add.content.decode()
