"""Background jobs: slow work (rendering and signing documents, draft PDFs of large trees,
imports) runs in a worker, never inside a request.

A view calls ``job_submit``, which records the job (who, what, limits) and enqueues it on
Django's task API (``core.tasks``) in the same transaction: the job exists exactly when the
change that asked for it commits. The worker runs ``job_execute``, which by default starts a
child process (``manage.py pokin_job``) with an address-space limit and kills it at the time
limit, so a runaway render stops with a clear message and the worker lives on. The page shows
the job's state and progress, and its result file once it is there.

The apps register what each kind of job does with ``@job_handler("jenis")``; ``core`` imports
neither app.
"""

import datetime
import logging
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import DetakPekerja, Pekerjaan

logger = logging.getLogger(__name__)

# The exit status of a child that ran out of its memory limit (a MemoryError it caught).
EXIT_MEMORY = 3


@dataclass(frozen=True)
class JobOutput:
    """What a handler made: an optional file, and a summary the page shows."""

    data: bytes | None = None
    nama: str = ""
    tipe: str = ""
    ringkasan: dict = field(default_factory=dict)


class JobFailed(Exception):
    """An expected failure, with the message (Indonesian) the user sees."""


Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class JobHandler:
    run: Callable[[Pekerjaan, Progress], JobOutput | None]
    on_failure: Callable[[Pekerjaan, str], None] | None = None


_HANDLERS: dict[str, JobHandler] = {}


def job_handler(jenis: str, *, on_failure: Callable[[Pekerjaan, str], None] | None = None):
    """Register ``function(job, progress) -> JobOutput | None`` as what jobs of ``jenis`` do;
    ``on_failure(job, message)`` runs in the worker when such a job fails for any reason (a
    time-out or a memory limit included), so that the app can record it where users look."""

    def register(function):
        _HANDLERS[jenis] = JobHandler(run=function, on_failure=on_failure)
        return function

    return register


def _handler(jenis: str) -> JobHandler:
    try:
        return _HANDLERS[jenis]
    except KeyError:
        raise JobFailed(_("Jenis pekerjaan %(jenis)s tidak dikenal.") % {"jenis": jenis}) from None


@transaction.atomic
def job_submit(
    *,
    jenis: str,
    judul: str,
    user=None,
    dinas_id: int | None = None,
    kunci: str = "",
    parameter: dict | None = None,
    masukan: bytes | None = None,
    batas_detik: int | None = None,
    batas_memori_mb: int | None = None,
) -> Pekerjaan:
    """Record a job and enqueue it. While a job with the same ``kunci`` waits or runs, that job
    is returned instead of a new one."""
    _handler(jenis)  # refuse an unknown kind before anything is written
    existing = _active_job(kunci)
    if existing is not None:
        return existing
    asked_by = user if user is not None and user.is_authenticated else None
    job = Pekerjaan(
        jenis=jenis,
        judul=judul[:300],
        kunci=kunci,
        dinas_id=dinas_id,
        user=asked_by,
        user_nama=(asked_by.get_full_name() or asked_by.get_username()) if asked_by is not None else "",
        parameter=parameter or {},
        masukan=masukan,
        batas_detik=batas_detik or settings.POKIN_JOB_TIME_LIMIT,
        batas_memori_mb=batas_memori_mb or settings.POKIN_JOB_MEMORY_LIMIT_MB,
    )
    job.full_clean()
    try:
        with transaction.atomic():
            job.save(force_insert=True)
    except IntegrityError:
        # Another request made the same job between our look and our insert: join it.
        existing = _active_job(kunci)
        if existing is None:
            raise
        return existing
    from core.tasks import pekerjaan_jalankan

    pekerjaan_jalankan.enqueue(str(job.pk))
    return job


def _active_job(kunci: str) -> Pekerjaan | None:
    """The job with this key that waits or runs (at most one: a constraint says so)."""
    if not kunci:
        return None
    return Pekerjaan.objects.filter(kunci=kunci, status__in=Pekerjaan.ACTIVE).first()


def job_progress(job: Pekerjaan, progres: int, langkah: str = "") -> None:
    """Record how far the job is (0-100) and what it is doing; the page polls it."""
    job.progres = max(0, min(100, int(progres)))
    job.langkah = langkah[:300]
    Pekerjaan.objects.filter(pk=job.pk).update(progres=job.progres, langkah=job.langkah)


def job_execute(*, job_id: str) -> Pekerjaan | None:
    """Run a waiting job once (the task the worker runs). A job already taken by another
    worker, or finished, is left alone."""
    claimed = Pekerjaan.objects.filter(pk=job_id, status=Pekerjaan.Status.ANTRI).update(
        status=Pekerjaan.Status.BERJALAN, mulai_pada=timezone.now()
    )
    if not claimed:
        return None
    job = Pekerjaan.objects.get(pk=job_id)
    if settings.POKIN_JOB_ISOLATION:
        _run_isolated(job)
    else:
        job_run_here(job)
    job.refresh_from_db()
    return job


def job_run_here(job: Pekerjaan, *, memory_exhausted: Callable[[], bool] = lambda: False) -> None:
    """Run the handler in this process and record the outcome. Inside an outer transaction (a
    test's, or the immediate backend inside the request that enqueued it) the handler's writes
    get a savepoint, so a failure rolls back only them. ``memory_exhausted`` tells, after an
    unexpected error, whether the process hit its memory limit: a library that cannot map memory
    fails with its own error (e.g. "cannot open shared object file"), not with MemoryError."""
    try:
        handler = _handler(job.jenis)
        progress = lambda progres, langkah="": job_progress(job, progres, langkah)  # noqa: E731
        if connection.in_atomic_block:
            with transaction.atomic():
                output = handler.run(job, progress)
        else:
            output = handler.run(job, progress)
    except JobFailed as error:
        job_fail(job, str(error))
    except ValidationError as error:
        job_fail(job, " ".join(error.messages))
    except MemoryError:
        job_fail(job, memory_message(job))
        raise
    except Exception:
        if memory_exhausted():
            logger.warning("Pekerjaan %s (%s) kehabisan batas memorinya", job.pk, job.jenis, exc_info=True)
            job_fail(job, memory_message(job))
            return
        logger.exception("Pekerjaan %s (%s) gagal", job.pk, job.jenis)
        job_fail(
            job,
            _("Terjadi kesalahan tak terduga; admin dapat melihat rinciannya di log (kode %(kode)s).")
            % {"kode": str(job.pk)[:8]},
        )
    else:
        job_finish(job, output)


def memory_message(job: Pekerjaan) -> str:
    return _(
        "Pekerjaan dihentikan: melebihi batas memori %(mb)s MB. Coba kertas yang lebih kecil atau bagi pohonnya, "
        "atau minta admin menaikkan POKIN_JOB_MEMORY_LIMIT_MB."
    ) % {"mb": job.batas_memori_mb}


def time_message(job: Pekerjaan) -> str:
    return _(
        "Pekerjaan dihentikan: melebihi batas waktu %(detik)s detik. Minta admin menaikkan POKIN_JOB_TIME_LIMIT "
        "bila pohonnya memang sebesar ini."
    ) % {"detik": job.batas_detik}


def job_finish(job: Pekerjaan, output: JobOutput | None) -> None:
    output = output or JobOutput()
    job.status = Pekerjaan.Status.SELESAI
    job.progres = 100
    job.hasil = output.data
    job.hasil_nama = output.nama
    job.hasil_tipe = output.tipe
    job.hasil_data = output.ringkasan
    job.selesai_pada = timezone.now()
    job.save(update_fields=["status", "progres", "hasil", "hasil_nama", "hasil_tipe", "hasil_data", "selesai_pada"])


def job_fail(job: Pekerjaan, message: str) -> None:
    job.status = Pekerjaan.Status.GAGAL
    job.galat = message
    job.selesai_pada = timezone.now()
    job.save(update_fields=["status", "galat", "selesai_pada"])
    handler = _HANDLERS.get(job.jenis)
    if handler is not None and handler.on_failure is not None:
        try:
            handler.on_failure(job, message)
        except Exception:
            logger.exception("Pencatatan kegagalan pekerjaan %s gagal", job.pk)


# Where fontconfig reads its configuration when FONTCONFIG_FILE does not say (Debian's place).
FONTCONFIG_DEFAULT = "/etc/fonts/fonts.conf"


def _child_fontconfig(folder: Path) -> Path:
    """A fontconfig file for one job's child: its own cache folder first, then the configuration
    its parent reads (fonts, rules and the font caches to read).

    Fontconfig writes a font cache into the first writable cache folder whenever it decides to
    rescan a font folder. A child near its address-space limit may fail to map a cache and to
    open the font files it then rescans, and writes an EMPTY cache; every process that reads that
    folder afterwards finds no system font (fontconfig takes the newest valid cache), and
    WeasyPrint crashes (segmentation fault) on the next text that needs one. The test suite was
    stopped that way. With this file the child's writes land in its own folder, removed with it;
    the caches the server and the other jobs read are never written by a job."""
    parent = os.environ.get("FONTCONFIG_FILE") or FONTCONFIG_DEFAULT
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f"  <cachedir>{xml_escape(str(folder / 'cache'))}</cachedir>\n"
        f"  <include>{xml_escape(str(Path(parent).resolve()))}</include>\n"
        "</fontconfig>\n"
    )
    return path


def _child_environment(fonts_folder: Path) -> dict[str, str]:
    # The child connects to the very database its parent uses (in tests: the test database,
    # whose name the test runner set after the settings were read).
    env = dict(os.environ)
    env["POKIN_JOB_DATABASE_NAME"] = str(connection.settings_dict["NAME"])
    env["FONTCONFIG_FILE"] = str(_child_fontconfig(fonts_folder))
    return env


def _run_isolated(job: Pekerjaan) -> None:
    manage = Path(settings.BASE_DIR) / "manage.py"
    command = [sys.executable, str(manage), "pokin_job", str(job.pk)]
    # The child reads the job itself; close ours so a long child does not keep it idle in a transaction.
    connection.close()
    try:
        with tempfile.TemporaryDirectory(prefix="pokin-job-fonts-") as fonts_folder:
            completed = subprocess.run(
                command,
                env=_child_environment(Path(fonts_folder)),
                timeout=job.batas_detik,
                capture_output=True,
                text=True,
            )
    except subprocess.TimeoutExpired:
        logger.warning("Pekerjaan %s melewati batas waktu %s detik; proses anaknya dihentikan", job.pk, job.batas_detik)
        job_fail(job, time_message(job))
        return
    if completed.stdout:
        sys.stdout.write(completed.stdout)
    if completed.stderr:
        sys.stderr.write(completed.stderr)
    job.refresh_from_db()
    if job.status != Pekerjaan.Status.BERJALAN:
        return  # the child recorded the outcome
    if completed.returncode in (EXIT_MEMORY, -signal.SIGKILL):
        message = memory_message(job)
    elif completed.returncode in (-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS, -signal.SIGTRAP):
        # A C library (Pango, cairo, HarfBuzz) whose allocation the address-space limit refused
        # crashes instead of raising MemoryError; that is by far the likeliest cause. GLib's fatal
        # errors (e.g. "Error creating thread" for Pango's font thread) stop with SIGTRAP.
        message = _(
            "Pekerjaan berhenti mendadak, kemungkinan besar karena melebihi batas memori %(mb)s MB. Coba kertas "
            "yang lebih kecil atau bagi pohonnya, atau minta admin menaikkan POKIN_JOB_MEMORY_LIMIT_MB."
        ) % {"mb": job.batas_memori_mb}
    else:
        message = _("Proses pekerjaan berhenti tak terduga (kode keluar %(kode)s); lihat log.") % {
            "kode": completed.returncode
        }
    logger.error("Pekerjaan %s berhenti dengan kode %s", job.pk, completed.returncode)
    job_fail(job, message)


def worker_alive(*, max_age_seconds: int) -> bool:
    since = timezone.now() - datetime.timedelta(seconds=max_age_seconds)
    return DetakPekerja.objects.filter(terakhir__gte=since).exists()
