"""The three roles as Django groups, with the model permissions each role needs in the admin.

Which agency and which branch a user may touch is a ``Keanggotaan``; a group only says which
kinds of records the role may see or change at all. The admin asks the group first, as a coarse
gate, and then ``dinas.admin_access`` for the role in the record's own agency, which decides:
the group "Admin" earned in one agency gives nothing in another. Kept in code, not in a data migration, so
that running it again brings the groups back to exactly these permissions.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

GROUP_ADMIN = "Admin"
GROUP_KEPALA_DINAS = "Kepala Dinas"
GROUP_OPERATOR = "Operator"

_APPS = ("dinas", "pohon")


def _permissions(query: Q) -> list[Permission]:
    return list(Permission.objects.filter(Q(content_type__app_label__in=_APPS) & query))


@transaction.atomic
def roles_ensure_groups() -> dict[str, Group]:
    """Create the groups if missing and set their permissions to exactly these (idempotent).

    - Admin: every permission on the dinas and pohon models, including models added later.
    - Kepala Dinas: views everything in dinas and pohon.
    - Operator: views agencies, units, officials and trees; adds, changes and deletes nodes
      (the Keanggotaan names the unit whose branch that is meant to be).
    """
    wanted = {
        GROUP_ADMIN: _permissions(Q()),
        GROUP_KEPALA_DINAS: _permissions(Q(codename__startswith="view_")),
        GROUP_OPERATOR: _permissions(
            Q(content_type__app_label="dinas", codename__startswith="view_")
            | Q(content_type__app_label="pohon", codename="view_pohon")
            | Q(
                content_type__app_label="pohon",
                codename__in=["view_node", "add_node", "change_node", "delete_node"],
            )
        ),
    }
    groups = {}
    for name, permissions in wanted.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        groups[name] = group
    return groups
