"""pohon 0009_dokumen (and 0010_dokumen_lepas) carry every approval over: each Pengesahan gets
its issued document with the same verification token (printed QR codes keep working), its signer
from the approval's pejabat_* fields, the names as the records hold them at migration time, and
each signed file re-pointed to it with its bytes untouched."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

BEFORE = [("pohon", "0007_demo_account"), ("dinas", "0003_pejabat_status")]
PDF_AWAL = b"%PDF-1.7\n% the signed bytes of the first approval\n%%EOF\n"
PDF_PERUBAHAN = b"%PDF-1.7\n% the signed bytes of Perubahan 1\n%%EOF\n"


def _targets(executor: MigrationExecutor, pinned: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every other app at its latest migration, the pinned apps where they are pinned."""
    apps = {app for app, _name in pinned}
    return [node for node in executor.loader.graph.leaf_nodes() if node[0] not in apps] + pinned


@pytest.fixture
def at_0007(transactional_db):
    executor = MigrationExecutor(connection)
    targets = _targets(executor, BEFORE)
    executor.migrate(targets)
    executor.loader.build_graph()
    yield executor.loader.project_state(targets).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # the rest of the suite runs on the latest schema


def _approved_tree(apps, *, dinas, revisi, unit, tree_id, pejabat, token, pdf, user):
    Pohon, Node = apps.get_model("pohon", "Pohon"), apps.get_model("pohon", "Node")
    Pengesahan, DokumenTerbit = apps.get_model("pohon", "Pengesahan"), apps.get_model("pohon", "DokumenTerbit")
    pohon = Pohon.objects.create(dinas=dinas, tahun=2018, revisi=revisi, status="disetujui")
    # Nested sets by hand: the historical model has no django-mptt manager.
    root = Node.objects.create(pohon=pohon, jenis="akar", uraian="akar", lft=1, rght=4, level=0, tree_id=tree_id)
    Node.objects.create(
        pohon=pohon, parent=root, jenis="bidang", kode="B1", uraian="Bidang A", unit=unit, lft=2, rght=3, level=1,
        tree_id=tree_id,
    )  # fmt: skip
    at = datetime.datetime(2018, 1 + 5 * revisi, 25, 2, 0, tzinfo=datetime.timezone.utc)
    pengesahan = Pengesahan.objects.create(
        pohon=pohon,
        token=token,
        disetujui_oleh=user,
        disetujui_oleh_nama=user.username,
        disetujui_pada=at,
        tempat="Lumajang",
        tanggal=at.date(),
        pejabat=pejabat,
        pejabat_nama=pejabat.nama,
        pejabat_nip=pejabat.nip,
        pejabat_jabatan=pejabat.jabatan,
        ttd_status="selesai",
    )
    DokumenTerbit.objects.create(
        pengesahan=pengesahan,
        kertas="F4",
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        ukuran=len(pdf),
        halaman=1,
    )
    return pohon


def test_every_approval_gets_its_document_with_the_same_token(at_0007):
    apps = at_0007
    PerangkatDaerah, UnitKerja = apps.get_model("dinas", "PerangkatDaerah"), apps.get_model("dinas", "UnitKerja")
    Pejabat, User = apps.get_model("dinas", "Pejabat"), apps.get_model("auth", "User")
    dinas = PerangkatDaerah.objects.create(
        kode="dpmd-lumajang", nama="Dinas Pemberdayaan Masyarakat dan Desa", pemda="Kabupaten Lumajang"
    )
    kepala = UnitKerja.objects.create(dinas=dinas, kode="kepala", nama="Kepala Dinas", jenis="kepala")
    bidang = UnitKerja.objects.create(dinas=dinas, kode="b1", nama="Bidang Pemberdayaan Masyarakat", jenis="bidang")
    pejabat = Pejabat.objects.create(
        nama="PATRIANI HASTIADI, AP. MSi.",
        nip="197409101994121001",
        jabatan="Kepala Dinas Pemberdayaan Masyarakat dan Desa",
        status="plt",
        pangkat="Pembina Tingkat I, IV/b",
        unit=kepala,
        tahun_mulai=2016,
    )
    kadis = User.objects.create(username="kadis")
    common = {"dinas": dinas, "unit": bidang, "pejabat": pejabat, "user": kadis}
    awal = _approved_tree(apps, revisi=0, tree_id=901, token="token-awal", pdf=PDF_AWAL, **common)
    perubahan = _approved_tree(apps, revisi=1, tree_id=902, token="token-perubahan", pdf=PDF_PERUBAHAN, **common)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from pohon.models import Dokumen, DokumenTerbit, Pengesahan

    assert Dokumen.objects.count() == 2 and DokumenTerbit.objects.count() == 2
    for pohon_id, token, pdf, judul in (
        (awal.pk, "token-awal", PDF_AWAL, "Tahun 2018"),
        (perubahan.pk, "token-perubahan", PDF_PERUBAHAN, "Tahun 2018 Perubahan 1"),
    ):
        dokumen = Dokumen.objects.get(token=token)
        pengesahan = Pengesahan.objects.get(pohon_id=pohon_id)
        assert pengesahan.dokumen == dokumen and pengesahan.token == token
        assert dokumen.jenis == "kaskade"
        assert (
            dokumen.judul
            == f"Cascading / Pohon Kinerja Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Lumajang {judul}"
        )
        assert (dokumen.dinas_id, dokumen.dinas_nama, dokumen.pemda_nama) == (
            dinas.pk,
            "Dinas Pemberdayaan Masyarakat dan Desa",
            "Kabupaten Lumajang",
        )
        assert (dokumen.tempat, dokumen.diterbitkan_pada) == ("Lumajang", pengesahan.disetujui_pada)
        signers = list(dokumen.penandatangan.all())
        assert [(s.peran, s.urutan, s.pejabat_id, s.nama, s.nip) for s in signers] == [
            ("penandatangan", 1, pejabat.pk, "PATRIANI HASTIADI, AP. MSi.", "197409101994121001")
        ]
        assert (signers[0].jabatan, signers[0].status, signers[0].pangkat) == (
            "Plt. Kepala Dinas Pemberdayaan Masyarakat dan Desa",
            "plt",
            "Pembina Tingkat I, IV/b",
        )
        assert pengesahan.kepala_judul == "KEPALA DINAS PEMBERDAYAAN MASYARAKAT DAN DESA KABUPATEN LUMAJANG"
        assert pengesahan.unit_nama == {str(bidang.pk): "Bidang Pemberdayaan Masyarakat"}
        assert (pengesahan.ttd_status, pengesahan.disetujui_oleh_id) == ("selesai", kadis.pk)
        berkas = DokumenTerbit.objects.get(dokumen=dokumen)
        assert bytes(berkas.pdf) == pdf and berkas.sha256 == hashlib.sha256(pdf).hexdigest()

        html = Client().get(reverse("verifikasi", args=[token])).content.decode()
        assert "PATRIANI HASTIADI, AP. MSi." in html and hashlib.sha256(pdf).hexdigest() in html
        assert "Plt. Kepala Dinas Pemberdayaan Masyarakat dan Desa" in html
    assert Client().get(reverse("verifikasi", args=["token-awal"])).status_code == 200
