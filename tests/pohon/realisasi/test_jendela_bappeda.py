"""The Pemda's Bappeda opens, closes and reopens the reporting windows of its own Pemda's agencies
(the issue: "The Pemda (admin or Bappeda) opens a window per year and quarter"); the Bappeda of
another Pemda is refused and nothing changes."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from dinas.models import Keanggotaan
from dinas.services import pemda_pemilik_ensure
from pohon.realisasi.models import JendelaPelaporan, RealisasiRiwayat
from pohon.realisasi.services import jendela_set, jendela_tutup, user_can_manage_jendela

pytestmark = pytest.mark.django_db


def _bappeda(username: str, pemda):
    """A Bappeda member of ``pemda`` (the role sits on the Pemda's owner record)."""
    user = get_user_model().objects.create_user(username, password="rahasia-uji", is_staff=True)
    Keanggotaan.objects.create(user=user, dinas=pemda_pemilik_ensure(pemda=pemda), peran=Keanggotaan.Peran.BAPPEDA)
    return user


@pytest.fixture
def people(realisasi_tree, other_dinas):
    pemda = realisasi_tree["pohon"].dinas.pemda
    return {
        "pemda": pemda,
        "pemda_lain": other_dinas.pemda,
        "bappeda": _bappeda("bappeda", pemda),
        "bappeda_lain": _bappeda("bappeda-lain", other_dinas.pemda),
        "op_a": realisasi_tree["users"]["op_a"],
    }


def _snapshot():
    return sorted(JendelaPelaporan.objects.values_list("pemda_id", "triwulan", "mulai", "selesai", "ditutup"))


def test_bappeda_opens_closes_and_reopens_windows_on_the_page(client, people):
    today = timezone.localdate()
    url = reverse("realisasi:jendela", args=[people["pemda"].kode, 2019])
    client.force_login(people["bappeda"])
    page = client.get(url)
    assert page.status_code == 200 and "Jendela pelaporan 2019" in page.content.decode()

    # Open TW III (no window yet).
    data = {"triwulan": "3", "mulai": str(today), "selesai": str(today + datetime.timedelta(days=10))}
    response = client.post(url, data, follow=True)
    assert "Jendela TW III disimpan." in response.content.decode()
    window = JendelaPelaporan.objects.get(pemda=people["pemda"], tahun=2019, triwulan=3)
    assert window.is_open(today)

    # Close it, then reopen it: a reason is needed, and it is recorded with the Bappeda's name.
    assert client.post(url, {"triwulan": "3", "aksi": "tutup"}).status_code == 302
    assert JendelaPelaporan.objects.get(pk=window.pk).ditutup
    response = client.post(url, data)
    assert response.status_code == 400 and "alasan membukanya kembali" in response.content.decode()
    assert JendelaPelaporan.objects.get(pk=window.pk).ditutup
    assert client.post(url, data | {"alasan": "Perpanjangan dari Bappeda"}).status_code == 302
    window.refresh_from_db()
    assert not window.ditutup and window.dibuka_ulang_oleh == "bappeda"
    assert window.alasan_buka_ulang == "Perpanjangan dari Bappeda"
    assert RealisasiRiwayat.objects.filter(pemda=people["pemda"], aksi="buka_ulang").exists()

    # The colour bands of the Pemda are Bappeda's too.
    response = client.post(url, {"aksi": "ambang", "hijau": "85", "kuning": "60", "periksa": "110"})
    assert response.status_code == 302


def test_bappeda_of_another_pemda_is_refused_and_nothing_changes(client, people):
    today = timezone.localdate()
    url = reverse("realisasi:jendela", args=[people["pemda"].kode, 2019])
    before = _snapshot()
    for user in (people["bappeda_lain"], people["op_a"]):
        client.force_login(user)
        assert client.get(url).status_code == 403
        data = {"triwulan": "3", "mulai": str(today), "selesai": str(today + datetime.timedelta(days=10))}
        assert client.post(url, data).status_code == 403
        assert client.post(url, {"triwulan": "1", "aksi": "tutup"}).status_code == 403
        assert (
            client.post(url, {"triwulan": "2", "mulai": str(today), "selesai": str(today), "alasan": "x"}).status_code
            == 403
        )
        assert client.post(url, {"aksi": "ambang", "hijau": "10", "kuning": "5", "periksa": "110"}).status_code == 403
    assert _snapshot() == before
    assert not RealisasiRiwayat.objects.filter(user_nama__in=["bappeda-lain", "op_a"]).exists()


def test_the_services_refuse_another_pemdas_bappeda(people):
    pemda, lain = people["pemda"], people["bappeda_lain"]
    assert user_can_manage_jendela(people["bappeda"], pemda)
    assert not user_can_manage_jendela(lain, pemda)
    today = timezone.localdate()
    before = _snapshot()
    with pytest.raises(PermissionDenied, match="Hanya Bappeda atau admin Pemda ini"):
        jendela_set(pemda=pemda, tahun=2019, triwulan=4, mulai=today, selesai=today, user=lain)
    with pytest.raises(PermissionDenied):
        jendela_tutup(jendela=JendelaPelaporan.objects.get(pemda=pemda, tahun=2019, triwulan=1), user=lain)
    assert _snapshot() == before
    # Their own Pemda's windows they do manage.
    assert user_can_manage_jendela(lain, people["pemda_lain"])
    assert not user_can_manage_jendela(people["bappeda"], people["pemda_lain"])


def test_agency_summary_links_bappeda_to_the_windows(client, people):
    client.force_login(people["bappeda"])
    page = client.get(reverse("realisasi:ringkasan", args=["dinas-uji", 2019])).content.decode()
    assert reverse("realisasi:jendela", args=[people["pemda"].kode, 2019]) in page
