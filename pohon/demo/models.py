"""The demo's one table: which users ``load_demo`` created, and so may reset."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DemoAccount(models.Model):
    """A login made by ``load_demo``. The command resets the password and roles of these users on
    every run and never touches any other user, even one named like a demo login: an agency's
    own "admin" is not a demo account because of its name. Deleting the user deletes the mark."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demo_account", verbose_name=_("pengguna")
    )
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now, editable=False)

    class Meta:
        app_label = "pohon"
        verbose_name = _("akun demo")
        verbose_name_plural = _("akun demo")

    def __str__(self) -> str:
        return str(self.user)


class DataContoh(models.Model):
    """A tree whose targets, quarterly targets and realisation the demo made up (the 2019 copy of
    the seed): every dashboard and report of it says "data contoh" with ``keterangan``."""

    pohon = models.OneToOneField(
        "pohon.Pohon", on_delete=models.CASCADE, related_name="data_contoh", verbose_name=_("pohon")
    )
    keterangan = models.CharField(_("keterangan"), max_length=300)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now, editable=False)

    class Meta:
        app_label = "pohon"
        verbose_name = _("data contoh")
        verbose_name_plural = _("data contoh")

    def __str__(self) -> str:
        return str(self.pohon)
