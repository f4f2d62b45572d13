"""The Pemda becomes a record (issue 11): one ``Pemda`` per distinct ``PerangkatDaerah.pemda``
string, each agency pointed at its own; officials may be a Pemda's Kepala Daerah.

Carried over: every agency keeps its Pemda's name exactly as typed (``Pemda.nama``); the kode
is the name slugified (a suffix ``-2``, ``-3``... when two names slugify alike), the jenis comes
from the first word (Kabupaten/Kab., Kota, Provinsi/Prov.; anything else counts as a
Kabupaten, the common case, and can be corrected in the admin), and the place printed on
documents is the name without that first word. The old text column is dropped in 0005, after
this migration's transaction (PostgreSQL refuses to alter a table with pending FK checks from
updates in the same transaction).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils.text import slugify

# A frozen copy of the rule (dinas.services.pemda_fields_from_nama may change later).
_PREFIXES = (
    ("kabupaten", "kabupaten"),
    ("kab.", "kabupaten"),
    ("kab", "kabupaten"),
    ("kota", "kota"),
    ("provinsi", "provinsi"),
    ("prov.", "provinsi"),
    ("prov", "provinsi"),
)


def _fields_from_nama(nama: str) -> tuple[str, str]:
    first, _space, rest = nama.strip().partition(" ")
    for prefix, jenis in _PREFIXES:
        if first.lower() == prefix and rest.strip():
            return jenis, rest.strip()[:80]
    return "kabupaten", nama.strip()[:80]


def pemda_from_strings(apps, schema_editor):
    PerangkatDaerah = apps.get_model("dinas", "PerangkatDaerah")
    Pemda = apps.get_model("dinas", "Pemda")
    used: set[str] = set()
    for nama in PerangkatDaerah.objects.order_by("pemda").values_list("pemda", flat=True).distinct():
        base = (slugify(nama) or "pemda")[:44]
        kode, number = base, 1
        while kode in used:
            number += 1
            kode = f"{base}-{number}"
        used.add(kode)
        jenis, tempat = _fields_from_nama(nama)
        pemda = Pemda.objects.create(kode=kode, nama=nama, jenis=jenis, tempat=tempat)
        PerangkatDaerah.objects.filter(pemda=nama).update(pemda_baru=pemda)


def pemda_to_strings(apps, schema_editor):
    PerangkatDaerah = apps.get_model("dinas", "PerangkatDaerah")
    for agency in PerangkatDaerah.objects.select_related("pemda_baru"):
        agency.pemda = agency.pemda_baru.nama
        agency.save(update_fields=["pemda"])


class Migration(migrations.Migration):
    dependencies = [
        ("dinas", "0003_pejabat_status"),
    ]

    operations = [
        migrations.CreateModel(
            name="Pemda",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kode",
                    models.SlugField(help_text="Contoh: kabupaten-lumajang", unique=True, verbose_name="kode"),
                ),
                (
                    "nama",
                    models.CharField(
                        help_text="Contoh: Kabupaten Lumajang", max_length=120, unique=True, verbose_name="nama"
                    ),
                ),
                (
                    "jenis",
                    models.CharField(
                        choices=[("kabupaten", "Kabupaten"), ("kota", "Kota"), ("provinsi", "Provinsi")],
                        max_length=10,
                        verbose_name="jenis",
                    ),
                ),
                (
                    "tempat",
                    models.CharField(
                        help_text="Nama tempat pada blok tanda tangan dokumen, contoh: Lumajang",
                        max_length=80,
                        verbose_name="tempat penandatanganan",
                    ),
                ),
            ],
            options={
                "verbose_name": "Pemerintah Daerah",
                "verbose_name_plural": "Pemerintah Daerah",
                "ordering": ["nama"],
            },
        ),
        migrations.AddField(
            model_name="perangkatdaerah",
            name="pemda_baru",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="dinas.pemda",
            ),
        ),
        migrations.AlterField(
            model_name="pejabat",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pejabat",
                to="dinas.unitkerja",
                verbose_name="unit kerja",
            ),
        ),
        migrations.AddField(
            model_name="pejabat",
            name="pemda",
            field=models.ForeignKey(
                blank=True,
                help_text="Hanya untuk Kepala Daerah (Bupati, Wali Kota, Gubernur); kosongkan unit kerja.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="kepala_daerah",
                to="dinas.pemda",
                verbose_name="Kepala Daerah dari Pemda",
            ),
        ),
        migrations.RunPython(pemda_from_strings, pemda_to_strings),
    ]
