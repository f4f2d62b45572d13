"""Who may do what with crosscutting: views, services and templates ask here, nowhere else.

- Ask: who may edit the node's branch (the operator of its unit or of a unit above, an Admin of
  the agency), or the agency's Kepala Dinas. The tree need not be editable: a link names the node
  by its lasting key, so asking from an approved tree is as good as from its next Perubahan.
- Answer (accept or refuse): in the receiving agency, the operator of the unit asked (or of a unit
  above it), the Kepala Dinas or an Admin.
- Withdraw a standing link: whoever may ask for it on the sending side or answer it on the
  receiving side, so that either side can free its node for deletion.
"""

from dinas.models import Keanggotaan
from dinas.selectors import user_roles
from pohon import rules
from pohon.models import Node, Pohon
from pohon.permissions import operator_unit_ids, user_can_edit_branch
from pohon.silang.models import Silang

Peran = Keanggotaan.Peran

# The kinds a crosscutting link joins: the sender's node and the receiver's.
SILANG_KINDS = frozenset({rules.SASARAN, rules.PROGRAM, rules.KEGIATAN})
PENERIMA_KINDS = frozenset({rules.SASARAN, rules.PROGRAM, rules.KEGIATAN, rules.SUB_KEGIATAN})


def _heads(user, dinas_id: int) -> bool:
    return bool(user_roles(user, dinas_id) & {Peran.ADMIN, Peran.KEPALA_DINAS})


def _unit_operator(user, dinas_id: int, unit_id: int | None) -> bool:
    return unit_id is not None and unit_id in operator_unit_ids(user, dinas_id)


def user_can_request(user, pohon: Pohon, node: Node) -> bool:
    """May the user ask another unit or agency to support ``node``?"""
    if node.jenis not in SILANG_KINDS:
        return False
    return _heads(user, pohon.dinas_id) or user_can_edit_branch(user, pohon, node)


def user_can_answer(user, silang: Silang) -> bool:
    """Accept or refuse: only a waiting request, only on the receiving side."""
    if silang.status != Silang.Status.MENUNGGU:
        return False
    return _heads(user, silang.penerima_dinas_id) or _unit_operator(
        user, silang.penerima_dinas_id, silang.penerima_unit_id
    )


def user_can_withdraw(user, silang: Silang) -> bool:
    if not silang.is_standing:
        return False
    sender = _heads(user, silang.pengirim_dinas_id) or _unit_operator(
        user, silang.pengirim_dinas_id, silang.pengirim_unit_id
    )
    receiver = _heads(user, silang.penerima_dinas_id) or _unit_operator(
        user, silang.penerima_dinas_id, silang.penerima_unit_id
    )
    return sender or receiver
