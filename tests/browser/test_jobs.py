"""A large tree's draft PDF in the browser: asked for, waited on (the job page polls with htmx
under the CSP), then downloaded; and the approval shown as being signed until the worker ran."""

import re

import pytest
from playwright.sync_api import Page, expect

from core.jobs import job_execute
from core.models import Pekerjaan
from pohon.models import Pohon
from pohon.workflow import pohon_submit

QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def queued(settings):
    settings.TASKS = QUEUED
    settings.POKIN_PDF_INLINE_MAX_NODES = 50  # the demo's 144 nodes count as a large tree here


def test_draft_pdf_of_a_large_tree_is_waited_for_then_downloaded(
    page: Page, live_server, login, demo, queued, screenshot
):
    login("operator")
    page.goto(live_server.url + "/pohon/dpmd-lumajang/2018/pdf/?kertas=A3")
    expect(page.get_by_text("PDF-nya dibuat di latar belakang")).to_be_visible()
    page.get_by_role("button", name="Buat PDF draf").click()
    expect(page).to_have_url(re.compile(r"/pekerjaan/[0-9a-f-]{36}/$"))
    expect(page.locator("#job-state")).to_have_text("Menunggu giliran")
    expect(page.get_by_role("progressbar")).to_be_visible()
    screenshot("job-waiting-desktop.png")
    page.set_viewport_size(PHONE)
    screenshot("job-waiting-phone.png")

    job_execute(job_id=str(Pekerjaan.objects.get().pk))  # the worker's turn

    download = page.locator("#job-download")
    expect(download).to_be_visible(timeout=10_000)  # the page polled and swapped itself
    expect(download).to_contain_text("pohon-kinerja-dpmd-lumajang-2018-draf-A3.pdf")
    expect(page.locator("#job-state")).to_have_text("Selesai")
    screenshot("job-done-phone.png")
    response = page.request.get(live_server.url + download.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_approval_shows_signing_until_the_worker_ran(
    page: Page, live_server, login, demo, queued, signing_certificate, screenshot, django_user_model
):
    pohon_submit(pohon=demo, user=django_user_model.objects.get(username="operator"))
    login("kadis")
    page.goto(live_server.url + "/pohon/dpmd-lumajang/2018/")
    page.get_by_role("button", name="Setujui dan tandatangani").click()
    expect(page.locator("#approve-total-pagu")).to_have_text("Rp 8.731.687.000")
    page.get_by_role("button", name="Ya, setujui dan tandatangani").click()
    expect(page.locator("#pohon-meta .status")).to_have_text("Sedang ditandatangani")
    expect(page.locator("#ttd-state")).to_contain_text("dokumen sedang ditandatangani di latar belakang")
    screenshot("approval-signing-desktop.png")

    job_execute(job_id=str(Pekerjaan.objects.get(jenis="pohon.tandatangan").pk))

    page.reload()
    expect(page.locator("#pohon-meta .status")).to_have_text("Disetujui")
    expect(page.locator("#ttd-state")).to_contain_text("bertanda tangan elektronik")
    assert Pohon.objects.get(pk=demo.pk).pengesahan.dokumen.berkas.count() == 3
