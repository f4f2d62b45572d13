"""Admin screens for trees (Pohon) and their nodes.

Every write goes through ``pohon.services``: creating a tree (``pohon_create`` makes its hidden
root), and adding, changing, moving (form or drag and drop) and deleting nodes. The node form
validates by a dry run of those same services (``pohon.forms.NodeForm``), so the rule table is
asked in exactly one place and its Indonesian refusals appear next to the fields.
"""

from pohon.admin.nodes import NodeAdmin
from pohon.admin.trees import PohonAdmin

__all__ = ["NodeAdmin", "PohonAdmin"]
