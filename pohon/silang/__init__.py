"""Crosscutting (issue 13, item 4): a Sasaran, Program or Kegiatan of one unit supported by another
unit of the same agency or by another agency of the same year. The sender asks with a note; the
receiver accepts (linking a node of its tree, or creating one under a parent it picks) or refuses
with a reason; either side withdraws. Both ends are named by (agency, tahun, ``Node.kunci``), never
by row id, so a link outlives every revision (Perubahan) and approval of either tree.

- ``models``: the link (``Silang``) and the annex frozen at an approval (``SilangLampiran``);
- ``permissions``: who may ask, answer, withdraw (the one place);
- ``selectors``: the reads (the chart's marks in one query, the inbox, the findings, the guard
  that node deletion consults);
- ``services``: the writes (``silang_request``, ``silang_accept``, ``silang_refuse``,
  ``silang_withdraw``, ``silang_freeze``).
"""
