"""The printed Pemda cascade (issue 13 item 7): the Pemda tree's boxes as the Pemda chart draws them
(``pemda_boxes``: the head with Visi, Misi, Tujuan Pemda; a box per Sasaran Pemda, Tematik and Sub
Tematik) and, under each, one box per supporting agency with its linked Tujuan/Sasaran and the
Tujuan, Sasaran and Indikator within them. The cascade's own layout (``pohon.pdf.CascadeLayout``)
draws them all: these are only its boxes.

The agencies' boxes are built from rows (``pohon.pemda.dukungan.DukunganBaris`` as dicts): read
live for a draft, frozen at approval (``PemdaDukunganLampiran``) for the signed document, so that
nothing an agency changes later reaches a signed Pemda cascade. This module reads no agency tree.
"""

from pohon.chart import Box
from pohon.models import Node
from pohon.pdf.layout import DINAS_BOX, AgencyBox
from pohon.pemda.chart import PEMDA_BOXES, pemda_boxes
from pohon.selectors import PohonTree


def _in_order(box: Box) -> list[Box]:
    """The Pemda boxes below ``box``, in tree order (the order of the rows' headings)."""
    found: list[Box] = []
    for child in box.children:
        found.append(child)
        found.extend(_in_order(child))
    return found


def pemda_print_boxes(tree: PohonTree, rows: list[dict] | tuple[dict, ...]) -> Box:
    """The Pemda cascade's boxes with the supporting agencies' boxes from ``rows``: each heading
    row (no ``dinas``) names its Pemda node by lasting key (``pemda_kunci``; rows frozen before
    it was kept: by their order, the tree's order), the rows after it, per agency, make one
    agency box hung under that node's box after its own Tematik. One query (the keys)."""
    head = pemda_boxes(tree)
    boxes = _in_order(head)
    by_kunci: dict[str, Box] = {}
    if any(row.get("pemda_kunci") for row in rows):
        kunci_of = dict(Node.objects.filter(pohon=tree.pohon, jenis__in=PEMDA_BOXES).values_list("pk", "kunci"))
        by_kunci = {str(kunci_of[box.node.pk]): box for box in boxes if box.node.pk in kunci_of}
    current: Box | None = None
    agency: AgencyBox | None = None
    headings = 0
    for row in rows:
        if not row.get("dinas"):
            kunci = row.get("pemda_kunci")
            current = by_kunci.get(kunci) if kunci else (boxes[headings] if headings < len(boxes) else None)
            headings += 1
            agency = None
            continue
        if current is None:
            continue  # a heading no longer in the tree: its rows have nowhere to hang
        if agency is None or agency.dinas != row["dinas"]:
            agency = AgencyBox(DINAS_BOX, None, dinas=row["dinas"])
            current.children.append(agency)
        agency.rows.append(row)
    return head
