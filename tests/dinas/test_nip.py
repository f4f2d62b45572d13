import pytest
from django.core.exceptions import ValidationError

from dinas.models import Pejabat, PerangkatDaerah, UnitKerja
from dinas.nip import nip_format, nip_normalize, nip_validate
from tests.conftest import pemda_named


@pytest.mark.parametrize("value", ["197409101994121001", "19740910 199412 1 001", "19740910.199412.1.001"])
def test_valid_nip(value):
    nip_validate(value)
    assert nip_normalize(value) == "197409101994121001"
    assert nip_format(value) == "19740910 199412 1 001"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("19740910199412100", "18 angka, bukan 17"),
        ("1974091019941210011", "18 angka, bukan 19"),
        ("19741310199412 1001", "bukan tanggal yang benar"),  # month 13
        ("19740231199412 1001", "bukan tanggal yang benar"),  # 31 February
        ("1974091O1994121001", "hanya boleh berisi angka"),  # letter O for zero
        ("NIP19740910199412", "hanya boleh berisi angka"),
        ("19740910199413 1001", "TMT pengangkatan"),  # appointment month 13
        ("19740910199412 3001", "harus 1 atau 2"),
        ("19740910199412 1000", "tidak boleh 000"),
    ],
)
def test_invalid_nip_has_a_clear_indonesian_message(value, message):
    with pytest.raises(ValidationError, match=message):
        nip_validate(value)


@pytest.mark.django_db
def test_pejabat_stores_the_canonical_nip():
    dinas = PerangkatDaerah.objects.create(kode="d", nama="D", pemda=pemda_named("Kabupaten P"))
    unit = UnitKerja.objects.create(dinas=dinas, kode="kepala", nama="Kepala Dinas", jenis="kepala")
    pejabat = Pejabat(nama="A", nip="19740910 199412 1 001", jabatan="Kepala", unit=unit, tahun_mulai=2018)
    pejabat.full_clean()
    pejabat.save()
    pejabat.refresh_from_db()
    assert pejabat.nip == "197409101994121001"
    assert pejabat.nip_display == "19740910 199412 1 001"


@pytest.mark.django_db
def test_pejabat_with_bad_nip_is_refused():
    dinas = PerangkatDaerah.objects.create(kode="d", nama="D", pemda=pemda_named("Kabupaten P"))
    unit = UnitKerja.objects.create(dinas=dinas, kode="kepala", nama="Kepala Dinas", jenis="kepala")
    pejabat = Pejabat(nama="A", nip="19741310 199412 1 001", jabatan="Kepala", unit=unit, tahun_mulai=2018)
    with pytest.raises(ValidationError) as refused:
        pejabat.full_clean()
    assert "nip" in refused.value.message_dict
