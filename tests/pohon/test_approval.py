"""Approval says what it approves: the Kepala Dinas confirms on a page showing the tree's totals,
the open checks by severity, the changes since the last approved revision and who signs where
and when; only the confirmation form's POST (``konfirmasi=1``) approves."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from dinas.models import Pejabat
from pohon.approval import approval_preview
from pohon.formatting import tanggal_indonesia
from pohon.models import Node, Pengesahan, Pohon
from pohon.services import node_create, node_delete, node_update
from pohon.workflow import pohon_revise, pohon_submit
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


def approve_url(revisi: int | None = None) -> str:
    url = reverse("pohon:setujui", args=["dpmd-lumajang", 2018])
    return url + (f"?revisi={revisi}" if revisi else "")


def text_of(html: str) -> str:
    """The page's text as a reader sees it: tags dropped, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(html: str, element_id: str) -> str:
    """The text of the element with ``id``, up to the end of its section."""
    start = html.index(f'id="{element_id}"')
    end = html.find("</section>", start)
    return text_of(html[start : end if end != -1 else None])


@pytest.fixture
def submitted(demo):
    pohon_submit(pohon=demo, user=User.objects.get(username="operator"), catatan="Siap diperiksa")
    return demo


@pytest.fixture
def kadis(client, demo):
    """Logged in once the demo is loaded: loading it again (``demo_approved``, named before this
    fixture) sets the demo passwords anew, which ends earlier sessions."""
    assert client.login(username="kadis", password=DEMO_PASSWORD)
    return client


def test_chart_button_opens_the_confirmation_and_approves_nothing(kadis, submitted):
    chart = kadis.get(reverse("pohon:chart", args=["dpmd-lumajang", 2018])).content.decode()
    form = re.search(r'<form method="get" action="([^"]+)">\s*<button[^>]*id="btn-setujui"', chart)
    assert form and form.group(1) == approve_url()
    response = kadis.get(approve_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Setujui dan tandatangani?" in html
    assert "Cascading / Pohon Kinerja Dinas Pemberdayaan Masyarakat dan Desa" in text_of(html)
    submitted.refresh_from_db()
    assert submitted.status == Pohon.Status.DIAJUKAN


def test_confirmation_shows_totals_checks_and_signer_of_the_demo(kadis, submitted, signing_certificate):
    html = kadis.get(approve_url()).content.decode()
    totals = section(html, "approve-totals")
    assert "Total Pagu Rp 8.731.687.000" in totals
    assert "Jumlah butir 144 butir" in totals
    assert "Tujuan 1 Sasaran 17 Bidang 4 Seksi 11 Program 11 Kegiatan 43 Indikator 57" in totals
    checks = section(html, "approve-checks")
    # The seed's form: Pagu on programmes only, no targets at all; nothing to warn about.
    assert "0 kesalahan 0 peringatan 100 informasi" in checks
    assert "Tidak ada kesalahan atau peringatan." in checks
    assert "Kegiatan tanpa Pagu sendiri: Pagu-nya tercatat pada Program (43)" in checks
    assert "Indikator tanpa target: pohon ini belum memuat target sama sekali (57)" in checks
    signer = section(html, "approve-signer")
    today = tanggal_indonesia(timezone.localdate())
    assert "Nama PATRIANI HASTIADI, AP. MSi." in signer
    assert "Jabatan Kepala Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Lumajang" in signer
    assert "NIP 19740910 199412 1 001" in signer
    assert f"Tempat dan tanggal Lumajang, {today}" in signer
    diff = section(html, "approve-diff")
    assert "Ini revisi pertama tahun ini" in diff
    assert 'name="konfirmasi" value="1"' in html
    assert 'id="btn-konfirmasi-setujui"' in html and "Ya, setujui dan tandatangani" in html
    assert 'id="btn-batal"' in html and ">Batal</a>" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_confirmation_counts_warnings_apart_from_information(kadis, demo, signing_certificate):
    admin = User.objects.get(username="admin")
    node_update(node=Node.objects.get(pohon=demo, kode="B4.P3"), user=admin, pagu=None)
    node_update(node=Node.objects.get(pohon=demo, kode="T1.I1"), user=admin, target_angka=Decimal(80))
    pohon_submit(pohon=demo, user=admin)
    checks = section(kadis.get(approve_url()).content.decode(), "approve-checks")
    # A Program without Pagu is a warning; B4's kegiatan stay information (two of its Programs
    # have a Pagu). With one target in the tree, the other 56 Indikator miss theirs, and T1.I1
    # its satuan: 57 warnings.
    assert "0 kesalahan 58 peringatan 43 informasi" in checks
    assert "Peringatan Program atau Kegiatan tanpa Pagu (1)" in checks
    assert "Peringatan Indikator tanpa target atau satuan (57)" in checks
    assert "Kegiatan tanpa Pagu sendiri: Pagu-nya tercatat pada Program (43)" in checks


def test_confirmation_of_a_perubahan_lists_the_changes(demo_approved, kadis):
    operator = User.objects.get(username="operator")
    revision = pohon_revise(pohon=demo_approved, user=operator)
    node_update(node=Node.objects.get(pohon=revision, kode="B1.P1"), user=operator, pagu=Decimal(2_100_000_000))
    node_create(
        pohon=revision,
        parent=Node.objects.get(pohon=revision, kode="B1.K1"),
        jenis="kegiatan",
        uraian="Kegiatan baru dari perubahan",
        kode="B1.K1.G9",
        user=operator,
    )
    node_delete(node=Node.objects.get(pohon=revision, kode="B1.K3.G2"), user=operator)
    pohon_submit(pohon=revision, user=operator)
    html = kadis.get(approve_url(revisi=1)).content.decode()
    judul = re.search(r'id="approve-judul">([^<]+)<', html).group(1)
    assert judul.endswith("Tahun 2018 Perubahan 1")
    totals = section(html, "approve-totals")
    assert "Total Pagu Rp 8.752.940.000" in totals  # 8.731.687.000 - 2.078.747.000 + 2.100.000.000
    assert "Kegiatan 43" in totals  # one added, one removed
    diff = section(html, "approve-diff")
    assert "Perubahan dibanding dpmd-lumajang 2018 yang disetujui (1 ditambah, 1 dihapus, 1 diubah)" in diff
    assert "B1.K1.G9 Kegiatan: Kegiatan baru dari perubahan" in diff
    assert "B1.K3.G2 Kegiatan" in diff
    assert "Pagu: Rp 2.078.747.000 → Rp 2.100.000.000" in diff
    assert 'name="revisi" value="1"' in html


def test_an_acting_signer_is_shown_with_the_prefix_the_document_prints(kadis, submitted, signing_certificate):
    pejabat = Pejabat.objects.get(nama__startswith="PATRIANI")
    pejabat.status = Pejabat.Status.PLT
    pejabat.save(update_fields=["status"])
    signer = section(kadis.get(approve_url()).content.decode(), "approve-signer")
    assert "Jabatan Plt. Kepala Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Lumajang" in signer


def test_a_post_without_confirmation_shows_the_confirmation_and_approves_nothing(kadis, submitted, signing_certificate):
    response = kadis.post(approve_url(), {"catatan": "Sudah saya baca"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Setujui dan tandatangani?" in html and "Rp 8.731.687.000" in html
    assert 'name="catatan" value="Sudah saya baca"' in html  # the note is carried into the form
    submitted.refresh_from_db()
    assert submitted.status == Pohon.Status.DIAJUKAN
    assert not Pengesahan.objects.filter(pohon=submitted).exists()
    for wrong in ("0", "ya", ""):
        kadis.post(approve_url(), {"konfirmasi": wrong})
        submitted.refresh_from_db()
        assert submitted.status == Pohon.Status.DIAJUKAN


def test_the_confirmed_post_approves_with_the_note(kadis, submitted, signing_certificate):
    response = kadis.post(approve_url(), {"konfirmasi": "1", "catatan": "Disetujui tanpa catatan lain"}, follow=True)
    html = response.content.decode()
    assert "Pohon kinerja disetujui. Dokumen bertanda tangan elektronik sedang dibuat" in html
    submitted.refresh_from_db()
    assert submitted.status == Pohon.Status.DISETUJUI
    assert submitted.riwayat.latest("waktu").catatan == "Disetujui tanpa catatan lain"
    signer = submitted.pengesahan.dokumen.penandatangan_utama
    assert (signer.nama, submitted.pengesahan.dokumen.tempat) == ("PATRIANI HASTIADI, AP. MSi.", "Lumajang")
    # Once approved, the confirmation is no more: back to the chart with the reason.
    again = kadis.get(approve_url(), follow=True)
    assert again.redirect_chain[-1][0] == reverse("pohon:chart", args=["dpmd-lumajang", 2018])
    assert "Hanya pohon yang sudah diajukan yang dapat diperiksa; status sekarang Disetujui." in again.content.decode()


def test_only_the_reviewer_sees_the_confirmation(client, submitted, signing_certificate):
    assert client.login(username="operator", password=DEMO_PASSWORD)
    assert client.get(approve_url()).status_code == 403
    assert client.post(approve_url(), {"konfirmasi": "1"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Pohon.Status.DIAJUKAN
    client.logout()
    assert client.get(approve_url()).status_code == 302  # to the login


def test_a_certificate_that_cannot_sign_is_shown_before_confirming(kadis, submitted, settings, tmp_path):
    settings.POKIN_SIGNING_P12 = tmp_path / "tidak-ada.p12"
    html = kadis.get(approve_url()).content.decode()
    problems = text_of(html[html.index('id="approve-problems"') : html.index('class="approve-grid"')])
    assert "Persetujuan belum dapat dilakukan:" in problems and "hubungi admin" in problems
    assert "tidak-ada" not in html  # no server path
    assert 'id="btn-konfirmasi-setujui"' not in html and 'id="btn-batal"' in html


def test_no_official_in_office_is_shown_before_confirming(kadis, submitted, signing_certificate):
    Pejabat.objects.filter(nama__startswith="PATRIANI").update(tahun_mulai=2019)
    html = kadis.get(approve_url()).content.decode()
    assert "Belum ada pejabat Kepala Dinas yang menjabat pada tahun 2018" in html
    assert "Belum ada pejabat penandatangan." in html
    assert 'id="btn-konfirmasi-setujui"' not in html


def test_the_date_shown_is_the_local_date_the_document_prints(submitted, signing_certificate):
    # 23:30 UTC is already the next day in Jakarta, where the document is dated.
    late = datetime.datetime(2026, 12, 2, 23, 30, tzinfo=datetime.UTC)
    preview = approval_preview(pohon=submitted, at=late)
    assert (preview.tempat, preview.tanggal_display) == ("Lumajang", "3 Desember 2026")
