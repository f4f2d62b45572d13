"""Benchmark: editing on the chart at about 200, 2,000 and 20,000 nodes.

For each size it measures, through Django's test client as an admin:
- the node panel (``GET .../node/<pk>/``) of a Kegiatan deep in the tree: queries and median ms;
- a Pagu edit from the chart (``POST .../node/<pk>/ubah/`` with ``halaman=bagan``): the service
  call plus what the browser swaps in, both ways in the same run: the whole chart re-rendered (as
  before, ``chart_partial`` switched off here) and the partial answer (the changed box and the
  totals above it); queries, median ms and response size;
- the checks and header the page loads after a partial answer (``GET .../periksa/``);
and, in a headless chromium (Debian's ``chromium``), what ``panel.js`` costs the chart page when
it loads: DOMContentLoaded with it and with its script tag removed. The page is the chart's real
HTML opened from a file, static files from disk.

Goals: the panel's queries do not grow with the tree; the partial edit's queries do not grow
either and it answers in under 60 ms at 20,000 nodes; panel.js adds nothing
measurable to loading the chart (it does no work per node; a button per node cost 110 to 360 ms
of layout at 2,000 nodes).

    .venv/bin/python bench/chart_editor.py [--sizes 200 2000 20000] [--runs 5] [--no-browser]
"""

import argparse
import json
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from _setup import ROOT, bench_django, bench_pemda, measure, print_table

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def script_times(html: str, runs: int) -> tuple[float, ...]:
    """Median ms to DOMContentLoaded with panel.js and with the page's script tag for it removed."""
    from playwright.sync_api import sync_playwright

    static = (ROOT / "static").as_uri()
    with_panel = html.replace('src="/static/', f'src="{static}/').replace('href="/static/', f'href="{static}/')
    without_panel = re.sub(r'<script src="[^"]*/pohon/panel\.js"></script>', "", with_panel)
    assert without_panel != with_panel, "the chart page no longer loads panel.js"
    folder = Path(tempfile.mkdtemp(prefix="pokin-bench-chart-"))
    pages = {"with": folder / "with.html", "without": folder / "without.html"}
    pages["with"].write_text(with_panel, encoding="utf-8")
    pages["without"].write_text(without_panel, encoding="utf-8")
    times: dict[str, list[float]] = {"with": [], "without": []}
    loaded = "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            for _ in range(runs):
                for name, path in pages.items():
                    page.goto(path.as_uri())
                    times[name].append(page.evaluate(loaded))
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return tuple(statistics.median(times[name]) for name in ("with", "without"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true", help="skip the script timings in chromium")
    args = parser.parse_args()
    database = bench_django()

    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from dinas.models import PerangkatDaerah
    from pohon import rules, views
    from pohon.chart_partial import chart_partial
    from pohon.models import Node
    from pohon.sample import sample_tree_create

    user = get_user_model().objects.create_superuser("bench", password="bench-only")
    client = Client()
    client.force_login(user)
    browser = not args.no_browser and shutil.which("chromium") is not None

    def counted(call):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = call()
        return len(queries), response

    print(f"Database: {database}")
    rows = []
    for index, size in enumerate(args.sizes):
        dinas = PerangkatDaerah.objects.create(
            kode=f"bench-{index}", nama=f"Dinas Bench {size}", pemda=bench_pemda("Kabupaten Uji")
        )
        pohon = sample_tree_create(dinas=dinas, tahun=2026, size=size)
        count = Node.objects.filter(pohon=pohon).visible().count()
        kegiatan = Node.objects.filter(pohon=pohon, jenis=rules.KEGIATAN).order_by("lft")[count // 40]
        panel_url = reverse("pohon:node_panel", args=[dinas.kode, 2026, kegiatan.pk])
        edit_url = reverse("pohon:node_ubah", args=[dinas.kode, 2026, kegiatan.pk])

        client.get(panel_url)  # warm caches
        panel_queries, response = counted(lambda url=panel_url: client.get(url, HTTP_HX_REQUEST="true"))
        assert response.status_code == 200, response.status_code
        panel_seconds, _ = measure(lambda url=panel_url: client.get(url, HTTP_HX_REQUEST="true"), args.runs)

        def edit(partial: bool, url=edit_url, pk=kegiatan.pk, step=[0]):  # noqa: B006 - a counter across calls
            """One Pagu edit from the chart: (server seconds, queries, response). ``partial=False``
            answers with the whole chart, as before the partial swaps (chart_partial switched off)."""
            step[0] += 1
            node = Node.objects.get(pk=pk)
            data = {"uraian": node.uraian, "pagu": str(1_000_000 + step[0]), "versi": node.versi, "halaman": "bagan"}
            views.chart_partial = chart_partial if partial else (lambda pohon, change: None)
            try:
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    start, cpu_start = time.perf_counter(), time.process_time()
                    response = client.post(url, data, HTTP_HX_REQUEST="true")
                    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            finally:
                views.chart_partial = chart_partial
            assert response.status_code == 200 and response["HX-Reswap"] == "none", response.content[:300]
            assert (b"hx-swap-oob" in response.content) == partial, response.content[:300]
            return seconds, cpu, len(queries), response

        def edits(partial: bool) -> tuple[float, float, int, int, object]:
            edit(partial)  # warm
            results = [edit(partial) for _ in range(args.runs)]
            seconds, cpu = (statistics.median(r[i] for r in results) for i in (0, 1))
            return seconds, cpu, results[-1][2], len(results[-1][3].content), results[-1][3]

        full_seconds, full_cpu, full_queries, full_bytes, _ = edits(False)
        part_seconds, part_cpu, part_queries, part_bytes, response = edits(True)
        refresh_url = json.loads(response["HX-Trigger-After-Swap"])["pokinEdited"]["refresh"]
        client.get(refresh_url, HTTP_HX_REQUEST="true")  # warm
        refresh_queries, refresh = counted(lambda url=refresh_url: client.get(url, HTTP_HX_REQUEST="true"))
        refresh_seconds, _ = measure(lambda url=refresh_url: client.get(url, HTTP_HX_REQUEST="true"), args.runs)
        row = [
            count,
            panel_queries,
            f"{panel_seconds * 1000:.1f}",
            full_queries,
            f"{full_seconds * 1000:.1f}",
            f"{full_cpu * 1000:.1f}",
            f"{full_bytes / 1024:.0f}",
            part_queries,
            f"{part_seconds * 1000:.1f}",
            f"{part_cpu * 1000:.1f}",
            f"{part_bytes / 1024:.1f}",
            refresh_queries,
            f"{refresh_seconds * 1000:.1f}",
            f"{len(refresh.content) / 1024:.0f}",
        ]
        if browser:
            chart_html = client.get(reverse("pohon:chart", args=[dinas.kode, 2026])).content.decode()
            row += [f"{ms:.1f}" for ms in script_times(chart_html, args.runs)]
        rows.append(row)

    print()
    print("Node panel and a Pagu edit of a Kegiatan from the chart, through the test client (ms = median server")
    print("time of the request; cpu ms = median CPU time of this process, which holds the server and SQLite, so")
    print("other load on the machine does not count; q = queries): the full chart re-rendered, the partial answer")
    print("(pohon.chart_partial),")
    print("and the checks and header the page loads after a partial answer (pohon:periksa):")
    header = ["nodes", "panel q", "panel ms", "full q", "full ms", "full cpu ms", "full KiB"]
    header += ["partial q", "partial ms", "partial cpu ms", "partial KiB", "checks q", "checks ms", "checks KiB"]
    if browser:
        header += ["loaded ms", "loaded without panel.js ms"]
    print_table(header, rows)


if __name__ == "__main__":
    main()
