"""Who may do what with a Perjanjian Kinerja: the one place that decides it. Views, templates
(through the flags views pass) and services all ask here.

The officials who sign have no accounts of their own; the agency's roles (``Keanggotaan``) act
for them:

- everyone with a role in the agency sees its PKs and downloads the signed ones;
- the Kepala Dinas or an Admin generates the PKs from the approved tree, and retries a failed
  signing;
- the pihak pertama's side submits: an Operator for the units of their branch (their own unit
  and the units below it: a Bidang's operator submits the Bidang's and its sections' PKs), the
  Kepala Dinas for their own (JPT) PK, an Admin for any;
- the pihak kedua's side approves or returns: the Kepala Dinas, as the superior of every
  Administrator and, through the Kepala Bidang who answer to them, of every Pengawas; for the
  Kepala Dinas's own PK, whose pihak kedua is the Kepala Daerah, the Kepala Dinas approves on
  the Pemda's behalf only where the Pemda allows it (``Pemda.pk_disetujui_kepala_dinas``, on by
  default); an Admin approves any.
"""

from dinas.models import Keanggotaan
from dinas.selectors import user_roles
from pohon.perjanjian.models import PerjanjianKinerja
from pohon.permissions import operator_unit_ids

Peran = Keanggotaan.Peran
Status = PerjanjianKinerja.Status


def user_can_view_perjanjian(user, dinas_id: int) -> bool:
    return bool(user_roles(user, dinas_id))


def user_can_generate_perjanjian(user, dinas_id: int) -> bool:
    return bool(user_roles(user, dinas_id) & {Peran.ADMIN, Peran.KEPALA_DINAS})


def user_can_submit_perjanjian(user, perjanjian: PerjanjianKinerja) -> bool:
    if not perjanjian.is_editable:
        return False
    roles = user_roles(user, perjanjian.dinas_id)
    if Peran.ADMIN in roles:
        return True
    if Peran.KEPALA_DINAS in roles and perjanjian.tingkat == PerjanjianKinerja.Tingkat.JPT:
        return True
    return Peran.OPERATOR in roles and perjanjian.unit_id in operator_unit_ids(user, perjanjian.dinas_id)


def user_can_review_perjanjian(user, perjanjian: PerjanjianKinerja) -> bool:
    """Approve or return a submitted PK."""
    if perjanjian.status != Status.DIAJUKAN:
        return False
    roles = user_roles(user, perjanjian.dinas_id)
    if Peran.ADMIN in roles:
        return True
    if Peran.KEPALA_DINAS not in roles:
        return False
    return perjanjian.tingkat != PerjanjianKinerja.Tingkat.JPT or perjanjian.dinas.pemda.pk_disetujui_kepala_dinas


def user_can_sign_perjanjian(user, perjanjian: PerjanjianKinerja) -> bool:
    """Queue the signing of an approved PK again (after a failure)."""
    return perjanjian.status == Status.DISETUJUI and user_can_generate_perjanjian(user, perjanjian.dinas_id)
