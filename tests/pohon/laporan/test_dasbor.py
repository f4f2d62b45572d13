"""The agency's and the Pemda's dashboards for the demo's example 2019: the figures, colours,
charts and formulas a user sees, and who may see them."""

import re

import pytest
from django.urls import reverse

from pohon.laporan.selectors import dasbor_dinas

pytestmark = pytest.mark.django_db


def row_of(html: str, label: str) -> str:
    """The table row of the page that names ``label``."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.DOTALL)
    matches = [row for row in rows if label in row]
    assert matches, label
    return matches[0]


def test_agency_dashboard_shows_the_example_year(demo_2019, login):
    response = login("kadis").get(reverse("laporan:dinas", args=["dpmd-lumajang", 2019]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Data contoh.</strong> Target, target triwulan" in html and "bukan data Dinas yang sebenarnya" in html
    # Up to the latest quarter reported (TW IV): the whole agency, then per unit and per Sasaran.
    assert "Capaian s.d. TW IV" in html
    assert re.search(r'id="lp-capaian">91,6 %<', html)
    assert "55 dari 57 indikator" in html
    sekretariat = row_of(html, "<td>Sekretariat</td>")
    assert "lp-merah" in sekretariat and "64,2 %" in sekretariat and "kurang" in sekretariat
    bina_kader = row_of(html, "<td>Seksi Bina Kader Pemberdayaan</td>")
    assert "lp-hijau" in bina_kader and "133,42 %" in bina_kader and "periksa" in bina_kader
    lembaga = row_of(html, "<td>Seksi Lembaga Ekonomi Masyarakat</td>")
    assert "lp-kuning" in lembaga and "80,39 %" in lembaga
    # The unit that has not reported TW IV is grey ("belum lapor"), never green.
    kerja_sama = row_of(html, "<td>Seksi Kerja Sama Desa</td>")
    assert "lp-abu" in kerja_sama and "belum lapor" in kerja_sama and "0 dari 2 indikator" in kerja_sama
    assert re.search(r'id="lp-belum">1<', html)
    # Per Sasaran, with its kode and unit.
    assert "B4.S1" in row_of(html, "Meningkatnya Pelayanan dan Sapras Perkantoran.")
    # Serapan per quarter: Rupiah and percentages, cumulative.
    assert "Rp 8.731.687.000" in html
    assert re.search(r'id="lp-serapan">92 %<', html)
    serapan_tw1 = row_of(html, "<td>TW I</td>")
    assert "Rp 1.222.436.180" in serapan_tw1 and "14 %" in serapan_tw1
    # The formulas under every table that shows capaian, and the serapan formula.
    assert html.count("Capaian = Realisasi / Target × 100%") == 2
    assert "(2 × Target − Realisasi) / Target × 100%" in html
    assert "Serapan = Realisasi anggaran / Pagu × 100%" in html
    # The charts: server-drawn SVG with their numbers written in them, coloured by band.
    assert html.count('role="img"') == 6  # three charts, each drawn wide and narrow (phone)
    assert 'class="batang batang-merah"' in html and 'class="batang batang-abu"' in html
    assert "64,2 %" in html.split('id="grafik-unit"')[1].split("</svg>")[0]


def test_an_earlier_quarter(demo_2019, login):
    html = login("kadis").get(reverse("laporan:dinas", args=["dpmd-lumajang", 2019]) + "?triwulan=2").content.decode()
    assert "Capaian s.d. TW II" in html
    assert re.search(r'id="lp-belum">0<', html)  # every unit reported TW II
    assert "Semua unit kerja sudah mengajukan laporan triwulan ini." in html
    assert re.search(r'id="lp-serapan">40 %<', html)


def test_a_year_without_an_approved_tree(demo_2019, login):
    html = login("kadis").get(reverse("laporan:dinas", args=["dpmd-lumajang", 2020])).content.decode()
    assert "Belum ada pohon kinerja tahun 2020 yang disetujui" in html


def test_the_dashboard_reads_in_a_fixed_number_of_queries(demo_2019, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):  # six reads and the Pemda's colour bands
        dasbor = dasbor_dinas(dinas=demo_2019, tahun=2019)
        dasbor.svg_sasaran(), dasbor.svg_unit(), dasbor.svg_serapan()


def test_pemda_dashboard_for_admin(demo_2019, login):
    link = "Dasbor Kabupaten Lumajang (semua Perangkat Daerah)"
    agency = reverse("laporan:dinas", args=["dpmd-lumajang", 2019])
    assert link not in login("kadis").get(agency).content.decode()
    assert link in login("admin").get(agency).content.decode()
    response = login("admin").get(reverse("laporan:pemda", args=["kabupaten-lumajang", 2019]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dasbor Pemda untuk Bappeda dan admin Pemda ini." in html
    row = row_of(html, "Dinas Pemberdayaan Masyarakat dan Desa</a>")
    assert "91,6 %" in row and "data contoh" in row and "92 %" in row
    assert 'id="grafik-dinas"' in html


def test_pemda_dashboard_for_its_bappeda_not_another_pemdas(demo_2019, login, client):
    from django.contrib.auth import get_user_model

    from dinas.models import Keanggotaan
    from dinas.services import pemda_pemilik_ensure
    from tests.conftest import pemda_named

    url = reverse("laporan:pemda", args=["kabupaten-lumajang", 2019])
    agency = login("bappeda").get(reverse("laporan:dinas", args=["dpmd-lumajang", 2019])).content.decode()
    assert "Dasbor Kabupaten Lumajang (semua Perangkat Daerah)" in agency
    response = login("bappeda").get(url)
    assert response.status_code == 200 and "91,6 %" in row_of(response.content.decode(), "Desa</a>")
    other = get_user_model().objects.create_user("bappeda-lain", password="x")
    owner = pemda_pemilik_ensure(pemda=pemda_named("Kota Lain"))
    Keanggotaan.objects.create(user=other, dinas=owner, peran=Keanggotaan.Peran.BAPPEDA)
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_rights(demo_2019, login, client, ganda):
    urls = [
        reverse("laporan:dinas", args=["dpmd-lumajang", 2019]),
        reverse("laporan:lkj", args=["dpmd-lumajang", 2019]),
        reverse("laporan:lkj_xlsx", args=["dpmd-lumajang", 2019]),
        reverse("laporan:triwulan_xlsx", args=["dpmd-lumajang", 2019, 4]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the login page
    # Another agency's user: as if it did not exist.
    client.force_login(ganda)
    for url in urls:
        assert client.get(url).status_code == 404
    terbitkan = reverse("laporan:terbitkan", args=["dpmd-lumajang", 2019])
    assert client.post(terbitkan, {"jenis": "kinerja"}).status_code == 404
    assert client.get(reverse("laporan:pemda", args=["kabupaten-lumajang", 2019])).status_code == 404
    # The agency's operator reads, but neither issues nor sees the Pemda.
    operator = login("operator")
    assert operator.get(urls[0]).status_code == 200
    assert operator.post(terbitkan, {"jenis": "kinerja"}).status_code == 403
    assert operator.get(reverse("laporan:pemda", args=["kabupaten-lumajang", 2019])).status_code == 403
    # The Kepala Dinas is no admin either: the Pemda dashboard is for admins (no Bappeda role yet).
    assert login("kadis").get(reverse("laporan:pemda", args=["kabupaten-lumajang", 2019])).status_code == 403
    from pohon.laporan.models import LaporanTerbit

    assert not LaporanTerbit.objects.exists()


def test_the_example_tree_says_so_on_its_chart_and_table(demo_2019, login):
    client = login("operator")
    for name in ("pohon:chart", "pohon:table"):
        html = client.get(reverse(name, args=["dpmd-lumajang", 2019])).content.decode()
        assert "Data contoh.</strong> Target, target triwulan dan realisasi tahun 2019 dibuat oleh demo" in html
        assert "Data contoh" not in client.get(reverse(name, args=["dpmd-lumajang", 2018])).content.decode()
