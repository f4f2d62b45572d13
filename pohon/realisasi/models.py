"""The quarterly reporting of an agency's approved tree: quarterly targets and how quarters
combine, reporting windows, realisation of Indikator and of budget, the unit's quarterly report
with its verification, and the history of all of it.

Everything refers to a node by (agency, tahun, ``Node.kunci``), never by row id: a Perubahan
revision copies the tree with new rows and the same keys, so the year's reports stay attached.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import TextLengthValidator
from dinas.models import Pemda, PerangkatDaerah, UnitKerja
from pohon.realisasi.capaian import BATAS_HIJAU, BATAS_KUNING, BATAS_PERIKSA, Aturan
from pohon.targets import TARGET_DECIMAL_PLACES, TARGET_MAX_DIGITS, TARGET_TEKS_MAX_LENGTH, target_display

CATATAN_MAX_LENGTH = 2000
TRIWULAN_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]
TRIWULAN_LABELS = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}


def _catatan_field(label: str) -> models.TextField:
    return models.TextField(
        label,
        blank=True,
        max_length=CATATAN_MAX_LENGTH,
        validators=[TextLengthValidator(CATATAN_MAX_LENGTH, str(label).capitalize())],
    )


class PengaturanCapaian(models.Model):
    """A Pemda's colour bands of capaian (>= hijau green, >= kuning yellow, else red) and the
    bound above which a capaian is marked for checking."""

    pemda = models.OneToOneField(
        Pemda, on_delete=models.CASCADE, related_name="pengaturan_capaian", verbose_name=_("Pemerintah Daerah")
    )
    batas_hijau = models.DecimalField(_("batas hijau (%)"), max_digits=5, decimal_places=2, default=BATAS_HIJAU)
    batas_kuning = models.DecimalField(_("batas kuning (%)"), max_digits=5, decimal_places=2, default=BATAS_KUNING)
    batas_periksa = models.DecimalField(
        _("batas perlu diperiksa (%)"), max_digits=6, decimal_places=2, default=BATAS_PERIKSA
    )

    class Meta:
        verbose_name = _("pengaturan capaian")
        verbose_name_plural = _("pengaturan capaian")

    def __str__(self) -> str:
        return f"{self.pemda} ({self.batas_kuning}/{self.batas_hijau})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.batas_kuning is not None and self.batas_hijau is not None and self.batas_kuning > self.batas_hijau:
            raise ValidationError({"batas_kuning": _("Batas kuning tidak boleh di atas batas hijau.")})


class RencanaIndikator(models.Model):
    """How an Indikator's quarters combine, and its qualitative scale (label -> score)."""

    dinas = models.ForeignKey(PerangkatDaerah, on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    kunci = models.UUIDField(_("kunci butir"))
    aturan = models.CharField(_("aturan triwulan"), max_length=20, choices=Aturan.choices, default=Aturan.NILAI_AKHIR)
    # [["WTP", 4], ["WDP", 3], ...]; empty: the BPK opinion scale (capaian.SKALA_OPINI_BPK).
    skala = models.JSONField(_("skala kualitatif"), default=list, blank=True)

    class Meta:
        verbose_name = _("rencana triwulan indikator")
        verbose_name_plural = _("rencana triwulan indikator")
        constraints = [
            models.UniqueConstraint(fields=["dinas", "tahun", "kunci"], name="rencana_indikator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dinas_id} {self.tahun} {self.kunci} {self.aturan}"


class TargetTriwulan(models.Model):
    """An Indikator's target for one quarter: a number or a qualitative text, never both."""

    dinas = models.ForeignKey(PerangkatDaerah, on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    kunci = models.UUIDField(_("kunci butir"))
    triwulan = models.PositiveSmallIntegerField(_("triwulan"), validators=TRIWULAN_VALIDATORS)
    target_angka = models.DecimalField(
        _("target (angka)"), max_digits=TARGET_MAX_DIGITS, decimal_places=TARGET_DECIMAL_PLACES, null=True, blank=True
    )
    target_teks = models.CharField(_("target (teks)"), max_length=TARGET_TEKS_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("target triwulan")
        verbose_name_plural = _("target triwulan")
        constraints = [
            models.UniqueConstraint(fields=["dinas", "tahun", "kunci", "triwulan"], name="target_triwulan_unique"),
        ]

    def __str__(self) -> str:
        return f"{TRIWULAN_LABELS.get(self.triwulan)} {self.target_display}"

    @property
    def target_display(self) -> str:
        return target_display(self.target_angka, self.target_teks)

    @property
    def target(self):
        return self.target_angka if self.target_angka is not None else (self.target_teks or None)


class JendelaPelaporan(models.Model):
    """The period in which a Pemda's agencies enter one quarter's realisation: open from
    ``mulai`` to ``selesai`` (dates, inclusive, Asia/Jakarta) unless closed early. A window that
    has closed is locked; reopening it names who, when and why."""

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="jendela_pelaporan")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    triwulan = models.PositiveSmallIntegerField(_("triwulan"), validators=TRIWULAN_VALIDATORS)
    mulai = models.DateField(_("mulai"))
    selesai = models.DateField(_("selesai"))
    ditutup = models.BooleanField(_("ditutup"), default=False)
    dibuka_ulang_oleh = models.CharField(_("dibuka ulang oleh"), max_length=150, blank=True)
    dibuka_ulang_pada = models.DateTimeField(_("dibuka ulang pada"), null=True, blank=True)
    alasan_buka_ulang = _catatan_field(_("alasan dibuka ulang"))

    class Meta:
        verbose_name = _("jendela pelaporan")
        verbose_name_plural = _("jendela pelaporan")
        ordering = ["pemda", "tahun", "triwulan"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "tahun", "triwulan"],
                name="jendela_unique",
                violation_error_message=_("Jendela pelaporan triwulan ini sudah ada."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pemda} {self.tahun} {TRIWULAN_LABELS.get(self.triwulan)}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.mulai and self.selesai and self.selesai < self.mulai:
            raise ValidationError({"selesai": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.ditutup and self.mulai <= today <= self.selesai

    @property
    def triwulan_label(self) -> str:
        return TRIWULAN_LABELS[self.triwulan]


class LaporanTriwulan(models.Model):
    """One unit's report of one quarter (of its Indikator and budget lines): submitted by its
    operator, verified (then frozen) or returned by the Kepala Dinas. ``unit`` None stands for
    the nodes no unit owns (reported by an Admin)."""

    class Status(models.TextChoices):
        DRAF = "draf", _("Draf")
        DIAJUKAN = "diajukan", _("Diajukan")
        DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")
        DIVERIFIKASI = "diverifikasi", _("Diverifikasi")

    dinas = models.ForeignKey(PerangkatDaerah, on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    triwulan = models.PositiveSmallIntegerField(_("triwulan"), validators=TRIWULAN_VALIDATORS)
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAF)
    catatan = _catatan_field(_("catatan verifikasi"))
    diajukan_oleh = models.CharField(_("diajukan oleh"), max_length=150, blank=True)
    diajukan_pada = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    diverifikasi_oleh = models.CharField(_("diverifikasi oleh"), max_length=150, blank=True)
    diverifikasi_pada = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("laporan triwulan")
        verbose_name_plural = _("laporan triwulan")
        constraints = [
            models.UniqueConstraint(fields=["dinas", "tahun", "triwulan", "unit"], name="laporan_triwulan_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dinas_id} {self.tahun} {TRIWULAN_LABELS.get(self.triwulan)} {self.unit_id} {self.status}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAF, self.Status.DIKEMBALIKAN)


class Realisasi(models.Model):
    """What an Indikator achieved in one quarter (a number, or a value of its qualitative scale),
    with the notes the LKj asks for."""

    dinas = models.ForeignKey(PerangkatDaerah, on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    triwulan = models.PositiveSmallIntegerField(_("triwulan"), validators=TRIWULAN_VALIDATORS)
    kunci = models.UUIDField(_("kunci butir"))
    realisasi_angka = models.DecimalField(
        _("realisasi (angka)"),
        max_digits=TARGET_MAX_DIGITS,
        decimal_places=TARGET_DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    realisasi_teks = models.CharField(_("realisasi (teks)"), max_length=TARGET_TEKS_MAX_LENGTH, blank=True)
    pendukung = _catatan_field(_("faktor pendukung"))
    penghambat = _catatan_field(_("faktor penghambat"))
    tindak_lanjut = _catatan_field(_("tindak lanjut"))
    diubah_oleh = models.CharField(_("diubah oleh"), max_length=150, blank=True)
    diubah_pada = models.DateTimeField(_("diubah pada"), default=timezone.now)

    class Meta:
        verbose_name = _("realisasi indikator")
        verbose_name_plural = _("realisasi indikator")
        constraints = [
            models.UniqueConstraint(fields=["dinas", "tahun", "triwulan", "kunci"], name="realisasi_unique"),
        ]

    def __str__(self) -> str:
        return f"{TRIWULAN_LABELS.get(self.triwulan)} {self.realisasi_display}"

    @property
    def realisasi_display(self) -> str:
        return target_display(self.realisasi_angka, self.realisasi_teks)

    @property
    def nilai(self):
        return self.realisasi_angka if self.realisasi_angka is not None else (self.realisasi_teks or None)


class RealisasiAnggaran(models.Model):
    """The budget a Program, Kegiatan or Sub Kegiatan spent in one quarter (that quarter's own
    spending, whole Rupiah). ``melebihi_pagu`` records that the operator confirmed an amount
    that takes the year's spending above the Pagu."""

    dinas = models.ForeignKey(PerangkatDaerah, on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    triwulan = models.PositiveSmallIntegerField(_("triwulan"), validators=TRIWULAN_VALIDATORS)
    kunci = models.UUIDField(_("kunci butir"))
    jumlah = models.DecimalField(
        _("realisasi anggaran"), max_digits=18, decimal_places=0, validators=[MinValueValidator(0)]
    )
    melebihi_pagu = models.BooleanField(_("melebihi Pagu (dikonfirmasi)"), default=False)
    diubah_oleh = models.CharField(_("diubah oleh"), max_length=150, blank=True)
    diubah_pada = models.DateTimeField(_("diubah pada"), default=timezone.now)

    class Meta:
        verbose_name = _("realisasi anggaran")
        verbose_name_plural = _("realisasi anggaran")
        constraints = [
            models.UniqueConstraint(fields=["dinas", "tahun", "triwulan", "kunci"], name="realisasi_anggaran_unique"),
        ]

    def __str__(self) -> str:
        return f"{TRIWULAN_LABELS.get(self.triwulan)} {self.jumlah}"


class RealisasiRiwayat(models.Model):
    """One change of the quarterly reporting: who, when, what (``objek``: a node's target or
    realisation, a unit's report, a window) and its values before and after, as plain JSON."""

    class Objek(models.TextChoices):
        RENCANA = "rencana", _("Target triwulan")
        REALISASI = "realisasi", _("Realisasi indikator")
        ANGGARAN = "anggaran", _("Realisasi anggaran")
        LAPORAN = "laporan", _("Laporan triwulan")
        JENDELA = "jendela", _("Jendela pelaporan")

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="+")
    dinas = models.ForeignKey(PerangkatDaerah, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    triwulan = models.PositiveSmallIntegerField(_("triwulan"), null=True, blank=True)
    kunci = models.UUIDField(_("kunci butir"), null=True, blank=True)
    kode = models.CharField(_("kode"), max_length=40, blank=True)
    objek = models.CharField(_("objek"), max_length=20, choices=Objek.choices)
    aksi = models.CharField(_("aksi"), max_length=30)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    user_nama = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    waktu = models.DateTimeField(_("waktu"), default=timezone.now)
    sebelum = models.JSONField(_("sebelum"), default=dict, blank=True)
    sesudah = models.JSONField(_("sesudah"), default=dict, blank=True)
    catatan = _catatan_field(_("catatan"))
    peristiwa = models.UUIDField(_("peristiwa"), default=uuid.uuid4, editable=False, db_index=True)

    class Meta:
        verbose_name = _("riwayat realisasi")
        verbose_name_plural = _("riwayat realisasi")
        ordering = ["waktu", "id"]
        indexes = [models.Index(fields=["dinas", "tahun", "waktu"], name="realisasi_riwayat_waktu")]

    def __str__(self) -> str:
        return f"{self.objek} {self.aksi} {self.kode} {self.user_nama}"
