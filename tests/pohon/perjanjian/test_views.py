"""The PK pages: who sees what, what a POST changes (and what it refuses), the chart's links."""

import re

import pytest

from pohon.models import PerjanjianKinerja
from pohon.perjanjian.services import perjanjian_approve, perjanjian_generate, perjanjian_submit
from tests.pohon.perjanjian.conftest import squash

LIST = "/pohon/dinas-pk/2018/pk/"


def text_of(response) -> str:
    """What the page says: its text without tags, whitespace folded."""
    return squash(re.sub(r"<[^>]+>", " ", response.content.decode()))


def html_of(response) -> str:
    return response.content.decode()


def generated(org, users) -> dict[str, PerjanjianKinerja]:
    return {pk.unit.kode: pk for pk in perjanjian_generate(pohon=org.pohon, user=users["kadis"]).dibuat}


@pytest.mark.django_db
def test_list_before_generating_offers_the_button_and_names_the_unit_without_official(client, org, users):
    client.force_login(users["kadis"])
    page = text_of(client.get(LIST))
    assert "Perjanjian Kinerja Tahun 2018" in page
    assert "Buat Perjanjian Kinerja dari pohon yang disetujui" in page
    assert "3 unit belum memiliki perjanjian." in page
    assert "Unit tanpa Perjanjian Kinerja Seksi A2 : Belum ada pejabat Seksi A2 yang menjabat pada tahun 2018" in page
    response = client.post(LIST + "buat/", follow=True)
    assert "3 Perjanjian Kinerja dibuat sebagai draf, 0 tetap; 1 unit tanpa perjanjian." in text_of(response)
    assert PerjanjianKinerja.objects.count() == 3
    page = text_of(client.get(LIST))
    assert "Buat Perjanjian Kinerja" not in page
    assert "Kabid Uji, S.Sos. Plt. Kepala Bidang A" in page
    assert "Administrator (Kepala Bidang, Sekretaris) Murni Draf" in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["operator", "luar"])
def test_generate_by_a_user_without_the_role_changes_nothing(client, org, users, who):
    client.force_login(users[who])
    response = client.post(LIST + "buat/")
    assert response.status_code == (403 if who == "operator" else 404)
    assert not PerjanjianKinerja.objects.exists()


@pytest.mark.django_db
def test_another_agencys_user_gets_404_on_every_page(client, org, users):
    pk = generated(org, users)["bidang-a"]
    client.force_login(users["luar"])
    for url in (LIST, pk.get_absolute_url(), pk.get_absolute_url() + "pdf/", f"{LIST}unit/{org.bidang.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(pk.get_absolute_url() + "aksi/ajukan/").status_code == 404
    pk.refresh_from_db()
    assert pk.status == "draf"


@pytest.mark.django_db
def test_list_says_when_the_tree_is_not_approved(client, org, users):
    from pohon.workflow import pohon_revise

    pohon_revise(pohon=org.pohon, user=None)  # the approved one stays the source
    client.force_login(users["kadis"])
    assert "Dibuat dari pohon kinerja yang disetujui: dinas-pk 2018." in text_of(client.get(LIST))
    client.force_login(users["luar"])
    assert client.get("/pohon/dinas-lain/2018/pk/").status_code == 200  # own agency, no tree
    assert "Belum ada pohon kinerja untuk tahun ini." in text_of(client.get("/pohon/dinas-lain/2018/pk/"))


@pytest.mark.django_db
def test_detail_page_shows_tables_and_the_actions_of_each_role(client, org, users):
    pk = generated(org, users)["seksi-a1"]
    url = pk.get_absolute_url()
    client.force_login(users["operator"])
    html = html_of(client.get(url))
    page = squash(re.sub(r"<[^>]+>", " ", html))
    assert "Pihak Kedua Kabid Uji, S.Sos. Plt. Kepala Bidang A" in page
    assert "Pihak Pertama Kasi Uji, S.E. Plh. Kepala Seksi A1" in page
    assert "Jumlah desa terlatih uji 12 desa" in page
    assert "JUMLAH Rp 1.000.000" in page
    assert 'id="btn-ajukan"' in html and 'id="btn-setujui"' not in html
    # The other section's operator sees it but may not submit: 403, nothing changes.
    client.force_login(users["operator_a2"])
    assert 'id="btn-ajukan"' not in html_of(client.get(url))
    assert client.post(url + "aksi/ajukan/").status_code == 403
    pk.refresh_from_db()
    assert pk.status == "draf"
    assert client.post(url + "aksi/hapus/").status_code == 403
    # Submitted by the Bidang's operator, returned by the Kepala Dinas with a note.
    client.force_login(users["operator"])
    response = client.post(url + "aksi/ajukan/", {"catatan": "Siap"}, follow=True)
    assert "Perjanjian Kinerja telah diajukan kepada pihak kedua." in text_of(response)
    client.force_login(users["kadis"])
    html = html_of(client.get(url))
    assert 'id="btn-setujui"' in html and 'id="btn-kembalikan"' in html
    response = client.post(url + "aksi/kembalikan/", {"catatan": ""}, follow=True)
    assert "Tuliskan catatan: apa yang perlu diperbaiki." in text_of(response)
    response = client.post(url + "aksi/kembalikan/", {"catatan": "Target kurang"}, follow=True)
    assert "Dikembalikan: Target kurang" in text_of(response)


@pytest.mark.django_db
def test_approval_signs_in_the_background_and_the_pdf_downloads(client, org, users):
    pk = generated(org, users)["bidang-a"]
    client.force_login(users["operator"])
    assert client.get(pk.get_absolute_url() + "pdf/").status_code == 302  # no PDF before approval
    client.post(pk.get_absolute_url() + "aksi/ajukan/")
    client.force_login(users["kadis"])
    response = client.post(pk.get_absolute_url() + "aksi/setujui/", follow=True)
    assert "Perjanjian Kinerja disetujui." in text_of(response)
    pk.refresh_from_db()
    assert pk.ttd_status == "selesai"
    download = client.get(pk.get_absolute_url() + "pdf/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert bytes(download.content) == bytes(pk.dokumen.berkas.get().pdf)
    assert "perjanjian-kinerja-dinas-pk-2018-bidang-a-F4.pdf" in download["Content-Disposition"]
    page = text_of(client.get(pk.get_absolute_url()))
    assert "Unduh PDF F4 bertanda tangan" in page and "Uji, " in page


@pytest.mark.django_db
def test_a_pdf_not_yet_signed_answers_202_and_never_renders(client, org, users):
    pk = generated(org, users)["bidang-a"]
    perjanjian_submit(perjanjian=pk, user=None)
    pk = perjanjian_approve(perjanjian=pk, user=None, enqueue=False)
    client.force_login(users["kadis"])
    response = client.get(pk.get_absolute_url() + "pdf/")
    assert response.status_code == 202
    assert "sedang dibuat di latar belakang" in text_of(response)
    assert not pk.dokumen.berkas.exists()


@pytest.mark.django_db
def test_the_chart_links_each_unit_box_to_its_pk(client, org, users):
    pks = generated(org, users)
    client.force_login(users["operator"])
    chart = client.get("/pohon/dinas-pk/2018/").content.decode()
    for unit in (org.kepala, org.bidang, org.seksi, org.seksi_kosong):
        assert f'href="/pohon/dinas-pk/2018/pk/unit/{unit.pk}/"' in chart
    assert 'id="link-perjanjian"' in chart
    response = client.get(f"{LIST}unit/{org.seksi.pk}/")
    assert response.status_code == 302 and response["Location"] == pks["seksi-a1"].get_absolute_url()
    response = client.get(f"{LIST}unit/{org.seksi_kosong.pk}/", follow=True)
    assert "Unit kerja ini belum memiliki Perjanjian Kinerja tahun ini." in text_of(response)
    assert client.get(f"{LIST}unit/999999/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("checked", "expected"), [(True, True), (False, False)])
def test_the_pemda_setting_is_kept_when_the_pemda_is_added_in_the_admin(admin_client, checked, expected):
    from dinas.models import Pemda

    data = {
        "kode": "kota-setelan",
        "nama": "Kota Setelan",
        "jenis": "kota",
        "tempat": "Setelan",
        "kepala_daerah-TOTAL_FORMS": "0",
        "kepala_daerah-INITIAL_FORMS": "0",
        "penyetuju_pohon": "kepala_bappeda",
        **({"pk_disetujui_kepala_dinas": "on"} if checked else {}),
    }
    response = admin_client.post("/admin/dinas/pemda/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Pemda.objects.get(kode="kota-setelan").pk_disetujui_kepala_dinas is expected
