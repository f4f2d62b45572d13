"""The yearly targets of a Pemda tree's Indikator (IKU): one per year of the RPJMD period."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from pohon.targets import (
    TARGET_DECIMAL_PLACES,
    TARGET_MAX_DIGITS,
    TARGET_TEKS_MAX_LENGTH,
    target_display,
    target_number_check,
)


class TargetTahunan(models.Model):
    """An Indikator's target for one year of its Pemda tree's period: a number or a text, as
    ``Node.target_*`` (its satuan is the Indikator's own). Keyed by the tree and the node's
    lasting key (``Node.kunci``), not the row: a Perubahan revision copies the rows with the same
    kunci, and a node deleted and restored (same kunci) finds its targets again."""

    pohon = models.ForeignKey(
        "pohon.Pohon", on_delete=models.CASCADE, related_name="target_tahunan", verbose_name=_("pohon")
    )
    kunci = models.UUIDField(_("kunci butir"))
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    target_angka = models.DecimalField(
        _("target (angka)"),
        max_digits=TARGET_MAX_DIGITS,
        decimal_places=TARGET_DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=[target_number_check],
    )
    target_teks = models.CharField(_("target (teks)"), max_length=TARGET_TEKS_MAX_LENGTH, blank=True)

    class Meta:
        app_label = "pohon"
        verbose_name = _("target tahunan")
        verbose_name_plural = _("target tahunan")
        ordering = ["pohon", "kunci", "tahun"]
        constraints = [
            models.UniqueConstraint(
                fields=["pohon", "kunci", "tahun"],
                name="targettahunan_unique_per_tahun",
                violation_error_message=_("Indikator ini sudah memiliki target untuk tahun tersebut."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tahun}: {self.display}"

    def clean(self) -> None:
        if self.target_angka is not None and self.target_teks:
            raise ValidationError({"target_teks": _("Target berupa angka atau teks, tidak keduanya.")})
        if self.pohon_id is not None and self.tahun not in self.pohon.periode:
            raise ValidationError(
                {
                    "tahun": _("Tahun %(tahun)s di luar periode %(periode)s.")
                    % {"tahun": self.tahun, "periode": self.pohon.periode_display}
                }
            )

    @property
    def display(self) -> str:
        return target_display(self.target_angka, self.target_teks)
