"""Rows as Pokin's schema held them before the yearly-cycle foundation (issue 11): pohon at
0007_demo_account, dinas at 0002_bounded_text. Written with the historical models of that state,
so the migrations that follow can be run over them: the migration test (the demo, an approved
revision with its signed file, and a Perubahan with a renamed kode, a moved node, a deleted one and
typed targets) and bench/migrations.py (the same at 20,000 nodes) both build on this module.

Nothing here may use the apps' current models or services (they describe today's schema); only the
pure nested-set arithmetic (``pohon.services.nested_set_fields``) is shared.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from pohon.services import nested_set_fields

LEGACY_STATE: list[tuple[str, str]] = [("dinas", "0002_bounded_text"), ("pohon", "0007_demo_account")]

# A stand-in for the stored signed file: the migrations must carry these bytes over untouched.
LEGACY_PDF = b"%PDF-1.7\n% legacy signed cascade, kept byte for byte\n%%EOF\n"
LEGACY_TOKEN = "legacy-token-dpmd-2018"

# Targets as people typed them into the old text columns (target, satuan) of the Perubahan.
LEGACY_TARGETS: dict[str, tuple[str, str]] = {
    "T1.I1": ("85,5", "%"),
    "T1.S1.I1": ("50%", ""),
    "T1.S2.I1": ("45 OPD", "OPD"),
    "B1.S1.I1": ("WTP", ""),
}


@dataclass
class LegacyRow:
    """A node to write: ``parent`` is the index of its parent in the list (None: under the root)."""

    parent: int | None
    jenis: str
    kode: str
    uraian: str
    unit: str | None = None  # unit kode
    pagu: Decimal | None = None
    target: str = ""
    satuan: str = ""


@dataclass
class LegacyData:
    dinas_id: int
    approved_id: int  # the demo tree of 2018, approved
    revision_id: int  # its Perubahan 1 (draft)
    pengesahan_id: int
    deleted_kode: str
    renamed: tuple[str, str]  # (old kode, new kode) in the Perubahan
    moved_kode: str
    node_count: int = 0
    extra_tree_ids: list[int] = field(default_factory=list)


def legacy_apps(connection):
    """Migrate ``connection``'s database back to the legacy state; the historical apps of it."""
    executor = MigrationExecutor(connection)
    legacy_apps_labels = {app for app, _name in LEGACY_STATE}
    others = [leaf for leaf in executor.loader.graph.leaf_nodes() if leaf[0] not in legacy_apps_labels]
    executor.migrate([*others, *LEGACY_STATE])
    executor.loader.build_graph()
    return executor.loader.project_state(LEGACY_STATE).apps


def migrate_to_latest(connection) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _write_tree(apps, pohon, rows: list[LegacyRow], units: dict[str, Any]) -> list[Any]:
    """Write ``rows`` with their nested-set fields computed here (the historical models have no
    django-mptt manager); level by level so that every parent has its id before its children."""
    Node = apps.get_model("pohon", "Node")
    last_tree = Node.objects.order_by("-tree_id").values_list("tree_id", flat=True).first() or 0
    tree_id = last_tree + 1
    lft, rght, level, counter = nested_set_fields([row.parent for row in rows])
    root = Node.objects.create(
        pohon=pohon, jenis="akar", kode="", uraian=f"{pohon.tahun}", lft=1, rght=counter + 1, level=0, tree_id=tree_id
    )
    nodes = [
        Node(
            pohon=pohon,
            jenis=row.jenis,
            kode=row.kode,
            uraian=row.uraian,
            unit=units.get(row.unit) if row.unit else None,
            pagu=row.pagu,
            target=row.target,
            satuan=row.satuan,
            lft=lft[i],
            rght=rght[i],
            level=level[i],
            tree_id=tree_id,
        )
        for i, row in enumerate(rows)
    ]
    for depth in sorted(set(level)):
        batch = [i for i in range(len(rows)) if level[i] == depth]
        for i in batch:
            parent = rows[i].parent
            nodes[i].parent_id = root.pk if parent is None else nodes[parent].pk
        Node.objects.bulk_create([nodes[i] for i in batch], batch_size=1000)
    return nodes


def _demo_rows() -> tuple[list[LegacyRow], list[Any], Any]:
    """The seed's tree and units as plain rows (the demo reader needs no database)."""
    from pohon.demo import demo_document, demo_nodes, demo_units

    document = demo_document()
    plans = demo_nodes(document)
    index_of = {plan.kode: i for i, plan in enumerate(plans)}
    rows = [
        LegacyRow(
            parent=index_of[plan.parent_kode] if plan.parent_kode else None,
            jenis=plan.jenis,
            kode=plan.kode,
            uraian=plan.uraian,
            unit=plan.unit_kode,
            pagu=plan.pagu,
        )
        for plan in plans
    ]
    return rows, demo_units(document), document


def legacy_build(apps, *, extra_trees: int = 0, nodes_per_tree: int = 0, history_per_node: bool = False) -> LegacyData:
    """The demo agency with its approved 2018 tree (signed file, workflow steps) and a Perubahan 1
    in which one kode is renamed, one Kegiatan moved to another Seksi, one Indikator deleted and
    four targets typed; plus ``extra_trees`` approved trees of ``nodes_per_tree`` nodes each, each
    with a Perubahan copied from it (for the benchmark)."""
    PerangkatDaerah = apps.get_model("dinas", "PerangkatDaerah")
    UnitKerja = apps.get_model("dinas", "UnitKerja")
    Pejabat = apps.get_model("dinas", "Pejabat")
    Pohon = apps.get_model("pohon", "Pohon")
    Node = apps.get_model("pohon", "Node")
    NodeRiwayat = apps.get_model("pohon", "NodeRiwayat")
    PohonRiwayat = apps.get_model("pohon", "PohonRiwayat")
    Pengesahan = apps.get_model("pohon", "Pengesahan")
    DokumenTerbit = apps.get_model("pohon", "DokumenTerbit")

    rows, unit_plans, document = _demo_rows()
    dinas = PerangkatDaerah.objects.create(
        kode="dpmd-lumajang",
        nama="Dinas Pemberdayaan Masyarakat dan Desa",
        pemda="Kabupaten Lumajang",
        tempat="Lumajang",
    )
    units: dict[str, Any] = {}
    for plan in unit_plans:
        units[plan.kode] = UnitKerja.objects.create(
            dinas=dinas,
            kode=plan.kode,
            nama=plan.nama,
            jenis=plan.jenis,
            parent=units.get(plan.parent_kode) if plan.parent_kode else None,
            urutan=plan.urutan,
        )
    signature = document.signature
    pejabat = Pejabat.objects.create(
        nama=signature.name,
        nip=signature.nip.replace(" ", ""),
        jabatan="Kepala Dinas Pemberdayaan Masyarakat dan Desa",
        unit=units["kepala"],
        tahun_mulai=2016,
    )
    approved_at = timezone.make_aware(datetime.datetime(2018, 1, 25, 10, 0))
    approved = Pohon.objects.create(dinas=dinas, tahun=2018, revisi=0, status="disetujui")
    _write_tree(apps, approved, rows, units)
    for aksi, before, after in (("ajukan", "draf", "diajukan"), ("setujui", "diajukan", "disetujui")):
        PohonRiwayat.objects.create(
            pohon=approved, aksi=aksi, status_sebelum=before, status_sesudah=after, user_nama="kadis", waktu=approved_at
        )
    pengesahan = Pengesahan.objects.create(
        pohon=approved,
        token=LEGACY_TOKEN,
        disetujui_oleh_nama="kadis",
        disetujui_pada=approved_at,
        tempat="Lumajang",
        tanggal=signature.date,
        pejabat=pejabat,
        pejabat_nama=pejabat.nama,
        pejabat_nip=pejabat.nip,
        pejabat_jabatan=pejabat.jabatan,
        ttd_status="selesai",
    )
    DokumenTerbit.objects.create(
        pengesahan=pengesahan,
        kertas="F4",
        pdf=LEGACY_PDF,
        sha256=hashlib.sha256(LEGACY_PDF).hexdigest(),
        ukuran=len(LEGACY_PDF),
        halaman=1,
    )

    # The Perubahan: copied by kode, then changed the ways the diff and the history must follow.
    revision = Pohon.objects.create(dinas=dinas, tahun=2018, revisi=1, status="draf")
    changed = [LegacyRow(**vars(row)) for row in rows]
    renamed = ("B1.P1", "B1.P1-2018")
    moved_kode = "B1.K1.G1"  # to the second Seksi of the same Bidang
    deleted_kode = "B2.S1.I1"
    index_of = {row.kode: i for i, row in enumerate(changed)}
    changed[index_of[renamed[0]]].kode = renamed[1]
    changed[index_of[moved_kode]].parent = index_of["B1.K2"]
    for kode, (target, satuan) in LEGACY_TARGETS.items():
        changed[index_of[kode]].target, changed[index_of[kode]].satuan = target, satuan
    deleted = changed[index_of[deleted_kode]]
    kept = [row for row in changed if row is not deleted]
    # Parent indices refer to positions in ``changed``; re-point them into ``kept``, and keep
    # every parent before its children (the moved Kegiatan now follows its new Seksi).
    position = {id(row): i for i, row in enumerate(kept)}
    ordered: list[LegacyRow] = []
    placed: dict[int, int] = {}

    def place(row: LegacyRow) -> None:
        if id(row) in placed:
            return
        parent_row = changed[row.parent] if row.parent is not None else None
        if parent_row is not None:
            place(parent_row)
        placed[id(row)] = len(ordered)
        ordered.append(LegacyRow(**{**vars(row), "parent": placed[id(parent_row)] if parent_row else None}))

    for row in sorted(kept, key=lambda r: position[id(r)]):
        place(row)
    revision_nodes = _write_tree(apps, revision, ordered, units)
    by_kode = {node.kode: node for node in revision_nodes}
    parent_of_deleted = changed[deleted.parent].kode
    moment = approved_at + datetime.timedelta(days=30)
    NodeRiwayat.objects.bulk_create(
        [
            NodeRiwayat(
                pohon=revision, aksi="salin", user_nama="operator", waktu=moment, sesudah={"jumlah": len(rows)}
            ),
            NodeRiwayat(
                pohon=revision,
                node_id=by_kode[renamed[1]].pk,
                kode=renamed[1],
                aksi="ubah",
                user_nama="operator",
                waktu=moment,
                sebelum={"kode": renamed[0]},
                sesudah={"kode": renamed[1]},
            ),
            NodeRiwayat(
                pohon=revision,
                node_id=by_kode[moved_kode].pk,
                kode=moved_kode,
                aksi="pindah",
                user_nama="operator",
                waktu=moment,
                sebelum={"parent": "B1.K1", "urutan": 1},
                sesudah={"parent": "B1.K2", "urutan": 4},
            ),
            NodeRiwayat(
                pohon=revision,
                node_id=999_999_999,
                kode=deleted_kode,
                aksi="hapus",
                user_nama="operator",
                waktu=moment,
                sebelum={
                    "kode": deleted_kode,
                    "jenis": deleted.jenis,
                    "uraian": deleted.uraian,
                    "unit": "",
                    "pagu": None,
                    "target": "",
                    "satuan": "",
                    "parent": parent_of_deleted,
                    "urutan": 1,
                    "nodes": [
                        {
                            "kode": deleted_kode,
                            "jenis": deleted.jenis,
                            "uraian": deleted.uraian,
                            "unit": "",
                            "unit_id": None,
                            "pagu": None,
                            "target": "",
                            "satuan": "",
                            "parent": parent_of_deleted,
                        }
                    ],
                },
            ),
        ]
    )
    for kode, (target, satuan) in LEGACY_TARGETS.items():
        NodeRiwayat.objects.create(
            pohon=revision,
            node_id=by_kode[kode].pk,
            kode=kode,
            aksi="ubah",
            user_nama="operator",
            waktu=moment,
            sebelum={"target": "", "satuan": ""},
            sesudah={"target": target, "satuan": satuan},
        )

    data = LegacyData(
        dinas_id=dinas.pk,
        approved_id=approved.pk,
        revision_id=revision.pk,
        pengesahan_id=pengesahan.pk,
        deleted_kode=deleted_kode,
        renamed=renamed,
        moved_kode=moved_kode,
    )
    for number in range(extra_trees):
        data.extra_tree_ids.extend(
            _bulk_agency(apps, number=number, size=nodes_per_tree, history_per_node=history_per_node)
        )
    data.node_count = Node.objects.exclude(jenis="akar").count()
    return data


def _bulk_rows(size: int) -> list[LegacyRow]:
    """``size`` nodes in the seed's shape: a Tujuan with its Indikator, then Bidang with Programs
    (Pagu) and Seksi with Kegiatan, each Kegiatan with two Indikator carrying typed targets."""
    rows = [LegacyRow(None, "tujuan", "T1", "Meningkatnya kinerja"), LegacyRow(0, "indikator", "T1.I1", "Indeks")]
    rows[-1].target, rows[-1].satuan = "85,5", "%"
    b = 0
    while len(rows) < size:
        b += 1
        bidang = len(rows)
        rows.append(LegacyRow(0, "bidang", f"B{b}", f"KEPALA BIDANG {b}"))
        for p in range(1, 4):
            rows.append(LegacyRow(bidang, "program", f"B{b}.P{p}", f"Program {b}.{p}", pagu=Decimal(p * 125_000_000)))
        for k in range(1, 4):
            seksi = len(rows)
            rows.append(LegacyRow(bidang, "seksi", f"B{b}.K{k}", f"KASIE {b}.{k}"))
            for g in range(1, 8):
                kegiatan = len(rows)
                rows.append(LegacyRow(seksi, "kegiatan", f"B{b}.K{k}.G{g}", f"Kegiatan {b}.{k}.{g}"))
                rows.append(LegacyRow(kegiatan, "indikator", f"B{b}.K{k}.G{g}.I1", "Jumlah desa", target="45 desa"))
                rows.append(LegacyRow(kegiatan, "indikator", f"B{b}.K{k}.G{g}.I2", "Opini", target="WTP"))
    return rows[:size]


def _bulk_agency(apps, *, number: int, size: int, history_per_node: bool) -> list[int]:
    PerangkatDaerah = apps.get_model("dinas", "PerangkatDaerah")
    Pohon = apps.get_model("pohon", "Pohon")
    NodeRiwayat = apps.get_model("pohon", "NodeRiwayat")
    dinas = PerangkatDaerah.objects.create(
        kode=f"bench-{number}", nama=f"Dinas Contoh {number}", pemda=f"Kabupaten Contoh {number % 3}"
    )
    rows = _bulk_rows(size)
    ids = []
    for revisi, status in ((0, "disetujui"), (1, "draf")):
        pohon = Pohon.objects.create(dinas=dinas, tahun=2024, revisi=revisi, status=status)
        nodes = _write_tree(apps, pohon, rows, {})
        ids.append(pohon.pk)
        if history_per_node:
            NodeRiwayat.objects.bulk_create(
                [
                    NodeRiwayat(
                        pohon=pohon,
                        node_id=node.pk,
                        kode=node.kode,
                        aksi="buat",
                        user_nama="operator",
                        sesudah={"kode": node.kode, "target": node.target, "satuan": node.satuan},
                    )
                    for node in nodes
                ],
                batch_size=1000,
            )
    return ids
