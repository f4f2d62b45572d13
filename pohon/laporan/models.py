"""An issued report (the quarterly report, the Laporan Kinerja): the signed document and, frozen
with it, everything it prints (``isi``, built by ``pohon.laporan.isi``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dinas.models import PerangkatDaerah


class LaporanTerbit(models.Model):
    """One issued report. ``isi`` is the report's content as it was when issued: the PDF is rendered
    from it once, in the background, signed, and never made again."""

    class Jenis(models.TextChoices):
        TRIWULAN = "triwulan", _("Laporan kinerja triwulan")
        KINERJA = "kinerja", _("Laporan Kinerja (LKj)")

    class Ttd(models.TextChoices):
        MENUNGGU = "menunggu", _("Sedang ditandatangani")
        SELESAI = "selesai", _("Ditandatangani")
        GAGAL = "gagal", _("Penandatanganan gagal")

    dokumen = models.OneToOneField(
        "pohon.Dokumen", on_delete=models.PROTECT, related_name="laporan", verbose_name=_("dokumen")
    )
    jenis = models.CharField(_("jenis laporan"), max_length=20, choices=Jenis.choices)
    dinas = models.ForeignKey(
        PerangkatDaerah, on_delete=models.PROTECT, related_name="laporan_terbit", verbose_name=_("Perangkat Daerah")
    )
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    triwulan = models.PositiveSmallIntegerField(_("triwulan"), null=True, blank=True)
    isi = models.JSONField(_("isi laporan"), default=dict)
    diterbitkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("diterbitkan oleh")
    )
    diterbitkan_pada = models.DateTimeField(_("diterbitkan pada"), default=timezone.now)
    ttd_status = models.CharField(_("penandatanganan"), max_length=20, choices=Ttd.choices, default=Ttd.MENUNGGU)
    ttd_galat = models.TextField(_("galat penandatanganan"), blank=True)

    class Meta:
        app_label = "pohon"
        verbose_name = _("laporan terbit")
        verbose_name_plural = _("laporan terbit")
        ordering = ["-diterbitkan_pada", "-id"]
        indexes = [models.Index(fields=["dinas", "tahun", "jenis"], name="laporan_terbit_dinas_tahun")]

    def __str__(self) -> str:
        return self.dokumen.judul
