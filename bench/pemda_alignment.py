"""Benchmark: the alignment checks of a Pemda (pohon.tautan.keselarasan.pemda_alignment) for 5 and
40 agencies of about 500 nodes each (issue 13, item 6).

Each agency's tree is made by ``pohon.sample.sample_tree_create``; the Pemda tree has 20 Sasaran
Pemda (each with a Tematik). Links to the Pemda: every agency's Tujuan is accepted to a Sasaran
Pemda; a third of its Sasaran are proposed (some waiting 20 days), a few refused; every agency
has one crosscutting request waiting 20 days. It prints the findings, the SQL query count and
the median time of the selector, and the page and the .xlsx export through the test client.
Then the obvious way of the heaviest check ("is this Tujuan/Sasaran linked?", one query per node).

Goal: under 300 ms for 40 agencies x 500 nodes, in a fixed number of queries.

    .venv/bin/python bench/pemda_alignment.py [--agencies 5 40] [--size 500] [--runs 5]
"""

import argparse
import datetime
import time

from _setup import bench_django, bench_pemda, measure, print_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, nargs="+", default=[5, 40])
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    database = bench_django()

    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from dinas.models import PerangkatDaerah, UnitKerja
    from pohon import rules
    from pohon.models import Node, Silang, TautanPemda
    from pohon.pemda.services import pemda_pohon_create
    from pohon.sample import sample_tree_create
    from pohon.services import node_create
    from pohon.tautan.keselarasan import alignment_export, pemda_alignment

    print(f"Database: {database}")
    user = get_user_model().objects.create_superuser("bench", password="bench-only")
    client = Client()
    client.force_login(user)
    now = timezone.now()
    rows, naive_rows = [], []
    for count in args.agencies:
        pemda = bench_pemda(f"Kabupaten Uji {count}")
        pohon_pemda = pemda_pohon_create(pemda=pemda, tahun=2024, tahun_akhir=2028)
        visi = node_create(pohon=pohon_pemda, parent=None, jenis=rules.VISI, uraian="Visi", kode="V1")
        misi = node_create(pohon=pohon_pemda, parent=visi, jenis=rules.MISI, uraian="Misi", kode="V1.M1")
        tujuan = node_create(pohon=pohon_pemda, parent=misi, jenis=rules.TUJUAN_PEMDA, uraian="Tujuan", kode="T1")
        sasaran_pemda = []
        for i in range(20):
            sp = node_create(
                pohon=pohon_pemda, parent=tujuan, jenis=rules.SASARAN_PEMDA, uraian=f"Sasaran {i}", kode=f"T1.S{i}"
            )
            node_create(pohon=pohon_pemda, parent=sp, jenis=rules.TEMATIK, uraian=f"Tematik {i}", kode=f"T1.S{i}.TM")
            sasaran_pemda.append(sp)
        links, silang = [], []
        total_nodes = 0
        for a in range(count):
            dinas = PerangkatDaerah.objects.create(kode=f"b{count}-{a}", nama=f"Dinas {count}-{a}", pemda=pemda)
            pohon = sample_tree_create(dinas=dinas, tahun=2026, size=args.size)
            total_nodes += Node.objects.filter(pohon=pohon).visible().count()
            nodes = list(
                Node.objects.filter(pohon=pohon, jenis__in=[rules.TUJUAN, rules.SASARAN])
                .order_by("lft")
                .values_list("kunci", "kode", "jenis")
            )
            for n, (kunci, kode, jenis) in enumerate(nodes):
                target = sasaran_pemda[(a + n) % 15]  # Sasaran 15..19: no support
                if jenis == rules.TUJUAN:
                    status, at = TautanPemda.Status.DISETUJUI, now
                elif n % 3 == 0:
                    status = TautanPemda.Status.DITOLAK if n % 9 == 0 else TautanPemda.Status.MENUNGGU
                    at = now - datetime.timedelta(days=20 if n % 2 else 2)
                else:
                    continue
                links.append(
                    TautanPemda(
                        pemda=pemda, pemda_dinas=pohon_pemda.dinas, pemda_tahun=2024, pemda_kunci=target.kunci,
                        pemda_kode=target.kode, pemda_uraian=target.uraian, pemda_jenis=target.jenis,
                        dinas=dinas, tahun=2026, dinas_kunci=kunci, dinas_kode=kode, dinas_jenis=jenis,
                        arah=TautanPemda.Arah.USULAN, status=status, diminta_pada=at,
                        alasan="bench" if status == TautanPemda.Status.DITOLAK else "",
                    )
                )  # fmt: skip
            unit = UnitKerja.objects.filter(dinas=dinas).first()
            kunci, kode = nodes[-1][0], nodes[-1][1]
            silang.append(
                Silang(
                    tahun=2026, pengirim_dinas=dinas, pengirim_kunci=kunci, pengirim_kode=kode, penerima_dinas=dinas,
                    penerima_unit=unit, catatan="bench", diminta_pada=now - datetime.timedelta(days=20),
                )
            )  # fmt: skip
        TautanPemda.objects.bulk_create(links)
        Silang.objects.bulk_create(silang)

        pemda_alignment(pemda, 2026)  # warm
        reset_queries()  # the query log is a bounded deque: full after the inserts
        with CaptureQueriesContext(connection) as queries:
            findings = pemda_alignment(pemda, 2026)
        query_count = len(queries)  # read now: the log is cleared below
        seconds, _ = measure(lambda pemda=pemda: pemda_alignment(pemda, 2026), args.runs)
        url = reverse("pemda:keselarasan", args=[pemda.kode, 2026])
        client.get(url)
        reset_queries()
        with CaptureQueriesContext(connection) as page_queries:
            response = client.get(url)
        page_query_count = len(page_queries)
        page_seconds, _ = measure(lambda url=url: client.get(url), args.runs)
        export_seconds, data = measure(lambda f=findings: alignment_export(f, "xlsx"), max(1, args.runs // 2))
        rows.append([
            count, total_nodes, len(links), len(findings), query_count, f"{seconds * 1000:.0f}",
            page_query_count, f"{page_seconds * 1000:.0f}", f"{len(response.content) / 1024:.0f}",
            f"{export_seconds * 1000:.0f}", f"{len(data) / 1024:.0f}",
        ])  # fmt: skip

        # The obvious way: one query per agency Tujuan/Sasaran to ask whether it has a link.
        agency_nodes = list(
            Node.objects.filter(
                pohon__dinas__pemda=pemda, pohon__tahun=2026, jenis__in=[rules.TUJUAN, rules.SASARAN]
            ).values_list("pohon__dinas_id", "kunci")
        )
        reset_queries()
        with CaptureQueriesContext(connection) as naive_queries:
            started = time.perf_counter()
            unlinked = sum(
                not TautanPemda.objects.filter(
                    dinas_id=d, tahun=2026, dinas_kunci=k, status__in=TautanPemda.STANDING
                ).exists()
                for d, k in agency_nodes
            )
            naive_ms = (time.perf_counter() - started) * 1000
        naive_rows.append([count, len(agency_nodes), unlinked, len(naive_queries), f"{naive_ms:.0f}"])

    print()
    print("pemda_alignment (selector), the page and the .xlsx export (time = median):")
    print_table(
        ["agencies", "nodes", "links", "findings", "queries", "ms", "page q", "page ms", "page KiB", "xlsx ms", "KiB"],
        rows,
    )
    print()
    print("The obvious way, only the 'linked to nothing' check: one query per Tujuan/Sasaran:")
    print_table(["agencies", "nodes checked", "unlinked", "queries", "ms"], naive_rows)


if __name__ == "__main__":
    main()
