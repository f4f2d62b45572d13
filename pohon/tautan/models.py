from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import TextLengthValidator
from dinas.models import Pemda, PerangkatDaerah, UnitKerja
from pohon.silang.models import SILANG_TEKS_MAX_LENGTH, PermintaanTautan

TAUTAN_TEKS_MAX_LENGTH = SILANG_TEKS_MAX_LENGTH


class TautanPemda(PermintaanTautan):
    """One link: the agency's node (``dinas_kunci`` in ``dinas``'s tree of ``tahun``) supports the
    Pemda node ``pemda_kunci`` of the Pemda tree owned by ``pemda_dinas`` whose period starts in
    ``pemda_tahun`` (``Pohon.tahun`` of a Pemda tree; ``tahun`` lies in that period). A link Bappeda
    sends has no agency node until the agency accepts. A refused or withdrawn link stays as a record
    (and in both trees' history) but no longer stands."""

    class Arah(models.TextChoices):
        USULAN = "usulan", _("Usulan Perangkat Daerah")  # the agency proposes; Bappeda answers
        KIRIMAN = "kiriman", _("Kiriman Bappeda")  # Bappeda sends; the agency answers

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="tautan", verbose_name=_("Pemda"))
    pemda_dinas = models.ForeignKey(
        PerangkatDaerah,
        on_delete=models.PROTECT,
        related_name="tautan_pemda_masuk",
        verbose_name=_("pemilik pohon Pemda"),
    )
    pemda_tahun = models.PositiveSmallIntegerField(_("tahun awal periode"))
    pemda_kunci = models.UUIDField(_("kunci butir Pemda"))
    # What the nodes were called when the link was last touched: shown when a node is gone.
    pemda_kode = models.CharField(_("kode butir Pemda"), max_length=40, blank=True)
    pemda_uraian = models.TextField(_("uraian butir Pemda"), blank=True)
    pemda_jenis = models.CharField(_("jenis butir Pemda"), max_length=20, blank=True)
    dinas = models.ForeignKey(
        PerangkatDaerah,
        on_delete=models.PROTECT,
        related_name="tautan_pemda_keluar",
        verbose_name=_("Perangkat Daerah"),
    )
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    dinas_kunci = models.UUIDField(_("kunci butir Perangkat Daerah"), null=True, blank=True)
    dinas_kode = models.CharField(_("kode butir Perangkat Daerah"), max_length=40, blank=True)
    dinas_uraian = models.TextField(_("uraian butir Perangkat Daerah"), blank=True)
    dinas_jenis = models.CharField(_("jenis butir Perangkat Daerah"), max_length=20, blank=True)
    # The unit answering for the agency's node (its own or the nearest above): its operator may
    # propose and withdraw for it.
    dinas_unit = models.ForeignKey(
        UnitKerja,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tautan_pemda",
        verbose_name=_("unit kerja"),
    )
    arah = models.CharField(_("diajukan oleh"), max_length=20, choices=Arah.choices)
    catatan = models.TextField(
        _("catatan"),
        blank=True,
        max_length=TAUTAN_TEKS_MAX_LENGTH,
        validators=[TextLengthValidator(TAUTAN_TEKS_MAX_LENGTH, _("Catatan"))],
    )
    diminta_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("diajukan oleh"),
    )  # fmt: skip
    diminta_nama = models.CharField(_("nama pengaju"), max_length=150, blank=True)
    diminta_pada = models.DateTimeField(_("diajukan pada"), default=timezone.now)

    class Meta:
        verbose_name = _("tautan ke Pemda")
        verbose_name_plural = _("tautan ke Pemda")
        ordering = ["-diminta_pada", "-id"]
        indexes = [
            models.Index(fields=["dinas", "tahun", "dinas_kunci"], name="tautan_dinas"),
            models.Index(fields=["pemda_dinas", "pemda_tahun", "pemda_kunci"], name="tautan_pemda"),
            models.Index(fields=["pemda", "status"], name="tautan_pemda_status"),
        ]

    def __str__(self) -> str:
        return f"{self.dinas.kode} {self.tahun} {self.dinas_kode} -> {self.pemda_kode} ({self.status})"

    def clean(self) -> None:
        super().clean()
        if self.status == self.Status.DISETUJUI and self.dinas_kunci is None:
            raise ValidationError({"dinas_kunci": _("Tautan yang disetujui harus menautkan satu butir.")})
        if self.arah == self.Arah.USULAN and self.dinas_kunci is None:
            raise ValidationError({"dinas_kunci": _("Usulan tautan harus menyebut butir Perangkat Daerah.")})
