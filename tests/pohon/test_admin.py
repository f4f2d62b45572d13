"""The tree's admin screens: every write goes through the services, refusals come back in
Indonesian, and nothing lists all nodes of the database."""

import json
import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dinas.models import Keanggotaan
from pohon import rules
from pohon.models import Node, Pohon
from pohon.selectors import pohon_dump, pohon_tree
from pohon.services import node_create, pohon_create, pohon_root

CHANGELIST = "/admin/pohon/node/"
ADD = "/admin/pohon/node/add/"


def dump(pohon: Pohon) -> str:
    return pohon_dump(pohon_tree(pohon))


def node(pohon: Pohon, kode: str) -> Node:
    return Node.objects.get(pohon=pohon, kode=kode)


def move(client, cut: Node, target: Node, position: str):
    """POST the move as DraggableMPTTAdmin's script does; returns (body, messages)."""
    client.cookies.pop("messages", None)  # only this request's messages, not unread earlier ones
    response = client.post(
        CHANGELIST, {"cmd": "move_node", "cut_item": cut.pk, "pasted_on": target.pk, "position": position}
    )
    assert response.status_code == 200
    return response.content.decode(), [str(m) for m in get_messages(response.wsgi_request)]


def change_url(obj: Node) -> str:
    return reverse("admin:pohon_node_change", args=[obj.pk])


def form_errors(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["adminform"].form.errors.items()}


# The design card's chain, twice side by side, so that every kind has a counterpart outside
# its own subtree: a move of a node of branch A onto a node of branch B asks the rule table
# and nothing else.
ZOO = [
    # (kode, parent kode, jenis)
    ("A.TUJ", None, rules.TUJUAN),
    ("A.IND", "A.TUJ", rules.INDIKATOR),
    ("A.SAS", "A.TUJ", rules.SASARAN),
    ("A.BID", "A.SAS", rules.BIDANG),
    ("A.SKS", "A.BID", rules.SEKSI),
    ("A.PRG", "A.BID", rules.PROGRAM),
    ("A.KEG", "A.PRG", rules.KEGIATAN),
    ("A.SUB", "A.KEG", rules.SUB_KEGIATAN),
]
ZOO += [(kode.replace("A.", "B.", 1), parent and parent.replace("A.", "B.", 1), jenis) for kode, parent, jenis in ZOO]


@pytest.fixture
def zoo(pohon):
    made: dict[str, Node] = {}
    for kode, parent, jenis in ZOO:
        made[kode] = node_create(
            pohon=pohon, parent=made[parent] if parent else None, jenis=jenis, uraian=f"Uraian {kode}", kode=kode
        )
    return pohon


@pytest.fixture
def other_pohon(other_dinas):
    pohon = pohon_create(dinas=other_dinas, tahun=2018)
    tujuan = node_create(pohon=pohon, parent=None, jenis="tujuan", uraian="Tujuan lain", kode="LAIN.T1")
    node_create(pohon=pohon, parent=tujuan, jenis="sasaran", uraian="Sasaran lain", kode="LAIN.S1")
    return pohon


# --- drag and drop ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_allowed_move_goes_through(admin_client, chain_tree):
    before = dump(chain_tree)
    body, msgs = move(admin_client, node(chain_tree, "K2"), node(chain_tree, "K1"), "left")
    assert body.startswith("OK")
    assert msgs == ["K2 Kegiatan B berhasil dipindahkan."]
    assert dump(chain_tree) == before.replace(
        "4 K1 P1 kegiatan 5150000000\n4 K2 P1 kegiatan 1395000000",
        "4 K2 P1 kegiatan 1395000000\n4 K1 P1 kegiatan 5150000000",
    )
    assert LogEntry.objects.filter(object_id=str(node(chain_tree, "K2").pk)).count() == 1


@pytest.mark.django_db
def test_allowed_move_under_other_parent(admin_client, zoo):
    body, _msgs = move(admin_client, node(zoo, "A.SKS"), node(zoo, "B.BID"), "last-child")
    assert body.startswith("OK")
    moved = node(zoo, "A.SKS")
    assert moved.parent.kode == "B.BID"
    assert Node.objects.get(pk=moved.pk).get_previous_sibling().kode == "B.PRG"


@pytest.mark.django_db
def test_every_refused_pair_of_kinds_is_refused_and_named(admin_client, zoo):
    """For each pair of kinds the rule table forbids, a drop "into" the other branch's node
    fails, names both kinds, writes nothing."""
    before = dump(zoo)
    kinds = {jenis: node(zoo, kode) for kode, _parent, jenis in ZOO if kode.startswith("A.")}
    targets = {jenis: node(zoo, kode) for kode, _parent, jenis in ZOO if kode.startswith("B.")}
    refused = [(c, p) for c in kinds for p in targets if not rules.jenis_allowed_under(c, p)]
    assert len(refused) > 40  # every forbidden pair of the eight kinds (46 of 64 today)
    for child, parent in refused:
        body, msgs = move(admin_client, kinds[child], targets[parent], "last-child")
        assert body.startswith("FAIL"), (child, parent)
        assert msgs == [rules.refusal_message(child, parent)], (child, parent)
        assert rules.jenis_label(child) in msgs[0] and rules.jenis_label(parent) in msgs[0]
    assert dump(zoo) == before
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    ("cut", "target", "position", "child", "parent"),
    [
        ("K1", "T1", "last-child", "Kegiatan", "Tujuan"),  # kegiatan onto tujuan
        ("P1", "T1.I1", "left", "Program", "Tujuan"),  # program left of the tujuan's indikator
        ("P1", "T1.I1", "right", "Program", "Tujuan"),
        ("S2", "P1", "last-child", "Sasaran", "Program"),  # sasaran under program
        ("K2", "T1.I1", "last-child", "Kegiatan", "Indikator"),  # nothing under an indikator
        ("P1", "T1", "right", "Program", None),  # beside the tujuan: at the top of the tree
    ],
)
@pytest.mark.django_db
def test_refused_moves_answer_fail_with_message(admin_client, chain_tree, cut, target, position, child, parent):
    node_create(pohon=chain_tree, parent=node(chain_tree, "T1"), jenis="sasaran", uraian="Sasaran dua", kode="S2")
    before = dump(chain_tree)
    body, msgs = move(admin_client, node(chain_tree, cut), node(chain_tree, target), position)
    assert body == "FAIL, invalid move."
    assert len(msgs) == 1
    assert child in msgs[0]
    if parent:
        assert f"tidak boleh berada di bawah {parent}" in msgs[0]
    else:
        assert "tingkat teratas" in msgs[0]
    assert dump(chain_tree) == before


@pytest.mark.django_db
def test_program_left_of_indikator_under_sasaran_is_allowed(admin_client, chain_tree):
    indikator = node_create(
        pohon=chain_tree, parent=node(chain_tree, "S1"), jenis="indikator", uraian="Indeks Y", kode="S1.I1"
    )
    body, _msgs = move(admin_client, node(chain_tree, "P1"), indikator, "left")
    assert body.startswith("OK")
    assert [c.kode for c in node(chain_tree, "S1").get_children()] == ["P1", "S1.I1"]


@pytest.mark.django_db
def test_move_into_own_subtree_is_refused(admin_client, chain_tree):
    before = dump(chain_tree)
    body, msgs = move(admin_client, node(chain_tree, "S1"), node(chain_tree, "P1"), "last-child")
    assert body.startswith("FAIL")
    assert msgs == ["Butir tidak dapat dipindahkan ke dalam dirinya sendiri."]
    assert dump(chain_tree) == before


@pytest.mark.django_db
def test_move_onto_another_tree_is_refused(admin_client, chain_tree, other_pohon):
    before, other_before = dump(chain_tree), dump(other_pohon)
    body, msgs = move(admin_client, node(chain_tree, "S1"), node(other_pohon, "LAIN.T1"), "last-child")
    assert body.startswith("FAIL")
    assert msgs == ["Butir hanya dapat dipindahkan di dalam pohon yang sama."]
    assert (dump(chain_tree), dump(other_pohon)) == (before, other_before)


@pytest.mark.django_db
def test_hidden_root_cannot_move_nor_take_siblings(admin_client, chain_tree):
    root = pohon_root(chain_tree)
    before = dump(chain_tree)
    body, msgs = move(admin_client, root, node(chain_tree, "T1"), "last-child")
    assert body.startswith("FAIL")
    assert msgs == ["Akar pohon tidak dapat dipindahkan."]
    body, msgs = move(admin_client, node(chain_tree, "T1"), root, "left")
    assert body.startswith("FAIL")
    assert msgs == ["Butir tidak dapat diletakkan di samping akar pohon."]
    assert dump(chain_tree) == before


@pytest.mark.django_db
def test_move_in_approved_tree_is_refused(admin_client, chain_tree):
    Pohon.objects.filter(pk=chain_tree.pk).update(status=Pohon.Status.DISETUJUI)
    before = dump(chain_tree)
    body, msgs = move(admin_client, node(chain_tree, "K2"), node(chain_tree, "K1"), "left")
    assert body.startswith("FAIL")
    assert msgs == ["Pohon dinas-uji 2018 berstatus Disetujui dan tidak dapat diubah."]
    assert dump(chain_tree) == before


@pytest.mark.parametrize(
    ("data", "answer"),
    [
        ({"position": "inside"}, "FAIL, unknown instruction."),
        ({"position": "left", "cut_item": "x"}, "FAIL, invalid objects."),
        ({"position": "left", "cut_item": 999_999}, "FAIL, invalid objects."),
    ],
)
@pytest.mark.django_db
def test_malformed_move_requests(admin_client, chain_tree, data, answer):
    post = {"cmd": "move_node", "cut_item": node(chain_tree, "K1").pk, "pasted_on": node(chain_tree, "K2").pk}
    response = admin_client.post(CHANGELIST, {**post, **data})
    assert response.content.decode() == answer


# --- the add and change form ------------------------------------------------------------------


def add_data(pohon: Pohon, **data) -> dict:
    return {"pohon": pohon.pk, "parent": "", "kode": "", "unit": "", "pagu": "", "target": "", "satuan": "", **data}


@pytest.mark.django_db
def test_add_form_preselects_tree_and_lists_no_nodes(admin_client, chain_tree, other_pohon):
    response = admin_client.get(f"{ADD}?pohon={chain_tree.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["adminform"].form
    assert form.initial["pohon"] == chain_tree.pk
    assert f'data-ajax--url="/admin/autocomplete/?pohon={chain_tree.pk}"' in html
    assert "Kegiatan A" not in html and "Tujuan lain" not in html  # no <option> per node
    assert rules.AKAR not in dict(form.fields["jenis"].choices)
    assert "Pohon dinas-uji 2018" in html


@pytest.mark.django_db
def test_add_link_with_parent_preselects_it_and_add_another_keeps_the_tree(admin_client, chain_tree):
    program = node(chain_tree, "P1")
    response = admin_client.get(f"{ADD}?pohon={chain_tree.pk}&parent={program.pk}")
    assert f'<option value="{program.pk}" selected>P1 Program Z</option>' in response.content.decode()
    data = add_data(chain_tree, parent=program.pk, jenis="kegiatan", uraian="Kegiatan C", _addanother="1")
    response = admin_client.post(f"{ADD}?pohon={chain_tree.pk}&parent={program.pk}", data)
    assert response["Location"] == f"{ADD}?pohon={chain_tree.pk}"


@pytest.mark.django_db
def test_add_from_filtered_list_finds_the_tree_in_the_passed_filters(admin_client, chain_tree):
    response = admin_client.get(ADD, {"_changelist_filters": f"pohon={chain_tree.pk}"})
    assert response.context["adminform"].form.initial["pohon"] == chain_tree.pk


@pytest.mark.django_db
def test_add_without_tree_offers_the_editable_trees(admin_client, chain_tree, other_pohon):
    Pohon.objects.filter(pk=other_pohon.pk).update(status=Pohon.Status.DISETUJUI)
    response = admin_client.get(ADD)
    html = response.content.decode()
    assert f'href="/admin/pohon/node/add/?pohon={chain_tree.pk}"' in html
    assert f"?pohon={other_pohon.pk}" not in html


@pytest.mark.django_db
def test_add_at_top_of_tree_numbers_the_kode(admin_client, chain_tree):
    response = admin_client.post(
        f"{ADD}?pohon={chain_tree.pk}", add_data(chain_tree, jenis="tujuan", uraian="Tujuan kedua")
    )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pohon/node/?pohon={chain_tree.pk}"
    assert dump(chain_tree).endswith("\n1 TUJ01 - tujuan")


@pytest.mark.django_db
def test_add_wrong_kind_under_parent_shows_message_at_parent(admin_client, chain_tree):
    before = dump(chain_tree)
    data = add_data(chain_tree, parent=node(chain_tree, "T1").pk, jenis="kegiatan", uraian="Salah", pagu="1000")
    response = admin_client.post(f"{ADD}?pohon={chain_tree.pk}", data)
    assert response.status_code == 200
    assert form_errors(response) == {
        "parent": [
            "Kegiatan tidak boleh berada di bawah Tujuan; di bawah Tujuan hanya boleh: Sasaran, Bidang, Indikator."
        ]
    }
    assert "Kegiatan tidak boleh berada di bawah Tujuan" in response.content.decode()
    assert dump(chain_tree) == before


@pytest.mark.django_db
def test_uraian_too_long_is_refused_next_to_the_field(admin_client, chain_tree):
    response = admin_client.get(f"{ADD}?pohon={chain_tree.pk}")
    assert re.search(r'<textarea name="uraian"[^>]* maxlength="2000"', response.content.decode())
    data = add_data(chain_tree, jenis="tujuan", uraian="u" * 200_000)
    response = admin_client.post(f"{ADD}?pohon={chain_tree.pk}", data)
    assert response.status_code == 200
    assert form_errors(response) == {"uraian": ["Uraian terlalu panjang: 200.000 karakter, paling banyak 2.000."]}
    program = node(chain_tree, "P1")
    response = admin_client.post(change_url(program), change_data(program, uraian="u" * 2001))
    assert response.status_code == 200
    assert form_errors(response) == {"uraian": ["Uraian terlalu panjang: 2.001 karakter, paling banyak 2.000."]}
    assert node(chain_tree, "P1").uraian == "Program Z"


@pytest.mark.django_db
def test_add_with_parent_from_another_tree_is_refused(admin_client, chain_tree, other_pohon):
    data = add_data(chain_tree, parent=node(other_pohon, "LAIN.S1").pk, jenis="program", uraian="Program")
    response = admin_client.post(f"{ADD}?pohon={chain_tree.pk}", data)
    assert response.status_code == 200
    assert list(form_errors(response)) == ["parent"]
    assert Node.objects.filter(uraian="Program").count() == 0


@pytest.mark.parametrize("typed", ["Rp. 2.078.747.000", "2078747000", "2.078.747.000,00", "Rp 2.078.747.000"])
@pytest.mark.django_db
def test_pagu_forms_accepted(admin_client, chain_tree, typed):
    data = add_data(chain_tree, parent=node(chain_tree, "P1").pk, jenis="kegiatan", uraian="Kegiatan C", pagu=typed)
    response = admin_client.post(f"{ADD}?pohon={chain_tree.pk}", data)
    assert response.status_code == 302
    assert Node.objects.get(uraian="Kegiatan C").pagu == Decimal(2_078_747_000)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2.078.747.000,50", "Pagu harus dalam Rupiah utuh, tanpa sen (2.078.747.000,50)."),
        ("-5000", "Pagu tidak boleh negatif (-5000)."),
        ("dua juta", "Pagu \u201cdua juta\u201d bukan angka Rupiah (contoh: Rp. 2.078.747.000)."),
    ],
)
@pytest.mark.django_db
def test_pagu_forms_refused(admin_client, chain_tree, typed, message):
    data = add_data(chain_tree, parent=node(chain_tree, "P1").pk, jenis="kegiatan", uraian="Kegiatan C", pagu=typed)
    response = admin_client.post(f"{ADD}?pohon={chain_tree.pk}", data)
    assert response.status_code == 200
    assert form_errors(response) == {"pagu": [message]}
    assert not Node.objects.filter(uraian="Kegiatan C").exists()


@pytest.mark.django_db
def test_pagu_on_a_kind_without_budget_is_refused_at_pagu(admin_client, chain_tree):
    data = add_data(chain_tree, jenis="tujuan", uraian="Tujuan", pagu="1.000")
    response = admin_client.post(f"{ADD}?pohon={chain_tree.pk}", data)
    assert form_errors(response) == {
        "pagu": ["Tujuan tidak memiliki Pagu; Pagu hanya untuk Program, Kegiatan dan Sub Kegiatan."]
    }


@pytest.mark.django_db
def test_change_form_shows_tree_read_only_and_pagu_as_rupiah(admin_client, chain_tree):
    response = admin_client.get(change_url(node(chain_tree, "P1")))
    form = response.context["adminform"].form
    assert "pohon" not in form.fields and "jenis" not in form.fields
    assert form["pagu"].value() == "Rp 6.545.000.000"
    assert form["parent"].value() == node(chain_tree, "S1").pk
    top = admin_client.get(change_url(node(chain_tree, "T1"))).context["adminform"].form
    assert top["parent"].value() is None  # the hidden root shows as "at the top"


def change_data(obj: Node, **data) -> dict:
    return {
        "parent": obj.parent_id if not obj.parent.is_root else "",
        "kode": obj.kode,
        "uraian": obj.uraian,
        "unit": obj.unit_id or "",
        "pagu": "" if obj.pagu is None else str(obj.pagu),
        "target": obj.target_display,
        "satuan": obj.satuan,
        "arah": obj.arah,
        **data,
    }


@pytest.mark.django_db
def test_change_fields_and_parent(admin_client, chain_tree):
    program2 = node_create(
        pohon=chain_tree, parent=node(chain_tree, "S1"), jenis="program", uraian="Program Dua", kode="P2"
    )
    kegiatan = node(chain_tree, "K2")
    data = change_data(kegiatan, parent=program2.pk, pagu="Rp. 1.400.000.000", uraian="Kegiatan B baru")
    response = admin_client.post(change_url(kegiatan), data)
    assert response.status_code == 302
    assert dump(chain_tree).splitlines()[-1] == "4 K2 P2 kegiatan 1400000000"
    assert node(chain_tree, "K2").uraian == "Kegiatan B baru"


@pytest.mark.django_db
def test_change_to_wrong_parent_shows_message_and_changes_nothing(admin_client, chain_tree):
    before = dump(chain_tree)
    kegiatan = node(chain_tree, "K1")
    response = admin_client.post(change_url(kegiatan), change_data(kegiatan, parent=node(chain_tree, "T1").pk))
    assert response.status_code == 200
    assert form_errors(response) == {
        "parent": [
            "Kegiatan tidak boleh berada di bawah Tujuan; di bawah Tujuan hanya boleh: Sasaran, Bidang, Indikator."
        ]
    }
    assert dump(chain_tree) == before


@pytest.mark.django_db
def test_change_parent_into_own_subtree_is_refused(admin_client, chain_tree):
    sasaran = node(chain_tree, "S1")
    response = admin_client.post(change_url(sasaran), change_data(sasaran, parent=node(chain_tree, "P1").pk))
    assert form_errors(response) == {"parent": ["Butir tidak dapat dipindahkan ke dalam dirinya sendiri."]}


@pytest.mark.django_db
def test_duplicate_kode_is_refused(admin_client, chain_tree):
    kegiatan = node(chain_tree, "K2")
    response = admin_client.post(change_url(kegiatan), change_data(kegiatan, kode="K1"))
    assert response.status_code == 200
    assert node(chain_tree, "K2").kode == "K2"
    assert form_errors(response)


@pytest.mark.django_db
def test_hidden_root_is_neither_editable_nor_deletable(admin_client, chain_tree):
    root = pohon_root(chain_tree)
    response = admin_client.get(change_url(root))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert admin_client.post(change_url(root), {"kode": "X", "uraian": "X"}).status_code == 403
    assert admin_client.post(reverse("admin:pohon_node_delete", args=[root.pk]), {"post": "yes"}).status_code == 403
    assert Node.objects.filter(pk=root.pk).exists()


@pytest.mark.django_db
def test_approved_tree_opens_read_only(admin_client, chain_tree):
    Pohon.objects.filter(pk=chain_tree.pk).update(status=Pohon.Status.DISETUJUI)
    program = node(chain_tree, "P1")
    assert admin_client.get(change_url(program)).context["has_change_permission"] is False
    assert admin_client.post(change_url(program), change_data(program, uraian="X")).status_code == 403


@pytest.mark.django_db
def test_delete_goes_through_node_delete(admin_client, chain_tree):
    response = admin_client.post(reverse("admin:pohon_node_delete", args=[node(chain_tree, "P1").pk]), {"post": "yes"})
    assert response.status_code == 302
    assert dump(chain_tree) == "1 T1 - tujuan\n2 T1.I1 T1 indikator\n2 S1 T1 sasaran"
    assert Node.objects.filter(pohon=chain_tree).count() == 4  # with the root: the tree stays whole


@pytest.mark.django_db
def test_bulk_delete_of_a_node_and_its_descendant(admin_client, chain_tree):
    selected = [node(chain_tree, "K1").pk, node(chain_tree, "P1").pk, node(chain_tree, "T1.I1").pk]
    response = admin_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": selected, "post": "yes"})
    assert response.status_code == 302
    assert dump(chain_tree) == "1 T1 - tujuan\n2 S1 T1 sasaran"
    Node.objects.partial_rebuild(pohon_root(chain_tree).tree_id)  # a consistent tree rebuilds to itself
    assert dump(chain_tree) == "1 T1 - tujuan\n2 S1 T1 sasaran"


@pytest.mark.django_db
def test_bulk_delete_including_the_root_is_refused(admin_client, chain_tree):
    before = dump(chain_tree)
    selected = [pohon_root(chain_tree).pk, node(chain_tree, "K1").pk]
    response = admin_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": selected, "post": "yes"})
    assert response.status_code == 403
    assert dump(chain_tree) == before


# --- parent autocomplete ----------------------------------------------------------------------


def autocomplete(client, **params):
    query = {"app_label": "pohon", "model_name": "node", "field_name": "parent", **params}
    response = client.get("/admin/autocomplete/", query)
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_parent_autocomplete_answers_with_one_tree_only(admin_client, chain_tree, other_pohon):
    texts = autocomplete(admin_client, pohon=chain_tree.pk)
    assert texts == [
        "T1 Meningkatnya X",
        "T1.I1 Indeks X",
        "S1 Meningkatnya Y",
        "P1 Program Z",
        "K1 Kegiatan A",
        "K2 Kegiatan B",
    ]
    assert autocomplete(admin_client, pohon=chain_tree.pk, term="kegiatan") == ["K1 Kegiatan A", "K2 Kegiatan B"]
    assert autocomplete(admin_client, pohon=other_pohon.pk) == ["LAIN.T1 Tujuan lain", "LAIN.S1 Sasaran lain"]
    assert autocomplete(admin_client) == []  # no tree, no answer


# --- lists ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_node_list_of_one_tree(admin_client, chain_tree, other_pohon, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = admin_client.get(CHANGELIST, {"pohon": chain_tree.pk})
    html = response.content.decode()
    assert "Rp 6.545.000.000" in html and "Rp 5.150.000.000" in html
    assert "Pohon dinas-uji 2018" in html  # the hidden root as the top row, to drop onto
    assert "Tujuan lain" not in html
    assert [n.kode for n in response.context["cl"].result_list] == ["", "T1", "T1.I1", "S1", "P1", "K1", "K2"]
    assert f'href="/admin/pohon/node/add/?pohon={chain_tree.pk}"' in html
    assert f'href="{change_url(pohon_root(chain_tree))}"' not in html  # the root links nowhere


@pytest.mark.django_db
def test_drag_script_gets_only_the_rows_of_the_page(admin_client, chain_tree, other_pohon):
    html = admin_client.get(CHANGELIST, {"pohon": chain_tree.pk}).content.decode()
    context = json.loads(unescape(re.search(r'data-context="([^"]*)" id="draggable-admin-context"', html)[1]))
    listed = {pk for children in context["treeStructure"].values() for pk in children}
    assert listed == set(Node.objects.filter(pohon=chain_tree).values_list("pk", flat=True))
    assert context["messages"]["child"] == "jadikan anak butir ini"


@pytest.mark.django_db
def test_node_list_query_count_does_not_grow_with_nodes(admin_client, chain_tree, django_assert_num_queries):
    with CaptureQueriesContext(connection) as small:
        admin_client.get(CHANGELIST, {"pohon": chain_tree.pk})
    program = node(chain_tree, "P1")
    for i in range(15):
        node_create(pohon=chain_tree, parent=program, jenis="kegiatan", uraian=f"K{i}", kode=f"KX{i}", pagu=Decimal(i))
    with django_assert_num_queries(len(small.captured_queries)):
        admin_client.get(CHANGELIST, {"pohon": chain_tree.pk})


@pytest.mark.django_db
def test_pohon_list_shows_count_total_and_links(admin_client, chain_tree, other_pohon, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = admin_client.get("/admin/pohon/pohon/")
    html = response.content.decode()
    assert "Rp 6.545.000.000" in html
    rows = {p.pk: p for p in response.context["cl"].result_list}
    assert (rows[chain_tree.pk].node_total, rows[other_pohon.pk].node_total) == (6, 2)
    assert f'href="/admin/pohon/node/?pohon={chain_tree.pk}"' in html
    assert f'href="/admin/pohon/node/add/?pohon={chain_tree.pk}"' in html


@pytest.mark.django_db
def test_pohon_add_creates_hidden_root(admin_client, dinas):
    response = admin_client.post("/admin/pohon/pohon/add/", {"dinas": dinas.pk, "tahun": 2025, "revisi": 0})
    assert response.status_code == 302
    pohon = Pohon.objects.get(dinas=dinas, tahun=2025)
    assert pohon_root(pohon).jenis == rules.AKAR
    duplicate = admin_client.post("/admin/pohon/pohon/add/", {"dinas": dinas.pk, "tahun": 2025, "revisi": 0})
    assert duplicate.status_code == 200
    assert Pohon.objects.filter(dinas=dinas, tahun=2025).count() == 1


@pytest.mark.django_db
def test_pohon_change_page_is_read_only(admin_client, chain_tree):
    url = reverse("admin:pohon_pohon_change", args=[chain_tree.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Rp 6.545.000.000" in response.content.decode()
    assert admin_client.post(url, {"tahun": 2030}).status_code == 403


# --- access -----------------------------------------------------------------------------------


@pytest.fixture
def member_client(client, dinas):
    user = get_user_model().objects.create_user("operator", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="pohon", codename__endswith="_node")
        | Permission.objects.filter(codename="view_pohon")
    )
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=Keanggotaan.Peran.ADMIN)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_staff_member_sees_only_own_agency(member_client, chain_tree, other_pohon):
    html = member_client.get(CHANGELIST).content.decode()
    assert "Kegiatan A" in html and "Tujuan lain" not in html
    assert "dinas-lain" not in html  # nor in the filters
    assert member_client.get(change_url(node(other_pohon, "LAIN.T1"))).status_code == 302  # "does not exist"
    assert autocomplete(member_client, pohon=other_pohon.pk) == []
    body, msgs = move(member_client, node(chain_tree, "S1"), node(other_pohon, "LAIN.T1"), "last-child")
    assert body == "FAIL, invalid objects."
    assert member_client.get(f"{ADD}?pohon={other_pohon.pk}").status_code == 200  # offered only own trees
    assert str(other_pohon) not in member_client.get(ADD).content.decode()
    html = member_client.get("/admin/pohon/pohon/").content.decode()
    assert "dinas-uji 2018" in html and "dinas-lain 2018" not in html


@pytest.mark.django_db
def test_staff_member_cannot_add_to_another_agency(member_client, chain_tree, other_pohon):
    data = add_data(other_pohon, jenis="tujuan", uraian="Menyusup")
    response = member_client.post(f"{ADD}?pohon={other_pohon.pk}", data)
    assert response.status_code == 200
    assert "pohon" in form_errors(response)
    assert not Node.objects.filter(uraian="Menyusup").exists()


@pytest.mark.parametrize(
    "url",
    [CHANGELIST, ADD, "/admin/pohon/pohon/", "/admin/pohon/pohon/add/", "/admin/autocomplete/", "/admin/"],
)
@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


@pytest.mark.django_db
def test_anonymous_move_is_sent_to_login(client, chain_tree):
    response = client.post(
        CHANGELIST, {"cmd": "move_node", "cut_item": node(chain_tree, "K1").pk, "pasted_on": node(chain_tree, "T1").pk}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_a_node_deleted_between_the_forms_check_and_its_save_is_refused_with_the_reload_message(chain_tree):
    """The admin validates a node form (a dry run of the services), then saves it: someone else
    may delete the node, or its new parent, in between. The save refuses with the message the
    admin shows as a refusal (changeform_view), not Node.DoesNotExist."""
    from django.core.exceptions import ValidationError
    from django.forms import modelform_factory

    from pohon.forms import NodeForm
    from pohon.services import node_delete

    kegiatan = node(chain_tree, "K1")
    # As NodeAdmin.get_form builds it for a change: pohon and jenis read-only; a system write.
    form_class = modelform_factory(Node, form=NodeForm, fields=("parent", "kode", "uraian", "unit", "pagu"))
    form = form_class(change_data(kegiatan, uraian="Diubah"), instance=kegiatan)
    assert form.is_valid(), form.errors
    node_delete(node=node(chain_tree, "P1"))  # K1 goes with it
    with pytest.raises(ValidationError) as error:
        form.write()
    assert error.value.messages == ["Butir K1 sudah dihapus oleh pengguna lain; muat ulang halaman."]

    program = node_create(pohon=chain_tree, parent=node(chain_tree, "S1"), jenis="program", uraian="P", kode="P2")
    sasaran = node_create(pohon=chain_tree, parent=node(chain_tree, "T1"), jenis="sasaran", uraian="S", kode="S2")
    form = form_class(change_data(program, parent=sasaran.pk), instance=program)
    assert form.is_valid(), form.errors
    node_delete(node=sasaran)  # the new parent goes
    with pytest.raises(ValidationError, match="Butir S2 sudah dihapus oleh pengguna lain"):
        form.write()
    assert node(chain_tree, "P2").parent.kode == "S1"
