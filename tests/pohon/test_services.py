from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pohon.models import Node, Pohon
from pohon.selectors import pagu_overruns, pohon_dump, pohon_tree
from pohon.services import NodeDeleted, node_create, node_delete, node_move, node_update, pohon_create

pytestmark = pytest.mark.django_db

CHAIN_DUMP = """\
1 T1 - tujuan
2 T1.I1 T1 indikator
2 S1 T1 sasaran
3 P1 S1 program 6545000000
4 K1 P1 kegiatan 5150000000
4 K2 P1 kegiatan 1395000000"""


def test_create_builds_the_tree_in_order(chain_tree):
    assert pohon_dump(pohon_tree(chain_tree)) == CHAIN_DUMP


def test_several_tujuan_at_the_top(pohon):
    node_create(pohon=pohon, parent=None, jenis="tujuan", uraian="Tujuan satu", kode="T1")
    node_create(pohon=pohon, parent=None, jenis="tujuan", uraian="Tujuan dua", kode="T2")
    assert [n.kode for n in pohon_tree(pohon).top] == ["T1", "T2"]


def test_each_tree_is_its_own_mptt_tree(dinas, chain_tree):
    other = pohon_create(dinas=dinas, tahun=2019)
    node_create(pohon=other, parent=None, jenis="tujuan", uraian="Lain", kode="T1")
    tree_ids = {p.pk: set(Node.objects.filter(pohon=p).values_list("tree_id", flat=True)) for p in (chain_tree, other)}
    assert all(len(ids) == 1 for ids in tree_ids.values())
    assert tree_ids[chain_tree.pk] != tree_ids[other.pk]


def test_rollup_never_counts_money_twice(chain_tree):
    tree = pohon_tree(chain_tree)
    by_kode = {n.kode: n for n in tree.nodes}
    assert tree.total_of(by_kode["P1"]) == Decimal(6_545_000_000)
    assert tree.total_of(by_kode["S1"]) == Decimal(6_545_000_000)
    assert tree.total_of(by_kode["T1"]) == Decimal(6_545_000_000)
    assert tree.total_pagu == Decimal(6_545_000_000)
    assert tree.total_of(by_kode["T1.I1"]) is None
    assert pagu_overruns(tree) == []


def test_rollup_sums_children_where_the_parent_has_no_pagu(pohon):
    tujuan = node_create(pohon=pohon, parent=None, jenis="tujuan", uraian="T")
    program = node_create(pohon=pohon, parent=tujuan, jenis="bidang", uraian="B")
    p1 = node_create(pohon=pohon, parent=program, jenis="program", uraian="P1")
    node_create(pohon=pohon, parent=p1, jenis="kegiatan", uraian="K1", pagu=Decimal(100))
    node_create(pohon=pohon, parent=p1, jenis="kegiatan", uraian="K2", pagu=Decimal(250))
    node_create(pohon=pohon, parent=program, jenis="program", uraian="P2", pagu=Decimal(1000))
    tree = pohon_tree(pohon)
    assert tree.total_of(p1) == Decimal(350)
    assert tree.total_pagu == Decimal(1350)


def test_overrun_lists_children_above_the_parent(chain_tree):
    k2 = Node.objects.get(pohon=chain_tree, kode="K2")
    node_update(node=k2, pagu=Decimal(1_500_000_000))
    overruns = pagu_overruns(pohon_tree(chain_tree))
    assert [(o.node.kode, o.children_total, o.excess) for o in overruns] == [
        ("P1", Decimal(6_650_000_000), Decimal(105_000_000))
    ]
    # the parent's own Pagu still counts, once
    assert pohon_tree(chain_tree).total_pagu == Decimal(6_545_000_000)


def test_parent_must_be_in_the_same_tree(dinas, chain_tree):
    other = pohon_create(dinas=dinas, tahun=2019)
    foreign_parent = Node.objects.get(pohon=chain_tree, kode="S1")
    with pytest.raises(ValidationError, match="pohon yang sama"):
        node_create(pohon=other, parent=foreign_parent, jenis="program", uraian="P")
    target = node_create(pohon=other, parent=None, jenis="tujuan", uraian="T")
    with pytest.raises(ValidationError, match="pohon yang sama"):
        node_move(node=foreign_parent, target=target, position="last-child")


def test_parent_of_another_agency_is_refused(other_dinas, chain_tree):
    other = pohon_create(dinas=other_dinas, tahun=2018)
    with pytest.raises(ValidationError, match="pohon yang sama"):
        node_create(pohon=other, parent=Node.objects.get(pohon=chain_tree, kode="T1"), jenis="sasaran", uraian="S")


def test_move_keeps_the_subtree_and_order(chain_tree):
    by_kode = {n.kode: n for n in Node.objects.filter(pohon=chain_tree)}
    node_move(node=by_kode["K2"], target=by_kode["K1"], position="left")
    node_create(pohon=chain_tree, parent=None, jenis="tujuan", uraian="Dua", kode="T2")
    node_move(node=by_kode["S1"], target=Node.objects.get(kode="T2"), position="first-child")
    assert pohon_dump(pohon_tree(chain_tree)) == (
        "1 T1 - tujuan\n2 T1.I1 T1 indikator\n1 T2 - tujuan\n2 S1 T2 sasaran\n"
        "3 P1 S1 program 6545000000\n4 K2 P1 kegiatan 1395000000\n4 K1 P1 kegiatan 5150000000"
    )


def test_move_into_own_subtree_is_refused(chain_tree):
    by_kode = {n.kode: n for n in Node.objects.filter(pohon=chain_tree)}
    with pytest.raises(ValidationError, match="dirinya sendiri"):
        node_move(node=by_kode["S1"], target=by_kode["P1"], position="last-child")


def test_pagu_only_on_budgeted_kinds_and_target_only_on_indikator(chain_tree):
    tujuan = Node.objects.get(pohon=chain_tree, kode="T1")
    with pytest.raises(ValidationError, match="Pagu hanya untuk Program"):
        node_create(pohon=chain_tree, parent=tujuan, jenis="sasaran", uraian="S", pagu=Decimal(5))
    with pytest.raises(ValidationError, match="hanya untuk Indikator"):
        node_create(pohon=chain_tree, parent=tujuan, jenis="sasaran", uraian="S", target_angka=Decimal(10))
    with pytest.raises(ValidationError, match="Rupiah utuh"):
        node_update(node=Node.objects.get(pohon=chain_tree, kode="P1"), pagu=Decimal("10.5"))


def test_kode_is_unique_within_a_tree(chain_tree):
    with pytest.raises(ValidationError, match="Kode ini sudah dipakai"):
        node_create(pohon=chain_tree, parent=None, jenis="tujuan", uraian="T", kode="T1")


def test_empty_uraian_is_refused(chain_tree):
    with pytest.raises(ValidationError, match="Uraian wajib diisi"):
        node_create(pohon=chain_tree, parent=None, jenis="tujuan", uraian="   ")


def test_delete_takes_the_subtree(chain_tree):
    assert node_delete(node=Node.objects.get(pohon=chain_tree, kode="P1")) == 3
    assert pohon_dump(pohon_tree(chain_tree)) == "1 T1 - tujuan\n2 T1.I1 T1 indikator\n2 S1 T1 sasaran"


def test_an_approved_tree_refuses_changes(chain_tree):
    Pohon.objects.filter(pk=chain_tree.pk).update(status=Pohon.Status.DISETUJUI)
    p1 = Node.objects.get(pohon=chain_tree, kode="P1")
    for attempt in (
        lambda: node_create(pohon=chain_tree, parent=p1, jenis="kegiatan", uraian="K"),
        lambda: node_update(node=p1, uraian="baru"),
        lambda: node_move(node=p1, target=Node.objects.get(kode="T1"), position="last-child"),
        lambda: node_delete(node=p1),
    ):
        with pytest.raises(ValidationError, match="tidak dapat diubah"):
            attempt()
    assert pohon_dump(pohon_tree(chain_tree)) == CHAIN_DUMP


def test_tree_stays_consistent_after_many_edits(chain_tree):
    s1 = Node.objects.get(pohon=chain_tree, kode="S1")
    for i in range(20):
        program = node_create(pohon=chain_tree, parent=s1, jenis="program", uraian=f"P{i}", position="first-child")
        node_create(pohon=chain_tree, parent=program, jenis="kegiatan", uraian="K", pagu=Decimal(i))
    node_move(node=Node.objects.get(pohon=chain_tree, kode="P1"), target=s1, position="first-child")
    before = list(Node.objects.filter(pohon=chain_tree).order_by("pk").values_list("pk", "lft", "rght", "level"))
    Node.objects.partial_rebuild(Node.objects.get(pohon=chain_tree, jenis="akar").tree_id)
    after = list(Node.objects.filter(pohon=chain_tree).order_by("pk").values_list("pk", "lft", "rght", "level"))
    assert before == after


def test_an_edit_from_a_stale_page_is_refused(chain_tree):
    shown = Node.objects.get(pohon=chain_tree, kode="P1")  # what the first page showed
    node_update(node=Node.objects.get(pk=shown.pk), uraian="Diubah orang lain", versi=shown.versi)
    for stale_edit in (
        lambda: node_update(node=Node.objects.get(pk=shown.pk), uraian="Menimpa", versi=shown.versi),
        lambda: node_move(
            node=Node.objects.get(pk=shown.pk), target=Node.objects.get(kode="S1"), position="first-child", versi=1
        ),
        lambda: node_delete(node=Node.objects.get(pk=shown.pk), versi=shown.versi),
    ):
        with pytest.raises(ValidationError, match="Muat ulang halaman"):
            stale_edit()
    fresh = Node.objects.get(pk=shown.pk)
    assert (fresh.uraian, fresh.versi) == ("Diubah orang lain", shown.versi + 1)
    node_update(node=fresh, uraian="Berdasarkan versi terbaru", versi=fresh.versi)
    assert Node.objects.get(pk=shown.pk).versi == shown.versi + 2


# --- a node deleted meanwhile ---------------------------------------------------------------------
# Each service is given the node object read before someone else deleted it (here: its parent,
# with the subtree), as a change waiting for the tree's lock holds it. Each refuses with the
# message the pages show, instead of django-mptt's Node.DoesNotExist, and changes nothing.


def stale(kode: str) -> Node:
    """The node as read now; then someone else deletes its parent (and it with it)."""
    node = Node.objects.select_related("pohon").get(kode=kode)
    node_delete(node=Node.objects.get(pk=node.parent_id))
    return node


def assert_deleted_refusal(error: pytest.ExceptionInfo, kode: str) -> None:
    assert isinstance(error.value, NodeDeleted) and isinstance(error.value, ValidationError)
    assert error.value.messages == [f"Butir {kode} sudah dihapus oleh pengguna lain; muat ulang halaman."]


def test_update_of_a_node_deleted_meanwhile_is_refused(chain_tree):
    node = stale("K1")
    with pytest.raises(ValidationError) as error:
        node_update(node=node, uraian="Baru")
    assert_deleted_refusal(error, "K1")
    assert not Node.objects.filter(kode="K1").exists()


def test_delete_and_move_of_a_node_deleted_meanwhile_are_refused(chain_tree):
    node = stale("K2")
    with pytest.raises(ValidationError) as error:
        node_delete(node=node)
    assert_deleted_refusal(error, "K2")
    target = Node.objects.get(kode="S1")
    with pytest.raises(ValidationError) as error:
        node_move(node=node, target=target, position="last-child")
    assert_deleted_refusal(error, "K2")


def test_create_under_a_parent_deleted_meanwhile_is_refused(chain_tree):
    parent = stale("P1")
    before = pohon_dump(pohon_tree(chain_tree))
    with pytest.raises(ValidationError) as error:
        node_create(pohon=chain_tree, parent=parent, jenis="kegiatan", uraian="Baru", kode="K9")
    assert_deleted_refusal(error, "P1")
    assert pohon_dump(pohon_tree(chain_tree)) == before


def test_move_to_a_target_deleted_meanwhile_is_refused(chain_tree):
    target = stale("K1")  # P1 goes with it; T1.I1 stays
    node = Node.objects.get(kode="T1.I1")
    before = pohon_dump(pohon_tree(chain_tree))
    with pytest.raises(ValidationError) as error:
        node_move(node=node, target=target, position="left")
    assert_deleted_refusal(error, "K1")
    assert pohon_dump(pohon_tree(chain_tree)) == before


# --- bounded text ---------------------------------------------------------------------------------


def test_uraian_is_bounded_by_every_service(chain_tree):
    before = pohon_dump(pohon_tree(chain_tree))
    too_long = "u" * 2001
    with pytest.raises(ValidationError) as error:
        node_create(pohon=chain_tree, parent=None, jenis="tujuan", uraian=too_long, kode="T2")
    assert error.value.message_dict == {"uraian": ["Uraian terlalu panjang: 2.001 karakter, paling banyak 2.000."]}
    with pytest.raises(ValidationError, match="Uraian terlalu panjang: 200.000 karakter, paling banyak 2.000."):
        node_update(node=Node.objects.get(kode="P1"), uraian="u" * 200_000)
    assert pohon_dump(pohon_tree(chain_tree)) == before
    assert Node.objects.get(kode="P1").uraian == "Program Z"
    node_update(node=Node.objects.get(kode="P1"), uraian="u" * 2000)  # the limit itself is allowed
    assert len(Node.objects.get(kode="P1").uraian) == 2000
