"""An operator reports a quarter in the browser, submits it, and the Kepala Dinas verifies it;
the capaian table turns from grey ("belum lapor") to its colour."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dinas.models import PerangkatDaerah
from pohon.realisasi.models import LaporanTriwulan, Realisasi
from pohon.realisasi.services import jendela_set
from tests.browser.conftest import fill_login_form
from tests.conftest import pemda_named
from tests.pohon.realisasi.conftest import realisasi_tree_build

pytestmark = pytest.mark.browser
PASSWORD = "rahasia-uji"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_operator_reports_and_kepala_dinas_verifies(page: Page, live_server, screenshot, size):
    dinas = PerangkatDaerah.objects.create(
        kode="dinas-uji", nama="Dinas Uji", pemda=pemda_named("Kabupaten Contoh"), tempat="Contoh"
    )
    tree = realisasi_tree_build(dinas)
    today = timezone.localdate()
    jendela_set(
        pemda=dinas.pemda, tahun=2019, triwulan=3, mulai=today, selesai=today + datetime.timedelta(days=14), user=None
    )
    if size == "phone":
        page.set_viewport_size({"width": 390, "height": 844})

    page.goto(live_server.url + "/login/")
    fill_login_form(page, "op_a", PASSWORD)
    page.goto(live_server.url + "/pohon/dinas-uji/2019/")
    page.locator("#link-realisasi").click()
    row = page.locator('#capaian-table tr[data-kode="S1.I1"]')
    expect(row.locator(".cp").nth(2)).to_have_text("belum lapor")
    expect(row.locator(".cp").nth(2)).to_have_class("cp cp-abu")
    page.locator("#tw-3").get_by_role("link", name="Bidang A").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Laporan realisasi TW III 2019 — Bidang A")

    nodes = tree["nodes"]
    page.locator(f"#r-{nodes['S1.I1'].kunci}").fill("60")
    page.locator(f"#pendukung-{nodes['S1.I1'].kunci}").fill("Pendampingan desa (contoh)")
    page.locator(f"#penghambat-{nodes['S1.I1'].kunci}").fill("Data desa terlambat (contoh)")
    page.locator(f"#r-{nodes['S1.I2'].kunci}").select_option("WTP")
    page.locator(f"#r-{nodes['P1.I1'].kunci}").fill("9")
    page.locator(f"#a-in-{nodes['P1'].kunci}").fill("Rp 1.250.000.000")
    page.locator("#btn-simpan").click()
    expect(page.locator(f"#a-{nodes['P1'].kode}")).to_contain_text("melebihi Pagu Rp 1.000.000.000")
    expect(page.locator(f"#r-{nodes['S1.I1'].kunci}")).to_have_value("60")  # nothing lost
    assert not Realisasi.objects.exists()
    page.locator(f"#a-in-{nodes['P1'].kunci}").fill("250.000.000")
    screenshot(f"realisasi-entri-{size}.png")
    page.locator("#btn-ajukan").click()
    expect(page.locator(".messages")).to_contain_text("Laporan TW III diajukan kepada Kepala Dinas.")
    expect(page.locator("#laporan-status")).to_have_text("Diajukan")

    page.get_by_role("button", name="Keluar").click()
    page.goto(live_server.url + "/login/")
    fill_login_form(page, "kadis", PASSWORD)
    page.goto(live_server.url + "/realisasi/dinas-uji/2019/")
    row = page.locator('#capaian-table tr[data-kode="S1.I1"]')
    expect(row.locator(".cp").nth(2)).to_have_text("75 %")  # 60 / 80
    expect(row.locator(".cp").nth(2)).to_have_class("cp cp-kuning")
    page.locator("#link-verifikasi-3").click()
    card = page.locator("#unit-bidang-a")
    expect(card).to_contain_text("Diajukan")
    expect(card).to_contain_text("Pendampingan desa (contoh)")
    screenshot(f"realisasi-verifikasi-{size}.png")
    page.locator("#catatan-bidang-a").fill("Sesuai data dukung.")
    page.locator("#btn-verifikasi-bidang-a").click()
    expect(page.locator(".messages")).to_contain_text("Laporan diverifikasi dan dikunci.")
    expect(card).to_contain_text("Diverifikasi")
    assert LaporanTriwulan.objects.get().status == "diverifikasi"
    page.goto(live_server.url + "/realisasi/dinas-uji/2019/")
    expect(page.locator("#tw-3")).to_contain_text("Diverifikasi")
    screenshot(f"realisasi-ringkasan-{size}.png")
