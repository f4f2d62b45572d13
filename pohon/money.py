"""Rupiah: read the forms people type and spreadsheets hold, show as ``Rp 2.078.747.000``.

Pagu is whole Rupiah, kept as ``Decimal`` with no fraction (never float).
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.spreadsheet import SheetNumber

PAGU_MAX_DIGITS = 18  # whole Rupiah: Node.pagu's max_digits

_CURRENCY_PREFIX = re.compile(r"^\s*(?:rp\.?|idr)\s*", re.IGNORECASE)
# 2.078.747.000 or 2.078.747.000,00 (Indonesian grouping)
_ID_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
# 2,078,747,000 or 2,078,747,000.00 (English grouping, as some spreadsheets export)
_EN_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN_COMMA = re.compile(r"^\d+(?:,\d+)?$")
_PLAIN_DOT = re.compile(r"^\d+(?:\.\d+)?$")


def pagu_parse(value: object) -> Decimal | None:
    """Return whole Rupiah as Decimal, None for an empty cell, or raise ValidationError.

    Accepts ``Rp. 2.078.747.000``, ``2078747000``, ``2.078.747.000,00``, and numbers as a
    spreadsheet gives them (int, float, Decimal). Refuses fractions of a Rupiah and negatives.
    """
    if value is None:
        return None
    if isinstance(value, SheetNumber):
        value = value.number  # a number cell: its value, not its text read the Indonesian way
    if isinstance(value, bool):
        raise ValidationError(_("Pagu harus berupa angka Rupiah, bukan %(value)s.") % {"value": value})
    if isinstance(value, (int, float, Decimal)):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError(_("Pagu %(value)s bukan angka.") % {"value": value}) from None
        if not amount.is_finite():
            raise ValidationError(_("Pagu %(value)s bukan angka.") % {"value": value})
        return _whole_rupiah(amount, str(value))

    text = str(value).strip()
    if not text:
        return None
    body = text.replace("\u00a0", " ")
    # Accounting notation "(1.000)" and a minus before or after "Rp" both mean negative.
    negative = body.startswith("(") and body.endswith(")")
    body = body.strip("()").strip()
    if body.startswith("-"):
        negative, body = True, body[1:].strip()
    body = _CURRENCY_PREFIX.sub("", body).replace(" ", "")
    if body.startswith("-"):
        negative, body = True, body[1:]
    if _ID_GROUPED.match(body):
        normalized = body.replace(".", "").replace(",", ".")
    elif _EN_GROUPED.match(body):
        normalized = body.replace(",", "")
    elif _PLAIN_COMMA.match(body):
        normalized = body.replace(",", ".")
    elif _PLAIN_DOT.match(body):
        normalized = body
    else:
        raise ValidationError(
            _("Pagu \u201c%(value)s\u201d bukan angka Rupiah (contoh: Rp. 2.078.747.000).") % {"value": text},
            code="pagu_invalid",
        )
    amount = Decimal(normalized)
    if negative and amount != 0:
        amount = -amount
    return _whole_rupiah(amount, text)


def _whole_rupiah(amount: Decimal, shown: str) -> Decimal:
    if amount.adjusted() >= PAGU_MAX_DIGITS:  # (also before quantize, which cannot hold 29 digits)
        raise ValidationError(
            _("Pagu %(value)s terlalu besar: paling banyak %(n)d angka.") % {"value": shown, "n": PAGU_MAX_DIGITS},
            code="pagu_digits",
        )
    if amount < 0:
        raise ValidationError(_("Pagu tidak boleh negatif (%(value)s).") % {"value": shown}, code="pagu_negative")
    if amount != amount.to_integral_value():
        raise ValidationError(
            _("Pagu harus dalam Rupiah utuh, tanpa sen (%(value)s).") % {"value": shown},
            code="pagu_fraction",
        )
    return amount.quantize(Decimal(1))


def rupiah(amount: Decimal | int | None) -> str:
    """``Decimal(2078747000)`` -> ``Rp 2.078.747.000``; None -> empty text."""
    if amount is None:
        return ""
    whole = int(amount)
    sign = "-" if whole < 0 else ""
    return f"{sign}Rp {abs(whole):,}".replace(",", ".")
