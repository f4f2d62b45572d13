"""Dates and other values the way Indonesian official documents print them, and the class that
indents a node by its depth on the pages.

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


# The deepest step of static/pohon/depth.css. Pages indent a node by the class depth-N rather than
# by a style="..." attribute, which the Content Security Policy refuses; the rule table lets
# Sasaran and Bidang nest in each other, so depth has no bound of its own, and nodes deeper than
# the ladder share its last step.
DEPTH_MAX = 30


def depth_class(depth: int) -> str:
    """``depth_class(3)`` -> ``"depth-3"``: the class that indents a row or title by ``depth`` steps."""
    return f"depth-{max(0, min(depth, DEPTH_MAX))}"
