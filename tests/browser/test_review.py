"""The Kepala Dinas reviews a revision in the browser: the history and the changes since the
approved revision are on the chart page and again on the approval's confirmation."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from pohon.models import Node
from pohon.services import node_update
from pohon.workflow import pohon_revise, pohon_submit

pytestmark = pytest.mark.browser


def test_kadis_sees_history_and_diff_before_approving(page: Page, live_server, login, demo_approved, screenshot):
    operator = get_user_model().objects.get(username="operator")
    revision = pohon_revise(pohon=demo_approved, user=operator)
    node_update(node=Node.objects.get(pohon=revision, kode="B1.P1"), user=operator, pagu=Decimal(2_100_000_000))
    pohon_submit(pohon=revision, user=operator, catatan="Pagu program 1 disesuaikan")

    login("kadis")
    page.goto(live_server.url + "/pohon/dpmd-lumajang/2018/")
    diff = page.locator(".workflow-diff")
    expect(diff).to_be_visible()
    expect(diff).to_contain_text("1 diubah")
    expect(diff.locator(".diff-changed")).to_contain_text("B1.P1")
    expect(diff.locator(".diff-changed")).to_contain_text("Pagu: Rp 2.078.747.000 → Rp 2.100.000.000")
    history = page.locator(".workflow-history")
    history.locator("summary").click()
    expect(history).to_contain_text("Pagu program 1 disesuaikan")
    expect(page.locator("#btn-setujui")).to_be_visible()
    screenshot("review-diff.png")

    page.locator("#link-riwayat").click()
    expect(page.locator("body")).to_contain_text("B1.P1")
    expect(page.locator("body")).to_contain_text("operator")
    screenshot("review-history.png")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_confirmation_of_a_perubahan_shows_its_changes(page: Page, live_server, login, demo_approved, screenshot, size):
    operator = get_user_model().objects.get(username="operator")
    revision = pohon_revise(pohon=demo_approved, user=operator)
    node_update(node=Node.objects.get(pohon=revision, kode="B1.P1"), user=operator, pagu=Decimal(2_100_000_000))
    pohon_submit(pohon=revision, user=operator)
    if size == "phone":
        page.set_viewport_size({"width": 390, "height": 844})

    login("kadis")
    page.goto(live_server.url + "/pohon/dpmd-lumajang/2018/")
    page.get_by_role("button", name="Setujui dan tandatangani").click()
    expect(page.locator("#approve-judul")).to_contain_text("Tahun 2018 Perubahan 1")
    expect(page.locator("#approve-total-pagu")).to_have_text("Rp 8.752.940.000")
    diff = page.locator("#approve-diff")
    expect(diff).to_contain_text("(0 ditambah, 0 dihapus, 1 diubah)")
    expect(diff.locator(".diff-changed")).to_contain_text("Pagu: Rp 2.078.747.000 → Rp 2.100.000.000")
    screenshot(f"review-confirm-{size}.png")
    page.get_by_role("button", name="Ya, setujui dan tandatangani").click()
    expect(page.locator("#pohon-meta .status")).to_have_text("Disetujui")
    expect(page.locator("#pohon-meta")).to_contain_text("Perubahan 1")
