"""The Pemda chart in a real browser: Bappeda opens the demo Pemda's chart for 2018, sees the DPMD
collapsed under the Sasaran Pemda its Tujuan supports, and opens it: its Tujuan, Sasaran and IKU
are fetched and shown in place (screenshots at 1440x900 and 390x844)."""

import re

import pytest
from playwright.sync_api import Page, expect

from pohon import rules
from pohon.models import Node, TautanPemda
from pohon.tautan.services import tautan_accept, tautan_propose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART = "/pemda/kabupaten-lumajang/2018/"


def _link_dpmd_tujuan() -> None:
    """DPMD's Tujuan T1 (2018) supports the demo's Sasaran Pemda V1.M1.T1.S1 (once)."""
    tujuan = Node.objects.get(pohon__dinas__kode="dpmd-lumajang", pohon__tahun=2018, pohon__revisi=0, kode="T1")
    sasaran_pemda = Node.objects.get(pohon__dinas__kode="kabupaten-lumajang", kode="V1.M1.T1.S1")
    assert sasaran_pemda.jenis == rules.SASARAN_PEMDA
    if not TautanPemda.objects.filter(dinas_kunci=tujuan.kunci, pemda_kunci=sasaran_pemda.kunci).exists():
        tautan_accept(tautan=tautan_propose(node=tujuan, pemda_node=sasaran_pemda))


@pytest.mark.parametrize(
    "viewport", [{"width": 1440, "height": 900}, {"width": 390, "height": 844}], ids=["wide", "phone"]
)
def test_bappeda_opens_an_agency_on_the_pemda_chart(page: Page, live_server, login, demo, screenshot, viewport):
    _link_dpmd_tujuan()
    page.set_viewport_size(viewport)
    login("bappeda")
    page.goto(live_server.url + CHART)
    chart = page.locator("#chart")
    expect(chart).to_contain_text("PEMERINTAH KABUPATEN LUMAJANG RPJMD 2014-2018")
    agency = chart.locator("details.pc-dinas", has_text="Dinas Pemberdayaan Masyarakat dan Desa").first
    expect(agency).to_contain_text("butir mendukung")
    expect(agency.locator(".pc-body")).to_be_empty()  # nothing of the agency sent before it is opened
    screenshot(f"pemda-chart-collapsed-{viewport['width']}.png")
    agency.locator("summary").click()
    expect(agency.locator(".pc-body .cc-item--tujuan").first).to_be_visible()
    expect(agency.locator(".pc-body")).to_contain_text("TUJUAN")
    expect(agency.locator(".pc-body")).to_contain_text("INDIKATOR")
    expect(agency.locator(".pc-body .pc-link a")).to_have_attribute("href", "/pohon/dpmd-lumajang/2018/")
    agency.scroll_into_view_if_needed()
    screenshot(f"pemda-chart-opened-{viewport['width']}.png")


@pytest.mark.parametrize(
    "viewport", [{"width": 1440, "height": 900}, {"width": 390, "height": 844}], ids=["wide", "phone"]
)
def test_a_sasaran_pemda_opens_its_panel(page: Page, live_server, login, demo, screenshot, viewport):
    """A click on a Sasaran Pemda opens its panel as on an agency's chart: kode, uraian, its IKU
    with a target per year and the DPMD's Tujuan supporting it, linked; Escape closes it. An
    agency's node opened on the chart gets its own panel, read only."""
    _link_dpmd_tujuan()
    page.set_viewport_size(viewport)
    login("bappeda")
    page.goto(live_server.url + CHART)
    sasaran = page.locator("#chart .cc-box--sasaran_pemda").first
    sasaran.locator(".cc-title").click()
    panel = page.locator("#node-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".np-kind")).to_contain_text("Sasaran Pemda · V1.M1.T1.S1")
    expect(panel.locator("#node-panel-title")).to_contain_text("Meningkatnya kapasitas pemerintahan desa")
    expect(panel.locator("#node-panel-title")).to_be_focused()
    iku = panel.locator(".np-iku").first
    expect(iku).to_contain_text("Persentase desa berstatus berkembang")
    expect(iku.locator("th")).to_have_text(["2014", "2015", "2016", "2017", "2018"])
    expect(iku.locator("td").first).to_have_text("40 %")
    supporting = panel.locator(".np-tautan-list a", has_text="Dinas Pemberdayaan Masyarakat dan Desa 2018: T1")
    expect(supporting).to_have_attribute("href", re.compile(str(_tujuan_kunci())))  # its lasting address
    expect(panel.locator(".np-actions")).to_have_count(0)  # read only here
    screenshot(f"pemda-chart-panel-{viewport['width']}.png")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    # an agency's Tujuan, opened in place, opens its own panel
    agency = page.locator("#chart details.pc-dinas", has_text="Dinas Pemberdayaan Masyarakat dan Desa").first
    agency.locator("summary").click()
    tujuan = agency.locator(".pc-body .cc-item--tujuan").first
    tujuan.locator(".cc-text").first.click()
    expect(panel).to_be_visible()
    expect(panel.locator(".np-kind")).to_contain_text("Tujuan · T1")
    link = panel.locator(".np-pemda-link a")
    expect(link).to_contain_text("Buka bagan lengkap Dinas Pemberdayaan Masyarakat dan Desa")


def _tujuan_kunci():
    return Node.objects.get(pohon__dinas__kode="dpmd-lumajang", pohon__tahun=2018, pohon__revisi=0, kode="T1").kunci
