"""A self-signed development signing certificate, so that a fresh checkout signs at once
(``manage.py make_dev_certificate``, ``load_demo``). Never for production: its name says so."""

import datetime
import os
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from pohon.signing import signing_p12_path, signing_passphrase_path, trust_roots_forget

DEV_COMMON_NAME = "Pokin Development Signing (BUKAN UNTUK PRODUKSI)"
DEV_ORGANIZATION = "Pokin"
DEV_COUNTRY = "ID"
# Ten years, so that documents signed in development stay checkable for as long as anyone
# keeps a development database around.
DEV_VALIDITY = datetime.timedelta(days=3652)
# 3072 bits: NIST's size for RSA keys used beyond 2030, which a ten-year certificate is.
DEV_KEY_SIZE = 3072


def _dev_certificate_build(passphrase: bytes) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=DEV_KEY_SIZE)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, DEV_COMMON_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEV_ORGANIZATION),
            x509.NameAttribute(NameOID.COUNTRY_NAME, DEV_COUNTRY),
        ]
    )
    # Backdated a little so that a document signed right away validates on a clock that is
    # a few seconds behind.
    now = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + DEV_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation, which pyHanko requires of signers
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name=b"pokin-dev",
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase),
    )


def _private_write(path: Path, data: bytes) -> None:
    # Written beside the target with mode 0600 from the start, then renamed over it, so the
    # key is never readable by others and a crash never leaves half a file.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def dev_certificate_ensure(*, force: bool = False) -> Path:
    """Make the self-signed development certificate at POKIN_SIGNING_P12 unless one is there.

    Idempotent so that load_demo and test fixtures can call it freely; ``force`` replaces an
    existing one (documents signed with the old one then show as "not trusted"). The passphrase
    is POKIN_SIGNING_PASSPHRASE when set, otherwise a random one written to the ``.pass`` file
    beside the p12. Returns the p12's path.
    """
    p12_path = signing_p12_path()
    if p12_path.exists() and not force:
        return p12_path
    passphrase = settings.POKIN_SIGNING_PASSPHRASE or secrets.token_urlsafe(32)
    p12_data = _dev_certificate_build(passphrase.encode())
    p12_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not settings.POKIN_SIGNING_PASSPHRASE:
        # The passphrase first: a crash between the two writes leaves no p12, so the next
        # call starts over instead of keeping a p12 whose passphrase is lost.
        _private_write(signing_passphrase_path(), f"{passphrase}\n".encode())
    _private_write(p12_path, p12_data)
    trust_roots_forget()
    return p12_path
