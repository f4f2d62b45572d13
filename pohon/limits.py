"""Text limits shared by the tree's models and the models that copy its texts (the Perjanjian
Kinerja's frozen lines and notes), kept here so that those need not import ``pohon.models``
(which imports them back at its end: an import cycle)."""

# The longest uraian of the demo cascade is 128 characters, a whole box of the seed document
# about 1,900; 2,000 leaves room for any statement while keeping every box printable (a
# 200,000-character uraian once kept the PDF renderer busy for good).
URAIAN_MAX_LENGTH = 2000
# A note on a workflow step: what to fix, why it was approved.
CATATAN_MAX_LENGTH = 2000
