"""An edit on the chart answers with the changed boxes and the totals above them, not the whole
chart (pohon.chart_partial): the boxes' markup and the totals equal a full render's, unrelated
boxes are not sent, and the number of queries does not grow with the tree.

The trees are ``pohon.sample``'s: Bidang ``B1`` ... with Programs ``B1.P1`` (with Pagu) and Seksi
``B1.K1`` ..., each Seksi with Kegiatan ``B1.K1.G1`` ... whose Sub Kegiatan ``B1.K1.G1.1`` carry the
Pagu; the Tujuan ``T1`` stands in the head's box.
"""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dinas.models import PerangkatDaerah
from pohon.chart import ChartRenderer, all_boxes
from pohon.models import Node, Pohon
from pohon.sample import sample_tree_create
from pohon.selectors import pohon_tree
from tests.conftest import Client, pemda_named

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
BAGAN = {"halaman": "bagan"}
OOB = re.compile(r' hx-swap-oob="[^"]*"')


def make_tree(kode: str, size: int) -> Pohon:
    dinas = PerangkatDaerah.objects.create(kode=kode, nama=f"Dinas {kode}", pemda=pemda_named("Kabupaten Uji"))
    return sample_tree_create(dinas=dinas, tahun=2026, size=size)


@pytest.fixture
def sample() -> Pohon:
    return make_tree("uji", 200)


@pytest.fixture
def admin(db) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    return client


def node(pohon: Pohon, kode: str) -> Node:
    return Node.objects.get(pohon=pohon, kode=kode)


def post(client: Client, pohon: Pohon, kode: str, action: str, data: dict):
    n = node(pohon, kode)
    url = f"/pohon/{pohon.dinas.kode}/2026/node/{n.pk}/{action}/"
    response = client.post(url, {"versi": n.versi, **BAGAN, **data}, **HTMX)
    assert response.status_code == 200 and response["HX-Reswap"] == "none", response.content[:300]
    return response


def update(client: Client, pohon: Pohon, kode: str, **fields):
    n = node(pohon, kode)
    return post(client, pohon, kode, "ubah", {"uraian": n.uraian, **fields})


def full_chart(pohon: Pohon) -> tuple[str, ChartRenderer, dict]:
    """The whole chart as the chart page renders it, its renderer and its boxes by node id."""
    renderer = ChartRenderer(pohon_tree(pohon))
    html = renderer.render()
    boxes = {box.node.pk if box.node else None: box for box in all_boxes(renderer.prepare())}
    return html, renderer, boxes


def swaps(html: str) -> dict[str, str]:
    """The out-of-band swaps of a partial answer: target -> the element without its attribute."""
    found = {}
    for match in re.finditer(r'<(\w+)([^>]*) hx-swap-oob="([^"]*)"', html):
        tag, target = match.group(1), match.group(3)
        if target == "true":  # swapped with the element of the same id
            target = "#" + re.search(r'id="([^"]+)"', match.group(2))[1]
        depth, position = 0, match.start()
        # the element runs to its matching closing tag
        for tag_match in re.finditer(rf"<{tag}[\s>]|</{tag}>", html[position:]):
            depth += -1 if tag_match.group().startswith("</") else 1
            if depth == 0:
                found[target] = OOB.sub("", html[position : position + tag_match.end()], count=1)
                break
    return found


def assert_matches_full_render(pohon: Pohon, html: str) -> dict[str, str]:
    """Every box, branch and total sent equals the full chart's markup of it after the edit."""
    full, renderer, boxes = full_chart(pohon)
    sent = swaps(html)
    assert sent, html[:300]
    for target, markup in sent.items():
        if target.startswith("#n-") or target.startswith("outerHTML:li:has"):
            assert markup in full, target
        elif target.endswith("> .cc-total"):
            pk = None if target == "outerHTML:#cc-head > .cc-total" else int(re.search(r"#n-(\d+)", target)[1])
            assert markup == renderer.render_total(boxes[pk]), target
            assert markup in full
        else:
            assert target == "#total-pagu"
            assert markup == f'<strong id="total-pagu">Rp {pohon_tree(pohon).total_pagu:,.0f}</strong>'.replace(
                ",", "."
            )
    return sent


def jumlah(pohon: Pohon, kode: str) -> str:
    return f"{pohon_tree(pohon).totals[node(pohon, kode).pk]:,.0f}".replace(",", ".")


def test_a_box_alone_has_the_markup_of_the_full_render(sample):
    html, renderer, boxes = full_chart(sample)
    for kode in ("B1", "B1.K1", "B2.K3"):
        box = boxes[node(sample, kode).pk]
        assert renderer.render_box(box) in html
        assert renderer.render_branch(box) in html
        assert renderer.render_total(box) in renderer.render_box(box)


def test_an_update_sends_its_box_and_the_totals_above(admin, sample):
    before = jumlah(sample, "B1")
    html = update(admin, sample, "B1.K1.G1.1", pagu="Rp 7.000.000").content.decode()
    assert jumlah(sample, "B1") != before
    sent = assert_matches_full_render(sample, html)
    seksi, bidang = node(sample, "B1.K1").pk, node(sample, "B1").pk
    assert set(sent) == {
        f"#n-{seksi}",  # the section's box, whose item changed, alone
        f"outerHTML:#n-{bidang} > .cc-total",
        "outerHTML:#cc-head > .cc-total",
        "#total-pagu",
    }
    assert "Rp 7.000.000" in sent[f"#n-{seksi}"]
    assert f"Jumlah Pagu: <strong>Rp {jumlah(sample, 'B1')}</strong>" in sent[f"outerHTML:#n-{bidang} > .cc-total"]
    assert f"Total Pagu: <strong>Rp {jumlah(sample, 'T1')}" in sent["outerHTML:#cc-head > .cc-total"]
    # nothing of the other branches
    assert f'id="n-{node(sample, "B2").pk}"' not in html and "Kegiatan 2.1.1" not in html
    assert "Kegiatan 1.2.1" not in html and 'id="chart"' not in html
    event = json.loads(update(admin, sample, "B1.K1.G1")["HX-Trigger-After-Swap"])
    assert event["pokinEdited"]["node"] == node(sample, "B1.K1.G1").pk
    assert event["pokinEdited"]["refresh"].startswith(f"/pohon/{sample.dinas.kode}/2026/periksa/")


def test_an_add_sends_the_parents_branch(admin, sample):
    data = {"jenis": "sub_kegiatan", "uraian": "Sub kegiatan baru", "kode": "BARU", "pagu": "Rp 2.000.000"}
    html = post(admin, sample, "B1.K2.G1", "tambah", data).content.decode()
    sent = assert_matches_full_render(sample, html)
    seksi = node(sample, "B1.K2").pk
    branch = sent[f"outerHTML:li:has(> #n-{seksi})"]
    assert "Sub kegiatan baru" in branch and f"Jumlah Pagu: <strong>Rp {jumlah(sample, 'B1.K2')}" in branch
    assert f"Rp {jumlah(sample, 'B1')}" in sent[f"outerHTML:#n-{node(sample, 'B1').pk} > .cc-total"]
    assert "Kegiatan 1.1.1" not in html and "Kegiatan 2.1.1" not in html


def test_a_move_sends_both_branches(admin, sample):
    moved = node(sample, "B1.K1.G2")
    html = post(admin, sample, "B1.K1.G2", "pindah", {"parent": node(sample, "B2.K1").pk}).content.decode()
    assert node(sample, "B1.K1.G2").parent_id == node(sample, "B2.K1").pk
    sent = assert_matches_full_render(sample, html)
    old, new = (sent[f"outerHTML:li:has(> #n-{node(sample, k).pk})"] for k in ("B1.K1", "B2.K1"))
    assert f'id="n-{moved.pk}"' not in old and f'id="n-{moved.pk}"' in new
    for kode in ("B1", "B2"):
        assert f"Rp {jumlah(sample, kode)}" in sent[f"outerHTML:#n-{node(sample, kode).pk} > .cc-total"]
    assert "Kegiatan 3.1.1" not in html


def test_a_move_up_among_siblings_sends_one_branch(admin, sample):
    html = post(admin, sample, "B1.K1.G2", "pindah", {"arah": "naik"}).content.decode()
    sent = assert_matches_full_render(sample, html)
    branch = sent[f"outerHTML:li:has(> #n-{node(sample, 'B1.K1').pk})"]
    assert branch.index("Kegiatan 1.1.2") < branch.index("Kegiatan 1.1.1")


def test_a_delete_sends_the_former_parents_branch(admin, sample):
    before = Decimal(jumlah(sample, "B1").replace(".", ""))
    pagu = node(sample, "B1.K3.G1.1").pagu
    html = post(admin, sample, "B1.K3.G1", "hapus", {}).content.decode()
    assert Decimal(jumlah(sample, "B1").replace(".", "")) == before - pagu
    sent = assert_matches_full_render(sample, html)
    branch = sent[f"outerHTML:li:has(> #n-{node(sample, 'B1.K3').pk})"]
    assert "Kegiatan 1.3.1 " not in branch and "Kegiatan 1.3.2" in branch


def test_a_box_appearing_sends_the_branch_above_it(admin, sample):
    data = {"jenis": "seksi", "uraian": "KASIE BARU", "kode": "B1.K9"}
    html = post(admin, sample, "B1", "tambah", data).content.decode()
    sent = assert_matches_full_render(sample, html)
    assert "KASIE BARU" in sent[f"outerHTML:li:has(> #n-{node(sample, 'B1').pk})"]


def test_a_change_at_the_top_sends_the_whole_chart(admin, sample):
    html = update(admin, sample, "T1", uraian="Tujuan yang diubah").content.decode()
    assert 'id="chart"' in html and "Tujuan yang diubah" in html and "hx-swap-oob" not in html


def test_the_checks_and_header_come_after(admin, sample):
    response = update(admin, sample, "B1.K1.G1.1", pagu="")
    refresh = json.loads(response["HX-Trigger-After-Swap"])["pokinEdited"]["refresh"]
    html = admin.get(refresh, **HTMX).content.decode()
    assert 'id="pohon-meta"' in html and 'id="pohon-checks"' in html
    assert f"Rp {jumlah(sample, 'T1')}" in html  # the header's Total Pagu
    assert "B1.K1.G1" in html  # its Kegiatan now has no Pagu below it: a finding


def test_queries_do_not_grow_with_the_tree(admin):
    counts = []
    for kode, size in (("kecil", 200), ("besar", 2000)):
        pohon = make_tree(kode, size)
        for action in ("ubah", "tambah", "hapus"):
            kegiatan = "B1.K2.G2"
            data = {
                "ubah": {"uraian": "Diubah", "pagu": ""},
                "tambah": {"jenis": "indikator", "uraian": "Indikator baru", "kode": f"I-{kode}"},
                "hapus": {},
            }[action]
            with CaptureQueriesContext(connection) as queries:
                response = post(admin, pohon, kegiatan if action != "hapus" else f"I-{kode}", action, data)
            assert "hx-swap-oob" in response.content.decode()
            counts.append((action, len(queries)))
    assert counts[:3] == counts[3:]


def test_a_nodes_own_pagu_wins_over_its_childrens_in_the_totals_above(admin, sample):
    update(admin, sample, "B1.K1.G1", pagu="Rp 1.000")  # the Kegiatan's own Pagu, below its Sub Kegiatan's
    before = jumlah(sample, "B1")
    html = update(admin, sample, "B1.K1.G1.1", pagu="Rp 9.999.999").content.decode()
    assert jumlah(sample, "B1") == before  # the Kegiatan's own Pagu still counts, not its child's
    sent = assert_matches_full_render(sample, html)
    assert f"Rp {before}" in sent[f"outerHTML:#n-{node(sample, 'B1').pk} > .cc-total"]
