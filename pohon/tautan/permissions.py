"""Who may do what with the links to the Pemda: views, services and templates ask here, nowhere else.

- Propose (agency -> Pemda): who may edit the node's branch (the operator of its unit or of a unit
  above, an Admin of the agency), or the agency's Kepala Dinas. The operator proposes for the
  nodes of the unit it answers for, as it asks for crosscutting: Bappeda's approval is the check.
- Send (Pemda -> agency): Bappeda (or Admin) of the Pemda's owner record, or a superuser.
- Answer (accept or refuse) a waiting link: a proposal is answered by Bappeda of its Pemda; a link
  Bappeda sent is answered by the agency's Kepala Dinas or Admin (not by an operator: accepting
  commits the agency to the Pemda's goal).
- Withdraw a standing link: Bappeda of its Pemda, the agency's Kepala Dinas or Admin, or the
  operator of the unit answering for the agency's node.
"""

from dinas.models import Keanggotaan, Pemda
from dinas.selectors import user_roles
from pohon import rules
from pohon.models import Node, Pohon
from pohon.pemda.permissions import user_is_bappeda
from pohon.permissions import operator_unit_ids, user_can_edit_branch
from pohon.tautan.models import TautanPemda

Peran = Keanggotaan.Peran

# The agency kinds that support the Pemda, and the Pemda kinds they support.
DINAS_KINDS = frozenset({rules.TUJUAN, rules.SASARAN})
PEMDA_KINDS = frozenset({rules.SASARAN_PEMDA, rules.TEMATIK, rules.SUB_TEMATIK})


def _heads(user, dinas_id: int) -> bool:
    return bool(user_roles(user, dinas_id) & {Peran.ADMIN, Peran.KEPALA_DINAS})


def user_is_pemda_reviewer(user, pemda: Pemda) -> bool:
    """Bappeda of the Pemda (the rule of ``pohon.pemda.permissions.user_is_bappeda``)."""
    return user_is_bappeda(user, pemda)


def user_can_propose(user, pohon: Pohon, node: Node) -> bool:
    """May the user propose that ``node`` (an agency's Tujuan/Sasaran) supports a Pemda node?"""
    if pohon.is_pemda or node.jenis not in DINAS_KINDS:
        return False
    return _heads(user, pohon.dinas_id) or user_can_edit_branch(user, pohon, node)


def user_can_send(user, pohon_pemda: Pohon, node: Node) -> bool:
    """May the user send the Pemda node ``node`` to an agency?"""
    if not pohon_pemda.is_pemda or node.jenis not in PEMDA_KINDS:
        return False
    return user_is_bappeda(user, pohon_pemda.dinas.pemda)


def user_can_answer(user, tautan: TautanPemda) -> bool:
    if tautan.status != TautanPemda.Status.MENUNGGU:
        return False
    if tautan.arah == TautanPemda.Arah.USULAN:
        return user_is_bappeda(user, tautan.pemda)
    return _heads(user, tautan.dinas_id)


def user_can_withdraw(user, tautan: TautanPemda) -> bool:
    if not tautan.is_standing:
        return False
    if _heads(user, tautan.dinas_id) or user_is_bappeda(user, tautan.pemda):
        return True
    return tautan.dinas_unit_id is not None and tautan.dinas_unit_id in operator_unit_ids(user, tautan.dinas_id)


def user_sees_tautan(user, tautan: TautanPemda) -> bool:
    """Bappeda of its Pemda, or anyone with a role in its agency."""
    return bool(user_roles(user, tautan.dinas_id)) or user.is_superuser or user_is_bappeda(user, tautan.pemda)
