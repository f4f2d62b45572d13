"""Crosscutting in the browser: the operator asks another unit from a node's panel, the Kepala
Dinas accepts it in the inbox by linking an existing node, and both boxes carry the mark on the
chart; screenshots at 1440x900 and 390x844."""

import pytest
from playwright.sync_api import Page, expect

from dinas.models import UnitKerja
from pohon.models import Node, Silang

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
EKONOMI = "Bidang Pemberdayaan Usaha Ekonomi Masyarakat"


def both_sizes(page: Page, screenshot, name: str) -> None:
    screenshot(f"silang-{name}-desktop.png")
    page.set_viewport_size(PHONE)
    screenshot(f"silang-{name}-phone.png")
    page.set_viewport_size(DESKTOP)


def test_operator_asks_and_kepala_dinas_accepts(page: Page, live_server, login, demo, screenshot):
    kegiatan = Node.objects.get(pohon=demo, kode="B1.K1.G1")
    program = Node.objects.get(pohon=demo, kode="B2.P1")
    ekonomi = UnitKerja.objects.get(dinas=demo.dinas, nama=EKONOMI)

    login("operator")
    page.goto(live_server.url + "/pohon/dpmd-lumajang/2018/")
    page.locator(f"#n-{kegiatan.pk}").click()
    panel = page.locator("#node-panel")
    expect(panel.locator(".np-silang")).to_be_visible()
    panel.get_by_role("link", name="Minta dukungan (crosscutting)").click()
    expect(page.get_by_role("heading", name="Minta dukungan (crosscutting)")).to_be_visible()
    expect(page.locator(".silang-node")).to_contain_text(kegiatan.uraian)
    page.get_by_role("button", name="Kirim permintaan").click()  # nothing chosen: refused, nothing sent
    expect(page.locator(".silang-error").first).to_be_visible()
    page.get_by_label("Unit yang diminta mendukung").select_option(value=str(ekonomi.pk))
    page.get_by_label("Catatan").fill("Mohon dukungan program lembaga ekonomi bagi kegiatan ini.")
    both_sizes(page, screenshot, "minta")
    page.get_by_role("button", name="Kirim permintaan").click()
    expect(page.locator(".messages")).to_contain_text("dikirim kepada " + EKONOMI)
    expect(page.locator("#silang-keluar")).to_contain_text("Menunggu")
    assert Silang.objects.get().status == Silang.Status.MENUNGGU

    page.context.clear_cookies()
    login("kadis")
    page.goto(live_server.url + "/pohon/dpmd-lumajang/2018/silang/")
    incoming = page.locator("#silang-masuk")
    expect(incoming).to_contain_text("Mohon dukungan program lembaga ekonomi")
    both_sizes(page, screenshot, "inbox")
    incoming.get_by_role("link", name="Terima").click()
    expect(page.get_by_role("heading", name="Terima permintaan crosscutting")).to_be_visible()
    page.get_by_label("Butir yang mendukung").select_option(value=str(program.pk))
    both_sizes(page, screenshot, "terima")
    page.get_by_role("button", name="Setujui crosscutting").click()
    expect(page.locator(".messages")).to_contain_text("disetujui")
    expect(page.locator("#silang-masuk .silang-status").first).to_have_text("Disetujui")
    assert Silang.objects.get().penerima_kode == "B2.P1"

    page.goto(live_server.url + "/pohon/dpmd-lumajang/2018/")
    asking = page.locator(f"#n-{kegiatan.pk}")
    expect(asking).to_have_class("cc-item cc-item--kegiatan cs-silang")
    expect(asking.locator(".cs-mitra")).to_contain_text(EKONOMI + " (Disetujui)")
    supporting = page.locator(f"#n-{program.pk}")
    expect(supporting.locator(".cs-mitra")).to_contain_text("(Disetujui)")
    asking.scroll_into_view_if_needed()
    both_sizes(page, screenshot, "bagan")
    # the partner's name leads to the partner's node, on its chart
    asking.locator(".cs-mitra a").click()
    expect(page).to_have_url(f"{live_server.url}/pohon/dpmd-lumajang/2018/#n-{program.pk}")
