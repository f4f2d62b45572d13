import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import job_execute
from core.models import Pekerjaan
from dinas.models import Keanggotaan, PerangkatDaerah, UnitKerja
from dinas.roles import GROUP_KEPALA_DINAS, GROUP_OPERATOR, roles_ensure_groups
from pohon import rules
from pohon.demo import KEPALA_UNIT, DemoResult, SeedFormatError, demo_load, unit_of
from pohon.demo.models import DemoAccount
from pohon.demo.pemda import demo_pemda_load, demo_pemda_owner_kode
from pohon.demo.perjanjian import demo_perjanjian_load, demo_perjanjian_sign_now, demo_perjanjian_summary
from pohon.demo.realisasi import demo_2019_load
from pohon.demo.silang import demo_silang_load
from pohon.demo.tautan import demo_tautan_load
from pohon.models import Pengesahan, Pohon
from pohon.money import rupiah
from pohon.selectors import pohon_tree
from pohon.signing.dev import dev_certificate_ensure
from pohon.workflow import pohon_approve, pohon_submit

# Printed by the command on every run, so it is no secret: the accounts exist to try Pokin out.
DEMO_PASSWORD = "pokin-demo-2018"


@dataclass(frozen=True)
class DemoUser:
    username: str
    description: str
    is_superuser: bool = False
    peran: str | None = None
    unit_kode: str | None = None
    group: str | None = None
    dinas_kode: str | None = None  # the membership's record when not the demo agency (the Pemda's)


def demo_users(result: DemoResult) -> tuple[DemoUser, ...]:
    operator_unit = unit_of(result.document.divisions[0].heading)
    return (
        DemoUser("admin", _("superuser, semua Perangkat Daerah"), is_superuser=True),
        DemoUser(
            "kadis",
            _("Kepala Dinas %(dinas)s") % {"dinas": result.dinas.kode},
            peran=Keanggotaan.Peran.KEPALA_DINAS,
            unit_kode=KEPALA_UNIT,
            group=GROUP_KEPALA_DINAS,
        ),
        DemoUser(
            "operator",
            _("operator %(unit)s") % {"unit": operator_unit.nama},
            peran=Keanggotaan.Peran.OPERATOR,
            unit_kode=operator_unit.kode,
            group=GROUP_OPERATOR,
        ),
        DemoUser(
            "bappeda",
            _("Bappeda %(pemda)s, pohon kinerja Pemda 2014-2018 (data contoh)") % {"pemda": result.dinas.pemda},
            peran=Keanggotaan.Peran.BAPPEDA,
            dinas_kode=demo_pemda_owner_kode(result.dinas.pemda),
        ),
    )


def _user_ensure(spec: DemoUser, dinas: PerangkatDaerah, groups: dict[str, Group]) -> AbstractUser | None:
    """Create or reset a demo account, so that the printed login always works. A user of that name
    that this command did not create (no DemoAccount) is left exactly as it is: None."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec.username).first()
    if user is not None and not DemoAccount.objects.filter(user=user).exists():
        return None
    created = user is None
    if created:
        user = user_model(username=spec.username)
    user.is_active = True
    user.is_staff = True
    user.is_superuser = spec.is_superuser
    user.set_password(DEMO_PASSWORD)
    user.full_clean()
    user.save()
    if created:
        mark = DemoAccount(user=user)
        mark.full_clean()
        mark.save()
    user.groups.set([groups[spec.group]] if spec.group else [])
    if spec.peran:
        dinas = PerangkatDaerah.objects.get(kode=spec.dinas_kode) if spec.dinas_kode else dinas
        anggota = Keanggotaan.objects.filter(user=user, dinas=dinas, peran=spec.peran).first() or Keanggotaan(
            user=user, dinas=dinas, peran=spec.peran
        )
        anggota.unit = UnitKerja.objects.get(dinas=dinas, kode=spec.unit_kode) if spec.unit_kode else None
        anggota.full_clean()
        anggota.save()
    return user


def _demo_approve(result: DemoResult, *, operator: AbstractUser, kadis: AbstractUser) -> None:
    """As in the document: submitted by the operator and approved by the Kepala Dinas on the
    date it was signed (25 January 2018), so the signed PDF is there for a new user at once."""
    pohon = result.pohon
    pohon.refresh_from_db()
    if pohon.status == Pohon.Status.DISETUJUI:
        return
    signed_on = result.document.signature.date
    zone = timezone.get_current_timezone()
    if pohon.is_editable:
        submitted = datetime.datetime.combine(signed_on, datetime.time(8, 0), tzinfo=zone)
        pohon_submit(pohon=pohon, user=operator, catatan=_("Pengajuan pohon kinerja demo."), at=submitted)
    dev_certificate_ensure()
    approved = datetime.datetime.combine(signed_on, datetime.time(9, 0), tzinfo=zone)
    pohon_approve(pohon=pohon, user=kadis, at=approved)


def _demo_sign_now(result: DemoResult) -> None:
    """The approval queued the signing for the background worker; the demo runs it here, once
    the approval has committed, so that the signed PDF is there when the server starts."""
    for pengesahan in Pengesahan.objects.filter(pohon__dinas=result.dinas):  # 2018, and the example 2019
        for job_id in Pekerjaan.objects.filter(
            kunci=f"tandatangan:{pengesahan.pk}", status=Pekerjaan.Status.ANTRI
        ).values_list("pk", flat=True):
            job_execute(job_id=str(job_id))


class Command(BaseCommand):
    help = (
        "Muat data demo: pohon kinerja 2018 Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Lumajang, "
        "unit kerja, pejabat penandatangan dan akun demo. Aman dijalankan berulang kali."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="jalankan juga tanpa DEBUG (mis. di server uji coba); jangan di server produksi",
        )
        parser.add_argument(
            "--no-approve",
            action="store_true",
            help="biarkan pohon demo sebagai draf (tanpa persetujuan dan dokumen bertanda tangan)",
        )
        parser.add_argument(
            "--no-perjanjian", action="store_true", help="jangan buat dan tandatangani Perjanjian Kinerja demo"
        )

    def handle(self, *args, demo: bool = False, no_approve: bool = False, no_perjanjian: bool = False, **options):
        # The demo's logins have a password printed for all to read: a production server, where
        # DEBUG is off, gets them only when someone asks for them by name.
        if not (settings.DEBUG or demo):
            raise CommandError(
                _(
                    "load_demo membuat akun demo dengan kata sandi yang diketahui umum, sehingga hanya "
                    "berjalan dengan DEBUG=1 atau dengan --demo. Jangan jalankan di server produksi."
                )
            )
        try:
            with transaction.atomic():
                result = demo_load()
                demo_pemda_load(pemda=result.dinas.pemda)  # example data: the Pemda tree 2014-2018
                groups = roles_ensure_groups()
                users = demo_users(result)
                accounts = {spec.username: _user_ensure(spec, result.dinas, groups) for spec in users}
                operator, kadis = accounts["operator"], accounts["kadis"]
                approve = not no_approve and operator is not None and kadis is not None
                if approve:
                    _demo_approve(result, operator=operator, kadis=kadis)
                    demo_2019_load(source=result.pohon, operator=operator, kadis=kadis)  # example data
                pk_demo = demo_perjanjian_load(
                    result.pohon, kadis=kadis, signed_on=result.document.signature.date, issue=not no_perjanjian
                )
        except (ValidationError, SeedFormatError) as error:
            raise CommandError(_("Data demo tidak dapat dimuat: %(error)s") % {"error": error}) from error
        if approve:
            _demo_sign_now(result)
            demo_perjanjian_sign_now(result.dinas)
        demo_silang_load(result)  # example agency and crosscutting, once the seed tree is signed
        demo_tautan_load(result)  # example link: the DPMD's Tujuan supports a Sasaran Pemda (accepted)
        self._summary(result, users, accounts)  # refreshes result.pohon
        demo_perjanjian_summary(pk_demo, self.stdout.write)
        if not no_approve and not approve and result.pohon.status != Pohon.Status.DISETUJUI:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Pohon demo dibiarkan sebagai draf: persetujuannya butuh akun demo operator dan "
                        "kadis, dan salah satunya bukan akun demo."
                    )
                )
            )

    def _summary(
        self, result: DemoResult, users: tuple[DemoUser, ...], accounts: dict[str, AbstractUser | None]
    ) -> None:
        tree = pohon_tree(result.pohon)
        write = self.stdout.write
        write(_("Perangkat Daerah: %(dinas)s (%(kode)s)") % {"dinas": result.dinas, "kode": result.dinas.kode})
        state = _("dibangun dari dokumen") if result.rebuilt else _("sudah sesuai dokumen, tidak diubah")
        write(_("Pohon kinerja tahun %(tahun)s: %(state)s") % {"tahun": result.pohon.tahun, "state": state})
        per_jenis = Counter(node.jenis for node in tree.nodes)
        for jenis in rules.JENIS_LABELS:
            if per_jenis[jenis]:
                write(f"  {rules.jenis_label(jenis)}: {per_jenis[jenis]}")
        write(_("Total Pagu: %(total)s") % {"total": rupiah(tree.total_pagu)})
        write(
            _("Penandatangan: %(nama)s, NIP %(nip)s") % {"nama": result.pejabat.nama, "nip": result.pejabat.nip_display}
        )
        result.pohon.refresh_from_db()
        write(_("Status: %(status)s") % {"status": result.pohon.status_display})
        if result.pohon.status == Pohon.Status.DISETUJUI:
            pdf_path = reverse("pohon:pdf", args=[result.dinas.kode, result.pohon.tahun])
            # the site's configured address (POKIN_VERIFY_BASE_URL, else POKIN_ADDRESS), as in its QR code
            address = settings.POKIN_VERIFY_BASE_URL
            write(_("Dokumen bertanda tangan elektronik: %(address)s%(path)s") % {"address": address, "path": pdf_path})
        write("")
        write(
            self.style.WARNING(
                _(
                    "PERINGATAN: akun berikut adalah akun DEMO dengan kata sandi yang diketahui umum. "
                    "Jangan jalankan load_demo di server produksi."
                )
            )
        )
        for spec in users:
            if accounts[spec.username] is not None:
                write(f"  {spec.username} / {DEMO_PASSWORD}  ({spec.description})")
        for spec in users:
            if accounts[spec.username] is None:
                write(
                    self.style.WARNING(
                        _(
                            "PERINGATAN: pengguna %(username)s sudah ada dan tidak dibuat oleh load_demo, "
                            "jadi tidak diubah: %(username)s bukan akun demo dan kata sandi demo tidak "
                            "berlaku untuknya."
                        )
                        % {"username": spec.username}
                    )
                )
