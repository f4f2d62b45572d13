"""The approval workflow: roles, transitions, history, frozen trees, revisions, issued documents."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dinas.models import Keanggotaan, Pejabat, PerangkatDaerah, UnitKerja
from pohon.models import DokumenTerbit, Node, Pengesahan, Pohon, PohonRiwayat
from pohon.selectors import pohon_dump, pohon_tree
from pohon.services import node_create, node_delete, node_move, node_update
from pohon.signing import sha256_hex
from pohon.workflow import pohon_approve, pohon_return, pohon_revise, pohon_submit
from tests.conftest import DEMO_PASSWORD, pemda_named

pytestmark = pytest.mark.django_db
User = get_user_model()


def users():
    return {name: User.objects.get(username=name) for name in ("admin", "kadis", "operator")}


def pdf_text(data: bytes) -> str:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


@pytest.fixture
def other_kadis(db):
    other = PerangkatDaerah.objects.create(kode="dinas-lain", nama="Dinas Lain", pemda=pemda_named("Kota Lain"))
    user = User.objects.create_user("kadis-lain", password="x", is_staff=True)
    Keanggotaan.objects.create(user=user, dinas=other, peran="kepala_dinas")
    return user


def test_submit_return_submit_approve_records_each_step(demo, signing_certificate):
    u = users()
    pohon_submit(pohon=demo, user=u["operator"], catatan="Mohon diperiksa")
    pohon_return(pohon=demo, user=u["kadis"], catatan="Lengkapi target indikator")
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DIKEMBALIKAN
    assert demo.is_editable
    node_update(node=Node.objects.get(pohon=demo, kode="B1.P1"), user=u["operator"], uraian="Program diperbaiki")
    pohon_submit(pohon=demo, user=u["operator"])
    pengesahan = pohon_approve(pohon=demo, user=u["kadis"])
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DISETUJUI
    steps = [(r.aksi, r.status_sebelum, r.status_sesudah, r.user_nama, r.catatan) for r in demo.riwayat.all()]
    assert steps == [
        ("ajukan", "draf", "diajukan", "operator", "Mohon diperiksa"),
        ("kembalikan", "diajukan", "dikembalikan", "kadis", "Lengkapi target indikator"),
        ("ajukan", "dikembalikan", "diajukan", "operator", ""),
        ("setujui", "diajukan", "disetujui", "kadis", ""),
    ]
    signer = pengesahan.penandatangan
    assert (signer.nama, signer.nip) == ("PATRIANI HASTIADI, AP. MSi.", "197409101994121001")
    assert (pengesahan.dokumen.tempat, pengesahan.dokumen.tanggal) == ("Lumajang", timezone.localdate())
    # Every paper size is issued at approval (here the job ran at once: the tests' immediate backend).
    issued = DokumenTerbit.objects.filter(dokumen=pengesahan.dokumen).order_by("kertas")
    assert [dokumen.kertas for dokumen in issued] == ["A3", "A4", "F4"]
    assert all(dokumen.sha256 == sha256_hex(bytes(dokumen.pdf)) for dokumen in issued)
    assert pengesahan.ttd_status == Pengesahan.Ttd.SELESAI


def test_return_needs_a_note(demo):
    u = users()
    pohon_submit(pohon=demo, user=u["operator"])
    with pytest.raises(ValidationError, match="Tuliskan catatan"):
        pohon_return(pohon=demo, user=u["kadis"], catatan="  ")
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DIAJUKAN


def test_a_note_is_bounded(demo):
    u = users()
    with pytest.raises(ValidationError, match="Catatan terlalu panjang: 2.001 karakter, paling banyak 2.000."):
        pohon_submit(pohon=demo, user=u["operator"], catatan="c" * 2001)
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DRAF and not demo.riwayat.exists()
    pohon_submit(pohon=demo, user=u["operator"], catatan="c" * 2000)
    with pytest.raises(ValidationError, match="Catatan terlalu panjang"):
        pohon_return(pohon=demo, user=u["kadis"], catatan="c" * 200_000)
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DIAJUKAN and demo.riwayat.count() == 1


def test_refused_transitions(demo, other_kadis, signing_certificate):
    u = users()
    with pytest.raises(ValidationError, match="sudah diajukan"):
        pohon_approve(pohon=demo, user=u["kadis"])  # a draft cannot be approved
    with pytest.raises(PermissionDenied):
        pohon_submit(pohon=demo, user=u["kadis"])  # the Kepala Dinas reviews, does not submit
    pohon_submit(pohon=demo, user=u["operator"])
    with pytest.raises(PermissionDenied):
        pohon_approve(pohon=demo, user=u["operator"])
    with pytest.raises(PermissionDenied):
        pohon_approve(pohon=demo, user=other_kadis)
    with pytest.raises(PermissionDenied):
        pohon_return(pohon=demo, user=other_kadis, catatan="bukan urusan saya")
    with pytest.raises(ValidationError, match="tidak dapat diajukan"):
        pohon_submit(pohon=demo, user=u["operator"])  # already submitted
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DIAJUKAN
    assert not Pengesahan.objects.exists()
    assert [r.aksi for r in demo.riwayat.all()] == ["ajukan"]


def test_submitted_tree_is_not_editable(demo):
    pohon_submit(pohon=demo, user=users()["operator"])
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        node_update(node=Node.objects.get(pohon=demo, kode="B1.P1"), uraian="x")


def test_approved_tree_refuses_every_change(demo_approved):
    u = users()
    before = pohon_dump(pohon_tree(demo_approved))
    program = Node.objects.get(pohon=demo_approved, kode="B1.P1")
    attempts = [
        lambda: node_update(node=program, user=u["admin"], pagu=Decimal(1)),
        lambda: node_create(pohon=demo_approved, parent=program, jenis="kegiatan", uraian="K", user=u["admin"]),
        lambda: node_move(node=program, target=Node.objects.get(pohon=demo_approved, kode="B2"), position="last-child"),
        lambda: node_delete(node=program),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="berstatus Disetujui dan tidak dapat diubah"):
            attempt()
    assert pohon_dump(pohon_tree(demo_approved)) == before


def test_approved_tree_refuses_changes_through_the_admin(demo_approved, client):
    client.login(username="admin", password=DEMO_PASSWORD)
    program = Node.objects.get(pohon=demo_approved, kode="B1.P1")
    response = client.post(
        reverse("admin:pohon_node_change", args=[program.pk]),
        {"uraian": "diubah lewat admin", "kode": program.kode, "pagu": "1"},
    )
    assert response.status_code in (302, 403) or "tidak dapat diubah" in response.content.decode()
    program.refresh_from_db()
    assert program.uraian == "Program peningkatan keberdayaan Masyarakat Pedesaan"
    assert program.pagu == Decimal(2_078_747_000)


def test_approval_without_an_official_is_refused_and_changes_nothing(demo, signing_certificate):
    u = users()
    Pejabat.objects.all().delete()
    pohon_submit(pohon=demo, user=u["operator"])
    with pytest.raises(ValidationError, match="Belum ada pejabat Kepala Dinas"):
        pohon_approve(pohon=demo, user=u["kadis"])
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DIAJUKAN
    assert not Pengesahan.objects.exists()


def test_signing_failure_refuses_approval_and_changes_nothing(demo, settings, tmp_path):
    u = users()
    pohon_submit(pohon=demo, user=u["operator"])
    settings.POKIN_SIGNING_P12 = tmp_path / "tidak-ada.p12"
    with pytest.raises(ValidationError, match="sertifikat tanda tangan elektronik tidak tersedia") as refused:
        pohon_approve(pohon=demo, user=u["kadis"])
    assert str(tmp_path) not in str(refused.value)  # no server path in what the user reads
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DIAJUKAN
    assert not Pengesahan.objects.exists()
    assert not DokumenTerbit.objects.exists()
    assert [r.aksi for r in PohonRiwayat.objects.filter(pohon=demo)] == ["ajukan"]


def test_signing_errors_shown_to_users_name_no_server_path(demo, settings, tmp_path, client, caplog):
    """The approval page's message and the service's refusal say whom to ask, not where the
    certificate should be: the path is in the server log only."""
    u = users()
    pohon_submit(pohon=demo, user=u["operator"])
    missing = tmp_path / "rahasia" / "pokin.p12"
    settings.POKIN_SIGNING_P12 = missing
    with pytest.raises(ValidationError) as caught:
        pohon_approve(pohon=demo, user=u["kadis"])
    refusal = " ".join(caught.value.messages)
    assert "hubungi admin" in refusal
    assert str(missing) not in refusal and "/" not in refusal and "rahasia" not in refusal

    client.force_login(u["kadis"])
    response = client.post(action_url("setujui"), {"konfirmasi": "1"}, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1 and "hubungi admin" in shown[0]
    assert "/" not in shown[0] and "rahasia" not in shown[0]
    assert str(missing) not in response.text
    assert str(missing) in caplog.text  # the administrator finds it in the log
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DIAJUKAN


def test_wrong_passphrase_refuses_approval(demo, signing_certificate, settings):
    u = users()
    pohon_submit(pohon=demo, user=u["operator"])
    settings.POKIN_SIGNING_PASSPHRASE = "salah"
    with pytest.raises(ValidationError, match="kata sandinya salah"):
        pohon_approve(pohon=demo, user=u["kadis"])
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DIAJUKAN


def test_revision_copies_the_approved_tree_and_keeps_it(demo_approved):
    u = users()
    original_dump = pohon_dump(pohon_tree(demo_approved))
    first_pdf = bytes(demo_approved.pengesahan.dokumen.berkas.get(kertas="F4").pdf)
    revision = pohon_revise(pohon=demo_approved, user=u["operator"])
    assert (revision.revisi, revision.status) == (1, Pohon.Status.DRAF)
    assert pohon_dump(pohon_tree(revision)) == original_dump
    node_update(node=Node.objects.get(pohon=revision, kode="B1.P1"), user=u["operator"], pagu=Decimal(2_000_000_000))
    assert pohon_dump(pohon_tree(demo_approved)) == original_dump
    with pytest.raises(ValidationError, match="lebih baru"):
        pohon_revise(pohon=demo_approved, user=u["operator"])
    assert bytes(demo_approved.pengesahan.dokumen.berkas.get(kertas="F4").pdf) == first_pdf


def test_operator_edits_only_the_branch_of_their_unit(demo):
    operator = users()["operator"]
    own_section = Node.objects.get(pohon=demo, kode="B1.K1")  # a Seksi under Bidang PM
    created = node_create(pohon=demo, parent=own_section, jenis="kegiatan", uraian="Kegiatan baru", user=operator)
    node_update(node=created, user=operator, pagu=Decimal(5_000_000))
    other_division = Node.objects.get(pohon=demo, kode="B3.P1")  # Bidang Bina Pemerintahan Desa
    with pytest.raises(PermissionDenied, match="cabang unit kerjanya"):
        node_update(node=other_division, user=operator, uraian="bukan cabang saya")
    with pytest.raises(PermissionDenied):
        node_move(node=created, target=Node.objects.get(pohon=demo, kode="B3.K1"), position="last-child", user=operator)
    with pytest.raises(PermissionDenied, match="tingkat teratas"):
        node_create(pohon=demo, parent=None, jenis="tujuan", uraian="Tujuan baru", user=operator)
    with pytest.raises(PermissionDenied):
        node_delete(node=other_division, user=operator)
    assert Node.objects.get(pohon=demo, kode="B3.P1").uraian == "Program peningkatan kapasitas aparatur pemerintah desa"


# --- through the pages -------------------------------------------------------------------------


def chart_url(**query):
    url = reverse("pohon:chart", args=["dpmd-lumajang", 2018])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def action_url(aksi):
    return reverse("pohon:aksi", args=["dpmd-lumajang", 2018, aksi])


def test_pages_walk_the_workflow(client, demo, signing_certificate):
    client.login(username="operator", password=DEMO_PASSWORD)
    html = client.get(chart_url()).content.decode()
    assert 'id="btn-ajukan"' in html and 'id="btn-setujui"' not in html
    response = client.post(action_url("ajukan"), {"catatan": "Siap diperiksa"}, follow=True)
    assert "telah diajukan" in response.content.decode()
    assert client.post(action_url("setujui")).status_code == 403
    assert client.post(action_url("setujui"), {"konfirmasi": "1"}).status_code == 403
    client.login(username="kadis", password=DEMO_PASSWORD)
    html = client.get(chart_url()).content.decode()
    assert 'id="btn-setujui"' in html and 'id="btn-kembalikan"' in html
    assert "Siap diperiksa" in html  # the history shows the note
    # The button opens the confirmation; a POST without it only shows the confirmation again.
    assert "Ya, setujui dan tandatangani" in client.get(action_url("setujui")).content.decode()
    assert "Ya, setujui dan tandatangani" in client.post(action_url("setujui")).content.decode()
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DIAJUKAN
    response = client.post(action_url("setujui"), {"konfirmasi": "1"}, follow=True)
    html = response.content.decode()
    assert "Pohon kinerja disetujui. Dokumen bertanda tangan elektronik sedang dibuat" in html
    assert "Disetujui" in html  # the tests' immediate backend signed at once
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DISETUJUI


def test_a_note_too_long_is_refused_with_a_message_on_the_page(client, demo):
    client.login(username="operator", password=DEMO_PASSWORD)
    html = client.get(chart_url()).content.decode()
    assert 'name="catatan" maxlength="2000"' in html
    response = client.post(action_url("ajukan"), {"catatan": "c" * 5000}, follow=True)
    assert response.status_code == 200
    assert "Catatan terlalu panjang: 5.000 karakter, paling banyak 2.000." in response.content.decode()
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DRAF


def test_kadis_of_another_agency_cannot_act(client, demo, other_kadis):
    pohon_submit(pohon=demo, user=users()["operator"])
    client.force_login(other_kadis)
    assert client.get(action_url("setujui")).status_code == 404
    assert client.post(action_url("setujui"), {"konfirmasi": "1"}).status_code == 404
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DIAJUKAN


def test_draft_pdf_has_a_watermark_and_no_signature(client, demo):
    client.login(username="kadis", password=DEMO_PASSWORD)
    response = client.get(reverse("pohon:pdf", args=["dpmd-lumajang", 2018]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "DRAF" in text
    assert "PATRIANI HASTIADI" not in text
    assert "Rp 8.731.687.000" in text


def test_approved_pdf_is_issued_once_and_downloaded_byte_for_byte(client, demo_approved):
    client.login(username="kadis", password=DEMO_PASSWORD)
    url = reverse("pohon:pdf", args=["dpmd-lumajang", 2018])
    first = client.get(url).content
    second = client.get(url).content
    assert first == second
    dokumen = demo_approved.pengesahan.dokumen.berkas.get(kertas="F4")
    assert sha256_hex(first) == dokumen.sha256
    text = pdf_text(first)
    for expected in ("Lumajang, 25 Januari 2018", "PATRIANI HASTIADI, AP. MSi.", "NIP. 19740910 199412 1 001"):
        assert expected in text
    assert "DRAF" not in text
    a3 = client.get(url + "?kertas=A3").content
    assert a3 != first and a3 == client.get(url + "?kertas=A3").content
    assert demo_approved.pengesahan.dokumen.berkas.count() == 3  # all issued at approval; the GETs made none


def test_revisions_are_listed_and_each_stays_viewable(client, demo_approved):
    revision = pohon_revise(pohon=demo_approved, user=users()["operator"])
    client.login(username="kadis", password=DEMO_PASSWORD)
    html = client.get(chart_url()).content.decode()
    assert "Perubahan 1" in html and "Awal (Disetujui)" in html
    assert 'aria-current="page">Perubahan 1' in html
    old = client.get(chart_url(revisi=0)).content.decode()
    assert 'aria-current="page">Awal' in old
    assert "bukan revisi terbaru" in old
    pdf = client.get(reverse("pohon:pdf", args=["dpmd-lumajang", 2018]) + "?revisi=0").content
    assert sha256_hex(pdf) == demo_approved.pengesahan.dokumen.berkas.get(kertas="F4").sha256
    assert revision.status == Pohon.Status.DRAF


def test_load_demo_leaves_the_tree_approved_by_kadis(demo_approved):
    pengesahan = demo_approved.pengesahan
    assert pengesahan.disetujui_oleh.username == "kadis"
    assert timezone.localtime(pengesahan.disetujui_pada).date() == datetime.date(2018, 1, 25)
    assert pengesahan.dokumen.berkas.filter(kertas="F4").exists()
    assert UnitKerja.objects.filter(dinas=demo_approved.dinas).count() == 16
