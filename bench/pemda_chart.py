"""Benchmark: the Pemda chart (pohon.pemda.chart) for a Pemda of 5 and 40 agencies x 500 nodes.

A Pemda tree (Visi, Misi, Tujuan Pemda, 10 Sasaran Pemda each with an IKU and two Tematik); every
agency a sample tree of about 500 nodes (``pohon.sample.sample_tree_create``) whose Tujuan supports
one Sasaran Pemda (accepted) and whose first Sasaran supports a Tematik (waiting), the links made
directly on the model (``TautanPemda``). For each size it prints the chart's first page (SQL
queries, median time through Django's test client, size), opening one agency (the fragment's
median time and size), and the obvious other way: one page with every agency's chart in it (all
the nodes at once, rendered with the agency chart's own renderer), in the same run.

Goals: first page <= 12 queries whatever the size, < 150 ms, < 400 KB; one agency < 100 ms.

    .venv/bin/python bench/pemda_chart.py [--agencies 5 40] [--size 500] [--runs 5]
"""

import argparse
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

    from dinas.models import Keanggotaan, PerangkatDaerah
    from pohon import rules
    from pohon.chart import ChartRenderer
    from pohon.models import Node, Pohon, TautanPemda
    from pohon.pemda.services import pemda_pohon_create
    from pohon.sample import sample_tree_create
    from pohon.selectors import pohon_tree
    from pohon.services import node_create

    tahun = 2026
    pemda = bench_pemda("Kabupaten Bench Pemda")
    rpjmd = pemda_pohon_create(pemda=pemda, tahun=2025, tahun_akhir=2029)
    visi = node_create(pohon=rpjmd, parent=None, jenis=rules.VISI, kode="V1", uraian="Visi bench")
    misi = node_create(pohon=rpjmd, parent=visi, jenis=rules.MISI, kode="M1", uraian="Misi bench")
    tujuan = node_create(pohon=rpjmd, parent=misi, jenis=rules.TUJUAN_PEMDA, kode="TP1", uraian="Tujuan Pemda")
    sasaran, tematik = [], []
    for i in range(1, 11):
        s = node_create(pohon=rpjmd, parent=tujuan, jenis=rules.SASARAN_PEMDA, kode=f"SP{i}", uraian=f"Sasaran {i}")
        node_create(pohon=rpjmd, parent=s, jenis=rules.INDIKATOR, kode=f"SP{i}.I1", uraian=f"IKU {i}", satuan="%")
        sasaran.append(s)
        for j in (1, 2):
            tematik.append(
                node_create(pohon=rpjmd, parent=s, jenis=rules.TEMATIK, kode=f"SP{i}.TM{j}", uraian=f"Tematik {i}.{j}")
            )
    user = get_user_model().objects.create_user("bench-bappeda", password="bench-only")
    Keanggotaan.objects.create(user=user, dinas=rpjmd.dinas, peran=Keanggotaan.Peran.BAPPEDA)
    client = Client()
    client.force_login(user)
    url = reverse("pemda:chart", args=[pemda.kode, tahun])

    agencies: list[tuple[PerangkatDaerah, Pohon]] = []

    def add_agency(index: int) -> None:
        dinas = PerangkatDaerah.objects.create(pemda=pemda, kode=f"bench-dinas-{index}", nama=f"Dinas Bench {index}")
        pohon = sample_tree_create(dinas=dinas, tahun=tahun, size=args.size)
        top = Node.objects.filter(pohon=pohon, jenis=rules.TUJUAN).order_by("lft").values("kunci", "kode").first()
        first = Node.objects.filter(pohon=pohon, jenis=rules.SASARAN).order_by("lft").values("kunci", "kode").first()
        common = {"pemda": pemda, "pemda_dinas": rpjmd.dinas, "pemda_tahun": rpjmd.tahun}
        common.update(dinas=dinas, tahun=tahun)
        target_s, target_t = sasaran[index % len(sasaran)], tematik[index % len(tematik)]
        TautanPemda.objects.bulk_create(
            [
                TautanPemda(**common, pemda_kunci=target_s.kunci, dinas_kunci=top["kunci"], dinas_kode=top["kode"],
                            arah="usulan", status="disetujui"),
                TautanPemda(**common, pemda_kunci=target_t.kunci, dinas_kunci=first["kunci"],
                            dinas_kode=first["kode"], arah="usulan", status="menunggu"),
            ]
        )  # fmt: skip
        agencies.append((dinas, pohon))

    print(f"Database: {database}; agency trees of about {args.size} nodes")
    rows = []
    for count in args.agencies:
        start = time.perf_counter()
        while len(agencies) < count:
            add_agency(len(agencies))
        built = time.perf_counter() - start
        nodes = Node.objects.filter(pohon__dinas__pemda=pemda, pohon__tahun=tahun).count()
        client.get(url)
        reset_queries()  # each request resets the log: start the capture from an empty one
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        # Counted now (later requests reset the log the capture reads); the request's BEGIN and
        # COMMIT (ATOMIC_REQUESTS) are not queries of the page.
        query_count = sum(1 for q in queries.captured_queries if q["sql"] not in ("BEGIN IMMEDIATE", "BEGIN", "COMMIT"))
        seconds, response = measure(lambda: client.get(url), args.runs)
        dinas, _pohon = agencies[0]
        fragment = reverse("pemda:chart_dinas", args=[pemda.kode, tahun, dinas.kode]) + f"?butir={sasaran[0].kunci}"
        frag_seconds, frag = measure(lambda fragment=fragment: client.get(fragment), args.runs)
        assert frag.status_code == 200 and b"cc-item" in frag.content

        def everything():
            return "".join(ChartRenderer(pohon_tree(p)).render() for _d, p in agencies)

        all_seconds, html = measure(everything, 1)
        rows.append(
            [
                count,
                nodes,
                query_count,
                f"{seconds * 1000:.0f}",
                f"{len(response.content) / 1024:.0f}",
                f"{frag_seconds * 1000:.0f}",
                f"{len(frag.content) / 1024:.1f}",
                f"{all_seconds * 1000:.0f}",
                f"{len(html.encode()) / 1024:.0f}",
                f"{built:.0f}",
            ]
        )
    print_table(
        ["agencies", "nodes", "queries", "page ms", "page KB", "open ms", "open KB", "all-at-once ms",
         "all-at-once KB", "setup s"],
        rows,
    )  # fmt: skip


if __name__ == "__main__":
    main()
