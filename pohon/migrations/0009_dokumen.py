"""Issued documents of many kinds (pohon.dokumen): every existing approval gets its document.

Each Pengesahan becomes the approval of a ``Dokumen`` of kind ``kaskade`` with the same
verification token (printed QR codes keep working), its signer (``Penandatangan``) taken from
its pejabat_* fields, and each of its signed files (``DokumenTerbit``) re-pointed to it, the
stored PDF bytes untouched. The names an approval did not record (the agency's, the Pemda's, the
head's title, the units') are frozen from the records as they are now: the best available.
0010_dokumen_lepas then drops the approval's old columns; the two are separate migrations
because PostgreSQL refuses to alter a table with pending trigger events in one transaction.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

KEPALA = "kepala"


def _pemda_nama(dinas) -> str:
    # A CharField here; a record with a ``nama`` if the Pemda record's migration ran first.
    pemda = dinas.pemda
    return str(getattr(pemda, "nama", pemda) or "")


def approvals_to_documents(apps, schema_editor):
    Pengesahan = apps.get_model("pohon", "Pengesahan")
    Dokumen = apps.get_model("pohon", "Dokumen")
    Penandatangan = apps.get_model("pohon", "Penandatangan")
    DokumenTerbit = apps.get_model("pohon", "DokumenTerbit")
    Node = apps.get_model("pohon", "Node")
    prefixes = {"plt": "Plt.", "plh": "Plh.", "pj": "Pj."}
    for pengesahan in Pengesahan.objects.select_related("pohon__dinas", "pejabat").order_by("pk"):
        pohon = pengesahan.pohon
        dinas = pohon.dinas
        pemda = _pemda_nama(dinas)
        judul = f"Cascading / Pohon Kinerja {dinas.nama} {pemda} Tahun {pohon.tahun}"
        if pohon.revisi:
            judul += f" Perubahan {pohon.revisi}"
        dokumen = Dokumen.objects.create(
            jenis="kaskade",
            token=pengesahan.token,
            judul=judul,
            dinas=dinas,
            dinas_nama=dinas.nama,
            pemda_nama=pemda,
            tempat=pengesahan.tempat,
            tanggal=pengesahan.tanggal,
            diterbitkan_pada=pengesahan.disetujui_pada,
        )
        pejabat = pengesahan.pejabat
        status = getattr(pejabat, "status", "definitif") if pejabat else "definitif"
        jabatan = f"{prefixes.get(status, '')} {pengesahan.pejabat_jabatan}".strip()
        Penandatangan.objects.create(
            dokumen=dokumen,
            peran="penandatangan",
            urutan=1,
            pejabat=pejabat,
            nama=pengesahan.pejabat_nama,
            nip=pengesahan.pejabat_nip,
            jabatan=jabatan,
            pangkat=getattr(pejabat, "pangkat", "") if pejabat else "",
            status=status,
        )
        units = (
            Node.objects.filter(pohon=pohon, unit__isnull=False)
            .order_by()
            .values_list("unit_id", "unit__nama")
            .distinct()
        )
        pengesahan.dokumen_id = dokumen.pk
        pengesahan.kepala_judul = f"KEPALA {dinas.nama} {pemda}".upper()
        pengesahan.unit_nama = {str(pk): nama for pk, nama in units}
        pengesahan.save(update_fields=["dokumen", "kepala_judul", "unit_nama"])
        DokumenTerbit.objects.filter(pengesahan=pengesahan).update(dokumen=dokumen)


def documents_to_approvals(apps, schema_editor):
    """Back: the approval's own columns again from its document (0012 reversed restored them)."""
    Pengesahan = apps.get_model("pohon", "Pengesahan")
    DokumenTerbit = apps.get_model("pohon", "DokumenTerbit")
    for pengesahan in Pengesahan.objects.exclude(dokumen=None).select_related("dokumen"):
        dokumen = pengesahan.dokumen
        signer = dokumen.penandatangan.order_by("urutan").first()
        pengesahan.token, pengesahan.tempat, pengesahan.tanggal = dokumen.token, dokumen.tempat, dokumen.tanggal
        if signer is not None:
            pengesahan.pejabat_id, pengesahan.pejabat_nama = signer.pejabat_id, signer.nama
            pengesahan.pejabat_nip, pengesahan.pejabat_jabatan = signer.nip, signer.jabatan
        pengesahan.save()
        DokumenTerbit.objects.filter(dokumen=dokumen).update(pengesahan=pengesahan)


class Migration(migrations.Migration):
    dependencies = [
        ("dinas", "0005_pemda_required"),
        ("pohon", "0008_node_kunci"),
    ]

    operations = [
        # The old link's reverse name ("dokumen") gives way to the approval's new field of that name.
        migrations.AlterField(
            model_name="dokumenterbit",
            name="pengesahan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="pohon.pengesahan",
                verbose_name="pengesahan",
            ),
        ),
        migrations.CreateModel(
            name="Dokumen",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "jenis",
                    models.CharField(
                        choices=[("kaskade", "Pohon kinerja (cascading)")],
                        max_length=30,
                        verbose_name="jenis dokumen",
                    ),
                ),
                ("token", models.CharField(max_length=64, unique=True, verbose_name="token verifikasi")),
                ("judul", models.CharField(max_length=500, verbose_name="judul")),
                ("dinas_nama", models.CharField(max_length=200, verbose_name="nama Perangkat Daerah")),
                ("pemda_nama", models.CharField(max_length=200, verbose_name="nama Pemda")),
                ("tempat", models.CharField(max_length=80, verbose_name="tempat")),
                ("tanggal", models.DateField(verbose_name="tanggal dokumen")),
                (
                    "diterbitkan_pada",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="diterbitkan pada"),
                ),
                (
                    "dinas",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="dokumen",
                        to="dinas.perangkatdaerah",
                        verbose_name="Perangkat Daerah",
                    ),
                ),
            ],
            options={
                "verbose_name": "dokumen",
                "verbose_name_plural": "dokumen",
                "ordering": ["-diterbitkan_pada", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Penandatangan",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "peran",
                    models.CharField(
                        choices=[
                            ("penandatangan", "Penandatangan"),
                            ("pihak_pertama", "Pihak Pertama"),
                            ("pihak_kedua", "Pihak Kedua"),
                        ],
                        default="penandatangan",
                        max_length=20,
                        verbose_name="peran",
                    ),
                ),
                ("urutan", models.PositiveSmallIntegerField(default=1, verbose_name="urutan")),
                ("nama", models.CharField(max_length=200, verbose_name="nama")),
                ("nip", models.CharField(blank=True, max_length=32, verbose_name="NIP")),
                ("jabatan", models.CharField(max_length=250, verbose_name="jabatan (tertulis)")),
                ("pangkat", models.CharField(blank=True, max_length=100, verbose_name="pangkat/golongan")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("definitif", "Definitif"),
                            ("plt", "Plt. (pelaksana tugas)"),
                            ("plh", "Plh. (pelaksana harian)"),
                            ("pj", "Pj. (penjabat)"),
                        ],
                        default="definitif",
                        max_length=10,
                        verbose_name="status jabatan",
                    ),
                ),
                (
                    "dokumen",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="penandatangan",
                        to="pohon.dokumen",
                        verbose_name="dokumen",
                    ),
                ),
                (
                    "pejabat",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="penandatanganan",
                        to="dinas.pejabat",
                        verbose_name="pejabat",
                    ),
                ),
            ],
            options={
                "verbose_name": "penandatangan",
                "verbose_name_plural": "penandatangan",
                "ordering": ["dokumen", "urutan", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("dokumen", "urutan"), name="penandatangan_unique_urutan")
                ],
            },
        ),
        migrations.AddField(
            model_name="pengesahan",
            name="dokumen",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pengesahan",
                to="pohon.dokumen",
                verbose_name="dokumen",
            ),
        ),
        migrations.AddField(
            model_name="pengesahan",
            name="kepala_judul",
            field=models.CharField(default="", max_length=500, verbose_name="judul kotak Kepala"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="pengesahan",
            name="unit_nama",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Nama setiap unit kerja pohon saat disetujui.",
                verbose_name="nama unit kerja",
            ),
        ),
        migrations.AddField(
            model_name="dokumenterbit",
            name="dokumen",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="berkas",
                to="pohon.dokumen",
                verbose_name="dokumen",
            ),
        ),
        migrations.RunPython(approvals_to_documents, documents_to_approvals),
    ]
