"""The bulk issue of the Perjanjian Kinerja in the browser: the Kepala Dinas reads what "at once"
will do, presses, sees the progress bar on the list while the page stays usable, and once the
worker ran, downloads the joined PDF and the spreadsheet."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from core.jobs import job_execute
from core.models import Pekerjaan
from pohon.models import PerjanjianKinerja
from pohon.perjanjian.bulk import JOB_PERJANJIAN_MASSAL
from pohon.perjanjian.services import perjanjian_generate, perjanjian_submit
from pohon.permissions import operator_unit_ids

QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture
def queued(settings):
    settings.TASKS = QUEUED  # the job waits for the worker, which the test plays


def test_the_kepala_dinas_issues_at_once_with_a_progress_bar_then_downloads_both_files(
    page: Page, live_server, login, demo_approved, queued, screenshot
):
    users = get_user_model().objects
    kadis, operator = users.get(username="kadis"), users.get(username="operator")
    # The drafts exist and the operator of the first Bidang submitted its branch (4 PKs).
    drafts = perjanjian_generate(pohon=demo_approved, user=kadis).dibuat
    branch = operator_unit_ids(operator, demo_approved.dinas_id)
    operator_units = [pk for pk in drafts if pk.unit_id in branch]
    for pk in operator_units:
        perjanjian_submit(perjanjian=pk, user=operator)
    assert len(operator_units) == 4

    login("kadis")
    page.goto(live_server.url + "/pohon/dpmd-lumajang/2018/pk/")
    page.get_by_role("link", name="Terbitkan semua Perjanjian Kinerja").click()
    expect(page.get_by_role("heading", name="Terbitkan semua Perjanjian Kinerja sekaligus?")).to_be_visible()
    expect(page.locator("#bulk-akan")).to_have_text("5")  # their own JPT and the 4 submitted
    expect(page.locator("#bulk-menunggu")).to_have_text("11")
    expect(page.locator("#bulk-arti")).to_contain_text("tidak dapat diberikan atas namanya")
    screenshot("pk-bulk-confirm-desktop.png")
    page.set_viewport_size(PHONE)
    screenshot("pk-bulk-confirm-phone.png")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="Ya, terbitkan 5 Perjanjian Kinerja").click()
    expect(page).to_have_url(re.compile(r"/pohon/dpmd-lumajang/2018/pk/#pk-bulk$"))
    expect(page.get_by_text("berjalan di latar belakang")).to_be_visible()
    expect(page.locator("#pk-bulk #job-state")).to_have_text("Menunggu giliran")
    expect(page.locator("#pk-bulk").get_by_role("progressbar")).to_be_visible()
    expect(page.locator("#btn-terbitkan-semua")).to_have_count(0)  # one at a time
    screenshot("pk-bulk-progress-desktop.png")
    page.set_viewport_size(PHONE)
    screenshot("pk-bulk-progress-phone.png")
    page.set_viewport_size(DESKTOP)

    # The page answers meanwhile: another page of the agency opens while the job waits.
    other = page.context.new_page()
    other.goto(live_server.url + "/pohon/dpmd-lumajang/2018/")
    expect(other.locator("#link-perjanjian")).to_be_visible()
    other.close()

    job = Pekerjaan.objects.get(jenis=JOB_PERJANJIAN_MASSAL)
    job_execute(job_id=str(job.pk))  # the worker's turn

    expect(page.locator("#pk-bulk #job-state")).to_have_text("Selesai", timeout=20_000)  # polled and swapped
    expect(page.locator("#job-message")).to_contain_text("5 Perjanjian Kinerja disetujui dan ditandatangani")
    download = page.locator("#job-download")
    expect(download).to_contain_text("perjanjian-kinerja-dpmd-lumajang-2018-semua-F4.pdf")
    expect(page.locator("#job-result")).to_have_text("Unduh spreadsheet (.xlsx)")
    screenshot("pk-bulk-done-desktop.png")
    page.set_viewport_size(PHONE)
    screenshot("pk-bulk-done-phone.png")

    pdf = page.request.get(live_server.url + download.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.body())).pages) == 10  # 5 PKs of 2 pages
    xlsx = page.request.get(live_server.url + page.locator("#job-result").get_attribute("href"))
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert len(load_workbook(io.BytesIO(xlsx.body())).sheetnames) == 5

    page.get_by_role("link", name="Muat ulang daftar").click()
    expect(page.locator("#pk-list .status-disetujui")).to_have_count(5)
    assert PerjanjianKinerja.objects.filter(status="disetujui", ttd_status="selesai").count() == 5
