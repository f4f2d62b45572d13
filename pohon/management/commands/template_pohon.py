import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.spreadsheet.command import output_write
from pohon.template import pohon_template_xlsx


class Command(BaseCommand):
    help = _("Tulis templat .xlsx untuk impor pohon kinerja (lembar pohon, contoh dan petunjuk).")

    def add_arguments(self, parser):
        parser.add_argument("--output", help=_("nama berkas; tanpa ini ditulis ke standard output"))

    def handle(self, *args, output: str | None, **options):
        data = pohon_template_xlsx()
        if not output and sys.stdout.isatty():
            raise CommandError(_("Templat adalah berkas biner: gunakan --output BERKAS atau alihkan ke berkas."))
        output_write(data, output, written=_("Templat ditulis ke %(file)s."), stderr=self.stderr)
