import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from core.validators import TextLengthValidator
from dinas.models import PerangkatDaerah, UnitKerja
from pohon import rules
from pohon.langkah import LangkahAlur
from pohon.limits import URAIAN_MAX_LENGTH
from pohon.money import PAGU_MAX_DIGITS, rupiah
from pohon.targets import (
    SATUAN_MAX_LENGTH,
    TARGET_DECIMAL_PLACES,
    TARGET_MAX_DIGITS,
    TARGET_TEKS_MAX_LENGTH,
    Arah,
    arah_label,
    target_display,
    target_number_check,
    target_with_satuan,
)


class PohonQuerySet(models.QuerySet):
    def for_dinas(self, dinas: PerangkatDaerah | str) -> "PohonQuerySet":
        if isinstance(dinas, str):
            return self.filter(dinas__kode=dinas)
        return self.filter(dinas=dinas)

    def for_tahun(self, tahun: int) -> "PohonQuerySet":
        return self.filter(tahun=tahun)


class Pohon(models.Model):
    """The performance tree of one agency for one year (and, later, one revision)."""

    class Status(models.TextChoices):
        DRAF = "draf", _("Draf")
        DIAJUKAN = "diajukan", _("Diajukan")
        DISETUJUI = "disetujui", _("Disetujui")
        DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")

    dinas = models.ForeignKey(
        PerangkatDaerah, on_delete=models.PROTECT, related_name="pohon", verbose_name=_("Perangkat Daerah")
    )
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    revisi = models.PositiveSmallIntegerField(
        _("revisi"), default=0, help_text=_("0 untuk pohon awal; 1, 2, ... untuk Perubahan.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAF)
    # A Pemda tree (its owner ``dinas`` is of jenis pemda) covers an RPJMD period: ``tahun`` is
    # its first year, ``tahun_akhir`` its last. An agency's tree covers one year: None.
    tahun_akhir = models.PositiveSmallIntegerField(
        _("tahun akhir periode"),
        null=True,
        blank=True,
        help_text=_("Hanya untuk pohon kinerja Pemda: tahun terakhir periode RPJMD (contoh: 2018 untuk 2014-2018)."),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = PohonQuerySet.as_manager()

    class Meta:
        verbose_name = _("pohon kinerja")
        verbose_name_plural = _("pohon kinerja")
        ordering = ["dinas__nama", "-tahun", "-revisi"]
        constraints = [
            models.UniqueConstraint(
                fields=["dinas", "tahun", "revisi"],
                name="pohon_unique_per_dinas_tahun",
                violation_error_message=_("Perangkat Daerah ini sudah memiliki pohon kinerja untuk tahun tersebut."),
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.dinas.kode} {self.periode_display}"
        if self.revisi:
            label += f" Perubahan {self.revisi}"
        return label

    def clean(self) -> None:
        if self.dinas_id is None:
            return
        if self.dinas.is_pemda:
            if self.tahun_akhir is None:
                raise ValidationError({"tahun_akhir": _("Pohon kinerja Pemda memerlukan tahun akhir periode RPJMD.")})
            if not self.tahun <= self.tahun_akhir <= self.tahun + 9:
                raise ValidationError(
                    {"tahun_akhir": _("Periode RPJMD harus 1 sampai 10 tahun, dari tahun awal sampai tahun akhir.")}
                )
        elif self.tahun_akhir is not None:
            raise ValidationError({"tahun_akhir": _("Hanya pohon kinerja Pemda yang memiliki periode.")})

    def chart_url(self) -> str:
        return self.page_url("pohon:chart")

    @property
    def is_pemda(self) -> bool:
        """The Pemda's own tree (RPJMD), not an agency's."""
        return self.dinas.is_pemda

    @property
    def pemilik(self) -> str:
        """The owner kind the rule table is keyed by (``rules.PEMILIK_DINAS`` or ``PEMILIK_PEMDA``)."""
        return rules.PEMILIK_PEMDA if self.is_pemda else rules.PEMILIK_DINAS

    @property
    def periode(self) -> range:
        """The years the tree covers: one for an agency's, the RPJMD period for the Pemda's."""
        return range(self.tahun, (self.tahun_akhir or self.tahun) + 1)

    @property
    def periode_display(self) -> str:
        """``2018``, or ``2014-2018`` for a Pemda tree."""
        return f"{self.tahun}-{self.tahun_akhir}" if self.tahun_akhir else str(self.tahun)

    def page_url(self, name: str, **query: object) -> str:
        """The URL of one of this tree's pages (``pohon:chart``, ``pohon:riwayat``, ...), naming
        the revision unless it is the first, plus ``query``."""
        url = reverse(name, args=[self.dinas.kode, self.tahun])
        params = {**({"revisi": self.revisi} if self.revisi else {}), **query}
        return f"{url}?{urlencode(params)}" if params else url

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAF, self.Status.DIKEMBALIKAN)

    @property
    def signing_pending(self) -> str:
        """For an approved tree whose signed documents are not all there yet, why not
        (``Pengesahan.Ttd`` menunggu or gagal); "" otherwise."""
        if self.status != self.Status.DISETUJUI:
            return ""
        pengesahan = getattr(self, "pengesahan", None)
        if pengesahan is None or pengesahan.ttd_status == Pengesahan.Ttd.SELESAI:
            return ""
        return pengesahan.ttd_status

    @property
    def status_display(self) -> str:
        """The status people see: an approved tree shows as "Disetujui" only once its documents
        are signed; before that "Sedang ditandatangani", or "Penandatanganan gagal"."""
        pending = self.signing_pending
        return str(Pengesahan.Ttd(pending).label) if pending else self.get_status_display()

    @property
    def status_css(self) -> str:
        pending = self.signing_pending
        return f"ttd-{pending}" if pending else self.status


class NodeQuerySet(TreeQuerySet):
    def visible(self) -> "NodeQuerySet":
        """Every node but the hidden root of each tree."""
        return self.exclude(jenis=rules.AKAR)


kode_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._/\-]*$",
    _("Kode hanya boleh berisi huruf, angka, titik, garis miring, garis bawah dan tanda hubung."),
)


def node_values_errors(
    *, jenis: str, pagu: Decimal | None, target_angka: Decimal | None, target_teks: str, satuan: str, arah: str
) -> dict[str, list[str]]:
    """The kind rules of a node's own values: Pagu only on a budgeted kind (Program, Kegiatan,
    Sub Kegiatan), in whole Rupiah and not negative; target, satuan and arah only on a measured
    kind (an Indikator), the target a number or a text, not both. ``Node.clean`` applies them,
    and the tree import checks each row's cells with them without building a Node."""
    errors: dict[str, list[str]] = {}
    if pagu is not None:
        if jenis not in rules.BUDGETED:
            errors["pagu"] = [
                _("%(jenis)s tidak memiliki Pagu; Pagu hanya untuk Program, Kegiatan dan Sub Kegiatan.")
                % {"jenis": rules.jenis_label(jenis)}
            ]
        elif pagu != pagu.to_integral_value() or pagu < 0:
            errors["pagu"] = [_("Pagu harus Rupiah utuh dan tidak negatif.")]
    has_target = target_angka is not None or bool(target_teks)
    if (has_target or satuan or arah) and jenis not in rules.MEASURED:
        field = "target" if has_target else "satuan" if satuan else "arah"
        errors[field] = [
            _("Target, Satuan dan Arah hanya untuk Indikator, bukan %(jenis)s.") % {"jenis": rules.jenis_label(jenis)}
        ]
    elif target_angka is not None and target_teks:
        errors["target"] = [_("Target berupa angka atau teks, tidak keduanya.")]
    return errors


class Node(MPTTModel):
    """One box or line of the cascade: a Tujuan, Sasaran, Bidang, Seksi, Program, Kegiatan,
    Sub Kegiatan or Indikator. Each tree also has one hidden root (jenis ``akar``) so that a
    tree is a single django-mptt tree: its writes never shift another agency's rows."""

    class Jenis(models.TextChoices):
        AKAR = rules.AKAR, rules.JENIS_LABELS[rules.AKAR]
        TUJUAN = rules.TUJUAN, rules.JENIS_LABELS[rules.TUJUAN]
        SASARAN = rules.SASARAN, rules.JENIS_LABELS[rules.SASARAN]
        BIDANG = rules.BIDANG, rules.JENIS_LABELS[rules.BIDANG]
        SEKSI = rules.SEKSI, rules.JENIS_LABELS[rules.SEKSI]
        PROGRAM = rules.PROGRAM, rules.JENIS_LABELS[rules.PROGRAM]
        KEGIATAN = rules.KEGIATAN, rules.JENIS_LABELS[rules.KEGIATAN]
        SUB_KEGIATAN = rules.SUB_KEGIATAN, rules.JENIS_LABELS[rules.SUB_KEGIATAN]
        INDIKATOR = rules.INDIKATOR, rules.JENIS_LABELS[rules.INDIKATOR]
        VISI = rules.VISI, rules.JENIS_LABELS[rules.VISI]
        MISI = rules.MISI, rules.JENIS_LABELS[rules.MISI]
        TUJUAN_PEMDA = rules.TUJUAN_PEMDA, rules.JENIS_LABELS[rules.TUJUAN_PEMDA]
        SASARAN_PEMDA = rules.SASARAN_PEMDA, rules.JENIS_LABELS[rules.SASARAN_PEMDA]
        TEMATIK = rules.TEMATIK, rules.JENIS_LABELS[rules.TEMATIK]
        SUB_TEMATIK = rules.SUB_TEMATIK, rules.JENIS_LABELS[rules.SUB_TEMATIK]

    Arah = Arah  # an Indikator's direction (pohon.targets), as Node.Arah beside Node.Jenis

    pohon = models.ForeignKey(Pohon, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("pohon"))
    parent = TreeForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices)
    kode = models.CharField(_("kode"), max_length=40, blank=True, validators=[kode_validator])
    uraian = models.TextField(
        _("uraian"),
        max_length=URAIAN_MAX_LENGTH,
        validators=[TextLengthValidator(URAIAN_MAX_LENGTH, _("Uraian"))],
    )
    unit = models.ForeignKey(
        UnitKerja,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nodes",
        verbose_name=_("unit kerja"),
    )
    pagu = models.DecimalField(
        _("pagu"),
        max_digits=PAGU_MAX_DIGITS,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # An Indikator's target: a number (with its satuan) or a qualitative text, never both; see
    # pohon.targets for how typed targets are read and shown.
    target_angka = models.DecimalField(
        _("target (angka)"),
        max_digits=TARGET_MAX_DIGITS,
        decimal_places=TARGET_DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=[target_number_check],
    )
    target_teks = models.CharField(_("target (teks)"), max_length=TARGET_TEKS_MAX_LENGTH, blank=True)
    satuan = models.CharField(_("satuan"), max_length=SATUAN_MAX_LENGTH, blank=True)
    arah = models.CharField(
        _("arah"),
        max_length=10,
        choices=Arah.choices,
        blank=True,
        help_text=_("Hanya untuk Indikator: naik (makin tinggi makin baik), turun, atau tetap."),
    )
    versi = models.PositiveIntegerField(
        _("versi"), default=1, help_text=_("Naik pada setiap perubahan; menolak suntingan dari halaman yang usang.")
    )
    # The node's lasting identity: carried unchanged into the next revision, the next year, an
    # export and re-import and a restore after deletion, while kode and the row id may change.
    # Whatever points at a node from outside its tree points at this.
    kunci = models.UUIDField(_("kunci"), default=uuid.uuid4, editable=False)

    objects = NodeQuerySet.as_manager()

    class MPTTMeta:
        order_insertion_by: list[str] = []

    class Meta:
        verbose_name = _("butir")
        verbose_name_plural = _("butir pohon")
        indexes = [
            # django-mptt does not create this index itself (upstream issue #682); every tree
            # read is "one tree in lft order".
            models.Index(fields=["tree_id", "lft"], name="pohon_node_tree_lft"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pohon", "kode"],
                name="node_unique_kode_per_pohon",
                violation_error_message=_("Kode ini sudah dipakai oleh butir lain di pohon yang sama."),
            ),
            models.UniqueConstraint(
                fields=["pohon", "kunci"],
                name="node_unique_kunci_per_pohon",
                violation_error_message=_("Kunci ini sudah dipakai oleh butir lain di pohon yang sama."),
            ),
        ]

    def __str__(self) -> str:
        if self.jenis == rules.AKAR:
            return str(_("Pohon %(pohon)s") % {"pohon": self.pohon})
        return f"{self.kode} {self.uraian[:80]}"

    @property
    def is_root(self) -> bool:
        return self.jenis == rules.AKAR

    @property
    def jenis_label(self) -> str:
        return rules.jenis_label(self.jenis)

    @property
    def pagu_display(self) -> str:
        return rupiah(self.pagu)

    @property
    def has_target(self) -> bool:
        return self.target_angka is not None or bool(self.target_teks)

    @property
    def target_display(self) -> str:
        """``85,5``, ``1.250``, ``WTP``; "" without a target."""
        return target_display(self.target_angka, self.target_teks)

    @property
    def target_satuan_display(self) -> str:
        """``85,5 %``: the target with its satuan."""
        return target_with_satuan(self.target_angka, self.target_teks, self.satuan)

    @property
    def arah_label(self) -> str:
        return arah_label(self.arah)

    @property
    def pemilik(self) -> str:
        """The owner kind of the node's tree, which the rule table is keyed by."""
        return self.pohon.pemilik if self.pohon_id is not None else rules.PEMILIK_DINAS

    def can_exist_under(self, parent: "Node") -> bool:
        return rules.jenis_allowed_under(self.jenis, parent.jenis, self.pemilik)

    def validate_parent(self, parent: "Node | None") -> None:
        """Raise ValidationError (Indonesian, naming both kinds) when ``parent`` may not hold self."""
        if self.jenis == rules.AKAR:
            if parent is not None:
                raise ValidationError({"parent": _("Akar pohon tidak boleh memiliki induk.")})
            return
        if parent is None:
            raise ValidationError({"parent": _("Setiap butir harus berada di dalam pohon (induk kosong).")})
        if self.pohon_id is not None and parent.pohon_id != self.pohon_id:
            raise ValidationError({"parent": _("Induk harus berada di pohon yang sama.")})
        if not self.can_exist_under(parent):
            raise ValidationError({"parent": rules.refusal_message(self.jenis, parent.jenis, self.pemilik)})

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.jenis != rules.AKAR:
            if not self.kode:
                errors.setdefault("kode", []).append(_("Kode wajib diisi."))
            if not (self.uraian or "").strip():
                errors.setdefault("uraian", []).append(_("Uraian wajib diisi."))
        for field, messages in node_values_errors(
            jenis=self.jenis,
            pagu=self.pagu,
            target_angka=self.target_angka,
            target_teks=self.target_teks,
            satuan=self.satuan,
            arah=self.arah,
        ).items():
            errors.setdefault(field, []).extend(messages)
        if self.unit_id is not None and self.pohon_id is not None and self.unit.dinas_id != self.pohon.dinas_id:
            errors.setdefault("unit", []).append(_("Unit kerja harus dari Perangkat Daerah pemilik pohon."))
        if errors:
            raise ValidationError(errors)
        self.validate_parent(self.parent)

    def get_absolute_url(self) -> str:
        return reverse("admin:pohon_node_change", args=[self.pk])


class PohonRiwayat(LangkahAlur):
    """One step of a tree's workflow: who did what, when, with which note."""

    class Aksi(models.TextChoices):
        AJUKAN = "ajukan", _("Diajukan")
        KEMBALIKAN = "kembalikan", _("Dikembalikan")
        SETUJUI = "setujui", _("Disetujui")
        PERUBAHAN = "perubahan", _("Perubahan dibuat")

    pohon = models.ForeignKey(Pohon, on_delete=models.CASCADE, related_name="riwayat", verbose_name=_("pohon"))
    aksi = models.CharField(_("aksi"), max_length=20, choices=Aksi.choices)
    status_sebelum = models.CharField(_("status sebelum"), max_length=20, choices=Pohon.Status.choices)
    status_sesudah = models.CharField(_("status sesudah"), max_length=20, choices=Pohon.Status.choices)

    class Meta(LangkahAlur.Meta):
        verbose_name = _("riwayat pohon")
        verbose_name_plural = _("riwayat pohon")

    def __str__(self) -> str:
        return f"{self.pohon} {self.get_aksi_display()} {self.user_nama}"


class NodeRiwayat(models.Model):
    """One change of one node (or, for an import or a copy, of a whole tree), written by the
    services themselves: signals would miss the bulk writes of import and copy and would record
    django-mptt's lft/rght shuffles as noise. ``node_id`` is a plain number because the node may
    be gone; ``kunci`` is the node's lasting key (``Node.kunci``; None for a whole-tree entry), which
    a restored node keeps, so one node's history is selected by it. A ``hapus`` entry keeps the
    whole deleted subtree in ``sebelum`` so it can be restored."""

    class Aksi(models.TextChoices):
        BUAT = "buat", _("Dibuat")
        UBAH = "ubah", _("Diubah")
        PINDAH = "pindah", _("Dipindahkan")
        HAPUS = "hapus", _("Dihapus")
        IMPOR = "impor", _("Diimpor")
        SALIN = "salin", _("Disalin")
        PULIHKAN = "pulihkan", _("Dipulihkan")
        SILANG = "silang", _("Crosscutting")
        TAUTAN = "tautan", _("Tautan Pemda")

    pohon = models.ForeignKey(Pohon, on_delete=models.CASCADE, related_name="node_riwayat", verbose_name=_("pohon"))
    node_id = models.PositiveBigIntegerField(_("id node"), null=True, blank=True, db_index=True)
    kunci = models.UUIDField(_("kunci node"), null=True, blank=True, db_index=True)
    kode = models.CharField(_("kode"), max_length=40, blank=True)
    aksi = models.CharField(_("aksi"), max_length=20, choices=Aksi.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("pengguna")
    )
    user_nama = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    waktu = models.DateTimeField(_("waktu"), default=timezone.now)
    sebelum = models.JSONField(_("sebelum"), default=dict, blank=True)
    sesudah = models.JSONField(_("sesudah"), default=dict, blank=True)
    # The event the entry belongs to: every entry one action wrote (an import, a demo load, one
    # request) shares it, and the history page shows one line per event (pohon.history).
    peristiwa = models.UUIDField(_("peristiwa"), default=uuid.uuid4, editable=False, db_index=True)

    class Meta:
        verbose_name = _("riwayat butir")
        verbose_name_plural = _("riwayat butir")
        ordering = ["waktu", "id"]
        indexes = [models.Index(fields=["pohon", "waktu"], name="pohon_noderiwayat_waktu")]

    def __str__(self) -> str:
        return f"{self.pohon_id} {self.kode} {self.get_aksi_display()} {self.user_nama}"


class Pengesahan(models.Model):
    """The approval of one revision, frozen: what the tree prints beyond its nodes (the head's
    title and the name of every unit its nodes name) and the issued document (``dokumen``: the
    agency's and Pemda's names, place, date, the signer and the verification token). Never
    changed after approval, but for ``ttd_status``: the documents of every paper size are
    rendered and signed by a background job after the approval commits; until they all exist
    the tree shows "Sedang ditandatangani"."""

    class Ttd(models.TextChoices):
        MENUNGGU = "menunggu", _("Sedang ditandatangani")
        SELESAI = "selesai", _("Ditandatangani")
        GAGAL = "gagal", _("Penandatanganan gagal")

    pohon = models.OneToOneField(Pohon, on_delete=models.PROTECT, related_name="pengesahan", verbose_name=_("pohon"))
    dokumen = models.OneToOneField(
        "pohon.Dokumen", on_delete=models.PROTECT, related_name="pengesahan", verbose_name=_("dokumen")
    )
    disetujui_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("disetujui oleh"),
    )
    disetujui_pada = models.DateTimeField(_("waktu persetujuan"))
    kepala_judul = models.CharField(_("judul kotak Kepala"), max_length=500)
    unit_nama = models.JSONField(
        _("nama unit kerja"), default=dict, blank=True, help_text=_("Nama setiap unit kerja pohon saat disetujui.")
    )
    ttd_status = models.CharField(_("penandatanganan"), max_length=20, choices=Ttd.choices, default=Ttd.MENUNGGU)
    ttd_galat = models.TextField(_("galat penandatanganan"), blank=True)

    class Meta:
        verbose_name = _("pengesahan")
        verbose_name_plural = _("pengesahan")

    def __str__(self) -> str:
        return f"{self.pohon} ({self.dokumen.tanggal:%d-%m-%Y})"

    @property
    def token(self) -> str:
        return self.dokumen.token

    @property
    def penandatangan(self):
        """The official who signed, as printed (``pohon.dokumen.models.Penandatangan``)."""
        return self.dokumen.penandatangan_utama


# Django looks for the app's models in this module only: the models that live with their own
# concern elsewhere in pohon/ are imported here, last, so that this module's models exist before
# those packages import them.
from pohon.pemda.models import TargetTahunan  # noqa: E402, F401, I001  (before demo, whose services import it)
from pohon.demo.models import DataContoh, DemoAccount  # noqa: E402, F401
from pohon.dokumen.models import Dokumen, DokumenTerbit, Penandatangan  # noqa: E402, F401
from pohon.laporan.models import LaporanTerbit  # noqa: E402, F401
from pohon.perjanjian.models import PerjanjianBaris, PerjanjianKinerja, PerjanjianRiwayat  # noqa: E402, F401
from pohon.realisasi.models import (  # noqa: E402, F401
    JendelaPelaporan,
    LaporanTriwulan,
    PengaturanCapaian,
    Realisasi,
    RealisasiAnggaran,
    RealisasiRiwayat,
    RencanaIndikator,
    TargetTriwulan,
)
from pohon.silang.models import Silang, SilangLampiran  # noqa: E402, F401
from pohon.tautan.models import TautanPemda  # noqa: E402, F401
from pohon.pemda.lampiran import PemdaDukunganLampiran  # noqa: E402, F401
