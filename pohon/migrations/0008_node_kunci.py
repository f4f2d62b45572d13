"""Every node gets its lasting key ``kunci``; the history entries get the key of their node.

Before this change a node's identity was its ``kode``: revisions (Perubahan) and copies to the
next year kept the kode, and the difference between revisions matched on it. So nodes of the
same agency (every year and revision) that share a kode get the same kunci, and a Perubahan's
nodes keep their source's key. A history entry gets the kunci of its node where that node still
exists (by node_id), else of the node with the entry's kode in the same tree, else none (whole-tree
entries, nodes deleted for good). A kode renamed in the editor left an "ubah" entry (kode old ->
new): the node under its new kode keeps the key of its old one, so the difference between the
revisions shows the rename as one change. Should that give two nodes of one tree the same key (an
old kode re-used for a new node), the later one gets a key of its own.

One read of each table, the keys computed in Python, written with bulk_update in batches: about a
second for 20,000 nodes, where a query per node would take minutes.
"""

import uuid

from django.db import migrations, models

BATCH = 1000


def fill_kunci(apps, schema_editor):
    Node = apps.get_model("pohon", "Node")
    NodeRiwayat = apps.get_model("pohon", "NodeRiwayat")
    alias = schema_editor.connection.alias

    Pohon = apps.get_model("pohon", "Pohon")
    dinas_of = dict(Pohon.objects.using(alias).values_list("pk", "dinas_id"))
    renamed: dict[tuple[int, str], str] = {}  # (agency, new kode) -> the kode it had before
    for pohon_id, sebelum, sesudah in (
        NodeRiwayat.objects.using(alias)
        .filter(aksi="ubah")
        .order_by("waktu", "id")
        .values_list("pohon_id", "sebelum", "sesudah")
    ):
        old, new = (sebelum or {}).get("kode"), (sesudah or {}).get("kode")
        if old and new and old != new:
            renamed.setdefault((dinas_of[pohon_id], new), old)

    def first_kode(dinas_id: int, kode: str) -> str:
        seen = {kode}
        while (dinas_id, kode) in renamed and renamed[(dinas_id, kode)] not in seen:
            kode = renamed[(dinas_id, kode)]
            seen.add(kode)
        return kode

    by_agency_kode: dict[tuple[int, str], uuid.UUID] = {}
    used: set[tuple[int, uuid.UUID]] = set()  # (tree, key): a key once per tree
    nodes = []
    for node in Node.objects.using(alias).only("pk", "pohon_id", "kode", "jenis").order_by("tree_id", "lft"):
        if node.jenis == "akar" or not node.kode:
            # The hidden root (kode "") is no kode identity: each tree's root gets its own key.
            node.kunci = uuid.uuid4()
        else:
            dinas_id = dinas_of[node.pohon_id]
            node.kunci = by_agency_kode.setdefault((dinas_id, first_kode(dinas_id, node.kode)), uuid.uuid4())
            if (node.pohon_id, node.kunci) in used:
                node.kunci = uuid.uuid4()
        used.add((node.pohon_id, node.kunci))
        nodes.append(node)
    # kunci is not one of django-mptt's tree fields (parent, lft, rght, tree_id, level), so a bulk
    # UPDATE of it leaves the nested sets intact and needs no rebuild().
    Node.objects.using(alias).bulk_update(nodes, ["kunci"], batch_size=BATCH)

    by_id = {node.pk: (node.pohon_id, node.kunci) for node in nodes}
    by_tree_kode = {(node.pohon_id, node.kode): node.kunci for node in nodes if node.kode}
    entries = []
    for entry in NodeRiwayat.objects.using(alias).only("pk", "pohon_id", "node_id", "kode"):
        found = by_id.get(entry.node_id) if entry.node_id is not None else None
        if found is not None and found[0] == entry.pohon_id:
            entry.kunci = found[1]
        elif entry.kode:
            entry.kunci = by_tree_kode.get((entry.pohon_id, entry.kode))
        else:
            entry.kunci = None
        if entry.kunci is not None:
            entries.append(entry)
    NodeRiwayat.objects.using(alias).bulk_update(entries, ["kunci"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("pohon", "0007_demo_account"),
    ]

    operations = [
        migrations.AddField(
            model_name="node",
            name="kunci",
            field=models.UUIDField(editable=False, null=True, verbose_name="kunci"),
        ),
        migrations.AddField(
            model_name="noderiwayat",
            name="kunci",
            field=models.UUIDField(blank=True, db_index=True, null=True, verbose_name="kunci node"),
        ),
        migrations.RunPython(fill_kunci, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="node",
            name="kunci",
            field=models.UUIDField(default=uuid.uuid4, editable=False, verbose_name="kunci"),
        ),
        migrations.AddConstraint(
            model_name="node",
            constraint=models.UniqueConstraint(
                fields=("pohon", "kunci"),
                name="node_unique_kunci_per_pohon",
                violation_error_message="Kunci ini sudah dipakai oleh node lain di pohon yang sama.",
            ),
        ),
    ]
