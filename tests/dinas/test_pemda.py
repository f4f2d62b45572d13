"""The Pemda as a record: its Kepala Daerah (no NIP), the rule of one unit or one Pemda per
official, and the dinas services with their refusals (a unit an approved tree uses)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dinas.models import Pejabat, Pemda, PerangkatDaerah, UnitKerja
from dinas.selectors import pemda_kepala_daerah
from dinas.services import (
    dinas_create,
    dinas_delete,
    dinas_update,
    pejabat_create,
    pejabat_delete,
    pejabat_update,
    pemda_create,
    pemda_delete,
    pemda_update,
    unit_create,
    unit_delete,
    unit_update,
)
from pohon.models import Node, Pohon
from pohon.services import node_create, pohon_create
from tests.dinas.test_admin_roles import messages_of, url

pytestmark = pytest.mark.django_db

NIP = "197409101994121001"


def approve(pohon: Pohon) -> None:
    """Marks a small test tree approved (the workflow's signing is tested in tests/pohon)."""
    Pohon.objects.filter(pk=pohon.pk).update(status=Pohon.Status.DISETUJUI)


# --- the model ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nama", "jenis", "tempat", "jabatan"),
    [
        ("Kabupaten Lumajang", "kabupaten", "Lumajang", "Bupati"),
        ("Kota Malang", "kota", "Malang", "Wali Kota"),
        ("Provinsi Jawa Timur", "provinsi", "Jawa Timur", "Gubernur"),
    ],
)
def test_pemda_from_its_name(nama, jenis, tempat, jabatan):
    pemda = pemda_create(nama=nama)
    assert (str(pemda), pemda.kode, pemda.jenis, pemda.tempat, pemda.jabatan_kepala) == (
        nama,
        nama.lower().replace(" ", "-"),
        jenis,
        tempat,
        jabatan,
    )


def test_pemda_whose_name_says_no_kind_needs_its_jenis():
    with pytest.raises(ValidationError) as refused:
        pemda_create(nama="Pemerintah Lumajang")
    assert "jenis" in refused.value.message_dict
    assert pemda_create(nama="Pemerintah Lumajang", jenis="kabupaten", tempat="Lumajang").jabatan_kepala == "Bupati"


def test_kepala_daerah_without_nip_is_accepted_with_the_pemdas_jabatan(pemda):
    bupati = pejabat_create(nama="H. Thoriqul Haq", pemda=pemda, tahun_mulai=2018)
    assert (bupati.nip, bupati.jabatan, bupati.unit, bupati.is_kepala_daerah) == ("", "Bupati", None, True)
    plt = pejabat_create(nama="Wakil", pemda=pemda, tahun_mulai=2019, tahun_selesai=2019, status="plt")
    assert plt.jabatan_tertulis == "Plt. Bupati"
    assert pemda_kepala_daerah(pemda, 2018) == bupati
    assert pemda_kepala_daerah(pemda, 2019) == plt
    assert pemda_kepala_daerah(pemda, 2017) is None


def test_kepala_daerah_with_a_nip_has_it_checked(pemda):
    with pytest.raises(ValidationError) as refused:
        pejabat_create(nama="Pj. Bupati", pemda=pemda, nip="123", tahun_mulai=2018, status="pj")
    assert "nip" in refused.value.message_dict


def test_unit_official_without_nip_or_jabatan_is_refused(bidang_unit):
    with pytest.raises(ValidationError) as refused:
        pejabat_create(nama="Siti", unit=bidang_unit, jabatan="Kepala Bidang A", tahun_mulai=2018)
    assert refused.value.message_dict == {"nip": ["NIP wajib diisi untuk pejabat unit kerja."]}
    with pytest.raises(ValidationError) as refused:
        pejabat_create(nama="Siti", unit=bidang_unit, nip=NIP, tahun_mulai=2018)
    assert refused.value.message_dict == {"jabatan": ["Jabatan wajib diisi untuk pejabat unit kerja."]}
    assert not Pejabat.objects.exists()


def test_exactly_one_of_unit_and_pemda(bidang_unit, pemda):
    with pytest.raises(ValidationError) as refused:
        pejabat_create(nama="Siti", nip=NIP, jabatan="Kabid", tahun_mulai=2018)
    assert "unit" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        pejabat_create(nama="Siti", nip=NIP, jabatan="Kabid", unit=bidang_unit, pemda=pemda, tahun_mulai=2018)
    assert "pemda" in refused.value.message_dict
    # The database holds the rule too, for writes that skip full_clean().
    with pytest.raises(IntegrityError), transaction.atomic():
        Pejabat.objects.create(nama="Siti", nip=NIP, jabatan="Kabid", tahun_mulai=2018)
    assert not Pejabat.objects.exists()


def test_agency_prints_its_pemdas_name_and_place(dinas, other_dinas):
    assert (str(dinas.pemda), dinas.pemda_nama, f"{dinas.nama} {dinas.pemda}") == (
        "Kabupaten Contoh",
        "Kabupaten Contoh",
        "Dinas Uji Kabupaten Contoh",
    )
    assert dinas.tempat_dokumen == "Contoh"  # its own
    assert (other_dinas.tempat, other_dinas.tempat_dokumen) == ("", "Lain")  # the Pemda's


# --- the services -------------------------------------------------------------------------------


def test_services_create_update_and_delete(pemda):
    dinas = dinas_create(kode="dinas-baru", nama="Dinas Baru", pemda=pemda)
    kota = pemda_create(nama="Kota Baru")
    dinas_update(dinas=dinas, data={"pemda": kota, "tempat": "Baru Tengah"})
    dinas.refresh_from_db()
    assert (dinas.pemda_nama, dinas.tempat_dokumen) == ("Kota Baru", "Baru Tengah")
    pemda_update(pemda=kota, data={"tempat": "Kota Baru"})
    assert PerangkatDaerah.objects.get(pk=dinas.pk).tempat_dokumen == "Baru Tengah"

    kepala = unit_create(dinas=dinas, kode="kepala", nama="Kepala Dinas", jenis="kepala")
    bidang = unit_create(dinas=dinas, kode="bidang", nama="Bidang", jenis="bidang", parent=kepala, urutan=1)
    unit_update(unit=bidang, data={"nama": "Bidang Satu"})
    assert UnitKerja.objects.get(pk=bidang.pk).nama == "Bidang Satu"
    pejabat = pejabat_create(nama="Budi", unit=kepala, nip="19740910 199412 1 001", jabatan="Kadis", tahun_mulai=2018)
    assert pejabat.nip == NIP
    pejabat_update(pejabat=pejabat, data={"status": "plt", "pangkat": "Pembina, IV/a"})
    assert Pejabat.objects.get(pk=pejabat.pk).jabatan_tertulis == "Plt. Kadis"

    with pytest.raises(ValidationError, match="Bidang Satu"):  # the head has a sub-unit
        unit_delete(unit=kepala)
    with pytest.raises(ValidationError, match="Kota Baru tidak dapat dihapus"):
        pemda_delete(pemda=kota)
    pejabat_delete(pejabat=pejabat)
    unit_delete(unit=bidang)
    unit_delete(unit=kepala)
    dinas_delete(dinas=dinas)
    pemda_delete(pemda=kota)
    assert list(Pemda.objects.values_list("nama", flat=True)) == ["Kabupaten Contoh"]


def test_update_refuses_unknown_fields_and_invalid_values(dinas):
    with pytest.raises(TypeError):
        dinas_update(dinas=dinas, data={"kode_baru": "x"})
    with pytest.raises(ValidationError):
        dinas_update(dinas=dinas, data={"kode": "bukan slug!"})
    assert PerangkatDaerah.objects.get(pk=dinas.pk).kode == "dinas-uji"


def test_agency_with_trees_is_not_deleted(pohon):
    with pytest.raises(ValidationError, match="Dinas Uji Kabupaten Contoh tidak dapat dihapus.*dinas-uji 2018"):
        dinas_delete(dinas=pohon.dinas)
    assert PerangkatDaerah.objects.filter(pk=pohon.dinas.pk).exists()


def _tree_using(unit: UnitKerja, tahun: int, revisi: int = 0) -> Pohon:
    pohon = pohon_create(dinas=unit.dinas, tahun=tahun)
    if revisi:
        Pohon.objects.filter(pk=pohon.pk).update(revisi=revisi)
        pohon.refresh_from_db()
    node_create(pohon=pohon, parent=None, jenis="tujuan", uraian="Meningkatnya X", kode="T1", unit=unit)
    return pohon


def test_unit_used_by_approved_trees_is_not_deleted_and_the_message_names_them(bidang_unit):
    approve(_tree_using(bidang_unit, 2018, revisi=1))  # made first: pohon_create makes revisi 0
    approve(_tree_using(bidang_unit, 2018))
    _tree_using(bidang_unit, 2019)  # a draft: does not hold it
    with pytest.raises(ValidationError) as refused:
        unit_delete(unit=bidang_unit)
    assert refused.value.messages == [
        "Unit kerja Bidang A tidak dapat dihapus: dipakai oleh pohon kinerja yang sudah disetujui: "
        "dinas-uji 2018, dinas-uji 2018 Perubahan 1."
    ]
    assert UnitKerja.objects.filter(pk=bidang_unit.pk).exists()
    # Renaming stays allowed.
    unit_update(unit=bidang_unit, data={"nama": "Bidang A Baru"})
    assert UnitKerja.objects.get(pk=bidang_unit.pk).nama == "Bidang A Baru"


def test_unit_used_only_by_a_draft_tree_is_deleted_and_its_nodes_lose_it(bidang_unit):
    draft = _tree_using(bidang_unit, 2018)
    unit_delete(unit=bidang_unit)
    assert not UnitKerja.objects.filter(pk=bidang_unit.pk).exists()
    assert Node.objects.get(pohon=draft, kode="T1").unit is None


# --- the admin ----------------------------------------------------------------------------------


def test_admin_delete_of_a_unit_an_approved_tree_uses_shows_the_message_and_deletes_nothing(admin_client, bidang_unit):
    approve(_tree_using(bidang_unit, 2018))
    expected = (
        "Unit kerja Bidang A tidak dapat dihapus: dipakai oleh pohon kinerja yang sudah disetujui: dinas-uji 2018."
    )
    page = admin_client.get(url("unitkerja_delete", bidang_unit.pk))
    assert page.status_code == 200
    assert expected in messages_of(page)
    assert expected in page.content.decode()
    response = admin_client.post(url("unitkerja_delete", bidang_unit.pk), {"post": "yes"})
    assert response.status_code == 200  # the confirmation page again, no deletion
    assert UnitKerja.objects.filter(pk=bidang_unit.pk).exists()

    # The list's bulk delete action refuses the same way.
    response = admin_client.post(
        url("unitkerja_changelist"), {"action": "delete_selected", "_selected_action": [bidang_unit.pk], "post": "yes"}
    )
    assert expected in messages_of(response)
    assert UnitKerja.objects.filter(pk=bidang_unit.pk).exists()


def test_admin_deletes_a_unit_of_a_draft_tree(admin_client, bidang_unit):
    _tree_using(bidang_unit, 2018)
    response = admin_client.post(url("unitkerja_delete", bidang_unit.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not UnitKerja.objects.filter(pk=bidang_unit.pk).exists()


def test_pemda_admin_is_for_superusers_and_adds_a_kepala_daerah(admin_client, ganda_client, pemda):
    assert ganda_client.get(url("pemda_changelist")).status_code == 403
    assert ganda_client.get(url("pemda_change", pemda.pk)).status_code == 403
    listing = admin_client.get(url("pemda_changelist"))
    assert listing.status_code == 200 and "Kabupaten Contoh" in listing.content.decode()
    data = {
        "kode": pemda.kode,
        "nama": pemda.nama,
        "jenis": pemda.jenis,
        "tempat": "Contoh Kidul",
        "penyetuju_pohon": "kepala_bappeda",
        "kepala_daerah-TOTAL_FORMS": "1",
        "kepala_daerah-INITIAL_FORMS": "0",
        "kepala_daerah-0-nama": "Drs. Bupati Contoh",
        "kepala_daerah-0-status": "definitif",
        "kepala_daerah-0-tahun_mulai": "2016",
    }
    response = admin_client.post(url("pemda_change", pemda.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    pemda.refresh_from_db()
    assert pemda.tempat == "Contoh Kidul"
    bupati = pemda_kepala_daerah(pemda, 2018)
    assert (bupati.nama, bupati.jabatan, bupati.nip) == ("Drs. Bupati Contoh", "Bupati", "")


def test_agency_list_filters_by_pemda(admin_client, dinas, other_dinas):
    response = admin_client.get(url("perangkatdaerah_changelist") + f"?pemda__id__exact={dinas.pemda.pk}")
    assert [obj.kode for obj in response.context["cl"].result_list] == ["dinas-uji"]


def test_agency_admin_refuses_to_delete_a_held_unit_through_its_inline(admin_client, bidang_unit):
    dinas = bidang_unit.dinas
    approve(_tree_using(bidang_unit, 2018))
    kepala = bidang_unit.parent
    post = {"kode": dinas.kode, "nama": dinas.nama, "pemda": dinas.pemda.pk, "tempat": dinas.tempat}
    post |= {"units-TOTAL_FORMS": "2", "units-INITIAL_FORMS": "2"}
    for index, unit in enumerate([kepala, bidang_unit]):
        post |= {
            f"units-{index}-id": unit.pk,
            f"units-{index}-dinas": dinas.pk,
            f"units-{index}-urutan": unit.urutan,
            f"units-{index}-kode": unit.kode,
            f"units-{index}-nama": unit.nama,
            f"units-{index}-jenis": unit.jenis,
            f"units-{index}-parent": unit.parent_id or "",
        }
    response = admin_client.post(url("perangkatdaerah_change", dinas.pk), {**post, "units-1-DELETE": "on"})
    assert response.status_code == 200
    assert "dipakai oleh pohon kinerja yang sudah disetujui: dinas-uji 2018" in response.content.decode()
    assert UnitKerja.objects.filter(pk=bidang_unit.pk).exists()
    # Renaming through the same inline is allowed, and goes through unit_update.
    response = admin_client.post(url("perangkatdaerah_change", dinas.pk), {**post, "units-1-nama": "Bidang A Baru"})
    assert response.status_code == 302
    assert UnitKerja.objects.get(pk=bidang_unit.pk).nama == "Bidang A Baru"


def test_pohon_registers_its_selector_of_approved_trees_which_reads_in_one_query(
    bidang_unit, django_assert_num_queries
):
    from dinas.usage import unit_holders
    from pohon.selectors import approved_trees_using_unit

    approve(_tree_using(bidang_unit, 2018))
    with django_assert_num_queries(1):
        assert approved_trees_using_unit(bidang_unit) == ["dinas-uji 2018"]
    assert unit_holders(bidang_unit) == ["dinas-uji 2018"]  # registered by PohonConfig.ready
