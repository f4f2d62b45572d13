"""Every node gets its lasting key ``kunci``; the history entries get the key of their node.

Before this change a node's identity was its ``kode``: revisions (Perubahan) and copies to the
next year kept the kode, and the difference between revisions matched on it. So nodes of the
same agency (every year and revision) that share a kode get the same kunci, and a Perubahan's
nodes keep their source's key. A history entry gets the kunci of its node where that node still
exists (by node_id), else of the node with the entry's kode in the same tree, else none (whole-tree
entries, nodes deleted for good).

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

    by_agency_kode: dict[tuple[int, str], uuid.UUID] = {}
    nodes = []
    for node in Node.objects.using(alias).only("pk", "pohon_id", "kode", "jenis", "pohon__dinas_id").select_related(
        "pohon"
    ):
        if node.jenis == "akar" or not node.kode:
            # The hidden root (kode "") is no kode identity: each tree's root gets its own key.
            node.kunci = uuid.uuid4()
        else:
            node.kunci = by_agency_kode.setdefault((node.pohon.dinas_id, node.kode), uuid.uuid4())
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
