from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from core.spreadsheet.command import SpreadsheetImportCommand
from dinas.models import PerangkatDaerah
from pohon import rules
from pohon.imports import ImportPlan, pohon_import
from pohon.money import rupiah


class Command(SpreadsheetImportCommand):
    help = _(
        "Impor pohon kinerja satu Perangkat Daerah dan satu tahun dari berkas .xlsx, .csv atau .json "
        "(kolom: kode, induk, jenis, uraian, unit_kerja, pagu, target, satuan, arah, kunci). "
        "Semua atau tidak sama sekali."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--dinas", required=True, help=_("kode Perangkat Daerah, contoh: dpmd-lumajang"))
        parser.add_argument("--tahun", required=True, type=int)
        parser.add_argument(
            "--replace", action="store_true", help=_("ganti seluruh isi pohon draf yang sudah ada untuk tahun itu")
        )

    def handle(self, *args, file: str, dinas: str, tahun: int, dry_run: bool, replace: bool, **options):
        agency = PerangkatDaerah.objects.filter(kode=dinas).first()
        if agency is None:
            raise CommandError(_("Perangkat Daerah dengan kode %(kode)s tidak ditemukan.") % {"kode": dinas})
        data = self.file_read(file)
        plan, pohon = pohon_import(
            dinas=agency, tahun=tahun, data=data, filename=file, replace=replace, dry_run=dry_run
        )
        self.summary(plan)
        self.refuse(plan.problems)
        if pohon is None:
            self.dry_run_done()
        else:
            done = _("diganti") if plan.existing else _("dibuat")
            self.stdout.write(
                self.style.SUCCESS(
                    _("Pohon kinerja %(pohon)s %(done)s: %(count)d butir.")
                    % {"pohon": pohon, "done": done, "count": len(plan.rows)}
                )
            )

    def summary(self, plan: ImportPlan) -> None:
        self.stdout.write(
            _("Berkas: %(rows)d baris diterima untuk %(dinas)s tahun %(tahun)s.")
            % {"rows": len(plan.rows), "dinas": plan.dinas.kode, "tahun": plan.tahun}
        )
        for jenis, count in plan.counts.items():
            self.stdout.write(f"  {rules.jenis_label(jenis)}: {count}")
        self.stdout.write(_("Total Pagu: %(total)s") % {"total": rupiah(plan.total_pagu)})
