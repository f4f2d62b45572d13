"""The tree table in a real browser: every node a row, collapsible by branch, searchable.

The demo's kode are hierarchical (B3, B3.K2, B3.K2.S1.I10), so a row's descendants are the rows
whose Kode column starts with its own kode and a dot: what a user reads, not the markup.
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_TABLE = "/pohon/dpmd-lumajang/2018/tabel/"
DIVISION = "B3"  # KEPALA BIDANG BINA PEMERINTAHAN DESA
PILKADES = "Jumlah Desa yang melaksanakan Pilkades"  # B3.K2.S1.I10


@pytest.fixture
def demo_table(page: Page, live_server, login, demo) -> Page:
    login("kadis")
    page.goto(live_server.url + DEMO_TABLE)
    expect(page.locator("#pohon-table")).to_be_visible()
    return page


def rows(page: Page, kode_prefix: str = "") -> Locator:
    """Body rows, or those whose Kode starts with ``kode_prefix``."""
    body = page.locator("#pohon-table tbody tr")
    if not kode_prefix:
        return body
    return body.filter(has=page.locator("td.pt-kode", has_text=re.compile("^" + re.escape(kode_prefix))))


def row(page: Page, kode: str) -> Locator:
    return rows(page).filter(has=page.locator("td.pt-kode", has_text=re.compile(f"^{re.escape(kode)}$")))


def visible(locator: Locator) -> Locator:
    return locator.locator("visible=true")


def test_rows_match_the_node_count_and_branches_collapse(demo_table: Page, screenshot):
    page = demo_table
    node_count = int(re.search(r"(\d+) butir", page.locator(".pohon-meta").inner_text()).group(1))
    assert node_count == 144
    expect(rows(page)).to_have_count(node_count)
    expect(visible(rows(page))).to_have_count(node_count)
    expect(row(page, "B1.P1")).to_contain_text("Program peningkatan keberdayaan Masyarakat Pedesaan")
    expect(row(page, "B1.P1")).to_contain_text("Rp 2.078.747.000")
    expect(page.locator("#pohon-table tfoot")).to_contain_text("Rp 8.731.687.000")
    screenshot("table-demo.png")

    # a division folds away all its descendants, and nothing else
    division, toggle = row(page, DIVISION), row(page, DIVISION).locator(".pt-toggle")
    below = rows(page, DIVISION + ".").count()
    assert below > 10
    expect(division).to_contain_text("KEPALA BIDANG BINA PEMERINTAHAN DESA")
    toggle.click()
    expect(visible(rows(page, DIVISION + "."))).to_have_count(0)
    expect(division).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(row(page, "B4")).to_be_visible()
    expect(visible(rows(page))).to_have_count(node_count - below)
    toggle.click()
    expect(visible(rows(page))).to_have_count(node_count)
    expect(toggle).to_have_attribute("aria-expanded", "true")

    # a folded section stays folded when its division is folded and opened again
    row(page, "B3.K2").locator(".pt-toggle").click()
    hidden_in_section = rows(page, "B3.K2.").count()
    expect(visible(rows(page, "B3.K2."))).to_have_count(0)
    toggle.click()
    toggle.click()
    expect(row(page, "B3.K2")).to_be_visible()
    expect(row(page, "B3.K3")).to_be_visible()
    expect(visible(rows(page, "B3.K2."))).to_have_count(0)
    expect(visible(rows(page))).to_have_count(node_count - hidden_in_section)


def test_collapse_all_then_search_reveals_and_highlights_the_row(demo_table: Page):
    page = demo_table
    page.locator("#collapse-all").click()
    expect(visible(rows(page))).to_have_count(1)  # the Tujuan
    target = rows(page).filter(has_text=PILKADES)
    expect(target).to_be_hidden()

    page.locator("#tree-search").fill("Pilkades")
    expect(target).to_be_visible()
    expect(target.locator("mark.hit")).to_have_text("Pilkades")
    expect(target).to_be_in_viewport()
    for ancestor in ("T1", "B3", "B3.K2"):
        expect(row(page, ancestor)).to_be_visible()
    expect(page.locator("#search-count")).to_have_text("1 hasil")

    page.locator("#expand-all").click()
    expect(visible(rows(page))).to_have_count(rows(page).count())
