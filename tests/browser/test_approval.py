"""The Kepala Dinas approves in two steps: "Setujui dan tandatangani" opens a confirmation with
the totals, the open checks, the changes and the signer; only "Ya, setujui dan tandatangani"
approves. At a desktop's 1440x900 and a phone's 390x844."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from pohon.models import Pohon
from pohon.workflow import pohon_submit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_kadis_confirms_what_they_approve(page: Page, live_server, login, demo, signing_certificate, screenshot, size):
    pohon_submit(pohon=demo, user=get_user_model().objects.get(username="operator"))
    if size == "phone":
        page.set_viewport_size(PHONE)
    login("kadis")
    page.goto(live_server.url + "/pohon/dpmd-lumajang/2018/")
    page.get_by_role("button", name="Setujui dan tandatangani").click()

    expect(page.get_by_role("heading", name="Setujui dan tandatangani?")).to_be_visible()
    expect(page.locator("#approve-total-pagu")).to_have_text("Rp 8.731.687.000")
    expect(page.locator("#approve-butir")).to_have_text("144 butir")
    expect(page.locator("#approve-jenis")).to_contain_text("Kegiatan")
    expect(page.locator("#approve-warnings")).to_have_text("0")
    expect(page.locator("#approve-info")).to_have_text("100")
    expect(page.locator("#approve-signer-nama")).to_have_text("PATRIANI HASTIADI, AP. MSi.")
    expect(page.locator("#approve-signer-jabatan")).to_have_text(
        "Kepala Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Lumajang"
    )
    expect(page.locator("#approve-tempat-tanggal")).to_contain_text("Lumajang, ")
    confirm = page.get_by_role("button", name="Ya, setujui dan tandatangani")
    expect(confirm).to_be_visible()
    expect(page.get_by_role("link", name="Batal")).to_be_visible()
    # Nothing of the confirmation is wider than the screen (the site header is the phone part's).
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.approve, .approve *')].map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= page.viewport_size["width"]
    screenshot(f"approval-confirm-{size}.png")
    assert Pohon.objects.get(pk=demo.pk).status == Pohon.Status.DIAJUKAN  # the first click signed nothing

    if size == "phone":  # "Batal" goes back to the chart and approves nothing
        page.get_by_role("link", name="Batal").click()
        expect(page.locator("#pohon-meta .status")).to_have_text("Diajukan")
        page.get_by_role("button", name="Setujui dan tandatangani").click()

    page.get_by_label("Catatan persetujuan (opsional)").fill("Sesuai Renstra")
    page.get_by_role("button", name="Ya, setujui dan tandatangani").click()
    expect(page.locator(".messages")).to_contain_text("Pohon kinerja disetujui.")
    # The tests' immediate backend signs at once: "Sedang ditandatangani" is over already.
    expect(page.locator("#pohon-meta .status")).to_have_text("Disetujui")
    expect(page.locator(".workflow-history")).to_contain_text("Sesuai Renstra")
    screenshot(f"approval-done-{size}.png")


def test_checks_show_information_collapsed_apart_from_warnings(page: Page, live_server, login, demo, screenshot):
    login("kadis")
    page.goto(live_server.url + "/pohon/dpmd-lumajang/2018/")
    checks = page.locator("#pohon-checks .checks")
    expect(checks).to_contain_text("Tidak ada kesalahan atau peringatan.")
    info = checks.locator(".checks-info")
    expect(info).to_contain_text("100 butir wajar untuk bentuk dokumen ini")
    expect(info.locator(".check-info").first).to_be_hidden()  # collapsed
    info.locator("> summary").click()
    expect(info.locator(".check-info").first).to_be_visible()
    expect(info).to_contain_text("Kegiatan tanpa Pagu sendiri: Pagu-nya tercatat pada Program (43)")
    screenshot("checks-information.png")
