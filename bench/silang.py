"""Benchmark: the chart with crosscutting marks (pohon.silang) at about 200 and 2,000 nodes.

For each size it renders the chart through Django's test client with no links and with many
standing links (a link on every fourth Kegiatan, half of them accepted) and prints the SQL query
count, the median server time and the response size. Then it times the obvious other way of
marking, one query per node ("has this node a link?"), over the same tree.

Goals: the marks cost one query whatever the number of links or nodes; the 2,000-node chart with
its marks stays under 100 ms of server time.

    .venv/bin/python bench/silang.py [--sizes 200 2000] [--runs 5]
"""

import argparse
import time
import uuid

from _setup import bench_django, bench_pemda, measure, print_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    database = bench_django()

    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from dinas.models import PerangkatDaerah, UnitKerja
    from pohon.models import Node, Silang
    from pohon.sample import sample_tree_create

    user = get_user_model().objects.create_superuser("bench", password="bench-only")
    client = Client()
    client.force_login(user)
    pemda = bench_pemda("Kabupaten Uji")
    mitra = PerangkatDaerah.objects.create(kode="bench-mitra", nama="Dinas Mitra", pemda=pemda)
    mitra_unit = UnitKerja.objects.create(dinas=mitra, kode="bidang", nama="Bidang Mitra", jenis="bidang")

    print(f"Database: {database}")
    rows, ratios = [], []
    for index, size in enumerate(args.sizes):
        dinas = PerangkatDaerah.objects.create(kode=f"bench-{index}", nama=f"Dinas Bench {size}", pemda=pemda)
        pohon = sample_tree_create(dinas=dinas, tahun=2026, size=size)
        count = Node.objects.filter(pohon=pohon).visible().count()
        url = reverse("pohon:chart", args=[dinas.kode, 2026])

        def page(label: str, url=url, count=count) -> None:
            client.get(url)
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            query_count = len(queries)
            seconds, _ = measure(lambda: client.get(url), args.runs)
            marked = response.content.count(b"cs-silang")
            rows.append(
                [count, label, marked, query_count, f"{seconds * 1000:.1f}", f"{len(response.content) / 1024:.0f}"]
            )

        page("no links")
        kegiatan = list(Node.objects.filter(pohon=pohon, jenis="kegiatan").order_by("lft").values_list("kunci", "kode"))
        links = [
            Silang(
                tahun=2026, pengirim_dinas=dinas, pengirim_kunci=kunci, pengirim_kode=kode, penerima_dinas=mitra,
                penerima_unit=mitra_unit, catatan="bench",
                status=Silang.Status.DISETUJUI if n % 2 else Silang.Status.MENUNGGU,
                penerima_kunci=uuid.uuid4() if n % 2 else None, penerima_kode="X" if n % 2 else "",
            )
            for n, (kunci, kode) in enumerate(kegiatan[::4])
        ]  # fmt: skip
        Silang.objects.bulk_create(links)  # link rows only, no tree rows: no mptt concern
        page(f"{len(links)} links")

        kuncis = list(Node.objects.filter(pohon=pohon).values_list("kunci", flat=True))

        def per_node(kuncis=kuncis, dinas=dinas) -> int:
            standing = Silang.objects.filter(tahun=2026, status__in=Silang.STANDING)
            return sum(
                standing.filter(
                    Q(pengirim_dinas=dinas, pengirim_kunci=k) | Q(penerima_dinas=dinas, penerima_kunci=k)
                ).exists()
                for k in kuncis
            )

        started = time.perf_counter()
        found = per_node()
        naive_ms = (time.perf_counter() - started) * 1000
        ratios.append([count, len(kuncis), found, f"{naive_ms:.0f}"])

    print()
    print("Chart through the test client (time = median server time):")
    print_table(["nodes", "links", "marked", "queries", "ms", "KiB"], rows)
    print()
    print("The obvious way: one query per node to find its links (marks only, no page):")
    print_table(["nodes", "queries", "linked", "ms"], ratios)


if __name__ == "__main__":
    main()
