"""The Pemda's dashboard: every agency read at once gives what each agency's own dashboard gives,
sorted by capaian, in the same number of queries however many agencies there are."""

from decimal import Decimal

import pytest

from dinas.models import PerangkatDaerah, UnitKerja
from pohon.laporan.selectors import dasbor_dinas, dasbor_pemda
from pohon.models import Pohon
from pohon.realisasi.models import Realisasi, RealisasiAnggaran
from pohon.services import node_create, pohon_create

pytestmark = pytest.mark.django_db


def agency(pemda, kode: str, realisasi: list[str | None]) -> PerangkatDaerah:
    """An agency with an approved 2019 tree: one Sasaran with Indikator of target 100 (naik), whose
    TW I realisation is ``realisasi`` (None: not reported), and a Program of Pagu 1.000.000."""
    dinas = PerangkatDaerah.objects.create(kode=kode, nama=f"Dinas {kode}", pemda=pemda)
    unit = UnitKerja.objects.create(dinas=dinas, kode="kepala", nama="Kepala Dinas", jenis="kepala")
    pohon = pohon_create(dinas=dinas, tahun=2019)
    sasaran = node_create(pohon=pohon, parent=None, jenis="sasaran", uraian="Sasaran", kode="S1", unit=unit)
    for index, value in enumerate(realisasi, start=1):
        node = node_create(
            pohon=pohon, parent=sasaran, jenis="indikator", uraian=f"Indikator {index}", kode=f"S1.I{index}",
            target_angka=Decimal(100), satuan="%",
        )  # fmt: skip
        if value is not None:
            Realisasi.objects.create(dinas=dinas, tahun=2019, triwulan=1, kunci=node.kunci, realisasi_angka=value)
    program = node_create(pohon=pohon, parent=sasaran, jenis="program", uraian="Program", kode="P1", pagu=1_000_000)
    RealisasiAnggaran.objects.create(dinas=dinas, tahun=2019, triwulan=1, kunci=program.kunci, jumlah=250_000)
    Pohon.objects.filter(pk=pohon.pk).update(status=Pohon.Status.DISETUJUI)
    return dinas


def test_agencies_sorted_by_capaian_and_the_same_as_their_own_dashboards(pemda, django_assert_num_queries):
    agency(pemda, "a", ["80"])
    agency(pemda, "b", ["95", "105"])
    agency(pemda, "c", [None])
    PerangkatDaerah.objects.create(kode="d", nama="Dinas d", pemda=pemda)  # no approved tree
    with django_assert_num_queries(8):  # agencies, bands, and realisasi_baca's six reads
        dasbor = dasbor_pemda(pemda=pemda, tahun=2019)
    assert [(row.dinas.kode, row.nilai_display, row.warna) for row in dasbor.rows] == [
        ("b", "100 %", "hijau"),
        ("a", "80 %", "kuning"),
        ("c", "—", "abu"),  # not reported: grey, never green
        ("d", "—", "abu"),  # no approved tree
    ]
    for row in dasbor.rows[:3]:
        own = dasbor_dinas(dinas=row.dinas, tahun=2019, triwulan=1)
        assert row.dasbor.keseluruhan == own.keseluruhan
        assert [s.serapan for s in row.dasbor.serapan] == [s.serapan for s in own.serapan]
    assert dasbor.serapan[0].serapan == Decimal("25.00")  # 750.000 of 3.000.000
    assert dasbor.rows[0].dasbor.serapan_tahun_display == "25 %"
    # The same queries for a Pemda of one agency as for four.
    from tests.conftest import pemda_named

    small = pemda_named("Kota Kecil")
    agency(small, "e", ["50"])
    with django_assert_num_queries(8):
        assert [row.nilai_display for row in dasbor_pemda(pemda=small, tahun=2019).rows] == ["50 %"]
