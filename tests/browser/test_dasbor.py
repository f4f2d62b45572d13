"""The agency's dashboard in a real browser, at a desk (1440x900) and on a phone (390x844): from
the home page to the example 2019, its charts coloured by band with their numbers, the tables
beside them, a quarter chosen, nothing wider than the screen. Screenshots go to test-artifacts/."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from pohon.models import Pohon

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = [pytest.param(DESK, id="desk"), pytest.param(PHONE, id="phone")]


@pytest.fixture
def demo_2019(demo):
    """The demo's example 2019 (see tests/pohon/laporan/conftest.py: approved directly)."""
    from pohon.demo.realisasi import demo_2019_tree, realisasi_contoh_load

    pohon, _created = demo_2019_tree(source=demo)
    Pohon.objects.filter(pk=pohon.pk).update(status=Pohon.Status.DISETUJUI)
    pohon.refresh_from_db()
    realisasi_contoh_load(pohon=pohon, kadis=get_user_model().objects.get(username="kadis"))
    return pohon


def name(size: dict) -> str:
    return "phone" if size["width"] < 700 else "desk"


@pytest.mark.parametrize("size", SIZES)
def test_agency_dashboard(page: Page, live_server, login, demo_2019, screenshot, size):
    page.set_viewport_size(size)
    login("kadis")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Dasbor kinerja").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dasbor kinerja Dinas Pemberdayaan Masyarakat")
    expect(page.locator(".lp-contoh")).to_contain_text("Data contoh")
    expect(page.locator("#lp-capaian")).to_have_text("91,6 %")
    # The unit chart: Sekretariat red with its number written beside the bar, the unit that has
    # not reported grey, the one above 120 % marked for checking.
    phone = size["width"] < 700  # a phone shows the narrow drawing of the same chart
    unit_chart = page.locator("#grafik-unit-hp" if phone else "#grafik-unit")
    expect(unit_chart).to_be_visible()
    expect(page.locator("#grafik-unit" if phone else "#grafik-unit-hp")).to_be_hidden()
    sekretariat = unit_chart.locator("g.batang", has_text="Sekretariat").first
    expect(sekretariat).to_have_class("batang batang-merah")
    expect(sekretariat).to_contain_text("64,2 %")
    expect(unit_chart.locator("g.batang-abu")).to_contain_text("belum lapor")
    expect(unit_chart).to_contain_text("133,4 % ▲" if phone else "133,4 % ▲ periksa")
    # The numbers beside the chart, and the formulas under the table.
    expect(page.locator("#per-unit table")).to_contain_text("Seksi Kerja Sama Desa")
    expect(page.locator("#per-unit .lp-rumus")).to_contain_text("Capaian = Realisasi / Target × 100%")
    expect(page.locator("#serapan")).to_contain_text("Rp 8.033.152.040")
    expect(page.locator("#belum-lapor li")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    screenshot(f"dasbor-{name(size)}.png")

    # An earlier quarter: every unit had reported TW II; serapan was 40 %.
    page.get_by_role("button", name="TW II", exact=True).click()
    expect(page.locator("#lp-serapan")).to_have_text("40 %")
    expect(page.locator("#belum-lapor")).to_contain_text("Semua unit kerja sudah mengajukan laporan triwulan ini.")
    expect(unit_chart.locator("g.batang-abu")).to_have_count(0)
    screenshot(f"dasbor-tw2-{name(size)}.png")
