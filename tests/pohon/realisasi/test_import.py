"""The realisation import: all or nothing, each refusal named by row and column."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pohon.realisasi.imports import realisasi_import
from pohon.realisasi.models import Realisasi, RealisasiAnggaran, RealisasiRiwayat
from tests.pohon.realisasi.conftest import TODAY

pytestmark = pytest.mark.django_db

HEADER = "kode;kunci;triwulan;realisasi;realisasi_anggaran;pendukung\n"


def _run(tree, body: str, *, user="op_a", dry_run=False):
    return realisasi_import(
        dinas=tree["pohon"].dinas,
        tahun=2019,
        data=(HEADER + body).encode(),
        filename="realisasi.csv",
        user=tree["users"][user] if user else None,
        dry_run=dry_run,
        today=TODAY,
    )


def _problems(result):
    return [(p.row, p.column, p.message) for p in result.problems]


def test_clean_file_imports_by_kode_and_kunci(realisasi_tree):
    kunci = realisasi_tree["nodes"]["S1.I2"].kunci
    body = f"S1.I1;;1;85,5;;Pendampingan\n;{kunci};I;WDP;;\nP1;;1;;Rp 250.000.000;\nP1.I1;;TW I;9;;\n"
    result = _run(realisasi_tree, body)
    assert result.ok, _problems(result)
    assert (result.realisasi, result.anggaran, result.rows) == (3, 1, 4)
    assert Realisasi.objects.get(kunci=realisasi_tree["nodes"]["S1.I1"].kunci).pendukung == "Pendampingan"
    assert Realisasi.objects.get(kunci=kunci).realisasi_teks == "WDP"
    assert RealisasiAnggaran.objects.get().jumlah == Decimal(250_000_000)
    # one event in the history for the whole import
    entries = RealisasiRiwayat.objects.filter(objek__in=["realisasi", "anggaran"])
    assert entries.count() == 4 and entries.values("peristiwa").distinct().count() == 1


def test_dry_run_writes_nothing(realisasi_tree):
    result = _run(realisasi_tree, "S1.I1;;1;85;;\n", dry_run=True)
    assert result.ok and result.realisasi == 1
    assert not Realisasi.objects.exists() and not RealisasiRiwayat.objects.filter(objek="realisasi").exists()


def test_any_bad_row_refuses_everything_with_row_and_column(realisasi_tree):
    body = (
        "S1.I1;;1;85;;\n"  # row 2: fine
        "S9;;1;5;;\n"  # row 3: unknown kode
        "S1.I2;;1;Baik;;\n"  # row 4: not on the scale
        "S1.I1;;5;80;;\n"  # row 5: quarter 5
        "P1;;1;;2.000.000.000;\n"  # row 6: above Pagu, not confirmed
        "S1.I1;;1;86;;\n"  # row 7: duplicate of row 2
        "S1.I1;;2;80;;\n"  # row 8: TW II window closed
        "S2.I1;;1;100;;\n"  # row 9: another unit's indikator
        "S1;;1;50;;\n"  # row 10: a Sasaran has no realisation of its own
        ";;1;5;;\n"  # row 11: no kode or kunci
    )
    result = _run(realisasi_tree, body)
    problems = _problems(result)
    assert [(row, column) for row, column, _message in problems] == [
        (3, "kode"),
        (4, "realisasi"),
        (5, "triwulan"),
        (6, "realisasi_anggaran"),
        (7, "kode"),
        (8, "triwulan"),
        (9, "kode"),
        (10, "kode"),
        (11, "kode"),
    ]
    messages = {(row, column): message for row, column, message in problems}
    assert "tidak ada pada skala indikator" in messages[(4, "realisasi")]
    assert "melebihi Pagu" in messages[(6, "realisasi_anggaran")]
    assert "sudah ada di baris 2" in messages[(7, "kode")]
    assert "sudah ditutup" in messages[(8, "triwulan")]
    assert "unit kerjanya sendiri" in messages[(9, "kode")]
    assert not Realisasi.objects.exists() and not RealisasiAnggaran.objects.exists()
    assert not RealisasiRiwayat.objects.filter(objek__in=["realisasi", "anggaran"]).exists()
    assert "tidak dilaporkan realisasinya" in messages[(10, "kode")]


def test_program_row_with_indikator_realisation_is_refused(realisasi_tree):
    result = _run(realisasi_tree, "P1;;1;50;;\n")
    assert _problems(result) == [
        (2, "realisasi", "Program tidak memiliki realisasi indikator; isi realisasi_anggaran.")
    ]


def test_unreadable_file_and_missing_column(realisasi_tree):
    result = realisasi_import(
        dinas=realisasi_tree["pohon"].dinas, tahun=2019, data=b"kode;realisasi\nS1.I1;5\n",
        filename="x.csv", user=None, today=TODAY,
    )  # fmt: skip
    assert not result.ok and "triwulan" in str(result.problems[0])


def test_import_page_preview_then_confirm(client, realisasi_tree):
    from django.utils import timezone

    from pohon.realisasi.services import jendela_set

    today = timezone.localdate()
    jendela_set(
        pemda=realisasi_tree["pohon"].dinas.pemda, tahun=2019, triwulan=3, mulai=today, selesai=today, user=None
    )
    client.force_login(realisasi_tree["users"]["op_a"])
    url = reverse("realisasi:impor", args=["dinas-uji", 2019])
    bad = SimpleUploadedFile("r.csv", (HEADER + "S1.I1;;3;abc;;\n").encode())
    response = client.post(url, {"berkas": bad})
    assert response.status_code == 400
    assert "harus berupa angka" in response.content.decode() and "btn-konfirmasi-impor" not in response.content.decode()
    good = SimpleUploadedFile("r.csv", (HEADER + "S1.I1;;3;70;;\n").encode())
    response = client.post(url, {"berkas": good})
    assert "1 baris siap: 1 realisasi indikator" in response.content.decode()
    assert not Realisasi.objects.exists()
    upload_id = response.context["upload_id"]
    response = client.post(url, {"upload": upload_id}, follow=True)
    assert "Impor selesai: 1 realisasi indikator" in response.content.decode()
    assert Realisasi.objects.get().realisasi_angka == Decimal(70)


def test_quarterly_targets_and_rule_import(realisasi_tree):
    from pohon.realisasi.models import RencanaIndikator, TargetTriwulan

    header = "kode;triwulan;target;aturan;realisasi\n"
    body = "S1.I1;1;20;kumulatif;\nS1.I1;2;25;;\nS1.I1;3;20;;\nS1.I1;4;15;;\nS1.I2;4;WTP;nilai akhir;\n"
    result = realisasi_import(
        dinas=realisasi_tree["pohon"].dinas, tahun=2019, data=(header + body).encode(), filename="t.csv",
        user=realisasi_tree["users"]["op_a"], today=TODAY,
    )  # fmt: skip
    assert result.ok, _problems(result)
    assert result.target == 5 and result.realisasi == 0
    s1 = realisasi_tree["nodes"]["S1.I1"].kunci
    assert RencanaIndikator.objects.get(kunci=s1).aturan == "kumulatif"
    targets = TargetTriwulan.objects.filter(kunci=s1).order_by("triwulan")
    assert [t.target_angka for t in targets] == [20, 25, 20, 15]
    bad = "S1.I1;2;banyak;;\nS1.I1;3;;setahun;\nP1;1;5;;\nS2.I1;1;5;;\n"
    result = realisasi_import(
        dinas=realisasi_tree["pohon"].dinas, tahun=2019, data=(header + bad).encode(), filename="t.csv",
        user=realisasi_tree["users"]["op_a"], today=TODAY,
    )  # fmt: skip
    assert [(row, column) for row, column, _m in _problems(result)] == [
        (2, "target"), (3, "aturan"), (4, "target"), (5, "kode"),
    ]  # fmt: skip
    assert [t.target_angka for t in TargetTriwulan.objects.filter(kunci=s1).order_by("triwulan")] == [20, 25, 20, 15]
