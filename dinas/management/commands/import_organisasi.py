from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dinas.imports import COUNT_LABELS, organisasi_import
from pohon.spreadsheet import spreadsheet_file_read


class Command(BaseCommand):
    # The model checks only: the URL checks import every admin and view module (the PDF signing
    # stack among them), about a second of a 10,000-row import; `manage.py check` runs them all.
    requires_system_checks = [Tags.models]

    help = _(
        "Impor tabel organisasi (Perangkat Daerah, unit kerja, pejabat) dari .xlsx, .csv atau .json: "
        "membuat yang belum ada dan memperbarui yang berbeda. Semua atau tidak sama sekali."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("berkas .xlsx, .csv atau .json"))
        parser.add_argument("--dry-run", action="store_true", help=_("hanya periksa; tidak ada yang disimpan"))

    def handle(self, *args, file: str, dry_run: bool, **options):
        try:
            data = spreadsheet_file_read(file)
        except OSError as error:
            raise CommandError(
                _("Berkas %(file)s tidak dapat dibaca: %(error)s") % {"file": file, "error": error}
            ) from None
        plan, written = organisasi_import(data=data, filename=file, dry_run=dry_run)
        self.stdout.write(_("Berkas: %(rows)d baris.") % {"rows": len(plan.rows)})
        for key, count in plan.counts.items():
            self.stdout.write(f"  {COUNT_LABELS[key]}: {count}")
        if not plan.ok:
            for problem in plan.problems:
                self.stdout.write(str(problem))
            raise CommandError(
                _("Impor dibatalkan: %(count)d masalah ditemukan; tidak ada yang disimpan.")
                % {"count": len(plan.problems)}
            )
        if written:
            self.stdout.write(self.style.SUCCESS(_("Tabel organisasi diimpor.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Uji coba (--dry-run) berhasil: tidak ada yang disimpan.")))
