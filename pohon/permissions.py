"""Who may do what with a tree. Views, admin and services ask here; templates only show.

Roles are granted per agency by ``dinas.models.Keanggotaan``: an Admin may do everything in
that agency, an Operator edits the branches of their own unit (a Bidang's operator edits that
Bidang's subtree, its sections included) and submits, the Kepala Dinas reviews, returns and
approves. Superusers are Admin everywhere. ``user_roles`` itself lives in ``dinas.selectors``,
where the admin's per-agency rules (``dinas.admin_access``) ask it too.

The Pemda's own tree is owned by the Pemda's owner record (``PerangkatDaerah.jenis`` pemda):
there the Bappeda role edits every branch (as an Admin does) and submits, the Kepala Dinas role
of that record (the Kepala Bappeda's account) reviews and approves, whoever signs. A Bappeda
member reads every agency tree of its Pemda and members of those agencies read the Pemda tree,
by the derived read-only role ``dinas.selectors.PERAN_BACA``, which no write right names.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from dinas.models import Keanggotaan, UnitKerja
from dinas.selectors import user_roles
from pohon.models import Node, Pohon

Peran = Keanggotaan.Peran


def operator_unit_ids(user, dinas_id: int) -> set[int]:
    """The units whose branches the user edits as an operator: their own units and every unit
    below. Cached on the user object for the request, like ``user_roles``: a view and the
    service it calls both ask."""
    cache = user.__dict__.setdefault("_pokin_operator_units", {})
    if dinas_id not in cache:
        cache[dinas_id] = _operator_unit_ids(user, dinas_id)
    return cache[dinas_id]


def operator_own_unit_ids(user, dinas_id: int) -> set[int]:
    """The units an operator's memberships name (not the units below them): the chart brings
    their boxes into view when it opens."""
    if Peran.OPERATOR not in user_roles(user, dinas_id):  # cached: no query for everyone else
        return set()
    return set(
        Keanggotaan.objects.filter(user=user, dinas_id=dinas_id, peran=Peran.OPERATOR, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )


def _operator_unit_ids(user, dinas_id: int) -> set[int]:
    roots = operator_own_unit_ids(user, dinas_id)
    if not roots:
        return set()
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in UnitKerja.objects.filter(dinas_id=dinas_id).values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(unit_id)
    allowed, stack = set(), list(roots)
    while stack:
        unit_id = stack.pop()
        if unit_id not in allowed:
            allowed.add(unit_id)
            stack.extend(children.get(unit_id, ()))
    return allowed


def _edit_roles(pohon: Pohon) -> frozenset[str]:
    """The roles that edit a tree: Admin and Operator in an agency's, Admin and Bappeda in the Pemda's."""
    if pohon.is_pemda:
        return frozenset({Peran.ADMIN, Peran.BAPPEDA})
    return frozenset({Peran.ADMIN, Peran.OPERATOR})


def _edits_everything(user, pohon: Pohon) -> bool:
    """Admin of the owner, or Bappeda of a Pemda tree: every branch, no unit restriction."""
    roles = user_roles(user, pohon.dinas_id)
    return Peran.ADMIN in roles or (Peran.BAPPEDA in roles and pohon.is_pemda)


def unit_choices_for(user, pohon: Pohon, node: Node | None = None):
    """The units the editor offers the user for a node of ``pohon``: an Admin every unit of the
    agency, an Operator their own units and those below (what they may edit), plus the unit
    ``node`` already has, so that saving it unchanged stays possible."""
    units = UnitKerja.objects.filter(dinas_id=pohon.dinas_id).order_by("urutan", "nama")
    if user is None or _edits_everything(user, pohon):
        return units
    allowed = set(operator_unit_ids(user, pohon.dinas_id))
    if node is not None and node.unit_id is not None:
        allowed.add(node.unit_id)
    return units.filter(pk__in=allowed)


def user_can_edit_pohon(user, pohon: Pohon) -> bool:
    """May the user edit some part of this tree now (admin links, edit controls)?"""
    roles = user_roles(user, pohon.dinas_id)
    return pohon.is_editable and bool(roles & _edit_roles(pohon))


def user_can_edit_branch(user, pohon: Pohon, node: Node | None) -> bool:
    """May the user change ``node`` or add under it (None: the top of the tree)?"""
    roles = user_roles(user, pohon.dinas_id)
    if _edits_everything(user, pohon):
        return True
    if pohon.is_pemda or Peran.OPERATOR not in roles or node is None or node.is_root:
        return False
    unit_ids = operator_unit_ids(user, pohon.dinas_id)
    return Node.objects.filter(pohon_id=pohon.pk, lft__lte=node.lft, rght__gte=node.rght, unit_id__in=unit_ids).exists()


def editable_node_ids(user, pohon: Pohon, tree) -> set[int]:
    """The ids of every node of ``tree`` (a ``PohonTree``) the user may change or add under, for a
    whole page at once: the same answer as ``user_can_edit_branch`` per node, in one pass over the
    tree in lft order (a parent comes before its children) instead of one query per node."""
    if not user_can_edit_pohon(user, pohon):
        return set()
    if _edits_everything(user, pohon):
        return {node.pk for node in tree.nodes}
    unit_ids = operator_unit_ids(user, pohon.dinas_id)
    editable: set[int] = set()
    for node in tree.nodes:
        if node.unit_id in unit_ids or node.parent_id in editable:
            editable.add(node.pk)
    return editable


def authorize_branch_edit(user, pohon: Pohon, node: Node | None) -> None:
    """Raise PermissionDenied (with the reason in Indonesian) unless the user may edit there."""
    if user is None:
        return  # system writes: the demo loader, management commands
    if not user_can_edit_branch(user, pohon, node):
        if pohon.is_pemda:
            raise PermissionDenied(_("Pohon kinerja Pemda hanya diubah oleh Bappeda Pemda tersebut."))
        if node is None or node.is_root:
            raise PermissionDenied(_("Hanya admin yang boleh mengubah tingkat teratas pohon."))
        raise PermissionDenied(
            _("Anda tidak berhak mengubah cabang ini: operator hanya mengubah cabang unit kerjanya sendiri.")
        )


def user_can_submit(user, pohon: Pohon) -> bool:
    """Who may edit a tree may submit it."""
    return user_can_edit_pohon(user, pohon)


def user_can_review(user, pohon: Pohon) -> bool:
    """Return or approve: the agency's Kepala Dinas (or an Admin)."""
    return pohon.status == Pohon.Status.DIAJUKAN and bool(
        user_roles(user, pohon.dinas_id) & {Peran.ADMIN, Peran.KEPALA_DINAS}
    )


def user_can_revise(user, pohon: Pohon, *, is_latest: bool) -> bool:
    return (
        is_latest
        and pohon.status == Pohon.Status.DISETUJUI
        and bool(user_roles(user, pohon.dinas_id) & _edit_roles(pohon))
    )


def user_can_sign(user, pohon: Pohon) -> bool:
    """Run the signing of an approved tree's documents again (after a failure): the agency's
    Kepala Dinas or an Admin."""
    return pohon.status == Pohon.Status.DISETUJUI and bool(
        user_roles(user, pohon.dinas_id) & {Peran.ADMIN, Peran.KEPALA_DINAS}
    )
