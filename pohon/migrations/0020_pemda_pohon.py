"""The Pemda tree (issue 13): its kinds, its RPJMD period (tahun_akhir) and the IKU's yearly targets."""

import django.db.models.deletion
import pohon.targets
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('pohon', '0014_dokumen_jenis'),
        ('dinas', '0007_pemda_pohon'),
    ]

    operations = [
        migrations.AddField(
            model_name='pohon',
            name='tahun_akhir',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Hanya untuk pohon kinerja Pemda: tahun terakhir periode RPJMD (contoh: 2018 untuk 2014-2018).', null=True, verbose_name='tahun akhir periode'),
        ),
        migrations.AlterField(
            model_name='node',
            name='jenis',
            field=models.CharField(choices=[('akar', 'Akar pohon'), ('tujuan', 'Tujuan'), ('sasaran', 'Sasaran'), ('bidang', 'Bidang'), ('seksi', 'Seksi'), ('program', 'Program'), ('kegiatan', 'Kegiatan'), ('sub_kegiatan', 'Sub Kegiatan'), ('indikator', 'Indikator'), ('visi', 'Visi'), ('misi', 'Misi'), ('tujuan_pemda', 'Tujuan Pemda'), ('sasaran_pemda', 'Sasaran Pemda'), ('tematik', 'Tematik'), ('sub_tematik', 'Sub Tematik')], max_length=20, verbose_name='jenis'),
        ),
        migrations.CreateModel(
            name='TargetTahunan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kunci', models.UUIDField(verbose_name='kunci butir')),
                ('tahun', models.PositiveSmallIntegerField(verbose_name='tahun')),
                ('target_angka', models.DecimalField(blank=True, decimal_places=4, max_digits=20, null=True, validators=[pohon.targets.target_number_check], verbose_name='target (angka)')),
                ('target_teks', models.CharField(blank=True, max_length=100, verbose_name='target (teks)')),
                ('pohon', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='target_tahunan', to='pohon.pohon', verbose_name='pohon')),
            ],
            options={
                'verbose_name': 'target tahunan',
                'verbose_name_plural': 'target tahunan',
                'ordering': ['pohon', 'kunci', 'tahun'],
                'constraints': [models.UniqueConstraint(fields=('pohon', 'kunci', 'tahun'), name='targettahunan_unique_per_tahun', violation_error_message='Indikator ini sudah memiliki target untuk tahun tersebut.')],
            },
        ),
    ]
