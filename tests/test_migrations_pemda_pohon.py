"""dinas 0007 / pohon 0020 (the Pemda tree): existing agencies stay agencies, existing trees stay
one-year trees, and the Pemdas sign their tree by the Kepala Bappeda until told otherwise."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("dinas", "0005_pemda_required"), ("pohon", "0014_dokumen_jenis")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_existing_rows_keep_their_meaning():
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    pemda = old.get_model("dinas", "Pemda").objects.create(
        kode="kabupaten-lumajang", nama="Kabupaten Lumajang", jenis="kabupaten", tempat="Lumajang"
    )
    agency = old.get_model("dinas", "PerangkatDaerah").objects.create(kode="dpmd", nama="DPMD", pemda=pemda)
    old.get_model("pohon", "Pohon").objects.create(dinas=agency, tahun=2018)
    try:
        _migrate(executor.loader.graph.leaf_nodes())
        from dinas.models import Pemda, PerangkatDaerah
        from pohon.models import Pohon

        assert PerangkatDaerah.objects.get(kode="dpmd").jenis == PerangkatDaerah.Jenis.DINAS
        assert Pemda.objects.get().penyetuju_pohon == Pemda.PenyetujuPohon.KEPALA_BAPPEDA
        pohon = Pohon.objects.get()
        assert (pohon.tahun_akhir, pohon.is_pemda, str(pohon)) == (None, False, "dpmd 2018")
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
