"""The Pemda tree (issue 13): a Pemda owner record kind for agencies, the Bappeda role, and who signs the Pemda tree."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dinas', '0005_pemda_required'),
    ]

    operations = [
        migrations.AddField(
            model_name='pemda',
            name='penyetuju_pohon',
            field=models.CharField(choices=[('kepala_bappeda', 'Kepala Bappeda'), ('kepala_daerah', 'Kepala Daerah')], default='kepala_bappeda', help_text='Pejabat yang menandatangani pohon kinerja Pemda (RPJMD) saat disetujui.', max_length=20, verbose_name='penyetuju pohon kinerja Pemda'),
        ),
        migrations.AddField(
            model_name='perangkatdaerah',
            name='jenis',
            field=models.CharField(choices=[('dinas', 'Perangkat Daerah'), ('pemda', 'Pemda (pemilik pohon kinerja Pemda)')], default='dinas', editable=False, max_length=10, verbose_name='jenis'),
        ),
        migrations.AlterField(
            model_name='keanggotaan',
            name='peran',
            field=models.CharField(choices=[('operator', 'Operator'), ('kepala_dinas', 'Kepala Dinas'), ('admin', 'Admin'), ('bappeda', 'Bappeda')], max_length=20, verbose_name='peran'),
        ),
        migrations.AddConstraint(
            model_name='perangkatdaerah',
            constraint=models.UniqueConstraint(condition=models.Q(('jenis', 'pemda')), fields=('pemda',), name='perangkatdaerah_one_pemda_owner', violation_error_message='Pemda ini sudah memiliki pemilik pohon kinerja Pemda.'),
        ),
    ]
