"""Electronic signatures on issued documents, and the QR code that leads to their verification.

An issued PDF carries a PAdES signature (baseline B-B) made with pyHanko from one PKCS#12 file
named by the settings, and a QR code pointing at the public verification page. That page asks
two separate questions of an uploaded file: is it byte for byte an issued document (its SHA-256,
see ``pohon.verification``), and does its embedded signature still hold (``pdf_signature_check``
here). Both answers are needed: a re-saved copy is no longer identical yet may still carry a
valid signature, and a forged copy may match nothing yet claim a signature.

Everything works offline on purpose: no timestamp authority, no OCSP or CRL fetching. The one
trust root is the configured certificate itself, so "trusted" means "signed with the key this
installation signs with", which is exactly what the verification page can vouch for.

Users see every ``SigningError`` message as is, so they are Indonesian and say what to do. They
never name a file or an operating-system error: those tell a visitor about the server and help
only its administrator, so they go to the server log (and ``SigningError.detail``) instead.

The QR code is made in ``pohon.signing.qr``, the development certificate in ``pohon.signing.dev``.
The signing and checking themselves are in ``pohon.signing.pades``, which imports pyHanko; the
functions below that reach it import it on their first call, so a process that never signs or
checks a signature (a command, a page, a job's child) does not pay its ~0.2 s of imports.
"""

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from pohon.signing.pades import KeptKeySigner


class SigningError(Exception):
    """Signing cannot proceed; ``message`` is Indonesian and meant for the user as is, ``detail``
    (English, paths included) for the server log and the administrator only."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail or message


@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on the (last) signature embedded in a PDF.

    ``intact``: the signed bytes are unchanged (their digest matches the signed digest).
    ``valid``: intact, the cryptographic signature verifies with the embedded certificate, and
    the signature covers the whole file (nothing was appended after signing).
    ``trusted``: that certificate is the one this installation signs with (it chains to the
    configured certificate, has the required key usage and was in force when checked).
    """

    signed: bool
    intact: bool
    valid: bool
    trusted: bool
    signer: str
    signed_at: datetime.datetime | None
    message: str

    @property
    def ok(self) -> bool:
        return self.signed and self.valid and self.trusted


def sha256_hex(data: bytes) -> str:
    """The hex SHA-256 that issued documents are stored and compared by."""
    return hashlib.sha256(data).hexdigest()


# -- the configured certificate -------------------------------------------------------------


def signing_p12_path() -> Path:
    return Path(settings.POKIN_SIGNING_P12)


def signing_passphrase_path() -> Path:
    """The passphrase file beside the p12, used when POKIN_SIGNING_PASSPHRASE is not set."""
    return signing_p12_path().with_suffix(".pass")


# -- signing and checking (pohon.signing.pades, imported on the first call) -------------------


def signer_load() -> "KeptKeySigner":
    """The configured key and certificate, checked to be in force, for the signatures of one job
    (``pohon.signing.pades.signer_load``)."""
    from pohon.signing import pades

    return pades.signer_load()


def pdf_sign(
    pdf: bytes, *, reason: str, location: str, signer_name: str, signer: "KeptKeySigner | None" = None
) -> bytes:
    """``pdf`` with an invisible PAdES B-B signature appended (``pohon.signing.pades.pdf_sign``)."""
    from pohon.signing import pades

    return pades.pdf_sign(pdf, reason=reason, location=location, signer_name=signer_name, signer=signer)


def pdf_signature_check(data: bytes) -> SignatureCheck:
    """The verdict on the last signature in ``data``; never raises (``pohon.signing.pades``)."""
    from pohon.signing import pades

    return pades.pdf_signature_check(data)


def signer_check() -> None:
    """Raise SigningError unless the configured certificate loads and is in force now."""
    from pohon.signing import pades

    pades.signer_check()


def trust_roots_forget() -> None:
    """Forget the cached trust root, after the certificate file was replaced."""
    from pohon.signing import pades

    pades.trust_roots_forget()
