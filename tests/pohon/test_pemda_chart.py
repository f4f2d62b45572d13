"""The Pemda chart (issue 13 item 5) and the Pemda cascade's supporting agencies (item 7, Pemda
part): the page shows the Pemda tree and each supporting agency collapsed (name and count, not its
nodes), opening one fetches its nodes, the rights, a query count that does not grow with the
agencies, the draft PDF's text and the approved PDF frozen against later renames."""

import datetime
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dinas.models import Keanggotaan, Pejabat, PerangkatDaerah, UnitKerja
from dinas.services import PEMDA_KEPALA_UNIT
from pohon import rules
from pohon.documents import dokumen_render_draft, kaskade_pdf
from pohon.models import DokumenTerbit, Pohon
from pohon.pemda.lampiran import PemdaDukunganLampiran
from pohon.pemda.services import pemda_pohon_create, target_tahunan_set
from pohon.selectors import pohon_tree
from pohon.services import node_create, node_update, pohon_create
from pohon.targets import target_parse
from pohon.tautan.services import tautan_accept, tautan_propose
from pohon.workflow import pohon_approve, pohon_submit

Peran = Keanggotaan.Peran
TAHUN = 2016


def _user(username: str, dinas: PerangkatDaerah, peran: str):
    user = get_user_model().objects.create_user(username, password="rahasia-uji", is_staff=True)
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=peran)
    return user


@pytest.fixture
def rpjmd(pemda):
    p = pemda_pohon_create(pemda=pemda, tahun=2014, tahun_akhir=2018)
    v = node_create(pohon=p, parent=None, jenis=rules.VISI, kode="V1", uraian="Visi Lumajang sejahtera")
    m = node_create(pohon=p, parent=v, jenis=rules.MISI, kode="M1", uraian="Misi ekonomi desa")
    t = node_create(pohon=p, parent=m, jenis=rules.TUJUAN_PEMDA, kode="TP1", uraian="Tujuan Pemda desa maju")
    s = node_create(pohon=p, parent=t, jenis=rules.SASARAN_PEMDA, kode="SP1", uraian="Sasaran Pemda desa mandiri")
    si = node_create(pohon=p, parent=s, jenis=rules.INDIKATOR, kode="SP1.I1", uraian="IKU desa mandiri", satuan="%")
    target_tahunan_set(node=si, targets={y: target_parse(str(40 + y - 2014), "%") for y in range(2014, 2019)})
    tm = node_create(pohon=p, parent=s, jenis=rules.TEMATIK, kode="TM1", uraian="Tematik BUMDes")
    return {"pohon": p, "SP1": s, "TM1": tm}


def _agency(pemda, kode: str, nama: str, rpjmd, *, n_sasaran: int = 2) -> dict:
    """An agency tree of TAHUN with a Tujuan, Sasaran with IKU, and a Program (never shown on the
    Pemda chart), its Tujuan linked (accepted) to SP1 and its first Sasaran (waiting) to TM1."""
    dinas = PerangkatDaerah.objects.create(pemda=pemda, kode=kode, nama=nama)
    p = pohon_create(dinas=dinas, tahun=TAHUN)
    tujuan = node_create(pohon=p, parent=None, jenis=rules.TUJUAN, kode="T1", uraian=f"Tujuan {nama}")
    sasaran = []
    for i in range(1, n_sasaran + 1):
        s = node_create(pohon=p, parent=tujuan, jenis=rules.SASARAN, kode=f"S{i}", uraian=f"Sasaran {i} {nama}")
        node_create(pohon=p, parent=s, jenis=rules.INDIKATOR, kode=f"S{i}.I1", uraian=f"IKU {i} {nama}",
                    target_angka=70 + i, satuan="%")  # fmt: skip
        node_create(pohon=p, parent=s, jenis=rules.PROGRAM, kode=f"P{i}", uraian=f"Program rahasia {i} {nama}")
        sasaran.append(s)
    link = tautan_propose(node=tujuan, pemda_node=rpjmd["SP1"])
    tautan_accept(tautan=link)
    tautan_propose(node=sasaran[0], pemda_node=rpjmd["TM1"])
    return {"dinas": dinas, "pohon": p, "tujuan": tujuan, "sasaran": sasaran}


@pytest.fixture
def dpmd(pemda, rpjmd):
    return _agency(pemda, "dpmd-uji", "Dinas Pemberdayaan Masyarakat Desa", rpjmd)


@pytest.fixture
def people(rpjmd, dpmd, pemda, other_dinas):
    owner = rpjmd["pohon"].dinas
    lain = PerangkatDaerah.objects.create(pemda=pemda, kode="dinas-lain-uji", nama="Dinas Lain Uji")
    return {
        "bappeda": _user("bappeda", owner, Peran.BAPPEDA),
        "admin_pemda": _user("admin-pemda", owner, Peran.ADMIN),
        "kadis": _user("kadis", dpmd["dinas"], Peran.KEPALA_DINAS),
        "lain": _user("lain", lain, Peran.OPERATOR),
        "luar": _user("luar", other_dinas, Peran.ADMIN),
    }


def _chart_url(pemda, tahun=TAHUN) -> str:
    return reverse("pemda:chart", args=[pemda.kode, tahun])


def _fragment_url(pemda, dinas, node) -> str:
    return reverse("pemda:chart_dinas", args=[pemda.kode, TAHUN, dinas.kode]) + f"?butir={node.kunci}"


@pytest.mark.django_db
def test_chart_shows_the_pemda_tree_and_collapsed_agencies_with_counts(client, pemda, rpjmd, dpmd, people):
    client.force_login(people["bappeda"])
    response = client.get(_chart_url(pemda))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Visi Lumajang sejahtera", "Sasaran Pemda desa mandiri", "Tematik BUMDes", "2016: 42 %"):
        assert text in page
    assert page.count("Dinas Pemberdayaan Masyarakat Desa") == 2  # under SP1 and under TM1
    assert "1 butir mendukung" in page and "(1 menunggu)" in page
    # collapsed: none of the agency's nodes is sent
    assert "Tujuan Dinas Pemberdayaan" not in page and "Sasaran 1 Dinas" not in page
    assert _fragment_url(pemda, dpmd["dinas"], rpjmd["SP1"]).replace("&", "&amp;") in page
    # the period form of the URL works too
    assert client.get(reverse("pemda:chart", args=[pemda.kode, "2014-2018"])).status_code == 200


@pytest.mark.django_db
def test_opening_an_agency_returns_its_supporting_nodes(client, pemda, rpjmd, dpmd, people):
    client.force_login(people["bappeda"])
    response = client.get(_fragment_url(pemda, dpmd["dinas"], rpjmd["SP1"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tujuan Dinas Pemberdayaan Masyarakat Desa" in html
    assert "Sasaran 1 Dinas" in html and "Sasaran 2 Dinas" in html
    assert "IKU 1 Dinas Pemberdayaan Masyarakat Desa" in html and "71 %" in html
    assert "Program rahasia" not in html  # the agency's Program stays on its own chart
    assert dpmd["pohon"].chart_url() in html
    # under the Tematik: only the (waiting) Sasaran linked to it
    html = client.get(_fragment_url(pemda, dpmd["dinas"], rpjmd["TM1"])).content.decode()
    assert "Sasaran 1 Dinas" in html and "Sasaran 2 Dinas" not in html and "Tujuan Dinas" not in html


@pytest.mark.django_db
def test_rights(client, pemda, rpjmd, dpmd, people):
    chart, fragment = _chart_url(pemda), _fragment_url(pemda, dpmd["dinas"], rpjmd["SP1"])
    assert client.get(chart).status_code == 302  # to the login page
    client.force_login(people["admin_pemda"])
    assert client.get(fragment).status_code == 200
    client.force_login(people["kadis"])  # an agency role of the Pemda: read-only, its own agency
    page = client.get(chart)
    assert page.status_code == 200 and b"Buat pohon" not in page.content
    assert client.get(fragment).status_code == 200
    client.force_login(people["lain"])  # another agency of the Pemda: the chart, not DPMD's nodes
    page = client.get(chart).content.decode()
    assert "pc-tertutup" in page and 'data-url="' not in page
    response = client.get(fragment)
    assert response.status_code == 403 and b"Tujuan Dinas" not in response.content
    client.force_login(people["luar"])  # another Pemda
    assert client.get(chart).status_code == 404
    assert client.get(fragment).status_code == 404
    client.force_login(people["bappeda"])
    assert client.get(reverse("pemda:chart", args=[pemda.kode, 2030])).status_code == 404  # no tree covers it
    assert client.get(f"/pemda/{pemda.kode}/lain/").status_code == 404
    bad = reverse("pemda:chart_dinas", args=[pemda.kode, TAHUN, dpmd["dinas"].kode]) + "?butir=x"
    assert client.get(bad).status_code == 404


@pytest.mark.django_db
def test_query_count_does_not_grow_with_agencies(client, pemda, rpjmd, dpmd, people):
    client.force_login(people["bappeda"])
    client.get(_chart_url(pemda))  # warm caches (content types, sessions)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_chart_url(pemda)).status_code == 200
        # the test's transaction wraps the request in a savepoint: not the page's queries
        return len([q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))])

    one = count()
    for i in range(4):
        _agency(pemda, f"dinas-{i}", f"Dinas Tambahan {i}", rpjmd, n_sasaran=3)
    five = count()
    assert five == one, (one, five)
    assert five <= 12
    assert client.get(_chart_url(pemda)).content.decode().count("pc-dinas") >= 10


def _pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.django_db
def test_draft_pdf_prints_the_agencies_as_boxes_under_their_sasaran_pemda(rpjmd, dpmd):
    at = datetime.date(TAHUN, 5, 1)
    from pohon.pemda import dukungan

    assert dukungan.pemda_dukungan_tahun(rpjmd["pohon"], at) == TAHUN
    assert dukungan.pemda_dukungan_tahun(rpjmd["pohon"], datetime.date(2030, 1, 1)) == 2018
    rows = dukungan.pemda_dukungan_rows(pohon_tree(rpjmd["pohon"]), TAHUN)
    assert [r.kode for r in rows if r.dinas] == ["T1", "S1", "S1.I1", "S2", "S2.I1", "S1", "S1.I1"]
    assert {r.pemda_kunci for r in rows} == {str(rpjmd["SP1"].kunci), str(rpjmd["TM1"].kunci)}
    text = " ".join(_pdf_text(dokumen_render_draft(pohon=rpjmd["pohon"], kertas="A3", tahun=TAHUN).pdf).split())
    # (pdftotext -layout reads a line across boxes side by side: one box's line at a time)
    expected = ["SASARAN PEMDA", "Sasaran Pemda desa mandiri", "TEMATIK", "Tematik BUMDes"]
    expected += ["Perangkat Daerah pendukung", "Dinas Pemberdayaan Masyarakat Desa"]
    expected += ["TUJUAN T1 : Tujuan Dinas Pemberdayaan", "SASARAN S2 : Sasaran 2 Dinas"]
    expected += ["INDIKATOR S1.I1 : IKU 1 Dinas"]
    expected += ["Target: 71 %", "(menunggu persetujuan)"]
    for item in expected:
        assert item in text, item
    assert "Program rahasia" not in text
    assert "LAMPIRAN" not in text  # the boxes are the cascade's, no annex after it
    assert "Total Pagu" not in text  # a Pemda tree has no Pagu


@pytest.mark.django_db
def test_agency_boxes_hang_under_the_pemda_box_they_support(rpjmd, dpmd):
    """Under SP1: its Tematik, then the agency's box with its linked Tujuan; under TM1 the
    agency's box with the waiting Sasaran only. Drawn by the cascade's own layout."""
    from pohon.pdf import PdfInput, pdf_html
    from pohon.pdf.layout import AgencyBox
    from pohon.pemda.cetak import pemda_print_boxes
    from pohon.pemda.dukungan import pemda_dukungan_live

    tree = pohon_tree(rpjmd["pohon"])
    rows = pemda_dukungan_live(rpjmd["pohon"], TAHUN)
    head = pemda_print_boxes(tree, rows)
    (sp1,) = head.children
    assert sp1.node.pk == rpjmd["SP1"].pk
    tm1, agency = sp1.children
    assert tm1.node.pk == rpjmd["TM1"].pk and isinstance(agency, AgencyBox)
    assert agency.dinas == "Dinas Pemberdayaan Masyarakat Desa"
    assert [r["kode"] for r in agency.rows] == ["T1", "S1", "S1.I1", "S2", "S2.I1"]
    (under_tematik,) = tm1.children
    assert [r["kode"] for r in under_tematik.rows] == ["S1", "S1.I1"]
    assert under_tematik.rows[0]["status"] == "menunggu"
    # Rows frozen before the Pemda node's key was kept find their boxes by the tree's order.
    legacy = [{k: v for k, v in row.items() if k != "pemda_kunci"} for row in rows]
    old = pemda_print_boxes(tree, legacy)
    assert [r["kode"] for r in old.children[0].children[1].rows] == ["T1", "S1", "S1.I1", "S2", "S2.I1"]
    html = pdf_html(PdfInput(tree=tree, kertas="A3", boxes=head))
    cascade = html[: html.index('id="pokin-akhir-kaskade"')]
    assert cascade.count('class="box dinas"') == 2 and 'class="box sasaran_pemda' in cascade


@pytest.mark.django_db
def test_pemda_pdf_with_many_agencies_still_prints_every_agency(pemda, rpjmd, dpmd):
    """More agencies under one Sasaran Pemda than the sheet has columns: the layout prints the
    Pemda's boxes in parts (as an agency tree too wide for a sheet), every agency still in it."""
    for i in range(17):
        _agency(pemda, f"dinas-banyak-{i}", f"Dinas Banyak {i:02d}", rpjmd, n_sasaran=1)
    text = " ".join(_pdf_text(dokumen_render_draft(pohon=rpjmd["pohon"], kertas="A3", tahun=TAHUN).pdf).split())
    for i in range(17):
        assert f"Dinas Banyak {i:02d}" in text, i


@pytest.mark.django_db
def test_pdf_page_queues_the_draft_job_a3_by_default(client, pemda, rpjmd, dpmd, people):
    client.force_login(people["kadis"])
    url = reverse("pemda:pdf", args=[pemda.kode, TAHUN])
    page = client.get(url)
    assert page.status_code == 200 and "kertas A3" in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    from core.models import Pekerjaan

    job = Pekerjaan.objects.get()
    assert job.parameter["kertas"] == "A3" and job.kunci.startswith("pdf-draf-pemda:")
    assert client.post(url).url == response.url  # the same job while nothing changes


def _pdf_page_size(data: bytes) -> str:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return next(line for line in info.splitlines() if line.startswith("Page size"))


@pytest.mark.django_db
def test_approved_pemda_pdf_unchanged_after_an_agency_renames_a_linked_node(
    client, pemda, rpjmd, dpmd, people, signing_certificate
):
    pohon = rpjmd["pohon"]
    kepala = UnitKerja.objects.get(dinas=pohon.dinas, kode=PEMDA_KEPALA_UNIT)
    Pejabat.objects.create(nama="IR. KEPALA BAPPEDA", nip="197001012000031001", jabatan="Kepala Bappeda",
                           unit=kepala, tahun_mulai=2010)  # fmt: skip
    pohon_submit(pohon=pohon, user=None)
    at = datetime.datetime(TAHUN, 2, 3, 9, 0, tzinfo=timezone.get_current_timezone())
    pengesahan = pohon_approve(pohon=pohon, user=None, at=at)
    lampiran = PemdaDukunganLampiran.objects.get(pengesahan=pengesahan)
    assert lampiran.tahun == TAHUN and any(
        r["uraian"] == "Tujuan Dinas Pemberdayaan Masyarakat Desa" for r in lampiran.baris
    )
    assert any(r["jenis"] == rules.INDIKATOR and r["target"] == "71 %" for r in lampiran.baris)
    before = _pdf_text(kaskade_pdf(pengesahan.dokumen, "A3").pdf)
    node_update(node=dpmd["tujuan"], uraian="Tujuan baru setelah disahkan")
    node_update(node=dpmd["sasaran"][1], uraian="Sasaran baru setelah disahkan")
    after = _pdf_text(kaskade_pdf(pengesahan.dokumen, "A3").pdf)
    assert after == before
    flat = " ".join(before.split())
    for item in ["Perangkat Daerah pendukung", "Dinas Pemberdayaan Masyarakat Desa", "TUJUAN T1 : Tujuan Dinas",
                 "SASARAN S2 : Sasaran 2 Dinas", "INDIKATOR S2.I1 : IKU 2 Dinas", "Target: 72 %",
                 "KEPALA BAPPEDA", "IR. KEPALA BAPPEDA", "19700101 200003 1 001"]:  # fmt: skip
        assert item in flat, item
    assert "Tujuan baru" not in after and "Sasaran baru" not in after and "DRAF" not in flat
    # The signed document, A3 by default on the Pemda's PDF page, prints the same boxes.
    client.force_login(people["bappeda"])
    response = client.get(reverse("pemda:pdf", args=[pemda.kode, TAHUN]))
    assert response.status_code == 302 and "kertas=A3" in response.url
    signed = DokumenTerbit.objects.get(dokumen=pengesahan.dokumen, kertas="A3")
    signed_text = " ".join(_pdf_text(bytes(signed.pdf)).split())
    assert "Perangkat Daerah pendukung" in signed_text and "TUJUAN T1 : Tujuan Dinas" in signed_text
    assert "IKU 2 Dinas" in signed_text and "IR. KEPALA BAPPEDA" in signed_text
    size = _pdf_page_size(bytes(signed.pdf))
    assert "1190.55 x 841.89" in size or "(A3)" in size, size
    # an agency tree's approval freezes no such annex
    assert Pohon.objects.get(pk=dpmd["pohon"].pk).status == Pohon.Status.DRAF


@pytest.mark.django_db
def test_pemda_page_links_to_the_chart(client, pemda, rpjmd, people):
    client.force_login(people["bappeda"])
    page = client.get(reverse("pemda:detail", args=[pemda.kode])).content.decode()
    assert reverse("pemda:chart", args=[pemda.kode, 2014]) in page


@pytest.mark.django_db
def test_opened_agency_marks_its_crosscut_nodes_with_the_partner(client, pemda, rpjmd, dpmd, people):
    from pohon.silang.services import silang_request

    mitra = PerangkatDaerah.objects.create(pemda=pemda, kode="dinas-mitra", nama="Dinas Mitra Uji")
    unit = UnitKerja.objects.create(dinas=mitra, kode="bidang-mitra", nama="Bidang Mitra Uji", jenis="bidang")
    pohon_create(dinas=mitra, tahun=TAHUN)
    silang_request(node=dpmd["sasaran"][0], penerima_unit=unit, catatan="Mohon dukungan")
    client.force_login(people["bappeda"])
    html = client.get(_fragment_url(pemda, dpmd["dinas"], rpjmd["SP1"])).content.decode()
    assert "cs-silang" in html and "Bidang Mitra Uji, Dinas Mitra Uji" in html


@pytest.mark.django_db
def test_the_chart_urls_leave_the_pemdas_other_pages_alone(client, pemda, rpjmd, people):
    client.force_login(people["bappeda"])
    page = client.get(_chart_url(pemda)).content.decode()
    assert reverse("pemda:keselarasan", args=[pemda.kode, TAHUN]) in page
    assert reverse("pemda:tautan", args=[pemda.kode]) == f"/pemda/{pemda.kode}/tautan/"
    assert client.get(reverse("pemda:tautan", args=[pemda.kode])).status_code == 200


def test_the_bappeda_rule_has_one_place():
    """``pohon.pemda.permissions`` holds the rule; the Pemda views re-export it for older imports,
    and no other module of pohon imports it from the views."""
    from pathlib import Path

    from pohon.pemda import permissions, views

    assert views.user_is_bappeda is permissions.user_is_bappeda
    assert views.user_sees_pemda is permissions.user_sees_pemda
    root = Path(permissions.__file__).resolve().parent.parent
    offending = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "from pohon.pemda.views import" in path.read_text(encoding="utf-8")
    ]
    assert offending == []


def _panel_url(pemda, node) -> str:
    return reverse("pemda:node_panel", args=[pemda.kode, TAHUN, node.pk])


@pytest.mark.django_db
def test_a_pemda_nodes_panel_shows_its_indikator_per_year_and_the_supporting_nodes(client, pemda, rpjmd, dpmd, people):
    client.force_login(people["bappeda"])
    page = client.get(_chart_url(pemda)).content.decode()
    assert reverse("pemda:node_panel", args=[pemda.kode, TAHUN, 0]) in page and 'id="node-panel"' in page
    assert f'id="n-{rpjmd["SP1"].pk}" tabindex="0"' in page  # the box opens its panel (panel.js)
    response = client.get(_panel_url(pemda, rpjmd["SP1"]))
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert "Sasaran Pemda · SP1" in html and "Sasaran Pemda desa mandiri" in html
    fields = html.split('<dl class="np-fields">', 1)[1].split("</dl>", 1)[0]
    assert "Unit kerja" not in fields  # a Pemda node belongs to no unit of an agency
    assert "SP1.I1</strong> IKU desa mandiri" in html
    for tahun, target in zip(range(2014, 2019), ["40 %", "41 %", "42 %", "43 %", "44 %"], strict=True):
        assert f'<th scope="col">{tahun}</th>' in html and f"<td>{target}</td>" in html
    # the agency's node supporting it, linked to that node on the agency's chart
    assert "Dinas Pemberdayaan Masyarakat Desa 2016: T1 Tujuan Dinas Pemberdayaan Masyarakat Desa" in html
    assert dpmd["pohon"].chart_url() in html
    # read only on the Pemda chart, although Bappeda edits this tree on its own chart
    assert "np-actions" not in html and "Pulihkan" not in html
    assert f'href="{rpjmd["pohon"].chart_url()}"' in html
    # an agency node opened on the Pemda chart: its own panel, read only, and the way to its chart
    html = client.get(_panel_url(pemda, dpmd["tujuan"])).content.decode()
    assert "Tujuan Dinas Pemberdayaan Masyarakat Desa" in html and "np-actions" not in html
    assert "Buka bagan lengkap Dinas Pemberdayaan Masyarakat Desa 2016" in html


@pytest.mark.django_db
def test_the_pemda_panels_rights(client, pemda, rpjmd, dpmd, people, other_dinas):
    sp1, tujuan = _panel_url(pemda, rpjmd["SP1"]), _panel_url(pemda, dpmd["tujuan"])
    assert client.get(sp1).status_code == 302  # to the login page
    client.force_login(people["kadis"])  # an agency's role reads the Pemda tree and its own nodes
    assert client.get(sp1).status_code == 200 and client.get(tujuan).status_code == 200
    client.force_login(people["lain"])  # another agency: the Pemda's node, not DPMD's
    assert client.get(sp1).status_code == 200
    response = client.get(tujuan)
    assert response.status_code == 404 and b"Tujuan Dinas" not in response.content
    client.force_login(people["luar"])  # another Pemda: nothing
    assert client.get(sp1).status_code == 404 and client.get(tujuan).status_code == 404
    foreign = node_create(pohon=pohon_create(dinas=other_dinas, tahun=TAHUN), parent=None, jenis=rules.TUJUAN,
                          kode="T9", uraian="Tujuan Pemda lain")  # fmt: skip
    client.force_login(people["bappeda"])  # a node of another Pemda under this Pemda's address
    assert client.get(_panel_url(pemda, foreign)).status_code == 404


@pytest.mark.django_db
def test_the_demo_pemda_cascade_prints_the_dpmd_under_its_sasaran_pemda(demo_approved):
    """The demo as a new user finds it: the example Pemda tree 2014-2018 with the DPMD's Tujuan
    supporting Sasaran Pemda V1.M1.T1.S1, printed on A3 with the DPMD's box in the cascade."""
    pohon = Pohon.objects.get(dinas__pemda=demo_approved.dinas.pemda, dinas__jenis=PerangkatDaerah.Jenis.PEMDA)
    result = dokumen_render_draft(pohon=pohon, kertas="A3", tahun=2018)
    assert "(A3)" in _pdf_page_size(result.pdf) or "1190.55 x 841.89" in _pdf_page_size(result.pdf)
    text = " ".join(_pdf_text(result.pdf).split())
    for item in ["PERIODE RPJMD 2014-2018", "SASARAN PEMDA", "Meningkatnya kapasitas pemerintahan desa",
                 "Perangkat Daerah pendukung", "Dinas Pemberdayaan Masyarakat dan Desa",
                 "TUJUAN T1 : Meningkatnya Keberdayaan Masyarakat dan Desa", "INDIKATOR T1.I1 : Penurunan jumlah desa",
                 "SASARAN T1.S1 : Meningkatnya Keberdayaan Masyarakat"]:  # fmt: skip
        assert item in text, item
    assert "PROGRAM" not in text and "Program peningkatan" not in text  # Tujuan/Sasaran/Indikator only
