from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.spreadsheet import FORMATS
from core.spreadsheet.command import output_write
from dinas.imports import organisasi_export
from dinas.models import PerangkatDaerah


class Command(BaseCommand):
    help = _(
        "Ekspor tabel organisasi (Perangkat Daerah, unit kerja, pejabat) dalam format yang dapat diimpor "
        "kembali dengan import_organisasi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dinas", help=_("kode Perangkat Daerah; tanpa ini semua Perangkat Daerah"))
        parser.add_argument("--format", dest="export_format", choices=sorted(FORMATS), required=True)
        parser.add_argument("--output", help=_("nama berkas; tanpa ini ditulis ke standard output"))

    def handle(self, *args, dinas: str | None, export_format: str, output: str | None, **options):
        try:
            data = organisasi_export(dinas_kode=dinas, export_format=export_format)
        except PerangkatDaerah.DoesNotExist:
            raise CommandError(_("Perangkat Daerah dengan kode %(kode)s tidak ditemukan.") % {"kode": dinas}) from None
        output_write(data, output, written=_("Tabel organisasi ditulis ke %(file)s."), stderr=self.stderr)
