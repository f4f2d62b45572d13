"""The quarterly reporting pages: what each role sees and may do, and what is refused."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from dinas.models import Keanggotaan
from pohon.realisasi.models import JendelaPelaporan, LaporanTriwulan, Realisasi, RealisasiAnggaran
from pohon.realisasi.services import jendela_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(realisasi_tree):
    """The realisation tree with TW III open today (the fixture's windows are in 2019)."""
    today = timezone.localdate()
    jendela_set(
        pemda=realisasi_tree["pohon"].dinas.pemda,
        tahun=2019,
        triwulan=3,
        mulai=today - datetime.timedelta(days=1),
        selesai=today + datetime.timedelta(days=30),
        user=None,
    )
    return realisasi_tree


def entri_url(unit="bidang-a", triwulan=3):
    return reverse("realisasi:entri", args=["dinas-uji", 2019, triwulan, unit])


def _login(client, tree, name):
    client.force_login(tree["users"][name])
    return client


def _form(tree, **values):
    nodes = tree["nodes"]
    data = {
        "indikator": [str(nodes[k].kunci) for k in ("S1.I1", "S1.I2", "P1.I1")],
        "anggaran": [str(nodes["P1"].kunci)],
    }
    for kode, value in values.items():
        kode = kode.replace("_", ".")
        if kode == "P1":
            data[f"a-{nodes['P1'].kunci}"] = value
        else:
            data[f"r-{nodes[kode].kunci}"] = value
    return data


def test_operator_enters_quarter_and_sees_capaian(client, tree):
    _login(client, tree, "op_a")
    page = client.get(entri_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "S1.I1" in text and "Persentase desa maju" in text and "S2.I1" not in text  # only Bidang A's
    assert "Capaian = Realisasi / Target × 100%" in text  # the formula under the table
    data = _form(tree, S1_I1="85,5", S1_I2="WTP", P1_I1="8", P1="Rp 300.000.000")
    data[f"pendukung-{tree['nodes']['S1.I1'].kunci}"] = "Pendampingan desa"
    response = client.post(entri_url(), data | {"aksi": "simpan"}, follow=True)
    assert "Realisasi TW III disimpan." in response.content.decode()
    saved = Realisasi.objects.get(kunci=tree["nodes"]["S1.I1"].kunci)
    assert (saved.realisasi_angka, saved.pendukung, saved.triwulan) == (Decimal("85.5"), "Pendampingan desa", 3)
    assert RealisasiAnggaran.objects.get().jumlah == Decimal(300_000_000)
    page = client.get(reverse("realisasi:ringkasan", args=["dinas-uji", 2019])).content.decode()
    assert "106,88 %" in page  # 85,5 / 80 at the year's end (TW III is the latest quarter)


def test_bad_value_refuses_all_keeps_what_was_typed(client, tree):
    _login(client, tree, "op_a")
    response = client.post(entri_url(), _form(tree, S1_I1="85,5", S1_I2="Baik", P1_I1="8", P1="") | {"aksi": "simpan"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "tidak ada pada skala indikator" in text
    assert 'value="85,5"' in text  # nothing lost
    assert not Realisasi.objects.exists()


def test_above_pagu_asks_for_confirmation(client, tree):
    _login(client, tree, "op_a")
    data = _form(tree, S1_I1="80", S1_I2="WTP", P1_I1="8", P1="1.500.000.000") | {"aksi": "simpan"}
    response = client.post(entri_url(), data)
    assert response.status_code == 400
    assert "melebihi Pagu Rp 1.000.000.000" in response.content.decode()
    assert "Saya konfirmasi: realisasi melebihi Pagu" in response.content.decode()
    assert not RealisasiAnggaran.objects.exists()
    data[f"ok-{tree['nodes']['P1'].kunci}"] = "1"
    assert client.post(entri_url(), data).status_code == 302
    assert RealisasiAnggaran.objects.get().melebihi_pagu


def test_other_units_form_is_403_and_nothing_changes(client, tree):
    _login(client, tree, "op_a")
    nodes = tree["nodes"]
    data = {"indikator": [str(nodes["S2.I1"].kunci)], f"r-{nodes['S2.I1'].kunci}": "100", "aksi": "simpan"}
    assert client.post(entri_url("bidang-b"), data).status_code == 403
    assert client.post(entri_url("bidang-a"), data).status_code == 403  # S2.I1 smuggled into A's form
    assert not Realisasi.objects.exists()
    page = client.get(entri_url("bidang-b")).content.decode()
    assert "operator mengisi laporan unit kerjanya sendiri" in page and "btn-simpan" not in page


def test_another_agency_is_404(client, tree, other_dinas):
    user = get_user_model().objects.create_user("luar", password="x")
    Keanggotaan.objects.create(user=user, dinas=other_dinas, peran="admin")
    client.force_login(user)
    for url in (
        entri_url(),
        reverse("realisasi:ringkasan", args=["dinas-uji", 2019]),
        reverse("realisasi:verifikasi", args=["dinas-uji", 2019, 3]),
        reverse("realisasi:rencana", args=["dinas-uji", 2019]),
        reverse("realisasi:impor", args=["dinas-uji", 2019]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(entri_url(), _form(tree, S1_I1="1") | {"aksi": "simpan"}).status_code == 404
    assert not Realisasi.objects.exists()


def test_closed_window_shows_why_and_refuses(client, tree):
    _login(client, tree, "op_a")
    page = client.get(entri_url(triwulan=2)).content.decode()
    assert "sudah ditutup; minta Bappeda atau admin membukanya kembali" in page and "btn-simpan" not in page
    response = client.post(entri_url(triwulan=2), _form(tree, S1_I1="80") | {"aksi": "simpan"}, follow=True)
    assert "sudah ditutup" in response.content.decode()
    assert not Realisasi.objects.exists()


def test_submit_then_kepala_dinas_verifies_and_it_freezes(client, tree):
    _login(client, tree, "op_a")
    data = _form(tree, S1_I1="80", S1_I2="WTP", P1_I1="8", P1="100000000") | {"aksi": "ajukan"}
    response = client.post(entri_url(), data, follow=True)
    assert "Laporan TW III diajukan kepada Kepala Dinas." in response.content.decode()
    assert client.get(reverse("realisasi:verifikasi", args=["dinas-uji", 2019, 3])).status_code == 403
    client.force_login(tree["users"]["kadis"])
    url = reverse("realisasi:verifikasi", args=["dinas-uji", 2019, 3])
    page = client.get(url).content.decode()
    assert "Diajukan" in page and "Persentase desa maju" in page
    response = client.post(url, {"unit": "bidang-a", "aksi": "kembalikan", "catatan": ""}, follow=True)
    assert "Tuliskan catatan" in response.content.decode()
    response = client.post(url, {"unit": "bidang-a", "aksi": "verifikasi", "catatan": "Lengkap"}, follow=True)
    assert "Laporan diverifikasi dan dikunci." in response.content.decode()
    assert LaporanTriwulan.objects.get().status == "diverifikasi"
    _login(client, tree, "op_a")
    page = client.get(entri_url()).content.decode()
    assert "laporan ini terkunci" in page and "btn-simpan" not in page
    data["aksi"] = "simpan"
    data[f"r-{tree['nodes']['S1.I1'].kunci}"] = "99"
    assert client.post(entri_url(), data).status_code == 400
    assert Realisasi.objects.get(kunci=tree["nodes"]["S1.I1"].kunci).realisasi_angka == Decimal(80)


def test_window_page_admin_only_reopen_needs_reason(client, tree):
    url = reverse("realisasi:jendela", args=[tree["pohon"].dinas.pemda.kode, 2019])
    _login(client, tree, "op_a")
    assert client.get(url).status_code == 403
    _login(client, tree, "admin_dinas")
    assert "Jendela pelaporan 2019" in client.get(url).content.decode()
    today = timezone.localdate()
    data = {"triwulan": "2", "mulai": str(today), "selesai": str(today + datetime.timedelta(days=5))}
    response = client.post(url, data)
    assert response.status_code == 400 and "alasan membukanya kembali" in response.content.decode()
    assert client.post(url, data | {"alasan": "Perpanjangan"}).status_code == 302
    window = JendelaPelaporan.objects.get(triwulan=2)
    assert window.alasan_buka_ulang == "Perpanjangan" and window.dibuka_ulang_oleh == "admin_dinas"
    assert client.post(url, {"triwulan": "2", "aksi": "tutup"}).status_code == 302
    assert JendelaPelaporan.objects.get(triwulan=2).ditutup


def test_rencana_page_saves_quarterly_targets(client, tree):
    _login(client, tree, "op_a")
    url = reverse("realisasi:rencana", args=["dinas-uji", 2019])
    page = client.get(url).content.decode()
    assert "S1.I1" in page and "S2.I1" not in page
    kunci = tree["nodes"]["S1.I1"].kunci
    data = {"indikator": [str(kunci)], f"aturan-{kunci}": "kumulatif", f"t1-{kunci}": "20", f"t2-{kunci}": "85,5,5"}
    response = client.post(url, data)
    assert response.status_code == 400 and "bukan angka yang dikenali" in response.content.decode()
    data[f"t2-{kunci}"] = "20"
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    assert 'value="20"' in page


def test_tree_page_links_to_realisation(client, tree):
    _login(client, tree, "op_a")
    page = client.get(reverse("pohon:chart", args=["dinas-uji", 2019])).content.decode()
    assert reverse("realisasi:ringkasan", args=["dinas-uji", 2019]) in page


def test_pemda_colour_bands_change_the_colours(client, tree):
    from pohon.realisasi.selectors import realisasi_tahun

    _login(client, tree, "op_a")
    client.post(entri_url(), _form(tree, S1_I1="68", S1_I2="WTP", P1_I1="8", P1="") | {"aksi": "simpan"})
    dinas = tree["pohon"].dinas
    row = next(r for r in realisasi_tahun(dinas=dinas, tahun=2019).indikator if r.node.kode == "S1.I1")
    assert (row.tw(3).capaian.nilai, row.tw(3).warna) == (Decimal("85.00"), "kuning")
    _login(client, tree, "admin_dinas")
    url = reverse("realisasi:jendela", args=[dinas.pemda.kode, 2019])
    response = client.post(url, {"aksi": "ambang", "hijau": "70", "kuning": "80", "periksa": "120"})
    assert response.status_code == 400 and "Batas kuning tidak boleh di atas batas hijau." in response.content.decode()
    response = client.post(url, {"aksi": "ambang", "hijau": "banyak", "kuning": "60", "periksa": "120"})
    assert response.status_code == 400 and "harus berupa angka persen" in response.content.decode()
    assert client.post(url, {"aksi": "ambang", "hijau": "85", "kuning": "60", "periksa": "110"}).status_code == 302
    row = next(r for r in realisasi_tahun(dinas=dinas, tahun=2019).indikator if r.node.kode == "S1.I1")
    assert row.tw(3).warna == "hijau"
    page = client.get(reverse("realisasi:ringkasan", args=["dinas-uji", 2019])).content.decode()
    assert "hijau ≥ 85%, kuning ≥ 60%, periksa &gt; 110%" in page
    assert "Realisasi indikator diisi" in page and "S1.I1" in page  # the history
