"""Benchmark: the dashboards and the reports of issue 15 (realisation and achievement).

1. The agency dashboard (``/laporan/<dinas>/<tahun>/``) for trees of about 200, 2,000 and 20,000
   nodes with all four quarters reported: SQL queries and server time of the page (for a
   superuser and for the agency's Kepala Dinas) and of its selector alone (``dasbor_dinas``).
   Goal at 2,000 nodes: <= 12 queries, < 150 ms.
2. The Pemda dashboard of 10, 20 and 40 agencies (trees of about 200 nodes each, four quarters):
   queries and time, against the obvious way (``realisasi_tahun`` once per agency, ten queries
   each). Goal at 40 agencies: < 300 ms.
3. The demo's Laporan Kinerja (the example 2019 of ``load_demo``) as PDF: content, draft render
   (WeasyPrint's layout and its PDF output apart), and issue: the signed document's render and
   its signature measured apart. Goal: < 2 s. The quarterly report's PDF and both xlsx beside it.

Queries are SQL statements, not counting the transaction's own (BEGIN, COMMIT, SAVEPOINT: each
request is atomic, and on SQLite these are statements of their own). Times are medians of wall
time ("ms") and, beside them, of this process's CPU time ("cpu"): the machine the figures were
taken on is shared, and CPU time is what the code costs whatever else runs.

    .venv/bin/python bench/laporan.py [--sizes 200 2000 20000] [--agencies 10 20 40] [--runs 5]
"""

import argparse
import os
import tempfile
import time
from decimal import Decimal

from _setup import bench_django, bench_pemda, print_table
from _setup import measure_cpu as timed


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


TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def queries_of(function) -> int:
    """SQL statements ``function`` runs, the transaction's own (BEGIN, COMMIT, ...) not counted."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        function()
    return sum(1 for query in queries if not query["sql"].upper().startswith(TRANSACTION))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


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

    from dinas.models import Keanggotaan, PerangkatDaerah
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
        kadis = get_user_model().objects.create_user(f"kadis-{index}", password="bench-only")
        Keanggotaan.objects.create(user=kadis, dinas=dinas, peran=Keanggotaan.Peran.KEPALA_DINAS)
        member = Client()
        member.force_login(kadis)
        count = Node.objects.filter(pohon=pohon).visible().count()
        url = reverse("laporan:dinas", args=[dinas.kode, 2019])
        client.get(url)  # warm
        page_queries = queries_of(lambda url=url: client.get(url))
        member_queries = queries_of(lambda url=url, member=member: member.get(url))
        page_wall, page_cpu, response = timed(lambda url=url: client.get(url), args.runs)
        assert response.status_code == 200
        assert member.get(url).status_code == 200
        selector_queries = queries_of(lambda dinas=dinas: dasbor_dinas(dinas=dinas, tahun=2019))
        selector_wall, selector_cpu, _ = timed(lambda dinas=dinas: dasbor_dinas(dinas=dinas, tahun=2019), args.runs)
        rows.append(
            [count, f"{page_queries} / {member_queries}", ms(page_wall), ms(page_cpu), selector_queries,
             ms(selector_wall), ms(selector_cpu), f"{len(response.content) / 1024:.0f}"]
        )  # fmt: skip
    print_table(
        ["nodes", "page queries (superuser / kadis)", "page ms", "page cpu", "selector queries", "selector ms",
         "selector cpu", "KiB"],
        rows,
    )  # fmt: skip
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
        page_wall, page_cpu, response = timed(lambda url=url: client.get(url), args.runs)
        assert response.status_code == 200
        _wall, selector_cpu, _ = timed(lambda pemda=pemda: dasbor_pemda(pemda=pemda, tahun=2019), args.runs)
        dinas_list = list(PerangkatDaerah.objects.filter(pemda=pemda))

        def obvious(dinas_list=dinas_list):
            return [realisasi_tahun(dinas=dinas, tahun=2019) for dinas in dinas_list]

        obvious_queries = queries_of(obvious)
        obvious_wall, obvious_cpu, _ = timed(obvious, args.runs)
        rows.append(
            [wanted, page_queries, ms(page_wall), ms(page_cpu), ms(selector_cpu), obvious_queries, ms(obvious_wall),
             ms(obvious_cpu)]
        )  # fmt: skip
    print_table(
        ["agencies", "page queries", "page ms", "page cpu", "selector cpu", "per-agency queries", "per-agency ms",
         "per-agency cpu"],
        rows,
    )  # fmt: skip
    print("Goal: < 300 ms at 40 agencies. 'per-agency' is the obvious way (realisasi_tahun once per agency,")
    print("its reads and capaian only); the selector reads the whole Pemda with one query per kind of row.")

    if args.skip_pdf:
        return
    print("\n3. The demo's reports (load_demo's example 2019)")
    from io import StringIO

    from django.core.management import call_command

    from pohon.laporan.documents import KERTAS, laporan_draft_pdf, laporan_html, laporan_pdf
    from pohon.laporan.isi import isi_kinerja_for, isi_triwulan_for
    from pohon.laporan.models import LaporanTerbit
    from pohon.laporan.services import laporan_terbitkan
    from pohon.laporan.xlsx import laporan_xlsx
    from pohon.pdf import html_document
    from pohon.signing import pdf_sign, signer_load

    started = time.perf_counter()
    call_command("load_demo", demo=True, stdout=StringIO())
    print(f"load_demo (2018 and the example 2019, both approved and signed): {time.perf_counter() - started:.1f} s")
    demo = PerangkatDaerah.objects.get(kode="dpmd-lumajang")
    runs = max(3, args.runs // 2)
    rows = []
    for label, build in (
        ("LKj", lambda: isi_kinerja_for(dinas=demo, tahun=2019)),
        ("TW IV", lambda: isi_triwulan_for(dinas=demo, tahun=2019, triwulan=4)),
    ):
        content_wall, _cpu, isi = timed(build, args.runs)
        pdf_wall, pdf_cpu, result = timed(lambda isi=isi: laporan_draft_pdf(isi), runs)
        html = laporan_html(isi, draft=True)
        layout_wall, _cpu, document = timed(lambda html=html: html_document(html), runs)
        write_wall, _cpu, _pdf = timed(lambda document=document: document.write_pdf(), runs)
        xlsx_wall, _cpu, data = timed(lambda isi=isi: laporan_xlsx(isi), args.runs)
        rows.append(
            [label, ms(content_wall), f"{pdf_wall:.2f}", f"{pdf_cpu:.2f}", f"{layout_wall:.2f}", f"{write_wall:.2f}",
             result.pages, f"{len(result.pdf) / 1024:.0f}", ms(xlsx_wall), f"{len(data) / 1024:.0f}"]
        )  # fmt: skip
    print_table(
        ["report", "content ms", "draft PDF s", "draft cpu s", "of it: layout s", "PDF output s", "pages", "PDF KiB",
         "xlsx ms", "xlsx KiB"],
        rows,
    )  # fmt: skip
    started = time.perf_counter()
    laporan = laporan_terbitkan(dinas=demo, tahun=2019, jenis=LaporanTerbit.Jenis.KINERJA, user=None)
    issued = time.perf_counter() - started
    laporan.refresh_from_db()
    state = laporan.get_ttd_status_display()
    print(f"LKj issued (content, render and sign, the job run at once): {issued:.2f} s, {state}")
    # The issued document's two parts apart: its render (the frozen content, the signer's block
    # and the QR code) and its signature (the certificate loaded once, as a job does).
    dokumen = laporan.dokumen
    render_wall, render_cpu, rendered = timed(lambda: laporan_pdf(dokumen, KERTAS), runs)
    signer = signer_load()
    sign_wall, sign_cpu, _signed = timed(
        lambda: pdf_sign(rendered.pdf, reason=dokumen.judul, location=dokumen.tempat, signer_name="", signer=signer),
        runs,
    )
    load_wall, _cpu, _signer = timed(signer_load, 1)
    print(
        f"  of it: render {render_wall:.2f} s (cpu {render_cpu:.2f}), sign {sign_wall:.3f} s (cpu {sign_cpu:.3f}),"
        f" loading the certificate once per job {load_wall:.2f} s"
    )
    print("Goal: the demo's LKj PDF < 2 s.")


if __name__ == "__main__":
    main()
