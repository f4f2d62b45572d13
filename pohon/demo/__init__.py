"""The demo data: the 2018 cascade of the DPMD Kabupaten Lumajang, read from its printed table.

The seed (``fixtures/seed/dpmd-lumajang-2018.txt``) is the text of a printed, signed cascade. The
parser turns it into plain frozen dataclasses, so the reading can be tested without a database and
every wording, typo and budget stays exactly the document's. The loader writes the tree only through
``pohon.services``, so the rule table checks each demo node exactly as it checks a user's edit.

How the text is laid out: the printed table is a grid of eleven columns, one line per row, cells
separated by single tabs (an empty cell is an empty string between two tabs). A box that spans
several columns sits in its first column; that is how a division's sections are found (every
section column from the division's own column up to the next division's column) without the
groups 3, 3, 3, 2 being written anywhere in the code.
"""

from pohon.demo.load import KEPALA_UNIT, DemoResult, demo_load, demo_nodes, demo_units, pohon_as_plan, unit_of
from pohon.demo.seed import SEED_PATH, CascadeDocument, SeedFormatError, demo_document, parse_cascade, split_numbered

__all__ = [
    "KEPALA_UNIT",
    "SEED_PATH",
    "CascadeDocument",
    "DemoResult",
    "SeedFormatError",
    "demo_document",
    "demo_load",
    "demo_nodes",
    "demo_units",
    "parse_cascade",
    "pohon_as_plan",
    "split_numbered",
    "unit_of",
]
