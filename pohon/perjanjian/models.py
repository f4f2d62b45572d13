"""A Perjanjian Kinerja and its lines.

A PK belongs to an agency, a year and a unit, and names the approved tree revision it was made
from. Its lines (``PerjanjianBaris``) are the tree's content as it was when the PK was
generated from that approved (frozen) revision, each with the node's lasting key
(``Node.kunci``), never its row id. The officials are linked while the PK is a draft; approval
copies them, the place and the date into the issued document (``Dokumen``, ``Penandatangan``),
from which the PDF is rendered: renaming an official afterwards changes nothing signed.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import TextLengthValidator
from dinas.models import Pejabat, PerangkatDaerah, UnitKerja
from pohon.langkah import LangkahAlur
from pohon.limits import CATATAN_MAX_LENGTH, URAIAN_MAX_LENGTH
from pohon.money import rupiah
from pohon.targets import SATUAN_MAX_LENGTH


class PerjanjianKinerja(models.Model):
    """One official's agreement for one year (Murni, or a Perubahan replacing an earlier one)."""

    class Tingkat(models.TextChoices):
        """The level of the position, which decides what the PK lists (DOMAIN.md, step 3)."""

        JPT = "jpt", _("JPT (Kepala Perangkat Daerah)")
        ADMINISTRATOR = "administrator", _("Administrator (Kepala Bidang, Sekretaris)")
        PENGAWAS = "pengawas", _("Pengawas (Kepala Seksi, Kepala Subbagian)")

    class Jenis(models.TextChoices):
        MURNI = "murni", _("Murni")
        PERUBAHAN = "perubahan", _("Perubahan")

    class Status(models.TextChoices):
        DRAF = "draf", _("Draf")
        DIAJUKAN = "diajukan", _("Diajukan")
        DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")
        DISETUJUI = "disetujui", _("Disetujui")

    class Ttd(models.TextChoices):
        """The signing of an approved PK, done by a background job after the approval commits."""

        BELUM = "", _("Belum disetujui")
        MENUNGGU = "menunggu", _("Sedang ditandatangani")
        SELESAI = "selesai", _("Ditandatangani")
        GAGAL = "gagal", _("Penandatanganan gagal")

    dinas = models.ForeignKey(
        PerangkatDaerah, on_delete=models.PROTECT, related_name="perjanjian", verbose_name=_("Perangkat Daerah")
    )
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    unit = models.ForeignKey(
        UnitKerja, on_delete=models.PROTECT, related_name="perjanjian", verbose_name=_("unit kerja")
    )
    pohon = models.ForeignKey(
        "pohon.Pohon",
        on_delete=models.PROTECT,
        related_name="perjanjian",
        verbose_name=_("pohon kinerja"),
        help_text=_("Revisi pohon kinerja yang disetujui, sumber isi perjanjian ini."),
    )
    tingkat = models.CharField(_("tingkat jabatan"), max_length=20, choices=Tingkat.choices)
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis.choices, default=Jenis.MURNI)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAF)
    pihak_pertama = models.ForeignKey(
        Pejabat, on_delete=models.PROTECT, related_name="perjanjian_pertama", verbose_name=_("pihak pertama")
    )
    pihak_kedua = models.ForeignKey(
        Pejabat, on_delete=models.PROTECT, related_name="perjanjian_kedua", verbose_name=_("pihak kedua")
    )
    # Frozen at generation, from the approved tree: the unit's name as the tree showed it and the
    # JUMLAH row (the tree's own roll-up for the unit; None when nothing of the unit has a Pagu).
    unit_nama = models.CharField(_("nama unit kerja"), max_length=200)
    jumlah_pagu = models.DecimalField(_("jumlah Pagu"), max_digits=18, decimal_places=0, null=True, blank=True)
    # A digest of the lines: a new approved revision makes a Perubahan only where it differs.
    sidik_isi = models.CharField(_("sidik isi"), max_length=64)
    menggantikan = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pengganti",
        verbose_name=_("menggantikan"),
        help_text=_("Perjanjian sebelumnya (Murni atau Perubahan) yang digantikan perjanjian ini."),
    )
    # The note of the last return, shown on the PK while it is being corrected.
    catatan = models.TextField(
        _("catatan pengembalian"),
        blank=True,
        max_length=CATATAN_MAX_LENGTH,
        validators=[TextLengthValidator(CATATAN_MAX_LENGTH, _("Catatan"))],
    )
    dokumen = models.OneToOneField(
        "pohon.Dokumen",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="perjanjian",
        verbose_name=_("dokumen"),
    )
    ttd_status = models.CharField(_("penandatanganan"), max_length=20, choices=Ttd.choices, default="", blank=True)
    ttd_galat = models.TextField(_("galat penandatanganan"), blank=True)
    dibuat_pada = models.DateTimeField(_("dibuat pada"), default=timezone.now)

    class Meta:
        app_label = "pohon"
        verbose_name = _("Perjanjian Kinerja")
        verbose_name_plural = _("Perjanjian Kinerja")
        ordering = ["dinas", "tahun", "unit__urutan", "unit_id", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pohon", "unit"],
                name="perjanjian_unique_per_pohon_unit",
                violation_error_message=_("Unit ini sudah memiliki Perjanjian Kinerja dari revisi pohon yang sama."),
            ),
        ]

    def __str__(self) -> str:
        return f"PK {self.get_jenis_display()} {self.tahun} {self.unit_nama}"

    def get_absolute_url(self) -> str:
        return reverse("pohon:perjanjian_detail", args=[self.dinas.kode, self.tahun, self.pk])

    @property
    def is_editable(self) -> bool:
        """Submittable: a draft, or returned with a note."""
        return self.status in (self.Status.DRAF, self.Status.DIKEMBALIKAN)

    @property
    def is_replaced(self) -> bool:
        return hasattr(self, "pengganti") and self.pengganti is not None

    @property
    def jumlah_pagu_display(self) -> str:
        return rupiah(self.jumlah_pagu) or "-"

    @property
    def status_display(self) -> str:
        """An approved PK shows "Disetujui" only once its document is signed."""
        if self.status == self.Status.DISETUJUI and self.ttd_status in (self.Ttd.MENUNGGU, self.Ttd.GAGAL):
            return str(self.Ttd(self.ttd_status).label)
        return self.get_status_display()

    @property
    def status_css(self) -> str:
        if self.status == self.Status.DISETUJUI and self.ttd_status in (self.Ttd.MENUNGGU, self.Ttd.GAGAL):
            return f"ttd-{self.ttd_status}"
        return self.status


class PerjanjianBaris(models.Model):
    """One line of a PK's tables, frozen: the node's lasting key and what the PK prints of it.

    Table ``kinerja``: a Sasaran (``jenis`` sasaran) followed by its Indikator (target, satuan).
    Table ``anggaran``: a Program / Kegiatan / Sub Kegiatan with its Pagu; ``tingkat`` indents a
    Kegiatan under its Program (Administrator) or a Sub Kegiatan under its Kegiatan (Pengawas)."""

    class Tabel(models.TextChoices):
        KINERJA = "kinerja", _("Sasaran dan Indikator")
        ANGGARAN = "anggaran", _("Program dan anggaran")

    perjanjian = models.ForeignKey(
        PerjanjianKinerja, on_delete=models.CASCADE, related_name="baris", verbose_name=_("perjanjian")
    )
    tabel = models.CharField(_("tabel"), max_length=10, choices=Tabel.choices)
    urutan = models.PositiveIntegerField(_("urutan"))
    tingkat = models.PositiveSmallIntegerField(_("tingkat"), default=0)
    kunci = models.UUIDField(_("kunci butir"))
    jenis = models.CharField(_("jenis butir"), max_length=20)
    kode = models.CharField(_("kode"), max_length=40, blank=True)
    uraian = models.TextField(
        _("uraian"), max_length=URAIAN_MAX_LENGTH, validators=[TextLengthValidator(URAIAN_MAX_LENGTH, _("Uraian"))]
    )
    target = models.CharField(_("target"), max_length=120, blank=True)  # as printed: "85,5", "WTP"
    satuan = models.CharField(_("satuan"), max_length=SATUAN_MAX_LENGTH, blank=True)
    pagu = models.DecimalField(_("pagu"), max_digits=18, decimal_places=0, null=True, blank=True)

    class Meta:
        app_label = "pohon"
        verbose_name = _("baris Perjanjian Kinerja")
        verbose_name_plural = _("baris Perjanjian Kinerja")
        ordering = ["perjanjian", "tabel", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["perjanjian", "tabel", "urutan"], name="perjanjianbaris_unique_urutan"),
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.uraian[:80]}"

    @property
    def pagu_display(self) -> str:
        return rupiah(self.pagu)

    @property
    def target_satuan(self) -> str:
        return f"{self.target} {self.satuan}".strip() if self.target else ""


class PerjanjianRiwayat(LangkahAlur):
    """One step of a PK's agreement: who did what, when, with which note."""

    class Aksi(models.TextChoices):
        BUAT = "buat", _("Dibuat dari pohon kinerja")
        AJUKAN = "ajukan", _("Diajukan")
        KEMBALIKAN = "kembalikan", _("Dikembalikan")
        SETUJUI = "setujui", _("Disetujui")

    perjanjian = models.ForeignKey(
        PerjanjianKinerja, on_delete=models.CASCADE, related_name="riwayat", verbose_name=_("perjanjian")
    )
    aksi = models.CharField(_("aksi"), max_length=20, choices=Aksi.choices)
    status_sesudah = models.CharField(_("status sesudah"), max_length=20, choices=PerjanjianKinerja.Status.choices)

    class Meta(LangkahAlur.Meta):
        app_label = "pohon"
        verbose_name = _("riwayat Perjanjian Kinerja")
        verbose_name_plural = _("riwayat Perjanjian Kinerja")

    def __str__(self) -> str:
        return f"{self.perjanjian_id} {self.get_aksi_display()} {self.user_nama}"
