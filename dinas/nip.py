"""NIP (Nomor Induk Pegawai): the 18-digit civil servant number.

Structure 8-6-1-3: birth date (YYYYMMDD), appointment year and month (YYYYMM), sex (1 or 2),
sequence number. Stored as 18 digits, shown as ``19740910 199412 1 001``.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIP_LENGTH = 18
_SEPARATORS = re.compile(r"[\s.\-]+")


def nip_normalize(value: str) -> str:
    """Drop the spaces, dots and dashes people type between the groups."""
    return _SEPARATORS.sub("", value or "")


def nip_validate(value: str) -> None:
    """Raise ValidationError with an Indonesian message when ``value`` is no valid NIP."""
    digits = nip_normalize(value)
    if not digits.isdigit():
        raise ValidationError(_("NIP hanya boleh berisi angka (contoh: 19740910 199412 1 001)."), code="nip_digits")
    if len(digits) != NIP_LENGTH:
        raise ValidationError(
            _("NIP harus terdiri dari 18 angka, bukan %(count)d.") % {"count": len(digits)},
            code="nip_length",
        )
    try:
        birth = datetime.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(
            _("Tanggal lahir pada NIP (%(part)s) bukan tanggal yang benar.") % {"part": digits[0:8]},
            code="nip_birth_date",
        ) from None
    if birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(
            _("Tanggal lahir pada NIP (%(part)s) tidak masuk akal.") % {"part": digits[0:8]},
            code="nip_birth_date",
        )
    appointed_year, appointed_month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= appointed_month <= 12 or appointed_year < birth.year:
        raise ValidationError(
            _("TMT pengangkatan pada NIP (%(part)s) bukan tahun dan bulan yang benar.") % {"part": digits[8:14]},
            code="nip_appointment",
        )
    if digits[14] not in "12":
        raise ValidationError(
            _("Angka jenis kelamin pada NIP (angka ke-15) harus 1 atau 2, bukan %(digit)s.") % {"digit": digits[14]},
            code="nip_sex",
        )
    if digits[15:] == "000":
        raise ValidationError(_("Nomor urut pada NIP tidak boleh 000."), code="nip_sequence")


def nip_format(value: str) -> str:
    """``197409101994121001`` -> ``19740910 199412 1 001``; anything else is returned as is."""
    digits = nip_normalize(value)
    if len(digits) != NIP_LENGTH or not digits.isdigit():
        return value
    return f"{digits[0:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
