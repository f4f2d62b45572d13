"""Benchmark: the yearly-cycle foundation's migrations (issue 11) over a database of ~20,000 nodes.

Each run builds, on a fresh database, the schema as it stood before (pohon 0007, dinas 0002) with
the demo agency, its approved tree and a Perubahan, plus ``--agencies`` agencies each holding an
approved tree of ``--nodes`` nodes and its Perubahan (one history entry per node), then migrates to
the latest state and times every migration applied. Goal: all of them together under 60 s.

    .venv/bin/python bench/migrations.py [--agencies 5] [--nodes 2000] [--runs 3]
    DATABASE_URL=postgres://.../scratch .venv/bin/python bench/migrations.py
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

from _setup import ROOT, print_table

GOAL_SECONDS = 60.0


def fresh_database(run: int, base_url: str | None) -> None:
    """Point Django at an empty database for this run: a new SQLite file, or (PostgreSQL) the
    given database emptied by dropping and re-creating its public schema."""
    if base_url is None:
        folder = tempfile.mkdtemp(prefix=f"pokin-bench-mig-{run}-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=5)
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    base_url = os.environ.get("DATABASE_URL")
    fresh_database(0, base_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("POKIN_PLAIN_HTTP", "1")
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.legacy_schema import legacy_apps, legacy_build

    totals: list[float] = []
    per_migration: dict[str, list[float]] = {}
    nodes = 0
    for run in range(args.runs):
        if run:
            connection.close()
            if base_url is None:
                fresh_database(run, None)
                connection.settings_dict["NAME"] = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        apps = legacy_apps(connection)
        data = legacy_build(apps, extra_trees=args.agencies, nodes_per_tree=args.nodes, history_per_node=True)
        nodes = data.node_count
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        started: dict[str, float] = {}

        def progress(action: str, migration=None, fake: bool = False, started=started) -> None:
            if migration is None:
                return
            name = f"{migration.app_label}.{migration.name}"
            if action == "apply_start":
                started[name] = time.perf_counter()
            elif action == "apply_success":
                per_migration.setdefault(name, []).append(time.perf_counter() - started[name])

        executor.progress_callback = progress
        begin = time.perf_counter()
        executor.migrate(executor.loader.graph.leaf_nodes(), plan=plan)
        totals.append(time.perf_counter() - begin)
        print(f"run {run + 1}: {len(plan)} migrations over {nodes:,} nodes in {totals[-1]:.2f} s", flush=True)

    rows = [[name, f"{statistics.median(times):.2f}"] for name, times in per_migration.items()]
    rows.append(["all (median of runs)", f"{statistics.median(totals):.2f}"])
    print(f"\n{connection.vendor}, {nodes:,} nodes (besides the hidden roots), {args.runs} runs")
    print_table(["migration", "seconds"], rows)
    verdict = "ok" if statistics.median(totals) < GOAL_SECONDS else "TOO SLOW"
    print(f"goal < {GOAL_SECONDS:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
