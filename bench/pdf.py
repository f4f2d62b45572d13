"""Benchmark: the printed cascade (pohon/pdf.py) for the demo and for generated trees.

For each tree it prints the time to build the HTML and to render the PDF (median of several runs),
the page count, the peak Python memory of one render (tracemalloc) and the process's peak
resident memory so far (getrusage), and how many words ``pdftotext -bbox`` finds outside their
page. The trees: the seed's demo, generated trees of about 200 and 2,000 nodes, and the generated
tree of 24 divisions (``sample_tree_create`` gives 24 divisions from 10,000 nodes on).

Goals: the demo under 2 s; 2,000 nodes under 20 s; no word outside the page at 24 divisions.

    .venv/bin/python bench/pdf.py [--sizes 200 2000] [--wide 10000] [--runs 3] [--kertas F4]
"""

import argparse
import datetime
import io
import re
import resource
import subprocess
import sys
import time

from _setup import bench_django, bench_pemda, measure, peak_memory, print_table

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">')


def words_outside(pdf: bytes) -> tuple[int, int]:
    """(words in the PDF, words whose box is not inside its page), by ``pdftotext -bbox``."""
    result = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True)
    width = height = 0.0
    count = outside = 0
    for line in result.stdout.decode().splitlines():
        if page := _PAGE.search(line):
            width, height = float(page[1]), float(page[2])
        elif word := _WORD.search(line):
            count += 1
            x_min, y_min, x_max, y_max = (float(value) for value in word.groups())
            outside += x_min < 0 or y_min < 0 or x_max > width or y_max > height
    return count, outside


def max_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 2000], help="generated tree sizes")
    parser.add_argument("--wide", type=int, default=10_000, help="size of the 24-division tree (0: skip)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kertas", default="F4", choices=["A4", "F4", "A3"])
    args = parser.parse_args()
    database = bench_django()

    from django.core.management import call_command

    from dinas.models import PerangkatDaerah
    from pohon.models import Pohon
    from pohon.pdf import PdfInput, SignatureBlock, column_budget, pdf_html, pdf_render
    from pohon.sample import sample_shape, sample_tree_create
    from pohon.selectors import pohon_tree

    call_command("load_demo", demo=True, stdout=io.StringIO())  # quiet: the command prints the demo logins
    # (label, tree, time goal in seconds or None, whether the goal is "no word outside the page")
    cases = [("demo (approved)", Pohon.objects.get(dinas__kode="dpmd-lumajang", tahun=2018), 2.0, False)]
    sizes = [*args.sizes, *([args.wide] if args.wide else [])]
    for index, size in enumerate(sizes):
        dinas = PerangkatDaerah.objects.create(
            kode=f"bench-{index}", nama=f"Dinas Bench {size}", pemda=bench_pemda("Kabupaten Uji")
        )
        started = time.perf_counter()
        pohon = sample_tree_create(dinas=dinas, tahun=2026, size=size)
        divisions, sections, _kegiatan = sample_shape(size)
        built = time.perf_counter() - started
        print(f"generated ~{size} nodes ({divisions} divisions x {sections} sections) in {built:.1f} s")
        wide = size == args.wide
        label = f"{divisions} divisions" if wide else f"~{size} nodes"
        cases.append((label, pohon, 20.0 if 1000 <= size <= 2000 else None, wide))

    signer = SignatureBlock(
        tempat="Lumajang",
        tanggal=datetime.date(2018, 1, 25),
        jabatan="KEPALA DINAS",
        dinas_lines=["PEMBERDAYAAN MASYARAKAT DAN DESA", "KABUPATEN LUMAJANG"],
        nama="PATRIANI HASTIADI, AP. MSi.",
        nip="19740910 199412 1 001",
    )
    print(f"Database: {database}; paper {args.kertas} (column budget {column_budget(args.kertas)})")
    rows = []
    for label, pohon, goal, outside_goal in cases:
        tree = pohon_tree(pohon)
        demo = pohon.dinas.kode == "dpmd-lumajang"
        data = PdfInput(tree=tree, kertas=args.kertas, draft=not demo, signature=signer if demo else None)
        runs = args.runs if len(tree.nodes) <= 2500 else 1
        html_seconds, _html = measure(lambda data=data: pdf_html(data), runs)
        seconds, result = measure(lambda data=data: pdf_render(data), runs)
        memory = peak_memory(lambda data=data: pdf_render(data))
        words, outside = words_outside(result.pdf)
        verdict = "-"
        if goal is not None:
            verdict = f"< {goal:g} s: " + ("ok" if seconds < goal else "SLOW")
        if outside_goal:
            verdict = "no text outside: " + ("ok" if outside == 0 else "FAILED")
        rows.append(
            [
                label,
                len(tree.nodes),
                result.pages,
                f"{html_seconds * 1000:.0f}",
                f"{seconds:.2f}",
                f"{memory / 2**20:.0f}",
                f"{max_rss_mib():.0f}",
                words,
                outside,
                f"{len(result.pdf) / 1024:.0f}",
                verdict,
            ]
        )
        print(f"  {label}: {result.pages} pages in {seconds:.2f} s")

    print()
    print(f"PDF renders (median of {args.runs} runs; one run above 2,500 nodes), paper {args.kertas}:")
    header = ["tree", "nodes", "pages", "html ms", "pdf s", "peak MiB", "max RSS MiB", "words", "outside", "KiB"]
    print_table([*header, "goal"], rows)
    print("peak MiB: tracemalloc, one render; max RSS: the process's high-water mark so far.")
    issued_downloads(cases[0][1], runs=max(args.runs, 20))


def issued_downloads(demo, *, runs: int) -> None:
    """An approved revision's document is rendered and signed once; later downloads return the
    stored bytes. Times the first issue (render + sign) and the download through the PDF view."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from pohon.signing import sha256_hex
    from pohon.workflow import dokumen_issue

    started = time.perf_counter()
    dokumen_issue(pengesahan=demo.pengesahan, kertas="A4")
    first = time.perf_counter() - started
    client = Client()
    client.force_login(get_user_model().objects.get(username="kadis"))
    url = reverse("pohon:pdf", args=[demo.dinas.kode, demo.tahun])
    client.get(url)
    seconds, response = measure(lambda: client.get(url), runs)
    same = sha256_hex(response.content) == demo.pengesahan.dokumen.berkas.get(kertas="F4").sha256
    print()
    print(f"Issued document of the demo: first issue of A4 (render + sign) {first:.2f} s;")
    print(
        f"  download of the issued F4 through the view: {seconds * 1000:.1f} ms median of {runs} (goal < 50 ms: "
        f"{'ok' if seconds < 0.05 else 'SLOW'}), {len(response.content) / 1024:.0f} KiB, same bytes as stored: {same}"
    )


if __name__ == "__main__":
    main()
