"""Second step of the Pemda record (see 0004, which filled ``pemda_baru`` for every agency):
the text column goes, the foreign key takes its name ``pemda`` and becomes required; an
official's NIP and jabatan may be empty (a Kepala Daerah's), with exactly one of unit and Pemda
enforced by the database too. No row changes here."""

import dinas.nip
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dinas", "0004_pemda"),
    ]

    operations = [
        # A default only so that migrating back can add the text column to existing rows (0004's
        # reverse then writes each agency's Pemda name into it).
        migrations.AlterField(
            model_name="perangkatdaerah",
            name="pemda",
            field=models.CharField(default="", max_length=120, verbose_name="pemda"),
        ),
        migrations.RemoveField(model_name="perangkatdaerah", name="pemda"),
        migrations.RenameField(model_name="perangkatdaerah", old_name="pemda_baru", new_name="pemda"),
        migrations.AlterField(
            model_name="perangkatdaerah",
            name="pemda",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="perangkat_daerah",
                to="dinas.pemda",
                verbose_name="Pemerintah Daerah",
            ),
        ),
        migrations.AlterField(
            model_name="pejabat",
            name="nip",
            field=models.CharField(blank=True, max_length=32, validators=[dinas.nip.nip_validate], verbose_name="NIP"),
        ),
        migrations.AlterField(
            model_name="pejabat",
            name="jabatan",
            field=models.CharField(blank=True, max_length=200, verbose_name="jabatan"),
        ),
        migrations.AddConstraint(
            model_name="pejabat",
            constraint=models.CheckConstraint(
                condition=models.Q(("pemda__isnull", True), ("unit__isnull", False))
                | models.Q(("pemda__isnull", False), ("unit__isnull", True)),
                name="pejabat_unit_xor_pemda",
                violation_error_message="Pejabat harus terikat pada tepat satu: unit kerja atau Pemda.",
            ),
        ),
    ]
