import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Pekerjaan(models.Model):
    """One piece of background work (render and sign, a draft PDF, an import): who asked for
    what, its state and progress, its limits, its error, and its result file.

    ``kunci`` names what is being made: while a job with the same key waits or runs, a second
    request joins it instead of starting another (two users asking for the same document get the
    same document). ``dinas_id`` is the agency the job belongs to, as a plain number: ``core``
    knows no app; the app that shows the job checks the user's rights there."""

    class Status(models.TextChoices):
        ANTRI = "antri", _("Menunggu giliran")
        BERJALAN = "berjalan", _("Sedang dikerjakan")
        SELESAI = "selesai", _("Selesai")
        GAGAL = "gagal", _("Gagal")

    ACTIVE = (Status.ANTRI, Status.BERJALAN)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    jenis = models.CharField(_("jenis"), max_length=60)
    judul = models.CharField(_("judul"), max_length=300)
    kunci = models.CharField(_("kunci"), max_length=200, blank=True, db_index=True)
    dinas_id = models.PositiveBigIntegerField(_("id Perangkat Daerah"), null=True, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("diminta oleh")
    )
    user_nama = models.CharField(_("nama peminta"), max_length=150, blank=True)
    parameter = models.JSONField(_("parameter"), default=dict, blank=True)
    masukan = models.BinaryField(_("berkas masukan"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ANTRI)
    progres = models.PositiveSmallIntegerField(_("progres (%)"), default=0)
    langkah = models.CharField(_("langkah"), max_length=300, blank=True)
    galat = models.TextField(_("galat"), blank=True)
    hasil = models.BinaryField(_("berkas hasil"), null=True, blank=True)
    hasil_nama = models.CharField(_("nama berkas hasil"), max_length=200, blank=True)
    hasil_tipe = models.CharField(_("tipe berkas hasil"), max_length=100, blank=True)
    hasil_data = models.JSONField(_("ringkasan hasil"), default=dict, blank=True)
    batas_detik = models.PositiveIntegerField(_("batas waktu (detik)"))
    batas_memori_mb = models.PositiveIntegerField(_("batas memori (MB)"))
    dibuat_pada = models.DateTimeField(_("dibuat"), default=timezone.now)
    mulai_pada = models.DateTimeField(_("mulai"), null=True, blank=True)
    selesai_pada = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("pekerjaan latar belakang")
        verbose_name_plural = _("pekerjaan latar belakang")
        ordering = ["-dibuat_pada"]
        constraints = [
            models.UniqueConstraint(
                fields=["kunci"],
                condition=Q(status__in=["antri", "berjalan"]) & ~Q(kunci=""),
                name="pekerjaan_one_active_per_kunci",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.judul} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("pekerjaan", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def status_url(self) -> str:
        return reverse("pekerjaan", args=[self.pk]) + "?bagian=1"

    @property
    def download_url(self) -> str:
        return reverse("pekerjaan_unduh", args=[self.pk])

    @property
    def has_file(self) -> bool:
        return self.status == self.Status.SELESAI and bool(self.hasil_nama)


class DetakPekerja(models.Model):
    """A worker's heartbeat: the health endpoint takes the workers as alive while one of them
    wrote here recently."""

    worker_id = models.CharField(_("pekerja"), max_length=64, unique=True)
    host = models.CharField(_("mesin"), max_length=200, blank=True)
    pid = models.PositiveIntegerField(_("pid"))
    terakhir = models.DateTimeField(_("detak terakhir"), default=timezone.now)

    class Meta:
        verbose_name = _("detak pekerja")
        verbose_name_plural = _("detak pekerja")

    def __str__(self) -> str:
        return f"{self.worker_id} {self.terakhir:%Y-%m-%d %H:%M:%S}"


class UnggahanSementara(models.Model):
    """An uploaded spreadsheet waiting between its preview and its confirmation (core.uploads).
    In the database, not on a local disk, so that any app server can take the confirmation."""

    id = models.CharField(primary_key=True, max_length=64, editable=False)
    jenis = models.CharField(_("jenis impor"), max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("pengunggah"))
    nama_berkas = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    parameter = models.JSONField(_("parameter"), default=dict, blank=True)
    data = models.BinaryField(_("isi berkas"))
    dibuat_pada = models.DateTimeField(_("diunggah"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("unggahan sementara")
        verbose_name_plural = _("unggahan sementara")

    def __str__(self) -> str:
        return f"{self.jenis} {self.nama_berkas}"
