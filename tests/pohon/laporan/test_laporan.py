"""The quarterly report and the Laporan Kinerja: the PDF text, the xlsx content, and issuing
them as signed, verifiable documents (only by a POST, only by the Kepala Dinas or an Admin)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pohon.laporan.models import LaporanTerbit
from pohon.models import Dokumen, DokumenTerbit
from tests.pohon.laporan.conftest import pdf_text

pytestmark = pytest.mark.django_db


def last_year_reported(dinas) -> None:
    """2018 approved, with a target of 70 % and a realisation of 63 % for T1.S1.I1 (the same node
    of the cycle as 2019's T1.S1.I1: the copy kept its kunci), whose kode is changed in 2018 so
    that only the lasting key can match them."""
    from decimal import Decimal

    from pohon.models import Node, Pohon
    from pohon.realisasi.models import Realisasi

    pohon = Pohon.objects.get(dinas=dinas, tahun=2018)
    Pohon.objects.filter(pk=pohon.pk).update(status=Pohon.Status.DISETUJUI)
    node = Node.objects.get(pohon=pohon, kode="T1.S1.I1")
    Node.objects.filter(pk=node.pk).update(kode="LAMA.1", target_angka=Decimal(70), satuan="%")
    Realisasi.objects.create(dinas=dinas, tahun=2018, triwulan=4, kunci=node.kunci, realisasi_angka=Decimal(63))


def test_lkj_pdf_prints_satuan_targets_capaian_and_formulas(demo_2019, login):
    last_year_reported(demo_2019)
    response = login("kadis").get(reverse("laporan:lkj_pdf", args=["dpmd-lumajang", 2019]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "LAPORAN KINERJA (LKJ) TAHUN 2019 DINAS PEMBERDAYAAN MASYARAKAT DAN DESA KABUPATEN LUMAJANG" in text
    assert "DATA CONTOH." in text and "DRAF" in text
    assert "Target dan capaian tahun lalu dari pohon dpmd-lumajang 2018" in text
    # One Indikator's row: kode, uraian, satuan, last year's target and capaian (matched by the
    # lasting key), this year's target, realisation and capaian.
    assert "T1.S1.I1 Persentase Partisipasi Masyarakat % 70 90 % 80 84 105 %" in text
    # Where last year had no target (the seed has none), its columns are empty.
    assert "B1.K1.S1.I1 Jumlah Pengurus dan Kader PKK yang aktif orang — — 1.200" in text
    # The formulas used, and the budget annex with its total.
    assert "Capaian = Realisasi / Target × 100%" in text
    assert "(2 × Target − Realisasi) / Target × 100%" in text
    assert "Efisiensi = (Pagu − Realisasi anggaran) / Pagu × 100%" in text
    assert "JUMLAH Rp 8.731.687.000 Rp 8.033.152.040 92 %" in text
    assert "Faktor penghambat" in text and "(contoh) Jadwal kegiatan" in text  # the notes annex


def test_quarterly_pdf(demo_2019, login):
    response = login("operator").get(reverse("laporan:triwulan_pdf", args=["dpmd-lumajang", 2019, 4]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "LAPORAN KINERJA TRIWULAN IV TAHUN 2019" in text
    assert "Capaian s.d. TW IV" in text and "Seksi Kerja Sama Desa 0 / 2 Belum lapor" in text
    assert "Serapan = Realisasi anggaran / Pagu × 100%" in text


def test_quarterly_xlsx(demo_2019, login):
    response = login("kadis").get(reverse("laporan:triwulan_xlsx", args=["dpmd-lumajang", 2019, 2]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="laporan-triwulan-2-dpmd-lumajang-2019.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Indikator", "Anggaran", "Unit kerja", "Catatan", "Rumus"]
    sheet = workbook["Indikator"]
    assert sheet["A1"].value == (
        "LAPORAN KINERJA TRIWULAN II TAHUN 2019 DINAS PEMBERDAYAAN MASYARAKAT DAN DESA KABUPATEN LUMAJANG"
    )
    assert sheet["A2"].value.startswith("DATA CONTOH.")
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Kode"][:10] == (
        "Kode", "Sasaran", "Indikator", "Unit kerja", "Satuan", "Target tahun", "Target TW II", "Realisasi TW II",
        "Capaian s.d. TW II", "Status",
    )  # fmt: skip
    t1 = rows["T1.I1"]
    assert t1[4:6] == ("desa", "25") and t1[9] == "Diverifikasi"
    assert t1[8].endswith("%")
    anggaran = {row[0]: row for row in workbook["Anggaran"].iter_rows(values_only=True) if row and row[0]}
    assert anggaran["B1.P1"][2] == "Rp 2.078.747.000"
    rumus = [row[0] for row in workbook["Rumus"].iter_rows(values_only=True) if row and row[0]]
    assert "Capaian = Realisasi / Target × 100%" in rumus


def test_lkj_xlsx(demo_2019, login):
    response = login("kadis").get(reverse("laporan:lkj_xlsx", args=["dpmd-lumajang", 2019]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Pengukuran kinerja", "Efisiensi anggaran", "Catatan", "Rumus"]
    rows = {row[0]: row for row in workbook["Pengukuran kinerja"].iter_rows(values_only=True) if row and row[0]}
    assert rows["Kode"][4:9] == ("Target 2018", "Capaian 2018", "Target 2019", "Realisasi 2019", "Capaian 2019")
    assert rows["T1.S1.I1"][3:9] == ("%", "—", "—", "80", "84", "105 %")  # 2018 not approved here: empty
    sheet = workbook["Efisiensi anggaran"]
    efisiensi = [row for row in sheet.iter_rows(values_only=True) if row and row[1] == "JUMLAH"]
    assert efisiensi == [(None, "JUMLAH", "Rp 8.731.687.000", "Rp 8.033.152.040", "92 %", "Rp 698.534.960", "8 %")]


def test_lkj_page(demo_2019, login):
    html = login("kadis").get(reverse("laporan:lkj", args=["dpmd-lumajang", 2019])).content.decode()
    assert "Data contoh." in html
    assert "Efisiensi = (Pagu − Realisasi anggaran) / Pagu × 100%" in html
    assert "Rp 698.534.960" in html


def test_issuing_signs_in_the_background_and_is_verifiable(demo_2019, login, signing_certificate):
    client = login("kadis")
    dashboard = reverse("laporan:dinas", args=["dpmd-lumajang", 2019])
    before = Dokumen.objects.count()
    # GETs make nothing: neither the drafts nor the dashboard issue or sign.
    client.get(dashboard)
    client.get(reverse("laporan:lkj_pdf", args=["dpmd-lumajang", 2019]))
    assert Dokumen.objects.count() == before

    response = client.post(reverse("laporan:terbitkan", args=["dpmd-lumajang", 2019]), {"jenis": "kinerja"})
    assert response.status_code == 302
    laporan = LaporanTerbit.objects.get()
    assert laporan.ttd_status == LaporanTerbit.Ttd.SELESAI  # the job ran (immediate backend in tests)
    assert laporan.dokumen.jenis == Dokumen.Jenis.LAPORAN_KINERJA
    assert laporan.dokumen.judul.endswith("(DATA CONTOH)")
    assert laporan.dokumen.penandatangan_utama.nama == "PATRIANI HASTIADI, AP. MSi."
    berkas = DokumenTerbit.objects.get(dokumen=laporan.dokumen)

    pdf = client.get(reverse("laporan:terbit_pdf", args=["dpmd-lumajang", 2019, laporan.pk]))
    assert pdf.status_code == 200 and pdf.content == bytes(berkas.pdf)
    text = pdf_text(pdf.content)
    assert "DRAF" not in text and "NIP. 19740910 199412 1 001" in text
    assert "/verifikasi/" + laporan.dokumen.token in text.replace(" ", "")
    page = client.get(reverse("verifikasi", args=[laporan.dokumen.token])).content.decode()
    assert "Laporan Kinerja (LKj)" in page

    # Issued again: the new one replaces the first, which stays verifiable and names it.
    client.post(reverse("laporan:terbitkan", args=["dpmd-lumajang", 2019]), {"jenis": "kinerja"})
    first, second = LaporanTerbit.objects.order_by("pk")
    first.dokumen.refresh_from_db()
    assert first.dokumen.diganti_oleh_id == second.dokumen_id
    # The issued content is frozen: the page shows the issued list.
    assert "diganti" in client.get(dashboard).content.decode()


def test_issue_refusals(demo_2019, login, signing_certificate):
    client = login("kadis")
    url = reverse("laporan:terbitkan", args=["dpmd-lumajang", 2020])
    response = client.post(url, {"jenis": "kinerja"}, follow=True)
    assert "Pohon kinerja 2020 belum disetujui" in response.content.decode()
    response = client.post(
        reverse("laporan:terbitkan", args=["dpmd-lumajang", 2019]), {"jenis": "triwulan", "triwulan": "7"}, follow=True
    )
    assert "Triwulan harus 1 sampai 4." in response.content.decode()
    assert not LaporanTerbit.objects.exists()
