"""Links from agencies to the Pemda (issue 13, item 3): an agency's Tujuan or Sasaran supports a
Sasaran Pemda (or a Tematik / Sub Tematik) of the Pemda tree whose RPJMD period covers its year.

Either side starts it: the agency proposes (``usulan``: Bappeda approves or refuses), or Bappeda
sends a Pemda node to an agency (``kiriman``: the agency accepts, linking an existing node or
creating a new Tujuan/Sasaran under a parent it picks, or refuses). States as crosscutting's
(``pohon.silang``): menunggu / disetujui / ditolak / ditarik. Both ends are named by lasting keys:
(agency, tahun, ``Node.kunci``) and (Pemda owner record, period start, ``Node.kunci``), so a link
outlives every revision and approval of either tree.

- ``models``: ``TautanPemda``;
- ``permissions``: who may propose, send, answer, withdraw (the one place);
- ``selectors``: reads (links per Pemda node for the chart, the inboxes, the alignment checks);
- ``services``: writes (``tautan_propose``, ``tautan_send``, ``tautan_accept``, ``tautan_refuse``,
  ``tautan_withdraw``).
"""
