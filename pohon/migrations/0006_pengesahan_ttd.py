from django.db import migrations, models


def existing_approvals_are_signed(apps, schema_editor):
    # Before this migration approval signed its document inside the request: every existing
    # approval has its signed document. Paper sizes never asked for are issued on request by the
    # Kepala Dinas or an admin (the PDF page offers it), never by a GET.
    Pengesahan = apps.get_model("pohon", "Pengesahan")
    Pengesahan.objects.filter(dokumen__isnull=False).update(ttd_status="selesai")


class Migration(migrations.Migration):
    dependencies = [
        ("pohon", "0005_bounded_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="pengesahan",
            name="ttd_status",
            field=models.CharField(
                choices=[
                    ("menunggu", "Sedang ditandatangani"),
                    ("selesai", "Ditandatangani"),
                    ("gagal", "Penandatanganan gagal"),
                ],
                default="menunggu",
                max_length=20,
                verbose_name="penandatanganan",
            ),
        ),
        migrations.AddField(
            model_name="pengesahan",
            name="ttd_galat",
            field=models.TextField(blank=True, verbose_name="galat penandatanganan"),
        ),
        migrations.RunPython(existing_approvals_are_signed, migrations.RunPython.noop),
    ]
