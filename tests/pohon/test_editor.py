"""The table page's editor, through the Django client: every edit goes through the services, and
every refusal (wrong kind, another unit's branch, Kepala Dinas, a frozen tree, a stale page)
leaves the tree exactly as it was.

In the demo, ``operator`` belongs to Bidang Pemberdayaan Masyarakat (``B1``, sections ``B1.K1``
...); ``B3`` is Bidang Bina Pemerintahan Desa.
"""

import json
import re
from decimal import Decimal

import pytest

from pohon.models import Node, NodeRiwayat, Pohon
from pohon.selectors import pohon_dump, pohon_tree
from tests.conftest import DEMO_PASSWORD, Client

pytestmark = pytest.mark.django_db

TABLE = "/pohon/dpmd-lumajang/2018/tabel/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


@pytest.fixture
def operator(demo) -> Client:
    return login("operator")


def node(kode: str) -> Node:
    return Node.objects.get(pohon__dinas__kode="dpmd-lumajang", kode=kode)


def url(kode: str, action: str) -> str:
    return f"/pohon/dpmd-lumajang/2018/node/{node(kode).pk}/{action}/"


def dump(pohon: Pohon) -> str:
    return pohon_dump(pohon_tree(pohon))


def total(kode: str) -> Decimal | None:
    n = node(kode)
    return pohon_tree(n.pohon).totals[n.pk]


def children(kode: str) -> list[str]:
    return list(node(kode).get_children().values_list("kode", flat=True))


def add_kegiatan(client: Client, under: str = "B1.K1", **data) -> object:
    fields = {"jenis": "kegiatan", "uraian": "Kegiatan uji", "kode": "UJI1", "pagu": "Rp 1.500.000.000"}
    fields |= {"versi": node(under).versi, **data}
    return client.post(url(under, "tambah"), fields, **HTMX)


# --- the page -------------------------------------------------------------------------------


def test_operator_sees_controls_on_own_branch_only(operator):
    html = operator.get(TABLE).content.decode()
    marked = set(re.findall(r'<td class="pt-kode">([^<]+)</td>(?:(?!</tr>).)*data-pe="\d+ [cud]*"', html))
    assert {"B1", "B1.K1", "B1.K1.G1"} <= marked  # editor.js builds these rows' buttons
    assert not any(kode.startswith("B3") for kode in marked)
    assert "T1" not in marked  # the head's Tujuan belongs to the Kepala Dinas
    assert "vendor/htmx.min.js" in html and 'hx-headers=\'{"X-CSRFToken": ' in html


def test_kadis_and_frozen_trees_show_no_controls(demo):
    html = login("kadis").get(TABLE).content.decode()
    assert "data-pe=" not in html and "vendor/htmx.min.js" not in html and "hx-headers" not in html
    Pohon.objects.filter(pk=demo.pk).update(status=Pohon.Status.DISETUJUI)
    assert "data-pe=" not in login("operator").get(TABLE).content.decode()


def test_table_page_queries_do_not_grow_with_the_tree(operator, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert operator.get(TABLE).status_code == 200


# --- each edit -------------------------------------------------------------------------------


def test_add_form_offers_only_the_allowed_kinds(operator):
    response = operator.get(url("B1.K1", "tambah") + f"?versi={node('B1.K1').versi}", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<tr class="pe-form-row"')
    assert '<option value="kegiatan">Kegiatan</option>' in html
    assert 'value="program"' not in html and 'value="tujuan"' not in html
    assert 'data-jenis="kegiatan program sub_kegiatan"' in html  # Pagu only for budgeted kinds


def test_add_kegiatan_with_pagu_refreshes_rows_totals_and_checks(operator):
    before = total("B1")
    response = add_kegiatan(operator)
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assert "pokinEdited" in response["HX-Trigger-After-Swap"]
    html = response.content.decode()
    for region in ('id="pohon-rows"', 'id="pohon-foot"', 'id="pohon-meta"', 'id="pohon-checks"'):
        assert region in html
    assert "Kegiatan uji" in html and "Rp 1.500.000.000" in html
    added = node("UJI1")
    assert (added.parent.kode, added.jenis, added.pagu) == ("B1.K1", "kegiatan", Decimal(1_500_000_000))
    assert total("B1") == (before or 0) + Decimal(1_500_000_000)


def test_a_plain_post_without_htmx_redirects_to_the_table(operator):
    fields = {"jenis": "kegiatan", "uraian": "Tanpa skrip", "versi": node("B1.K1").versi}
    response = operator.post(url("B1.K1", "tambah"), fields)
    assert response.status_code == 302 and response["Location"] == TABLE
    assert Node.objects.filter(uraian="Tanpa skrip", parent=node("B1.K1")).exists()


def test_edit_pagu(operator):
    add_kegiatan(operator)
    response = operator.post(
        url("UJI1", "ubah"), {"uraian": "Kegiatan uji", "pagu": "2.000.000.000", "versi": node("UJI1").versi}, **HTMX
    )
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    assert node("UJI1").pagu == Decimal(2_000_000_000)


def test_edit_form_shows_the_fields_of_the_kind(operator):
    html = operator.get(url("B1.P1", "ubah"), **HTMX).content.decode()
    assert 'name="pagu"' in html and 'value="Rp 2.078.747.000"' in html
    assert 'name="target"' not in html


def test_reorder_up_and_down(operator):
    add_kegiatan(operator)
    siblings = children("B1.K1")
    assert siblings[-1] == "UJI1"
    response = operator.post(url("UJI1", "pindah"), {"arah": "naik", "versi": node("UJI1").versi}, **HTMX)
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    assert children("B1.K1") == [*siblings[:-2], "UJI1", siblings[-2]]
    operator.post(url("UJI1", "pindah"), {"arah": "turun", "versi": node("UJI1").versi}, **HTMX)
    assert children("B1.K1") == siblings


def test_reorder_past_the_end_is_refused_with_a_message(operator):
    first = children("B1.K1")[0]
    before = dump(node("B1").pohon)
    response = operator.post(url(first, "pindah"), {"arah": "naik", "versi": node(first).versi}, **HTMX)
    assert response.status_code == 200
    assert "sudah berada di urutan pertama" in response.content.decode()
    assert dump(node("B1").pohon) == before


def test_move_under_another_parent(operator):
    add_kegiatan(operator)
    form = operator.get(url("UJI1", "pindah"), **HTMX).content.decode()
    assert f'value="{node("B1.K2").pk}"' in form  # another section of the same division
    assert f'value="{node("B3.K1").pk}"' not in form  # another unit's section
    assert f'value="{node("B1.P1").pk}"' in form  # a Program holds Kegiatan too
    assert f'value="{node("B1.K1.G1").pk}"' not in form  # a Kegiatan holds no Kegiatan
    response = operator.post(url("UJI1", "pindah"), {"parent": node("B1.K2").pk, "versi": node("UJI1").versi}, **HTMX)
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    assert node("UJI1").parent.kode == "B1.K2"


def test_delete_asks_with_the_count_then_deletes_the_subtree(operator):
    section = node("B1.K1")
    below = section.get_descendant_count()
    assert below > 1
    form = operator.get(url("B1.K1", "hapus"), **HTMX).content.decode()
    assert f"Hapus Seksi ini beserta {below} butir di bawahnya?" in form
    response = operator.post(url("B1.K1", "hapus"), {"versi": section.versi}, **HTMX)
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    assert f"({below + 1} butir)" in response["HX-Trigger-After-Swap"]
    assert not Node.objects.filter(kode__startswith="B1.K1").exists()


# --- refusals: each leaves the tree as it was -------------------------------------------------


@pytest.fixture
def unchanged(demo):
    """Assert after the test that the tree's dump (kode, parent, kind, Pagu) did not change."""
    before = dump(demo)
    yield
    assert dump(demo) == before


def test_wrong_kind_is_refused_with_the_rule_message(operator, unchanged):
    response = add_kegiatan(operator, jenis="program")
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Reswap" not in response
    assert "Program tidak boleh berada di bawah Seksi" in html
    assert 'class="pe-field pe-field-jenis has-error"' in html


def test_invalid_pagu_is_refused_next_to_the_field(operator, unchanged):
    html = add_kegiatan(operator, pagu="dua juta").content.decode()
    assert "bukan angka Rupiah" in html
    assert 'class="pe-field pe-field-pagu has-error"' in html


def test_text_is_bounded_in_the_form_and_refused_next_to_the_field(operator, unchanged):
    form = operator.get(url("B1.K1", "tambah"), **HTMX).content.decode()
    assert re.search(r'<textarea name="uraian"[^>]* maxlength="2000"', form)
    assert re.search(r'<input type="text" name="target"[^>]* maxlength="160"', form)
    uraian = node("B1.P1").uraian
    response = operator.post(url("B1.P1", "ubah"), {"uraian": "u" * 200_000, "versi": node("B1.P1").versi}, **HTMX)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "uraian": ["Uraian terlalu panjang: 200.000 karakter, paling banyak 2.000."]
    }
    response = add_kegiatan(operator, uraian="u" * 2001)
    assert response.status_code == 200
    assert "Uraian terlalu panjang: 2.001 karakter, paling banyak 2.000." in response.content.decode()
    assert node("B1.P1").uraian == uraian


def test_other_units_branch_is_forbidden(operator, unchanged):
    assert operator.get(url("B3.K1", "ubah"), **HTMX).status_code == 403
    response = operator.post(url("B3.K1", "ubah"), {"uraian": "Diubah", "versi": node("B3.K1").versi}, **HTMX)
    assert response.status_code == 403
    assert "cabang unit kerjanya sendiri" in response.content.decode()
    assert operator.post(url("B3.K1", "hapus"), {}, **HTMX).status_code == 403
    assert add_kegiatan(operator, under="B3.K1").status_code == 403
    assert node("B3.K1").uraian != "Diubah"


def test_moving_into_another_units_branch_is_forbidden(operator, unchanged):
    response = operator.post(url("B1.K1.G1", "pindah"), {"parent": node("B3.K1").pk}, **HTMX)
    assert response.status_code == 403


def test_kadis_is_forbidden(demo, unchanged):
    kadis = login("kadis")
    assert kadis.post(url("B1.K1", "ubah"), {"uraian": "Diubah"}, **HTMX).status_code == 403
    assert kadis.post(url("B1.K1", "hapus"), {}, **HTMX).status_code == 403
    assert add_kegiatan(kadis).status_code == 403


def test_another_agency_is_not_found(operator, chain_tree, unchanged):
    foreign = Node.objects.get(pohon=chain_tree, kode="K1")
    assert operator.post(f"/pohon/dinas-uji/2018/node/{foreign.pk}/hapus/", {}, **HTMX).status_code == 404
    # nor through this agency's URL
    assert operator.post(f"/pohon/dpmd-lumajang/2018/node/{foreign.pk}/hapus/", {}, **HTMX).status_code == 404
    assert Node.objects.filter(pk=foreign.pk).exists()


def test_frozen_tree_is_refused(demo, operator, unchanged):
    Pohon.objects.filter(pk=demo.pk).update(status=Pohon.Status.DISETUJUI)
    response = add_kegiatan(operator)
    assert response.status_code == 200 and "tidak dapat diubah" in response.content.decode()
    assert operator.get(url("B1.K1", "ubah"), **HTMX).status_code == 403


def test_stale_page_is_refused_with_the_reload_message(operator, unchanged):
    stale = node("B1.P1").versi
    operator.post(url("B1.P1", "ubah"), {"uraian": node("B1.P1").uraian, "pagu": "2078747000", "versi": stale}, **HTMX)
    assert node("B1.P1").versi == stale + 1
    for action, data in (
        ("ubah", {"uraian": "Dari halaman lama", "pagu": "1"}),
        ("hapus", {}),
        ("pindah", {"arah": "turun"}),
    ):
        response = operator.post(url("B1.P1", action), {**data, "versi": stale}, **HTMX)
        assert response.status_code == 200
        assert "Muat ulang halaman" in response.content.decode(), action


def test_a_change_of_a_node_deleted_meanwhile_answers_409_with_the_reload_message(operator, demo):
    """The page still shows B1.K1.G1; someone deleted its section since. Every change posted for
    it, and every form asked for, is answered 409 with the reason (the editor script shows it),
    not 404 or 500; another agency's tree stays 404."""
    urls = {action: url("B1.K1.G1", action) for action in ("ubah", "hapus", "pindah", "tambah")}
    section = node("B1.K1")
    operator.post(url("B1.K1", "hapus"), {"versi": section.versi}, **HTMX)
    assert not Node.objects.filter(kode__startswith="B1.K1").exists()
    before = dump(demo)
    for action, data in (
        ("ubah", {"uraian": "Dari halaman lama", "versi": 1}),
        ("hapus", {"versi": 1}),
        ("pindah", {"arah": "turun", "versi": 1}),
        ("pindah", {"parent": node("B1.K2").pk, "versi": 1}),
        ("tambah", {"jenis": "indikator", "uraian": "Baru", "versi": 1}),
    ):
        response = operator.post(urls[action], data, **HTMX)
        assert response.status_code == 409, action
        assert response["Content-Type"].startswith("text/plain")
        assert response.content.decode() == "Butir ini sudah dihapus oleh pengguna lain; muat ulang halaman."
    assert operator.get(urls["ubah"], **HTMX).status_code == 409  # the form, asked for from the stale page
    assert dump(demo) == before
    assert operator.post(urls["ubah"].replace("dpmd-lumajang", "dinas-lain"), {}, **HTMX).status_code == 404


def test_csrf_stays_on(demo, unchanged):
    client = Client(enforce_csrf_checks=True)
    client.login(username="operator", password=DEMO_PASSWORD)
    assert client.post(url("B1.K1", "hapus"), {}, **HTMX).status_code == 403


# --- the chart: each node's panel, and the same editor inside it ------------------------------

CHART = "/pohon/dpmd-lumajang/2018/"
BAGAN = {"halaman": "bagan"}


def panel(client: Client, kode: str):
    return client.get(url(kode, "").removesuffix("/"), **HTMX)


def test_chart_has_a_panel_for_every_node_and_the_head(operator):
    html = operator.get(CHART).content.decode()
    root = Node.objects.get(pohon__dinas__kode="dpmd-lumajang", jenis="akar")
    assert f'id="cc-head" data-node="{root.pk}" tabindex="0"' in html  # the head's box is the hidden root
    # every box and item is focusable: a click or Enter opens its panel
    assert html.count('tabindex="0"') == Node.objects.filter(pohon__dinas__kode="dpmd-lumajang").count()
    assert 'data-node-url="/pohon/dpmd-lumajang/2018/node/0/"' in html
    assert "vendor/htmx.min.js" in html and "pohon/panel.js" in html
    assert 'hx-select-oob="#chart:innerHTML,#pohon-meta,#pohon-checks"' in html


def test_panel_of_own_node_offers_the_editor_and_shows_history(operator):
    add_kegiatan(operator)
    operator.post(url("UJI1", "ubah"), {"uraian": "Kegiatan uji", "pagu": "2.000.000.000", "versi": 1}, **HTMX)
    response = panel(operator, "UJI1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kegiatan uji" in html and "<dd>Rp 2.000.000.000</dd>" in html
    for action in ("ubah", "pindah", "hapus"):
        assert f'hx-get="{url("UJI1", action)}?versi=2"' in html
    # one add button per kind allowed under a Kegiatan, named by it
    assert f'hx-get="{url("UJI1", "tambah")}?versi=2&amp;jenis=indikator">Tambah Indikator</button>' in html
    assert re.search(r'"arah": "turun"[^>]*disabled', html)  # the last sibling
    assert not re.search(r'"arah": "naik"[^>]*disabled', html)
    # the history: the edit with before and after, then the creation, by the operator
    assert "Riwayat Kegiatan ini" in html
    assert html.index("Diubah") < html.index("Dibuat")
    assert "Rp 1.500.000.000 → Rp 2.000.000.000" in html
    assert f'href="/pohon/dpmd-lumajang/2018/riwayat/?node={node("UJI1").kunci}"' in html
    assert "Lihat seluruh riwayat butir ini (2 perubahan)" in html


def test_panel_of_another_units_node_shows_only_its_history(operator):
    html = panel(operator, "B3.K1").content.decode()
    assert "Riwayat Seksi ini" in html and "<dd>Seksi Penataan Desa</dd>" in html
    assert "np-actions" not in html and "/ubah/" not in html


def test_kadis_sees_every_panel_without_the_editor(demo):
    kadis = login("kadis")
    html = panel(kadis, "B1.P1").content.decode()
    assert "Rp 2.078.747.000" in html and "Riwayat Program ini" in html
    assert "np-actions" not in html


def test_panel_of_a_frozen_tree_says_so(demo, operator):
    Pohon.objects.filter(pk=demo.pk).update(status=Pohon.Status.DISETUJUI)
    html = panel(operator, "B1.K1").content.decode()
    assert "Pohon berstatus Disetujui: tidak dapat diubah." in html and "np-actions" not in html


def test_panel_needs_login_and_stays_inside_the_agency(demo, chain_tree):
    assert Client().get(url("B1.K1", "").removesuffix("/")).status_code == 302
    foreign = Node.objects.get(pohon=chain_tree, kode="K1")
    assert login("operator").get(f"/pohon/dpmd-lumajang/2018/node/{foreign.pk}/").status_code == 404


def test_head_panel_lets_only_the_admin_add_at_the_top(demo, unchanged):
    root = Node.objects.get(pohon=demo, jenis="akar")
    head_url = f"/pohon/dpmd-lumajang/2018/node/{root.pk}/"
    operator = login("operator")
    html = operator.get(head_url, **HTMX).content.decode()
    assert "KEPALA DINAS PEMBERDAYAAN MASYARAKAT DAN DESA" in html and "Perubahan terakhir di pohon ini" in html
    assert "Tambah Tujuan" not in html and "Tambah Sasaran" not in html
    assert operator.get(head_url + "tambah/", **HTMX).status_code == 403
    response = operator.post(head_url + "tambah/", {"jenis": "tujuan", "uraian": "Tujuan baru", **BAGAN}, **HTMX)
    assert response.status_code == 403
    assert "Tambah Tujuan" in login("admin").get(head_url, **HTMX).content.decode()


def test_admin_adds_at_the_top_from_the_head_panel(demo):
    root = Node.objects.get(pohon=demo, jenis="akar")
    admin = login("admin")
    form = admin.get(f"/pohon/dpmd-lumajang/2018/node/{root.pk}/tambah/?versi=0&halaman=bagan", **HTMX)
    html = form.content.decode()
    assert html.startswith('<div class="pe-form-panel"') and "tingkat teratas pohon" in html
    assert 'value="tujuan"' in html and 'value="kegiatan"' not in html
    response = admin.post(
        f"/pohon/dpmd-lumajang/2018/node/{root.pk}/tambah/",
        {"jenis": "tujuan", "uraian": "Tujuan tambahan", "kode": "T9", **BAGAN},
        **HTMX,
    )
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    assert 'id="chart"' in response.content.decode() and "Tujuan tambahan" in response.content.decode()
    assert node("T9").parent_id == root.pk


def test_editing_from_the_chart_answers_with_the_changed_branch(operator):
    form = operator.get(url("B1.K1", "tambah") + f"?versi={node('B1.K1').versi}&halaman=bagan", **HTMX)
    assert form.content.decode().startswith('<div class="pe-form-panel"')
    before = total("B1")
    response = add_kegiatan(operator, **BAGAN)
    html = response.content.decode()
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    event = json.loads(response["HX-Trigger-After-Swap"])["pokinEdited"]
    assert event["node"] == node("UJI1").pk
    # the section's branch with the new Kegiatan, swapped out of band; not the whole chart
    assert f'hx-swap-oob="outerHTML:li:has(> #n-{node("B1.K1").pk})"' in html and "Kegiatan uji" in html
    assert 'id="chart"' not in html and 'id="pohon-rows"' not in html
    assert total("B1") == (before or 0) + Decimal(1_500_000_000)
    # the division's box shows the new Jumlah Pagu
    expected = f"Jumlah Pagu: <strong>Rp {total('B1'):,.0f}".replace(",", ".")
    assert f'hx-swap-oob="outerHTML:#n-{node("B1").pk} > .cc-total">{expected}' in html
    # the checks and the header come with the request the page makes next
    refreshed = operator.get(event["refresh"], **HTMX).content.decode()
    for region in ('id="pohon-meta"', 'id="pohon-checks"'):
        assert region in refreshed


def test_a_refusal_on_the_chart_comes_back_in_the_panel(operator, unchanged):
    html = add_kegiatan(operator, jenis="program", **BAGAN).content.decode()
    assert html.startswith('<div class="pe-form-panel"')
    assert "Program tidak boleh berada di bawah Seksi" in html and "has-error" in html
    first = children("B1.K1")[0]
    response = operator.post(url(first, "pindah"), {"arah": "naik", "versi": node(first).versi, **BAGAN}, **HTMX)
    assert response.content.decode().startswith('<div class="pe-form-panel pe-message-panel"')
    assert "sudah berada di urutan pertama" in response.content.decode()
    response = operator.post(url("B3.K1", "hapus"), {"versi": node("B3.K1").versi, **BAGAN}, **HTMX)
    assert response.status_code == 403


def test_a_plain_post_from_the_chart_redirects_to_the_chart(operator):
    fields = {"jenis": "kegiatan", "uraian": "Tanpa skrip", "versi": node("B1.K1").versi, **BAGAN}
    response = operator.post(url("B1.K1", "tambah"), fields)
    assert response.status_code == 302 and response["Location"] == CHART


def test_panel_queries_do_not_grow_with_the_tree(operator, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        assert panel(operator, "B1.K1").status_code == 200


def test_a_deleted_branch_is_restored_from_the_heads_panel(operator, demo):
    section = node("B1.K3")
    below = section.get_descendant_count()
    operator.post(url("B1.K3", "hapus"), {"versi": section.versi, **BAGAN}, **HTMX)
    assert not Node.objects.filter(kode__startswith="B1.K3").exists()
    root = Node.objects.get(pohon=demo, jenis="akar")
    html = operator.get(f"/pohon/dpmd-lumajang/2018/node/{root.pk}/", **HTMX).content.decode()
    entry = NodeRiwayat.objects.get(pohon=demo, aksi=NodeRiwayat.Aksi.HAPUS, kode="B1.K3")
    restore = f"/pohon/dpmd-lumajang/2018/riwayat/{entry.pk}/pulihkan/"
    assert f'hx-post="{restore}"' in html and 'aria-label="Pulihkan B1.K3"' in html
    assert login("kadis").post(restore, {"revisi": "0", **BAGAN}, **HTMX).status_code == 403
    assert not Node.objects.filter(kode="B1.K3").exists()

    response = operator.post(restore, {"revisi": "0", **BAGAN}, **HTMX)
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    assert f'"node": {node("B1.K3").pk}' in response["HX-Trigger-After-Swap"]
    assert "Butir B1.K3 dipulihkan beserta isinya." in response["HX-Trigger-After-Swap"]
    assert 'id="chart"' in response.content.decode() and section.uraian in response.content.decode()
    assert node("B1.K3").get_descendant_count() == below and node("B1.K3").parent.kode == "B1"

    # a second restore is refused in the panel: the node (its kunci) is in the tree again
    html = operator.post(restore, {"revisi": "0", **BAGAN}, **HTMX).content.decode()
    assert html.startswith('<div class="pe-form-panel pe-message-panel"')
    assert "Butir B1.K3 sudah ada lagi di pohon ini" in html
