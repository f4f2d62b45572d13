"""Benchmark: the cascading chart and the tree table at about 200, 2,000 and 20,000 nodes.

For each size it renders both pages through Django's test client and prints the SQL query count,
the server time (median of several runs), the response size and the peak Python memory. It then
renders the same trees the obvious other way, django-mptt's ``{% recursetree %}`` over
``get_cached_trees()``, and prints how many times slower that is.

Goals: the same number of queries at every size (at most 10); the 2,000-node chart under 100 ms;
the 20,000-node table under 1.5 s; at least 10x faster than recursetree at 2,000 nodes.

    .venv/bin/python bench/chart.py [--sizes 200 2000 20000] [--runs 5]
"""

import argparse
import time

from _setup import bench_django, bench_pemda, measure, peak_memory, print_table

RECURSETREE_TEMPLATE = """{% load mptt_tags %}<ul>{% recursetree nodes %}<li>
<span class="kind">{{ node.get_jenis_display }}</span> {{ node.uraian }} {{ node.pagu|default_if_none:"" }}
{% if not node.is_leaf_node %}<ul>{{ children }}</ul>{% endif %}</li>{% endrecursetree %}</ul>"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    database = bench_django()

    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.template import engines
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from dinas.models import PerangkatDaerah
    from pohon.models import Node
    from pohon.sample import sample_tree_create

    user = get_user_model().objects.create_superuser("bench", password="bench-only")
    client = Client()
    client.force_login(user)
    recursetree = engines["django"].from_string(RECURSETREE_TEMPLATE)

    print(f"Database: {database}")
    rows = []
    ratios = []
    for index, size in enumerate(args.sizes):
        dinas = PerangkatDaerah.objects.create(
            kode=f"bench-{index}", nama=f"Dinas Bench {size}", pemda=bench_pemda("Kabupaten Uji")
        )
        started = time.perf_counter()
        pohon = sample_tree_create(dinas=dinas, tahun=2026, size=size)
        built = time.perf_counter() - started
        count = Node.objects.filter(pohon=pohon).visible().count()
        print(f"generated {count} nodes in {built:.1f} s")
        for page in ("chart", "table"):
            url = reverse(f"pohon:{page}", args=[dinas.kode, 2026])
            client.get(url)  # warm caches (templates, permissions)
            reset_queries()  # request_started resets the log too; start both counts at zero
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            query_count = len(queries)  # read now: the captured list is a view on a log later requests reset
            assert response.status_code == 200, response.status_code
            seconds, _ = measure(lambda url=url: client.get(url), args.runs)
            memory = peak_memory(lambda url=url: client.get(url))
            rows.append(
                [
                    page,
                    count,
                    query_count,
                    f"{seconds * 1000:.1f}",
                    f"{len(response.content) / 1024:.0f}",
                    f"{memory / 2**20:.1f}",
                ]
            )

        def render_recursetree(pohon=pohon):
            nodes = Node.objects.filter(pohon=pohon).order_by("tree_id", "lft")
            return recursetree.render({"nodes": nodes})

        runs = args.runs if count <= 2500 else 1
        mptt_seconds, html = measure(render_recursetree, runs)
        chart_seconds = float(rows[-2][3]) / 1000
        ratios.append(
            [count, f"{mptt_seconds * 1000:.0f}", f"{chart_seconds * 1000:.1f}", f"{mptt_seconds / chart_seconds:.1f}x"]
        )

    print()
    print("Pages through the test client (time = median server time):")
    print_table(["page", "nodes", "queries", "ms", "KiB", "peak MiB"], rows)
    print()
    print("recursetree over get_cached_trees() against the chart view, same trees:")
    print_table(["nodes", "recursetree ms", "chart ms", "chart is faster by"], ratios)


if __name__ == "__main__":
    main()
