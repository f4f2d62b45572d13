"""Quarterly targets, windows, realisation, verification and the year's selector."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pohon.realisasi.models import LaporanTriwulan, Realisasi, RealisasiAnggaran, RealisasiRiwayat
from pohon.realisasi.selectors import realisasi_tahun, unit_triwulan_list
from pohon.realisasi.services import (
    AnggaranInput,
    RealisasiInput,
    anggaran_set,
    jendela_set,
    jendela_tutup,
    laporan_ajukan,
    laporan_kembalikan,
    laporan_simpan,
    laporan_verifikasi,
    realisasi_set,
    rencana_set,
)
from tests.pohon.realisasi.conftest import TODAY

pytestmark = pytest.mark.django_db


def _set(tree, kode, nilai, *, user="op_a", triwulan=1, **notes):
    return realisasi_set(
        dinas=tree["pohon"].dinas,
        tahun=2019,
        triwulan=triwulan,
        entry=RealisasiInput(kunci=tree["nodes"][kode].kunci, nilai=nilai, **notes),
        user=tree["users"][user],
        today=TODAY,
    )


def test_selector_computes_capaian_status_and_serapan(realisasi_tree):
    tree = realisasi_tree
    dinas = tree["pohon"].dinas
    rencana_set(
        dinas=dinas, tahun=2019, kunci=tree["nodes"]["S1.I1"].kunci, aturan="kumulatif",
        targets={1: "20", 2: "20", 3: "20", 4: "20"}, user=tree["users"]["op_a"],
    )  # fmt: skip
    _set(tree, "S1.I1", "19", pendukung="Pendampingan desa")
    _set(tree, "S1.I2", "wdp")
    _set(tree, "P1.I1", "12")
    entry = AnggaranInput(kunci=tree["nodes"]["P1"].kunci, jumlah="Rp 250.000.000")
    anggaran_set(dinas=dinas, tahun=2019, triwulan=1, entry=entry, user=tree["users"]["op_a"], today=TODAY)
    data = realisasi_tahun(dinas=dinas, tahun=2019)
    rows = {row.node.kode: row for row in data.indikator}
    tw1 = rows["S1.I1"].tw(1)
    assert (tw1.target, tw1.realisasi, tw1.capaian.nilai, tw1.warna, tw1.status) == (
        Decimal(20), Decimal(19), Decimal("95.00"), "hijau", "draf",
    )  # fmt: skip
    assert tw1.pendukung == "Pendampingan desa"
    assert rows["S1.I1"].aturan == "kumulatif"
    assert rows["S1.I2"].tw(1).realisasi == "WDP"  # the scale's own spelling
    s1i2 = rows["S1.I2"].tw(1)  # no TW I target: measured against the year's WTP
    assert (s1i2.target, s1i2.target_gabung, s1i2.target_tahunan, s1i2.capaian.nilai) == (
        None, "WTP", True, Decimal("75.00"),
    )  # fmt: skip
    assert rows["S1.I2"].capaian_tahunan.nilai == Decimal("75.00")
    assert rows["P1.I1"].capaian_tahunan.nilai == Decimal("80.00")  # turun: (20 - 12) / 10
    assert rows["S2.I1"].tw(1).status == "belum_lapor" and rows["S2.I1"].tw(1).warna == "abu"
    budget = data.anggaran[0]
    assert (budget.node.kode, budget.tw(1).serapan, budget.tw(1).kumulatif_display) == (
        "P1", Decimal("25.00"), "Rp 250.000.000",
    )  # fmt: skip
    units = {row.unit_nama: row.status for row in unit_triwulan_list(data, 1)}
    assert units == {"Bidang A": "draf", "Bidang B": "belum_lapor"}


def test_window_closed_refuses_and_saves_nothing_reopened_allows(realisasi_tree):
    tree = realisasi_tree
    with pytest.raises(ValidationError, match="sudah ditutup"):
        _set(tree, "S1.I1", "19", triwulan=2)  # TW II closed on 1 April
    assert not Realisasi.objects.exists()
    admin = tree["users"]["admin_dinas"]
    with pytest.raises(ValidationError, match="alasan"):
        jendela_set(
            pemda=tree["pohon"].dinas.pemda, tahun=2019, triwulan=2, mulai=datetime.date(2019, 1, 1),
            selesai=datetime.date(2019, 4, 30), user=admin, today=TODAY,
        )  # fmt: skip
    window = jendela_set(
        pemda=tree["pohon"].dinas.pemda, tahun=2019, triwulan=2, mulai=datetime.date(2019, 1, 1),
        selesai=datetime.date(2019, 4, 30), user=admin, alasan="Data BPS terlambat", today=TODAY,
    )  # fmt: skip
    assert (window.dibuka_ulang_oleh, window.alasan_buka_ulang) == ("admin_dinas", "Data BPS terlambat")
    _set(tree, "S1.I1", "19", triwulan=2)
    assert Realisasi.objects.count() == 1
    jendela_tutup(jendela=window, user=admin)
    with pytest.raises(ValidationError, match="sudah ditutup"):
        _set(tree, "S1.I1", "21", triwulan=2)
    assert Realisasi.objects.get().realisasi_angka == Decimal(19)
    with pytest.raises(PermissionDenied):
        jendela_set(
            pemda=tree["pohon"].dinas.pemda, tahun=2019, triwulan=3, mulai=TODAY, selesai=TODAY,
            user=tree["users"]["op_a"],
        )  # fmt: skip
    entry = RealisasiRiwayat.objects.filter(objek="jendela", aksi="buka_ulang").get()
    assert entry.catatan == "Data BPS terlambat"


def test_operator_cannot_report_another_units_indikator(realisasi_tree):
    with pytest.raises(PermissionDenied):
        _set(realisasi_tree, "S2.I1", "100", user="op_a")
    assert not Realisasi.objects.exists()
    _set(realisasi_tree, "S2.I1", "100", user="op_b")


def test_values_are_checked(realisasi_tree):
    with pytest.raises(ValidationError, match="harus berupa angka"):
        _set(realisasi_tree, "S1.I1", "Baik")
    with pytest.raises(ValidationError, match="tidak ada pada skala"):
        _set(realisasi_tree, "S1.I2", "Baik")
    with pytest.raises(ValidationError, match="bukan angka yang dikenali"):
        _set(realisasi_tree, "S1.I1", "1.2.3")
    assert not Realisasi.objects.exists()


def test_budget_above_pagu_needs_confirmation(realisasi_tree):
    tree = realisasi_tree
    entry = AnggaranInput(kunci=tree["nodes"]["P1"].kunci, jumlah="1.200.000.000")
    kwargs = {"dinas": tree["pohon"].dinas, "tahun": 2019, "triwulan": 1, "user": tree["users"]["op_a"], "today": TODAY}
    with pytest.raises(ValidationError, match="melebihi Pagu Rp 1.000.000.000"):
        anggaran_set(entry=entry, **kwargs)
    assert not RealisasiAnggaran.objects.exists()
    row = anggaran_set(
        entry=AnggaranInput(kunci=entry.kunci, jumlah=entry.jumlah, konfirmasi_lebih_pagu=True), **kwargs
    )
    assert row.melebihi_pagu and row.jumlah == Decimal(1_200_000_000)


def test_submit_verify_freezes_return_reopens(realisasi_tree):
    tree = realisasi_tree
    dinas, unit_a = tree["pohon"].dinas, tree["units"]["a"].pk
    with pytest.raises(ValidationError, match="belum diisi"):
        laporan_ajukan(dinas=dinas, tahun=2019, triwulan=1, unit_id=unit_a, user=tree["users"]["op_a"], today=TODAY)
    for kode, nilai in (("S1.I1", "70"), ("S1.I2", "WTP"), ("P1.I1", "9")):
        _set(tree, kode, nilai)
    laporan_ajukan(dinas=dinas, tahun=2019, triwulan=1, unit_id=unit_a, user=tree["users"]["op_a"], today=TODAY)
    with pytest.raises(ValidationError, match="diajukan"):
        _set(tree, "S1.I1", "71")
    with pytest.raises(PermissionDenied):
        laporan_verifikasi(dinas=dinas, tahun=2019, triwulan=1, unit_id=unit_a, user=tree["users"]["op_a"])
    with pytest.raises(ValidationError, match="catatan"):
        laporan_kembalikan(dinas=dinas, tahun=2019, triwulan=1, unit_id=unit_a, user=tree["users"]["kadis"], catatan="")
    laporan_kembalikan(
        dinas=dinas, tahun=2019, triwulan=1, unit_id=unit_a, user=tree["users"]["kadis"], catatan="Lampirkan data"
    )
    _set(tree, "S1.I1", "71")  # returned: editable again
    laporan_ajukan(dinas=dinas, tahun=2019, triwulan=1, unit_id=unit_a, user=tree["users"]["op_a"], today=TODAY)
    laporan_verifikasi(dinas=dinas, tahun=2019, triwulan=1, unit_id=unit_a, user=tree["users"]["kadis"])
    with pytest.raises(ValidationError, match="diverifikasi"):
        _set(tree, "S1.I1", "72")
    assert Realisasi.objects.get(kunci=tree["nodes"]["S1.I1"].kunci).realisasi_angka == Decimal(71)
    laporan = LaporanTriwulan.objects.get()
    assert (laporan.status, laporan.diverifikasi_oleh) == ("diverifikasi", "kadis")
    data = realisasi_tahun(dinas=dinas, tahun=2019)
    assert {row.node.kode: row.tw(1).status for row in data.indikator} == {
        "S1.I1": "diverifikasi", "S1.I2": "diverifikasi", "P1.I1": "diverifikasi", "S2.I1": "belum_lapor",
    }  # fmt: skip
    history = list(RealisasiRiwayat.objects.filter(kode="S1.I1").values_list("aksi", "sebelum", "sesudah"))
    assert history[0][0] == "isi" and history[1][1]["realisasi"] == "70" and history[1][2]["realisasi"] == "71"


def test_form_save_is_all_or_nothing(realisasi_tree):
    tree = realisasi_tree
    nodes = tree["nodes"]
    with pytest.raises(ValidationError) as refused:
        laporan_simpan(
            dinas=tree["pohon"].dinas, tahun=2019, triwulan=1, user=tree["users"]["op_a"], today=TODAY,
            indikator=[RealisasiInput(kunci=nodes["S1.I1"].kunci, nilai="70"),
                       RealisasiInput(kunci=nodes["S1.I2"].kunci, nilai="Baik")],
            anggaran=[AnggaranInput(kunci=nodes["P1"].kunci, jumlah="2.000.000.000")],
        )  # fmt: skip
    assert set(refused.value.message_dict) == {str(nodes["S1.I2"].kunci), str(nodes["P1"].kunci)}
    assert not Realisasi.objects.exists() and not RealisasiAnggaran.objects.exists()


def test_selector_queries_do_not_grow_with_the_tree(dinas, django_assert_max_num_queries):
    """A fixed number of queries (at most 12, issue 15) for a tree of 200 nodes or of 600."""
    from pohon.models import Pohon
    from pohon.realisasi.models import TargetTriwulan
    from pohon.realisasi.selectors import butir_realisasi
    from pohon.sample import sample_tree_create

    for tahun, size in ((2019, 200), (2020, 600)):
        pohon = sample_tree_create(dinas=dinas, tahun=tahun, size=size)
        Pohon.objects.filter(pk=pohon.pk).update(status=Pohon.Status.DISETUJUI)
        nodes = [n for n in butir_realisasi(pohon) if n.jenis == "indikator"]
        for node in nodes:
            TargetTriwulan.objects.create(dinas=dinas, tahun=tahun, kunci=node.kunci, triwulan=1, target_angka=5)
            Realisasi.objects.create(dinas=dinas, tahun=tahun, kunci=node.kunci, triwulan=1, realisasi_angka=4)
        dinas.refresh_from_db()
        with django_assert_max_num_queries(10):
            data = realisasi_tahun(dinas=dinas, tahun=tahun)
        assert len(data.indikator) == len(nodes) and all(r.tw(1).capaian.nilai == Decimal(80) for r in data.indikator)


def test_reports_survive_a_perubahan(realisasi_tree):
    """A Perubahan copies the tree with new rows and the same kunci: the reports stay attached
    (the draft revision is not reported on until it is approved)."""
    from pohon.models import Node, Pohon
    from pohon.services import node_update, pohon_create, tree_copy

    tree = realisasi_tree
    _set(tree, "S1.I1", "60")
    dinas = tree["pohon"].dinas
    revision = pohon_create(dinas=dinas, tahun=2019, revisi=1)
    tree_copy(source=tree["pohon"], target=revision)
    copy = Node.objects.get(pohon=revision, kode="S1.I1")
    assert copy.pk != tree["nodes"]["S1.I1"].pk and copy.kunci == tree["nodes"]["S1.I1"].kunci
    node_update(node=copy, kode="S1.I1b", target_angka=Decimal(75))  # renumbered, new target
    data = realisasi_tahun(dinas=dinas, tahun=2019)
    assert data.pohon.revisi == 0  # the draft Perubahan is not reported on yet
    Pohon.objects.filter(pk=revision.pk).update(status=Pohon.Status.DISETUJUI)
    data = realisasi_tahun(dinas=dinas, tahun=2019)
    row = next(r for r in data.indikator if r.node.kunci == copy.kunci)
    assert (data.pohon.revisi, row.node.kode, row.tw(1).realisasi, row.capaian_tahunan.nilai) == (
        1, "S1.I1b", Decimal(60), Decimal("80.00"),
    )  # fmt: skip


def test_rencana_rights_scale_and_windows_dates(realisasi_tree):
    from pohon.realisasi.models import RencanaIndikator

    tree = realisasi_tree
    dinas = tree["pohon"].dinas
    with pytest.raises(PermissionDenied):
        rencana_set(
            dinas=dinas, tahun=2019, kunci=tree["nodes"]["S1.I1"].kunci, aturan="kumulatif",
            targets={1: "20"}, user=tree["users"]["op_b"],
        )  # fmt: skip
    with pytest.raises(ValidationError, match="tidak dikenal"):
        rencana_set(dinas=dinas, tahun=2019, kunci=tree["nodes"]["S1.I1"].kunci, aturan="median", targets={}, user=None)
    skala = [["Sangat Baik", 4], ["Baik", 3], ["Cukup", 2]]
    rencana_set(
        dinas=dinas, tahun=2019, kunci=tree["nodes"]["S1.I2"].kunci, aturan="nilai_akhir",
        targets={1: "baik"}, skala=skala, user=None,
    )  # fmt: skip
    assert RencanaIndikator.objects.get(kunci=tree["nodes"]["S1.I2"].kunci).skala == skala
    _set(tree, "S1.I2", "cukup")
    row = next(r for r in realisasi_tahun(dinas=dinas, tahun=2019).indikator if r.node.kode == "S1.I2")
    assert (row.tw(1).target, row.tw(1).realisasi, row.tw(1).capaian.nilai) == ("Baik", "Cukup", Decimal("66.67"))
    with pytest.raises(ValidationError, match="tidak boleh sebelum"):
        jendela_set(
            pemda=dinas.pemda, tahun=2019, triwulan=4, mulai=datetime.date(2019, 10, 10),
            selesai=datetime.date(2019, 10, 1), user=None,
        )  # fmt: skip
