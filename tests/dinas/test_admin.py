"""Admin screens for agencies, units, officials and memberships."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from dinas.models import Keanggotaan, Pejabat, UnitKerja

PEJABAT_ADD = "/admin/dinas/pejabat/add/"


def pejabat_data(unit: UnitKerja, **data) -> dict:
    return {
        "nama": "Ir. Contoh",
        "nip": "19740910 199412 1 001",
        "jabatan": "Kepala Bidang",
        "unit": unit.pk,
        "tahun_mulai": 2018,
        "tahun_selesai": "",
        **data,
    }


def form_errors(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["adminform"].form.errors.items()}


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("19740910 199412 1 00", "NIP harus terdiri dari 18 angka, bukan 17."),
        ("1974091019941210011", "NIP harus terdiri dari 18 angka, bukan 19."),
        ("19741310 199412 1 001", "Tanggal lahir pada NIP (19741310) bukan tanggal yang benar."),
        ("19740231 199412 1 001", "Tanggal lahir pada NIP (19740231) bukan tanggal yang benar."),
        ("1974091O 199412 1 001", "NIP hanya boleh berisi angka (contoh: 19740910 199412 1 001)."),
        ("NIP 19740910", "NIP hanya boleh berisi angka (contoh: 19740910 199412 1 001)."),
    ],
)
@pytest.mark.django_db
def test_bad_nip_shows_indonesian_message(admin_client, bidang_unit, nip, message):
    response = admin_client.post(PEJABAT_ADD, pejabat_data(bidang_unit, nip=nip))
    assert response.status_code == 200
    assert form_errors(response) == {"nip": [message]}
    assert message in response.content.decode()
    assert not Pejabat.objects.exists()


@pytest.mark.parametrize("typed", ["19740910 199412 1 001", "197409101994121001", "19740910.199412.1.001"])
@pytest.mark.django_db
def test_good_nip_is_stored_as_18_digits_and_listed_spaced(admin_client, bidang_unit, typed):
    response = admin_client.post(PEJABAT_ADD, pejabat_data(bidang_unit, nip=typed))
    assert response.status_code == 302
    pejabat = Pejabat.objects.get()
    assert pejabat.nip == "197409101994121001"
    listing = admin_client.get("/admin/dinas/pejabat/").content.decode()
    assert "19740910 199412 1 001" in listing
    change = admin_client.get(reverse("admin:dinas_pejabat_change", args=[pejabat.pk]))
    assert change.context["adminform"].form["nip"].value() == "19740910 199412 1 001"


@pytest.mark.django_db
def test_pejabat_search_by_nip_as_printed(admin_client, bidang_unit):
    Pejabat.objects.create(
        nama="Ir. Contoh", nip="197409101994121001", jabatan="Kabid", unit=bidang_unit, tahun_mulai=2018
    )
    response = admin_client.get("/admin/dinas/pejabat/", {"q": "19740910 199412 1 001"})
    assert response.context["cl"].result_count == 1


@pytest.mark.django_db
def test_agency_page_lists_units_inline_with_parents_of_its_own(admin_client, dinas, other_dinas, bidang_unit):
    UnitKerja.objects.create(dinas=other_dinas, kode="kepala", nama="Kepala Dinas Lain", jenis="kepala")
    response = admin_client.get(reverse("admin:dinas_perangkatdaerah_change", args=[dinas.pk]))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.instance.kode for form in formset.forms] == ["kepala", "bidang-a"]
    parents = formset.forms[0].fields["parent"].queryset
    assert sorted(parents.values_list("kode", flat=True)) == ["bidang-a", "kepala"]
    listing = admin_client.get("/admin/dinas/perangkatdaerah/").content.decode()
    assert "Dinas Uji" in listing and f"?dinas__id__exact={dinas.pk}" in listing


@pytest.mark.django_db
def test_unit_parent_of_another_agency_is_refused(admin_client, dinas, other_dinas, bidang_unit):
    response = admin_client.post(
        "/admin/dinas/unitkerja/add/",
        {
            "dinas": other_dinas.pk,
            "kode": "seksi-x",
            "nama": "Seksi X",
            "jenis": "seksi",
            "parent": bidang_unit.pk,
            "urutan": 0,
        },
    )
    assert response.status_code == 200
    assert form_errors(response) == {"parent": ["Unit induk harus dari Perangkat Daerah yang sama."]}


@pytest.mark.django_db
def test_unit_list_filters_by_agency(admin_client, dinas, other_dinas, bidang_unit):
    UnitKerja.objects.create(dinas=other_dinas, kode="kepala", nama="Kepala Dinas Lain", jenis="kepala")
    response = admin_client.get("/admin/dinas/unitkerja/", {"dinas__id__exact": dinas.pk})
    assert [u.kode for u in response.context["cl"].result_list] == ["kepala", "bidang-a"]


@pytest.mark.django_db
def test_membership_list_and_operator_needs_unit(admin_client, admin_user, dinas, bidang_unit):
    Keanggotaan.objects.create(user=admin_user, dinas=dinas, peran="admin")
    assert "Dinas Uji" in admin_client.get("/admin/dinas/keanggotaan/").content.decode()
    response = admin_client.post(
        "/admin/dinas/keanggotaan/add/", {"user": admin_user.pk, "dinas": dinas.pk, "peran": "operator", "unit": ""}
    )
    assert form_errors(response) == {"unit": ["Operator harus terikat pada satu unit kerja."]}


@pytest.mark.django_db
def test_staff_member_sees_only_own_agency(client, dinas, other_dinas, bidang_unit):
    user = get_user_model().objects.create_user("kadis", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="dinas", codename__startswith="view_"))
    Keanggotaan.objects.create(user=user, dinas=dinas, peran="kepala_dinas")
    other_unit = UnitKerja.objects.create(dinas=other_dinas, kode="kepala", nama="Kepala Dinas Lain", jenis="kepala")
    client.force_login(user)
    listing = client.get("/admin/dinas/perangkatdaerah/").content.decode()
    assert "Dinas Uji" in listing and "Dinas Lain" not in listing
    units = client.get("/admin/dinas/unitkerja/").context["cl"].result_list
    assert other_unit not in units and bidang_unit in units
    assert client.get(reverse("admin:dinas_unitkerja_change", args=[other_unit.pk])).status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/admin/dinas/perangkatdaerah/",
        "/admin/dinas/perangkatdaerah/add/",
        "/admin/dinas/unitkerja/",
        "/admin/dinas/pejabat/",
        "/admin/dinas/pejabat/add/",
        "/admin/dinas/keanggotaan/",
    ],
)
@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={url}"
