"""The rule table, through the service: every allowed pair, and every refused pair."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from pohon import rules
from pohon.models import Node
from pohon.selectors import pohon_dump, pohon_tree
from pohon.services import node_create, node_move, pohon_create

KINDS = [j for j in rules.JENIS_LABELS if j != rules.AKAR]
PARENT_KINDS = list(rules.ALLOWED_CHILDREN)


def _node_of_kind(pohon, jenis):
    """Build the shortest allowed chain from the top of the tree down to a node of ``jenis``."""
    paths = {rules.AKAR: []}
    frontier = [rules.AKAR]
    while frontier:
        parent = frontier.pop(0)
        for child in rules.allowed_children(parent):
            if child not in paths:
                paths[child] = [*paths[parent], child]
                frontier.append(child)
    node = None
    for kind in paths[jenis]:
        node = node_create(pohon=pohon, parent=node, jenis=kind, uraian=f"{kind} uji")
    return node


def test_design_card_chain_is_allowed():
    chain = [rules.TUJUAN, rules.SASARAN, rules.BIDANG, rules.PROGRAM, rules.KEGIATAN, rules.SUB_KEGIATAN]
    assert rules.jenis_allowed_under(rules.TUJUAN, rules.AKAR)
    for parent, child in itertools.pairwise(chain):
        assert rules.jenis_allowed_under(child, parent), (child, parent)
    # Bidang is optional: a Renstra hangs Programs straight under a Sasaran
    assert rules.jenis_allowed_under(rules.PROGRAM, rules.SASARAN)
    for performance in (rules.TUJUAN, rules.SASARAN, rules.PROGRAM, rules.KEGIATAN, rules.SUB_KEGIATAN):
        assert rules.jenis_allowed_under(rules.INDIKATOR, performance)


def test_seed_form_is_allowed():
    for child in (rules.SASARAN, rules.INDIKATOR, rules.PROGRAM, rules.SEKSI):
        assert rules.jenis_allowed_under(child, rules.BIDANG)
    for child in (rules.SASARAN, rules.INDIKATOR, rules.KEGIATAN):
        assert rules.jenis_allowed_under(child, rules.SEKSI)
    assert rules.jenis_allowed_under(rules.BIDANG, rules.TUJUAN)


@pytest.mark.django_db
@pytest.mark.parametrize(("parent_kind", "child_kind"), list(itertools.product(PARENT_KINDS, KINDS)))
def test_every_pair_through_the_service(dinas, parent_kind, child_kind):
    pohon = pohon_create(dinas=dinas, tahun=2018)
    parent = None if parent_kind == rules.AKAR else _node_of_kind(pohon, parent_kind)
    before = pohon_dump(pohon_tree(pohon))
    if rules.jenis_allowed_under(child_kind, parent_kind):
        node = node_create(pohon=pohon, parent=parent, jenis=child_kind, uraian="anak")
        assert node.parent.jenis == parent_kind
    else:
        with pytest.raises(ValidationError) as refused:
            node_create(pohon=pohon, parent=parent, jenis=child_kind, uraian="anak")
        message = " ".join(refused.value.messages)
        assert rules.jenis_label(child_kind) in message
        if parent_kind != rules.AKAR:
            assert f"di bawah {rules.jenis_label(parent_kind)}" in message
        else:
            assert "tingkat teratas" in message
        assert pohon_dump(pohon_tree(pohon)) == before


def test_refusal_message_names_both_kinds():
    assert rules.refusal_message(rules.KEGIATAN, rules.TUJUAN) == (
        "Kegiatan tidak boleh berada di bawah Tujuan; di bawah Tujuan hanya boleh: Sasaran, Bidang, Indikator."
    )
    assert "Indikator tidak boleh memiliki anak" in rules.refusal_message(rules.SASARAN, rules.INDIKATOR)


@pytest.mark.django_db
def test_move_checks_the_rule_table(chain_tree):
    by_kode = {n.kode: n for n in Node.objects.filter(pohon=chain_tree)}
    before = pohon_dump(pohon_tree(chain_tree))
    with pytest.raises(ValidationError, match="Kegiatan tidak boleh berada di bawah Tujuan"):
        node_move(node=by_kode["K1"], target=by_kode["T1"], position="last-child")
    with pytest.raises(ValidationError, match="Program tidak boleh berada di bawah Tujuan"):
        # "left of the Sasaran" means "under the Tujuan"
        node_move(node=by_kode["P1"], target=by_kode["S1"], position="left")
    assert pohon_dump(pohon_tree(chain_tree)) == before
