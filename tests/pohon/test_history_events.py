"""The history page as events: one line per action (the demo's hundreds of creations, an import,
a Perubahan), filters, pagination by events, the title, and a fixed number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from pohon.history import riwayat_peristiwa
from pohon.imports import pohon_import
from pohon.middleware import RiwayatPeristiwaMiddleware
from pohon.models import Node, NodeRiwayat, PohonRiwayat
from pohon.resources import pohon_export
from pohon.services import node_create, node_delete, node_move, node_update
from pohon.workflow import pohon_revise, pohon_submit
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()
Aksi = NodeRiwayat.Aksi


def url(tahun=2018, **query) -> str:
    base = reverse("pohon:riwayat", args=["dpmd-lumajang", tahun])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def node(pohon, kode) -> Node:
    return Node.objects.get(pohon=pohon, kode=kode)


def events(html: str) -> list[str]:
    """The text of each event line (its first line: label, summary, who), newest first."""
    lines = re.findall(r'<p class="rw-line">(.*?)</p>', html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", line).split()) for line in lines]


@pytest.fixture
def kadis(client, demo):
    assert client.login(username="kadis", password=DEMO_PASSWORD)
    return client


def visible_count(pohon) -> int:
    return Node.objects.filter(pohon=pohon).visible().count()


def test_the_demo_reads_as_one_creation_with_its_count(kadis, demo):
    total = visible_count(demo)
    assert NodeRiwayat.objects.filter(pohon=demo, aksi=Aksi.BUAT).count() == total  # one entry per node
    assert NodeRiwayat.objects.filter(pohon=demo).values("peristiwa").distinct().count() == 1
    html = kadis.get(url()).content.decode()
    assert events(html) == [f"Dibuat : {total} butir oleh sistem"]
    assert f"Lihat {total} butir" in html  # expandable to its items
    assert html.count('class="rw-item ') == total
    assert "Program peningkatan keberdayaan Masyarakat Pedesaan" in html and "Rp 2.078.747.000" in html


def test_an_import_is_one_line_with_the_count_and_the_file(client, demo):
    admin = User.objects.get(username="admin")
    data = pohon_export(demo, "xlsx")
    plan, imported = pohon_import(dinas=demo.dinas, tahun=2019, data=data, filename="dpmd-2018.xlsx", user=admin)
    assert imported is not None, plan.problems
    total = visible_count(demo)
    client.force_login(admin)
    html = client.get(url(2019)).content.decode()
    assert events(html) == [f"Diimpor : {total} butir dari dpmd-2018.xlsx oleh admin"]
    assert f"Lihat {total} butir" in html and "B1.P1" in html  # its nodes, expandable
    # replacing the tree by the same file again: the emptying is part of the import's line
    plan, imported = pohon_import(
        dinas=demo.dinas, tahun=2019, data=data, filename="dpmd-2018-v2.xlsx", replace=True, user=admin
    )
    assert imported is not None, plan.problems
    html = client.get(url(2019)).content.decode()
    first = events(html)[0]
    assert first.startswith(f"Diimpor : {total} butir dari dpmd-2018-v2.xlsx (menggantikan {total} butir)")
    assert len(events(html)) == 2


def test_edits_show_before_and_after_styled(kadis, demo):
    admin = User.objects.get(username="admin")
    node_update(node=node(demo, "B1.P1"), user=admin, pagu=Decimal(2_100_000_000))
    unit = node(demo, "B2.P1").unit
    node_update(node=node(demo, "B1.P2"), user=admin, unit=unit)
    html = kadis.get(url()).content.decode()
    lines = events(html)
    assert lines[0].startswith("Diubah B1.P2 Program peningkatan peran perempuan di pedesaan oleh")
    assert lines[1].startswith("Diubah B1.P1 Program peningkatan keberdayaan Masyarakat Pedesaan")
    assert '<del class="rw-old">Rp 2.078.747.000</del>' in html and '<ins class="rw-new">Rp 2.100.000.000</ins>' in html
    assert f'<ins class="rw-new">{unit.nama}</ins>' in html  # the unit by name


def test_workflow_steps_are_events_in_time_order_and_a_perubahan_is_one_line(client, demo_approved):
    operator = User.objects.get(username="operator")
    client.force_login(operator)
    lines = events(client.get(url()).content.decode())
    # the demo's approval is dated as its document (25 January 2018), its creation today; its
    # example crosscutting (pohon.demo.silang) is one event after them, its example link to the
    # Pemda (pohon.demo.tautan) one more
    assert [line.split(" ")[0] for line in lines] == ["Tautan", "Crosscutting", "Dibuat", "Disetujui", "Diajukan"]
    assert "Pengajuan pohon kinerja demo." in client.get(url()).content.decode()
    revision = pohon_revise(pohon=demo_approved, user=operator)
    node_update(node=node(revision, "B1.P1"), user=operator, uraian="Program baru")
    pohon_submit(pohon=revision, user=operator)
    html = client.get(url(revisi=1)).content.decode()
    total = visible_count(demo_approved)
    assert "Riwayat perubahan — Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Lumajang 2018 Perubahan 1" in html
    lines = events(html)
    assert [line.split(" ")[0] for line in lines] == ["Diajukan", "Diubah", "Perubahan"]
    assert lines[2] == f"Perubahan dibuat : {total} butir dari dpmd-lumajang 2018 oleh operator"


def test_title_names_the_agency_in_full(kadis):
    html = kadis.get(url()).content.decode()
    title = "Riwayat perubahan — Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Lumajang 2018"
    assert f"<title>{title} · Pokin</title>" in html
    assert f"<h1>{title}</h1>" in html
    assert "dpmd-lumajang 2018" not in html.split("<h1>")[1].split("</h1>")[0]


def test_filters(kadis, demo):
    admin, operator = User.objects.get(username="admin"), User.objects.get(username="operator")
    node_update(node=node(demo, "B3.P1"), user=admin, pagu=Decimal(1_000))  # Bidang Bina Pemerintahan Desa
    node_update(node=node(demo, "B1.K1.G1"), user=operator, uraian="Kegiatan baru")  # a Seksi of Bidang 1
    node_delete(node=node(demo, "B1.K2.G1"), user=admin)  # another Seksi of Bidang 1, now gone
    old = NodeRiwayat.objects.filter(pohon=demo, aksi=Aksi.BUAT)
    old.update(waktu=timezone.make_aware(datetime.datetime(2018, 1, 20, 10)))
    bidang1 = node(demo, "B1").unit
    lines = events(kadis.get(url(unit=bidang1.pk)).content.decode())
    assert [line.split(" ")[:2] for line in lines] == [["Dihapus", "B1.K2.G1"], ["Diubah", "B1.K1.G1"], ["Dibuat", ":"]]
    assert lines[2].startswith("Dibuat : ") and "butir" in lines[2]  # only the creations in its branch
    lines = events(kadis.get(url(pengguna="operator")).content.decode())
    assert [line.split(" ")[:2] for line in lines] == [["Diubah", "B1.K1.G1"]]
    lines = events(kadis.get(url(aksi="hapus")).content.decode())
    assert [line.split(" ")[:2] for line in lines] == [["Dihapus", "B1.K2.G1"]]
    today = timezone.localdate().isoformat()
    lines = events(kadis.get(url(dari=today)).content.decode())
    assert len(lines) == 3 and not any(line.startswith("Dibuat") for line in lines)
    lines = events(kadis.get(url(sampai="2018-01-31")).content.decode())
    assert len(lines) == 1 and lines[0].startswith("Dibuat : ")
    pohon_submit(pohon=demo, user=operator, catatan="Siap diperiksa")
    lines = events(kadis.get(url(aksi="alur")).content.decode())
    assert lines == ["Diajukan oleh operator"]
    html = kadis.get(url(dari="2018-02-01", sampai="2018-01-01")).content.decode()
    assert "Tanggal akhir sebelum tanggal awal." in html
    html = kadis.get(url(aksi="hapus", dari="bukan-tanggal")).content.decode()  # the valid filters still apply
    assert "Masukkan tanggal yang valid." in html or "Enter a valid date." in html
    assert [line.split(" ")[:2] for line in events(html)] == [["Dihapus", "B1.K2.G1"]]
    html = kadis.get(url(aksi="hapus", sampai="2017-01-01")).content.decode()
    assert "Tidak ada perubahan yang cocok dengan saringan ini." in html


def test_pagination_by_events_keeps_the_filters(kadis, demo):
    admin = User.objects.get(username="admin")
    target = node(demo, "B1.P1")
    for number in range(120):
        target = node_update(node=target, user=admin, uraian=f"Program versi {number}")
    html = kadis.get(url(aksi="ubah")).content.decode()
    assert len(events(html)) == 50 and "120 peristiwa" in html and "Halaman 1 dari 3" in html
    assert events(html)[0].startswith("Diubah B1.P1")
    assert 'href="?aksi=ubah&amp;page=2"' in html
    html = kadis.get(url(aksi="ubah", page=3)).content.decode()
    assert len(events(html)) == 20 and "Halaman 3 dari 3" in html
    html = kadis.get(url(page=3)).content.decode()
    assert len(events(html)) == 21 and events(html)[-1].startswith("Dibuat :")  # the demo: one event


def test_reads_in_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    client.get(url())  # the session and the user's roles warm up like on any page

    def page_queries() -> int:
        with django_assert_max_num_queries(14) as captured:
            assert client.get(url()).status_code == 200
        return len(captured)

    few = page_queries()
    for kode in ("B1.P1", "B1.P2", "B2.P1", "B3.P1"):
        node_delete(node=node(demo, kode), user=admin)  # deletions: each checked for a restore
    for number in range(60):
        node_update(node=node(demo, "B4.P1"), user=admin, uraian=f"Program {number}")
    node_move(node=node(demo, "B4.P2"), target=node(demo, "B4.P1"), position="left", user=admin)
    assert page_queries() <= few + 2  # the restore checks, once for the whole page


def test_operator_restores_from_the_page(client, demo):
    operator = User.objects.get(username="operator")
    own = node_create(pohon=demo, parent=node(demo, "B1.K1"), jenis="kegiatan", uraian="Kegiatan X", user=operator)
    node_delete(node=own, user=operator)
    entry = NodeRiwayat.objects.filter(pohon=demo).latest("id")
    client.force_login(operator)
    html = client.get(url()).content.decode()
    restore_url = reverse("pohon:pulihkan", args=["dpmd-lumajang", 2018, entry.pk])
    assert restore_url in html
    response = client.post(restore_url, {"revisi": "0"}, follow=True)
    assert f"{own.kode} dipulihkan" in response.content.decode()
    assert events(response.content.decode())[0].startswith(f"Dipulihkan {own.kode} Kegiatan X")


def test_entries_of_one_service_call_or_request_share_an_event(chain_tree):
    start = NodeRiwayat.objects.latest("id").pk if NodeRiwayat.objects.exists() else 0
    with riwayat_peristiwa() as outer:
        node_update(node=node(chain_tree, "K1"), uraian="Satu")
        with riwayat_peristiwa() as inner:
            node_update(node=node(chain_tree, "K2"), uraian="Dua")
        assert inner == outer
    node_update(node=node(chain_tree, "K1"), uraian="Tiga")
    entries = list(NodeRiwayat.objects.filter(pohon=chain_tree, pk__gt=start).order_by("id"))
    assert [entry.peristiwa == outer for entry in entries] == [True, True, False]

    def view(request):
        node_update(node=node(chain_tree, "K1"), uraian="Empat")
        node_update(node=node(chain_tree, "K2"), uraian="Lima")
        return None

    RiwayatPeristiwaMiddleware(view)(RequestFactory().get("/"))
    first, second = NodeRiwayat.objects.filter(pohon=chain_tree).order_by("-id")[:2]
    assert first.peristiwa == second.peristiwa != entries[-1].peristiwa


def test_workflow_steps_without_node_entries_are_listed(kadis, demo):
    operator = User.objects.get(username="operator")
    pohon_submit(pohon=demo, user=operator, catatan="Mohon diperiksa")
    assert PohonRiwayat.objects.filter(pohon=demo).count() == 1
    html = kadis.get(url(node=node(demo, "B1").kunci)).content.decode()  # one node: no steps
    assert not any(line.startswith("Diajukan") for line in events(html))
    html = kadis.get(url()).content.decode()
    assert events(html)[0] == "Diajukan oleh operator" and "Mohon diperiksa" in html
