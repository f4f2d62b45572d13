from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import TextLengthValidator
from dinas.models import Pemda, PerangkatDaerah, UnitKerja
from pohon.silang.models import MENUNGGU_BATAS, SILANG_TEKS_MAX_LENGTH

TAUTAN_TEKS_MAX_LENGTH = SILANG_TEKS_MAX_LENGTH


class TautanPemda(models.Model):
    """One link: the agency's node (``dinas_kunci`` in ``dinas``'s tree of ``tahun``) supports the
    Pemda node ``pemda_kunci`` of the Pemda tree owned by ``pemda_dinas`` whose period starts in
    ``pemda_tahun`` (``Pohon.tahun`` of a Pemda tree; ``tahun`` lies in that period). A link Bappeda
    sends has no agency node until the agency accepts. A refused or withdrawn link stays as a record
    (and in both trees' history) but no longer stands."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu")
        DISETUJUI = "disetujui", _("Disetujui")
        DITOLAK = "ditolak", _("Ditolak")
        DITARIK = "ditarik", _("Ditarik")

    class Arah(models.TextChoices):
        USULAN = "usulan", _("Usulan Perangkat Daerah")  # the agency proposes; Bappeda answers
        KIRIMAN = "kiriman", _("Kiriman Bappeda")  # Bappeda sends; the agency answers

    STANDING = (Status.MENUNGGU, Status.DISETUJUI)

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
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.MENUNGGU)
    catatan = models.TextField(
        _("catatan"),
        blank=True,
        max_length=TAUTAN_TEKS_MAX_LENGTH,
        validators=[TextLengthValidator(TAUTAN_TEKS_MAX_LENGTH, _("Catatan"))],
    )
    alasan = models.TextField(
        _("alasan penolakan atau penarikan"),
        blank=True,
        max_length=TAUTAN_TEKS_MAX_LENGTH,
        validators=[TextLengthValidator(TAUTAN_TEKS_MAX_LENGTH, _("Alasan"))],
    )
    diminta_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("diajukan oleh"),
    )  # fmt: skip
    diminta_nama = models.CharField(_("nama pengaju"), max_length=150, blank=True)
    diminta_pada = models.DateTimeField(_("diajukan pada"), default=timezone.now)
    dijawab_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("dijawab oleh"),
    )  # fmt: skip
    dijawab_nama = models.CharField(_("nama penjawab"), max_length=150, blank=True)
    dijawab_pada = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    ditarik_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ditarik oleh"),
    )  # fmt: skip
    ditarik_nama = models.CharField(_("nama penarik"), max_length=150, blank=True)
    ditarik_pada = models.DateTimeField(_("ditarik pada"), null=True, blank=True)

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
        if self.status == self.Status.DITOLAK and not self.alasan.strip():
            raise ValidationError({"alasan": _("Tuliskan alasan penolakan.")})
        if self.status == self.Status.DISETUJUI and self.dinas_kunci is None:
            raise ValidationError({"dinas_kunci": _("Tautan yang disetujui harus menautkan satu butir.")})
        if self.arah == self.Arah.USULAN and self.dinas_kunci is None:
            raise ValidationError({"dinas_kunci": _("Usulan tautan harus menyebut butir Perangkat Daerah.")})

    @property
    def is_standing(self) -> bool:
        return self.status in self.STANDING

    def is_late(self, now=None) -> bool:
        """Waiting longer than ``MENUNGGU_BATAS`` (as crosscutting): a finding of the checks."""
        return self.status == self.Status.MENUNGGU and (now or timezone.now()) - self.diminta_pada > MENUNGGU_BATAS
