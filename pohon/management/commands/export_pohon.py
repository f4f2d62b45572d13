import sys

from django.core.management.base import BaseCommand, CommandError

from core.spreadsheet import FORMATS
from pohon.models import Pohon
from pohon.resources import pohon_export
from pohon.selectors import pohon_latest


class Command(BaseCommand):
    help = "Ekspor pohon kinerja dalam format tabel kanonik (json, csv atau xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("--dinas", required=True, help="kode Perangkat Daerah, contoh: dpmd-lumajang")
        parser.add_argument("--tahun", required=True, type=int)
        parser.add_argument("--format", dest="export_format", choices=sorted(FORMATS), default="xlsx")
        parser.add_argument("--output", help="nama berkas; tanpa ini ditulis ke standard output")

    def handle(self, *args, dinas: str, tahun: int, export_format: str, output: str | None, **options):
        try:
            pohon = pohon_latest(dinas_kode=dinas, tahun=tahun)
        except Pohon.DoesNotExist:
            raise CommandError(f"Pohon kinerja {dinas} tahun {tahun} tidak ditemukan.") from None
        data = pohon_export(pohon, export_format)
        if output:
            with open(output, "wb") as handle:
                handle.write(data)
            self.stderr.write(f"Pohon {pohon} ditulis ke {output}.")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
