"""Importing a tree through the admin in a real browser: a file with mistakes is shown with
every problem and cannot be confirmed; a good file is previewed, confirmed, and opens as a chart."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from dinas.models import Keanggotaan
from dinas.roles import GROUP_ADMIN, roles_ensure_groups
from tests.pohon.test_admin_import import BAD_ROWS, GOOD_ROWS, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def dinas_admin(dinas):
    user = get_user_model().objects.create_user("admin-dinas", password="rahasia-uji", is_staff=True)
    user.groups.set([roles_ensure_groups()[GROUP_ADMIN]])
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=Keanggotaan.Peran.ADMIN)
    return user


def choose_file(page: Page, name: str, data: bytes) -> None:
    page.get_by_label("Berkas").set_input_files({"name": name, "mimeType": XLSX, "buffer": data})


def test_admin_sees_every_problem_then_imports_a_good_file(
    page: Page, live_server, login, dinas, dinas_admin, screenshot
):
    login("admin-dinas", "rahasia-uji")
    page.goto(live_server.url + "/admin/pohon/pohon/")
    page.get_by_role("link", name="Impor dari spreadsheet").click()
    expect(page.get_by_role("heading", name="Impor pohon kinerja dari spreadsheet")).to_be_visible()
    expect(page.get_by_role("link", name="Unduh templat (.xlsx)")).to_be_visible()
    screenshot("import-upload.png")

    # a file with two mistakes: both shown with their rows, no confirm offered
    page.get_by_label("Perangkat Daerah").select_option(label="Dinas Uji Kabupaten Contoh")
    page.get_by_label("Tahun").fill("2019")
    choose_file(page, "pohon-salah.xlsx", xlsx(BAD_ROWS))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_role("heading", name="2 masalah ditemukan")).to_be_visible()
    problems = page.locator("#import-problems tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.locator("td.import-row")).to_have_text(["3", "6"])
    expect(problems.locator("td.import-column")).to_have_text(["pagu", "jenis"])
    expect(problems.nth(0)).to_contain_text("abc")
    expect(problems.nth(0)).to_contain_text("bukan angka Rupiah")
    expect(problems.nth(1)).to_contain_text("Kegitan")
    expect(problems.nth(1)).to_contain_text("tidak dikenal")
    expect(page.get_by_role("button", name="Konfirmasi impor")).to_have_count(0)
    screenshot("import-preview-errors.png")

    # the corrected file: previewed with its counts, tree and total, then confirmed
    page.get_by_role("link", name="Unggah berkas lain").click()
    expect(page.get_by_label("Tahun")).to_have_value("2019")  # kept from the first try
    expect(page.get_by_label("Perangkat Daerah")).to_have_value(str(dinas.pk))
    choose_file(page, "pohon.xlsx", xlsx(GOOD_ROWS))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.locator("#import-problems")).to_have_count(0)
    expect(page.locator("#import-total-pagu")).to_have_text("Rp 6.545.000.000")
    expect(page.locator("#import-counts tbody tr")).to_have_count(5)
    tree = page.locator("#import-tree tbody tr")
    expect(tree).to_have_count(6)
    expect(tree.nth(3)).to_contain_text("Program Z")
    expect(tree.nth(3)).to_contain_text("Rp 6.545.000.000")
    top, programme = tree.nth(0).locator("td").first, tree.nth(3).locator("td").first
    assert programme.evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)") > top.evaluate(
        "e => parseFloat(getComputedStyle(e).paddingLeft)"
    )
    screenshot("import-preview-ok.png")

    # the confirm button stands above and below the tree: the one below is confirmed with
    confirm = page.get_by_role("button", name="Konfirmasi impor")
    expect(confirm).to_have_count(2)
    below = confirm.nth(1)
    table = page.locator("#import-tree").bounding_box()
    assert below.bounding_box()["y"] > table["y"] + table["height"]
    below.click()
    expect(page).to_have_url(live_server.url + "/pohon/dinas-uji/2019/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "CASCADING / POHON KINERJA DINAS UJI KABUPATEN CONTOH TAHUN 2019"
    )
    expect(page.locator("#total-pagu")).to_have_text("Rp 6.545.000.000")
    expect(page.locator(".messages")).to_contain_text(re.compile(r"telah diimpor dari pohon\.xlsx: 6 butir"))
    expect(page.locator(".cc-box--program .cc-title")).to_contain_text("Program Z")
