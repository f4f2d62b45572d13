"""The history of node changes: what each service records, restoring a deleted subtree, the
history page, and the difference from the previous approved revision."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dinas.models import Keanggotaan
from pohon.history import pohon_diff
from pohon.imports import pohon_import
from pohon.models import Node, NodeRiwayat, Pohon
from pohon.resources import COLUMNS
from pohon.selectors import pohon_dump, pohon_tree
from pohon.services import node_create, node_delete, node_move, node_restore, node_update, tree_verify
from pohon.workflow import pohon_revise, pohon_submit
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()
Aksi = NodeRiwayat.Aksi


@pytest.fixture
def budi(dinas):
    """An Admin of the test agency: may edit every branch."""
    user = User.objects.create_user("budi", password="x", first_name="Budi", last_name="Santoso")
    Keanggotaan.objects.create(user=user, dinas=dinas, peran="admin")
    return user


def node(pohon, kode) -> Node:
    return Node.objects.get(pohon=pohon, kode=kode)


def last(pohon) -> NodeRiwayat:
    return NodeRiwayat.objects.filter(pohon=pohon).latest("id")


def freeze(pohon, status=Pohon.Status.DISETUJUI) -> None:
    Pohon.objects.filter(pk=pohon.pk).update(status=status)
    pohon.refresh_from_db()


# --- recording ----------------------------------------------------------------------------------


def test_create_records_the_new_node_with_who_and_when(chain_tree, budi):
    before = NodeRiwayat.objects.count()
    created = node_create(
        pohon=chain_tree, parent=node(chain_tree, "P1"), jenis="kegiatan", uraian="Kegiatan C", kode="K3",
        pagu=Decimal(1_000), user=budi,
    )  # fmt: skip
    assert NodeRiwayat.objects.count() == before + 1
    entry = last(chain_tree)
    assert (entry.aksi, entry.node_id, entry.kode, entry.user, entry.user_nama) == (
        Aksi.BUAT, created.pk, "K3", budi, "Budi Santoso",
    )  # fmt: skip
    assert entry.waktu is not None
    assert entry.sebelum == {}
    assert entry.sesudah == {
        "kode": "K3", "jenis": "kegiatan", "uraian": "Kegiatan C", "unit": "", "pagu": "1000",
        "target": "", "satuan": "", "arah": "", "parent": "P1",
    }  # fmt: skip


def test_top_level_create_names_no_parent(chain_tree):
    node_create(pohon=chain_tree, parent=None, jenis="tujuan", uraian="Tujuan dua", kode="T2")
    entry = last(chain_tree)
    assert entry.sesudah["parent"] == ""
    assert entry.user is None and entry.user_nama == "sistem"


def test_update_records_only_the_changed_fields(chain_tree, budi, bidang_unit):
    k1 = node(chain_tree, "K1")
    node_update(node=k1, user=budi, uraian="Kegiatan A baru", pagu=Decimal(5_000_000_000), satuan="")
    entry = last(chain_tree)
    assert entry.aksi == Aksi.UBAH and entry.node_id == k1.pk and entry.user_nama == "Budi Santoso"
    assert entry.sebelum == {"uraian": "Kegiatan A", "pagu": "5150000000"}
    assert entry.sesudah == {"uraian": "Kegiatan A baru", "pagu": "5000000000"}
    node_update(node=node(chain_tree, "K2"), unit=bidang_unit)
    assert (last(chain_tree).sebelum, last(chain_tree).sesudah) == ({"unit": ""}, {"unit": "Bidang A"})


def test_update_that_changes_nothing_records_nothing(chain_tree):
    before = NodeRiwayat.objects.count()
    node_update(node=node(chain_tree, "K1"), uraian="Kegiatan A")
    assert NodeRiwayat.objects.count() == before


def test_move_records_parent_and_position_before_and_after(chain_tree, budi):
    node_move(node=node(chain_tree, "K2"), target=node(chain_tree, "K1"), position="left", user=budi)
    entry = last(chain_tree)
    assert entry.aksi == Aksi.PINDAH and entry.kode == "K2"
    assert (entry.sebelum, entry.sesudah) == ({"parent": "P1", "urutan": 2}, {"parent": "P1", "urutan": 1})
    node_move(node=node(chain_tree, "T1.I1"), target=node(chain_tree, "S1"), position="last-child")
    entry = last(chain_tree)
    assert (entry.sebelum, entry.sesudah) == ({"parent": "T1", "urutan": 1}, {"parent": "S1", "urutan": 2})


def test_delete_records_the_whole_subtree_in_tree_order(chain_tree, budi):
    p1 = node(chain_tree, "P1")
    assert node_delete(node=p1, user=budi) == 3
    entry = last(chain_tree)
    assert entry.aksi == Aksi.HAPUS and entry.kode == "P1" and entry.user == budi and entry.node_id is not None
    assert entry.sebelum["parent"] == "S1" and entry.sebelum["urutan"] == 1
    assert entry.sebelum["uraian"] == "Program Z" and entry.sebelum["pagu"] == "6545000000"
    assert [(row["kode"], row["parent"], row["pagu"]) for row in entry.sebelum["nodes"]] == [
        ("P1", "S1", "6545000000"), ("K1", "P1", "5150000000"), ("K2", "P1", "1395000000"),
    ]  # fmt: skip
    assert entry.sesudah == {}


def test_import_records_one_entry_with_the_row_count(dinas, bidang_unit, budi):
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    writer.writerows(
        [
            ["T1", "", "tujuan", "Meningkatnya X", "Kepala Dinas", "", "", ""],
            ["T1.I1", "T1", "indikator", "Indeks X", "", "", "85,5", "%"],
            ["B1", "T1", "bidang", "KEPALA BIDANG A", "Bidang A", "", "", ""],
        ]
    )
    plan, pohon = pohon_import(
        dinas=dinas, tahun=2019, data=stream.getvalue().encode(), filename="pohon.csv", user=budi
    )
    assert pohon is not None, plan.problems
    entries = list(NodeRiwayat.objects.filter(pohon=pohon))
    assert [(e.aksi, e.sesudah, e.user) for e in entries] == [
        (
            Aksi.IMPOR,
            {
                "jumlah": 3,
                "berkas": "pohon.csv",  # the file and its nodes, for the history page's one line
                "butir": [
                    ["T1", "tujuan", "Meningkatnya X"],
                    ["T1.I1", "indikator", "Indeks X"],
                    ["B1", "bidang", "KEPALA BIDANG A"],
                ],
            },
            budi,
        )
    ]


def test_revision_copy_records_one_entry(chain_tree, budi):
    freeze(chain_tree)
    revision = pohon_revise(pohon=chain_tree, user=None)
    entries = list(NodeRiwayat.objects.filter(pohon=revision))
    assert [(e.aksi, e.sesudah["jumlah"]) for e in entries] == [(Aksi.SALIN, 6)]


# --- restoring ----------------------------------------------------------------------------------


def test_restore_brings_back_the_subtree_at_its_place(chain_tree, budi):
    expected = pohon_dump(pohon_tree(chain_tree))
    node_create(pohon=chain_tree, parent=node(chain_tree, "S1"), jenis="program", uraian="Program Y", kode="P2")
    expected_with_p2 = expected + "\n3 P2 S1 program"
    node_delete(node=node(chain_tree, "P1"), user=budi)
    entry = last(chain_tree)
    restored = node_restore(riwayat=entry, user=None)
    assert restored.kode == "P1"
    assert pohon_dump(pohon_tree(chain_tree)) == expected_with_p2  # P1 first again, before P2
    tree_verify(chain_tree)
    record = last(chain_tree)
    assert record.aksi == Aksi.PULIHKAN and record.node_id == restored.pk and record.sesudah["jumlah"] == 3


def test_restore_refuses_when_the_parent_is_gone_then_works_after_restoring_it(chain_tree):
    expected = pohon_dump(pohon_tree(chain_tree))
    node_delete(node=node(chain_tree, "K1"))
    k1_entry = last(chain_tree)
    node_delete(node=node(chain_tree, "P1"))
    p1_entry = last(chain_tree)
    with pytest.raises(ValidationError, match="Induk P1 dari butir K1 sudah tidak ada"):
        node_restore(riwayat=k1_entry)
    node_restore(riwayat=p1_entry)
    node_restore(riwayat=k1_entry)
    assert pohon_dump(pohon_tree(chain_tree)) == expected


def test_restore_refuses_a_kode_taken_meanwhile(chain_tree):
    node_delete(node=node(chain_tree, "K1"))
    entry = last(chain_tree)
    node_create(pohon=chain_tree, parent=node(chain_tree, "P1"), jenis="kegiatan", uraian="Baru", kode="K1")
    count = NodeRiwayat.objects.count()
    with pytest.raises(ValidationError, match="Kode K1 sudah dipakai"):
        node_restore(riwayat=entry)
    assert NodeRiwayat.objects.count() == count


def test_restore_refused_on_an_approved_tree(chain_tree):
    node_delete(node=node(chain_tree, "K1"))
    entry = last(chain_tree)
    freeze(chain_tree)
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        node_restore(riwayat=entry)
    assert not Node.objects.filter(pohon=chain_tree, kode="K1").exists()


def test_restore_refuses_other_entries(chain_tree):
    node_update(node=node(chain_tree, "K1"), uraian="Lain")
    with pytest.raises(ValidationError, match="Hanya butir yang dihapus"):
        node_restore(riwayat=last(chain_tree))


def test_operator_of_another_unit_may_not_restore(demo):
    admin, operator = User.objects.get(username="admin"), User.objects.get(username="operator")
    node_delete(node=node(demo, "B3.P1"), user=admin)  # Bidang Bina Pemerintahan Desa: not the operator's
    entry = last(demo)
    with pytest.raises(PermissionDenied):
        node_restore(riwayat=entry, user=operator)
    assert not Node.objects.filter(pohon=demo, kode="B3.P1").exists()
    node_restore(riwayat=entry, user=admin)
    assert Node.objects.filter(pohon=demo, kode="B3.P1").exists()
    tree_verify(demo)


def test_operator_restores_in_their_own_branch(demo):
    operator = User.objects.get(username="operator")
    own = node_create(pohon=demo, parent=node(demo, "B1.K1"), jenis="kegiatan", uraian="Kegiatan X", user=operator)
    node_delete(node=own, user=operator)
    restored = node_restore(riwayat=last(demo), user=operator)
    assert restored.kode == own.kode and restored.parent.kode == "B1.K1"


# --- the page -----------------------------------------------------------------------------------


def riwayat_url(**query):
    url = reverse("pohon:riwayat", args=["dpmd-lumajang", 2018])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def events_html(html: str) -> str:
    """The history page's list of events, without the filter form."""
    return html[html.index('<ol class="rw-events">') : html.index("</ol>")]


def test_history_page_lists_changes_with_labels(client, demo):
    admin = User.objects.get(username="admin")
    node_update(node=node(demo, "B3.P1"), user=admin, pagu=Decimal(2_000_000))
    node_delete(node=node(demo, "B2.P1"), user=admin)
    assert client.login(username="kadis", password=DEMO_PASSWORD)
    response = client.get(riwayat_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Riwayat perubahan" in html
    assert "Diubah" in html and "Dihapus" in html and "Pagu" in html
    assert "Rp 2.000.000" in html
    assert "Pulihkan" not in html  # the Kepala Dinas does not edit
    # one node's history only (the filter form names every kind of change: look at the events)
    html = events_html(client.get(riwayat_url(node=node(demo, "B3.P1").pk)).content.decode())
    assert "Rp 2.000.000" in html and "Dihapus" not in html
    assert "Riwayat perubahan" in client.get(reverse("pohon:chart", args=["dpmd-lumajang", 2018])).content.decode()


def test_history_page_access(client, demo, other_dinas, settings):
    response = client.get(riwayat_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))
    stranger = User.objects.create_user("kadis-lain", password="x")
    Keanggotaan.objects.create(user=stranger, dinas=other_dinas, peran="kepala_dinas")
    client.force_login(stranger)
    assert client.get(riwayat_url()).status_code == 404  # another agency's tree: as if it did not exist
    entry = NodeRiwayat.objects.filter(pohon=demo).first()
    assert client.post(reverse("pohon:pulihkan", args=["dpmd-lumajang", 2018, entry.pk])).status_code == 404


def test_restore_through_the_page(client, demo):
    admin = User.objects.get(username="admin")
    node_delete(node=node(demo, "B2.P1"), user=admin)
    entry = last(demo)
    restore_url = reverse("pohon:pulihkan", args=["dpmd-lumajang", 2018, entry.pk])
    assert client.login(username="kadis", password=DEMO_PASSWORD)
    assert client.post(restore_url).status_code == 403
    assert client.login(username="operator", password=DEMO_PASSWORD)
    assert client.post(restore_url).status_code == 403  # not the operator's branch
    assert not Node.objects.filter(pohon=demo, kode="B2.P1").exists()
    assert client.login(username="admin", password=DEMO_PASSWORD)
    html = client.get(riwayat_url()).content.decode()
    assert restore_url in html
    response = client.post(restore_url, follow=True)
    assert "B2.P1 dipulihkan" in response.content.decode()
    assert Node.objects.filter(pohon=demo, kode="B2.P1").exists()
    assert "butir ini sudah ada lagi di pohon" in client.get(riwayat_url()).content.decode()  # its kunci is back
    freeze(demo, Pohon.Status.DIAJUKAN)
    node_count = Node.objects.filter(pohon=demo).count()
    assert client.post(restore_url).status_code == 403
    assert Node.objects.filter(pohon=demo).count() == node_count


# --- the difference from the previous approved revision -----------------------------------------


def test_diff_of_the_first_revision_is_empty(chain_tree):
    diff = pohon_diff(pohon=chain_tree)
    assert diff.base is None and not diff.has_changes


def test_diff_against_the_approved_revision(chain_tree, django_assert_num_queries):
    freeze(chain_tree)
    revision = pohon_revise(pohon=chain_tree, user=None)
    assert not pohon_diff(pohon=revision).has_changes
    node_create(pohon=revision, parent=node(revision, "P1"), jenis="kegiatan", uraian="Kegiatan C", kode="K3")
    node_delete(node=node(revision, "K2"))
    node_update(node=node(revision, "K1"), pagu=Decimal(4_000_000_000), uraian="Kegiatan A'")
    node_move(node=node(revision, "T1.I1"), target=node(revision, "S1"), position="last-child")
    with django_assert_num_queries(3):  # the base revision, then each tree once
        diff = pohon_diff(pohon=revision)
    assert diff.base == chain_tree
    assert [n.kode for n in diff.added] == ["K3"]
    assert [n.kode for n in diff.removed] == ["K2"]
    changed = {c.kode: [(f.field, f.old, f.new) for f in c.changes] for c in diff.changed}
    assert changed == {
        "K1": [("uraian", "Kegiatan A", "Kegiatan A'"), ("pagu", "Rp 5.150.000.000", "Rp 4.000.000.000")],
        "T1.I1": [("parent", "T1", "S1")],
    }


def test_reviewer_sees_the_diff_on_the_chart(client, chain_tree, dinas):
    freeze(chain_tree)
    revision = pohon_revise(pohon=chain_tree, user=None)
    node_delete(node=node(revision, "K2"))
    pohon_submit(pohon=revision, user=None)
    kadis = User.objects.create_user("kadis-uji", password="x")
    Keanggotaan.objects.create(user=kadis, dinas=dinas, peran="kepala_dinas")
    url = reverse("pohon:chart", args=["dinas-uji", 2018]) + "?revisi=1"
    client.force_login(kadis)
    html = client.get(url).content.decode()
    assert "Perubahan dibanding" in html and "1 dihapus" in html and "Kegiatan B" in html
    viewer = User.objects.create_user("viewer", password="x")
    Keanggotaan.objects.create(user=viewer, dinas=dinas, peran="admin")
    client.force_login(viewer)
    assert "Perubahan dibanding" in client.get(url).content.decode()  # an Admin may approve too
    freeze(revision, Pohon.Status.DRAF)
    assert "Perubahan dibanding" not in client.get(url).content.decode()  # only while it is Diajukan
