from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from dinas.models import Keanggotaan, PerangkatDaerah, UnitKerja
from dinas.roles import GROUP_KEPALA_DINAS, GROUP_OPERATOR, roles_ensure_groups
from pohon import rules
from pohon.demo import KEPALA_UNIT, DemoResult, SeedFormatError, demo_load, unit_of
from pohon.money import rupiah
from pohon.selectors import pohon_tree

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
    )


def _user_ensure(spec: DemoUser, dinas: PerangkatDaerah, groups: dict[str, Group]) -> AbstractUser:
    """Create or reset a demo account, so that the printed login always works."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec.username).first() or user_model(username=spec.username)
    user.is_active = True
    user.is_staff = True
    user.is_superuser = spec.is_superuser
    user.set_password(DEMO_PASSWORD)
    user.full_clean()
    user.save()
    user.groups.set([groups[spec.group]] if spec.group else [])
    if spec.peran:
        anggota = Keanggotaan.objects.filter(user=user, dinas=dinas, peran=spec.peran).first() or Keanggotaan(
            user=user, dinas=dinas, peran=spec.peran
        )
        anggota.unit = UnitKerja.objects.get(dinas=dinas, kode=spec.unit_kode)
        anggota.full_clean()
        anggota.save()
    return user


class Command(BaseCommand):
    help = (
        "Muat data demo: pohon kinerja 2018 Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Lumajang, "
        "unit kerja, pejabat penandatangan dan akun demo. Aman dijalankan berulang kali."
    )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                result = demo_load()
                groups = roles_ensure_groups()
                users = demo_users(result)
                for spec in users:
                    _user_ensure(spec, result.dinas, groups)
        except (ValidationError, SeedFormatError) as error:
            raise CommandError(_("Data demo tidak dapat dimuat: %(error)s") % {"error": error}) from error
        self._summary(result, users)

    def _summary(self, result: DemoResult, users: tuple[DemoUser, ...]) -> None:
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
            write(f"  {spec.username} / {DEMO_PASSWORD}  ({spec.description})")
