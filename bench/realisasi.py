"""Benchmark: the year's realisation of one agency (``pohon.realisasi.selectors.realisasi_tahun``)
and the unit's quarter form, at about 200, 2,000 and 20,000 nodes with every Indikator and budget
line reported in all four quarters.

For each size it prints the SQL query count, the median time of the selector and of the form
page (the largest unit's TW IV), and, against it, the obvious way: the rows of each Indikator read
with their own queries (one per Indikator per kind of row).

Goals (issue 15): the same number of queries at every size (at most 12); 2,000 nodes < 150 ms.

    .venv/bin/python bench/realisasi.py [--sizes 200 2000 20000] [--runs 5]
"""

import argparse
import datetime
import time
from decimal import Decimal

from _setup import bench_django, bench_pemda, measure, print_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    database = bench_django()

    from collections import Counter

    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from dinas.models import PerangkatDaerah, UnitKerja
    from pohon import rules
    from pohon.models import Node, Pohon
    from pohon.realisasi.models import Realisasi, RealisasiAnggaran, TargetTriwulan
    from pohon.realisasi.selectors import butir_realisasi, realisasi_tahun
    from pohon.realisasi.services import jendela_set
    from pohon.sample import sample_tree_create

    user = get_user_model().objects.create_superuser("bench", password="bench-only")
    client = Client()
    client.force_login(user)
    print(f"Database: {database}")
    rows = []
    for index, size in enumerate(args.sizes):
        dinas = PerangkatDaerah.objects.create(
            kode=f"bench-{index}", nama=f"Dinas Bench {size}", pemda=bench_pemda("Kabupaten Uji")
        )
        pohon = sample_tree_create(dinas=dinas, tahun=2026, size=size)
        Pohon.objects.filter(pk=pohon.pk).update(status=Pohon.Status.DISETUJUI)
        today = timezone.localdate()
        if index == 0:
            for tw in (1, 2, 3, 4):
                jendela_set(
                    pemda=dinas.pemda, tahun=2026, triwulan=tw, mulai=today,
                    selesai=today + datetime.timedelta(days=1), user=None,
                )  # fmt: skip
        nodes = butir_realisasi(pohon)
        indikator = [n for n in nodes if n.jenis in rules.MEASURED]
        budget = [n for n in nodes if n.jenis in rules.BUDGETED and n.pagu is not None]
        scope = {"dinas": dinas, "tahun": 2026}
        # Benchmark data, written in bulk (these are not tree rows).
        quarters = [(n, tw) for n in indikator for tw in range(1, 5)]
        TargetTriwulan.objects.bulk_create(
            TargetTriwulan(**scope, kunci=n.kunci, triwulan=tw, target_angka=Decimal(20)) for n, tw in quarters
        )
        Realisasi.objects.bulk_create(
            Realisasi(**scope, kunci=n.kunci, triwulan=tw, realisasi_angka=Decimal(18 + tw)) for n, tw in quarters
        )
        RealisasiAnggaran.objects.bulk_create(
            RealisasiAnggaran(**scope, kunci=n.kunci, triwulan=tw, jumlah=(n.pagu or 0) // 5)
            for n in budget
            for tw in range(1, 5)
        )
        count = Node.objects.filter(pohon=pohon).visible().count()

        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            data = realisasi_tahun(dinas=dinas, tahun=2026)
        query_count = len(queries)
        assert len(data.indikator) == len(indikator)
        seconds, _ = measure(lambda dinas=dinas: realisasi_tahun(dinas=dinas, tahun=2026), args.runs)

        def obvious(dinas=dinas, indikator=indikator):
            for node in indikator:
                list(TargetTriwulan.objects.filter(dinas=dinas, tahun=2026, kunci=node.kunci))
                list(Realisasi.objects.filter(dinas=dinas, tahun=2026, kunci=node.kunci))

        started = time.perf_counter()
        obvious()
        obvious_seconds = time.perf_counter() - started

        owners = Counter(n.pemilik_id for n in indikator)
        unit_id = owners.most_common(1)[0][0]
        unit_kode = UnitKerja.objects.get(pk=unit_id).kode if unit_id else "-"
        url = reverse("realisasi:entri", args=[dinas.kode, 2026, 4, unit_kode])
        client.get(url)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        page_queries = len(queries)
        assert response.status_code == 200, response.status_code
        page_seconds, _ = measure(lambda url=url: client.get(url), args.runs)
        rows.append(
            [
                count,
                len(indikator),
                query_count,
                f"{seconds * 1000:.1f}",
                f"{obvious_seconds * 1000:.0f} ({2 * len(indikator)} q)",
                page_queries,
                f"{page_seconds * 1000:.1f}",
                f"{len(response.content) / 1024:.0f}",
            ]
        )
    print_table(
        ["nodes", "indikator", "queries", "selector ms", "obvious ms", "form queries", "form ms", "form KiB"], rows
    )


if __name__ == "__main__":
    main()
