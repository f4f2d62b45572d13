"""Who may do what in the admin: the one table of per-agency roles, and the questions asked of it.

A record belongs to one agency (a unit and its officials, a membership, a tree and its nodes);
what a user may do with it is decided by their ``Keanggotaan`` roles IN THAT AGENCY, never by
a role held in another one. The Django groups of ``dinas.roles`` stay a coarse gate (the admin
still asks for the model permission first), but a group "Admin" earned as Admin of agency B
gives nothing in agency A. Superusers count as Admin everywhere.

The table names the models by label so that ``dinas`` needs nothing from ``pohon``; a node's
operator is narrowed further to their own unit's branch of an editable tree by
``pohon.permissions`` (the admin asks it on top of this table).

- Admin of X: view, add, change and delete X's units, officials, memberships, trees and nodes,
  change X itself, import trees into X and copy X's trees to another year.
- Kepala Dinas of X: view X, its units, officials, trees and nodes; change nothing here (they
  review and approve through the tree's own pages).
- Operator of X: view X, its units, officials, trees and nodes; add, change and delete nodes
  in their own unit's branch while the tree is editable.
- Memberships are seen and managed only by the agency's Admin, and nobody but a superuser adds,
  changes or deletes a membership of their own (no granting roles to oneself).
- Creating or deleting an agency, moving it to another Pemda, managing the Pemda records (and
  their Kepala Daerah), and importing the organisation table (it creates agencies and Pemda and
  renames them, across agencies): superusers only.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from dinas.models import Keanggotaan, PerangkatDaerah
from dinas.selectors import dinas_with_roles, user_memberships, user_roles

Peran = Keanggotaan.Peran

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)

ANY_ROLE = frozenset({Peran.ADMIN, Peran.KEPALA_DINAS, Peran.OPERATOR})
ADMIN_ONLY = frozenset({Peran.ADMIN})
SUPERUSER_ONLY = frozenset()

# model label -> action -> the roles in the record's agency that allow it (superusers: always).
ACCESS: dict[str, dict[str, frozenset[str]]] = {
    # A Pemda spans agencies: no agency role manages it (nor its Kepala Daerah, a Pejabat of no agency).
    "dinas.pemda": {VIEW: SUPERUSER_ONLY, ADD: SUPERUSER_ONLY, CHANGE: SUPERUSER_ONLY, DELETE: SUPERUSER_ONLY},
    "dinas.perangkatdaerah": {VIEW: ANY_ROLE, ADD: SUPERUSER_ONLY, CHANGE: ADMIN_ONLY, DELETE: SUPERUSER_ONLY},
    "dinas.unitkerja": {VIEW: ANY_ROLE, ADD: ADMIN_ONLY, CHANGE: ADMIN_ONLY, DELETE: ADMIN_ONLY},
    "dinas.pejabat": {VIEW: ANY_ROLE, ADD: ADMIN_ONLY, CHANGE: ADMIN_ONLY, DELETE: ADMIN_ONLY},
    "dinas.keanggotaan": {VIEW: ADMIN_ONLY, ADD: ADMIN_ONLY, CHANGE: ADMIN_ONLY, DELETE: ADMIN_ONLY},
    "pohon.pohon": {VIEW: ANY_ROLE, ADD: ADMIN_ONLY, CHANGE: ADMIN_ONLY, DELETE: ADMIN_ONLY},
    # An operator only in their own unit's branch of an editable tree: pohon.permissions.
    "pohon.node": {
        VIEW: ANY_ROLE,
        ADD: frozenset({Peran.ADMIN, Peran.OPERATOR}),
        CHANGE: frozenset({Peran.ADMIN, Peran.OPERATOR}),
        DELETE: frozenset({Peran.ADMIN, Peran.OPERATOR}),
    },
}

# Importing a tree into an agency and copying its tree to another year.
IMPORT_POHON = ADMIN_ONLY

User = AbstractBaseUser | AnonymousUser


def roles_for(label: str, action: str) -> frozenset[str]:
    """The roles that allow ``action`` on the model ``label``; an unknown pair allows no role."""
    return ACCESS.get(label, {}).get(action, SUPERUSER_ONLY)


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _holds(user: User, roles: frozenset[str], dinas_id: int | None) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if dinas_id is None:
        return any(held & roles for held in user_memberships(user).values())
    return bool(user_roles(user, dinas_id) & roles)


def user_may(user: User, label: str, action: str, dinas_id: int | None) -> bool:
    """May the user do ``action`` on a ``label`` record of agency ``dinas_id``? With None: in at
    least one agency (whether the admin offers the screen or the button at all)."""
    return _holds(user, roles_for(label, action), dinas_id)


def dinas_where(user: User, label: str, *actions: str) -> QuerySet[PerangkatDaerah]:
    """The agencies where the user may do every one of ``actions`` on ``label`` records: the rows
    a list shows, the agencies, units and trees a form offers."""
    roles = ANY_ROLE
    for action in actions:
        roles = roles & roles_for(label, action)
    return dinas_with_roles(user, roles)


def user_may_import_pohon(user: User, dinas_id: int | None) -> bool:
    """Import a tree into (or copy a tree of) agency ``dinas_id``; None: into some agency."""
    return _holds(user, IMPORT_POHON, dinas_id)


def dinas_importable_by(user: User) -> QuerySet[PerangkatDaerah]:
    return dinas_with_roles(user, IMPORT_POHON)


def user_may_import_organisasi(user: User) -> bool:
    """The organisation table creates and renames agencies and spans many: superusers only."""
    return _active(user) and user.is_superuser


def user_may_manage_pemda(user: User) -> bool:
    """Pemda records and their Kepala Daerah, and which Pemda an agency belongs to: superusers only."""
    return _active(user) and user.is_superuser


def user_may_manage_membership(user: User, member_id: int | None) -> bool:
    """Nobody but a superuser adds, changes or deletes a membership of their own."""
    return _active(user) and (user.is_superuser or member_id is None or member_id != user.pk)
