"""Background jobs through the real database task backend and worker: approval signs in the
background, a failed signing is shown and retried, draft PDFs of large trees are jobs shared by
everyone who asks, and a job over its time or memory limit stops with a message in a child
process while the worker lives on."""

import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from core.jobs import _child_environment, job_execute
from core.models import DetakPekerja, Pekerjaan
from pohon.jobs import JOB_PDF_DRAF, draft_pdf_enqueue
from pohon.models import DokumenTerbit, Pengesahan, Pohon
from pohon.workflow import pohon_approve, pohon_submit
from tests.conftest import DEMO_PASSWORD

User = get_user_model()
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def pdf_text(data: bytes) -> str:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


def run_worker() -> None:
    call_command("pokin_worker", batch=True, interval=0, stdout=StringIO(), stderr=StringIO())


def login(client, username: str) -> None:
    assert client.login(username=username, password=DEMO_PASSWORD)


@pytest.fixture
def queued(settings):
    """Jobs wait in the database until a worker runs them, as in production."""
    settings.TASKS = DATABASE_BACKEND


@pytest.mark.django_db(transaction=True)
def test_approval_commits_at_once_and_the_worker_signs_every_paper_size(client, demo, signing_certificate, queued):
    pohon_submit(pohon=demo, user=User.objects.get(username="operator"))
    login(client, "kadis")
    response = client.post(reverse("pohon:setujui", args=["dpmd-lumajang", 2018]), {"konfirmasi": "1"}, follow=True)
    assert "sedang dibuat di latar belakang" in response.content.decode()
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DISETUJUI
    assert demo.status_display == "Sedang ditandatangani"
    assert DokumenTerbit.objects.count() == 0
    chart = client.get(demo.chart_url()).content.decode()
    assert "Sedang ditandatangani" in chart
    assert "dokumen sedang ditandatangani di latar belakang" in chart
    waiting = client.get(reverse("pohon:pdf", args=["dpmd-lumajang", 2018]))
    assert waiting.status_code == 202
    assert "sedang dibuat dan ditandatangani" in waiting.content.decode()
    assert DokumenTerbit.objects.count() == 0  # a GET made nothing

    run_worker()

    demo = Pohon.objects.get(pk=demo.pk)
    assert demo.status_display == "Disetujui"
    assert sorted(DokumenTerbit.objects.values_list("kertas", flat=True)) == ["A3", "A4", "F4"]
    job = Pekerjaan.objects.get(jenis="pohon.tandatangan")
    assert (job.status, job.progres, job.user_nama) == ("selesai", 100, "kadis")
    signed = client.get(reverse("pohon:pdf", args=["dpmd-lumajang", 2018]) + "?kertas=A3")
    assert signed.status_code == 200
    assert signed["Content-Type"] == "application/pdf"
    assert "PATRIANI HASTIADI" in pdf_text(signed.content)
    assert "bertanda tangan elektronik" in client.get(demo.chart_url()).content.decode()


@pytest.mark.django_db(transaction=True)
def test_failed_signing_is_shown_and_can_be_retried(client, demo, signing_certificate, queued, settings, tmp_path):
    pohon_submit(pohon=demo, user=User.objects.get(username="operator"))
    pohon_approve(pohon=demo, user=User.objects.get(username="kadis"))
    good_certificate = settings.POKIN_SIGNING_P12
    settings.POKIN_SIGNING_P12 = tmp_path / "rahasia" / "hilang.p12"  # the certificate went missing

    run_worker()

    pengesahan = Pengesahan.objects.get(pohon=demo)
    assert pengesahan.ttd_status == "gagal"
    assert DokumenTerbit.objects.count() == 0
    login(client, "kadis")
    chart = client.get(demo.chart_url()).content.decode()
    assert "Penandatanganan gagal" in chart
    assert str(tmp_path) not in chart
    assert 'id="btn-tandatangani"' in chart
    page = client.get(reverse("pohon:pdf", args=["dpmd-lumajang", 2018]))
    assert page.status_code == 202
    assert "Penandatanganan gagal" in page.content.decode()

    # The operator may not retry; the Kepala Dinas may, once the certificate is back.
    client.logout()
    login(client, "operator")
    refused = client.post(reverse("pohon:aksi", args=["dpmd-lumajang", 2018, "tandatangani"]))
    assert refused.status_code == 403
    client.logout()
    login(client, "kadis")
    settings.POKIN_SIGNING_P12 = good_certificate
    client.post(reverse("pohon:aksi", args=["dpmd-lumajang", 2018, "tandatangani"]))
    assert Pengesahan.objects.get(pohon=demo).ttd_status == "menunggu"
    run_worker()
    assert Pengesahan.objects.get(pohon=demo).ttd_status == "selesai"
    assert DokumenTerbit.objects.count() == 3
    assert "Disetujui" in client.get(demo.chart_url()).content.decode()


@pytest.mark.django_db
def test_large_draft_pdf_is_a_background_job_shared_by_whoever_asks(client, demo, queued, settings):
    settings.POKIN_PDF_INLINE_MAX_NODES = 50  # the demo's 144 nodes count as a large tree here
    url = reverse("pohon:pdf", args=["dpmd-lumajang", 2018]) + "?kertas=A3"
    login(client, "operator")
    page = client.get(url)
    assert page.status_code == 200
    assert "dibuat di latar belakang" in page.content.decode()
    assert Pekerjaan.objects.count() == 0  # the GET only offers it
    response = client.post(url, {"kertas": "A3"})
    job = Pekerjaan.objects.get()
    assert response["Location"] == reverse("pekerjaan", args=[job.pk])
    # The Kepala Dinas asks for the same draft meanwhile: the same job, not a second render.
    client.logout()
    login(client, "kadis")
    client.post(url, {"kertas": "A3"})
    assert Pekerjaan.objects.count() == 1
    status = client.get(response["Location"] + "?bagian=1").content.decode()
    assert "Menunggu giliran" in status
    assert 'hx-trigger="every 2s"' in status

    run_worker_in_test_transaction()

    status = client.get(response["Location"] + "?bagian=1").content.decode()
    assert "Selesai" in status
    assert 'hx-trigger="every 2s"' not in status
    download = client.get(reverse("pekerjaan_unduh", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(download.content)
    assert "DRAF" in text
    assert "Program peningkatan keberdayaan Masyarakat Pedesaan" in text
    # Asked again while the tree is unchanged: the same file, no new job.
    assert "job-download" in client.get(url).content.decode()
    assert Pekerjaan.objects.count() == 1


def run_worker_in_test_transaction() -> None:
    # The worker's heartbeat thread writes on its own connection, which a test transaction would
    # block on SQLite; this runs the queued jobs of the test's own transaction directly.
    for job_id in Pekerjaan.objects.filter(status="antri").values_list("pk", flat=True):
        job_execute(job_id=str(job_id))


@pytest.mark.django_db
def test_jobs_of_another_agency_are_not_found(client, demo, queued, other_dinas):
    job = draft_pdf_enqueue(pohon=demo, kertas="F4", user=None)
    outsider = User.objects.create_user("luar", password="x")
    from dinas.models import Keanggotaan

    Keanggotaan.objects.create(user=outsider, dinas=other_dinas, peran="admin")
    client.force_login(outsider)
    assert client.get(reverse("pekerjaan", args=[job.pk])).status_code == 404
    assert client.get(reverse("pekerjaan_unduh", args=[job.pk])).status_code == 404
    client.logout()
    anonymous = client.get(reverse("pekerjaan", args=[job.pk]))
    assert anonymous.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_child_process_makes_the_draft(demo, queued, settings):
    settings.POKIN_JOB_ISOLATION = True
    job = draft_pdf_enqueue(pohon=demo, kertas="F4", user=None)
    job = job_execute(job_id=str(job.pk))
    assert (job.status, job.galat) == ("selesai", "")
    assert "DRAF" in pdf_text(bytes(job.hasil))


@pytest.mark.django_db(transaction=True)
def test_job_over_its_memory_limit_stops_with_a_message(demo, queued, settings):
    settings.POKIN_JOB_ISOLATION = True
    settings.POKIN_JOB_MEMORY_LIMIT_MB = 150  # Django is loaded by then; WeasyPrint and its render do not fit
    job = draft_pdf_enqueue(pohon=demo, kertas="F4", user=None)
    job = job_execute(job_id=str(job.pk))
    assert job.status == "gagal"
    assert "batas memori 150 MB" in job.galat
    assert job.jenis == JOB_PDF_DRAF


def font_count(env: dict[str, str] | None = None) -> int:
    return len(subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True).stdout.splitlines())


@pytest.mark.skipif(shutil.which("fc-cache") is None, reason="fontconfig's tools are not installed")
def test_a_job_childs_font_caches_go_to_its_own_folder(tmp_path):
    # A child that rescans the font folders (as one at its memory limit may, writing an empty
    # cache) writes into its own folder, never into the caches this process and the server read.
    fonts_before = font_count()
    assert fonts_before > 0
    env = _child_environment(tmp_path)
    subprocess.run(["fc-cache", "--force"], env=env, check=True, capture_output=True)
    written = sorted(path.name for path in (tmp_path / "cache").iterdir() if path.name.endswith(".cache-8"))
    assert written, "the child's rescan wrote no cache into its own folder"
    assert Path(env["FONTCONFIG_FILE"]).parent == tmp_path
    assert font_count(env) == fonts_before  # the child sees the same fonts and rules as its parent
    assert font_count() == fonts_before


@pytest.mark.django_db(transaction=True)
def test_job_over_its_time_limit_is_stopped_and_the_worker_goes_on(demo, queued, settings):
    settings.POKIN_JOB_ISOLATION = True
    settings.POKIN_JOB_TIME_LIMIT = 1  # starting Django and WeasyPrint alone takes longer
    slow = draft_pdf_enqueue(pohon=demo, kertas="F4", user=None)
    settings.POKIN_JOB_TIME_LIMIT = 120
    normal = draft_pdf_enqueue(pohon=demo, kertas="A4", user=None)
    run_worker()
    slow.refresh_from_db()
    normal.refresh_from_db()
    assert slow.status == "gagal"
    assert "melebihi batas waktu 1 detik" in slow.galat
    assert normal.status == "selesai"


@pytest.mark.django_db(transaction=True)
def test_health_needs_the_database_and_a_worker_heartbeat(client):
    response = client.get("/sehat/")
    assert response.status_code == 503
    assert response.json() == {"status": "gagal", "database": "ok", "worker": "tidak ada detak"}
    DetakPekerja.objects.create(worker_id="w1", pid=1)
    response = client.get("/sehat/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "ok"}
