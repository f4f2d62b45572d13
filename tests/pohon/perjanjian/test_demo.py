"""The demo's Perjanjian Kinerja: load_demo gives the approved 2018 tree its 16 PKs, signed, with
example officials marked "(contoh)"; each level's PDF prints what the seed tree holds."""

from io import StringIO

import pytest
from django.core.management import call_command

from dinas.models import Pejabat
from pohon.models import Pohon
from pohon.perjanjian.models import PerjanjianKinerja
from pohon.selectors import pohon_dump, pohon_tree
from tests.conftest import DEMO_PROGRAMMES
from tests.pohon.perjanjian.conftest import pdf_text, squash


@pytest.mark.django_db
def test_load_demo_issues_every_pk_of_the_approved_tree(signing_certificate):
    out = StringIO()
    call_command("load_demo", demo=True, stdout=out)
    output = out.getvalue()
    pohon = Pohon.objects.get(dinas__kode="dpmd-lumajang", tahun=2018)
    tree = pohon_tree(pohon)

    pks = {pk.unit.kode: pk for pk in PerjanjianKinerja.objects.select_related("unit", "dokumen")}
    assert len(pks) == 16
    assert {pk.tingkat for pk in pks.values()} == {"jpt", "administrator", "pengawas"}
    assert [pk.tingkat for pk in pks.values()].count("pengawas") == 11
    assert all(pk.status == "disetujui" and pk.ttd_status == "selesai" for pk in pks.values())
    assert all(pk.dokumen.berkas.filter(kertas="F4").exists() for pk in pks.values())
    # The example data says what it is, in the command's output and on every example official.
    assert "Pejabat CONTOH dibuat (nama fiktif bertanda (contoh), bukan data seed): 16" in output
    assert "Plt. Sekretaris Dinas Pemberdayaan Masyarakat dan Desa: Drs. Eko Prasetyo (contoh)" in output
    assert "Perjanjian Kinerja disetujui dan ditandatangani: 16" in output
    examples = Pejabat.objects.exclude(nama="PATRIANI HASTIADI, AP. MSi.")
    assert examples.count() == 16 and all(p.nama.endswith("(contoh)") for p in examples)

    def text(kode: str) -> str:
        return squash(pdf_text(bytes(pks[kode].dokumen.berkas.get(kertas="F4").pdf)))

    jpt = text("kepala")
    assert "Nama : PATRIANI HASTIADI, AP. MSi." in jpt
    assert "Nama : H. Bambang Sutrisno, S.H. (contoh) Jabatan : Bupati Lumajang" in jpt
    assert "PIHAK KEDUA, PIHAK PERTAMA, BUPATI LUMAJANG KEPALA DINAS PEMBERDAYAAN MASYARAKAT" in jpt
    assert jpt.count("NIP.") == 1 and "NIP. 19740910 199412 1 001" in jpt
    assert "Sasaran Strategis" in jpt
    assert "Meningkatnya Keberdayaan Masyarakat Persentase Partisipasi Masyarakat" in jpt
    for programme, pagu in DEMO_PROGRAMMES:
        assert f"{programme} {pagu}" in jpt
    assert "JUMLAH Rp 8.731.687.000" in jpt and tree.total_pagu == 8_731_687_000

    sekretariat = text("sekretariat")
    assert "Jabatan : Plt. Sekretaris Dinas Pemberdayaan Masyarakat dan Desa" in sekretariat
    assert "PLT. SEKRETARIS DINAS PEMBERDAYAAN MASYARAKAT DAN DESA" in sekretariat
    # (a table cell's text wraps: pdftotext reads the row across, so a long statement is split)
    assert "Sasaran Program" in sekretariat and "Meningkatnya Pelayanan dan" in sekretariat
    assert "Persentase pemenuhan sarana dan" in sekretariat
    assert "Program pelayanan administrasi perkantoran Rp 895.194.900" in sekretariat
    b4 = next(n for n in tree.nodes if n.kode == "B4")
    assert tree.total_of(b4) == 1_284_400_000 and "JUMLAH Rp 1.284.400.000" in sekretariat

    umum = text("subbagian-umum-dan-kepegawaian")
    assert "Jabatan : Plh. Kepala Subbagian Umum dan Kepegawaian" in umum
    assert "PLT. SEKRETARIS DINAS" in umum  # the pihak kedua, the acting Sekretaris
    assert "Sasaran Kegiatan" in umum and "Meningkatnya Pengadministrasian" in umum
    assert "Pelayanan Administrasi dan Operasional Perkantoran" in umum
    assert "JUMLAH -" in umum  # the seed gives the sections' Kegiatan no Pagu

    # The tree stays exactly the seed; running the command again changes nothing.
    dump = pohon_dump(tree)
    call_command("load_demo", demo=True, stdout=StringIO())
    assert PerjanjianKinerja.objects.count() == 16 and Pejabat.objects.count() == 17
    assert pohon_dump(pohon_tree(pohon)) == dump
