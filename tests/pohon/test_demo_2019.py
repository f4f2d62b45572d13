"""The demo's example 2019: a copy of the approved 2018 cascade with example targets, approved,
marked as example data; 2018 stays exactly the seed."""

from decimal import Decimal

import pytest

from pohon import rules
from pohon.demo import demo_document, demo_nodes, pohon_as_plan
from pohon.demo.realisasi import TARGETS, pohon_contoh
from pohon.models import Node, Pohon


@pytest.mark.django_db
def test_demo_2019_is_an_approved_copy_with_example_targets(demo_approved):
    pohon_2019 = Pohon.objects.get(dinas__kode="dpmd-lumajang", tahun=2019)
    assert pohon_2019.status == Pohon.Status.DISETUJUI
    assert pohon_2019.pengesahan.dokumen.tanggal.isoformat() == "2019-01-28"
    assert "bukan data Dinas yang sebenarnya" in pohon_contoh(pohon_2019)
    assert pohon_contoh(demo_approved) == ""  # the seed's 2018 is real data

    indikator = {n.kode: n for n in Node.objects.filter(pohon=pohon_2019, jenis=rules.INDIKATOR)}
    assert set(indikator) == set(TARGETS)  # every Indikator of the seed has its example target
    assert indikator["T1.I1"].target_angka == Decimal(25)
    assert (indikator["T1.I1"].satuan, indikator["T1.I1"].arah) == ("desa", "turun")
    assert (indikator["B1.S1.I1"].target_angka, indikator["B1.S1.I1"].satuan) == (Decimal(85), "%")

    # The same nodes of the cycle: each 2019 node has the lasting key of its 2018 node.
    kunci_2018 = dict(Node.objects.filter(pohon=demo_approved).visible().values_list("kode", "kunci"))
    kunci_2019 = dict(Node.objects.filter(pohon=pohon_2019).visible().values_list("kode", "kunci"))
    assert kunci_2018 == kunci_2019


@pytest.mark.django_db
def test_2018_stays_exactly_the_seed(demo_approved):
    assert pohon_as_plan(demo_approved) == demo_nodes(demo_document())
    assert not Node.objects.filter(pohon=demo_approved, target_angka__isnull=False).exists()


@pytest.mark.django_db
def test_loading_again_changes_nothing(demo_approved):
    from io import StringIO

    from django.core.management import call_command

    pohon_2019 = Pohon.objects.get(dinas__kode="dpmd-lumajang", tahun=2019)
    versions = dict(Node.objects.filter(pohon=pohon_2019).values_list("kode", "versi"))
    call_command("load_demo", demo=True, stdout=StringIO())
    assert Pohon.objects.filter(dinas__kode="dpmd-lumajang", tahun=2019).count() == 1
    assert dict(Node.objects.filter(pohon=pohon_2019).values_list("kode", "versi")) == versions
