"""The chart, the tree table and the home page, through Django's test client."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dinas.models import Keanggotaan
from pohon.models import Node
from pohon.services import node_create, node_update, pohon_create
from tests.conftest import DEMO_PASSWORD, DEMO_PROGRAMMES

pytestmark = pytest.mark.django_db


def chart_url(kode="dpmd-lumajang", tahun=2018):
    return reverse("pohon:chart", args=[kode, tahun])


def table_url(kode="dpmd-lumajang", tahun=2018):
    return reverse("pohon:table", args=[kode, tahun])


@pytest.fixture
def kadis_client(client, demo):
    assert client.login(username="kadis", password=DEMO_PASSWORD)
    return client


def test_demo_chart_shows_the_whole_cascade(kadis_client, demo):
    response = kadis_client.get(chart_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "CASCADING / POHON KINERJA DINAS PEMBERDAYAAN MASYARAKAT DAN DESA KABUPATEN LUMAJANG TAHUN 2018" in html
    assert "KEPALA DINAS PEMBERDAYAAN MASYARAKAT DAN DESA KABUPATEN LUMAJANG" in html
    for uraian, pagu in DEMO_PROGRAMMES:
        assert f'{uraian}</span> <span class="cc-pagu">({pagu})</span>' in html
    for node in Node.objects.filter(pohon=demo, jenis__in=["seksi", "kegiatan", "bidang", "indikator", "sasaran"]):
        assert f'<span class="cc-text">{node.uraian}</span>' in html, node.uraian
    assert html.count('class="cc-box cc-box--unit cc-box--bidang"') == 4
    assert html.count('class="cc-box cc-box--unit cc-box--seksi"') == 11
    assert 'id="total-pagu">Rp 8.731.687.000<' in html
    # each division's total, e.g. Bidang Pemberdayaan Masyarakat's three programmes
    assert "Jumlah Pagu: <strong>Rp 3.358.047.000</strong>" in html


def test_demo_table_lists_every_node_with_totals(kadis_client, demo):
    response = kadis_client.get(table_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="pt-row ') == Node.objects.filter(pohon=demo).visible().count()
    for uraian, pagu in DEMO_PROGRAMMES:
        assert uraian in html
        assert f'<td class="pt-num pt-pagu">{pagu}</td>' in html
    assert '<th class="num pt-total">Rp 8.731.687.000</th>' in html


def test_checks_panel_lists_what_the_demo_lacks_as_information(kadis_client):
    """The seed states Pagu on its programmes only and no targets at all: normal for its form,
    so information, collapsed apart from the warnings (of which the demo has none)."""
    html = kadis_client.get(chart_url()).content.decode()
    assert "Tidak ada kesalahan atau peringatan." in html
    assert "badge-warning" not in html and "badge-error" not in html
    info = html[html.index('<details class="checks-info">') : html.index("</aside>")]
    assert "100 butir wajar untuk bentuk dokumen ini" in info
    assert "Indikator tanpa target: pohon ini belum memuat target sama sekali <strong>(57)</strong>" in info
    assert "Kegiatan tanpa Pagu sendiri: Pagu-nya tercatat pada Program <strong>(43)</strong>" in info
    assert "Tujuan atau Sasaran tanpa Indikator" not in html


def test_design_card_chain_renders(admin_client, chain_tree):
    response = admin_client.get(chart_url("dinas-uji", 2018))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Meningkatnya X", "Indeks X", "Meningkatnya Y", "Program Z", "Kegiatan A", "Kegiatan B"):
        assert f'<span class="cc-text">{text}</span>' in html
    assert "Target: 85,5 %" in html
    assert html.count("cc-box--program") == 1
    assert html.count('class="cc-box cc-box--kegiatan') == 2
    assert 'id="total-pagu">Rp 6.545.000.000<' in html
    assert "Tidak ada temuan" not in html  # Sasaran S1 has no indikator
    assert "Tujuan atau Sasaran tanpa Indikator <strong>(1)</strong>" in html


def test_overrun_and_missing_unit_are_errors(admin_client, chain_tree):
    node_update(node=Node.objects.get(pohon=chain_tree, kode="K2"), pagu=Decimal(1_500_000_000))
    node_create(pohon=chain_tree, parent=Node.objects.get(pohon=chain_tree, kode="T1"), jenis="bidang", uraian="B")
    html = admin_client.get(table_url("dinas-uji", 2018)).content.decode()
    assert "Pagu anak melebihi Pagu induknya <strong>(1)</strong>" in html
    assert "lebih Rp 105.000.000" in html
    assert "Bidang atau Seksi tanpa unit kerja <strong>(1)</strong>" in html
    assert "Bidang atau Seksi yang kosong <strong>(1)</strong>" in html


def test_anonymous_is_sent_to_login(client, chain_tree):
    for url in (reverse("home"), chart_url("dinas-uji", 2018), table_url("dinas-uji", 2018)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_user_of_another_agency_gets_404(client, demo, other_dinas):
    stranger = get_user_model().objects.create_user("orang-lain", password="x", is_staff=True)
    Keanggotaan.objects.create(user=stranger, dinas=other_dinas, peran="kepala_dinas")
    client.force_login(stranger)
    assert client.get(chart_url()).status_code == 404
    assert client.get(table_url()).status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert "Pemberdayaan Masyarakat" not in home
    assert other_dinas.nama in home


def test_unknown_tree_is_404(kadis_client):
    assert kadis_client.get(chart_url(tahun=2031)).status_code == 404


def test_home_lists_trees_with_status_and_total(kadis_client):
    html = kadis_client.get(reverse("home")).content.decode()
    assert "Dinas Pemberdayaan Masyarakat dan Desa" in html
    assert chart_url() in html
    assert "Rp 8.731.687.000" in html
    assert "Draf" in html or "Disetujui" in html


def test_admin_links_only_for_users_allowed_to_edit(client, demo):
    node = Node.objects.filter(pohon=demo, jenis="program").first()
    admin_link = reverse("admin:pohon_node_change", args=[node.pk])
    panel = f"/pohon/dpmd-lumajang/2018/node/{node.pk}/"
    client.login(username="kadis", password=DEMO_PASSWORD)
    assert "cc-edit" not in client.get(chart_url()).content.decode()
    assert admin_link not in client.get(panel).content.decode()
    client.login(username="admin", password=DEMO_PASSWORD)
    assert admin_link in client.get(chart_url() + "tabel/").content.decode()
    assert admin_link in client.get(panel).content.decode()  # on the chart: in the node's panel


def _build(pohon, size: int) -> None:
    """A chain-form tree of about ``size`` nodes, through the services."""
    tujuan = node_create(pohon=pohon, parent=None, jenis="tujuan", uraian="Tujuan")
    sasaran = node_create(pohon=pohon, parent=tujuan, jenis="sasaran", uraian="Sasaran")
    count = 2
    while count < size:
        program = node_create(pohon=pohon, parent=sasaran, jenis="program", uraian=f"Program {count}", pagu=Decimal(9))
        node_create(
            pohon=pohon, parent=program, jenis="indikator", uraian="Ind", target_angka=Decimal(1), satuan="desa"
        )
        for k in range(3):
            node_create(pohon=pohon, parent=program, jenis="kegiatan", uraian=f"Kegiatan {k}", pagu=Decimal(3))
        count += 5


@pytest.mark.parametrize("url_name", ["pohon:chart", "pohon:table"])
def test_query_count_does_not_grow_with_the_tree(admin_client, dinas, url_name):
    small, large = pohon_create(dinas=dinas, tahun=2020), pohon_create(dinas=dinas, tahun=2021)
    _build(small, 50)
    _build(large, 500)
    counts = []
    for pohon in (small, large):
        reset_queries()  # request_started clears the log; start the capture from an empty one
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse(url_name, args=[dinas.kode, pohon.tahun]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # the chart reads its crosscutting links (pohon.silang) in one more query
    assert counts[1] <= (11 if url_name == "pohon:chart" else 10)


def test_the_chart_names_the_operators_own_unit_boxes(client, demo):
    """The chart opens at the operator's own unit (static/pohon/chart-view.js): the page names
    the boxes of the unit their membership names, not the sections below it; nobody else's."""
    assert client.login(username="operator", password=DEMO_PASSWORD)
    own = Keanggotaan.objects.get(user__username="operator").unit
    division = Node.objects.get(pohon=demo, unit=own, jenis="bidang")
    html = client.get(chart_url()).content.decode()
    assert f'data-own-nodes="{division.pk}"' in html
    assert f'data-zoom-key="dpmd-lumajang/2018/{demo.revisi}"' in html
    client.logout()
    assert client.login(username="kadis", password=DEMO_PASSWORD)
    assert 'data-own-nodes=""' in client.get(chart_url()).content.decode()
