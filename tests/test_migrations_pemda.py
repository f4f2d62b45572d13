"""dinas 0004/0005: the Pemda strings of existing agencies become Pemda records."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("dinas", "0003_pejabat_status")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_each_distinct_pemda_string_becomes_one_pemda_and_agencies_point_at_their_own():
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Agency = old.get_model("dinas", "PerangkatDaerah")
    Unit = old.get_model("dinas", "UnitKerja")
    Official = old.get_model("dinas", "Pejabat")
    Agency.objects.create(kode="dpmd-lumajang", nama="DPMD", pemda="Kabupaten Lumajang", tempat="")
    Agency.objects.create(kode="bappeda-lumajang", nama="Bappeda", pemda="Kabupaten Lumajang", tempat="Klakah")
    malang = Agency.objects.create(kode="dinkes-malang", nama="Dinkes", pemda="Kota Malang", tempat="")
    unit = Unit.objects.create(dinas=malang, kode="kepala", nama="Kepala Dinas", jenis="kepala")
    Official.objects.create(nama="A", nip="197409101994121001", jabatan="Kepala", unit=unit, tahun_mulai=2018)

    try:
        executor = _migrate(executor.loader.graph.leaf_nodes())
        from dinas.models import Pejabat, Pemda, PerangkatDaerah

        pemdas = {p.nama: (p.kode, p.jenis, p.tempat) for p in Pemda.objects.all()}
        assert pemdas == {
            "Kabupaten Lumajang": ("kabupaten-lumajang", "kabupaten", "Lumajang"),
            "Kota Malang": ("kota-malang", "kota", "Malang"),
        }
        agencies = {a.kode: (a.pemda.nama, a.pemda_nama, a.tempat_dokumen) for a in PerangkatDaerah.objects.all()}
        assert agencies == {
            "dpmd-lumajang": ("Kabupaten Lumajang", "Kabupaten Lumajang", "Lumajang"),
            "bappeda-lumajang": ("Kabupaten Lumajang", "Kabupaten Lumajang", "Klakah"),
            "dinkes-malang": ("Kota Malang", "Kota Malang", "Malang"),
        }
        pejabat = Pejabat.objects.get()
        assert (pejabat.unit.kode, pejabat.pemda, pejabat.nip) == ("kepala", None, "197409101994121001")
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_names_that_slugify_alike_get_distinct_kodes_and_odd_names_are_kept():
    executor = _migrate(BEFORE)
    Agency = executor.loader.project_state(BEFORE).apps.get_model("dinas", "PerangkatDaerah")
    Agency.objects.create(kode="a", nama="A", pemda="Kab. Lumajang", tempat="")
    Agency.objects.create(kode="b", nama="B", pemda="Kab Lumajang", tempat="")
    Agency.objects.create(kode="c", nama="C", pemda="Pemerintah Lumajang", tempat="")
    try:
        _migrate(executor.loader.graph.leaf_nodes())
        from dinas.models import PerangkatDaerah

        rows = sorted(
            (a.kode, a.pemda.nama, a.pemda.kode, a.pemda.jenis, a.pemda.tempat) for a in PerangkatDaerah.objects.all()
        )
        assert rows == [
            # In the order of the names: "Kab Lumajang" before "Kab. Lumajang".
            ("a", "Kab. Lumajang", "kab-lumajang-2", "kabupaten", "Lumajang"),
            ("b", "Kab Lumajang", "kab-lumajang", "kabupaten", "Lumajang"),
            ("c", "Pemerintah Lumajang", "pemerintah-lumajang", "kabupaten", "Pemerintah Lumajang"),
        ]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_migrating_back_writes_the_pemda_names_into_the_old_column():
    from dinas.models import PerangkatDaerah
    from dinas.services import pemda_create

    PerangkatDaerah.objects.create(kode="dinkes-malang", nama="Dinkes", pemda=pemda_create(nama="Kota Malang"))
    try:
        executor = _migrate(BEFORE)
        Agency = executor.loader.project_state(BEFORE).apps.get_model("dinas", "PerangkatDaerah")
        assert list(Agency.objects.values_list("kode", "pemda")) == [("dinkes-malang", "Kota Malang")]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert PerangkatDaerah.objects.get().pemda_nama == "Kota Malang"
