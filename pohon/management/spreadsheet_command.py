"""What the two spreadsheet import commands (``import_pohon``, ``import_organisasi``) share:
reading the file, the refusal that lists every problem, and the dry run's message."""

from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pohon.spreadsheet import ImportProblem, spreadsheet_file_read


class SpreadsheetImportCommand(BaseCommand):
    # The model checks only: the URL checks import every admin and view module (the PDF signing
    # stack among them), about a second of a 10,000-row import; `manage.py check` runs them all.
    requires_system_checks = [Tags.models]

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("berkas .xlsx, .csv atau .json"))
        parser.add_argument("--dry-run", action="store_true", help=_("hanya periksa; tidak ada yang disimpan"))

    def file_read(self, file: str) -> bytes:
        try:
            return spreadsheet_file_read(file)
        except OSError as error:
            raise CommandError(
                _("Berkas %(file)s tidak dapat dibaca: %(error)s") % {"file": file, "error": error}
            ) from None

    def refuse(self, problems: list[ImportProblem]) -> None:
        """Print every problem (row, column, value, message) and stop; nothing has been written."""
        if not problems:
            return
        for problem in problems:
            self.stdout.write(str(problem))
        raise CommandError(
            _("Impor dibatalkan: %(count)d masalah ditemukan; tidak ada yang disimpan.") % {"count": len(problems)}
        )

    def dry_run_done(self) -> None:
        self.stdout.write(self.style.SUCCESS(_("Uji coba (--dry-run) berhasil: tidak ada yang disimpan.")))
