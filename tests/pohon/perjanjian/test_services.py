"""Generating, agreeing and signing Perjanjian Kinerja: content per level, refusals, Perubahan."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dinas.services import pejabat_create, pemda_update
from pohon.models import DokumenTerbit, PerjanjianKinerja, PerjanjianRiwayat, Pohon
from pohon.perjanjian.selectors import perjanjian_plans
from pohon.perjanjian.services import (
    perjanjian_approve,
    perjanjian_generate,
    perjanjian_return,
    perjanjian_submit,
)
from pohon.selectors import pohon_tree
from pohon.services import node_update
from pohon.workflow import pohon_approve, pohon_revise, pohon_submit
from tests.pohon.perjanjian.conftest import node, pdf_text, squash

Status = PerjanjianKinerja.Status


def lines_dump(perjanjian: PerjanjianKinerja) -> str:
    """The PK's frozen lines as text: table, indent, jenis, uraian, target satuan, pagu."""
    rows = []
    for b in perjanjian.baris.order_by("tabel", "urutan"):
        pagu = "" if b.pagu is None else str(int(b.pagu))
        rows.append(f"{b.tabel} {'  ' * b.tingkat}{b.jenis} {b.uraian} [{b.target_satuan}] {pagu}".rstrip())
    return "\n".join(rows)


def by_unit(result) -> dict[str, PerjanjianKinerja]:
    return {pk.unit.kode: pk for pk in result.dibuat}


def approve_all(pks, user=None):
    for pk in pks:
        perjanjian_submit(perjanjian=pk, user=user)
        perjanjian_approve(perjanjian=pk, user=user)


@pytest.mark.django_db
def test_generate_makes_one_pk_per_unit_with_an_official_and_lists_the_others(org, users):
    result = perjanjian_generate(pohon=org.pohon, user=users["kadis"])
    pks = by_unit(result)
    assert set(pks) == {"kepala", "bidang-a", "seksi-a1"}
    assert [p.unit.kode for p in result.masalah] == ["seksi-a2"]
    assert result.masalah[0].masalah == (
        "Belum ada pejabat Seksi A2 yang menjabat pada tahun 2018; isi data pejabatnya."
    )
    jpt, adm, pengawas = pks["kepala"], pks["bidang-a"], pks["seksi-a1"]
    assert (jpt.tingkat, adm.tingkat, pengawas.tingkat) == ("jpt", "administrator", "pengawas")
    assert (jpt.pihak_pertama, jpt.pihak_kedua) == (org.kadis, org.bupati)
    assert (adm.pihak_pertama, adm.pihak_kedua) == (org.kabid, org.kadis)
    assert (pengawas.pihak_pertama, pengawas.pihak_kedua) == (org.kasi, org.kabid)
    assert all(p.status == Status.DRAF and p.jenis == "murni" and p.pohon == org.pohon for p in pks.values())
    # Each level lists what DOMAIN.md says, every Pagu the tree's own roll-up.
    assert lines_dump(jpt) == (
        "anggaran program Program pemberdayaan uji [] 1000000\n"
        "kinerja sasaran Meningkatnya keberdayaan masyarakat uji []\n"
        "kinerja   indikator Persentase partisipasi uji [85,5 %]"
    )
    assert lines_dump(adm) == (
        "anggaran program Program pemberdayaan uji [] 1000000\n"
        "anggaran   kegiatan Kegiatan pelatihan uji [] 600000\n"
        "anggaran   kegiatan Kegiatan pembinaan uji [] 400000\n"
        "kinerja sasaran Meningkatnya kapasitas lembaga uji []\n"
        "kinerja   indikator Opini laporan uji [WTP]"
    )
    assert lines_dump(pengawas) == (
        "anggaran kegiatan Kegiatan pelatihan uji [] 600000\n"
        "anggaran   sub_kegiatan Sub kegiatan pelatihan kader uji [] 600000\n"
        "anggaran kegiatan Kegiatan pembinaan uji [] 400000\n"
        "kinerja sasaran Meningkatnya kader terlatih uji []\n"
        "kinerja   indikator Jumlah desa terlatih uji [12 desa]"
    )
    # JUMLAH is the tree's total for the unit: the whole tree for the head, the unit's box below.
    tree = pohon_tree(org.pohon)
    assert jpt.jumlah_pagu == tree.total_pagu == Decimal(1_000_000)
    assert adm.jumlah_pagu == tree.total_of(next(n for n in tree.nodes if n.kode == "B1")) == Decimal(1_000_000)
    assert pengawas.jumlah_pagu == Decimal(1_000_000)
    # Every line points at its node by the lasting key, not by the row id.
    assert {b.kunci for b in jpt.baris.all()} == {
        node(org, "B1.P1").kunci,
        node(org, "T1.S1").kunci,
        node(org, "T1.S1.I1").kunci,
    }
    assert PerjanjianRiwayat.objects.filter(aksi="buat").count() == 3


@pytest.mark.django_db
def test_generate_again_changes_nothing(org, users):
    perjanjian_generate(pohon=org.pohon, user=users["kadis"])
    again = perjanjian_generate(pohon=org.pohon, user=users["admin"])
    assert again.dibuat == [] and len(again.tetap) == 3
    assert PerjanjianKinerja.objects.count() == 3


@pytest.mark.django_db
def test_two_officials_in_the_year_give_no_pk_but_a_message(org, users):
    pejabat_create(
        nama="Kasi Kedua", unit=org.seksi, nip="199001012015031005", jabatan="Kepala Seksi A1", tahun_mulai=2018
    )
    result = perjanjian_generate(pohon=org.pohon, user=users["kadis"])
    assert set(by_unit(result)) == {"kepala", "bidang-a"}
    messages = {p.unit.kode: p.masalah for p in result.masalah}
    assert messages["seksi-a1"] == (
        "Ada 2 pejabat Seksi A1 yang menjabat pada tahun 2018 (Kasi Kedua, Kasi Uji, S.E.); "
        "perbaiki masa jabatannya agar tinggal satu."
    )


@pytest.mark.django_db
def test_no_kepala_daerah_gives_the_jpt_no_pk(org, users):
    org.bupati.delete()
    plans = {p.unit.kode: p for p in perjanjian_plans(org.pohon)}
    assert plans["kepala"].masalah == (
        "Belum ada Kepala Daerah Kabupaten Uji yang menjabat pada tahun 2018; isi data Pemda."
    )
    assert plans["bidang-a"].masalah == ""


@pytest.mark.django_db
def test_a_tree_not_approved_is_refused_and_nothing_changes(org, users):
    draft = pohon_revise(pohon=org.pohon, user=None)
    with pytest.raises(ValidationError) as error:
        perjanjian_generate(pohon=draft, user=users["kadis"])
    assert "hanya dibuat dari pohon kinerja yang sudah disetujui" in error.value.messages[0]
    assert not PerjanjianKinerja.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["operator", "luar"])
def test_generate_by_a_user_without_the_role_is_refused(org, users, who):
    with pytest.raises(PermissionDenied):
        perjanjian_generate(pohon=org.pohon, user=users[who])
    assert not PerjanjianKinerja.objects.exists()


@pytest.mark.django_db
def test_submit_return_and_approve_by_the_roles(org, users):
    pks = by_unit(perjanjian_generate(pohon=org.pohon, user=users["kadis"]))
    seksi = pks["seksi-a1"]
    # The other section's operator may not submit the A1 section's PK; nothing changes.
    with pytest.raises(PermissionDenied):
        perjanjian_submit(perjanjian=seksi, user=users["operator_a2"])
    seksi.refresh_from_db()
    assert seksi.status == Status.DRAF
    # The Bidang's operator submits for the sections of their branch.
    perjanjian_submit(perjanjian=seksi, user=users["operator"], catatan="Mohon diperiksa")
    # An operator does not approve; a return needs a note.
    with pytest.raises(PermissionDenied):
        perjanjian_approve(perjanjian=seksi, user=users["operator"])
    with pytest.raises(ValidationError):
        perjanjian_return(perjanjian=seksi, user=users["kadis"], catatan="  ")
    perjanjian_return(perjanjian=seksi, user=users["kadis"], catatan="Periksa target")
    seksi.refresh_from_db()
    assert (seksi.status, seksi.catatan) == (Status.DIKEMBALIKAN, "Periksa target")
    with pytest.raises(ValidationError):
        perjanjian_approve(perjanjian=seksi, user=users["kadis"])  # not submitted
    perjanjian_submit(perjanjian=seksi, user=users["operator"])
    perjanjian_approve(perjanjian=seksi, user=users["kadis"])
    seksi.refresh_from_db()
    assert seksi.status == Status.DISETUJUI
    assert seksi.ttd_status == PerjanjianKinerja.Ttd.SELESAI  # the job ran (immediate backend)
    assert [r.aksi for r in seksi.riwayat.all()] == ["buat", "ajukan", "kembalikan", "ajukan", "setujui"]
    signers = {s.peran: s for s in seksi.dokumen.penandatangan.all()}
    assert (signers["pihak_pertama"].nama, signers["pihak_pertama"].jabatan) == (
        "Kasi Uji, S.E.",
        "Plh. Kepala Seksi A1",
    )
    assert (signers["pihak_kedua"].nama, signers["pihak_kedua"].jabatan) == (
        "Kabid Uji, S.Sos.",
        "Plt. Kepala Bidang A",
    )
    with pytest.raises(ValidationError):
        perjanjian_submit(perjanjian=seksi, user=users["operator"])  # approved: frozen


@pytest.mark.django_db
def test_the_jpt_is_approved_by_the_kepala_dinas_only_where_the_pemda_allows(org, users):
    jpt = by_unit(perjanjian_generate(pohon=org.pohon, user=users["kadis"]))["kepala"]
    with pytest.raises(PermissionDenied):
        perjanjian_submit(perjanjian=jpt, user=users["operator"])  # not the operator's branch
    perjanjian_submit(perjanjian=jpt, user=users["kadis"])
    pemda_update(pemda=org.pemda, data={"pk_disetujui_kepala_dinas": False})
    jpt.refresh_from_db()
    with pytest.raises(PermissionDenied):
        perjanjian_approve(perjanjian=jpt, user=users["kadis"])
    jpt.refresh_from_db()
    assert jpt.status == Status.DIAJUKAN and jpt.dokumen is None
    perjanjian_approve(perjanjian=jpt, user=users["admin"])
    jpt.refresh_from_db()
    assert jpt.status == Status.DISETUJUI


@pytest.mark.django_db
def test_pdf_of_each_level_prints_parties_prefixes_targets_and_totals(org, users):
    pks = by_unit(perjanjian_generate(pohon=org.pohon, user=users["kadis"]))
    approve_all(pks.values())
    texts = {}
    for kode, pk in pks.items():
        pk.refresh_from_db()
        berkas = DokumenTerbit.objects.get(dokumen=pk.dokumen, kertas="F4")
        assert berkas.halaman == 2
        texts[kode] = squash(pdf_text(bytes(berkas.pdf)))

    jpt = texts["kepala"]
    assert "PERJANJIAN KINERJA TAHUN 2018 DINAS UJI KINERJA KABUPATEN UJI" in jpt
    assert "Nama : Ir. Kadis Uji Jabatan : Kepala Dinas Uji Kinerja Kabupaten Uji" in jpt
    assert "Nama : Bupati Uji Jabatan : Bupati Uji" in jpt
    assert "PIHAK KEDUA, PIHAK PERTAMA," in jpt
    assert "Pembina Utama Muda, IV/c" in jpt
    assert jpt.count("NIP.") == 1  # the Kepala Daerah signs without one
    assert "NIP. 19740910 199412 1 001" in jpt
    assert "Sasaran Strategis" in jpt and "Meningkatnya keberdayaan masyarakat uji" in jpt
    assert "Persentase partisipasi uji 85,5 %" in jpt
    assert "Program pemberdayaan uji Rp 1.000.000" in jpt
    assert "JUMLAH Rp 1.000.000" in jpt
    assert "/verifikasi/" in jpt

    adm = texts["bidang-a"]
    assert "Jabatan : Plt. Kepala Bidang A" in adm
    assert "PLT. KEPALA BIDANG A" in adm
    assert "Sasaran Program" in adm and "Opini laporan uji WTP" in adm
    assert "Kegiatan pelatihan uji Rp 600.000" in adm and "JUMLAH Rp 1.000.000" in adm

    pengawas = texts["seksi-a1"]
    assert "Jabatan : Plh. Kepala Seksi A1" in pengawas
    assert "PLH. KEPALA SEKSI A1" in pengawas and "PLT. KEPALA BIDANG A" in pengawas
    assert "Sasaran Kegiatan" in pengawas and "Jumlah desa terlatih uji 12 desa" in pengawas
    assert "Sub kegiatan pelatihan kader uji Rp 600.000" in pengawas
    assert "JUMLAH Rp 1.000.000" in pengawas


@pytest.mark.django_db
def test_a_new_approved_revision_makes_perubahan_only_where_content_changed(org, users, client):
    pks = by_unit(perjanjian_generate(pohon=org.pohon, user=users["kadis"]))
    approve_all(pks.values())
    murni = PerjanjianKinerja.objects.get(pk=pks["seksi-a1"].pk)

    revision = pohon_revise(pohon=org.pohon, user=None)
    node_update(node=node(org, "B1.X1.S1.I1", revision), user=None, target_angka=Decimal(15))
    # Before the revision is approved, PKs are made from the approved one: nothing new.
    assert perjanjian_generate(pohon=org.pohon, user=users["kadis"]).dibuat == []
    pohon_submit(pohon=revision, user=None)
    pohon_approve(pohon=revision, user=None)
    revision = Pohon.objects.get(pk=revision.pk)
    with pytest.raises(ValidationError):
        perjanjian_generate(pohon=org.pohon, user=users["kadis"])  # a newer approved revision exists

    result = perjanjian_generate(pohon=revision, user=users["kadis"])
    assert [p.unit.kode for p in result.dibuat] == ["seksi-a1"]
    assert {p.unit.kode for p in result.tetap} == {"kepala", "bidang-a"}
    perubahan = result.dibuat[0]
    assert (perubahan.jenis, perubahan.menggantikan, perubahan.pohon) == ("perubahan", murni, revision)
    assert "Jumlah desa terlatih uji [15 desa]" in lines_dump(perubahan)
    approve_all([perubahan])
    perubahan.refresh_from_db()
    murni.refresh_from_db()
    assert murni.dokumen.diganti_oleh == perubahan.dokumen
    assert murni.pengganti == perubahan

    text = squash(pdf_text(bytes(perubahan.dokumen.berkas.get().pdf)))
    assert "PERJANJIAN KINERJA PERUBAHAN TAHUN 2018" in text
    assert "menggantikan Perjanjian Kinerja tahun 2018" in text

    # Both stay verifiable; the earlier one names its replacement.
    old_page = client.get(f"/verifikasi/{murni.dokumen.token}/")
    assert old_page.status_code == 200
    body = squash(old_page.content.decode())
    assert "Dokumen ini telah diganti oleh" in body and perubahan.dokumen.judul in body
    new_page = client.get(f"/verifikasi/{perubahan.dokumen.token}/")
    assert new_page.status_code == 200
    assert "Dokumen ini menggantikan" in new_page.content.decode()
    upload = client.post(
        f"/verifikasi/{murni.dokumen.token}/",
        {"berkas": _file(bytes(murni.dokumen.berkas.get().pdf))},
    )
    assert "identik" in upload.content.decode().lower()


def _file(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("pk.pdf", data, content_type="application/pdf")


@pytest.mark.django_db
def test_a_failed_signing_is_recorded_and_can_be_retried(org, users, settings, tmp_path):
    from pohon.perjanjian.jobs import perjanjian_sign_enqueue
    from pohon.perjanjian.services import perjanjian_sign_retry

    pk = by_unit(perjanjian_generate(pohon=org.pohon, user=users["kadis"]))["bidang-a"]
    perjanjian_submit(perjanjian=pk, user=None)
    pk = perjanjian_approve(perjanjian=pk, user=users["kadis"], enqueue=False)
    certificate = settings.POKIN_SIGNING_P12
    settings.POKIN_SIGNING_P12 = tmp_path / "hilang.p12"  # the certificate went missing meanwhile
    perjanjian_sign_enqueue(perjanjian=pk, user=users["kadis"])
    pk.refresh_from_db()
    assert pk.ttd_status == PerjanjianKinerja.Ttd.GAGAL
    assert "sertifikat tanda tangan elektronik tidak tersedia" in pk.ttd_galat
    assert pk.status_display == "Penandatanganan gagal"
    assert not pk.dokumen.berkas.exists()
    with pytest.raises(ValidationError):
        perjanjian_sign_retry(perjanjian=pk, user=users["kadis"])  # still missing: refused at once
    with pytest.raises(PermissionDenied):
        perjanjian_sign_retry(perjanjian=pk, user=users["operator"])
    settings.POKIN_SIGNING_P12 = certificate
    perjanjian_sign_retry(perjanjian=pk, user=users["kadis"])
    pk.refresh_from_db()
    assert pk.ttd_status == PerjanjianKinerja.Ttd.SELESAI and pk.dokumen.berkas.count() == 1
    with pytest.raises(ValidationError):
        perjanjian_sign_retry(perjanjian=pk, user=users["kadis"])  # nothing left to sign
