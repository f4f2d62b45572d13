"""Benchmark: the dashboards and the reports of issue 15 (realisation and achievement).

1. The agency dashboard (``/laporan/<dinas>/<tahun>/``) for trees of about 200, 2,000 and 20,000
   nodes with all four quarters reported: SQL queries and server time of the page and of its
   selector alone (``dasbor_dinas``). Goal at 2,000 nodes: <= 12 queries, < 150 ms.
2. The Pemda dashboard of 10, 20 and 40 agencies (trees of about 200 nodes each, four quarters):
   queries and time, against the obvious way (``realisasi_tahun`` once per agency, ten queries
   each). Goal at 40 agencies: < 300 ms.
3. The demo's Laporan Kinerja (the example 2019 of ``load_demo``) as PDF: content, draft render,
   and issue (render and sign). Goal: < 2 s. The quarterly report's PDF and both xlsx beside it.

    .venv/bin/python bench/laporan.py [--sizes 200 2000 20000] [--agencies 10 20 40] [--runs 5]
"""

import argparse
import os
import tempfile
import time
from decimal import Decimal

from _setup import bench_django, bench_pemda, measure, print_table


def year_reported(dinas, pohon) -> None:
    """Approve ``pohon`` (status only: no PDF), give every Indikator a target and every quarter
    a realisation, every budget line its spending, and every unit's quarter verified, in bulk."""
    from pohon import rules
    from pohon.models import Node, Pohon
    from pohon.realisasi.models import LaporanTriwulan, Realisasi, RealisasiAnggaran, RencanaIndikator, TargetTriwulan
    from pohon.realisasi.selectors import butir_realisasi

    Pohon.objects.filter(pk=pohon.pk).update(status=Pohon.Status.DISETUJUI)
    Node.objects.filter(pohon=pohon, jenis=rules.INDIKATOR).update(target_angka=Decimal(100), satuan="%", arah="naik")
    nodes = butir_realisasi(pohon)
    scope = {"dinas": dinas, "tahun": pohon.tahun}
    rencana, targets, realisasi, anggaran, units = [], [], [], [], set()
    for index, node in enumerate(nodes):
        if node.jenis == rules.INDIKATOR:
            units.add(node.pemilik_id)
            rencana.append(RencanaIndikator(**scope, kunci=node.kunci, aturan="kumulatif"))
            for tw in (1, 2, 3, 4):
                targets.append(TargetTriwulan(**scope, kunci=node.kunci, triwulan=tw, target_angka=Decimal(25)))
                value = Decimal(15 + (index * 7 + tw) % 15)
                realisasi.append(Realisasi(**scope, kunci=node.kunci, triwulan=tw, realisasi_angka=value))
        elif node.pagu is not None:
            units.add(node.pemilik_id)
            for tw in (1, 2, 3, 4):
                anggaran.append(RealisasiAnggaran(**scope, kunci=node.kunci, triwulan=tw, jumlah=node.pagu / 5))
    RencanaIndikator.objects.bulk_create(rencana)
    TargetTriwulan.objects.bulk_create(targets)
    Realisasi.objects.bulk_create(realisasi)
    RealisasiAnggaran.objects.bulk_create(anggaran)
    LaporanTriwulan.objects.bulk_create(
        LaporanTriwulan(**scope, triwulan=tw, unit_id=unit, status="diverifikasi")
        for tw in (1, 2, 3, 4)
        for unit in units
    )


def queries_of(function) -> int:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--agencies", type=int, nargs="+", default=[10, 20, 40])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-pdf", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("POKIN_SIGNING_P12", os.path.join(tempfile.mkdtemp(prefix="pokin-bench-ttd-"), "ttd.p12"))
    database = bench_django()

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from dinas.models import PerangkatDaerah
    from pohon.laporan.selectors import dasbor_dinas, dasbor_pemda
    from pohon.models import Node
    from pohon.realisasi.selectors import realisasi_tahun
    from pohon.sample import sample_tree_create

    user = get_user_model().objects.create_superuser("bench", password="bench-only")
    client = Client()
    client.force_login(user)
    print(f"Database: {database}")

    print("\n1. Agency dashboard, four quarters reported")
    rows = []
    for index, size in enumerate(args.sizes):
        dinas = PerangkatDaerah.objects.create(
            kode=f"bench-{index}", nama=f"Dinas Bench {size}", pemda=bench_pemda("Kabupaten Bench")
        )
        pohon = sample_tree_create(dinas=dinas, tahun=2019, size=size)
        year_reported(dinas, pohon)
        count = Node.objects.filter(pohon=pohon).visible().count()
        url = reverse("laporan:dinas", args=[dinas.kode, 2019])
        client.get(url)  # warm
        page_queries = queries_of(lambda url=url: client.get(url))
        page_seconds, response = measure(lambda url=url: client.get(url), args.runs)
        assert response.status_code == 200
        selector_queries = queries_of(lambda dinas=dinas: dasbor_dinas(dinas=dinas, tahun=2019))
        selector_seconds, _ = measure(lambda dinas=dinas: dasbor_dinas(dinas=dinas, tahun=2019), args.runs)
        rows.append(
            [count, page_queries, f"{page_seconds * 1000:.1f}", selector_queries, f"{selector_seconds * 1000:.1f}",
             f"{len(response.content) / 1024:.0f}"]
        )  # fmt: skip
    print_table(["nodes", "page queries", "page ms", "selector queries", "selector ms", "KiB"], rows)
    print("Goal: <= 12 queries and < 150 ms at 2,000 nodes.")

    print("\n2. Pemda dashboard (trees of ~200 nodes each, four quarters reported)")
    rows = []
    made = 0
    for wanted in args.agencies:
        pemda = bench_pemda(f"Kabupaten Bench {wanted}")
        while PerangkatDaerah.objects.filter(pemda=pemda).count() < wanted:
            made += 1
            dinas = PerangkatDaerah.objects.create(kode=f"pd-{wanted}-{made}", nama=f"Dinas {made}", pemda=pemda)
            year_reported(dinas, sample_tree_create(dinas=dinas, tahun=2019, size=200))
        url = reverse("laporan:pemda", args=[pemda.kode, 2019])
        client.get(url)
        page_queries = queries_of(lambda url=url: client.get(url))
        page_seconds, response = measure(lambda url=url: client.get(url), args.runs)
        assert response.status_code == 200
        selector_seconds, _ = measure(lambda pemda=pemda: dasbor_pemda(pemda=pemda, tahun=2019), args.runs)
        dinas_list = list(PerangkatDaerah.objects.filter(pemda=pemda))

        def obvious(dinas_list=dinas_list):
            return [realisasi_tahun(dinas=dinas, tahun=2019) for dinas in dinas_list]

        obvious_queries = queries_of(obvious)
        obvious_seconds, _ = measure(obvious, args.runs)
        rows.append(
            [wanted, page_queries, f"{page_seconds * 1000:.0f}", f"{selector_seconds * 1000:.0f}", obvious_queries,
             f"{obvious_seconds * 1000:.0f}"]
        )  # fmt: skip
    print_table(
        ["agencies", "page queries", "page ms", "selector ms", "per-agency queries", "per-agency reads ms"], rows
    )
    print("Goal: < 300 ms at 40 agencies. 'per-agency reads' is the obvious way (realisasi_tahun once per")
    print("agency, its reads only); the selector reads the whole Pemda with one query per kind of row.")

    if args.skip_pdf:
        return
    print("\n3. The demo's reports (load_demo's example 2019)")
    from io import StringIO

    from django.core.management import call_command

    from pohon.laporan.documents import laporan_draft_pdf
    from pohon.laporan.isi import isi_kinerja_for, isi_triwulan_for
    from pohon.laporan.models import LaporanTerbit
    from pohon.laporan.services import laporan_terbitkan
    from pohon.laporan.xlsx import laporan_xlsx

    started = time.perf_counter()
    call_command("load_demo", demo=True, stdout=StringIO())
    print(f"load_demo (2018 and the example 2019, both approved and signed): {time.perf_counter() - started:.1f} s")
    demo = PerangkatDaerah.objects.get(kode="dpmd-lumajang")
    rows = []
    for label, build in (
        ("LKj", lambda: isi_kinerja_for(dinas=demo, tahun=2019)),
        ("TW IV", lambda: isi_triwulan_for(dinas=demo, tahun=2019, triwulan=4)),
    ):
        content_seconds, isi = measure(build, args.runs)
        pdf_seconds, result = measure(lambda isi=isi: laporan_draft_pdf(isi), max(1, args.runs // 2))
        xlsx_seconds, data = measure(lambda isi=isi: laporan_xlsx(isi), args.runs)
        rows.append(
            [label, f"{content_seconds * 1000:.0f}", f"{pdf_seconds:.2f}", result.pages,
             f"{len(result.pdf) / 1024:.0f}", f"{xlsx_seconds * 1000:.0f}", f"{len(data) / 1024:.0f}"]
        )  # fmt: skip
    print_table(["report", "content ms", "draft PDF s", "pages", "PDF KiB", "xlsx ms", "xlsx KiB"], rows)
    started = time.perf_counter()
    laporan = laporan_terbitkan(dinas=demo, tahun=2019, jenis=LaporanTerbit.Jenis.KINERJA, user=None)
    issued = time.perf_counter() - started
    laporan.refresh_from_db()
    state = laporan.get_ttd_status_display()
    print(f"LKj issued (content, render and sign, the job run at once): {issued:.2f} s, {state}")
    print("Goal: the demo's LKj PDF < 2 s.")


if __name__ == "__main__":
    main()
