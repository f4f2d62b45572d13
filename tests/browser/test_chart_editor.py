"""Editing on the chart in a real browser: a click on a box or item (or Enter on it) opens the node's
panel (its fields, its history and, for who may edit it, the editor). The operator of Bidang
Pemberdayaan Masyarakat (B1) adds, changes, moves and deletes a Kegiatan from the chart and sees
the division's Jumlah Pagu follow; Bidang Bina Pemerintahan Desa (B3) offers only its history;
the Kepala Dinas reads a node's history from the chart."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from pohon.models import Node
from pohon.money import pagu_parse, rupiah
from pohon.services import node_update

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_CHART = "/pohon/dpmd-lumajang/2018/"


def pk(kode: str) -> int:
    return Node.objects.get(pohon__dinas__kode="dpmd-lumajang", kode=kode).pk


def box(page: Page, kode: str):
    return page.locator(f"#n-{pk(kode)}")


def own_text(page: Page, kode: str):
    """The node's own text, where a click opens its panel (a box's in its title, an item's first)."""
    node = f"#n-{pk(kode)}"
    return page.locator(f"{node} > .cc-title .cc-text, {node} > .cc-text")


def division_total(page: Page, kode: str) -> Decimal:
    return pagu_parse(box(page, kode).locator(":scope > .cc-total strong").inner_text()) or Decimal(0)


def panel_button(page: Page, label: str):
    return page.locator("#node-panel").get_by_role("button", name=label, exact=True)


@pytest.fixture
def operator_chart(page: Page, live_server, login, demo) -> Page:
    login("operator")
    page.goto(live_server.url + DEMO_CHART)
    expect(page.locator("#chart")).to_be_visible()
    return page


def test_operator_edits_a_kegiatan_from_the_chart(operator_chart: Page, screenshot):
    page = operator_chart
    panel = page.locator("#node-panel")
    status = page.locator("#np-status")
    every_node = Node.objects.filter(pohon__dinas__kode="dpmd-lumajang").count()  # the head's box is the root
    expect(page.locator('#chart [tabindex="0"]')).to_have_count(every_node)
    division_before = division_total(page, "B1")
    grand_before = pagu_parse(page.locator("#total-pagu").inner_text())

    # another unit's section: its history, no editor
    own_text(page, "B3.K1").click()
    expect(panel.locator("#node-panel-title")).to_have_text("KASIE PENATAAN DESA")
    expect(panel).to_contain_text("Riwayat Seksi ini")
    expect(panel.locator(".np-actions")).to_have_count(0)

    # a collapsed branch stays collapsed through the edits below
    page.locator(f"#n-{pk('B3')} .cc-toggle").click()
    expect(box(page, "B3.K1")).to_be_hidden()

    # the own section, by keyboard: Enter on the focused box opens it, focus goes into the panel
    box(page, "B1.K1").focus()
    page.keyboard.press("Enter")
    expect(panel.locator("#node-panel-title")).to_have_text("KASIE KELEMBAGAAN MASYARAKAT")
    expect(panel.locator("#node-panel-title")).to_be_focused()
    expect(box(page, "B1.K1")).to_have_class(re.compile(r"\bcc-current\b"))
    panel_button(page, "Tambah Kegiatan").click()
    form = panel.locator(".pe-form-panel form")
    expect(form.get_by_label("Jenis")).to_be_focused()
    form.get_by_label("Jenis").select_option("kegiatan")
    form.get_by_label("Uraian").fill("Kegiatan uji bagan")
    form.get_by_label("Kode").fill("UJI-C")
    form.get_by_label("Pagu").fill("Rp 1.000.000")
    screenshot("chart-editor-add.png")
    panel.locator(".pe-submit").click()
    expect(status).to_contain_text("UJI-C ditambahkan")
    expect(box(page, "B1.K1")).to_contain_text("Kegiatan uji bagan (Rp 1.000.000)")
    expect(box(page, "B1").locator(":scope > .cc-total")).to_contain_text(rupiah(division_before + 1_000_000))
    expect(page.locator("#total-pagu")).to_have_text(rupiah(grand_before + 1_000_000))
    # the panel now shows the new node, with its creation in its history
    expect(panel.locator("#node-panel-title")).to_have_text("Kegiatan uji bagan")
    expect(panel.locator("#node-panel-title")).to_be_focused()
    expect(panel.locator(".np-entry")).to_have_count(1)
    expect(panel.locator(".np-entry")).to_contain_text("Dibuat")
    expect(box(page, "B3.K1")).to_be_hidden()  # still collapsed
    screenshot("chart-editor-added.png")

    # edit the Pagu: a wrong value stays in the form with its message, then a good one
    panel_button(page, "Ubah").click()
    form = panel.locator(".pe-form-panel form")
    form.get_by_label("Pagu").fill("dua juta")
    panel.locator(".pe-submit").click()
    expect(form.locator(".pe-field-pagu .pe-field-errors")).to_contain_text("bukan angka Rupiah")
    expect(form.get_by_label("Pagu")).to_be_focused()
    form.get_by_label("Pagu").fill("Rp 2.500.000")
    panel.locator(".pe-submit").click()
    expect(status).to_contain_text("UJI-C disimpan")
    expect(box(page, "B1").locator(":scope > .cc-total")).to_contain_text(rupiah(division_before + 2_500_000))
    expect(panel.locator(".np-entry").first).to_contain_text("Rp 1.000.000 → Rp 2.500.000")

    # Escape closes the form first, then the panel
    panel_button(page, "Ubah").click()
    expect(panel.locator(".pe-form-panel")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(panel.locator(".pe-form-panel")).to_have_count(0)
    expect(panel).to_be_visible()

    # move under another section of the same division: its box holds it, the division's total stays
    panel_button(page, "Pindahkan").click()
    select = panel.get_by_label("Induk baru")
    expect(select).to_be_focused()
    select.select_option(str(pk("B1.K2")))
    panel.locator(".pe-submit").click()
    expect(status).to_contain_text("dipindahkan ke bawah B1.K2")
    expect(box(page, "B1.K2")).to_contain_text("Kegiatan uji bagan")
    expect(box(page, "B1.K1")).not_to_contain_text("Kegiatan uji bagan")
    expect(box(page, "B1").locator(":scope > .cc-total")).to_contain_text(rupiah(division_before + 2_500_000))
    screenshot("chart-editor-moved.png")

    # delete after the confirmation; the panel goes to the former parent
    panel_button(page, "Hapus").click()
    expect(panel.locator(".pe-confirm")).to_have_text("Hapus Kegiatan ini?")
    panel.locator(".pe-submit").click()
    expect(status).to_contain_text("UJI-C dihapus (1 butir)")
    expect(page.locator("#chart")).not_to_contain_text("Kegiatan uji bagan")
    expect(panel.locator("#node-panel-title")).to_have_text(box(page, "B1.K2").locator(".cc-text").first.inner_text())
    expect(box(page, "B1").locator(":scope > .cc-total")).to_contain_text(rupiah(division_before))
    expect(page.locator("#total-pagu")).to_have_text(rupiah(grand_before))

    # Escape closes the panel and gives the focus back to the node
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(box(page, "B1.K2")).to_be_focused()

    # the head's panel lists the tree's latest changes: the deletion can be undone from there
    page.locator("#cc-head .cc-text").first.click()
    expect(panel.locator("#node-panel-history")).to_have_text("Perubahan terakhir di pohon ini")
    expect(panel.locator(".np-entry").first).to_contain_text("Dihapus UJI-C")
    panel.get_by_role("button", name="Pulihkan UJI-C").click()
    expect(status).to_contain_text("Butir UJI-C dipulihkan beserta isinya.")
    expect(panel.locator("#node-panel-title")).to_have_text("Kegiatan uji bagan")
    expect(box(page, "B1.K2")).to_contain_text("Kegiatan uji bagan (Rp 2.500.000)")
    expect(box(page, "B1").locator(":scope > .cc-total")).to_contain_text(rupiah(division_before + 2_500_000))
    screenshot("chart-editor-restored.png")


def test_kadis_reads_a_nodes_history_from_the_chart(page: Page, live_server, login, demo, screenshot):
    programme = Node.objects.get(pohon=demo, kode="B1.P1")
    operator = get_user_model().objects.get(username="operator")
    node_update(node=programme, user=operator, pagu=Decimal(2_100_000_000))
    login("kadis")
    page.goto(live_server.url + DEMO_CHART)
    own_text(page, "B1.P1").click()
    panel = page.locator("#node-panel")
    expect(panel.locator("#node-panel-title")).to_contain_text("Program peningkatan keberdayaan")
    entry = panel.locator(".np-entry").first
    expect(entry).to_contain_text("Diubah")
    expect(entry).to_contain_text("Rp 2.078.747.000 → Rp 2.100.000.000")
    expect(entry).to_contain_text(operator.get_full_name() or operator.username)
    expect(panel.locator(".np-actions")).to_have_count(0)  # the Kepala Dinas reviews, the operators edit
    screenshot("chart-history-kadis.png")
    panel.get_by_role("link", name="Lihat seluruh riwayat butir ini (2 perubahan)").click()
    expect(page).to_have_url(f"{live_server.url}{DEMO_CHART}riwayat/?node={programme.kunci}")
    expect(page.locator(".rw-event")).to_have_count(2)  # its edit and its creation (in the demo's event)


def test_search_and_findings_lead_to_a_nodes_panel(operator_chart: Page):
    page = operator_chart
    panel = page.locator("#node-panel")
    # Enter in the search box goes to the first match's item; Enter there opens its panel
    page.locator("#tree-search").fill("Pilkades")
    page.locator("#tree-search").press("Enter")
    indikator = page.locator("#chart .cc-item--indikator", has=page.locator("mark.hit"))
    expect(indikator).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel.locator("#node-panel-title")).to_have_text("Jumlah Desa yang melaksanakan Pilkades")
    expect(panel.locator(".np-kind")).to_contain_text("Indikator")
    page.keyboard.press("Escape")
    expect(indikator).to_be_focused()

    # a finding of the checks opens its node's panel, where the operator can fix it
    page.locator(".checks .checks-info > summary").click()  # the demo's findings are information
    group = page.locator(".checks .check-info", has_text="Kegiatan tanpa Pagu sendiri")
    group.locator("summary").click()
    link = group.locator(".check-link").first
    target = link.get_attribute("data-target")
    link.click()
    expect(page.locator(f"#{target}")).to_have_class(re.compile(r"\bcc-current\b"))
    expect(panel.locator(".np")).to_have_attribute("data-node", target.removeprefix("n-"))


@pytest.mark.parametrize(
    "viewport", [{"width": 1440, "height": 900}, {"width": 390, "height": 844}], ids=["wide", "phone"]
)
def test_a_pagu_edit_updates_the_totals_above_without_a_reload(operator_chart: Page, screenshot, viewport):
    """Only the changed box and the totals above it are swapped in: the page is not reloaded and
    the boxes of other branches are the same elements as before."""
    page = operator_chart
    page.set_viewport_size(viewport)
    panel = page.locator("#node-panel")
    division_before = division_total(page, "B1")
    head_before = pagu_parse(page.locator("#cc-head > .cc-total strong").inner_text())
    grand_before = pagu_parse(page.locator("#total-pagu").inner_text())
    page.evaluate(f"window.pokinMarker = 1; document.getElementById('n-{pk('B3')}').dataset.marker = '1'")

    own_text(page, "B1.P1").click()
    expect(panel.locator("#node-panel-title")).to_contain_text("Program peningkatan keberdayaan")
    panel_button(page, "Ubah").click()
    form = panel.locator(".pe-form-panel form")
    form.get_by_label("Pagu").fill("Rp 2.100.000.000")
    panel.locator(".pe-submit").click()
    expect(page.locator("#np-status")).to_contain_text("B1.P1 disimpan")
    raised = Decimal(2_100_000_000) - Decimal(2_078_747_000)
    expect(box(page, "B1").locator(":scope > .cc-total")).to_contain_text(rupiah(division_before + raised))
    expect(page.locator("#cc-head > .cc-total")).to_contain_text(rupiah(head_before + raised))
    expect(page.locator("#total-pagu")).to_have_text(rupiah(grand_before + raised))
    expect(box(page, "B1")).to_contain_text("(Rp 2.100.000.000)")
    expect(panel.locator("#node-panel-title")).to_contain_text("Program peningkatan keberdayaan")
    assert page.evaluate("window.pokinMarker") == 1  # no reload
    assert page.evaluate(f"document.getElementById('n-{pk('B3')}').dataset.marker") == "1"  # not re-sent
    screenshot(f"chart-editor-partial-{viewport['width']}.png")
