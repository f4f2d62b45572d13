"""Who is Bappeda of a Pemda, and who sees a Pemda: the one place of these rules. The Pemda's pages
(``pohon.pemda.views``), its links (``pohon.tautan``) and anything else that asks, ask here.

- Bappeda of a Pemda: a Bappeda or Admin role on the Pemda's owner record (the owner of its trees),
  or a superuser. Bappeda edits the Pemda tree, reads every agency tree of the Pemda, sends Pemda
  nodes to agencies and answers the agencies' proposals; it never edits an agency's tree.
- Sees a Pemda: a superuser, or anyone with a role (derived roles included) in one of its records.
"""

from dinas.models import Keanggotaan, Pemda, PerangkatDaerah
from dinas.selectors import user_memberships, user_roles
from pohon.pemda.selectors import pemda_pemilik

# The roles on the owner record that make a user the Pemda's Bappeda.
BAPPEDA_ROLES = frozenset({Keanggotaan.Peran.BAPPEDA, Keanggotaan.Peran.ADMIN})


def user_is_bappeda_of_owner(user, owner_id: int) -> bool:
    """``user_is_bappeda`` when the owner record is already known (no query for it)."""
    return user.is_superuser or bool(user_roles(user, owner_id) & BAPPEDA_ROLES)


def user_is_bappeda(user, pemda: Pemda) -> bool:
    """May act as Bappeda of ``pemda`` (see the module's docstring)."""
    if user.is_superuser:
        return True
    owner = pemda_pemilik(pemda)
    return owner is not None and user_is_bappeda_of_owner(user, owner.pk)


def user_sees_pemda(user, pemda: Pemda) -> bool:
    """A superuser, or anyone with a role (derived roles included) in the Pemda's records."""
    if user.is_superuser:
        return True
    held = user_memberships(user)
    return PerangkatDaerah.objects.filter(pemda=pemda, pk__in=list(held)).exists()
