"""A small approved tree with units, roles and open windows, for the realisation tests."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from dinas.models import Keanggotaan, UnitKerja
from pohon.models import Pohon
from pohon.realisasi.services import jendela_set
from pohon.services import node_create

TODAY = datetime.date(2019, 4, 5)


@pytest.fixture
def realisasi_tree(dinas):
    return realisasi_tree_build(dinas)


def realisasi_tree_build(dinas):
    """Dinas Uji 2019, approved (status set directly: approval's PDF is not what is tested here):
    Sasaran S1 (Bidang A) with Indikator S1.I1 (naik, 80 %) and S1.I2 (WTP), Program P1
    (Pagu 1.000.000.000) with Indikator P1.I1 (turun, 10 kasus); Sasaran S2 (Bidang B) with
    S2.I1 (tetap, 100). Users: op_a (operator of Bidang A), op_b (of Bidang B), kadis, admin."""
    from pohon.services import pohon_create

    kepala = UnitKerja.objects.create(dinas=dinas, kode="kepala", nama="Kepala Dinas", jenis="kepala")
    bidang_a = UnitKerja.objects.create(dinas=dinas, kode="bidang-a", nama="Bidang A", jenis="bidang", parent=kepala)
    bidang_b = UnitKerja.objects.create(dinas=dinas, kode="bidang-b", nama="Bidang B", jenis="bidang", parent=kepala)
    pohon = pohon_create(dinas=dinas, tahun=2019)
    s1 = node_create(pohon=pohon, parent=None, jenis="sasaran", uraian="Sasaran satu", kode="S1", unit=bidang_a)
    n = {}
    n["S1.I1"] = node_create(
        pohon=pohon, parent=s1, jenis="indikator", uraian="Persentase desa maju", kode="S1.I1",
        target_angka=Decimal(80), satuan="%", arah="naik",
    )  # fmt: skip
    n["S1.I2"] = node_create(
        pohon=pohon, parent=s1, jenis="indikator", uraian="Opini BPK", kode="S1.I2", target_teks="WTP"
    )
    n["P1"] = node_create(
        pohon=pohon, parent=s1, jenis="program", uraian="Program satu", kode="P1", pagu=Decimal(1_000_000_000)
    )
    n["P1.I1"] = node_create(
        pohon=pohon, parent=n["P1"], jenis="indikator", uraian="Jumlah kasus", kode="P1.I1",
        target_angka=Decimal(10), satuan="kasus", arah="turun",
    )  # fmt: skip
    s2 = node_create(pohon=pohon, parent=None, jenis="sasaran", uraian="Sasaran dua", kode="S2", unit=bidang_b)
    n["S2.I1"] = node_create(
        pohon=pohon, parent=s2, jenis="indikator", uraian="Indeks tepat", kode="S2.I1",
        target_angka=Decimal(100), satuan="poin", arah="tetap",
    )  # fmt: skip
    Pohon.objects.filter(pk=pohon.pk).update(status=Pohon.Status.DISETUJUI)
    pohon.refresh_from_db()
    User = get_user_model()
    users = {}
    for name, peran, unit in (
        ("op_a", "operator", bidang_a),
        ("op_b", "operator", bidang_b),
        ("kadis", "kepala_dinas", None),
        ("admin_dinas", "admin", None),
    ):
        users[name] = User.objects.create_user(name, password="rahasia-uji", is_staff=True)
        Keanggotaan.objects.create(user=users[name], dinas=dinas, peran=peran, unit=unit)
    for triwulan in (1, 2):
        jendela_set(
            pemda=dinas.pemda,
            tahun=2019,
            triwulan=triwulan,
            mulai=datetime.date(2019, 1, 1),
            selesai=datetime.date(2019, 12, 31) if triwulan == 1 else datetime.date(2019, 4, 1),
            user=None,
            today=datetime.date(2019, 1, 1),
        )
    return {"pohon": pohon, "nodes": n, "users": users, "units": {"a": bidang_a, "b": bidang_b}}
