"""Timing of the node admin on large trees.

    .venv/bin/python bench/admin_changelist.py [--runs 5]
    DATABASE_URL=postgres://pokin@127.0.0.1:55432/pokin .venv/bin/python bench/admin_changelist.py

Without DATABASE_URL it works in a throwaway SQLite file in a temporary directory; with one, in a
throwaway test database beside it (``test_<name>``, dropped at the end): it never touches real data.

It builds three trees of about 200, 2,000 and 20,000 nodes (about 22,000 in the database) in the
shape of the design card (Tujuan -> Sasaran -> Bidang -> Program -> Kegiatan -> Sub Kegiatan, with
Indikator under each), checked against the rule table while generated, inserted level by level
with bulk_create and made consistent by ``partial_rebuild`` under the tree's lock. Then it asks
the admin pages with Django's test client as a superuser and prints the median time of several
runs, the SQL query count, the response size and how many <option> elements the page holds.
For comparison, the same pages from django-mptt's stock ``DraggableMPTTAdmin`` on a second admin
site: its changelist serialises every node of the database, its form lists them all as parents.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import types
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
SIZES = (200, 2_000, 20_000)
GOAL_SECONDS = 1.0


@dataclass
class Spec:
    jenis: str
    kode: str
    uraian: str
    pagu: Decimal | None = None
    children: list["Spec"] = field(default_factory=list)
    lft: int = 0
    rght: int = 0
    level: int = 0

    def add(self, child: "Spec") -> "Spec":
        from pohon import rules

        assert rules.jenis_allowed_under(child.jenis, self.jenis), (child.jenis, self.jenis)
        self.children.append(child)
        return child


def tree_shape(size: int, seed: int) -> Spec:
    """About ``size`` nodes: 2 Tujuan x 3 Sasaran x 4 Bidang (40 nodes with their indicators),
    then 20-node Program blocks dealt round-robin over the Bidang."""
    import random

    from pohon import rules
    from pohon.services import KODE_PREFIX

    rng = random.Random(seed)
    counters: dict[str, int] = {}

    def spec(jenis: str, uraian: str, pagu: Decimal | None = None) -> Spec:
        counters[jenis] = counters.get(jenis, 0) + 1
        number = counters[jenis]
        return Spec(jenis, f"{KODE_PREFIX[jenis]}{number:05d}", f"{uraian} {number}", pagu)

    root = Spec(rules.AKAR, "", "akar")
    bidang: list[Spec] = []
    for _t in range(2):
        tujuan = root.add(spec(rules.TUJUAN, "Meningkatnya kemandirian desa"))
        tujuan.add(spec(rules.INDIKATOR, "Indeks Desa Membangun"))
        for _s in range(3):
            sasaran = tujuan.add(spec(rules.SASARAN, "Meningkatnya kapasitas aparatur desa"))
            sasaran.add(spec(rules.INDIKATOR, "Persentase desa mandiri"))
            bidang += [sasaran.add(spec(rules.BIDANG, "Bidang Pemberdayaan Masyarakat")) for _b in range(4)]
    programs = max(1, round((size - 40) / 20))
    for index in range(programs):
        program = bidang[index % len(bidang)].add(spec(rules.PROGRAM, "Program Penataan Desa"))
        program.add(spec(rules.INDIKATOR, "Jumlah desa yang dibina"))
        for _k in range(3):
            kegiatan = program.add(spec(rules.KEGIATAN, "Fasilitasi Pengelolaan Keuangan Desa"))
            kegiatan.add(spec(rules.INDIKATOR, "Jumlah dokumen"))
            for _sk in range(2):
                pagu = Decimal(rng.randrange(50_000, 500_000) * 1_000)
                sub = kegiatan.add(spec(rules.SUB_KEGIATAN, "Pembinaan Pemerintahan Desa", pagu))
                sub.add(spec(rules.INDIKATOR, "Jumlah aparat desa terlatih"))
            kegiatan.pagu = sum((c.pagu for c in kegiatan.children if c.pagu), Decimal(0))
        program.pagu = sum((c.pagu for c in program.children if c.pagu), Decimal(0))
    return root


def number_tree(root: Spec) -> int:
    """Nested-set numbers in depth-first order; returns the node count, root included."""
    counter = 1
    count = 0
    stack: list[tuple[Spec, int, bool]] = [(root, 0, False)]
    while stack:
        spec, level, closing = stack.pop()
        if closing:
            spec.rght = counter
            counter += 1
            continue
        count += 1
        spec.lft, spec.level = counter, level
        counter += 1
        stack.append((spec, level, True))
        stack.extend((child, level + 1, False) for child in reversed(spec.children))
    return count


def build_pohon(*, dinas, tahun: int, size: int, seed: int):
    """A tree through pohon_create, its nodes bulk-inserted and rebuilt under the tree's lock."""
    from django.db import transaction

    from pohon.models import Node
    from pohon.services import pohon_create, pohon_lock, pohon_root

    pohon = pohon_create(dinas=dinas, tahun=tahun)
    shape = tree_shape(size, seed)
    count = number_tree(shape)
    units = list(dinas.units.filter(jenis="bidang"))
    with transaction.atomic():
        pohon_lock(pohon)
        root = pohon_root(pohon)
        ids = {id(shape): root.pk}
        level = [shape]
        while level:
            rows, below = [], []
            for parent in level:
                for child in parent.children:
                    unit = units[child.lft % len(units)] if child.jenis == "bidang" and units else None
                    rows.append(
                        (
                            child,
                            Node(
                                pohon=pohon,
                                parent_id=ids[id(parent)],
                                jenis=child.jenis,
                                kode=child.kode,
                                uraian=child.uraian,
                                pagu=child.pagu,
                                unit=unit,
                                tree_id=root.tree_id,
                                lft=child.lft,
                                rght=child.rght,
                                level=child.level,
                            ),
                        )
                    )
                    below.append(child)
            Node.objects.bulk_create([node for _spec, node in rows], batch_size=500)
            ids.update({id(spec): node.pk for spec, node in rows})
            level = below
        Node.objects.filter(pk=root.pk).update(rght=shape.rght)
        # bulk_create and update() bypass mptt: rebuild in the same transaction (house rule).
        Node.objects.partial_rebuild(root.tree_id)
    return pohon, count


def stock_site_urls():
    """A second admin site with django-mptt's stock DraggableMPTTAdmin, for comparison."""
    from django.contrib import admin
    from django.urls import path
    from mptt.admin import DraggableMPTTAdmin

    from pohon.models import Node

    class StockNodeAdmin(DraggableMPTTAdmin):
        list_display = ("tree_actions", "indented_title", "jenis", "kode", "unit", "pagu")
        list_display_links = ("indented_title",)
        list_filter = ("pohon",)
        change_list_template = "admin/change_list.html"  # not Pokin's override of it

    stock = admin.AdminSite(name="stock")
    stock.register(Node, StockNodeAdmin)
    module = types.ModuleType("pokin_bench_urls")
    module.urlpatterns = [path("admin/", admin.site.urls), path("stock/", stock.urls)]
    sys.modules[module.__name__] = module
    return module.__name__


@dataclass
class Measure:
    label: str
    median: float
    fastest: float
    queries: int
    size: int
    options: int


def measure(client, label: str, url: str, runs: int) -> Measure:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up: templates, URL resolver, connection
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return Measure(
        label,
        statistics.median(timings),
        min(timings),
        len(queries.captured_queries),
        len(response.content),
        response.content.count(b"<option"),
    )


def run(runs: int, stock_runs: int) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import clear_url_caches

    from dinas.models import Pemda, PerangkatDaerah, UnitKerja
    from dinas.services import pemda_create
    from pohon.models import Node
    from pohon.selectors import pohon_dump, pohon_tree

    settings.ROOT_URLCONF = stock_site_urls()
    clear_url_caches()

    trees = {}
    pemda = Pemda.objects.filter(nama="Kabupaten Contoh").first() or pemda_create(nama="Kabupaten Contoh")
    started = time.perf_counter()
    for index, size in enumerate(SIZES):
        dinas = PerangkatDaerah.objects.create(kode=f"dinas-{size}", nama=f"Dinas {size}", pemda=pemda)
        for b in range(6):
            UnitKerja.objects.create(dinas=dinas, kode=f"bidang-{b}", nama=f"Bidang {b + 1}", jenis="bidang")
        trees[size] = build_pohon(dinas=dinas, tahun=2018 + index, size=size, seed=size)
    total = Node.objects.count()
    print(
        f"database: {connection.vendor}, {total:,} nodes in {len(trees)} trees, built in "
        f"{time.perf_counter() - started:.1f} s"
    )
    for pohon, count in trees.values():
        lines = pohon_dump(pohon_tree(pohon)).count("\n") + 1
        assert lines == count - 1, (lines, count)  # every node reachable in tree order
        print(f"  tree {pohon}: {count - 1:,} nodes")

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench")
    client = Client()
    client.force_login(user)

    middle, _count = trees[2_000]
    sample = Node.objects.filter(pohon=middle, jenis="kegiatan").order_by("lft")[50]
    pages = [
        (f"node list, tree of {size:,}", f"/admin/pohon/node/?pohon={pohon.pk}") for size, (pohon, _) in trees.items()
    ]
    pages += [
        ("node list, all trees (page 1)", "/admin/pohon/node/"),
        ("node list, search in 2,000", f"/admin/pohon/node/?pohon={middle.pk}&q=Fasilitasi"),
        ("node add form, tree of 2,000", f"/admin/pohon/node/add/?pohon={middle.pk}"),
        ("node change form, tree of 2,000", f"/admin/pohon/node/{sample.pk}/change/"),
        (
            "parent autocomplete, tree of 2,000",
            f"/admin/autocomplete/?app_label=pohon&model_name=node&field_name=parent&pohon={middle.pk}&term=desa",
        ),
        ("pohon list (count, total Pagu)", "/admin/pohon/pohon/"),
    ]
    stock_pages = [
        ("stock: node list, tree of 2,000", f"/stock/pohon/node/?pohon__id__exact={middle.pk}"),
        ("stock: node change form", f"/stock/pohon/node/{sample.pk}/change/"),
    ]
    results = [measure(client, label, url, runs) for label, url in pages]
    results += [measure(client, label, url, stock_runs) for label, url in stock_pages]

    print()
    header = f"{'page':<38} {'median':>9} {'fastest':>9} {'queries':>8} {'size':>10} {'<option>':>9}"
    print(header)
    print("-" * len(header))
    for m in results:
        print(
            f"{m.label:<38} {m.median * 1000:>7.0f}ms {m.fastest * 1000:>7.0f}ms {m.queries:>8} "
            f"{m.size / 1024:>8.0f}KB {m.options:>9}"
        )
    print(f"\n(median of {runs} runs after a warm-up; stock pages {stock_runs} runs)")
    goal = results[1]
    verdict = "met" if goal.median < GOAL_SECONDS else "NOT met"
    print(f"goal: node list of the 2,000-node tree under {GOAL_SECONDS:.0f} s: {verdict} ({goal.median:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per page (median reported)")
    parser.add_argument("--stock-runs", type=int, default=3, help="timed runs of the slow stock pages")
    args = parser.parse_args()

    tmpdir = None
    if not os.environ.get("DATABASE_URL"):
        tmpdir = tempfile.mkdtemp(prefix="pokin-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    django.setup()

    from django.core.management import call_command
    from django.db import connection

    test_database = None
    try:
        if tmpdir:
            call_command("migrate", verbosity=0, interactive=False)
        else:
            test_database = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        run(args.runs, args.stock_runs)
    finally:
        if test_database is not None:
            connection.creation.destroy_test_db(test_database, verbosity=0)
        if tmpdir:
            connection.close()
            shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    main()
