"""Pokin at a desk (1440x900) and on a phone (390x844), in a real browser: the header keeps its
logout inside the screen, the home page's table fits the width, the tree table keeps the Uraian and
the Pagu readable (on the phone kode, jenis, unit, the row's own Pagu beside its Total Pagu, target
and satuan fold away and come back with one button), its Aksi column is whole at 1440 px with
labelled buttons only on the operator's rows, and the node panel is a full-width sheet on the phone.
Screenshots go to test-artifacts/."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from pohon.models import Node

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_CHART = "/pohon/dpmd-lumajang/2018/"
DEMO_TABLE = "/pohon/dpmd-lumajang/2018/tabel/"
DESK = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = [pytest.param(DESK, id="desk"), pytest.param(PHONE, id="phone")]
PROGRAM = "B1.P1"  # Program peningkatan keberdayaan Masyarakat Pedesaan, Rp 2.078.747.000
FOLDED = ("pt-kode", "pt-jenis", "pt-unit", "pt-pagu", "pt-target", "pt-satuan")


def pk(kode: str) -> int:
    return Node.objects.get(pohon__dinas__kode="dpmd-lumajang", kode=kode).pk


def name(size: dict) -> str:
    return "phone" if size["width"] < 700 else "desk"


def inside_viewport(page: Page, selector: str) -> bool:
    """The element's whole box lies inside the viewport's width (and it has a box at all)."""
    box = page.locator(selector).bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= width


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("size", SIZES)
def test_header_and_home_fit_the_screen(page: Page, live_server, login, demo, screenshot, size):
    page.set_viewport_size(size)
    # a long name, as officials' names are: shortened on the phone, never pushing the logout out
    get_user_model().objects.filter(username="operator").update(
        first_name="Dra. Hj. Siti Nurhayati Kusumawardhani", last_name="M.Si."
    )
    login("operator")
    page.goto(live_server.url + "/")
    logout = page.get_by_role("button", name="Keluar")
    expect(logout).to_be_visible()
    assert inside_viewport(page, ".site-header button.link")
    assert inside_viewport(page, ".home-table")
    assert page_width(page) <= size["width"]
    # the home page counts butir, as the admin does (tests/pohon/test_words.py compares them)
    expect(page.locator(".home-table")).to_contain_text("144 butir")
    expect(page.locator(".home-table")).to_contain_text("Rp 8.731.687.000")
    screenshot(f"home-{name(size)}.png")


@pytest.mark.parametrize("size", SIZES)
def test_table_keeps_uraian_and_pagu_readable(page: Page, live_server, login, demo, screenshot, size):
    page.set_viewport_size(size)
    login("operator")
    page.goto(live_server.url + DEMO_TABLE)
    row = f"#n-{pk(PROGRAM)}"
    uraian, pagu = page.locator(f"{row} .pt-uraian"), page.locator(f"{row} .pt-total")
    expect(uraian).to_contain_text("Program peningkatan keberdayaan Masyarakat Pedesaan")
    expect(pagu).to_have_text("Rp 2.078.747.000")
    assert inside_viewport(page, f"{row} .pt-uraian") and inside_viewport(page, f"{row} .pt-total")
    # the Bidang's line shows its money too: the sum of its programmes
    expect(page.locator(f"#n-{pk('B1')} .pt-total")).to_have_text("Rp 3.358.047.000")
    assert page.locator(f"{row} .pt-uraian").bounding_box()["width"] >= 120  # words, not letters a line
    more = page.get_by_role("button", name="Tampilkan semua kolom")
    if size is PHONE:
        for cls in FOLDED:
            expect(page.locator(f"{row} .{cls}")).to_be_hidden()
        assert page_width(page) <= size["width"]
        # the table itself fits: no sideways scrolling, its Aksi cells inside the screen
        assert page.evaluate("(e => e.scrollWidth <= e.clientWidth)(document.querySelector('.table-wrap'))")
        assert inside_viewport(page, f"{row} .pt-aksi")
        screenshot("table-phone.png")
        more.click()  # what folded is still there
        expect(page.locator(f"{row} .pt-kode")).to_have_text(PROGRAM)
        expect(page.locator(f"{row} .pt-unit")).to_be_visible()
        expect(page.get_by_role("button", name="Sembunyikan kolom tambahan")).to_have_attribute("aria-pressed", "true")
        page.get_by_role("button", name="Sembunyikan kolom tambahan").click()
        expect(page.locator(f"{row} .pt-kode")).to_be_hidden()
    else:
        expect(more).to_be_hidden()
        for cls in FOLDED:
            expect(page.locator(f"{row} .{cls}")).to_be_visible()
        expect(page.locator(f"{row} .pt-pagu")).to_have_text("Rp 2.078.747.000")
        # the Aksi column: whole inside the window, buttons labelled, only on the operator's rows
        head = page.locator("#pohon-table thead th.pt-aksi")
        expect(head).to_have_text("Aksi")
        assert inside_viewport(page, "#pohon-table thead th.pt-aksi")
        buttons = page.locator(f"{row} .pt-aksi .pe-btn")
        expect(buttons).to_have_count(6)
        # the table needs no more than its scrolling box, which would cut the Aksi column off
        assert page.evaluate("(e => e.scrollWidth <= e.clientWidth)(document.querySelector('.table-wrap'))")
        wrap = page.locator(".table-wrap").bounding_box()
        for index in range(6):
            button = buttons.nth(index)
            assert button.get_attribute("title")
            assert PROGRAM in button.get_attribute("aria-label")
            box = button.bounding_box()
            assert box["x"] + box["width"] <= min(size["width"], wrap["x"] + wrap["width"])
        expect(page.locator(f"{row} .pt-aksi").get_by_role("button", name=f"Ubah {PROGRAM}")).to_be_visible()
        # Bidang Bina Pemerintahan Desa is not the operator's: its rows have no buttons
        expect(page.locator(f"#n-{pk('B3.K2')} .pt-aksi")).to_be_empty()
        expect(page.locator(f"#n-{pk('B3.K2')} .pt-aksi .pe-btn")).to_have_count(0)
        screenshot("table-desk.png")


@pytest.mark.parametrize("size", SIZES)
def test_node_panel_is_a_sheet_on_the_phone(page: Page, live_server, login, demo, screenshot, size):
    page.set_viewport_size(size)
    login("operator")
    page.goto(live_server.url + DEMO_CHART)
    node = page.locator(f"#n-{pk(PROGRAM)}")
    node.focus()
    node.press("Enter")
    panel = page.locator("#node-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".np-title")).to_contain_text("Program peningkatan keberdayaan Masyarakat Pedesaan")
    expect(panel.get_by_role("button", name="Tambah Kegiatan")).to_be_visible()
    box = panel.bounding_box()
    if size is PHONE:
        assert box["x"] == 0 and box["width"] == size["width"]
    else:
        assert box["x"] > size["width"] / 2  # beside the chart, not over it
    assert inside_viewport(page, ".np-close")
    screenshot(f"panel-{name(size)}.png")
