import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import TextLengthValidator
from dinas.models import PerangkatDaerah, UnitKerja

# A note or a reason: a few sentences, like a workflow step's note.
SILANG_TEKS_MAX_LENGTH = 2000
# A request waiting longer than this is a finding of the alignment checks.
MENUNGGU_BATAS = datetime.timedelta(days=14)


class PermintaanTautan(models.Model):
    """What a request between two trees goes through, whatever it links (crosscutting between units
    and agencies, ``Silang``; an agency's node and the Pemda's, ``pohon.tautan.TautanPemda``): it
    waits, is accepted or refused (with a reason) by the other side, or is withdrawn; who and when
    for each step. A refused or withdrawn request stays as a record but no longer stands."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu")
        DISETUJUI = "disetujui", _("Disetujui")
        DITOLAK = "ditolak", _("Ditolak")
        DITARIK = "ditarik", _("Ditarik")

    STANDING = (Status.MENUNGGU, Status.DISETUJUI)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.MENUNGGU)
    alasan = models.TextField(
        _("alasan penolakan atau penarikan"),
        blank=True,
        max_length=SILANG_TEKS_MAX_LENGTH,
        validators=[TextLengthValidator(SILANG_TEKS_MAX_LENGTH, _("Alasan"))],
    )
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
        abstract = True

    def clean(self) -> None:
        if self.status == self.Status.DITOLAK and not self.alasan.strip():
            raise ValidationError({"alasan": _("Tuliskan alasan penolakan.")})

    @property
    def is_standing(self) -> bool:
        return self.status in self.STANDING

    def is_late(self, now: datetime.datetime | None = None) -> bool:
        """Waiting longer than ``MENUNGGU_BATAS``: a finding of the alignment checks."""
        return self.status == self.Status.MENUNGGU and (now or timezone.now()) - self.diminta_pada > MENUNGGU_BATAS


class Silang(PermintaanTautan):
    """One crosscutting link: the sender's node (``pengirim_kunci`` in the sender agency's tree of
    ``tahun``) asks a unit of an agency (``penerima_unit``) for support; once accepted the
    receiver's node is ``penerima_kunci`` in that agency's tree of the same year. A withdrawn or
    refused link stays as a record (and in both trees' history) but no longer stands."""

    tahun = models.PositiveSmallIntegerField(_("tahun"))
    pengirim_dinas = models.ForeignKey(
        PerangkatDaerah,
        on_delete=models.PROTECT,
        related_name="silang_keluar",
        verbose_name=_("Perangkat Daerah pengirim"),
    )
    pengirim_unit = models.ForeignKey(
        UnitKerja,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="silang_keluar",
        verbose_name=_("unit pengirim"),
    )
    pengirim_kunci = models.UUIDField(_("kunci butir pengirim"))
    # What the node was called when the link was last touched: shown when the node is gone.
    pengirim_kode = models.CharField(_("kode butir pengirim"), max_length=40, blank=True)
    pengirim_uraian = models.TextField(_("uraian butir pengirim"), blank=True)
    penerima_dinas = models.ForeignKey(
        PerangkatDaerah,
        on_delete=models.PROTECT,
        related_name="silang_masuk",
        verbose_name=_("Perangkat Daerah penerima"),
    )
    penerima_unit = models.ForeignKey(
        UnitKerja, on_delete=models.PROTECT, related_name="silang_masuk", verbose_name=_("unit penerima")
    )
    penerima_kunci = models.UUIDField(_("kunci butir penerima"), null=True, blank=True)
    penerima_kode = models.CharField(_("kode butir penerima"), max_length=40, blank=True)
    penerima_uraian = models.TextField(_("uraian butir penerima"), blank=True)
    catatan = models.TextField(
        _("catatan permintaan"),
        max_length=SILANG_TEKS_MAX_LENGTH,
        validators=[TextLengthValidator(SILANG_TEKS_MAX_LENGTH, _("Catatan"))],
    )
    diminta_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("diminta oleh"),
    )  # fmt: skip
    diminta_nama = models.CharField(_("nama peminta"), max_length=150, blank=True)
    diminta_pada = models.DateTimeField(_("diminta pada"), default=timezone.now)

    class Meta:
        verbose_name = _("crosscutting")
        verbose_name_plural = _("crosscutting")
        ordering = ["-diminta_pada", "-id"]
        indexes = [
            models.Index(fields=["pengirim_dinas", "tahun", "pengirim_kunci"], name="silang_pengirim"),
            models.Index(fields=["penerima_dinas", "tahun", "penerima_kunci"], name="silang_penerima"),
        ]

    def __str__(self) -> str:
        return f"{self.pengirim_dinas.kode} {self.pengirim_kode} -> {self.penerima_dinas.kode} ({self.status})"

    def clean(self) -> None:
        if self.penerima_unit_id is not None and self.penerima_dinas_id is not None:
            if self.penerima_unit.dinas_id != self.penerima_dinas_id:
                raise ValidationError({"penerima_unit": _("Unit penerima harus dari Perangkat Daerah penerima.")})
            if self.penerima_dinas_id == self.pengirim_dinas_id and self.penerima_unit_id == self.pengirim_unit_id:
                raise ValidationError(
                    {"penerima_unit": _("Crosscutting diminta dari unit lain, bukan dari unit butir itu sendiri.")}
                )
        super().clean()
        if self.status == self.Status.DISETUJUI and self.penerima_kunci is None:
            raise ValidationError({"penerima_kunci": _("Crosscutting yang disetujui harus menautkan satu butir.")})


class SilangLampiran(models.Model):
    """The crosscutting annex of an approved revision, frozen with its approval: the signed
    document prints these rows (and marks these nodes) whatever happens to the links later.
    ``baris``: one dict per link (see ``pohon.silang.selectors.SilangBaris``)."""

    pengesahan = models.OneToOneField(
        "pohon.Pengesahan", on_delete=models.PROTECT, related_name="silang_lampiran", verbose_name=_("pengesahan")
    )
    baris = models.JSONField(_("baris"), default=list, blank=True)

    class Meta:
        verbose_name = _("lampiran crosscutting")
        verbose_name_plural = _("lampiran crosscutting")

    def __str__(self) -> str:
        return f"{self.pengesahan} ({len(self.baris)})"
