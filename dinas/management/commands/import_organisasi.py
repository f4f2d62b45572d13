from django.utils.translation import gettext as _

from core.spreadsheet.command import SpreadsheetImportCommand
from dinas.imports import COUNT_LABELS, organisasi_import


class Command(SpreadsheetImportCommand):
    help = _(
        "Impor tabel organisasi (Perangkat Daerah, unit kerja, pejabat) dari .xlsx, .csv atau .json: "
        "membuat yang belum ada dan memperbarui yang berbeda. Semua atau tidak sama sekali."
    )

    def handle(self, *args, file: str, dry_run: bool, **options):
        plan, written = organisasi_import(data=self.file_read(file), filename=file, dry_run=dry_run)
        self.stdout.write(_("Berkas: %(rows)d baris.") % {"rows": len(plan.rows)})
        for key, count in plan.counts.items():
            self.stdout.write(f"  {COUNT_LABELS[key]}: {count}")
        self.refuse(plan.problems)
        if written:
            self.stdout.write(self.style.SUCCESS(_("Tabel organisasi diimpor.")))
        else:
            self.dry_run_done()
