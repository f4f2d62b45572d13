"""The penjenjangan form's chart in a real browser: a box per Sasaran Program and Sasaran Kegiatan
headed by its unit, the Sasaran Strategis in the head's box, a click on a box's Sasaran opening
that Sasaran's panel; a screenshot at 1440x900 in test-artifacts/ for a person to look at."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.pohon.penjenjangan import SECTIONS, UNITS, penjenjangan_pohon, penjenjangan_units, sasaran_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("pemeriksa", password="rahasia-uji")


def test_penjenjangan_chart_boxes_per_sasaran(page: Page, live_server, login, dinas, superuser, screenshot):
    penjenjangan_units(dinas)
    penjenjangan_pohon(dinas, 2024)
    login("pemeriksa", "rahasia-uji")
    page.goto(live_server.url + "/pohon/dinas-uji/2024/")

    head = page.locator(".cc-box--head")
    expect(head.locator(".cc-title .cc-text")).to_have_text("KEPALA DINAS UJI KABUPATEN CONTOH")
    for row in sasaran_rows("SS"):
        expect(head).to_contain_text(row["uraian"])
    # the Sasaran Program in the row under the head, the Sasaran Kegiatan in the row under those
    programme_boxes = page.locator(".cc-root > .cc-branch > .cc-children > .cc-branch > .cc-box--sasaran")
    kegiatan_boxes = page.locator(".cc-children .cc-children .cc-box--sasaran")
    expect(programme_boxes.locator(".cc-title .cc-text")).to_have_text([nama.upper() for nama in UNITS])
    expect(kegiatan_boxes.locator(".cc-title .cc-text")).to_have_text([nama.upper() for nama in SECTIONS])
    for box, row in zip(kegiatan_boxes.all(), sasaran_rows("SK"), strict=True):
        expect(box).to_be_visible()
        expect(box.locator("> .cc-items > .cc-item--sasaran > .cc-text")).to_have_text(row["uraian"])
    expect(page.locator("#total-pagu")).to_have_text("Rp 7.464.247.000")
    screenshot("chart-penjenjangan.png")
    page.locator("#zoom-fit").click()  # the whole tree in the window: every box in view
    for box in programme_boxes.all() + kegiatan_boxes.all():
        expect(box).to_be_in_viewport()
    screenshot("chart-penjenjangan-fit.png")

    # The Sasaran's statement inside a box opens that Sasaran's panel, as a click on its box does.
    first = sasaran_rows("SK")[0]
    kegiatan_boxes.first.locator(".cc-item--sasaran > .cc-text").click()
    expect(page.locator("#node-panel-title")).to_have_text(first["uraian"])
    expect(kegiatan_boxes.first).to_have_class("cc-box cc-box--sasaran cc-current")
