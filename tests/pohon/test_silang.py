"""Crosscutting (pohon.silang): asking, accepting (an existing node, or a new one through the node
service and its rule table), refusing, withdrawing; who may do each (403/404 and nothing changes
otherwise); the deletion guard; links that outlive a Perubahan; the chart's marks in a fixed
number of queries; the PDF's marks and annex, frozen at approval; the demo's example links."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dinas.models import Keanggotaan, PerangkatDaerah, UnitKerja
from dinas.roles import GROUP_ADMIN, GROUP_KEPALA_DINAS, GROUP_OPERATOR
from pohon.documents import dokumen_render_draft, kaskade_pdf
from pohon.models import Node, NodeRiwayat, Pohon, Silang, SilangLampiran
from pohon.selectors import pohon_tree
from pohon.services import node_create, node_delete, pohon_create
from pohon.silang.selectors import silang_inbox, silang_rows
from pohon.silang.services import silang_accept, silang_refuse, silang_request, silang_withdraw
from pohon.workflow import pohon_approve, pohon_revise, pohon_submit
from tests.conftest import staff_user

pytestmark = pytest.mark.django_db
Peran = Keanggotaan.Peran


def pdf_text(data: bytes) -> str:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


# --- two agencies of one Pemda, each with a small tree --------------------------------------------


@pytest.fixture
def sender(pohon, bidang_unit):
    """The asking agency's tree (``dinas``): a Sasaran with a Program and a Kegiatan of Bidang A."""
    sasaran = node_create(
        pohon=pohon, parent=None, jenis="sasaran", uraian="Meningkatnya X", kode="S1", unit=bidang_unit
    )
    program = node_create(
        pohon=pohon, parent=sasaran, jenis="program", uraian="Program X", kode="P1", unit=bidang_unit,
        pagu=Decimal(1_000_000),
    )  # fmt: skip
    node_create(pohon=pohon, parent=program, jenis="kegiatan", uraian="Kegiatan X", kode="K1", unit=bidang_unit)
    return pohon


@pytest.fixture
def mitra(pemda):
    dinas = PerangkatDaerah.objects.create(kode="dinas-mitra", nama="Dinas Mitra", pemda=pemda)
    kepala = UnitKerja.objects.create(dinas=dinas, kode="kepala", nama="Kepala Dinas Mitra", jenis="kepala")
    UnitKerja.objects.create(dinas=dinas, kode="bidang-m", nama="Bidang Mitra", jenis="bidang", parent=kepala)
    UnitKerja.objects.create(dinas=dinas, kode="bidang-n", nama="Bidang Lain", jenis="bidang", parent=kepala)
    return dinas


def unit(dinas, kode: str) -> UnitKerja:
    return UnitKerja.objects.get(dinas=dinas, kode=kode)


@pytest.fixture
def mitra_pohon(mitra):
    pohon = pohon_create(dinas=mitra, tahun=2018)
    sasaran = node_create(
        pohon=pohon, parent=None, jenis="sasaran", uraian="Sasaran Mitra", kode="SM1", unit=unit(mitra, "bidang-m")
    )
    node_create(
        pohon=pohon, parent=sasaran, jenis="kegiatan", uraian="Kegiatan Mitra", kode="KM1", unit=unit(mitra, "bidang-m")
    )
    node_create(
        pohon=pohon, parent=None, jenis="sasaran", uraian="Sasaran Lain", kode="SN1", unit=unit(mitra, "bidang-n")
    )
    return pohon


def member(username: str, group: str, dinas, peran: str, unit_obj=None):
    user = staff_user(username, group)
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=peran, unit=unit_obj)
    return user


@pytest.fixture
def op_a(dinas, bidang_unit):
    return member("op-a", GROUP_OPERATOR, dinas, Peran.OPERATOR, bidang_unit)


@pytest.fixture
def op_m(mitra):
    return member("op-m", GROUP_OPERATOR, mitra, Peran.OPERATOR, unit(mitra, "bidang-m"))


@pytest.fixture
def op_n(mitra):
    """An operator of the receiving agency, but of another unit than the one asked."""
    return member("op-n", GROUP_OPERATOR, mitra, Peran.OPERATOR, unit(mitra, "bidang-n"))


@pytest.fixture
def kadis_m(mitra):
    return member("kadis-m", GROUP_KEPALA_DINAS, mitra, Peran.KEPALA_DINAS, unit(mitra, "kepala"))


@pytest.fixture
def outsider(other_dinas):
    """Admin of an agency of another Pemda: sees neither tree."""
    return member("luar", GROUP_ADMIN, other_dinas, Peran.ADMIN)


def node(pohon: Pohon, kode: str) -> Node:
    return Node.objects.select_related("pohon__dinas", "unit").get(pohon=pohon, kode=kode)


@pytest.fixture
def asked(sender, mitra_pohon, op_a, mitra):
    return silang_request(
        node=node(sender, "K1"), penerima_unit=unit(mitra, "bidang-m"), catatan="Mohon dukungan", user=op_a
    )


def silang_entries(pohon: Pohon) -> list[NodeRiwayat]:
    return list(NodeRiwayat.objects.filter(pohon=pohon, aksi=NodeRiwayat.Aksi.SILANG).order_by("id"))


# --- the services ---------------------------------------------------------------------------------


def test_request_waits_and_is_recorded_in_both_trees(asked, sender, mitra_pohon):
    assert asked.status == Silang.Status.MENUNGGU
    assert asked.pengirim_kunci == node(sender, "K1").kunci
    assert asked.pengirim_unit.nama == "Bidang A"
    assert asked.diminta_nama == "op-a"
    [sent] = silang_entries(sender)
    [received] = silang_entries(mitra_pohon)
    assert sent.kunci == asked.pengirim_kunci and sent.sesudah["mitra"] == "Bidang Mitra, Dinas Mitra"
    assert received.kunci is None and received.sesudah["mitra"] == "Bidang A, Dinas Uji"
    assert sent.peristiwa == received.peristiwa  # one event
    assert "Mohon dukungan" in sent.sesudah["catatan"]


def test_request_needs_a_note_and_a_crosscutting_kind(sender, mitra_pohon, op_a, mitra):
    with pytest.raises(ValidationError, match="Tuliskan catatan"):
        silang_request(node=node(sender, "K1"), penerima_unit=unit(mitra, "bidang-m"), catatan="  ", user=op_a)
    indikator = node_create(pohon=sender, parent=node(sender, "S1"), jenis="indikator", uraian="Ind", kode="I1")
    with pytest.raises(PermissionDenied):
        silang_request(node=indikator, penerima_unit=unit(mitra, "bidang-m"), catatan="x", user=op_a)
    with pytest.raises(ValidationError, match="hanya untuk Sasaran, Program dan Kegiatan"):
        silang_request(node=indikator, penerima_unit=unit(mitra, "bidang-m"), catatan="x")
    assert not Silang.objects.exists()


def test_request_refused_for_an_agency_of_another_pemda_or_twice(asked, sender, other_dinas, op_a, mitra):
    lain = UnitKerja.objects.create(dinas=other_dinas, kode="k", nama="Kepala Lain", jenis="kepala")
    pohon_create(dinas=other_dinas, tahun=2018)
    with pytest.raises(ValidationError, match="Pemerintah Daerah yang sama"):
        silang_request(node=node(sender, "K1"), penerima_unit=lain, catatan="x", user=op_a)
    with pytest.raises(ValidationError, match="sudah memiliki crosscutting dengan Bidang Mitra"):
        silang_request(node=node(sender, "K1"), penerima_unit=unit(mitra, "bidang-m"), catatan="x", user=op_a)
    assert Silang.objects.count() == 1


def test_accept_linking_an_existing_node(asked, mitra_pohon, op_m, sender):
    silang = silang_accept(silang=asked, node=node(mitra_pohon, "KM1"), user=op_m)
    assert silang.status == Silang.Status.DISETUJUI
    assert silang.penerima_kunci == node(mitra_pohon, "KM1").kunci
    assert (silang.dijawab_nama, silang.penerima_kode) == ("op-m", "KM1")
    assert silang_entries(mitra_pohon)[-1].kunci == silang.penerima_kunci
    assert silang_entries(sender)[-1].sesudah["silang"] == "Disetujui"
    with pytest.raises(ValidationError, match="sudah disetujui"):
        silang_refuse(silang=silang, alasan="terlambat", user=op_m)


def test_accept_creating_a_node_goes_through_the_rule_table(asked, mitra_pohon, op_m, mitra):
    with pytest.raises(ValidationError, match="Sasaran tidak boleh berada di bawah Kegiatan"):
        silang_accept(silang=asked, parent=node(mitra_pohon, "KM1"), jenis="sasaran", uraian="Baru", user=op_m)
    assert Silang.objects.get().status == Silang.Status.MENUNGGU
    silang = silang_accept(
        silang=asked, parent=node(mitra_pohon, "SM1"), jenis="kegiatan", uraian="Kegiatan dukungan", user=op_m
    )
    created = Node.objects.get(pohon=mitra_pohon, kunci=silang.penerima_kunci)
    assert (created.jenis, created.uraian, created.parent.kode) == ("kegiatan", "Kegiatan dukungan", "SM1")
    assert created.unit == unit(mitra, "bidang-m")
    assert NodeRiwayat.objects.filter(pohon=mitra_pohon, aksi="buat", kunci=created.kunci).exists()


def test_kepala_dinas_links_but_does_not_create(asked, mitra_pohon, kadis_m):
    with pytest.raises(ValidationError, match="tidak berhak menambah butir"):
        silang_accept(silang=asked, parent=node(mitra_pohon, "SM1"), jenis="kegiatan", uraian="x", user=kadis_m)
    silang = silang_accept(silang=asked, node=node(mitra_pohon, "SM1"), user=kadis_m)
    assert silang.status == Silang.Status.DISETUJUI


def test_refuse_needs_a_reason(asked, op_m, sender):
    with pytest.raises(ValidationError, match="alasan"):
        silang_refuse(silang=asked, alasan=" ", user=op_m)
    silang = silang_refuse(silang=asked, alasan="Bukan tugas kami", user=op_m)
    assert (silang.status, silang.alasan) == (Silang.Status.DITOLAK, "Bukan tugas kami")
    assert silang_entries(sender)[-1].sesudah == {
        "silang": "Ditolak",
        "mitra": "Bidang Mitra, Dinas Mitra",
        "catatan": "Bukan tugas kami",
    }


def test_either_side_withdraws(asked, mitra_pohon, op_m, op_a, outsider):
    silang = silang_accept(silang=asked, node=node(mitra_pohon, "KM1"), user=op_m)
    with pytest.raises(PermissionDenied):
        silang_withdraw(silang=silang, user=outsider)
    silang = silang_withdraw(silang=silang, user=op_m, alasan="Program dihentikan")
    assert (silang.status, silang.ditarik_nama) == (Silang.Status.DITARIK, "op-m")
    with pytest.raises(ValidationError, match="sudah ditarik"):
        silang_withdraw(silang=silang, user=op_a)


def test_rights_to_answer(asked, mitra_pohon, op_n, op_a, outsider):
    for user in (op_n, op_a, outsider):
        with pytest.raises(PermissionDenied):
            silang_accept(silang=asked, node=node(mitra_pohon, "SN1"), user=user)
        with pytest.raises(PermissionDenied):
            silang_refuse(silang=asked, alasan="tidak", user=user)
    assert Silang.objects.get().status == Silang.Status.MENUNGGU


def test_a_unit_of_the_same_agency(sender, op_a, dinas, bidang_unit):
    seksi = UnitKerja.objects.create(dinas=dinas, kode="seksi-b", nama="Seksi B", jenis="seksi", parent=bidang_unit)
    silang = silang_request(node=node(sender, "P1"), penerima_unit=seksi, catatan="Bantu", user=op_a)
    silang = silang_accept(silang=silang, node=node(sender, "K1"))
    rows = silang_rows(pohon_tree(sender))
    assert [(row.kode, row.arah, row.mitra) for row in rows] == [
        ("P1", "keluar", "Seksi B"),
        ("K1", "masuk", "Bidang A"),
    ]
    with pytest.raises(ValidationError, match="unit lain"):
        silang_request(node=node(sender, "K1"), penerima_unit=bidang_unit, catatan="x", user=op_a)


# --- the deletion guard ---------------------------------------------------------------------------


def test_a_linked_node_cannot_be_deleted_until_withdrawn(asked, sender, mitra_pohon, op_m, op_a):
    message = "masih tertaut crosscutting: K1 dengan Bidang Mitra, Dinas Mitra \\(Menunggu\\)"
    with pytest.raises(ValidationError, match=message):
        node_delete(node=node(sender, "K1"), user=op_a)
    with pytest.raises(ValidationError, match=message):  # nor an ancestor, with the node in its subtree
        node_delete(node=node(sender, "S1"))
    silang = silang_accept(silang=asked, node=node(mitra_pohon, "KM1"), user=op_m)
    with pytest.raises(ValidationError, match="KM1 dengan Bidang A, Dinas Uji \\(Disetujui\\)"):
        node_delete(node=node(mitra_pohon, "SM1"))
    silang_withdraw(silang=silang, user=op_a)
    assert node_delete(node=node(mitra_pohon, "SM1")) == 2
    assert node_delete(node=node(sender, "K1"), user=op_a) == 1


def test_the_editor_shows_the_guard_message(client, asked, sender, op_a):
    client.force_login(op_a)
    target = node(sender, "K1")
    url = reverse("pohon:node_hapus", args=["dinas-uji", 2018, target.pk])
    response = client.post(url, {"versi": target.versi, "halaman": "tabel"})
    assert "masih tertaut crosscutting" in response.content.decode()
    assert Node.objects.filter(pk=target.pk).exists()


def test_a_refused_request_does_not_protect(asked, sender, op_m):
    silang_refuse(silang=asked, alasan="tidak", user=op_m)
    assert node_delete(node=node(sender, "K1")) == 1


# --- the pages: rights ----------------------------------------------------------------------------


def test_request_page_from_the_node(client, sender, mitra_pohon, op_a, mitra):
    client.force_login(op_a)
    target = node(sender, "K1")
    panel = client.get(reverse("pohon:node_panel", args=["dinas-uji", 2018, target.pk])).content.decode()
    url = reverse("pohon:silang_minta", args=["dinas-uji", 2018, target.pk])
    assert "Minta dukungan (crosscutting)" in panel and url in panel
    page = client.get(url).content.decode()
    assert "Dinas Mitra" in page and "Bidang Mitra" in page
    response = client.post(url, {"penerima_unit": "", "catatan": ""})
    assert response.status_code == 400 and not Silang.objects.exists()
    response = client.post(url, {"penerima_unit": unit(mitra, "bidang-m").pk, "catatan": "Tolong"})
    assert response.status_code == 302
    assert Silang.objects.get().catatan == "Tolong"


def test_request_page_refuses_who_may_not_ask(client, sender, mitra_pohon, op_m, outsider, mitra):
    target = node(sender, "K1")
    url = reverse("pohon:silang_minta", args=["dinas-uji", 2018, target.pk])
    client.force_login(outsider)  # does not see the agency
    assert client.post(url, {"penerima_unit": unit(mitra, "bidang-m").pk, "catatan": "x"}).status_code == 404
    bidang_b = UnitKerja.objects.create(dinas=sender.dinas, kode="bidang-b", nama="Bidang B", jenis="bidang")
    Keanggotaan.objects.create(user=op_m, dinas=sender.dinas, peran=Peran.OPERATOR, unit=bidang_b)
    client.force_login(op_m)  # an operator of another unit of that agency
    assert client.post(url, {"penerima_unit": unit(mitra, "bidang-m").pk, "catatan": "x"}).status_code == 403
    assert not Silang.objects.exists()


def test_inbox_accept_and_refuse_pages(client, asked, mitra_pohon, op_m, op_n, kadis_m, outsider):
    inbox = reverse("pohon:silang", args=["dinas-mitra", 2018])
    terima = reverse("pohon:silang_terima", args=["dinas-mitra", 2018, asked.pk])
    tolak = reverse("pohon:silang_tolak", args=["dinas-mitra", 2018, asked.pk])
    client.force_login(outsider)
    assert client.get(inbox).status_code == 404
    assert client.post(tolak, {"alasan": "x"}).status_code == 404
    client.force_login(op_n)
    page = client.get(inbox).content.decode()
    assert "Mohon dukungan" in page and terima not in page
    assert client.post(terima, {"cara": "tautkan", "node": node(mitra_pohon, "SN1").pk}).status_code == 403
    assert client.post(tolak, {"alasan": "x"}).status_code == 403
    assert Silang.objects.get().status == Silang.Status.MENUNGGU
    client.force_login(kadis_m)
    assert terima in client.get(inbox).content.decode()
    response = client.post(tolak, {"alasan": ""}, follow=True)
    assert "Alasan penolakan" in response.content.decode() or "wajib" in response.content.decode()
    assert Silang.objects.get().status == Silang.Status.MENUNGGU
    client.force_login(op_m)
    form = client.get(terima).content.decode()
    assert "Kegiatan Mitra" in form and "Buat butir baru" in form
    response = client.post(
        terima, {"cara": "baru", "parent": node(mitra_pohon, "SM1").pk, "jenis": "kegiatan", "uraian": ""}
    )
    assert response.status_code == 400 and "Uraian wajib diisi" in response.content.decode()
    response = client.post(terima, {"cara": "tautkan", "node": node(mitra_pohon, "KM1").pk})
    assert response.status_code == 302
    assert Silang.objects.get().penerima_kode == "KM1"


def test_inbox_findings_waiting_too_long_and_refused(client, sender, mitra_pohon, op_a, op_m, mitra):
    old = silang_request(
        node=node(sender, "S1"), penerima_unit=unit(mitra, "bidang-m"), catatan="Lama", user=op_a,
        at=timezone.now() - datetime.timedelta(days=15),
    )  # fmt: skip
    silang_request(node=node(sender, "P1"), penerima_unit=unit(mitra, "bidang-m"), catatan="Baru", user=op_a)
    refused = silang_request(node=node(sender, "K1"), penerima_unit=unit(mitra, "bidang-n"), catatan="x", user=op_a)
    silang_refuse(silang=refused, alasan="Bukan bidang kami", user=None)
    inbox = silang_inbox(sender.dinas, 2018)
    assert [s.pk for s in inbox.terlambat] == [old.pk]
    assert [s.pk for s in inbox.ditolak] == [refused.pk]
    client.force_login(op_a)
    page = client.get(reverse("pohon:silang", args=["dinas-uji", 2018])).content.decode()
    assert "Menunggu lebih dari 14 hari" in page and "Bukan bidang kami" in page
    assert reverse("pohon:silang_butir", args=["dinas-uji", 2018, old.pengirim_kunci]) in page


def test_node_address_by_kunci(client, asked, mitra_pohon, op_a, op_m, outsider, sender):
    silang = silang_accept(silang=asked, node=node(mitra_pohon, "KM1"), user=op_m)
    url = reverse("pohon:silang_butir", args=["dinas-mitra", 2018, silang.penerima_kunci])
    client.force_login(op_m)  # sees the agency: its chart, at the node
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].endswith(f"#n-{node(mitra_pohon, 'KM1').pk}")
    client.force_login(op_a)  # the partner: the node as the link shows it
    assert "Kegiatan Mitra" in client.get(url).content.decode()
    client.force_login(outsider)
    assert client.get(url).status_code == 404


# --- chart, PDF, revisions --------------------------------------------------------------------------


def test_chart_marks_crosscut_boxes_with_the_partner(client, asked, mitra_pohon, op_m, op_a):
    client.force_login(op_a)
    page = client.get(reverse("pohon:chart", args=["dinas-uji", 2018])).content.decode()
    assert "cs-silang cs-menunggu" in page and "Bidang Mitra, Dinas Mitra</span> (Menunggu)" not in page
    assert "Bidang Mitra, Dinas Mitra (Menunggu)" in page
    silang = silang_accept(silang=asked, node=node(mitra_pohon, "KM1"), user=op_m)
    page = client.get(reverse("pohon:chart", args=["dinas-uji", 2018])).content.decode()
    partner = reverse("pohon:silang_butir", args=["dinas-mitra", 2018, silang.penerima_kunci])
    assert f'<a href="{partner}">Bidang Mitra, Dinas Mitra</a> (Disetujui)' in page
    assert 'class="cc-box cc-box--kegiatan cs-silang"' in page  # K1 has a box of its own (the chain form)
    client.force_login(op_m)
    page = client.get(reverse("pohon:chart", args=["dinas-mitra", 2018])).content.decode()
    assert "Bidang A, Dinas Uji</a> (Disetujui)" in page


def test_chart_queries_grow_by_one_at_most(client, sender, mitra_pohon, op_a, op_m, mitra, monkeypatch):
    client.force_login(op_a)
    url = reverse("pohon:chart", args=["dinas-uji", 2018])
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as none:
        client.get(url)
    for kode in ("S1", "P1", "K1"):
        silang = silang_request(node=node(sender, kode), penerima_unit=unit(mitra, "bidang-m"), catatan="x", user=op_a)
        if kode != "S1":
            silang_accept(silang=silang, node=node(mitra_pohon, "KM1"), user=op_m)
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert page.count("cs-silang") == 3
    assert len(three.captured_queries) == len(none.captured_queries)
    monkeypatch.setattr("pohon.views.tree_with_silang", lambda tree: [])
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    assert len(three.captured_queries) == len(without.captured_queries) + 1


def test_draft_pdf_marks_boxes_and_lists_the_links(asked, mitra_pohon, op_m, sender):
    silang_accept(silang=asked, node=node(mitra_pohon, "KM1"), user=op_m)
    text = pdf_text(dokumen_render_draft(pohon=sender, kertas="A4").pdf)
    assert "[Crosscutting 1: Bidang Mitra, Dinas Mitra (Disetujui)]" in text
    assert "LAMPIRAN: CROSSCUTTING" in text
    assert "1 K1 Kegiatan X Meminta dukungan Bidang Mitra, Dinas Mitra KM1 Kegiatan Mitra Disetujui" in text
    text = pdf_text(dokumen_render_draft(pohon=mitra_pohon, kertas="A4").pdf)
    assert "1 KM1 Kegiatan Mitra Mendukung Bidang A, Dinas Uji K1 Kegiatan X Disetujui" in text


def test_a_tree_without_links_prints_no_annex(sender):
    assert "LAMPIRAN" not in pdf_text(dokumen_render_draft(pohon=sender, kertas="A3").pdf)


def test_links_survive_a_perubahan_and_the_annex_is_frozen_at_approval(demo_approved, client):
    """The demo's links (made after the seed was signed, so its document has no annex) hold in
    a Perubahan; approving it freezes the annex, which a later withdrawal does not change."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    operator, kadis = users.get(username="operator"), users.get(username="kadis")
    assert demo_approved.pengesahan.silang_lampiran.baris == []
    accepted = Silang.objects.get(status=Silang.Status.DISETUJUI)
    waiting = Silang.objects.get(status=Silang.Status.MENUNGGU)
    revision = pohon_revise(pohon=demo_approved, user=operator)
    linked = Node.objects.get(pohon=revision, kunci=accepted.pengirim_kunci)
    with pytest.raises(ValidationError, match="tertaut crosscutting"):
        node_delete(node=linked)
    client.force_login(kadis)
    chart = client.get(revision.chart_url()).content.decode()
    assert chart.count("cs-silang") == 1 and "Dinas Koperasi dan Usaha Mikro (contoh)</a> (Disetujui)" in chart
    # a request answered on the draft: accepted into the Perubahan, then approved with it
    silang_accept(silang=waiting, node=Node.objects.get(pohon=revision, kode="B1.S1"), user=kadis)
    pohon_submit(pohon=revision, user=operator)
    pengesahan = pohon_approve(pohon=revision, user=kadis)
    rows = SilangLampiran.objects.get(pengesahan=pengesahan).baris
    assert [(row["kode"], row["status"]) for row in rows] == [("B1.S1", "disetujui"), ("B2.P1", "disetujui")]
    for silang in Silang.objects.all():
        silang_withdraw(silang=silang, user=kadis)
    text = pdf_text(kaskade_pdf(pengesahan.dokumen, "A3").pdf)
    assert "LAMPIRAN: CROSSCUTTING" in text
    assert "Dinas Koperasi dan Usaha Mikro (contoh)" in text and "Disetujui" in text


def test_demo_has_an_example_agency_and_two_links(demo_approved, client):
    contoh = PerangkatDaerah.objects.get(kode="dinkop-lumajang-contoh")
    assert "(contoh)" in contoh.nama
    assert sorted(Silang.objects.values_list("status", flat=True)) == ["disetujui", "menunggu"]
    assert all(s.catatan.startswith("(contoh)") for s in Silang.objects.all())
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", demo=True, stdout=StringIO())
    assert Silang.objects.count() == 2 and PerangkatDaerah.objects.filter(kode=contoh.kode).count() == 1
    from pohon.demo import pohon_as_plan
    from pohon.demo.load import demo_nodes  # the seed tree stays exactly the seed
    from pohon.demo.seed import demo_document

    assert pohon_as_plan(demo_approved) == demo_nodes(demo_document())


def test_an_edit_on_the_chart_keeps_the_marks_of_the_boxes_it_sends(client, asked, sender, op_a):
    """The partial re-render after an edit (pohon.chart_partial) marks as the full chart does."""
    client.force_login(op_a)
    target = node(sender, "K1")
    url = reverse("pohon:node_ubah", args=["dinas-uji", 2018, target.pk])
    data = {"versi": target.versi, "halaman": "bagan", "uraian": "Kegiatan X diubah"}
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "Kegiatan X diubah" in html and 'id="chart"' not in html
    assert "cs-silang cs-menunggu" in html and "Bidang Mitra, Dinas Mitra (Menunggu)" in html
