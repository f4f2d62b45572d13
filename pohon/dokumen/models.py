"""An issued document, frozen when it is issued: its kind, what it is, the agency's and Pemda's
names, place and date, its signers (each in the role they sign in) and its signed files.

Everything a document prints is copied here, so that renaming the agency, the Pemda or an
official afterwards changes nothing the document or its verification page shows."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dinas.models import Pejabat, PerangkatDaerah
from dinas.nip import nip_format


class Dokumen(models.Model):
    """One issued document. Its verification token is what the printed QR code carries."""

    class Jenis(models.TextChoices):
        # A new kind is one more choice here and one entry in pohon.dokumen.render.RENDERERS.
        KASKADE = "kaskade", _("Pohon kinerja (cascading)")
        PERJANJIAN_KINERJA = "perjanjian_kinerja", _("Perjanjian Kinerja")
        LAPORAN_TRIWULAN = "laporan_triwulan", _("Laporan kinerja triwulan")
        LAPORAN_KINERJA = "laporan_kinerja", _("Laporan Kinerja (LKj)")

    jenis = models.CharField(_("jenis dokumen"), max_length=30, choices=Jenis.choices)
    token = models.CharField(_("token verifikasi"), max_length=64, unique=True)
    judul = models.CharField(_("judul"), max_length=500)
    dinas = models.ForeignKey(
        PerangkatDaerah,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dokumen",
        verbose_name=_("Perangkat Daerah"),
    )
    dinas_nama = models.CharField(_("nama Perangkat Daerah"), max_length=200)
    pemda_nama = models.CharField(_("nama Pemda"), max_length=200)
    tempat = models.CharField(_("tempat"), max_length=80)
    tanggal = models.DateField(_("tanggal dokumen"))
    diterbitkan_pada = models.DateTimeField(_("diterbitkan pada"), default=timezone.now)
    # A document that a later one replaces (a Perubahan PK replacing the Murni) stays verifiable;
    # its verification page names the replacement.
    diganti_oleh = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="menggantikan",
        verbose_name=_("diganti oleh"),
    )

    class Meta:
        app_label = "pohon"
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["-diterbitkan_pada", "-id"]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()}: {self.judul}"

    @property
    def penandatangan_utama(self) -> "Penandatangan | None":
        """The first signer (the only one of a cascade; pihak pertama of an agreement)."""
        signers = list(self.penandatangan.all())  # uses a prefetch when there is one
        return signers[0] if signers else None


class Penandatangan(models.Model):
    """One signer of a document, frozen as printed: name, NIP, jabatan (with Plt./Plh./Pj.),
    pangkat and status. ``pejabat`` only links back to the official while the record exists."""

    class Peran(models.TextChoices):
        PENANDATANGAN = "penandatangan", _("Penandatangan")
        PIHAK_PERTAMA = "pihak_pertama", _("Pihak Pertama")
        PIHAK_KEDUA = "pihak_kedua", _("Pihak Kedua")

    dokumen = models.ForeignKey(
        Dokumen, on_delete=models.CASCADE, related_name="penandatangan", verbose_name=_("dokumen")
    )
    peran = models.CharField(_("peran"), max_length=20, choices=Peran.choices, default=Peran.PENANDATANGAN)
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=1)
    pejabat = models.ForeignKey(
        Pejabat,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="penandatanganan",
        verbose_name=_("pejabat"),
    )
    nama = models.CharField(_("nama"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=32, blank=True)  # a Kepala Daerah signs without one
    jabatan = models.CharField(_("jabatan (tertulis)"), max_length=250)
    pangkat = models.CharField(_("pangkat/golongan"), max_length=100, blank=True)
    status = models.CharField(
        _("status jabatan"), max_length=10, choices=Pejabat.Status.choices, default=Pejabat.Status.DEFINITIF
    )

    class Meta:
        app_label = "pohon"
        verbose_name = _("penandatangan")
        verbose_name_plural = _("penandatangan")
        ordering = ["dokumen", "urutan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dokumen", "urutan"], name="penandatangan_unique_urutan"),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.jabatan})"

    @property
    def nip_display(self) -> str:
        return nip_format(self.nip) if self.nip else ""

    @property
    def status_prefix(self) -> str:
        return Pejabat.STATUS_PREFIX.get(self.status, "")


class DokumenTerbit(models.Model):
    """A signed PDF of an issued document for one paper size, kept byte for byte: a second
    download returns the same bytes, and its SHA-256 is what the verification page compares."""

    class Kertas(models.TextChoices):
        F4 = "F4", "F4 (215 x 330 mm)"
        A4 = "A4", "A4"
        A3 = "A3", "A3"

    dokumen = models.ForeignKey(Dokumen, on_delete=models.PROTECT, related_name="berkas", verbose_name=_("dokumen"))
    kertas = models.CharField(_("kertas"), max_length=2, choices=Kertas.choices, default=Kertas.F4)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    ukuran = models.PositiveIntegerField(_("ukuran (byte)"))
    halaman = models.PositiveIntegerField(_("jumlah halaman"))
    dibuat_pada = models.DateTimeField(_("diterbitkan"), default=timezone.now)

    class Meta:
        app_label = "pohon"
        verbose_name = _("dokumen terbit")
        verbose_name_plural = _("dokumen terbit")
        constraints = [
            models.UniqueConstraint(fields=["dokumen", "kertas"], name="dokumen_unique_per_kertas"),
        ]

    def __str__(self) -> str:
        return f"{self.dokumen.judul} {self.kertas} {self.sha256[:12]}"
