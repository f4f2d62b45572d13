from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dinas.nip import nip_format, nip_normalize, nip_validate


class Pemda(models.Model):
    """A regional government (Kabupaten, Kota or Provinsi): it owns its agencies, and its
    Kepala Daerah (an official, ``Pejabat.pemda``) is the pihak kedua of a Kepala Dinas's PK."""

    class Jenis(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        PROVINSI = "provinsi", _("Provinsi")

    class PenyetujuPohon(models.TextChoices):
        """Who signs the Pemda's own tree (RPJMD) when it is approved."""

        KEPALA_BAPPEDA = "kepala_bappeda", _("Kepala Bappeda")
        KEPALA_DAERAH = "kepala_daerah", _("Kepala Daerah")

    # The Kepala Daerah's title by the kind of Pemda (Bupati, Wali Kota, Gubernur).
    JABATAN_KEPALA = {Jenis.KABUPATEN: "Bupati", Jenis.KOTA: "Wali Kota", Jenis.PROVINSI: "Gubernur"}

    kode = models.SlugField(_("kode"), max_length=50, unique=True, help_text=_("Contoh: kabupaten-lumajang"))
    nama = models.CharField(_("nama"), max_length=120, unique=True, help_text=_("Contoh: Kabupaten Lumajang"))
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis.choices)
    tempat = models.CharField(
        _("tempat penandatanganan"),
        max_length=80,
        help_text=_("Nama tempat pada blok tanda tangan dokumen, contoh: Lumajang"),
    )
    # Who agrees the Kepala Dinas's Perjanjian Kinerja for the Kepala Daerah, who has no account:
    # by default the Kepala Dinas approves it on the Pemda's behalf once the Kepala Daerah has agreed
    # (as most Pemda do on paper); a Pemda that wants another eye turns it off, and then only an
    # Admin of the agency approves it.
    pk_disetujui_kepala_dinas = models.BooleanField(
        _("Kepala Dinas menyetujui PK-nya atas nama Kepala Daerah"),
        default=True,
        help_text=_(
            "Bila dicentang, Kepala Dinas menyetujui Perjanjian Kinerja tingkat JPT atas nama Kepala Daerah; "
            "bila tidak, hanya Admin Perangkat Daerah yang dapat menyetujuinya."
        ),
    )
    penyetuju_pohon = models.CharField(
        _("penyetuju pohon kinerja Pemda"),
        max_length=20,
        choices=PenyetujuPohon.choices,
        default=PenyetujuPohon.KEPALA_BAPPEDA,
        help_text=_("Pejabat yang menandatangani pohon kinerja Pemda (RPJMD) saat disetujui."),
    )

    class Meta:
        verbose_name = _("Pemerintah Daerah")
        verbose_name_plural = _("Pemerintah Daerah")
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama

    @property
    def jabatan_kepala(self) -> str:
        """The Kepala Daerah's jabatan: "Bupati", "Wali Kota" or "Gubernur"."""
        return self.JABATAN_KEPALA.get(self.jenis, "")


class PerangkatDaerahQuerySet(models.QuerySet):
    def agencies(self) -> "PerangkatDaerahQuerySet":
        """The agencies proper, without any Pemda's planning owner record (``jenis`` pemda)."""
        return self.filter(jenis=PerangkatDaerah.Jenis.DINAS)

    def pemda_owners(self) -> "PerangkatDaerahQuerySet":
        return self.filter(jenis=PerangkatDaerah.Jenis.PEMDA)


class PerangkatDaerahManager(models.Manager.from_queryset(PerangkatDaerahQuerySet)):
    def get_queryset(self) -> models.QuerySet:
        # An agency prints as "nama Pemda" (lists, filters, choices): its Pemda comes along in
        # the same query instead of one query per agency.
        return super().get_queryset().select_related("pemda")


class PerangkatDaerah(models.Model):
    """A regional government agency (Dinas, Badan); Pokin serves many in one installation.

    One record per Pemda is of ``jenis`` pemda: the owner of the Pemda's own tree (RPJMD), so
    that the tree machinery (trees per owner and year, roles by ``Keanggotaan``, units and the
    signing official) serves the Pemda tree unchanged. It is made by
    ``dinas.services.pemda_pemilik_ensure`` and left out wherever agencies are meant
    (``PerangkatDaerah.objects.agencies()``)."""

    class Jenis(models.TextChoices):
        DINAS = "dinas", _("Perangkat Daerah")
        PEMDA = "pemda", _("Pemda (pemilik pohon kinerja Pemda)")

    kode = models.SlugField(_("kode"), max_length=50, unique=True, help_text=_("Contoh: dpmd-lumajang"))
    nama = models.CharField(_("nama"), max_length=200)
    # Printed as the Pemda's name wherever a template or f-string shows ``dinas.pemda``.
    pemda = models.ForeignKey(
        Pemda, on_delete=models.PROTECT, related_name="perangkat_daerah", verbose_name=_("Pemerintah Daerah")
    )
    tempat = models.CharField(
        _("tempat penandatanganan"),
        max_length=80,
        blank=True,
        help_text=_("Nama tempat pada blok tanda tangan, contoh: Lumajang"),
    )
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis.choices, default=Jenis.DINAS, editable=False)

    objects = PerangkatDaerahManager()

    class Meta:
        verbose_name = _("Perangkat Daerah")
        verbose_name_plural = _("Perangkat Daerah")
        ordering = ["nama"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda"],
                condition=models.Q(jenis="pemda"),
                name="perangkatdaerah_one_pemda_owner",
                violation_error_message=_("Pemda ini sudah memiliki pemilik pohon kinerja Pemda."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama} {self.pemda}"

    @property
    def is_pemda(self) -> bool:
        """The Pemda's own planning record (owner of the Pemda tree), not an agency."""
        return self.jenis == self.Jenis.PEMDA

    @property
    def pemda_nama(self) -> str:
        """The Pemda's name as documents print it ("Kabupaten Lumajang")."""
        return self.pemda.nama

    @property
    def tempat_dokumen(self) -> str:
        """The place a signature block names: the agency's own, else its Pemda's."""
        return self.tempat or self.pemda.tempat


class UnitKerja(models.Model):
    """An organisational unit of an agency: the head, a division or a section."""

    class Jenis(models.TextChoices):
        KEPALA = "kepala", _("Kepala Dinas")
        BIDANG = "bidang", _("Bidang")
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        SEKSI = "seksi", _("Seksi")
        SUBBAGIAN = "subbagian", _("Subbagian")

    dinas = models.ForeignKey(
        PerangkatDaerah, on_delete=models.CASCADE, related_name="units", verbose_name=_("Perangkat Daerah")
    )
    kode = models.SlugField(_("kode"), max_length=50)
    nama = models.CharField(_("nama"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("unit induk"),
    )
    urutan = models.PositiveIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["dinas", "urutan", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dinas", "kode"],
                name="unitkerja_unique_kode_per_dinas",
                violation_error_message=_("Kode unit ini sudah dipakai di Perangkat Daerah yang sama."),
            ),
        ]

    def __str__(self) -> str:
        return self.nama

    def clean(self) -> None:
        if self.parent_id is not None and self.dinas_id is not None:
            if self.parent.dinas_id != self.dinas_id:
                raise ValidationError({"parent": _("Unit induk harus dari Perangkat Daerah yang sama.")})
            if self.pk is not None and self.parent_id == self.pk:
                raise ValidationError({"parent": _("Unit tidak boleh menjadi induk dirinya sendiri.")})


class Pejabat(models.Model):
    """An official holding a position (jabatan) for some years: in a unit of an agency, or as
    the Kepala Daerah of a Pemda (exactly one of ``unit`` and ``pemda``). A Kepala Daerah is
    elected, not a civil servant: no NIP is required of them, and their jabatan is the Pemda's
    (Bupati, Wali Kota, Gubernur) unless one is given."""

    class Status(models.TextChoices):
        """How the official holds the position; an acting one signs with the prefix."""

        DEFINITIF = "definitif", _("Definitif")
        PLT = "plt", _("Plt. (pelaksana tugas)")
        PLH = "plh", _("Plh. (pelaksana harian)")
        PJ = "pj", _("Pj. (penjabat)")

    STATUS_PREFIX = {Status.PLT: "Plt.", Status.PLH: "Plh.", Status.PJ: "Pj."}

    nama = models.CharField(_("nama"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=32, blank=True, validators=[nip_validate])
    jabatan = models.CharField(_("jabatan"), max_length=200, blank=True)
    status = models.CharField(_("status jabatan"), max_length=10, choices=Status.choices, default=Status.DEFINITIF)
    pangkat = models.CharField(
        _("pangkat/golongan"), max_length=100, blank=True, help_text=_("Contoh: Pembina Tingkat I, IV/b")
    )
    unit = models.ForeignKey(
        UnitKerja,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pejabat",
        verbose_name=_("unit kerja"),
    )
    pemda = models.ForeignKey(
        Pemda,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kepala_daerah",
        verbose_name=_("Kepala Daerah dari Pemda"),
        help_text=_("Hanya untuk Kepala Daerah (Bupati, Wali Kota, Gubernur); kosongkan unit kerja."),
    )
    tahun_mulai = models.PositiveSmallIntegerField(_("menjabat sejak tahun"))
    tahun_selesai = models.PositiveSmallIntegerField(_("menjabat sampai tahun"), null=True, blank=True)

    class Meta:
        verbose_name = _("pejabat")
        verbose_name_plural = _("pejabat")
        ordering = ["unit", "-tahun_mulai"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False, pemda__isnull=True)
                | models.Q(unit__isnull=True, pemda__isnull=False),
                name="pejabat_unit_xor_pemda",
                violation_error_message=_("Pejabat harus terikat pada tepat satu: unit kerja atau Pemda."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.jabatan})"

    def clean(self) -> None:
        # The field validator has accepted the spaced form; store the canonical 18 digits.
        self.nip = nip_normalize(self.nip)
        if self.unit_id is None and self.pemda_id is None:
            raise ValidationError({"unit": _("Pilih unit kerja pejabat ini, atau Pemda bila ia Kepala Daerah.")})
        if self.unit_id is not None and self.pemda_id is not None:
            raise ValidationError(
                {"pemda": _("Pejabat unit kerja tidak dapat sekaligus menjadi Kepala Daerah; pilih salah satu.")}
            )
        if self.unit_id is not None:
            if not self.nip:
                raise ValidationError({"nip": _("NIP wajib diisi untuk pejabat unit kerja.")})
            if not self.jabatan:
                raise ValidationError({"jabatan": _("Jabatan wajib diisi untuk pejabat unit kerja.")})
        elif not self.jabatan:
            self.jabatan = self.pemda.jabatan_kepala
        if self.tahun_selesai is not None and self.tahun_selesai < self.tahun_mulai:
            raise ValidationError({"tahun_selesai": _("Tahun selesai tidak boleh sebelum tahun mulai.")})

    @property
    def nip_display(self) -> str:
        return nip_format(self.nip)

    @property
    def status_prefix(self) -> str:
        """ "Plt.", "Plh.", "Pj." or "" for a definitive official."""
        return self.STATUS_PREFIX.get(self.status, "")

    @property
    def jabatan_tertulis(self) -> str:
        """The jabatan as a signature prints it: "Plt. Kepala Dinas ..." for an acting official."""
        return f"{self.status_prefix} {self.jabatan}".strip()

    @property
    def is_kepala_daerah(self) -> bool:
        return self.pemda_id is not None

    def in_office(self, tahun: int) -> bool:
        return self.tahun_mulai <= tahun and (self.tahun_selesai is None or tahun <= self.tahun_selesai)


class Keanggotaan(models.Model):
    """A user's role in one agency; an operator is bound to the unit whose branch they edit."""

    class Peran(models.TextChoices):
        OPERATOR = "operator", _("Operator")
        KEPALA_DINAS = "kepala_dinas", _("Kepala Dinas")
        ADMIN = "admin", _("Admin")
        # Only on a Pemda's owner record: edits the Pemda tree, reads every agency of the Pemda.
        BAPPEDA = "bappeda", _("Bappeda")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="keanggotaan",
        verbose_name=_("pengguna"),
    )
    dinas = models.ForeignKey(
        PerangkatDaerah, on_delete=models.CASCADE, related_name="anggota", verbose_name=_("Perangkat Daerah")
    )
    peran = models.CharField(_("peran"), max_length=20, choices=Peran.choices)
    unit = models.ForeignKey(
        UnitKerja,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="anggota",
        verbose_name=_("unit kerja"),
        help_text=_("Untuk operator: unit yang cabangnya boleh ia ubah."),
    )

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dinas", "peran"],
                name="keanggotaan_unique_peran",
                violation_error_message=_("Pengguna ini sudah memiliki peran tersebut di Perangkat Daerah ini."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_peran_display()} {self.dinas.kode}"

    def clean(self) -> None:
        if self.unit_id is not None and self.dinas_id is not None and self.unit.dinas_id != self.dinas_id:
            raise ValidationError({"unit": _("Unit kerja harus dari Perangkat Daerah yang sama.")})
        if self.peran == self.Peran.OPERATOR and self.unit_id is None:
            raise ValidationError({"unit": _("Operator harus terikat pada satu unit kerja.")})
        if self.dinas_id is not None and (self.peran == self.Peran.BAPPEDA) != self.dinas.is_pemda:
            if self.peran == self.Peran.BAPPEDA:
                raise ValidationError({"peran": _("Peran Bappeda hanya diberikan pada Pemda, bukan Perangkat Daerah.")})
            if self.peran == self.Peran.OPERATOR:
                raise ValidationError(
                    {"peran": _("Pohon kinerja Pemda diubah oleh peran Bappeda; operator hanya di Perangkat Daerah.")}
                )
