"""Who may do what with a tree. Views, admin and services ask here, not in templates."""

from pohon.models import Pohon


def user_can_edit_pohon(user, pohon: Pohon) -> bool:
    """Staff with the node change permission, in an agency they belong to, while the tree is editable."""
    if not (user.is_authenticated and user.is_active and user.is_staff and pohon.is_editable):
        return False
    if user.is_superuser:
        return True
    return user.has_perm("pohon.change_node") and user.keanggotaan.filter(dinas_id=pohon.dinas_id).exists()
