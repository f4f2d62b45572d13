"""Links from agencies to the Pemda (pohon.tautan): proposing and sending, accepting (an existing
node, or a new one through the node service), refusing, withdrawing; the history of both trees;
links that outlive a Perubahan of either tree; the deletion guard; who may do each (403/404 and
nothing changes otherwise)."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dinas.models import Keanggotaan, Pejabat, PerangkatDaerah, UnitKerja
from pohon import rules
from pohon.models import Node, NodeRiwayat, Pohon, TautanPemda
from pohon.pemda.services import pemda_pohon_create
from pohon.services import node_create, node_delete, pohon_create
from pohon.silang.services import silang_request
from pohon.tautan.keselarasan import alignment_export, pemda_alignment
from pohon.tautan.selectors import pemda_links_for
from pohon.tautan.services import tautan_accept, tautan_propose, tautan_refuse, tautan_send, tautan_withdraw
from pohon.workflow import pohon_approve, pohon_revise, pohon_submit

pytestmark = pytest.mark.django_db
Peran = Keanggotaan.Peran
Status = TautanPemda.Status


def _user(username: str, dinas: PerangkatDaerah, peran: str, unit: UnitKerja | None = None):
    user = get_user_model().objects.create_user(username, password="rahasia-uji", is_staff=True)
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=peran, unit=unit)
    return user


@pytest.fixture
def rpjmd(pemda) -> Pohon:
    """A Pemda tree 2014-2018: Visi -> Misi -> Tujuan Pemda -> two Sasaran Pemda, one with a Tematik."""
    p = pemda_pohon_create(pemda=pemda, tahun=2014, tahun_akhir=2018)
    v = node_create(pohon=p, parent=None, jenis=rules.VISI, kode="V1", uraian="Visi uji")
    m = node_create(pohon=p, parent=v, jenis=rules.MISI, kode="M1", uraian="Misi uji")
    t = node_create(pohon=p, parent=m, jenis=rules.TUJUAN_PEMDA, kode="TP1", uraian="Tujuan Pemda uji")
    s1 = node_create(pohon=p, parent=t, jenis=rules.SASARAN_PEMDA, kode="SP1", uraian="Sasaran Pemda satu")
    node_create(pohon=p, parent=t, jenis=rules.SASARAN_PEMDA, kode="SP2", uraian="Sasaran Pemda dua")
    node_create(pohon=p, parent=s1, jenis=rules.TEMATIK, kode="SP1.TM1", uraian="Tematik uji")
    return p


@pytest.fixture
def agency(pohon, bidang_unit) -> Pohon:
    """The agency's 2018 tree: Tujuan T1 (Bidang A) -> Sasaran S1; Program P1 under S1."""
    t1 = node_create(pohon=pohon, parent=None, jenis=rules.TUJUAN, kode="T1", uraian="Tujuan dinas", unit=bidang_unit)
    s1 = node_create(pohon=pohon, parent=t1, jenis=rules.SASARAN, kode="S1", uraian="Sasaran dinas", unit=bidang_unit)
    node_create(pohon=pohon, parent=s1, jenis=rules.PROGRAM, kode="P1", uraian="Program dinas", unit=bidang_unit)
    return pohon


def owner(rpjmd):
    return rpjmd.dinas


@pytest.fixture
def bappeda(rpjmd):
    return _user("bappeda-uji", rpjmd.dinas, Peran.BAPPEDA)


@pytest.fixture
def kadis(dinas, bidang_unit):
    return _user("kadis-uji", dinas, Peran.KEPALA_DINAS, bidang_unit.parent)


@pytest.fixture
def operator(dinas, bidang_unit):
    return _user("op-uji", dinas, Peran.OPERATOR, bidang_unit)


def n(pohon: Pohon, kode: str) -> Node:
    return Node.objects.select_related("pohon__dinas", "unit").get(pohon=pohon, kode=kode)


def test_propose_then_bappeda_approves(agency, rpjmd, operator, bappeda):
    t = tautan_propose(node=n(agency, "T1"), pemda_node=n(rpjmd, "SP1"), catatan="Mendukung", user=operator)
    assert (t.status, t.arah, t.dinas_kode, t.pemda_kode) == (Status.MENUNGGU, "usulan", "T1", "SP1")
    with pytest.raises(PermissionDenied):
        tautan_accept(tautan=t, user=operator)
    t = tautan_accept(tautan=t, user=bappeda)
    assert t.status == Status.DISETUJUI and t.dijawab_nama == "bappeda-uji"
    links = pemda_links_for(rpjmd.dinas.pemda, rpjmd)
    assert [(link.dinas_kode, link.butir_kode, link.status) for link in links[n(rpjmd, "SP1").kunci]] == [
        ("dinas-uji", "T1", "disetujui")
    ]


def test_bappeda_sends_and_kepala_dinas_links_an_existing_node(agency, rpjmd, bappeda, kadis, operator):
    t = tautan_send(pemda_node=n(rpjmd, "SP2"), dinas=agency.dinas, tahun=2018, catatan="Mohon dukung", user=bappeda)
    assert (t.status, t.arah, t.dinas_kunci) == (Status.MENUNGGU, "kiriman", None)
    for wrong in (operator, bappeda):  # the operator may not commit the agency; Bappeda not answer itself
        with pytest.raises(PermissionDenied):
            tautan_accept(tautan=t, node=n(agency, "S1"), user=wrong)
    with pytest.raises(ValidationError, match="Tujuan atau Sasaran"):
        tautan_accept(tautan=t, node=n(agency, "P1"), user=kadis)
    t = tautan_accept(tautan=t, node=n(agency, "S1"), user=kadis)
    assert (t.status, t.dinas_kode, t.dijawab_nama) == (Status.DISETUJUI, "S1", "kadis-uji")
    with pytest.raises(ValidationError, match="sudah disetujui"):
        tautan_refuse(tautan=t, alasan="terlambat", user=kadis)


def test_the_agency_accepts_by_creating_a_new_sasaran(agency, rpjmd, bappeda, kadis):
    t = tautan_send(pemda_node=n(rpjmd, "SP1.TM1"), dinas=agency.dinas, tahun=2018, user=bappeda)
    admin = _user("admin-uji", agency.dinas, Peran.ADMIN)
    with pytest.raises(ValidationError, match="Uraian wajib"):
        tautan_accept(tautan=t, parent=n(agency, "T1"), jenis=rules.SASARAN, uraian=" ", user=admin)
    with pytest.raises(ValidationError, match="Tujuan atau Sasaran"):
        tautan_accept(tautan=t, parent=n(agency, "T1"), jenis=rules.PROGRAM, uraian="Program baru", user=admin)
    # the Kepala Dinas answers but does not edit the tree: it links an existing node
    with pytest.raises(ValidationError, match="tidak berhak menambah butir"):
        tautan_accept(tautan=t, parent=n(agency, "T1"), jenis=rules.SASARAN, uraian="Sasaran baru", user=kadis)
    t = tautan_accept(tautan=t, parent=n(agency, "T1"), jenis=rules.SASARAN, uraian="Sasaran baru", user=admin)
    created = Node.objects.get(pohon=agency, kunci=t.dinas_kunci)
    assert (created.jenis, created.uraian, created.parent.kode) == (rules.SASARAN, "Sasaran baru", "T1")
    assert t.status == Status.DISETUJUI and t.dinas_uraian == "Sasaran baru"


def test_refuse_needs_a_reason_and_withdraw_frees_the_nodes(agency, rpjmd, bappeda, kadis, operator):
    proposal = tautan_propose(node=n(agency, "S1"), pemda_node=n(rpjmd, "SP2"), user=operator)
    with pytest.raises(ValidationError, match="alasan"):
        tautan_refuse(tautan=proposal, alasan="  ", user=bappeda)
    refused = tautan_refuse(tautan=proposal, alasan="Bukan sasaran ini", user=bappeda)
    assert (refused.status, refused.alasan) == (Status.DITOLAK, "Bukan sasaran ini")
    link = tautan_propose(node=n(agency, "T1"), pemda_node=n(rpjmd, "SP1"), user=kadis)
    tautan_accept(tautan=link, user=bappeda)
    with pytest.raises(ValidationError, match="tertaut ke pohon kinerja Pemda"):
        node_delete(node=n(agency, "T1"))
    with pytest.raises(ValidationError, match="tertaut ke pohon kinerja Pemda"):
        node_delete(node=n(rpjmd, "TP1"))  # the Sasaran Pemda under it is linked
    outsider = _user("op-lain", agency.dinas, Peran.OPERATOR)  # an operator of no unit
    with pytest.raises(PermissionDenied):
        tautan_withdraw(tautan=link, user=outsider)
    link = tautan_withdraw(tautan=link, user=operator, alasan="Pohon disusun ulang")
    assert link.status == Status.DITARIK and link.ditarik_nama == "op-uji"
    assert node_delete(node=n(agency, "T1")) == 3  # T1, S1, P1: the refused link does not block
    assert node_delete(node=n(rpjmd, "SP1")) == 2


def test_every_step_is_in_the_history_of_both_trees(agency, rpjmd, bappeda, kadis):
    t = tautan_send(pemda_node=n(rpjmd, "SP1"), dinas=agency.dinas, tahun=2018, catatan="Mohon", user=bappeda)
    tautan_accept(tautan=t, node=n(agency, "T1"), user=kadis)
    agency_rows = NodeRiwayat.objects.filter(pohon=agency, aksi="tautan").order_by("waktu", "id")
    pemda_rows = NodeRiwayat.objects.filter(pohon=rpjmd, aksi="tautan").order_by("waktu", "id")
    assert [(r.kode, r.sesudah["tautan"], r.user_nama) for r in agency_rows] == [
        ("", "Dikirim Bappeda (menunggu jawaban)", "bappeda-uji"),
        ("T1", "Disetujui", "kadis-uji"),
    ]
    assert [(r.kode, r.kunci, r.sesudah["tautan"]) for r in pemda_rows] == [
        ("SP1", n(rpjmd, "SP1").kunci, "Dikirim Bappeda (menunggu jawaban)"),
        ("SP1", n(rpjmd, "SP1").kunci, "Disetujui"),
    ]
    assert pemda_rows[1].sesudah["mitra"] == "Dinas Uji: T1 Tujuan dinas"
    assert agency_rows[1].peristiwa == pemda_rows[1].peristiwa  # one event


def test_send_checks_the_period_the_agency_and_the_kind(agency, rpjmd, bappeda, other_dinas):
    with pytest.raises(ValidationError, match="periode RPJMD 2014-2018"):
        tautan_send(pemda_node=n(rpjmd, "SP1"), dinas=agency.dinas, tahun=2019, user=bappeda)
    with pytest.raises(ValidationError, match="Pemerintah Daerah ini"):
        tautan_send(pemda_node=n(rpjmd, "SP1"), dinas=other_dinas, tahun=2018, user=bappeda)
    with pytest.raises(ValidationError, match="Sasaran Pemda, Tematik"):
        tautan_send(pemda_node=n(rpjmd, "TP1"), dinas=agency.dinas, tahun=2018, user=bappeda)
    with pytest.raises(ValidationError, match="belum memiliki pohon kinerja tahun 2017"):
        tautan_send(pemda_node=n(rpjmd, "SP1"), dinas=agency.dinas, tahun=2017, user=bappeda)
    tautan_send(pemda_node=n(rpjmd, "SP1"), dinas=agency.dinas, tahun=2018, user=bappeda)
    with pytest.raises(ValidationError, match="sudah ada"):
        tautan_send(pemda_node=n(rpjmd, "SP1"), dinas=agency.dinas, tahun=2018, user=bappeda)
    assert TautanPemda.objects.count() == 1


def _pejabat(dinas, tahun_mulai: int) -> None:
    kepala = UnitKerja.objects.filter(dinas=dinas, jenis="kepala").first()
    Pejabat.objects.create(nama=f"Kepala {dinas.kode}", nip="197001012000031001", jabatan="Kepala", unit=kepala,
                           tahun_mulai=tahun_mulai)  # fmt: skip


def _perubahan(pohon: Pohon) -> Pohon:
    pohon_submit(pohon=pohon, user=None)
    pohon_approve(pohon=pohon, user=None)
    return pohon_revise(pohon=pohon, user=None)


def test_links_survive_a_perubahan_of_either_tree(agency, rpjmd, bappeda, kadis, signing_certificate):
    accepted = tautan_propose(node=n(agency, "T1"), pemda_node=n(rpjmd, "SP1"), user=kadis)
    tautan_accept(tautan=accepted, user=bappeda)
    waiting = tautan_send(pemda_node=n(rpjmd, "SP2"), dinas=agency.dinas, tahun=2018, user=bappeda)
    _pejabat(agency.dinas, 2010)
    _pejabat(rpjmd.dinas, 2010)
    agency_2 = _perubahan(agency)
    rpjmd_2 = _perubahan(rpjmd)
    assert (agency_2.revisi, rpjmd_2.revisi) == (1, 1)
    # the accepted link reads the same from the new Pemda revision, its nodes are guarded
    links = pemda_links_for(rpjmd.dinas.pemda, rpjmd_2)
    assert [(link.butir_kode, link.status) for link in links[n(rpjmd_2, "SP1").kunci]] == [("T1", "disetujui")]
    with pytest.raises(ValidationError, match="tertaut ke pohon kinerja Pemda"):
        node_delete(node=n(agency_2, "T1"))
    with pytest.raises(ValidationError, match="tertaut ke pohon kinerja Pemda"):
        node_delete(node=n(rpjmd_2, "SP1"))
    # the link sent before is answered in the agency's Perubahan, recorded in both new revisions
    tautan_accept(tautan=waiting, node=n(agency_2, "S1"), user=kadis)
    assert NodeRiwayat.objects.filter(pohon=agency_2, aksi="tautan", kode="S1").exists()
    assert NodeRiwayat.objects.filter(pohon=rpjmd_2, aksi="tautan", kode="SP2").exists()
    assert not NodeRiwayat.objects.filter(pohon=agency, aksi="tautan", kode="S1").exists()


# --- the alignment checks ------------------------------------------------------------------------


@pytest.fixture
def findings_case(agency, rpjmd, bappeda, kadis, operator, pemda):
    """Each kind of finding once: SP2 unsupported; T2 linked to nothing; a proposal of T3 waiting
    20 days; S1's refused proposal; a crosscutting request waiting 15 days. T1 (and S1 and B1.S1
    under it) support SP1."""
    now = timezone.now()
    t2 = node_create(pohon=agency, parent=None, jenis=rules.TUJUAN, kode="T2", uraian="Tujuan sepi")
    t3 = node_create(pohon=agency, parent=None, jenis=rules.TUJUAN, kode="T3", uraian="Tujuan menunggu")
    # a division's Sasaran under the linked T1 is aligned through it, at any depth
    bidang = node_create(pohon=agency, parent=n(agency, "T1"), jenis=rules.BIDANG, kode="B1", uraian="Bidang")
    node_create(pohon=agency, parent=bidang, jenis=rules.SASARAN, kode="B1.S1", uraian="Sasaran bidang")
    tautan_accept(tautan=tautan_propose(node=n(agency, "T1"), pemda_node=n(rpjmd, "SP1"), user=kadis), user=bappeda)
    tautan_propose(node=t3, pemda_node=n(rpjmd, "SP2"), user=kadis, at=now - datetime.timedelta(days=20))
    refused = tautan_propose(node=n(agency, "S1"), pemda_node=n(rpjmd, "SP1.TM1"), user=kadis)
    tautan_refuse(tautan=refused, alasan="Tematik lain", user=bappeda)
    mitra = PerangkatDaerah.objects.create(kode="dinas-dua", nama="Dinas Dua", pemda=pemda)
    kepala_m = UnitKerja.objects.create(dinas=mitra, kode="kepala", nama="Kepala Dinas Dua", jenis="kepala")
    pohon_m = pohon_create(dinas=mitra, tahun=2018)
    node_create(pohon=pohon_m, parent=None, jenis=rules.TUJUAN, kode="D1", uraian="Tujuan dua")
    silang_request(node=n(agency, "S1"), penerima_unit=kepala_m, catatan="Bantu", at=now - datetime.timedelta(days=15))
    return {"t2": t2, "now": now}


def test_alignment_finds_each_kind_in_a_fixed_number_of_queries(findings_case, pemda, django_assert_num_queries):
    with django_assert_num_queries(7):
        findings = pemda_alignment(pemda, 2018)
    rows = [(f.jenis, f.tingkat, f.dinas_kode, f.kode) for f in findings]
    assert rows == [
        ("sasaran_tanpa_dukungan", "tinggi", "", "SP2"),
        ("butir_tanpa_tautan", "sedang", "dinas-dua", "D1"),
        ("butir_tanpa_tautan", "sedang", "dinas-uji", "T2"),
        ("menunggu_lama", "sedang", "dinas-uji", "S1"),
        ("menunggu_lama", "sedang", "dinas-uji", "T3"),
        ("ditolak", "rendah", "dinas-uji", "S1"),
    ]
    by_kode = {(f.jenis, f.kode): f for f in findings}
    assert by_kode["menunggu_lama", "T3"].teks.startswith("Tautan ke SP2 Sasaran Pemda dua menunggu jawaban Bappeda")
    assert "(20 hari)" in by_kode["menunggu_lama", "T3"].teks
    assert by_kode["menunggu_lama", "S1"].teks.startswith("Crosscutting ke Kepala Dinas Dua, Dinas Dua menunggu")
    assert by_kode["ditolak", "S1"].teks == "Tautan ke SP1.TM1 Tematik uji ditolak oleh bappeda-uji: Tematik lain"
    t2 = findings_case["t2"]
    assert by_kode["butir_tanpa_tautan", "T2"].url == f"/pohon/dinas-uji/2018/butir/{t2.kunci}/"
    sp2 = Node.objects.get(pohon__dinas__jenis="pemda", kode="SP2")
    assert by_kode["sasaran_tanpa_dukungan", "SP2"].url == f"/pohon/{sp2.pohon.dinas.kode}/2014/butir/{sp2.kunci}/"
    # an agency sees its own findings only (the crosscutting one: it is a side of it)
    own = pemda_alignment(pemda, 2018, dinas=PerangkatDaerah.objects.get(kode="dinas-uji"))
    assert [(f.jenis, f.kode) for f in own] == [
        ("butir_tanpa_tautan", "T2"),
        ("menunggu_lama", "S1"),
        ("menunggu_lama", "T3"),
        ("ditolak", "S1"),
    ]


def test_alignment_export_has_the_same_table(findings_case, pemda):
    findings = pemda_alignment(pemda, 2018)
    text = alignment_export(findings, "csv").decode("utf-8")
    lines = text.strip().splitlines()
    assert lines[0] == "Tingkat,Jenis temuan,Perangkat Daerah,Kode,Uraian,Keterangan,Tautan"
    assert lines[1].startswith("Tinggi,Sasaran Pemda tanpa dukungan,Pemda,SP2,Sasaran Pemda dua,")
    assert len(lines) == 7
    workbook = openpyxl.load_workbook(io.BytesIO(alignment_export(findings, "xlsx", base_url="http://x")))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Tingkat", "Jenis temuan", "Perangkat Daerah"]
    assert values[6][:4] == ["Rendah", "Tautan ditolak", "Dinas Uji", "S1"]
    assert values[2][6].startswith("http://x/pohon/dinas-dua/2018/butir/")


# --- the pages -----------------------------------------------------------------------------------


def test_pages_propose_then_bappeda_approves_in_its_inbox(client, agency, rpjmd, operator, bappeda):
    client.force_login(operator)
    t1 = n(agency, "T1")
    panel = client.get(reverse("pohon:node_panel", args=["dinas-uji", 2018, t1.pk])).content.decode()
    url = reverse("pohon:tautan_usul", args=["dinas-uji", 2018, t1.pk])
    assert "Hubungkan ke Sasaran Pemda" in panel and url in panel
    page = client.get(url).content.decode()
    assert "SP1 · Sasaran Pemda · Sasaran Pemda satu" in page and "SP1.TM1 · Tematik · Tematik uji" in page
    assert "TP1" not in page  # a Tujuan Pemda is not a target
    assert client.post(url, {"pemda_node": "", "catatan": ""}).status_code == 400
    response = client.post(url, {"pemda_node": n(rpjmd, "SP1").pk, "catatan": "Mendukung SP1"})
    assert response.status_code == 302 and response["Location"] == "/pohon/dinas-uji/2018/tautan-pemda/"
    t = TautanPemda.objects.get()
    inbox = client.get(response["Location"]).content.decode()
    assert "Mendukung SP1" in inbox and "Menunggu" in inbox
    assert reverse("pemda:tautan_terima", args=[t.pemda.kode, t.pk]) not in inbox  # the operator cannot approve
    assert client.post(reverse("pemda:tautan_terima", args=[t.pemda.kode, t.pk])).status_code == 403
    assert client.get(reverse("pemda:tautan", args=[t.pemda.kode])).status_code == 403
    client.force_login(bappeda)
    inbox = client.get(reverse("pemda:tautan", args=[t.pemda.kode])).content.decode()
    assert "Usulan dari Perangkat Daerah" in inbox and "Dinas Uji · 2018" in inbox
    response = client.post(reverse("pemda:tautan_terima", args=[t.pemda.kode, t.pk]))
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.status == Status.DISETUJUI


def test_pages_send_accept_refuse_withdraw(client, agency, rpjmd, bappeda, kadis, operator):
    client.force_login(bappeda)
    sp2 = n(rpjmd, "SP2")
    panel = client.get(reverse("pohon:node_panel", args=[rpjmd.dinas.kode, 2014, sp2.pk])).content.decode()
    url = reverse("pohon:tautan_kirim", args=[rpjmd.dinas.kode, 2014, sp2.pk])
    assert "Kirim ke Perangkat Daerah" in panel and url in panel
    page = client.get(url).content.decode()
    assert "Dinas Uji" in page and '<option value="2018"' in page
    response = client.post(url, {"dinas": agency.dinas.pk, "tahun": 2017})
    assert response.status_code == 400 and "belum memiliki pohon kinerja tahun 2017" in response.content.decode()
    response = client.post(url, {"dinas": agency.dinas.pk, "tahun": 2018, "catatan": "Mohon dukung"})
    assert response.status_code == 302
    sent = TautanPemda.objects.get()
    kode = sent.pemda.kode
    # the operator sees it but may not answer; the Kepala Dinas accepts by linking S1
    client.force_login(operator)
    assert client.get(reverse("pemda:tautan_terima", args=[kode, sent.pk])).status_code == 403
    client.force_login(kadis)
    inbox = client.get("/pohon/dinas-uji/2018/tautan-pemda/").content.decode()
    assert "Mohon dukung" in inbox and reverse("pemda:tautan_terima", args=[kode, sent.pk]) in inbox
    accept = reverse("pemda:tautan_terima", args=[kode, sent.pk])
    page = client.get(accept).content.decode()
    assert "S1 · Sasaran · Sasaran dinas" in page and "P1" not in page
    response = client.post(accept, {"cara": "tautkan", "node": ""})
    assert response.status_code == 400 and "Pilih butir yang mendukung" in response.content.decode()
    response = client.post(accept, {"cara": "tautkan", "node": n(agency, "S1").pk})
    assert response.status_code == 302 and response["Location"] == "/pohon/dinas-uji/2018/tautan-pemda/"
    sent.refresh_from_db()
    assert (sent.status, sent.dinas_kode) == (Status.DISETUJUI, "S1")
    # the panel of S1 names the Sasaran Pemda it supports
    panel = client.get(reverse("pohon:node_panel", args=["dinas-uji", 2018, n(agency, "S1").pk])).content.decode()
    assert "SP2 Sasaran Pemda dua" in panel and "Disetujui" in panel
    # a second one is refused without a reason (nothing changes), then with one
    other = tautan_send(pemda_node=n(rpjmd, "SP1"), dinas=agency.dinas, tahun=2018, user=bappeda)
    refuse = reverse("pemda:tautan_tolak", args=[kode, other.pk])
    response = client.post(refuse, {"alasan": " "}, follow=True)
    assert "Alasan penolakan" in response.content.decode() or "wajib" in response.content.decode()
    other.refresh_from_db()
    assert other.status == Status.MENUNGGU
    client.post(refuse, {"alasan": "Bukan urusan kami"})
    other.refresh_from_db()
    assert (other.status, other.alasan) == (Status.DITOLAK, "Bukan urusan kami")
    # withdraw by the Kepala Dinas; an agency of another Pemda sees nothing (404)
    client.post(reverse("pemda:tautan_tarik", args=[kode, sent.pk]), {"alasan": ""})
    sent.refresh_from_db()
    assert sent.status == Status.DITARIK


def test_strangers_get_404_and_nothing_changes(client, agency, rpjmd, bappeda, other_dinas):
    t = tautan_send(pemda_node=n(rpjmd, "SP1"), dinas=agency.dinas, tahun=2018, user=bappeda)
    stranger = _user("orang-luar", other_dinas, Peran.ADMIN)
    client.force_login(stranger)
    kode = t.pemda.kode
    for url in (
        reverse("pemda:tautan_terima", args=[kode, t.pk]),
        reverse("pemda:tautan", args=[kode]),
        reverse("pemda:keselarasan", args=[kode, 2018]),
        "/pohon/dinas-uji/2018/tautan-pemda/",
        reverse("pohon:tautan_usul", args=["dinas-uji", 2018, n(agency, "T1").pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("pemda:tautan_tolak", args=[kode, t.pk]), {"alasan": "x"}).status_code == 404
    assert client.post(reverse("pemda:tautan_tarik", args=[kode, t.pk])).status_code == 404
    t.refresh_from_db()
    assert t.status == Status.MENUNGGU


def test_the_alignment_page_and_its_export(client, findings_case, pemda, bappeda, kadis):
    url = reverse("pemda:keselarasan", args=[pemda.kode, 2018])
    client.force_login(bappeda)
    page = client.get(url).content.decode()
    assert "Pemeriksaan keselarasan Kabupaten Contoh tahun 2018" in page
    assert page.count('class="temuan ') == 6 and "Sasaran Pemda tanpa dukungan" in page
    t2 = findings_case["t2"]
    assert f'href="/pohon/dinas-uji/2018/butir/{t2.kunci}/"' in page
    response = client.get(url + "?format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="keselarasan-kabupaten-contoh-2018.csv"'
    assert len(response.content.decode().strip().splitlines()) == 7
    assert client.get(url + "?format=xlsx").content[:2] == b"PK"
    client.force_login(kadis)  # an agency sees its own findings
    page = client.get(url).content.decode()
    assert page.count('class="temuan ') == 4 and "Sasaran Pemda tanpa dukungan" not in page
    assert "Temuan untuk Dinas Uji" in page


def test_demo_links_the_dpmd_tujuan_to_a_sasaran_pemda(demo_approved, client):
    t = TautanPemda.objects.get()
    assert (t.dinas.kode, t.tahun, t.dinas_kode, t.pemda_kode, t.status) == (
        "dpmd-lumajang",
        2018,
        "T1",
        "V1.M1.T1.S1",
        Status.DISETUJUI,
    )
    assert t.catatan.startswith("(contoh)") and "[CONTOH]" in t.pemda_uraian
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", demo=True, stdout=StringIO())
    assert TautanPemda.objects.count() == 1
    client.force_login(get_user_model().objects.get(username="bappeda"))
    page = client.get(reverse("pemda:keselarasan", args=["kabupaten-lumajang", 2018])).content.decode()
    # V1.M1.T1.S1 is supported; V1.M1.T1.S2 is not; the example agency's waiting crosscutting is late
    assert "V1.M1.T1.S2" in page and 'temuan-sasaran_tanpa_dukungan">' not in page.split("V1.M1.T1.S1")[0][-400:]
    assert "Crosscutting ke" in page


def test_rights_to_propose_and_send(client, agency, rpjmd, bappeda, kadis, dinas, bidang_unit):
    """An operator of another unit may not propose for T1 (403, nothing made); an agency's Kepala
    Dinas may not send a Pemda node (403); Bappeda may not propose for an agency."""
    other_unit = UnitKerja.objects.create(dinas=dinas, kode="bidang-b", nama="Bidang B", jenis="bidang",
                                          parent=bidang_unit.parent)  # fmt: skip
    stranger_op = _user("op-b", dinas, Peran.OPERATOR, other_unit)
    t1 = n(agency, "T1")
    with pytest.raises(PermissionDenied):
        tautan_propose(node=t1, pemda_node=n(rpjmd, "SP1"), user=stranger_op)
    with pytest.raises(PermissionDenied):
        tautan_propose(node=t1, pemda_node=n(rpjmd, "SP1"), user=bappeda)
    with pytest.raises(PermissionDenied):
        tautan_send(pemda_node=n(rpjmd, "SP1"), dinas=dinas, tahun=2018, user=kadis)
    client.force_login(stranger_op)
    url = reverse("pohon:tautan_usul", args=["dinas-uji", 2018, t1.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"pemda_node": n(rpjmd, "SP1").pk}).status_code == 403
    client.force_login(kadis)
    url = reverse("pohon:tautan_kirim", args=[rpjmd.dinas.kode, 2014, n(rpjmd, "SP1").pk])
    assert client.post(url, {"dinas": dinas.pk, "tahun": 2018}).status_code == 403
    assert not TautanPemda.objects.exists()
