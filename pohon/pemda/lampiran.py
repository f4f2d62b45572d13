"""The supporting agencies of an approved Pemda tree, frozen with its approval (issue 13 item 7):
the signed Pemda cascade prints these rows whatever the agencies rename, move or unlink later."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PemdaDukunganLampiran(models.Model):
    """``baris``: one dict per printed row (``pohon.pemda.dukungan.DukunganBaris``); ``tahun``:
    the year of the agencies' trees that were read."""

    pengesahan = models.OneToOneField(
        "pohon.Pengesahan", on_delete=models.PROTECT, related_name="pemda_dukungan", verbose_name=_("pengesahan")
    )
    tahun = models.PositiveSmallIntegerField(_("tahun pohon perangkat daerah"))
    baris = models.JSONField(_("baris"), default=list, blank=True)

    class Meta:
        app_label = "pohon"
        verbose_name = _("lampiran perangkat daerah pendukung")
        verbose_name_plural = _("lampiran perangkat daerah pendukung")

    def __str__(self) -> str:
        return f"{self.pengesahan} ({len(self.baris)})"
