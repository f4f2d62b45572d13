"""Signing a PDF and checking an uploaded PDF's signature with pyHanko (see ``pohon.signing``,
whose functions call these). Imported on first use: pyHanko and its dependencies take ~0.2 s."""

import asyncio
import concurrent.futures
import datetime
import functools
import io
import logging
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from pohon.signing import SignatureCheck, SigningError, signing_p12_path, signing_passphrase_path

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "Pengesahan"
# A PDF's header may legally start anywhere in its first 1024 bytes.
_PDF_HEADER_WINDOW = 1024


def _certificate_unavailable(detail: str) -> SigningError:
    """The configured certificate cannot be used. Whether its file is missing, unreadable or
    damaged, or its passphrase missing or wrong, the user is told only that and whom to ask; the
    log gets which file and why."""
    logger.error("Signing certificate unavailable: %s", detail)
    return SigningError(
        _("Sertifikat penandatangan tidak tersedia atau kata sandinya salah; hubungi admin."), detail=detail
    )


def _passphrase() -> bytes:
    configured = settings.POKIN_SIGNING_PASSPHRASE
    if configured:
        return configured.encode()
    path = signing_passphrase_path()
    try:
        return path.read_text(encoding="utf-8").strip().encode()
    except FileNotFoundError:
        raise _certificate_unavailable(
            f"passphrase file {path} not found; set POKIN_SIGNING_PASSPHRASE "
            "or run python manage.py make_dev_certificate"
        ) from None
    except OSError as exc:
        raise _certificate_unavailable(f"passphrase file {path} cannot be read: {exc.strerror or exc}") from exc


def _p12_read() -> bytes:
    path = signing_p12_path()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _certificate_unavailable(
            f"certificate {path} (POKIN_SIGNING_P12) not found; run python manage.py make_dev_certificate"
        ) from None
    except OSError as exc:
        raise _certificate_unavailable(f"certificate {path} cannot be read: {exc.strerror or exc}") from exc


def _p12_is_well_formed(data: bytes) -> bool:
    # cryptography reports a wrong passphrase and a damaged file with the same ValueError; a
    # structural parse tells them apart so the user gets the message that helps.
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["auth_safe"]["content_type"].native in {"data", "signed_data"}
    except (ValueError, TypeError, KeyError):
        return False


class KeptKeySigner(signers.SimpleSigner):
    """pyHanko's ``SimpleSigner`` with its private key loaded once.

    ``SimpleSigner`` keeps the key as DER and loads it again with cryptography for every
    signature it makes, twice per PDF (a dry run first sizes the signature's space), and
    cryptography checks an RSA key's consistency on every load: ~95 ms for a 3072-bit key, so
    ~0.2 s of each PDF's signing went there while the signature itself takes ~1 ms. This signer
    keeps the key object that reading the PKCS#12 made (and checked) for as long as the caller
    keeps the signer (one job); nothing caches it beyond that. RSA (PKCS#1 v1.5) and ECDSA are
    signed with it; any other mechanism takes pyHanko's own way."""

    def __init__(self, *, private_key, certificate, other_certificates) -> None:
        registry = SimpleCertificateStore()
        registry.register_multiple(
            asn1_x509.Certificate.load(other.public_bytes(Encoding.DER)) for other in other_certificates
        )
        super().__init__(
            signing_cert=asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER)),
            signing_key=asn1_keys.PrivateKeyInfo.load(
                private_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
            ),
            cert_registry=registry,
        )
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        key = self._private_key
        if algorithm == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if algorithm == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
            return key.sign(data, ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        return super().sign_raw(data, digest_algorithm)


def _signer_from_p12(data: bytes, passphrase: bytes, path: Path) -> KeptKeySigner:
    try:
        # cryptography (as pyHanko's own ``load_pkcs12_data`` does), keeping the key object.
        key, certificate, others = pkcs12.load_key_and_certificates(data, passphrase)
    except Exception:  # as pyHanko's loader: any failure to read it is a wrong passphrase or a bad file
        if _p12_is_well_formed(data):
            raise _certificate_unavailable(f"wrong passphrase for certificate {path}") from None
        raise _certificate_unavailable(f"certificate {path} is damaged or not PKCS#12") from None
    if key is None or certificate is None:
        raise _certificate_unavailable(f"certificate {path} holds no private key or no certificate")
    return KeptKeySigner(private_key=key, certificate=certificate, other_certificates=others)


def _signer_load() -> KeptKeySigner:
    """The configured key and certificate as a pyHanko signer, or a SigningError saying why not."""
    return _signer_from_p12(_p12_read(), _passphrase(), signing_p12_path())


def _certificate_check_in_force(certificate: asn1_x509.Certificate) -> None:
    now = datetime.datetime.now(datetime.timezone.utc)
    subject = certificate.subject.human_friendly
    if certificate.not_valid_after < now:
        raise SigningError(
            _("Sertifikat tanda tangan elektronik (%(subject)s) sudah kedaluwarsa sejak %(date)s.")
            % {"subject": subject, "date": f"{certificate.not_valid_after:%d-%m-%Y}"}
        )
    if certificate.not_valid_before > now:
        raise SigningError(
            _("Sertifikat tanda tangan elektronik (%(subject)s) baru berlaku mulai %(date)s.")
            % {"subject": subject, "date": f"{certificate.not_valid_before:%d-%m-%Y}"}
        )


@functools.lru_cache(maxsize=4)
def _trust_roots_cached(path: Path, mtime_ns: int, size: int, passphrase: bytes) -> tuple[bytes, ...]:
    # Decrypting a PKCS#12 costs ~150 ms of key derivation; the public page checks uploads
    # often and the file rarely changes, so its certificates are kept per file version
    # (path, modification time, size). Only public certificates are kept, never the key.
    signer = _signer_from_p12(path.read_bytes(), passphrase, path)
    certificates = [signer.signing_cert, *signer.cert_registry]
    return tuple(dict.fromkeys(certificate.dump() for certificate in certificates))


def trust_roots_forget() -> None:
    """Forget the cached trust root, after the certificate file was replaced."""
    _trust_roots_cached.cache_clear()


def _trust_roots() -> list[asn1_x509.Certificate]:
    """The configured certificate (and any chain in its p12): what "trusted" is measured by."""
    path = signing_p12_path()
    try:
        stat = path.stat()
        ders = _trust_roots_cached(path, stat.st_mtime_ns, stat.st_size, _passphrase())
    except OSError as exc:
        # The public page still reports integrity; only "trusted" cannot be established.
        logger.error("Signing certificate unavailable for verification: %s", exc)
        return []
    except SigningError:
        return []  # logged with its detail where it was raised
    return [asn1_x509.Certificate.load(der) for der in ders]


# -- signing and checking -------------------------------------------------------------------


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous API calls asyncio.run(), which refuses to start inside a running
    event loop (an ASGI server, or Playwright's sync API in the browser tests): there, run the
    call in a short-lived worker thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(function, *args, **kwargs).result()


def signer_load() -> KeptKeySigner:
    """The configured key and certificate, checked to be in force, for signing several documents
    in one job (``pdf_sign(..., signer=...)``): reading the PKCS#12 costs ~0.1 s of key
    derivation and key checks (more under load), signing a PDF with the signer ~20 ms. The key
    lives only as long as the caller keeps the signer (one job); nothing caches it."""
    signer = _signer_load()
    _certificate_check_in_force(signer.signing_cert)
    return signer


def pdf_sign(pdf: bytes, *, reason: str, location: str, signer_name: str, signer: KeptKeySigner | None = None) -> bytes:
    """Return ``pdf`` with an invisible PAdES B-B signature appended as an incremental update.

    The original bytes are kept as they are (incremental update), so the signed file is the
    rendered file plus the signature. Raises SigningError when the certificate is missing,
    unreadable, locked with another passphrase or not in force. ``signer``: one loaded by
    ``signer_load`` for this job, else the certificate is read now.
    """
    signer = signer or signer_load()
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=signer_name,
        # B-B: no timestamp and no embedded revocation data, so signing never touches the network.
        embed_validation_info=False,
        use_pades_lta=False,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = _outside_event_loop(signers.sign_pdf, writer, metadata, signer=signer)
    return output.getvalue()


def _unsigned(message: str) -> SignatureCheck:
    return SignatureCheck(
        signed=False, intact=False, valid=False, trusted=False, signer="", signed_at=None, message=message
    )


def _signer_label(certificate: asn1_x509.Certificate) -> str:
    name = certificate.subject.native
    return name.get("common_name") or certificate.subject.human_friendly


def pdf_signature_check(data: bytes) -> SignatureCheck:
    """Check the last signature embedded in ``data`` against the configured certificate.

    Never raises: the data comes from anyone on the internet, so every failure to read it
    becomes a verdict with an Indonesian explanation instead of an error page.
    """
    if not data:
        return _unsigned(_("Berkas kosong."))
    if b"%PDF-" not in data[:_PDF_HEADER_WINDOW]:
        return _unsigned(_("Berkas ini bukan PDF."))
    try:
        embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures
    except Exception:  # malformed input can fail anywhere inside the PDF parser
        logger.info("Unreadable PDF uploaded for verification", exc_info=True)
        return _unsigned(_("PDF ini rusak atau terpotong sehingga tidak dapat dibaca."))
    if not embedded:
        return _unsigned(_("PDF ini tidak memiliki tanda tangan elektronik."))

    context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False)
    try:
        # skip_diff: an issued document is signed last, so its signature must cover the whole
        # file; anything appended afterwards already fails below, and skipping pyHanko's
        # revision-by-revision comparison keeps a crafted upload from costing much time.
        status = _outside_event_loop(validate_pdf_signature, embedded[-1], context, skip_diff=True)
    except Exception:  # a damaged signature object can fail in many ways
        logger.info("Unverifiable signature uploaded for verification", exc_info=True)
        return SignatureCheck(
            signed=True,
            intact=False,
            valid=False,
            trusted=False,
            signer="",
            signed_at=None,
            message=_("Tanda tangan elektronik pada PDF ini rusak dan tidak dapat diperiksa."),
        )

    signer = _signer_label(status.signing_cert)
    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    valid = status.intact and status.valid and whole_file
    # pyHanko's own ``trusted`` also requires intact; here trust is about the certificate alone,
    # so that a changed document is reported as "changed" and not as "unknown signer".
    trusted = status.valid and status.trust_problem_indic is None and status.validation_path is not None
    if not status.intact:
        message = _("Tanda tangan elektronik TIDAK sah: isi dokumen telah berubah setelah ditandatangani.")
    elif not status.valid:
        message = _("Tanda tangan elektronik TIDAK sah: tanda tangan tidak cocok dengan sertifikat penanda tangan.")
    elif not whole_file:
        message = _(
            "Tanda tangan elektronik TIDAK sah untuk berkas ini: ada perubahan yang ditambahkan "
            "setelah dokumen ditandatangani."
        )
    elif not trusted:
        message = _(
            "Dokumen tidak berubah sejak ditandatangani, tetapi sertifikat penanda tangan (%(signer)s) "
            "bukan sertifikat yang dipakai aplikasi ini."
        ) % {"signer": signer}
    else:
        message = _("Tanda tangan elektronik sah: dokumen tidak berubah sejak ditandatangani oleh %(signer)s.") % {
            "signer": signer
        }
    return SignatureCheck(
        signed=True,
        intact=status.intact,
        valid=valid,
        trusted=trusted,
        signer=signer,
        signed_at=status.signer_reported_dt,
        message=message,
    )


def signer_check() -> None:
    """Raise SigningError unless the configured certificate loads and is in force now: approval
    asks this before it commits, so that a missing certificate refuses the approval at once
    instead of failing later in the background."""
    _certificate_check_in_force(_signer_load().signing_cert)
