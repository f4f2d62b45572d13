import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pohon.template import pohon_template_xlsx


class Command(BaseCommand):
    help = _("Tulis templat .xlsx untuk impor pohon kinerja (lembar pohon, contoh dan petunjuk).")

    def add_arguments(self, parser):
        parser.add_argument("--output", help=_("nama berkas; tanpa ini ditulis ke standard output"))

    def handle(self, *args, output: str | None, **options):
        data = pohon_template_xlsx()
        if output:
            try:
                with open(output, "wb") as handle:
                    handle.write(data)
            except OSError as error:
                raise CommandError(
                    _("Tidak dapat menulis %(file)s: %(error)s") % {"file": output, "error": error}
                ) from None
            self.stderr.write(_("Templat ditulis ke %(file)s.") % {"file": output})
            return
        if sys.stdout.isatty():
            raise CommandError(_("Templat adalah berkas biner: gunakan --output BERKAS atau alihkan ke berkas."))
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
