"""The agency admin screens obey the user's role IN THE RECORD'S AGENCY (dinas.admin_access).

The measured bug: a user who is Admin of agency B and only Operator of agency A granted
themselves Kepala Dinas of A through the membership admin and renamed A's official. Here that
user ("ganda") carries the global group "Admin" (every model permission, as Admin of B earns),
so that only the per-agency rule stands between them and agency A. Every refusal re-reads the
rows: nothing may have changed.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dinas.admin_access import ACCESS, ACTIONS
from dinas.models import Keanggotaan, Pejabat, PerangkatDaerah, UnitKerja
from dinas.roles import GROUP_ADMIN, GROUP_KEPALA_DINAS
from tests.conftest import staff_user

Peran = Keanggotaan.Peran
OWN_MEMBERSHIP = (
    "Anda tidak dapat memberi, mengubah atau mencabut peran Anda sendiri. "
    "Mintalah Admin lain Perangkat Daerah ini atau superuser."
)
NOT_A_CHOICE = "Masukkan pilihan yang valid. Pilihan tersebut bukan salah satu dari pilihan yang tersedia."


def form_errors(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["adminform"].form.errors.items()}


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def url(name: str, *args) -> str:
    return reverse(f"admin:dinas_{name}", args=args)


def snapshot() -> dict[str, list[tuple]]:
    """Every row the admin screens could change, to compare before and after a refusal."""
    return {
        "dinas": list(PerangkatDaerah.objects.order_by("pk").values_list("pk", "kode", "nama", "pemda", "tempat")),
        "unit": list(UnitKerja.objects.order_by("pk").values_list("pk", "dinas_id", "kode", "nama", "parent_id")),
        "pejabat": list(Pejabat.objects.order_by("pk").values_list("pk", "nama", "nip", "jabatan", "unit_id")),
        "anggota": list(
            Keanggotaan.objects.order_by("pk").values_list("pk", "user_id", "dinas_id", "peran", "unit_id")
        ),
    }


@pytest.fixture
def unit_b(other_dinas) -> UnitKerja:
    return UnitKerja.objects.create(dinas=other_dinas, kode="kepala-b", nama="Kepala Dinas B", jenis="kepala")


@pytest.fixture
def pejabat_a(bidang_unit) -> Pejabat:
    return Pejabat.objects.create(
        nama="Ir. Pejabat A", nip="197409101994121001", jabatan="Kepala Bidang", unit=bidang_unit, tahun_mulai=2018
    )


@pytest.fixture
def pejabat_b(unit_b) -> Pejabat:
    return Pejabat.objects.create(
        nama="Ir. Pejabat B", nip="197409101994121002", jabatan="Kepala Dinas", unit=unit_b, tahun_mulai=2018
    )


@pytest.fixture
def colleague_a(dinas, bidang_unit):
    """Another user, Operator of A: a membership of A that is not ganda's own."""
    user = staff_user("rekan-a", GROUP_ADMIN)
    return Keanggotaan.objects.create(user=user, dinas=dinas, peran=Peran.OPERATOR, unit=bidang_unit)


@pytest.fixture
def colleague_b(other_dinas):
    user = get_user_model().objects.create_user("rekan-b", password="rahasia-uji", is_staff=True)
    return user


# --- the rule table ---------------------------------------------------------------------------


def test_every_admin_model_has_every_action_in_the_table():
    assert set(ACCESS) == {
        "dinas.pemda",
        "dinas.perangkatdaerah",
        "dinas.unitkerja",
        "dinas.pejabat",
        "dinas.keanggotaan",
        "pohon.pohon",
        "pohon.node",
    }
    for label, actions in ACCESS.items():
        assert set(actions) == set(ACTIONS), label


# --- Admin of B, Operator of A: nothing changes in A --------------------------------------------


@pytest.mark.django_db
def test_a_cannot_grant_themselves_kepala_dinas_of_a(ganda_client, ganda, dinas):
    before = snapshot()
    response = ganda_client.post(
        url("keanggotaan_add"), {"user": ganda.pk, "dinas": dinas.pk, "peran": Peran.KEPALA_DINAS, "unit": ""}
    )
    assert response.status_code == 200
    assert form_errors(response) == {"user": [OWN_MEMBERSHIP], "dinas": [NOT_A_CHOICE]}
    assert OWN_MEMBERSHIP in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_nobody_but_a_superuser_grants_themselves_a_role_even_where_admin(ganda_client, ganda, other_dinas):
    before = snapshot()
    response = ganda_client.post(
        url("keanggotaan_add"), {"user": ganda.pk, "dinas": other_dinas.pk, "peran": Peran.KEPALA_DINAS, "unit": ""}
    )
    assert form_errors(response) == {"user": [OWN_MEMBERSHIP]}
    assert snapshot() == before


@pytest.mark.django_db
def test_a_cannot_raise_own_operator_membership_of_a_to_admin(ganda_client, ganda, dinas):
    own = Keanggotaan.objects.get(user=ganda, dinas=dinas)
    before = snapshot()
    # Memberships of A are not even listed: A's membership is "not found" for a non-Admin of A.
    response = ganda_client.get(url("keanggotaan_change", own.pk))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    response = ganda_client.post(
        url("keanggotaan_change", own.pk), {"user": ganda.pk, "dinas": dinas.pk, "peran": Peran.ADMIN, "unit": ""}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert ganda_client.post(url("keanggotaan_delete", own.pk), {"post": "yes"}).status_code == 302
    assert snapshot() == before


@pytest.mark.django_db
def test_own_admin_membership_opens_read_only_with_the_reason(ganda_client, ganda, other_dinas, unit_b):
    own = Keanggotaan.objects.get(user=ganda, dinas=other_dinas)
    before = snapshot()
    response = ganda_client.get(url("keanggotaan_change", own.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert response.context["has_delete_permission"] is False
    assert messages_of(response) == [OWN_MEMBERSHIP]
    post = {"user": ganda.pk, "dinas": other_dinas.pk, "peran": Peran.OPERATOR, "unit": unit_b.pk}
    assert ganda_client.post(url("keanggotaan_change", own.pk), post).status_code == 403
    assert ganda_client.post(url("keanggotaan_delete", own.pk), {"post": "yes"}).status_code == 403
    changelist = url("keanggotaan_changelist")
    bulk = {"action": "delete_selected", "_selected_action": [own.pk], "post": "yes"}
    assert ganda_client.post(changelist, bulk).status_code == 403
    assert snapshot() == before


@pytest.mark.django_db
def test_a_cannot_move_a_membership_of_b_into_a(ganda_client, colleague_b, other_dinas, dinas, bidang_unit):
    membership = Keanggotaan.objects.create(user=colleague_b, dinas=other_dinas, peran=Peran.KEPALA_DINAS)
    before = snapshot()
    response = ganda_client.post(
        url("keanggotaan_change", membership.pk),
        {"user": colleague_b.pk, "dinas": dinas.pk, "peran": Peran.OPERATOR, "unit": bidang_unit.pk},
    )
    assert response.status_code == 200
    errors = form_errors(response)
    assert errors["dinas"] == [NOT_A_CHOICE]
    assert errors["unit"][0] == NOT_A_CHOICE
    assert snapshot() == before


@pytest.mark.django_db
def test_a_cannot_rename_an_official_of_a(ganda_client, pejabat_a, bidang_unit):
    before = snapshot()
    change = url("pejabat_change", pejabat_a.pk)
    response = ganda_client.get(change)
    assert response.status_code == 200  # an Operator of A may read it
    assert response.context["has_change_permission"] is False
    assert 'name="nama"' not in response.content.decode()
    post = {
        "nama": "Nama Palsu",
        "nip": "19740910 199412 1 001",
        "jabatan": "Kepala Bidang",
        "unit": bidang_unit.pk,
        "tahun_mulai": 2018,
        "tahun_selesai": "",
    }
    assert ganda_client.post(change, post).status_code == 403
    assert ganda_client.post(url("pejabat_delete", pejabat_a.pk), {"post": "yes"}).status_code == 403
    assert snapshot() == before
    assert Pejabat.objects.get(pk=pejabat_a.pk).nama == "Ir. Pejabat A"


@pytest.mark.django_db
def test_a_cannot_add_an_official_to_a_unit_of_a(ganda_client, bidang_unit, unit_b):
    before = snapshot()
    response = ganda_client.post(
        url("pejabat_add"),
        {
            "nama": "Penyusup",
            "nip": "19740910 199412 1 001",
            "jabatan": "Kepala Bidang",
            "unit": bidang_unit.pk,
            "tahun_mulai": 2018,
            "tahun_selesai": "",
        },
    )
    assert response.status_code == 200
    assert form_errors(response) == {"unit": [NOT_A_CHOICE]}
    assert snapshot() == before


@pytest.mark.django_db
def test_a_cannot_change_nor_delete_a_unit_of_a(ganda_client, dinas, bidang_unit):
    before = snapshot()
    change = url("unitkerja_change", bidang_unit.pk)
    assert ganda_client.get(change).context["has_change_permission"] is False
    post = {"kode": "bidang-a", "nama": "Bidang Diganti", "jenis": "bidang", "parent": "", "urutan": 0}
    assert ganda_client.post(change, post).status_code == 403
    assert ganda_client.post(url("unitkerja_delete", bidang_unit.pk), {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [bidang_unit.pk], "post": "yes"}
    assert ganda_client.post(url("unitkerja_changelist"), bulk).status_code == 403
    add = {"dinas": dinas.pk, "kode": "seksi-x", "nama": "Seksi X", "jenis": "seksi", "parent": "", "urutan": 0}
    response = ganda_client.post(url("unitkerja_add"), add)
    assert form_errors(response) == {"dinas": [NOT_A_CHOICE]}
    assert snapshot() == before


@pytest.mark.django_db
def test_a_cannot_change_agency_a_nor_its_units_inline(ganda_client, dinas, bidang_unit):
    before = snapshot()
    change = url("perangkatdaerah_change", dinas.pk)
    response = ganda_client.get(change)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    [inline] = response.context["inline_admin_formsets"]
    assert (inline.has_add_permission, inline.has_change_permission, inline.has_delete_permission) == (
        False,
        False,
        False,
    )
    post = {
        "kode": dinas.kode,
        "nama": "Dinas Diambil Alih",
        "pemda": dinas.pemda,
        "tempat": "",
        "units-TOTAL_FORMS": "0",
        "units-INITIAL_FORMS": "0",
    }
    assert ganda_client.post(change, post).status_code == 403
    assert ganda_client.post(url("perangkatdaerah_delete", dinas.pk), {"post": "yes"}).status_code == 403
    assert snapshot() == before


@pytest.mark.django_db
def test_a_cannot_import_the_organisation_table(ganda_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    before = snapshot()
    upload = url("perangkatdaerah_import")
    assert ganda_client.get(upload).status_code == 403
    assert ganda_client.post(upload, {}).status_code == 403
    assert ganda_client.post(url("perangkatdaerah_import_confirm"), {"upload": "x" * 43}).status_code == 403
    assert "Impor organisasi" not in ganda_client.get(url("perangkatdaerah_changelist")).content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_lists_and_dropdowns_offer_for_writing_only_agency_b(
    ganda_client, ganda, dinas, other_dinas, bidang_unit, unit_b, colleague_a, pejabat_a
):
    # Memberships of A: not listed at all; units and officials of A: listed, read-only.
    memberships = ganda_client.get(url("keanggotaan_changelist")).context["cl"].result_list
    assert {m.dinas_id for m in memberships} == {other_dinas.pk}
    units = ganda_client.get(url("unitkerja_changelist")).context["cl"].result_list
    assert {u.kode for u in units} == {"kepala", "bidang-a", "kepala-b"}
    # Every agency or unit a form offers is B's.
    unit_form = ganda_client.get(url("unitkerja_add")).context["adminform"].form
    assert list(unit_form.fields["dinas"].queryset) == [other_dinas]
    assert list(unit_form.fields["parent"].queryset) == [unit_b]
    pejabat_form = ganda_client.get(url("pejabat_add")).context["adminform"].form
    assert list(pejabat_form.fields["unit"].queryset) == [unit_b]
    membership_form = ganda_client.get(url("keanggotaan_add")).context["adminform"].form
    assert list(membership_form.fields["dinas"].queryset) == [other_dinas]
    assert list(membership_form.fields["unit"].queryset) == [unit_b]
    # Nor can A's membership be opened by its id.
    assert ganda_client.get(url("keanggotaan_change", colleague_a.pk)).status_code == 302


@pytest.mark.django_db
def test_admin_of_b_only_sees_nothing_of_a(client, dinas, other_dinas, bidang_unit, unit_b, pejabat_a):
    user = staff_user("admin-b", GROUP_ADMIN)
    Keanggotaan.objects.create(user=user, dinas=other_dinas, peran=Peran.ADMIN)
    client.force_login(user)
    assert [d.pk for d in client.get(url("perangkatdaerah_changelist")).context["cl"].result_list] == [other_dinas.pk]
    assert list(client.get(url("unitkerja_changelist")).context["cl"].result_list) == [unit_b]
    assert list(client.get(url("pejabat_changelist")).context["cl"].result_list) == []
    assert client.get(url("pejabat_change", pejabat_a.pk)).status_code == 302  # "does not exist"
    assert client.get(url("perangkatdaerah_change", dinas.pk)).status_code == 302


# --- Admin of B: everything in B -------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_of_b_manages_units_officials_and_agency_b(ganda_client, other_dinas, unit_b, pejabat_b):
    response = ganda_client.post(
        url("unitkerja_add"),
        {
            "dinas": other_dinas.pk,
            "kode": "bidang-b",
            "nama": "Bidang B",
            "jenis": "bidang",
            "parent": unit_b.pk,
            "urutan": 1,
        },
    )
    assert response.status_code == 302, form_errors(response)
    bidang_b = UnitKerja.objects.get(dinas=other_dinas, kode="bidang-b")
    response = ganda_client.post(
        url("pejabat_change", pejabat_b.pk),
        {
            "nama": "Dr. Pejabat B",
            "nip": "19740910 199412 1 002",
            "jabatan": "Kepala Dinas",
            "unit": unit_b.pk,
            "tahun_mulai": 2018,
            "tahun_selesai": "",
        },
    )
    assert response.status_code == 302
    assert Pejabat.objects.get(pk=pejabat_b.pk).nama == "Dr. Pejabat B"
    response = ganda_client.post(
        url("perangkatdaerah_change", other_dinas.pk),
        {
            "kode": other_dinas.kode,
            "nama": "Dinas Lain Baru",
            "pemda": other_dinas.pemda,
            "tempat": "Lain",
            "units-TOTAL_FORMS": "2",
            "units-INITIAL_FORMS": "2",
            "units-0-id": unit_b.pk,
            "units-0-dinas": other_dinas.pk,
            "units-0-urutan": "0",
            "units-0-kode": "kepala-b",
            "units-0-nama": "Kepala Dinas B",
            "units-0-jenis": "kepala",
            "units-0-parent": "",
            "units-1-id": bidang_b.pk,
            "units-1-dinas": other_dinas.pk,
            "units-1-urutan": "1",
            "units-1-kode": "bidang-b",
            "units-1-nama": "Bidang B Baru",
            "units-1-jenis": "bidang",
            "units-1-parent": unit_b.pk,
        },
    )
    assert response.status_code == 302, form_errors(response)
    assert PerangkatDaerah.objects.get(pk=other_dinas.pk).nama == "Dinas Lain Baru"
    assert UnitKerja.objects.get(pk=bidang_b.pk).nama == "Bidang B Baru"
    assert ganda_client.post(url("unitkerja_delete", bidang_b.pk), {"post": "yes"}).status_code == 302
    assert not UnitKerja.objects.filter(pk=bidang_b.pk).exists()


@pytest.mark.django_db
def test_admin_of_b_grants_and_revokes_roles_of_others_in_b(ganda_client, colleague_b, other_dinas, unit_b):
    response = ganda_client.post(
        url("keanggotaan_add"),
        {"user": colleague_b.pk, "dinas": other_dinas.pk, "peran": Peran.OPERATOR, "unit": unit_b.pk},
    )
    assert response.status_code == 302, form_errors(response)
    membership = Keanggotaan.objects.get(user=colleague_b)
    response = ganda_client.post(
        url("keanggotaan_change", membership.pk),
        {"user": colleague_b.pk, "dinas": other_dinas.pk, "peran": Peran.KEPALA_DINAS, "unit": ""},
    )
    assert response.status_code == 302
    assert Keanggotaan.objects.get(pk=membership.pk).peran == Peran.KEPALA_DINAS
    assert ganda_client.post(url("keanggotaan_delete", membership.pk), {"post": "yes"}).status_code == 302
    assert not Keanggotaan.objects.filter(user=colleague_b).exists()


@pytest.mark.django_db
def test_only_a_superuser_creates_an_agency(ganda_client, admin_client, pemda):
    data = {"kode": "dinas-baru", "nama": "Dinas Baru", "pemda": pemda.pk, "tempat": ""}
    data |= {"units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0"}
    assert ganda_client.get(url("perangkatdaerah_add")).status_code == 403
    assert ganda_client.post(url("perangkatdaerah_add"), data).status_code == 403
    assert not PerangkatDaerah.objects.filter(kode="dinas-baru").exists()
    assert admin_client.post(url("perangkatdaerah_add"), data).status_code == 302
    assert PerangkatDaerah.objects.filter(kode="dinas-baru").exists()


@pytest.mark.django_db
def test_superuser_does_everything_everywhere_even_grants_themselves(admin_client, admin_user, dinas, pejabat_a):
    response = admin_client.post(
        url("keanggotaan_add"), {"user": admin_user.pk, "dinas": dinas.pk, "peran": Peran.KEPALA_DINAS, "unit": ""}
    )
    assert response.status_code == 302
    membership = Keanggotaan.objects.get(user=admin_user)
    assert admin_client.get(url("keanggotaan_change", membership.pk)).context["has_change_permission"] is True
    assert admin_client.post(url("pejabat_delete", pejabat_a.pk), {"post": "yes"}).status_code == 302
    assert not Pejabat.objects.exists()


# --- Kepala Dinas: read-only ----------------------------------------------------------------------


@pytest.mark.parametrize("group", [GROUP_KEPALA_DINAS, GROUP_ADMIN])
@pytest.mark.django_db
def test_kepala_dinas_reads_but_changes_nothing(client, dinas, bidang_unit, pejabat_a, colleague_a, group):
    """With the Kepala Dinas group, and with the Admin group too: the role decides."""
    user = staff_user("kadis", group)
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=Peran.KEPALA_DINAS)
    client.force_login(user)
    before = snapshot()
    for name, obj in [("perangkatdaerah", dinas), ("unitkerja", bidang_unit), ("pejabat", pejabat_a)]:
        response = client.get(url(f"{name}_change", obj.pk))
        assert response.status_code == 200, name
        assert response.context["has_change_permission"] is False, name
        assert client.post(url(f"{name}_delete", obj.pk), {"post": "yes"}).status_code == 403, name
        assert client.get(url(f"{name}_add")).status_code == 403, name
    assert client.get(url("keanggotaan_changelist")).status_code == 403
    assert client.get(url("keanggotaan_change", colleague_a.pk)).status_code in (302, 403)
    index = client.get("/admin/").content.decode()
    assert "/admin/dinas/keanggotaan/" not in index
    assert "/admin/dinas/pejabat/add/" not in index
    assert snapshot() == before


@pytest.mark.django_db
def test_a_cannot_take_over_a_colleagues_membership_by_changing_its_user(ganda_client, ganda, colleague_b, other_dinas):
    membership = Keanggotaan.objects.create(user=colleague_b, dinas=other_dinas, peran=Peran.KEPALA_DINAS)
    before = snapshot()
    response = ganda_client.post(
        url("keanggotaan_change", membership.pk),
        {"user": ganda.pk, "dinas": other_dinas.pk, "peran": Peran.KEPALA_DINAS, "unit": ""},
    )
    assert response.status_code == 200
    assert form_errors(response) == {"user": [OWN_MEMBERSHIP]}
    assert snapshot() == before


@pytest.mark.django_db
def test_saving_a_record_of_another_agency_is_refused_even_past_the_form(ganda, rf, bidang_unit, unit_b):
    """The forms offer only agency B; the admin refuses on save whatever else reaches it."""
    request = rf.post("/admin/dinas/pejabat/add/")
    request.user = ganda
    model_admin = admin.site.get_model_admin(Pejabat)
    intruder = Pejabat(nama="Penyusup", nip="197409101994121001", jabatan="X", unit=bidang_unit, tahun_mulai=2018)
    with pytest.raises(PermissionDenied):
        model_admin.save_model(request, intruder, form=None, change=False)
    assert not Pejabat.objects.exists()
    allowed = Pejabat(nama="Pejabat B", nip="197409101994121001", jabatan="X", unit=unit_b, tahun_mulai=2018)
    model_admin.save_model(request, allowed, form=None, change=False)
    assert Pejabat.objects.get().unit == unit_b
