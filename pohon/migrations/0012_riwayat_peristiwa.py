"""NodeRiwayat.peristiwa: the event an entry belongs to (see pohon.history.riwayat_peristiwa).

Existing entries are grouped the way the services group new ones: a run of entries of one tree
with the same user and the same action, "buat" or "hapus" (the demo loader, an admin's bulk
deletion, the emptying before an import), each written at most two seconds after the previous
one, is one event; an "impor" entry joins the run of deletions just before it (the replaced
tree it emptied). Row by row, a node_create took ~5 ms, so the demo's 144 entries span more than
one second: a fixed "same second" window would split them, a chained gap does not. Every other
entry is an event of its own."""

import uuid
from datetime import timedelta

from django.db import migrations, models

GAP = timedelta(seconds=2)
RUNS = ("buat", "hapus")


def group_entries(apps, schema_editor):
    NodeRiwayat = apps.get_model("pohon", "NodeRiwayat")
    entries = NodeRiwayat.objects.order_by("pohon_id", "id").only("pk", "pohon_id", "aksi", "user_id", "user_nama", "waktu")
    batch = []
    previous = None
    for entry in entries.iterator(chunk_size=2000):
        joins = (
            previous is not None
            and previous.pohon_id == entry.pohon_id
            and (previous.user_id, previous.user_nama) == (entry.user_id, entry.user_nama)
            and entry.waktu - previous.waktu <= GAP
            and (
                (entry.aksi in RUNS and entry.aksi == previous.aksi)
                or (entry.aksi == "impor" and previous.aksi == "hapus")
            )
        )
        entry.peristiwa = previous.peristiwa if joins else uuid.uuid4()
        batch.append(entry)
        previous = entry
        if len(batch) >= 1000:
            NodeRiwayat.objects.bulk_update(batch, ["peristiwa"])
            batch = []
    if batch:
        NodeRiwayat.objects.bulk_update(batch, ["peristiwa"])


class Migration(migrations.Migration):
    dependencies = [
        ("pohon", "0011_node_target"),
    ]

    operations = [
        migrations.AddField(
            model_name="noderiwayat",
            name="peristiwa",
            field=models.UUIDField(editable=False, null=True, verbose_name="peristiwa"),
        ),
        migrations.RunPython(group_entries, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="noderiwayat",
            name="peristiwa",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False, verbose_name="peristiwa"),
        ),
    ]
