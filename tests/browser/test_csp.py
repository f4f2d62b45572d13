"""The key pages under the Content Security Policy, in a real browser: nothing is blocked, nothing
is logged on the console, and what needs script (htmx editing, the draggable admin tree, the
toolbar) still works with no inline script, no eval and no inline style.

The ``page`` fixture reports every ``securitypolicyviolation`` event (tests/browser/conftest.py);
here each step also checks the console, where Chromium names what it refused."""

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from pohon.models import Node, Pohon

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = "/pohon/dpmd-lumajang/2018/"


@pytest.fixture
def console(page: Page) -> list[str]:
    messages: list[str] = []

    def record(message: ConsoleMessage) -> None:
        # Chromium asks every site for /favicon.ico, which Pokin does not have; nothing to do with the policy.
        if message.type in {"error", "warning"} and not message.location.get("url", "").endswith("/favicon.ico"):
            messages.append(f"{message.type}: {message.text} ({message.location.get('url')})")

    page.on("console", record)
    return messages


def assert_clean(page: Page, console: list[str], page_problems: list[str], where: str) -> None:
    """Nothing refused or logged so far. A round trip through the page first, so that violation
    reports queued by the last load have reached the test."""
    page.evaluate("() => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 50)))")
    assert page_problems == [], where
    assert console == [], where


def pk(kode: str) -> int:
    return Node.objects.get(pohon__dinas__kode="dpmd-lumajang", pohon__tahun=2018, kode=kode).pk


def test_site_pages_and_htmx_editing_run_under_the_policy(page: Page, live_server, login, demo, console, page_problems):
    page.goto(live_server.url + "/login/")
    expect(page.get_by_role("heading", name="Masuk ke Pokin")).to_be_visible()
    assert_clean(page, console, page_problems, "login")

    login("operator")
    expect(page.get_by_role("link", name=re.compile("2018"))).not_to_have_count(0)
    assert_clean(page, console, page_problems, "home")

    # the chart: a click opens a node's panel (htmx), an edit is saved through it
    page.goto(live_server.url + DEMO)
    expect(page.locator("#chart")).to_be_visible()
    assert_clean(page, console, page_problems, "chart")
    programme = page.locator(f"#n-{pk('B1.P1')}")
    programme.locator(":scope > .cc-title .cc-text, :scope > .cc-text").first.click()
    panel = page.locator("#node-panel")
    expect(panel.locator("#node-panel-title")).to_contain_text("Program peningkatan keberdayaan")
    panel.get_by_role("button", name="Ubah", exact=True).click()
    form = panel.locator(".pe-form-panel form")
    form.get_by_label("Pagu").fill("Rp 2.100.000.000")
    panel.locator(".pe-submit").click()
    expect(page.locator("#np-status")).to_contain_text("B1.P1 disimpan")
    expect(panel.locator(".np-entry").first).to_contain_text("Rp 2.078.747.000 → Rp 2.100.000.000")
    assert Node.objects.get(pk=pk("B1.P1")).pagu == 2_100_000_000
    assert_clean(page, console, page_problems, "chart editing")

    # the toolbar without inline handlers: Cetak prints, Enter in the search box stays on the page
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    page.evaluate("() => { window.pokinPrinted = 0; window.print = () => { window.pokinPrinted += 1; }; }")
    page.get_by_role("button", name="Cetak").click()
    assert page.evaluate("() => window.pokinPrinted") == 1
    page.evaluate("() => { window.pokinStillHere = true; }")
    page.locator("#tree-search").fill("Pilkades")
    page.locator("#tree-search").press("Enter")
    expect(page.locator("#search-count")).to_have_text(re.compile(r"\d+ hasil"))
    assert page.evaluate("() => window.pokinStillHere") is True  # the form did not submit
    assert_clean(page, console, page_problems, "toolbar")

    # the table: rows indented by their depth class, the row editor in place
    page.goto(live_server.url + DEMO + "tabel/")
    top = page.locator(f"#n-{pk('T1')} .pt-uraian")
    deeper = page.locator(f"#n-{pk('B1.P1')} .pt-uraian")
    indent = "e => parseFloat(getComputedStyle(e).paddingLeft)"
    assert deeper.evaluate(indent) > top.evaluate(indent)
    expect(page.locator(f"#n-{pk('B1.P1')} .pt-aksi button").first).to_be_visible()
    assert_clean(page, console, page_problems, "table")

    page.goto(live_server.url + DEMO + "riwayat/")
    expect(page.locator(".rw-events")).to_contain_text("B1.P1")
    assert_clean(page, console, page_problems, "history")


def test_admin_pages_run_under_the_policy(page: Page, live_server, login, demo, console, page_problems):
    login("admin")
    page.goto(live_server.url + "/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    assert_clean(page, console, page_problems, "admin index")

    # the draggable tree: draggable-admin.js ran (its buttons are there), titles indented by class
    pohon = Pohon.objects.get(dinas__kode="dpmd-lumajang", tahun=2018)
    page.goto(f"{live_server.url}/admin/pohon/node/?pohon={pohon.pk}")
    expect(page.get_by_role("link", name="Ciutkan pohon")).to_be_visible()
    expect(page.locator("#result_list .drag-handle").first).to_be_attached()
    titles = page.locator("#result_list .node-title")
    indent = "e => parseFloat(getComputedStyle(e).textIndent)"
    assert titles.nth(0).evaluate(indent) == 0
    assert page.locator(f"#result_list .node-title:has(a[href$='/{pk('B1.P1')}/change/'])").evaluate(indent) > 0
    assert_clean(page, console, page_problems, "node changelist")

    page.get_by_role("link", name="Bentangkan pohon").click()
    page.locator(f"#result_list a[href$='/{pk('B1.P1')}/change/']").click()
    expect(page.get_by_label("Uraian")).to_have_value(re.compile("Program peningkatan keberdayaan"))
    assert_clean(page, console, page_problems, "node change form")

    for path, check in [
        ("/admin/pohon/pohon/", "Impor dari spreadsheet"),
        (f"/admin/pohon/pohon/{pohon.pk}/change/", None),
        ("/admin/dinas/perangkatdaerah/", "Impor organisasi"),
        (f"/admin/dinas/perangkatdaerah/{pohon.dinas_id}/change/", None),
        ("/admin/dinas/unitkerja/", None),
        ("/admin/dinas/pejabat/", None),
        ("/admin/axes/accessattempt/", None),  # where an admin lifts a login lock
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        if check:
            expect(page.get_by_role("link", name=check)).to_be_visible()
        assert_clean(page, console, page_problems, path)

    # the import pages: the tree import's upload form and the organisation import's
    page.goto(live_server.url + "/admin/pohon/pohon/")
    page.get_by_role("link", name="Impor dari spreadsheet").click()
    expect(page.get_by_role("heading", name="Impor pohon kinerja dari spreadsheet")).to_be_visible()
    assert_clean(page, console, page_problems, "tree import")
    page.goto(live_server.url + "/admin/dinas/perangkatdaerah/")
    page.get_by_role("link", name="Impor organisasi").click()
    expect(page.get_by_label("Berkas")).to_be_visible()
    assert_clean(page, console, page_problems, "organisation import")


def test_verification_page_runs_under_the_policy(page: Page, live_server, demo_approved, console, page_problems):
    pengesahan = demo_approved.pengesahan
    page.goto(f"{live_server.url}/verifikasi/{pengesahan.token}/")
    expect(page.get_by_role("heading", name="Verifikasi Dokumen", exact=True)).to_be_visible()
    expect(page.get_by_text("Pohon kinerja (cascading)")).to_be_visible()
    section = page.locator(".verify section").first
    assert section.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"  # pokin.css, not a <style>
    assert_clean(page, console, page_problems, "verification")
