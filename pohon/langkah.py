"""The workflow step shared by the documents that go through one (a tree, a Perjanjian Kinerja)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import TextLengthValidator
from pohon.limits import CATATAN_MAX_LENGTH


class LangkahAlur(models.Model):
    """One step of a document's workflow (a tree's, a Perjanjian Kinerja's): who, when, with which
    note; the kinds of step and the status they lead to are the document's own."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("pengguna")
    )
    user_nama = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    catatan = models.TextField(
        _("catatan"),
        blank=True,
        max_length=CATATAN_MAX_LENGTH,
        validators=[TextLengthValidator(CATATAN_MAX_LENGTH, _("Catatan"))],
    )
    waktu = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["waktu", "id"]

    def record_by(self, user, *, catatan: str = "", at=None) -> "LangkahAlur":
        """Fill who and when, check and save this step."""
        from pohon.history import user_label

        self.user = user
        self.user_nama = user_label(user)
        self.catatan = catatan.strip()
        self.waktu = at or timezone.now()
        self.full_clean()
        self.save()
        return self
