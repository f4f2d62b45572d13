"""Links to the Pemda in the browser: Bappeda sends a Sasaran Pemda to the DPMD from the Pemda
chart's panel, the DPMD's Kepala Dinas accepts it in the agency's inbox by linking its Tujuan,
the Tujuan's panel names the Sasaran Pemda, and the alignment page no longer lists it;
screenshots at 1440x900 and 390x844."""

import pytest
from playwright.sync_api import Page, expect

from pohon.models import Node, TautanPemda

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
PEMDA_CHART = "/pohon/kabupaten-lumajang/2014/"
SASARAN = "V1.M1.T1.S2"


def both_sizes(page: Page, screenshot, name: str) -> None:
    screenshot(f"tautan-{name}-desktop.png")
    page.set_viewport_size(PHONE)
    screenshot(f"tautan-{name}-phone.png")
    page.set_viewport_size(DESKTOP)


def test_bappeda_sends_and_kepala_dinas_accepts(page: Page, live_server, login, demo, screenshot):
    sasaran = Node.objects.get(pohon__dinas__kode="kabupaten-lumajang", kode=SASARAN)
    tujuan = Node.objects.get(pohon=demo, kode="T1")

    login("bappeda")
    page.goto(live_server.url + "/pemda/kabupaten-lumajang/2018/keselarasan/")
    expect(page.locator(f"tr.temuan-sasaran_tanpa_dukungan:has-text('{SASARAN}')")).to_have_count(1)
    page.goto(live_server.url + PEMDA_CHART)
    page.locator(f"#n-{sasaran.pk} > .cc-text").click()
    panel = page.locator("#node-panel")
    expect(panel.locator(".np-tautan")).to_be_visible()
    panel.get_by_role("link", name="Kirim ke Perangkat Daerah").click()
    expect(page.get_by_role("heading", name="Kirim ke Perangkat Daerah")).to_be_visible()
    expect(page.locator(".tautan-node")).to_contain_text(sasaran.uraian)
    page.get_by_role("button", name="Kirim", exact=True).click()  # no agency chosen: refused, nothing sent
    expect(page.locator(".silang-error").first).to_be_visible()
    assert not TautanPemda.objects.exists()
    page.get_by_label("Perangkat Daerah", exact=True).select_option(value=str(demo.dinas.pk))
    page.get_by_label("Tahun pohon kinerja Perangkat Daerah").select_option(value="2018")
    page.get_by_label("Catatan (boleh kosong)").fill("Mohon Tujuan DPMD mendukung sasaran ini.")
    both_sizes(page, screenshot, "kirim")
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("dikirim kepada Dinas Pemberdayaan Masyarakat dan Desa")
    expect(page.locator("#tautan-keluar")).to_contain_text("Menunggu")

    page.context.clear_cookies()
    login("kadis")
    page.goto(live_server.url + "/pohon/dpmd-lumajang/2018/tautan-pemda/")
    incoming = page.locator("#tautan-masuk")
    expect(incoming).to_contain_text("Mohon Tujuan DPMD mendukung sasaran ini.")
    both_sizes(page, screenshot, "inbox")
    incoming.get_by_role("link", name="Terima").click()
    expect(page.get_by_role("heading", name="Terima butir Pemda")).to_be_visible()
    page.get_by_label("Tujuan atau Sasaran yang mendukung").select_option(value=str(tujuan.pk))
    both_sizes(page, screenshot, "terima")
    page.get_by_role("button", name="Setujui tautan").click()
    expect(page.locator(".messages")).to_contain_text("disetujui")
    expect(page.locator("#tautan-masuk .silang-status").first).to_have_text("Disetujui")
    link = TautanPemda.objects.get()
    assert (link.status, link.dinas_kode, link.dijawab_nama) == (TautanPemda.Status.DISETUJUI, "T1", "kadis")

    # the Tujuan's panel names the Sasaran Pemda; its name opens the Pemda chart at it
    page.goto(live_server.url + "/pohon/dpmd-lumajang/2018/")
    page.locator(f"#n-{tujuan.pk} > .cc-text").click()
    panel = page.locator("#node-panel")
    expect(panel.locator(".np-tautan")).to_contain_text(SASARAN)
    expect(panel.locator(".np-tautan")).to_contain_text("Disetujui")
    both_sizes(page, screenshot, "panel")
    panel.locator(".np-tautan a", has_text=SASARAN).click()
    expect(page).to_have_url(f"{live_server.url}{PEMDA_CHART}#n-{sasaran.pk}")

    page.context.clear_cookies()
    login("bappeda")
    page.goto(live_server.url + "/pemda/kabupaten-lumajang/2018/keselarasan/")
    expect(page.locator(f"tr.temuan-sasaran_tanpa_dukungan:has-text('{SASARAN}')")).to_have_count(0)
    both_sizes(page, screenshot, "keselarasan")
