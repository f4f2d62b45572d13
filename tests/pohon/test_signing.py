"""PAdES signing with the development certificate, the signature check, and the QR code."""

import datetime
import io
import stat
from io import StringIO

import pytest
import weasyprint
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from pohon.signing import SigningError, pdf_sign, pdf_signature_check, sha256_hex, signer_load
from pohon.signing.dev import DEV_COMMON_NAME, dev_certificate_ensure
from pohon.signing.qr import qr_svg


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    return weasyprint.HTML(string="<p>uji</p>").write_pdf()


@pytest.fixture
def fresh_certificate(settings, tmp_path):
    """A development certificate of this test's own, for tests that replace or damage it."""
    settings.POKIN_SIGNING_P12 = tmp_path / "signing" / "pokin-uji.p12"
    settings.POKIN_SIGNING_PASSPHRASE = None
    return dev_certificate_ensure()


def sign(pdf: bytes) -> bytes:
    return pdf_sign(pdf, reason="Persetujuan pohon kinerja", location="Lumajang", signer_name="Budi Santoso")


def certificate_of(p12_path) -> x509.Certificate:
    passphrase = p12_path.with_suffix(".pass").read_text().strip().encode()
    _key, certificate, _others = pkcs12.load_key_and_certificates(p12_path.read_bytes(), passphrase)
    return certificate


def flip_signed_byte(data: bytes) -> bytes:
    """Change one byte of the binary comment on the PDF's second line: inside the signed range,
    and harmless to the file's structure, so that only the signature can notice."""
    position = data.index(b"\n") + 2
    assert data[position] >= 0x80  # the binary marker bytes, not the structure
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


# -- the development certificate ------------------------------------------------------------


def test_dev_certificate_is_marked_for_development_and_private(fresh_certificate):
    certificate = certificate_of(fresh_certificate)
    subject = {attribute.oid._name: attribute.value for attribute in certificate.subject}
    assert subject == {"commonName": DEV_COMMON_NAME, "organizationName": "Pokin", "countryName": "ID"}
    assert "BUKAN UNTUK PRODUKSI" in DEV_COMMON_NAME
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert datetime.timedelta(days=3650) <= lifetime <= datetime.timedelta(days=3653)
    for path in (fresh_certificate, fresh_certificate.with_suffix(".pass")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_make_dev_certificate_is_idempotent_and_force_replaces(settings, tmp_path):
    settings.POKIN_SIGNING_P12 = tmp_path / "var" / "signing" / "pokin-dev.p12"
    settings.POKIN_SIGNING_PASSPHRASE = None
    out = StringIO()

    call_command("make_dev_certificate", stdout=out)
    assert "dibuat" in out.getvalue()
    first = settings.POKIN_SIGNING_P12.read_bytes()
    first_serial = certificate_of(settings.POKIN_SIGNING_P12).serial_number

    out = StringIO()
    call_command("make_dev_certificate", stdout=out)
    assert "sudah ada" in out.getvalue()
    assert settings.POKIN_SIGNING_P12.read_bytes() == first

    out = StringIO()
    call_command("make_dev_certificate", force=True, stdout=out)
    assert "diganti" in out.getvalue()
    assert certificate_of(settings.POKIN_SIGNING_P12).serial_number != first_serial


def test_dev_certificate_uses_the_passphrase_from_the_environment(settings, tmp_path, plain_pdf):
    settings.POKIN_SIGNING_P12 = tmp_path / "pokin.p12"
    settings.POKIN_SIGNING_PASSPHRASE = "rahasia-dari-lingkungan"
    dev_certificate_ensure()
    assert not (tmp_path / "pokin.pass").exists()
    pkcs12.load_key_and_certificates(settings.POKIN_SIGNING_P12.read_bytes(), b"rahasia-dari-lingkungan")
    assert pdf_signature_check(sign(plain_pdf)).ok


# -- signing --------------------------------------------------------------------------------


def test_signed_pdf_validates_with_pyhanko(signing_certificate, plain_pdf):
    signed = sign(plain_pdf)

    assert signed.startswith(plain_pdf)  # an incremental update: the rendered bytes stay as they are
    root = asn1_x509.Certificate.load(certificate_of(signing_certificate).public_bytes(Encoding.DER))
    embedded = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    assert len(embedded) == 1
    assert embedded[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded[0].sig_object["/Reason"] == "Persetujuan pohon kinerja"
    assert embedded[0].sig_object["/Location"] == "Lumajang"
    status = validate_pdf_signature(embedded[0], ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid and status.trusted and status.bottom_line


def test_a_loaded_signer_signs_many_pdfs_without_reading_its_key_again(signing_certificate, plain_pdf, monkeypatch):
    # pyHanko's SimpleSigner re-reads (and cryptography re-checks) the key for every signature,
    # ~0.1 s each, twice per PDF; the signer of one job keeps the key it read from the PKCS#12.
    from pyhanko.sign.signers import pdf_cms

    signer = signer_load()
    reads = []
    original = pdf_cms.serialization.load_der_private_key
    monkeypatch.setattr(
        pdf_cms.serialization, "load_der_private_key", lambda *a, **k: reads.append(1) or original(*a, **k)
    )
    signed = [
        pdf_sign(plain_pdf, reason=f"Dokumen {n}", location="Lumajang", signer_name="Budi", signer=signer)
        for n in range(3)
    ]

    assert reads == []
    assert len(set(signed)) == 3
    for data in signed:
        check = pdf_signature_check(data)
        assert check.ok and check.signer == DEV_COMMON_NAME


def test_signature_check_of_a_signed_pdf(signing_certificate, plain_pdf):
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)

    check = pdf_signature_check(sign(plain_pdf))

    assert (check.signed, check.intact, check.valid, check.trusted, check.ok) == (True, True, True, True, True)
    assert check.signer == DEV_COMMON_NAME
    assert check.signed_at is not None and check.signed_at >= before
    assert check.message.startswith("Tanda tangan elektronik sah")


def test_one_changed_byte_breaks_the_signature(signing_certificate, plain_pdf):
    signed = sign(plain_pdf)
    changed = flip_signed_byte(signed)
    assert sha256_hex(changed) != sha256_hex(signed)

    check = pdf_signature_check(changed)

    assert check.signed and not check.intact and not check.valid and not check.ok
    assert "telah berubah" in check.message


def test_an_update_appended_after_signing_is_not_valid(signing_certificate, plain_pdf):
    # An incremental update leaves the signed bytes intact, but the signature no longer covers
    # the whole file, which it must for an issued document.
    writer = IncrementalPdfFileWriter(io.BytesIO(sign(plain_pdf)))
    writer.root["/PageMode"] = generic.NameObject("/UseOutlines")
    writer.update_root()
    updated = io.BytesIO()
    writer.write(updated)

    check = pdf_signature_check(updated.getvalue())

    assert check.signed and check.intact and not check.valid and not check.ok
    assert "setelah dokumen ditandatangani" in check.message


def test_a_foreign_certificate_is_not_trusted(signing_certificate, settings, tmp_path, plain_pdf):
    signed = sign(plain_pdf)
    settings.POKIN_SIGNING_P12 = tmp_path / "lain.p12"
    dev_certificate_ensure()

    check = pdf_signature_check(signed)

    assert check.signed and check.intact and check.valid and not check.trusted and not check.ok
    assert "bukan sertifikat yang dipakai" in check.message


def test_signature_check_without_the_certificate_reports_integrity_but_no_trust(
    signing_certificate, settings, tmp_path, plain_pdf
):
    signed = sign(plain_pdf)
    settings.POKIN_SIGNING_P12 = tmp_path / "hilang.p12"

    check = pdf_signature_check(signed)

    assert check.signed and check.intact and check.valid and not check.trusted


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Berkas kosong."),
        (b"PK\x03\x04 ini berkas zip, bukan PDF", "Berkas ini bukan PDF."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nbukan apa-apa", "rusak atau terpotong"),
    ],
)
def test_signature_check_never_raises_on_garbage(signing_certificate, data, message):
    check = pdf_signature_check(data)
    assert not check.signed and not check.valid
    assert message in check.message


def test_signature_check_of_truncated_and_unsigned_pdfs(signing_certificate, plain_pdf):
    signed = sign(plain_pdf)

    truncated = pdf_signature_check(signed[: len(signed) // 2])
    assert not truncated.valid and "rusak atau terpotong" in truncated.message

    unsigned = pdf_signature_check(plain_pdf)
    assert not unsigned.signed and unsigned.message == "PDF ini tidak memiliki tanda tangan elektronik."


# -- refusals -------------------------------------------------------------------------------


UNAVAILABLE = "Sertifikat penandatangan tidak tersedia atau kata sandinya salah; hubungi admin."


def test_missing_certificate_raises_signing_error(settings, tmp_path, plain_pdf, caplog):
    settings.POKIN_SIGNING_P12 = tmp_path / "tidak-ada.p12"
    settings.POKIN_SIGNING_PASSPHRASE = "apa saja"
    with pytest.raises(SigningError) as caught:
        sign(plain_pdf)
    # the user is told whom to ask; the file and the fix are for the administrator, in the log
    assert caught.value.message == str(caught.value) == UNAVAILABLE
    assert str(tmp_path / "tidak-ada.p12") in caught.value.detail
    assert "make_dev_certificate" in caught.value.detail
    assert str(tmp_path / "tidak-ada.p12") in caplog.text and "make_dev_certificate" in caplog.text


def test_missing_passphrase_file_raises_signing_error(fresh_certificate, plain_pdf):
    fresh_certificate.with_suffix(".pass").unlink()
    with pytest.raises(SigningError) as caught:
        sign(plain_pdf)
    assert caught.value.message == UNAVAILABLE
    assert "passphrase file" in caught.value.detail and "not found" in caught.value.detail


def test_bad_passphrase_raises_signing_error(fresh_certificate, settings, plain_pdf):
    settings.POKIN_SIGNING_PASSPHRASE = "salah"
    with pytest.raises(SigningError) as caught:
        sign(plain_pdf)
    assert caught.value.message == UNAVAILABLE
    assert caught.value.detail == f"wrong passphrase for certificate {fresh_certificate}"


def test_unreadable_certificate_raises_signing_error(fresh_certificate, plain_pdf):
    fresh_certificate.write_bytes(b"bukan PKCS#12")
    with pytest.raises(SigningError) as caught:
        sign(plain_pdf)
    assert caught.value.message == UNAVAILABLE
    assert "damaged or not PKCS#12" in caught.value.detail


def test_expired_certificate_raises_signing_error(settings, tmp_path, plain_pdf):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sertifikat Lama")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=400))
        .not_valid_after(now - datetime.timedelta(days=35))
        .sign(key, hashes.SHA256())
    )
    settings.POKIN_SIGNING_P12 = tmp_path / "lama.p12"
    settings.POKIN_SIGNING_PASSPHRASE = "lama"
    settings.POKIN_SIGNING_P12.write_bytes(
        pkcs12.serialize_key_and_certificates(b"lama", key, certificate, None, BestAvailableEncryption(b"lama"))
    )
    with pytest.raises(SigningError, match="Sertifikat Lama.*sudah kedaluwarsa"):
        sign(plain_pdf)


# -- QR code and hash -----------------------------------------------------------------------


def test_qr_svg_is_inline_markup_of_the_printed_size():
    url = "https://pokin.example.go.id/verifikasi/abc123/"
    markup = qr_svg(url)

    assert markup.startswith("<svg") and markup.rstrip().endswith("</svg>")
    assert "<?xml" not in markup
    assert 'width="40mm"' in markup and 'height="40mm"' in markup  # 40 mm: the code itself ~31 mm
    assert 'viewBox="0 0 ' in markup
    assert "<path" in markup and ' d="M' in markup
    assert ' id="' not in markup
    assert 'xmlns="http://www.w3.org/2000/svg"' in markup
    assert 'width="20mm"' in qr_svg(url, size_mm=20)


def test_sha256_hex():
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
