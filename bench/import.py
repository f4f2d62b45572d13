"""Benchmark: importing a tree from a spreadsheet, at about 2,000 and 10,000 rows, .xlsx and .csv.

The files are exports of trees made by ``pohon.sample.sample_tree_create``. Each file is imported
as a dry run, for real into a new year, and for real replacing that year's draft (which empties
the tree through the services first):
- end to end, as a user runs it: ``manage.py import_pohon`` in a child process on the same
  database, timed from start to exit, with the child's peak resident memory (``wait4``'s
  ``ru_maxrss``: Python, Django, openpyxl and the data together);
- in process: ``pohon_import`` alone, its time and its peak Python allocation (tracemalloc,
  measured in a separate run since tracing slows it down).

Goals: 10,000 xlsx rows in under 6 s end to end, peak memory under 300 MB.

    .venv/bin/python bench/import.py [--sizes 2000 10000] [--formats xlsx csv]
    DATABASE_URL=postgres://... .venv/bin/python bench/import.py
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, bench_django, bench_pemda, measure, peak_memory, print_table

GOAL_SECONDS = 6.0
GOAL_MIB = 300


def run_command(arguments: list[str]) -> tuple[float, float, float, str]:
    """Run ``manage.py`` with ``arguments`` in a child; (seconds, CPU seconds, peak RSS in MiB, output).
    The child's CPU time (user + system) varies less than its wall time on a shared machine."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, str(ROOT / "manage.py"), *arguments], stdout=output, stderr=subprocess.STDOUT
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if child.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(arguments)} failed ({child.returncode}):\n{text}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, text  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--formats", nargs="+", default=["xlsx", "csv"], choices=["xlsx", "csv", "json"])
    args = parser.parse_args()
    database = bench_django()

    from django.db import connection

    from dinas.models import PerangkatDaerah
    from pohon.imports import pohon_import
    from pohon.models import Node
    from pohon.resources import pohon_export
    from pohon.sample import sample_tree_create

    print(f"Database: {database}")
    folder = Path(tempfile.mkdtemp(prefix="pokin-import-bench-"))
    rows = []
    goals = []
    years = iter(range(2030, 2101))
    for index, size in enumerate(args.sizes):
        dinas = PerangkatDaerah.objects.create(
            kode=f"bench-import-{os.getpid()}-{index}", nama=f"Dinas Impor {size}", pemda=bench_pemda("Kabupaten Uji")
        )
        source = sample_tree_create(dinas=dinas, tahun=2029, size=size)
        count = Node.objects.filter(pohon=source).visible().count()
        for export_format in args.formats:
            path = folder / f"pohon-{count}.{export_format}"
            path.write_bytes(pohon_export(source, export_format))
            size_kib = path.stat().st_size / 1024
            label = f"{count} {export_format} ({size_kib:.0f} KiB)"
            connection.close()  # the children write; keep no transaction or lock open here
            base = ["import_pohon", str(path), "--dinas", dinas.kode]

            tahun = next(years)
            for mode, extra in (("dry run", ["--dry-run"]), ("new tree", []), ("replace", ["--replace"])):
                seconds, cpu, mib, text = run_command([*base, "--tahun", str(tahun), *extra])
                assert "Total Pagu" in text, text
                rows.append([label, "command", mode, f"{seconds:.2f}", f"{cpu:.2f}", f"{mib:.0f}"])
                if export_format == "xlsx" and mode == "new tree" and count >= 9000:
                    goals.append((label, seconds, mib))

            data = path.read_bytes()
            filename = path.name

            def dry(data=data, filename=filename, dinas=dinas):
                return pohon_import(dinas=dinas, tahun=2100, data=data, filename=filename, dry_run=True)

            cpu = time.process_time()
            seconds, (plan, _pohon) = measure(dry, runs=1)
            cpu = time.process_time() - cpu
            assert plan.ok, plan.problems[:5]
            rows.append(
                [label, "in process", "dry run", f"{seconds:.2f}", f"{cpu:.2f}", f"{peak_memory(dry) / 2**20:.0f}*"]
            )

            real_years = [next(years), next(years)]

            def real(data=data, filename=filename, dinas=dinas, real_years=real_years):
                plan, pohon = pohon_import(dinas=dinas, tahun=real_years.pop(), data=data, filename=filename)
                assert pohon is not None, plan.problems[:5]

            cpu = time.process_time()
            seconds, _ = measure(real, runs=1)
            cpu = time.process_time() - cpu
            rows.append(
                [label, "in process", "new tree", f"{seconds:.2f}", f"{cpu:.2f}", f"{peak_memory(real) / 2**20:.0f}*"]
            )

    print()
    print("Importing a tree (command: wall time from start to exit, the child's CPU time, its peak RSS;")
    print("in process: pohon_import alone; * = peak Python allocation by tracemalloc, not RSS):")
    print_table(["file", "how", "mode", "seconds", "CPU s", "peak MiB"], rows)
    for label, seconds, mib in goals:
        verdict = "met" if seconds < GOAL_SECONDS and mib < GOAL_MIB else "MISSED"
        print(
            f"Goal (10,000 xlsx rows end to end < {GOAL_SECONDS:.0f} s, < {GOAL_MIB} MB): {label}: "
            f"{seconds:.2f} s, {mib:.0f} MiB: {verdict}"
        )


if __name__ == "__main__":
    main()
