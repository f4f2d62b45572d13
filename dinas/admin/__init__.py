"""Admin screens for agencies, their units, officials and memberships.

Every screen asks ``dinas.admin_access`` about the user's role IN THE RECORD'S AGENCY: the
lists show the rows of the agencies where the user may view them, each record opens read-only,
editable or not at all by the role there, and every agency, unit or tree offered in a form is
one where the user may add or change such records. ``DinasScopedAdmin`` does that once for the
admins of both apps; the Django groups' model permissions stay a coarse gate in front of it.

The package: ``scoped`` (``DinasScopedAdmin``, what both apps' admins build on), ``writes``
(saves and deletions through ``dinas.services``), and one module per screen group: ``pemda``,
``organisation`` (agencies, units, officials), ``keanggotaan``.
"""

from dinas.admin import keanggotaan, organisation, pemda  # noqa: F401  (register the screens)
from dinas.admin.scoped import DinasScopedAdmin, UnitChoiceField
from dinas.admin.writes import ServiceWritesMixin

__all__ = ["DinasScopedAdmin", "ServiceWritesMixin", "UnitChoiceField"]
