"""Shared start-up for the benchmark scripts: Django on a throwaway database.

Without DATABASE_URL a fresh SQLite file in a temporary folder is used; with DATABASE_URL the
scripts write into that database, so point it at a scratch database, never a real one.
"""

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_django() -> str:
    """Configure Django for a benchmark run and migrate; returns a label of the database used."""
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="pokin-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A throwaway key and plain HTTP, as the test suite runs (the settings fail closed without them).
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("POKIN_PLAIN_HTTP", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()  # lets the test client use "testserver"
    # Static files as they are (no collectstatic here), and background jobs run at once.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        POKIN_JOB_ISOLATION=False,
    ).enable()
    call_command("migrate", verbosity=0)
    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


def measure(function: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median wall time in seconds over ``runs`` calls, and the last result."""
    timings = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), result


def measure_cpu(function: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """Median wall seconds and median CPU seconds of this process over ``runs`` calls, and the
    last result: on a machine others share, the CPU time says what the work itself costs."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def peak_memory(function: Callable[[], object]) -> int:
    """Peak Python memory allocated while ``function`` runs, in bytes (tracemalloc)."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def print_table(header: list[str], rows: list[list[object]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    line = "  ".join(f"{{:>{w}}}" for w in widths)
    print(line.format(*header))
    print(line.format(*["-" * w for w in widths]))
    for row in rows:
        print(line.format(*row))


def bench_pemda(nama: str = "Kabupaten Uji"):
    """The Pemda the benchmarks' agencies belong to, created the first time (after Django is set up)."""
    from dinas.models import Pemda
    from dinas.services import pemda_create

    return Pemda.objects.filter(nama=nama).first() or pemda_create(nama=nama)
