"""What the spreadsheet commands share: for the imports (``import_pohon``, ``import_organisasi``)
reading the file, the refusal that lists every problem and the dry run's message; for the
commands that write a file (``export_organisasi``, ``template_pohon``) writing it."""

import sys

from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.spreadsheet import ImportProblem, spreadsheet_file_read


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


def output_write(data: bytes, output: str | None, *, written: str, stderr) -> None:
    """Write ``data`` to the file ``output`` and say so on ``stderr`` with ``written`` (a message
    with ``%(file)s``), or without ``output`` to standard output."""
    if not output:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        with open(output, "wb") as handle:
            handle.write(data)
    except OSError as error:
        raise CommandError(_("Tidak dapat menulis %(file)s: %(error)s") % {"file": output, "error": error}) from None
    stderr.write(written % {"file": output})
