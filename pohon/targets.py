"""An Indikator's target: read what people type, show it the Indonesian way.

A target is either a number with its satuan (``85,5`` ``%``, ``45`` ``OPD``) or a qualitative
text (``WTP``, ``Baik``). ``target_parse`` is the one reader: the import, the editor's and the
admin's forms, the restore of a deleted node and (a frozen copy of it) migration 0010 all use it.
``target_format`` is the one writer of a number: chart, table, PDF, editor, history and export.

How a number is read (Indonesian writes ``1.250`` for one thousand two hundred fifty and
``85,5`` for a decimal; spreadsheets made with an English locale write ``85.5``):

- a comma is a decimal comma: ``85,5`` and ``4,1`` and ``1,250`` (one point two five);
- dots that group digits in threes after a first group of 1-3 digits not starting with 0 are
  thousands separators: ``1.250`` is 1250, ``1.250.000`` one million and a quarter,
  ``1.250,5`` 1250.5;
- any other single dot is a decimal point: ``85.5``, ``4.10``, ``0.125``, ``1234.5``;
- both, the English way round, when unambiguous: ``1,250.5`` is 1250.5;
- anything else made of digits, dots and commas is refused (``85,5,5``, ``1.2.3``, ``1.25,5``).
So ``1.250`` is one thousand two hundred fifty; write one point two five as ``1,25`` or ``1.25``.

A text that starts with a number (optionally signed: ``-2``, ``−2``, ``+2``) is that number
followed by its satuan (``50%``, ``45 OPD``, ``4,1 poin``); a text that does not is a
qualitative target and is kept as written. ``target_format`` writes the number back in the form
the first rule reads (``1.250``, ``85,5``, no trailing zeros), so display -> parse is exact.

Numbers keep at most 4 decimal places and 15 significant digits: SQLite stores a decimal as a
floating-point number, which holds 15 significant digits exactly (Django reads them back through
a 15-digit context), so every accepted target reads back identical on SQLite and PostgreSQL.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheet import SheetNumber
from pohon import rules

TARGET_MAX_DIGITS = 20
TARGET_DECIMAL_PLACES = 4
TARGET_SIGNIFICANT_DIGITS = 15
TARGET_TEKS_MAX_LENGTH = 100
SATUAN_MAX_LENGTH = 60


class Arah(models.TextChoices):
    """Which way an Indikator's realisation should go (capaian is computed accordingly)."""

    NAIK = "naik", gettext_lazy("Naik (makin tinggi makin baik)")
    TURUN = "turun", gettext_lazy("Turun (makin rendah makin baik)")
    TETAP = "tetap", gettext_lazy("Tetap (tepat sama dengan target)")


@dataclass(frozen=True, slots=True)
class ParsedTarget:
    """A target read from text: ``angka`` (a number) or ``teks`` (qualitative), never both, and
    the satuan (from the satuan column, or split off the typed target)."""

    angka: Decimal | None = None
    teks: str = ""
    satuan: str = ""

    @property
    def display(self) -> str:
        return target_display(self.angka, self.teks)


_SIGN = "-\u2212+"  # hyphen-minus, the minus sign (U+2212), plus
_NUMBERED = re.compile(rf"^(?P<sign>[{_SIGN}]?)\s*(?P<number>\d(?:[\d.,]*\d)?)(?P<rest>.*)$", re.DOTALL)
_PLAIN = re.compile(r"^\d+$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")
_ID_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?$")
_DECIMAL_POINT = re.compile(r"^\d+\.\d+$")
_EN_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:,\d{3})+\.\d+$")


def _number(token: str) -> Decimal | None:
    """The digits-dots-commas token as a Decimal by the rules of the module's docstring; None
    when they do not read as one number."""
    if _PLAIN.match(token):
        normalized = token
    elif _DECIMAL_COMMA.match(token):
        normalized = token.replace(",", ".")
    elif _ID_GROUPED.match(token):
        normalized = token.replace(".", "").replace(",", ".")
    elif _DECIMAL_POINT.match(token):
        normalized = token
    elif _EN_GROUPED.match(token):
        normalized = token.replace(",", "")
    else:
        return None
    return Decimal(normalized)


def _spaces(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def satuan_key(satuan: str) -> str:
    """Two satuan are the same when they differ only in case and spaces."""
    return _spaces(satuan).casefold()


def target_number_check(angka: Decimal, *, shown: str = "") -> None:
    """Refuse a number the database cannot keep exactly (see the module's docstring)."""
    shown = shown or target_format(angka)
    if not angka.is_finite():
        raise ValidationError(_("Target %(value)s bukan angka.") % {"value": shown}, code="target_invalid")
    _sign, digits, exponent = angka.normalize().as_tuple()
    assert isinstance(exponent, int)  # finite, checked above
    if -exponent > TARGET_DECIMAL_PLACES:
        raise ValidationError(
            _("Target %(value)s: paling banyak %(n)d angka di belakang koma.")
            % {"value": shown, "n": TARGET_DECIMAL_PLACES},
            code="target_decimals",
        )
    whole_digits = len(digits) + exponent
    if len(digits) > TARGET_SIGNIFICANT_DIGITS or whole_digits > TARGET_MAX_DIGITS - TARGET_DECIMAL_PLACES:
        raise ValidationError(
            _("Target %(value)s terlalu panjang: paling banyak %(n)d angka.")
            % {"value": shown, "n": TARGET_SIGNIFICANT_DIGITS},
            code="target_digits",
        )


def target_parse(value: object, satuan: str = "") -> ParsedTarget:
    """Read a target as typed (``85,5``, ``85.5``, ``50%``, ``45 OPD``, ``4,1 poin``, ``WTP``,
    ``1.250``) with the satuan given beside it; a spreadsheet's number cell (int, float,
    Decimal) is taken as that number.

    Raises ValidationError as a dict keyed ``target`` (a number that does not read, too many
    digits, a text too long) or ``satuan`` (a satuan typed in the target that differs from the
    one given), with Indonesian messages.
    """
    satuan = satuan.strip()
    if value is None:
        return ParsedTarget(satuan=satuan)
    if isinstance(value, SheetNumber):
        value = value.number  # a number cell: its value, not its text read the Indonesian way
    if isinstance(value, bool):
        raise ValidationError({"target": _("Target %(value)s bukan angka atau teks.") % {"value": value}})
    if isinstance(value, (int, float, Decimal)):
        try:
            angka = Decimal(str(value))
        except InvalidOperation:  # pragma: no cover - str() of a number always reads
            raise ValidationError({"target": _("Target %(value)s bukan angka.") % {"value": value}}) from None
        _check(angka, str(value))
        return ParsedTarget(angka=_zero(angka), satuan=satuan)

    text = str(value).strip()
    if not text:
        return ParsedTarget(satuan=satuan)
    match = _NUMBERED.match(text)
    if match is None:
        if len(text) > TARGET_TEKS_MAX_LENGTH:
            raise ValidationError(
                {
                    "target": _("Target terlalu panjang: %(n)d karakter, paling banyak %(max)d.")
                    % {"n": len(text), "max": TARGET_TEKS_MAX_LENGTH}
                }
            )
        return ParsedTarget(teks=text, satuan=satuan)

    rest = match["rest"]
    angka = _number(match["number"])
    if angka is None or rest[:1] in (".", ","):
        raise ValidationError(
            {
                "target": _(
                    "Target “%(value)s” bukan angka yang dikenali. Tulis misalnya 85,5 atau 1.250 "
                    "(titik pemisah ribuan, koma desimal), atau teks seperti WTP."
                )
                % {"value": text}
            },
            code="target_invalid",
        )
    if match["sign"] in ("-", "\u2212"):
        angka = -angka
    _check(angka, text)
    typed = rest.strip()
    if typed and satuan and satuan_key(typed) != satuan_key(satuan):
        raise ValidationError(
            {
                "satuan": _(
                    "Satuan “%(typed)s” yang ditulis pada target berbeda dengan satuan “%(satuan)s”; "
                    "tulis satuan di satu tempat saja, atau samakan."
                )
                % {"typed": typed, "satuan": satuan}
            },
            code="satuan_conflict",
        )
    if len(typed) > SATUAN_MAX_LENGTH:
        raise ValidationError(
            {
                "target": _("Satuan pada target terlalu panjang: %(n)d karakter, paling banyak %(max)d.")
                % {"n": len(typed), "max": SATUAN_MAX_LENGTH}
            },
            code="satuan_length",
        )
    return ParsedTarget(angka=_zero(angka), satuan=satuan or typed)


def _check(angka: Decimal, shown: str) -> None:
    try:
        target_number_check(angka, shown=shown)
    except ValidationError as error:
        raise ValidationError({"target": error.messages}) from None


def _zero(angka: Decimal) -> Decimal:
    return Decimal(0) if angka == 0 else angka  # no "-0"


def target_stored(text: str, satuan: str = "") -> ParsedTarget:
    """A target kept as text before (the history of a node deleted before migration 0010, or a
    snapshot): read as ``target_parse`` reads it, and where it does not read, kept whole as
    qualitative text beside its satuan, so that nothing is lost."""
    try:
        return target_parse(text, satuan)
    except ValidationError:
        return ParsedTarget(teks=text.strip()[:TARGET_TEKS_MAX_LENGTH], satuan=satuan.strip()[:SATUAN_MAX_LENGTH])


def target_format(angka: Decimal | None) -> str:
    """``Decimal("1250.0000")`` -> ``1.250``; ``85.5`` -> ``85,5``; ``-2`` -> ``-2``; None -> ""."""
    if angka is None:
        return ""
    text = format(angka.normalize(), "f")
    sign = "-" if text.startswith("-") else ""
    whole, _dot, fraction = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def target_display(angka: Decimal | None, teks: str) -> str:
    """The target as a person reads it: the number in Indonesian form, or the text."""
    return target_format(angka) if angka is not None else teks


def target_with_satuan(angka: Decimal | None, teks: str, satuan: str) -> str:
    """``85,5 %``, ``45 OPD``, ``WTP``: the target and its satuan, as chart, table and PDF print it."""
    return " ".join(part for part in (target_display(angka, teks), satuan) if part)


_ARAH_LOOKUP = {value: value for value in Arah.values}


def arah_parse(value: str) -> str:
    """``naik``, ``Naik``, `` TURUN `` -> the stored value; "" stays ""; anything else is refused."""
    text = value.strip().casefold()
    if not text:
        return ""
    if text in _ARAH_LOOKUP:
        return _ARAH_LOOKUP[text]
    raise ValidationError(
        {"arah": _("Arah “%(value)s” tidak dikenal; gunakan naik, turun atau tetap.") % {"value": value}},
        code="arah_invalid",
    )


def arah_default(jenis: str, arah: str) -> str:
    """An Indikator without a stated direction is "naik" (higher is better); other kinds keep
    what they are given (Node.clean refuses a direction on them)."""
    if jenis in rules.MEASURED and not arah:
        return Arah.NAIK
    return arah


def arah_label(arah: str) -> str:
    """Short label of a direction for pages: ``Naik``; "" for none."""
    return arah.capitalize() if arah else ""
