"""The cascading chart in a real browser: what a user sees, collapses, searches and zooms.

Each test is one user's visit; the demo cascade costs more than a second to load, so a visit
checks several things rather than reloading it for each.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Locator, Page, expect

from pohon.services import pohon_create
from tests.browser.conftest import fill_login_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_CHART = "/pohon/dpmd-lumajang/2018/"
DIVISION = "KEPALA BIDANG BINA PEMERINTAHAN DESA"
DIVISION_SECTIONS = [
    "KASIE PENATAAN DESA",
    "KASIE KELEMBAGAAN PEMERINTAHAN DESA",
    "KASIE PERENCANAAN DAN EVALUASI DESA",
]
PILKADES = "Jumlah Desa yang melaksanakan Pilkades"  # an Indikator in the second section above


@pytest.fixture
def demo_chart(page: Page, live_server, login, demo) -> Page:
    login("kadis")
    page.goto(live_server.url + DEMO_CHART)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "CASCADING / POHON KINERJA DINAS PEMBERDAYAAN MASYARAKAT DAN DESA KABUPATEN LUMAJANG TAHUN 2018"
    )
    return page


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("pemeriksa", password="rahasia-uji")


def box(page: Page, kind: str, title: str) -> Locator:
    """The chart box of ``kind`` (bidang, seksi, program, kegiatan) whose title contains ``title``."""
    return page.locator(f".cc-box--{kind}", has=page.locator(".cc-title", has_text=title))


def search(page: Page, text: str) -> None:
    page.locator("#tree-search").fill(text)


def test_demo_chart_shows_the_cascade_and_zooms_to_fit(demo_chart: Page, screenshot):
    page = demo_chart
    divisions, sections = page.locator(".cc-box--bidang"), page.locator(".cc-box--seksi")
    expect(divisions).to_have_count(4)
    expect(sections).to_have_count(11)
    for each in divisions.all() + sections.all():
        expect(each).to_be_visible()
    expect(page.locator("#total-pagu")).to_have_text("Rp 8.731.687.000")
    expect(page.locator(".cc-box--head .cc-total")).to_have_text("Total Pagu: Rp 8.731.687.000")
    expect(box(page, "bidang", "KEPALA BIDANG PEMBERDAYAAN MASYARAKAT")).to_contain_text(
        "Jumlah Pagu: Rp 3.358.047.000"
    )
    years = page.get_by_role("combobox", name="Tahun")
    expect(years).to_have_value("2018")
    expect(years.locator("option")).to_have_text(["2018"])
    screenshot("chart-demo.png")

    chart = page.locator("#chart")
    viewport_width = page.viewport_size["width"]
    assert chart.bounding_box()["width"] > viewport_width  # else fitting proves nothing
    page.locator("#zoom-fit").click()
    fitted, frame = chart.bounding_box(), page.locator("#chart-viewport").bounding_box()
    assert fitted["width"] <= viewport_width
    assert frame["x"] <= fitted["x"]
    assert fitted["x"] + fitted["width"] <= frame["x"] + frame["width"]
    for each in divisions.all():
        expect(each).to_be_in_viewport()
    screenshot("chart-demo-fit.png")

    page.locator("#zoom-reset").click()
    assert chart.bounding_box()["width"] > viewport_width


def test_collapse_search_and_checks_panel_open_the_branches(demo_chart: Page):
    page = demo_chart
    division, sections = box(page, "bidang", DIVISION), [box(page, "seksi", name) for name in DIVISION_SECTIONS]
    toggle = division.locator(".cc-toggle")

    # one division folds away its sections and opens them again; the others stay open
    toggle.click()
    for section in sections:
        expect(section).to_be_hidden()
    expect(division.locator(".cc-title")).to_be_visible()
    expect(toggle).to_have_text("+")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".cc-box--seksi:visible")).to_have_count(11 - len(sections))
    toggle.click()
    for section in sections:
        expect(section).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")

    # search highlights the match and scrolls to it
    hit = page.locator("#chart mark.hit", has_text="Pilkades")
    search(page, "Pilkades")
    expect(hit).to_have_count(1)
    expect(hit).to_be_visible()
    expect(hit).to_be_in_viewport()
    expect(page.locator("#search-count")).to_have_text("1 hasil")
    search(page, "")
    expect(hit).to_have_count(0)

    # ... and opens the branch when everything is folded
    page.locator("#collapse-all").click()
    expect(page.locator(".cc-box--seksi:visible")).to_have_count(0)
    expect(page.locator("#chart").get_by_text(PILKADES)).to_be_hidden()
    search(page, "pilkades")  # case does not matter
    expect(hit).to_be_visible()
    expect(hit).to_be_in_viewport()
    expect(box(page, "seksi", "KASIE KELEMBAGAAN PEMERINTAHAN DESA")).to_be_visible()
    search(page, "tidak-ada-di-pohon")
    expect(page.locator("#search-count")).to_have_text("tidak ditemukan")

    # a finding in the checks panel opens its folded branch and scrolls the node into view
    search(page, "")
    page.locator("#collapse-all").click()
    page.locator(".checks .checks-info > summary").click()  # the demo's findings are information
    group = page.locator(".checks .check-info", has_text="Indikator tanpa target")
    group.locator("summary").click()
    link = group.locator(".check-link").last
    target = page.locator("#" + link.get_attribute("data-target"))
    expect(target).to_be_hidden()
    link.click()
    expect(target).to_be_visible()
    expect(target).to_be_in_viewport()


def test_year_switcher_moves_between_years_and_keeps_the_view(demo_chart: Page, live_server, demo):
    page = demo_chart
    pohon_create(dinas=demo.dinas, tahun=2019)
    page.reload()
    page.wait_for_load_state("load")
    years = page.get_by_role("combobox", name="Tahun")
    expect(years.locator("option")).to_have_text(["2018", "2019"])
    years.select_option("2019")
    expect(page).to_have_url(live_server.url + "/pohon/dpmd-lumajang/2019/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("TAHUN 2019")
    expect(years).to_have_value("2019")

    page.get_by_role("link", name="Tabel").click()
    expect(page).to_have_url(live_server.url + "/pohon/dpmd-lumajang/2019/tabel/")
    # The switcher is wired by pohon.js at the end of the page: choose once the page has loaded,
    # as a person would (choosing in the first milliseconds raced the script in CI).
    page.wait_for_load_state("load")
    page.get_by_role("combobox", name="Tahun").select_option("2018")
    expect(page).to_have_url(live_server.url + "/pohon/dpmd-lumajang/2018/tabel/")
    expect(page.locator("#pohon-table tfoot")).to_contain_text("Rp 8.731.687.000")


def test_design_card_chain_renders_programme_and_kegiatan_boxes(
    page: Page, live_server, login, chain_tree, superuser, screenshot
):
    login("pemeriksa", "rahasia-uji")
    page.goto(live_server.url + "/pohon/dinas-uji/2018/")
    head = page.locator(".cc-box--head")
    expect(head).to_contain_text("KEPALA DINAS UJI KABUPATEN CONTOH")
    expect(head).to_contain_text("Meningkatnya X")
    expect(head).to_contain_text("Target: 85,5 %")
    programme = page.locator(".cc-box--program")
    expect(programme).to_have_count(1)
    expect(programme).to_be_visible()
    expect(programme.locator(".cc-title")).to_have_text(re.compile(r"Program Z\s*\(Rp 6\.545\.000\.000\)"))
    kegiatan = page.locator(".cc-box--kegiatan")
    expect(kegiatan.locator(".cc-title .cc-text")).to_have_text(["Kegiatan A", "Kegiatan B"])
    for each in kegiatan.all():
        expect(each).to_be_visible()
    expect(kegiatan.first).to_contain_text("Rp 5.150.000.000")
    expect(kegiatan.last).to_contain_text("Rp 1.395.000.000")
    expect(page.locator("#total-pagu")).to_have_text("Rp 6.545.000.000")
    screenshot("chart-chain.png")


def test_programme_and_kegiatan_titles_fit_their_boxes(page: Page, live_server, login, chain_tree, superuser):
    login("pemeriksa", "rahasia-uji")
    page.goto(live_server.url + "/pohon/dinas-uji/2018/")
    boxes = page.locator(".cc-box--program, .cc-box--kegiatan")
    expect(boxes).to_have_count(3)
    for each in boxes.all():
        outer = each.bounding_box()
        for part in each.locator(".cc-title > *").all():
            inner = part.bounding_box()
            assert outer["x"] <= inner["x"], part.inner_text()
            assert inner["x"] + inner["width"] <= outer["x"] + outer["width"], part.inner_text()
        name = each.locator(".cc-title .cc-text").bounding_box()
        pagu = each.locator(".cc-title .cc-pagu").bounding_box()
        one_line = name["height"] < 1.5 * pagu["height"]
        assert one_line or pagu["y"] >= name["y"] + name["height"] - 1, "the Pagu sits beside a wrapped name"


def test_anonymous_visitor_lands_on_the_login_page_and_comes_back(page: Page, live_server, chain_tree, superuser):
    page.goto(live_server.url + "/pohon/dinas-uji/2018/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/pohon/dinas-uji/2018/$"))
    expect(page.locator(".cc-box")).to_have_count(0)
    expect(page.get_by_text("Program Z")).to_have_count(0)

    fill_login_form(page, "pemeriksa", "rahasia-uji")
    expect(page).to_have_url(live_server.url + "/pohon/dinas-uji/2018/")
    expect(page.locator(".cc-box--program")).to_contain_text("Program Z")
