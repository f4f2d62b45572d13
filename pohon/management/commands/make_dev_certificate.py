from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from pohon.signing import signing_p12_path, signing_passphrase_path
from pohon.signing.dev import DEV_COMMON_NAME, dev_certificate_ensure


class Command(BaseCommand):
    help = (
        "Membuat sertifikat tanda tangan elektronik swa-tanda (self-signed) untuk pengembangan, "
        "di lokasi POKIN_SIGNING_P12. Sertifikat yang sudah ada dibiarkan, kecuali dengan --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="ganti sertifikat yang sudah ada (dokumen yang ditandatangani sebelumnya menjadi tidak dikenal)",
        )

    def handle(self, *args, force: bool, **options) -> None:
        existed = signing_p12_path().exists()
        path = dev_certificate_ensure(force=force)
        if existed and not force:
            self.stdout.write(
                _("Sertifikat sudah ada di %(path)s; tidak diubah (pakai --force untuk mengganti).") % {"path": path}
            )
            return
        if existed:
            done = _("Sertifikat pengembangan diganti: %(path)s (%(cn)s).")
        else:
            done = _("Sertifikat pengembangan dibuat: %(path)s (%(cn)s).")
        self.stdout.write(self.style.SUCCESS(done % {"path": path, "cn": DEV_COMMON_NAME}))
        if settings.POKIN_SIGNING_PASSPHRASE:
            self.stdout.write(_("Kata sandinya diambil dari POKIN_SIGNING_PASSPHRASE."))
        else:
            self.stdout.write(_("Kata sandinya tersimpan di %(path)s.") % {"path": signing_passphrase_path()})
