"""Issuing every Perjanjian Kinerja of an agency at once: one background job (run at once here,
as the worker would: the tests' immediate backend), one joined PDF and one spreadsheet; only
what the user's role may approve; nothing half-issued when a signing fails."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from openpyxl import load_workbook
from pypdf import PdfReader

from core.models import Pekerjaan
from dinas.models import Keanggotaan
from dinas.services import pemda_update
from pohon.models import DokumenTerbit, PerjanjianKinerja, PerjanjianRiwayat
from pohon.perjanjian import bulk
from pohon.perjanjian.bulk import JOB_PERJANJIAN_MASSAL, Langkah, perjanjian_bulk_issue, perjanjian_bulk_plan
from pohon.perjanjian.exports import sheet_names
from pohon.perjanjian.selectors import perjanjian_plans
from pohon.perjanjian.services import perjanjian_approve, perjanjian_generate, perjanjian_submit
from tests.pohon.perjanjian.conftest import member, pdf_text, squash

Status = PerjanjianKinerja.Status
Ttd = PerjanjianKinerja.Ttd
URL = "/pohon/{dinas}/{tahun}/pk/terbitkan/"


def xlsx_jumlah(sheet) -> int | str:
    """The JUMLAH row's amount of a sheet."""
    for row in sheet.iter_rows(values_only=True):
        if len(row) > 2 and row[1] == "JUMLAH":
            return row[2]
    raise AssertionError(f"no JUMLAH row in {sheet.title}")


@pytest.mark.django_db
def test_admin_issues_every_pk_of_the_demo_at_once_with_one_pdf_and_one_spreadsheet(demo_approved, client):
    admin = get_user_model().objects.get(username="admin")
    plans = [p for p in perjanjian_plans(demo_approved) if not p.masalah]
    assert len(plans) == 16 and not PerjanjianKinerja.objects.exists()

    client.force_login(admin)
    confirm = client.get(URL.format(dinas="dpmd-lumajang", tahun=2018))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert 'id="bulk-akan">16<' in html
    assert "Sebagai admin, Anda berhak mengajukan dan menyetujui" in html
    response = client.post(URL.format(dinas="dpmd-lumajang", tahun=2018))  # the job runs at once here
    assert response.status_code == 302 and response["Location"].endswith("/pk/#pk-bulk")

    job = Pekerjaan.objects.get(jenis=JOB_PERJANJIAN_MASSAL)
    assert job.status == Pekerjaan.Status.SELESAI, job.galat
    assert len(job.hasil_data["diterbitkan"]) == 16 and job.hasil_data["gagal"] == []
    assert job.hasil_data["pesan"].startswith("16 Perjanjian Kinerja disetujui dan ditandatangani.")

    pks = list(PerjanjianKinerja.objects.select_related("dokumen").order_by("unit__urutan", "unit_id"))
    assert len(pks) == 16
    assert all(pk.status == Status.DISETUJUI and pk.ttd_status == Ttd.SELESAI for pk in pks)
    parts = {b.dokumen_id: b for b in DokumenTerbit.objects.filter(dokumen__perjanjian__in=pks, kertas="F4")}
    assert len(parts) == 16 and all(bytes(b.pdf).startswith(b"%PDF") for b in parts.values())
    # History says who did it, and that it was the bulk issue.
    assert PerjanjianRiwayat.objects.filter(aksi="setujui", user=admin, catatan="Penerbitan massal").count() == 16

    # One PDF: the parts one after the other, in the units' order, every official named.
    combined = client.get(job.download_url)
    assert combined["Content-Type"] == "application/pdf"
    assert 'filename="perjanjian-kinerja-dpmd-lumajang-2018-semua-F4.pdf"' in combined["Content-Disposition"]
    reader = PdfReader(io.BytesIO(combined.content))
    assert len(reader.pages) == sum(parts[pk.dokumen_id].halaman for pk in pks) == job.hasil_data["halaman"]
    text = squash(pdf_text(combined.content))
    for pk in pks:
        assert squash(pk.pihak_pertama.nama) in text
        assert squash(pk.pihak_kedua.nama) in text
    order = [text.find(f"Nama : {squash(pk.pihak_pertama.nama)}") for pk in pks]
    assert order == sorted(order) and -1 not in order
    # The parts' signature fields are not copied: a reader would show them as broken.
    assert not any("/Annots" in page and any(a.get_object().get("/FT") == "/Sig" for a in page["/Annots"])
                   for page in reader.pages)  # fmt: skip

    # One spreadsheet: a sheet per PK, valid unique names, the same tables, JUMLAH = the unit's total.
    xlsx = client.get(job.hasil_data["url"])
    assert xlsx.status_code == 200
    assert 'filename="perjanjian-kinerja-dpmd-lumajang-2018-semua.xlsx"' in xlsx["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert len(workbook.sheetnames) == 16
    # The seed gives Pagu to its programmes only: the head's and the four divisions' PKs have a JUMLAH.
    assert sum(1 for pk in pks if pk.jumlah_pagu is not None) == 5
    assert len({n.casefold() for n in workbook.sheetnames}) == 16
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in workbook.sheetnames)
    totals = {plan.unit.pk: plan.jumlah_pagu for plan in plans}
    for sheet, pk in zip(workbook.worksheets, pks, strict=True):
        assert sheet["B3"].value == pk.unit_nama
        expected = "-" if totals[pk.unit_id] is None else int(totals[pk.unit_id])
        assert xlsx_jumlah(sheet) == expected == ("-" if pk.jumlah_pagu is None else int(pk.jumlah_pagu))
    head = workbook.worksheets[0]
    assert head["A1"].value == "PERJANJIAN KINERJA TAHUN 2018"
    assert xlsx_jumlah(head) == 8_731_687_000  # the seed's total: the tree's
    values = [c for row in head.iter_rows(values_only=True) for c in row if c is not None]
    assert "Sasaran Strategis" in values and "Program" in values
    assert "Program peningkatan keberdayaan Masyarakat Pedesaan" in values and 2_078_747_000 in values

    # Pressed again: nothing left to approve; the downloads are joined again.
    again = perjanjian_bulk_plan(demo_approved, admin)
    assert len(again.issued) == 16 and not again.to_issue


@pytest.mark.django_db
def test_the_kepala_dinas_issues_what_their_role_may_approve_and_nothing_else(org, users, client):
    """The Bidang's operator submitted the Bidang's PK; the section's was not submitted. The Kepala
    Dinas's press approves the Bidang's (Administrator) and their own (JPT: submitted as pihak
    pertama, approved for the Bupati as the Pemda allows), and leaves the section's draft: its
    pihak pertama's side has not agreed to it."""
    kadis, operator = users["kadis"], users["operator"]
    result = perjanjian_generate(pohon=org.pohon, user=kadis)
    by_unit = {pk.unit.kode: pk for pk in result.dibuat}
    perjanjian_submit(perjanjian=by_unit["bidang-a"], user=operator)

    plan = {row.unit_nama: row.langkah for row in perjanjian_bulk_plan(org.pohon, kadis).rows}
    assert plan == {
        "Kepala Dinas": Langkah.AJUKAN_SETUJUI,
        "Bidang A": Langkah.SETUJUI,
        "Seksi A1": Langkah.TUNGGU_PENGAJUAN,
        "Seksi A2": Langkah.MASALAH,
    }
    client.force_login(kadis)
    html = client.get(URL.format(dinas="dinas-pk", tahun=2018)).content.decode()
    assert "Sebagai Kepala Dinas, Anda menyetujui sebagai pihak kedua untuk tingkat Administrator" in html
    assert "menunggu diajukan oleh pihak pertama (operator unitnya)" in html
    client.post(URL.format(dinas="dinas-pk", tahun=2018))

    job = Pekerjaan.objects.get(jenis=JOB_PERJANJIAN_MASSAL)
    assert job.status == Pekerjaan.Status.SELESAI, job.galat
    assert job.hasil_data["diterbitkan"] == ["Kepala Dinas", "Bidang A"]
    assert job.hasil_data["menunggu"] == [
        {"unit": "Seksi A1", "keterangan": "menunggu diajukan oleh pihak pertama (operator unitnya)"}
    ]
    states = {pk.unit.kode: (pk.status, pk.ttd_status) for pk in PerjanjianKinerja.objects.all()}
    assert states == {
        "kepala": (Status.DISETUJUI, Ttd.SELESAI),
        "bidang-a": (Status.DISETUJUI, Ttd.SELESAI),
        "seksi-a1": (Status.DRAF, Ttd.BELUM),
    }
    jpt = PerjanjianKinerja.objects.get(unit=org.kepala)
    assert [(r.aksi, r.user) for r in jpt.riwayat.all()] == [("buat", kadis), ("ajukan", kadis), ("setujui", kadis)]
    assert len(PdfReader(io.BytesIO(bytes(Pekerjaan.objects.get(pk=job.pk).hasil))).pages) == 4  # 2 PKs x 2 pages

    # Once the operator has submitted it, the next press approves the section's PK as well.
    perjanjian_submit(perjanjian=by_unit["seksi-a1"], user=operator)
    perjanjian_bulk_issue(pohon=org.pohon, user=kadis)
    assert PerjanjianKinerja.objects.get(unit=org.seksi).ttd_status == Ttd.SELESAI


@pytest.mark.django_db
def test_where_the_pemda_keeps_the_jpt_for_the_kepala_daerah_the_kepala_dinas_does_not_approve_it(org, users):
    pemda_update(pemda=org.pemda, data={"pk_disetujui_kepala_dinas": False})
    org.pohon.dinas.pemda.refresh_from_db()
    rows = {row.unit_nama: row for row in perjanjian_bulk_plan(org.pohon, users["kadis"]).rows}
    assert rows["Kepala Dinas"].langkah == Langkah.TUNGGU_PERSETUJUAN
    perjanjian_bulk_issue(pohon=org.pohon, user=users["kadis"])
    assert PerjanjianKinerja.objects.get(unit=org.kepala).status == Status.DRAF
    # An admin may: the same press issues it.
    perjanjian_bulk_issue(pohon=org.pohon, user=users["admin"])
    assert PerjanjianKinerja.objects.get(unit=org.kepala).ttd_status == Ttd.SELESAI


@pytest.mark.django_db
def test_a_failed_signing_marks_that_pk_with_a_retry_and_the_others_stay_issued(org, users, client, monkeypatch):
    real_sign = bulk.perjanjian_sign

    def sign_failing_for_the_bidang(perjanjian, *, signer):
        if perjanjian.unit_id == org.bidang.pk:
            raise RuntimeError("layanan tanda tangan tidak menjawab")  # e.g. the certificate's store
        real_sign(perjanjian, signer=signer)

    monkeypatch.setattr(bulk, "perjanjian_sign", sign_failing_for_the_bidang)
    job = perjanjian_bulk_issue(pohon=org.pohon, user=users["admin"])
    job.refresh_from_db()
    assert job.status == Pekerjaan.Status.SELESAI
    assert job.hasil_data["diterbitkan"] == ["Kepala Dinas", "Seksi A1"]
    assert [f["unit"] for f in job.hasil_data["gagal"]] == ["Bidang A"]
    assert "1 gagal: Bidang A (Penandatanganan gagal (RuntimeError)" in job.hasil_data["pesan"]
    bidang = PerjanjianKinerja.objects.get(unit=org.bidang)
    assert (bidang.status, bidang.ttd_status) == (Status.DISETUJUI, Ttd.GAGAL)
    assert not DokumenTerbit.objects.filter(dokumen=bidang.dokumen).exists()
    assert PerjanjianKinerja.objects.filter(ttd_status=Ttd.SELESAI).count() == 2
    assert job.hasil_data["perjanjian"] == list(
        PerjanjianKinerja.objects.filter(ttd_status=Ttd.SELESAI).order_by("unit__urutan").values_list("pk", flat=True)
    )
    # Its page offers the retry; pressing the bulk issue again signs it as well.
    client.force_login(users["kadis"])
    page = client.get(bidang.get_absolute_url()).content.decode()
    assert "Penandatanganan gagal" in page
    monkeypatch.undo()
    rows = {row.unit_nama: row.langkah for row in perjanjian_bulk_plan(org.pohon, users["kadis"]).rows}
    assert rows["Bidang A"] == Langkah.TANDATANGANI and rows["Kepala Dinas"] == Langkah.TERBIT
    client.post(URL.format(dinas="dinas-pk", tahun=2018))
    bidang.refresh_from_db()
    assert bidang.ttd_status == Ttd.SELESAI
    latest = Pekerjaan.objects.filter(jenis=JOB_PERJANJIAN_MASSAL).order_by("-dibuat_pada").first()
    assert latest.hasil_data["diterbitkan"] == ["Bidang A"] and len(latest.hasil_data["perjanjian"]) == 3


@pytest.mark.django_db
def test_a_job_that_stopped_leaves_no_pk_being_signed(org, users):
    """A time or memory limit ends the job between an approval and its signing: that PK is marked
    failed (with the retry), not left "being signed" for ever."""
    result = perjanjian_generate(pohon=org.pohon, user=None)
    pk = result.dibuat[0]
    perjanjian_submit(perjanjian=pk, user=None)
    perjanjian_approve(perjanjian=pk, user=None, enqueue=False)
    job = Pekerjaan.objects.create(
        jenis=JOB_PERJANJIAN_MASSAL, judul="uji", parameter={"pohon": org.pohon.pk}, batas_detik=1, batas_memori_mb=1
    )
    bulk._bulk_failed(job, "Pekerjaan dihentikan: melebihi batas waktu 1 detik.")
    pk.refresh_from_db()
    assert pk.ttd_status == Ttd.GAGAL
    assert "melebihi batas waktu" in pk.ttd_galat


@pytest.mark.django_db
def test_an_operator_may_not_issue_at_once_403_and_nothing_changes(org, users, client):
    client.force_login(users["operator"])
    assert client.get(URL.format(dinas="dinas-pk", tahun=2018)).status_code == 403
    assert client.post(URL.format(dinas="dinas-pk", tahun=2018)).status_code == 403
    client.force_login(users["luar"])  # an admin of another agency: not even told it exists
    assert client.post(URL.format(dinas="dinas-pk", tahun=2018)).status_code == 404
    assert not Pekerjaan.objects.filter(jenis=JOB_PERJANJIAN_MASSAL).exists() and not PerjanjianKinerja.objects.exists()
    # The list shows the operator no button.
    client.force_login(users["operator"])
    assert 'id="btn-terbitkan-semua"' not in client.get("/pohon/dinas-pk/2018/pk/").content.decode()


@pytest.mark.django_db
def test_a_tree_not_approved_is_refused_with_a_message_and_nothing_changes(demo, client):
    kadis = get_user_model().objects.get(username="kadis")
    client.force_login(kadis)
    for response in (
        client.get(URL.format(dinas="dpmd-lumajang", tahun=2018)),
        client.post(URL.format(dinas="dpmd-lumajang", tahun=2018)),
    ):
        assert response.status_code == 302 and response["Location"] == "/pohon/dpmd-lumajang/2018/pk/"
        assert (
            "Perjanjian Kinerja hanya diterbitkan dari pohon kinerja yang sudah disetujui; pohon tahun ini belum."
            in [str(m) for m in get_messages(response.wsgi_request)]
        )
    assert not Pekerjaan.objects.filter(jenis=JOB_PERJANJIAN_MASSAL).exists() and not PerjanjianKinerja.objects.exists()
    assert 'id="btn-terbitkan-semua"' not in client.get("/pohon/dpmd-lumajang/2018/pk/").content.decode()


@pytest.mark.django_db
def test_the_spreadsheet_belongs_to_the_agency_of_the_job(org, users, other_dinas, client):
    job = perjanjian_bulk_issue(pohon=org.pohon, user=users["admin"])
    job.refresh_from_db()
    url = job.hasil_data["url"]
    client.force_login(member("pk-luar-2", other_dinas, Keanggotaan.Peran.ADMIN))
    assert client.get(url).status_code == 404
    client.force_login(users["operator"])  # any member sees the agency's PKs
    assert client.get(url).status_code == 200


def test_sheet_names_are_unique_and_valid_for_excel():
    class Fake:
        def __init__(self, nama):
            self.unit_nama = nama

    names = sheet_names(
        [Fake("Seksi A/B: [Uji]*?"), Fake("Seksi A/B: [Uji]*?")]
        + [Fake("Kepala Seksi Pemberdayaan Usaha Ekonomi Masyarakat Desa")] * 2
        + [Fake("x")] * 9
    )
    assert names[:4] == [
        "01 Seksi A B Uji",
        "02 Seksi A B Uji",
        "03 Kepala Seksi Pemberdayaan Us",
        "04 Kepala Seksi Pemberdayaan Us",
    ]
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    assert len({n.casefold() for n in names}) == len(names)


@pytest.mark.django_db
def test_a_certificate_that_cannot_sign_refuses_the_press_and_nothing_changes(org, users, client, settings, tmp_path):
    settings.POKIN_SIGNING_P12 = tmp_path / "tidak-ada.p12"
    client.force_login(users["kadis"])
    response = client.post(URL.format(dinas="dinas-pk", tahun=2018))
    assert response.status_code == 302
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "sertifikat tanda tangan elektronik tidak tersedia" in said and "tidak-ada" not in said
    assert not Pekerjaan.objects.filter(jenis=JOB_PERJANJIAN_MASSAL).exists()
    assert not PerjanjianKinerja.objects.exists()
