"""Benchmark: the Perjanjian Kinerja (pohon/perjanjian/) for the demo and for a generated agency.

Prints, for the demo (16 units) and a generated tree of about 2,000 nodes with 61 units:
- generating every PK (``perjanjian_generate``: the tree read once, every unit's lines and
  JUMLAH from that one read) with its SQL query count, against the obvious way (reading the tree
  again for each unit);
- one PK rendered and signed (``dokumen_render_signed``, what the signing job of one PK does:
  the certificate read, the PDF rendered and signed), JPT and Pengawas, median of ``--runs``;
  then its parts: the render alone, and the signature alone with the signer that keeps its key
  (``signer_load``) against pyHanko's ``SimpleSigner``, which reads the key for each signature;
- every PK rendered, signed and stored one after the other in one job
  (``perjanjian_sign_many``: the certificate read once), total and per PK, with the PDF sizes.

Goals (issue 14): one PK render + sign < 1 s; all 16 demo PKs < 10 s; a 2,000-node tree with 60
units: all PKs < 60 s.

    .venv/bin/python bench/perjanjian.py [--runs 3] [--size 2000] [--divisions 12] [--sections 4]
"""

import argparse
import io
import time

from _setup import bench_django, bench_pemda, measure_cpu, print_table


def measure(function, runs: int):
    """(median wall, median CPU) seconds over ``runs`` calls, and the last result."""
    wall, cpu, result = measure_cpu(function, runs)
    return (wall, cpu), result


def seconds_label(times, digits: int = 2) -> str:
    wall, cpu = times
    return f"{wall:.{digits}f} s (cpu {cpu:.{digits}f})"


def count_queries(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
    return elapsed, len(captured.captured_queries), result


def generated_agency(size: int, divisions: int, sections: int):
    """An agency with a tree of about ``size`` nodes in ``divisions`` x ``sections`` units, one
    official per unit and a Kepala Daerah; the tree marked approved directly (its cascade's own
    signing is bench/pdf.py's business, not this one's)."""
    from dinas.models import PerangkatDaerah
    from dinas.services import pejabat_create
    from pohon.models import Pohon
    from pohon.sample import NodeRow, _spec, _units
    from pohon.services import pohon_create, tree_bulk_insert

    pemda = bench_pemda("Kabupaten Bench")
    dinas = PerangkatDaerah.objects.create(kode="bench-pk", nama="Dinas Bench PK", pemda=pemda, tempat="Bench")
    per_kegiatan = divisions * sections * 3
    base = 6 + divisions * (1 + 3 + 4 + sections * 4)
    kegiatan = max(1, round((size - base) / per_kegiatan))
    units = _units(dinas, divisions, sections)
    pohon = pohon_create(dinas=dinas, tahun=2026)
    rows: list = []

    def place(spec, parent):
        rows.append(NodeRow(parent, spec.jenis, spec.kode, spec.uraian, spec.unit.pk if spec.unit else None, spec.pagu))
        index = len(rows) - 1
        for child in spec.children or ():
            place(child, index)

    for spec in _spec(divisions, sections, kegiatan, units):
        place(spec, None)
    tree_bulk_insert(pohon=pohon, rows=rows)
    for index, unit in enumerate(units.values(), start=1):
        pejabat_create(
            nama=f"Pejabat Bench {index}",
            unit=unit,
            nip=f"197501012000011{index:03d}",  # born 1975-01-01, appointed 2000-01, numbered
            jabatan=f"Kepala {unit.nama}",
            pangkat="Pembina, IV/a",
            tahun_mulai=2026,
        )
    if not pemda.kepala_daerah.exists():
        pejabat_create(nama="Bupati Bench", pemda=pemda, tahun_mulai=2026)
    Pohon.objects.filter(pk=pohon.pk).update(status=Pohon.Status.DISETUJUI)
    pohon.refresh_from_db()
    return pohon, len(rows), len(units)


def bench_agency(label: str, pohon, runs: int, goal_all: float) -> list[list[object]]:
    from pyhanko.sign import signers

    from pohon.dokumen.render import dokumen_render_signed
    from pohon.perjanjian.jobs import perjanjian_sign_many
    from pohon.perjanjian.models import PerjanjianKinerja
    from pohon.perjanjian.pdf import perjanjian_pdf
    from pohon.perjanjian.selectors import perjanjian_plans
    from pohon.perjanjian.services import perjanjian_approve, perjanjian_generate, perjanjian_submit
    from pohon.selectors import pohon_tree
    from pohon.signing import pdf_sign, signer_load

    rows = []
    naive_time, naive_queries, plans = count_queries(
        lambda: [perjanjian_plans(pohon, pohon_tree(pohon)) for _ in perjanjian_plans(pohon)]
    )
    gen_time, gen_queries, result = count_queries(lambda: perjanjian_generate(pohon=pohon, user=None))
    print(f"{label}: {len(result.dibuat)} PKs, {len(result.masalah)} units without one")
    rows.append([label, "generate all PKs", f"{gen_time:.2f} s", gen_queries, ""])
    rows.append([label, "  obvious way: tree read per unit (plans only)", f"{naive_time:.2f} s", naive_queries, ""])
    for pk in result.dibuat:
        perjanjian_submit(perjanjian=pk, user=None)
        perjanjian_approve(perjanjian=pk, user=None, enqueue=False)
    approved = list(PerjanjianKinerja.objects.filter(pohon=pohon).select_related("dokumen").order_by("id"))
    signer = signer_load()
    simple = signers.SimpleSigner(  # pyHanko's own: reads (and checks) the key for every signature
        signing_cert=signer.signing_cert, signing_key=signer.signing_key, cert_registry=signer.cert_registry
    )
    for tingkat in ("jpt", "pengawas"):
        pk = next(p for p in approved if p.tingkat == tingkat)
        dokumen_render_signed(dokumen=pk.dokumen, kertas="F4")  # warm: fonts, certificate
        seconds, (pdf, pages) = measure(lambda pk=pk: dokumen_render_signed(dokumen=pk.dokumen, kertas="F4"), runs)
        goal = "< 1 s " + ("ok" if seconds[0] < 1 else "MISSED")
        rows.append(
            [
                label,
                f"one PK ({tingkat}) render + sign, {pages} pages, certificate read",
                seconds_label(seconds),
                "",
                goal,
            ]
        )
        rendered, result = measure(lambda pk=pk: perjanjian_pdf(pk.dokumen, "F4"), runs)
        rows.append([label, "  render only (WeasyPrint, QR code, 3 queries)", seconds_label(rendered), "", ""])
        for name, which in (("kept key (signer_load)", signer), ("obvious way: pyHanko SimpleSigner", simple)):
            signed, _pdf = measure(
                lambda which=which, pdf=result.pdf: pdf_sign(
                    pdf, reason="bench", location="Bench", signer_name="Bench", signer=which
                ),
                runs,
            )
            rows.append([label, f"  sign only, {name}", seconds_label(signed, 3), "", ""])
    start, cpu = time.perf_counter(), time.process_time()
    perjanjian_sign_many(approved)  # the certificate read once, as one job signing them all
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    sizes = [pk.dokumen.berkas.get().ukuran for pk in approved]
    goal = f"< {goal_all:.0f} s " + ("ok" if total < goal_all else "MISSED")
    rows.append(
        [
            label,
            f"all {len(approved)} PKs render + sign + store ({total / len(approved):.2f} s each,"
            f" {sum(sizes) // len(sizes) // 1024} KiB each)",
            f"{total:.1f} s (cpu {cpu:.1f})",
            "",
            goal,
        ]
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--divisions", type=int, default=12)
    parser.add_argument("--sections", type=int, default=4)
    args = parser.parse_args()
    database = bench_django()

    from django.core.management import call_command

    from pohon.models import Pohon
    from pohon.signing.dev import dev_certificate_ensure

    dev_certificate_ensure()
    # The approved demo with its example officials, without its PKs (made and timed here).
    call_command("load_demo", demo=True, no_perjanjian=True, stdout=io.StringIO())
    demo = Pohon.objects.get(dinas__kode="dpmd-lumajang", tahun=2018)
    table = bench_agency("demo", demo, args.runs, 10)
    pohon, nodes, units = generated_agency(args.size, args.divisions, args.sections)
    print(f"generated: {nodes} nodes, {units} units")
    table += bench_agency(f"{nodes} nodes", pohon, args.runs, 60)
    print(f"\ndatabase: {database}")
    print_table(["tree", "what", "time", "queries", "goal"], table)


if __name__ == "__main__":
    main()
