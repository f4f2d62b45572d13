"""The tree editor in a real browser: the operator of Bidang Pemberdayaan Masyarakat (B1) adds,
changes, moves and deletes a Kegiatan on the table page without leaving it, and sees the
division's total follow; Bidang Bina Pemerintahan Desa (B3) offers no controls."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from pohon.models import Node
from pohon.money import pagu_parse, rupiah
from tests.browser.test_table import DEMO_TABLE, row, rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOTAL_COLUMN = 5  # kode, jenis, uraian, unit, Pagu, *Total Pagu*, target, satuan, aksi


def total_cell(page: Page, kode: str):
    return row(page, kode).locator("td").nth(TOTAL_COLUMN)


def total_of(page: Page, kode: str) -> Decimal:
    return pagu_parse(total_cell(page, kode).inner_text()) or Decimal(0)


def button(page: Page, label: str):
    return page.get_by_role("button", name=label, exact=True)


def kodes(page: Page) -> list[str]:
    return [text.strip() for text in rows(page).locator("td.pt-kode").all_inner_texts()]


@pytest.fixture
def operator_table(page: Page, live_server, login, demo) -> Page:
    login("operator")
    page.goto(live_server.url + DEMO_TABLE)
    expect(page.locator("#pohon-table")).to_be_visible()
    return page


def test_operator_adds_edits_moves_and_deletes_a_kegiatan(operator_table: Page, screenshot):
    page = operator_table
    expect(rows(page, "B1").locator(".pe-btn").first).to_be_visible()
    expect(rows(page, "B3").locator(".pe-btn")).to_have_count(0)
    expect(row(page, "T1").locator(".pe-btn")).to_have_count(0)
    division_before = total_of(page, "B1")
    grand_before = pagu_parse(page.locator("#total-pagu").inner_text())
    row(page, "B1").scroll_into_view_if_needed()
    screenshot("editor-controls.png")

    # add: the form opens below the section's row, focus on its first field
    button(page, "Tambah butir di bawah B1.K1").click()
    form = page.locator(".pe-form-row form")
    expect(form).to_be_visible()
    expect(page.get_by_label("Jenis")).to_be_focused()
    expect(form.get_by_label("Pagu")).to_be_hidden()  # the first kind offered (Sasaran) carries none
    page.get_by_label("Jenis").select_option("kegiatan")
    expect(form.get_by_label("Pagu")).to_be_visible()
    form.get_by_label("Uraian").fill("Kegiatan uji peramban")
    form.get_by_label("Kode").fill("UJI-B")
    form.get_by_label("Pagu").fill("Rp 1.000.000")
    screenshot("editor-add-form.png")
    button(page, "Tambah").click()
    expect(row(page, "UJI-B")).to_contain_text("Kegiatan uji peramban")
    expect(row(page, "UJI-B")).to_contain_text("Rp 1.000.000")
    expect(page.locator(".pe-form-row")).to_have_count(0)
    expect(page.locator("#pe-status")).to_contain_text("UJI-B ditambahkan")
    expect(total_cell(page, "B1")).to_have_text(rupiah(division_before + 1_000_000))
    expect(page.locator("#total-pagu")).to_have_text(rupiah(grand_before + 1_000_000))
    expect(page.locator(".pohon-meta")).to_contain_text("145 butir")
    expect(button(page, "Ubah UJI-B")).to_be_focused()
    screenshot("editor-added.png")

    # edit: a wrong Pagu comes back next to its field, the form stays open; then a good one
    button(page, "Ubah UJI-B").click()
    form = page.locator(".pe-form-row form")
    expect(form.get_by_label("Uraian")).to_be_focused()
    form.get_by_label("Pagu").fill("dua juta")
    button(page, "Simpan").click()
    expect(form.locator(".pe-field-pagu .pe-field-errors")).to_contain_text("bukan angka Rupiah")
    expect(form.get_by_label("Pagu")).to_be_focused()
    screenshot("editor-error.png")
    form.get_by_label("Pagu").fill("Rp 2.500.000")
    button(page, "Simpan").click()
    expect(row(page, "UJI-B")).to_contain_text("Rp 2.500.000")
    expect(total_cell(page, "B1")).to_have_text(rupiah(division_before + 2_500_000))

    # Escape closes a form and gives the focus back to the button that opened it
    button(page, "Ubah UJI-B").click()
    expect(page.locator(".pe-form-row")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator(".pe-form-row")).to_have_count(0)
    expect(button(page, "Ubah UJI-B")).to_be_focused()

    # reorder: one place up among the section's children
    order = kodes(page)
    position = order.index("UJI-B")
    above = order[position - 1]
    button(page, "Naikkan UJI-B").click()
    expect(page.locator("#pe-status")).to_contain_text("UJI-B dipindahkan")
    assert kodes(page).index("UJI-B") < kodes(page).index(above)

    # move under another section of the same division: the division's total stays
    button(page, "Pindahkan UJI-B").click()
    target = Node.objects.get(pohon__dinas__kode="dpmd-lumajang", kode="B1.K2")
    select = page.get_by_label("Induk baru")
    expect(select).to_be_focused()
    expect(select.locator("option", has_text=re.compile(r"B3\."))).to_have_count(0)
    select.select_option(str(target.pk))
    button(page, "Pindahkan").click()
    expect(page.locator("#pe-status")).to_contain_text("dipindahkan ke bawah B1.K2")
    order = kodes(page)
    assert order.index("B1.K2") < order.index("UJI-B") < order.index("B1.K3")
    expect(total_cell(page, "B1")).to_have_text(rupiah(division_before + 2_500_000))
    screenshot("editor-moved.png")

    # delete, after a confirmation that says what goes with it
    button(page, "Hapus UJI-B").click()
    expect(page.locator(".pe-confirm")).to_have_text("Hapus Kegiatan ini?")
    screenshot("editor-delete.png")
    button(page, "Hapus").click()
    expect(row(page, "UJI-B")).to_have_count(0)
    expect(total_cell(page, "B1")).to_have_text(rupiah(division_before))
    expect(page.locator("#total-pagu")).to_have_text(rupiah(grand_before))

    button(page, "Hapus B1.K3").click()
    below = rows(page, "B1.K3.").count()
    expect(page.locator(".pe-confirm")).to_have_text(f"Hapus Seksi ini beserta {below} butir di bawahnya?")
    page.keyboard.press("Escape")
    expect(row(page, "B1.K3")).to_have_count(1)


def test_collapse_still_works_after_an_edit(operator_table: Page):
    page = operator_table
    button(page, "Ubah B1.P1").click()
    button(page, "Simpan").click()
    expect(page.locator("#pe-status")).to_contain_text("B1.P1 disimpan")
    row(page, "B1").locator(".pt-toggle").click()
    expect(rows(page, "B1.").locator("visible=true")).to_have_count(0)
