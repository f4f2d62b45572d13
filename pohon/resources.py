"""The canonical table format of a tree: one row per node, in tree order.

Columns: kode, induk (the parent's kode, empty at the top), jenis, uraian, unit_kerja (the unit's
name), pagu (digits only), target, satuan, arah, kunci (the node's lasting key, a UUID: always exported;
optional on import, where a row without one is a new node). The import (``pohon.imports``) reads
the same layout.

The target is written as text in its display form (``85,5``, ``1.250``, ``WTP``: one canonical
form, ``pohon.targets.target_format``) in every format, so that the file reads the same in a
spreadsheet of any locale and ``target_parse`` reads it back to the same number: export ->
import -> export is identical. ``arah`` is naik, turun or tetap on an Indikator, empty elsewhere.

A Pemda tree (RPJMD) has one more column per year of its period, ``target_2014`` ...
``target_2018``: an Indikator's (IKU's) target for that year, written like ``target``. They are
optional on import (``pohon.imports``); an agency's tree has none.
"""

import tablib
from import_export import fields, resources

from core.spreadsheet import FORMATS, ExportFormat, dataset_escape_formulae
from pohon.models import Node, Pohon

COLUMNS: tuple[str, ...] = (
    "kode", "induk", "jenis", "uraian", "unit_kerja", "pagu", "target", "satuan", "arah", "kunci",
)  # fmt: skip


class NodeResource(resources.ModelResource):
    induk = fields.Field(column_name="induk")
    unit_kerja = fields.Field(column_name="unit_kerja")
    target = fields.Field(column_name="target")

    class Meta:
        model = Node
        fields = COLUMNS
        export_order = COLUMNS
        import_id_fields = ("kode",)
        clean_model_instances = True
        use_bulk = False  # bulk mode skips save() and would leave mptt's fields unset

    def dehydrate_induk(self, node: Node) -> str:
        parent = node.parent
        return "" if parent is None or parent.is_root else parent.kode

    def dehydrate_unit_kerja(self, node: Node) -> str:
        return node.unit.nama if node.unit_id else ""

    def dehydrate_pagu(self, node: Node) -> str:
        return "" if node.pagu is None else str(int(node.pagu))

    def dehydrate_target(self, node: Node) -> str:
        return node.target_display

    def dehydrate_kunci(self, node: Node) -> str:
        return str(node.kunci)


def pohon_export_queryset(pohon: Pohon):
    return Node.objects.filter(pohon=pohon).visible().select_related("parent", "unit").order_by("lft")


def target_column(tahun: int) -> str:
    """The column of a Pemda tree's yearly target: ``target_2014``."""
    return f"target_{tahun}"


def pohon_columns(pohon: Pohon) -> tuple[str, ...]:
    """The canonical columns of this tree: COLUMNS, plus a target column per year of a Pemda tree's period."""
    if pohon.tahun_akhir is None:
        return COLUMNS
    return (*COLUMNS, *(target_column(tahun) for tahun in pohon.periode))


def pohon_export_dataset(pohon: Pohon) -> tablib.Dataset:
    nodes = list(pohon_export_queryset(pohon))
    dataset = NodeResource().export(nodes)
    if pohon.tahun_akhir is not None:
        from pohon.pemda.selectors import target_tahunan_map

        targets = target_tahunan_map(pohon)
        for tahun in pohon.periode:
            values = [
                targets[node.kunci][tahun].display if tahun in targets.get(node.kunci, {}) else "" for node in nodes
            ]
            dataset.append_col(values, header=target_column(tahun))
    return dataset


def pohon_export(pohon: Pohon, export_format: ExportFormat) -> bytes:
    """The tree as a file in the given format (UTF-8 for the text formats). Cells that a
    spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` ...) get a leading apostrophe;
    the import takes it off again, so the round trip is exact."""
    file_format = FORMATS[export_format]()
    data = file_format.export_data(dataset_escape_formulae(pohon_export_dataset(pohon)))
    return data if isinstance(data, bytes) else data.encode("utf-8")
