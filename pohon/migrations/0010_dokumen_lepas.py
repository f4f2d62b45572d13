"""The approval's own copies of what now belongs to its document (0009_dokumen moved them: the
token, place, date and signer) go; every approval and every signed file must have its document.

Reversing it restores the old columns empty (and so only on a database without approvals)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pohon", "0009_dokumen"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="dokumenterbit", name="dokumen_unique_per_kertas"),
        migrations.RemoveField(model_name="dokumenterbit", name="pengesahan"),
        migrations.RemoveField(model_name="pengesahan", name="disetujui_oleh_nama"),
        migrations.RemoveField(model_name="pengesahan", name="pejabat"),
        migrations.RemoveField(model_name="pengesahan", name="pejabat_jabatan"),
        migrations.RemoveField(model_name="pengesahan", name="pejabat_nama"),
        migrations.RemoveField(model_name="pengesahan", name="pejabat_nip"),
        migrations.RemoveField(model_name="pengesahan", name="tanggal"),
        migrations.RemoveField(model_name="pengesahan", name="tempat"),
        migrations.RemoveField(model_name="pengesahan", name="token"),
        migrations.AlterField(
            model_name="dokumenterbit",
            name="dokumen",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="berkas",
                to="pohon.dokumen",
                verbose_name="dokumen",
            ),
        ),
        migrations.AlterField(
            model_name="pengesahan",
            name="dokumen",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pengesahan",
                to="pohon.dokumen",
                verbose_name="dokumen",
            ),
        ),
        migrations.AddConstraint(
            model_name="dokumenterbit",
            constraint=models.UniqueConstraint(fields=("dokumen", "kertas"), name="dokumen_unique_per_kertas"),
        ),
    ]
