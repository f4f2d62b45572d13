"""The Pemda chart in a real browser: Bappeda opens the demo Pemda's chart for 2018, sees the DPMD
collapsed under the Sasaran Pemda its Tujuan supports, and opens it: its Tujuan, Sasaran and IKU
are fetched and shown in place (screenshots at 1440x900 and 390x844)."""

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
