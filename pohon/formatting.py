"""Dates and other values the way Indonesian official documents print them.

The month names are written out here rather than taken from the active locale: a signed document
reads "25 Januari 2018" whatever language the person printing it has chosen, and Django's
``date`` filter would follow the request's language.
"""

import datetime

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def tanggal_indonesia(value: datetime.date) -> str:
    """``date(2018, 1, 25)`` -> ``"25 Januari 2018"`` (no leading zero, as the seed prints it)."""
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"
