"""Dashboards and reports of realisation and achievement (issue 15, items 5-7): the server-drawn
charts (``svg``), the agency's and the Pemda's dashboards (``selectors``), the quarterly report
and the Laporan Kinerja (``documents``, ``xlsx``)."""
