from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pohon.imports import pohon_copy_to_year
from pohon.models import Node, Pohon
from pohon.selectors import pohon_latest


class Command(BaseCommand):
    help = _("Salin revisi terakhir pohon kinerja satu tahun menjadi pohon draf baru untuk tahun lain.")

    def add_arguments(self, parser):
        parser.add_argument("--dinas", required=True, help=_("kode Perangkat Daerah, contoh: dpmd-lumajang"))
        parser.add_argument("--from", dest="from_tahun", required=True, type=int, help=_("tahun sumber"))
        parser.add_argument("--to", dest="to_tahun", required=True, type=int, help=_("tahun tujuan"))

    def handle(self, *args, dinas: str, from_tahun: int, to_tahun: int, **options):
        try:
            source = pohon_latest(dinas_kode=dinas, tahun=from_tahun)
        except Pohon.DoesNotExist:
            raise CommandError(
                _("Pohon kinerja %(dinas)s tahun %(tahun)s tidak ditemukan.") % {"dinas": dinas, "tahun": from_tahun}
            ) from None
        try:
            copy = pohon_copy_to_year(pohon=source, tahun=to_tahun)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        count = Node.objects.filter(pohon=copy).visible().count()
        self.stdout.write(
            self.style.SUCCESS(
                _("Pohon kinerja %(source)s disalin menjadi %(copy)s (draf): %(count)d butir.")
                % {"source": source, "copy": copy, "count": count}
            )
        )
