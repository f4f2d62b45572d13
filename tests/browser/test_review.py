"""The Kepala Dinas reviews a revision in the browser: the history and the changes since the
approved revision are on the chart page before approving."""

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
