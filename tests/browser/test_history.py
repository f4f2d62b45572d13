"""The history page in a real browser, at 1440x900 and on a phone (390x844): one line per event,
the demo's creations expandable, a styled edit, a workflow step, the filters, and no page wider
than the screen. Screenshots go to test-artifacts/."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from pohon.models import Node
from pohon.services import node_delete, node_update
from pohon.workflow import pohon_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HISTORY = "/pohon/dpmd-lumajang/2018/riwayat/"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def history(demo):
    """The demo with an edit, a deletion by the admin and the operator's submission."""
    users = get_user_model().objects
    admin, operator = users.get(username="admin"), users.get(username="operator")
    node_update(node=Node.objects.get(pohon=demo, kode="B1.P1"), user=admin, pagu=Decimal(2_100_000_000))
    node_delete(node=Node.objects.get(pohon=demo, kode="B3.P2"), user=admin)
    pohon_submit(pohon=demo, user=operator, catatan="Pagu program 1 disesuaikan, mohon diperiksa")
    return demo


def page_width(page: Page) -> int:
    """The widest right edge of the page's own content (the site header is the phone part's)."""
    return page.evaluate(
        "Math.max(...[...document.querySelectorAll('main, main *')].map(e => e.getBoundingClientRect().right))"
    )


def overflowing(page: Page, width: int) -> list[str]:
    return page.evaluate(
        "w => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > w + 0.5)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))",
        width,
    )


def test_history_reads_as_events_on_desktop_and_phone(page: Page, live_server, login, history, screenshot):
    total = Node.objects.filter(pohon=history).visible().count() + 1  # created by the demo, one deleted since
    login("kadis")
    page.goto(live_server.url + HISTORY)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Riwayat perubahan — Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Lumajang 2018"
    )
    events = page.locator(".rw-event")
    expect(events).to_have_count(4)
    expect(events.nth(0)).to_contain_text("Diajukan")
    expect(events.nth(0)).to_contain_text("Pagu program 1 disesuaikan, mohon diperiksa")
    expect(events.nth(1)).to_contain_text("Dihapus B3.P2")
    expect(events.nth(2).locator("del.rw-old")).to_have_text("Rp 2.078.747.000")
    expect(events.nth(2).locator("ins.rw-new")).to_have_text("Rp 2.100.000.000")
    creation = events.nth(3)
    expect(creation).to_contain_text(f"Dibuat: {total} butir")
    items = creation.locator(".rw-item")
    expect(items.first).to_be_hidden()
    screenshot("history-1440.png")
    creation.get_by_text(f"Lihat {total} butir").click()
    expect(items).to_have_count(total)
    expect(items.first).to_be_visible()
    expect(items.first).to_contain_text("T1")
    screenshot("history-1440-expanded.png")
    assert page_width(page) <= 1440

    # the filters: a kind of change
    page.get_by_label("Jenis perubahan").select_option("hapus")
    page.get_by_role("button", name="Saring").click()
    expect(page.locator(".rw-event")).to_have_count(1)
    expect(page.locator(".rw-event")).to_contain_text("Dihapus B3.P2")
    expect(page.get_by_label("Jenis perubahan")).to_have_value("hapus")
    page.get_by_role("link", name="Hapus saringan").click()
    expect(page.locator(".rw-event")).to_have_count(4)

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator(".rw-event").first).to_be_visible()
    assert page_width(page) <= PHONE["width"], overflowing(page, PHONE["width"])
    screenshot("history-390.png")
    page.locator(".rw-event").nth(3).get_by_text(f"Lihat {total} butir").click()
    expect(page.locator(".rw-event").nth(3).locator(".rw-item").first).to_be_visible()
    assert page_width(page) <= PHONE["width"]
    screenshot("history-390-expanded.png")
