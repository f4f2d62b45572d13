"""The public verification page the QR code leads to, through Django's test client."""

import datetime

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pohon.models import Dokumen, DokumenTerbit, Penandatangan, Pengesahan
from pohon.services import pohon_create
from pohon.signing import pdf_sign, sha256_hex
from pohon.verification import dokumen_verify

pytestmark = pytest.mark.django_db

TOKEN = "uji-token-verifikasi-0123456789"


@pytest.fixture
def signed_pdf(signing_certificate) -> bytes:
    pdf = weasyprint.HTML(string="<h1>Pohon kinerja Dinas Uji 2018</h1><p>uji</p>").write_pdf()
    return pdf_sign(pdf, reason="Persetujuan pohon kinerja", location="Contoh", signer_name="Dr. Siti Aminah, M.Si")


def issue(*, pohon, token, nama="Dr. Siti Aminah, M.Si", jabatan="Kepala Dinas Uji", at=None, tanggal=None):
    """An approved revision's document as the approval freezes it (the signing left out)."""
    at = at or datetime.datetime(2018, 1, 25, 3, 30, tzinfo=datetime.timezone.utc)
    dokumen = Dokumen.objects.create(
        jenis=Dokumen.Jenis.KASKADE,
        token=token,
        judul=f"Cascading / Pohon Kinerja {pohon.dinas.nama} Tahun {pohon.tahun}"
        + (f" Perubahan {pohon.revisi}" if pohon.revisi else ""),
        dinas=pohon.dinas,
        dinas_nama=pohon.dinas.nama,
        pemda_nama=pohon.dinas.pemda_nama,
        tempat="Contoh",
        tanggal=tanggal or datetime.date(2018, 1, 25),
        diterbitkan_pada=at,
    )
    Penandatangan.objects.create(
        dokumen=dokumen, nama=nama, nip="197409101994121001", jabatan=jabatan, pangkat="Pembina Utama Muda, IV/c"
    )
    return Pengesahan.objects.create(
        pohon=pohon, dokumen=dokumen, disetujui_pada=at, kepala_judul=f"KEPALA {pohon.dinas.nama}".upper()
    )


@pytest.fixture
def pengesahan(pohon, signed_pdf, staff_kadis) -> Pengesahan:
    pohon.status = pohon.Status.DISETUJUI
    pohon.save(update_fields=["status"])
    # 03:30 UTC is 10:30 in Jakarta: the page must show the local time.
    pengesahan = issue(pohon=pohon, token=TOKEN)
    pengesahan.disetujui_oleh = staff_kadis
    pengesahan.save()
    DokumenTerbit.objects.create(
        dokumen=pengesahan.dokumen,
        kertas=DokumenTerbit.Kertas.F4,
        pdf=signed_pdf,
        sha256=sha256_hex(signed_pdf),
        ukuran=len(signed_pdf),
        halaman=1,
    )
    return pengesahan


@pytest.fixture
def staff_kadis(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("kadis-login-uji", password="x")


def url(token: str = TOKEN) -> str:
    return reverse("verifikasi", args=[token])


def upload(client: Client, data: bytes, name: str = "pohon.pdf", token: str = TOKEN):
    return client.post(url(token), {"berkas": SimpleUploadedFile(name, data, content_type="application/pdf")})


def flip_signed_byte(data: bytes) -> bytes:
    """One byte of the binary comment on the second line: signed, but harmless to the structure."""
    position = data.index(b"\n") + 2
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def test_page_is_public_and_shows_the_approval(client, pengesahan, signed_pdf):
    response = client.get(url())

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Pohon kinerja (cascading)",
        "Cascading / Pohon Kinerja Dinas Uji Tahun 2018",
        "Kabupaten Contoh",
        "Dr. Siti Aminah, M.Si",
        "19740910 199412 1 001",
        "Kepala Dinas Uji",
        "Pembina Utama Muda, IV/c",
        "25 Januari 2018, 10:30 WIB",
        "Contoh, 25 Januari 2018",
        "F4 (215 x 330 mm)",
        sha256_hex(signed_pdf),
        'enctype="multipart/form-data"',
        "csrfmiddlewaretoken",
    ):
        assert text in html, text
    assert "kadis-login-uji" not in html  # the approver's login name is never shown


def test_page_names_a_revision_perubahan(client, dinas, signed_pdf, pengesahan):
    perubahan = pohon_create(dinas=dinas, tahun=2018, revisi=2)
    issue(
        pohon=perubahan, token="token-perubahan", at=datetime.datetime(2018, 6, 1, 2, 0, tzinfo=datetime.timezone.utc)
    )

    html = client.get(url("token-perubahan")).content.decode()

    assert "Perubahan 2" in html
    assert "Belum ada berkas yang diterbitkan" in html


def test_page_stays_public_under_login_required_middleware(client, settings, pengesahan):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "django.contrib.auth.middleware.LoginRequiredMiddleware"]
    assert client.get(reverse("home")).status_code == 302
    assert client.get(url()).status_code == 200


def test_only_get_and_post_are_answered(client, pengesahan):
    assert client.put(url(), b"%PDF-1.7").status_code == 405
    assert client.delete(url()).status_code == 405


def test_unknown_token_is_404(client, pengesahan):
    assert client.get(url("tidak-ada")).status_code == 404
    assert upload(client, b"%PDF-1.7", token="tidak-ada").status_code == 404


def test_identical_file_is_identical_and_validly_signed(client, pengesahan, signed_pdf):
    response = upload(client, signed_pdf)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dokumen ini identik dengan dokumen yang diterbitkan (F4)." in html
    assert "Tanda tangan elektronik sah" in html
    assert "Pokin Development Signing (BUKAN UNTUK PRODUKSI)" in html
    result = response.context["result"]
    assert result.identical and result.match.kertas == "F4"
    assert result.signature.ok


def test_one_changed_byte_is_not_identical_and_breaks_the_signature(client, pengesahan, signed_pdf):
    response = upload(client, flip_signed_byte(signed_pdf))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dokumen ini TIDAK sama dengan dokumen yang diterbitkan." in html
    assert "Tanda tangan elektronik TIDAK sah: isi dokumen telah berubah setelah ditandatangani." in html
    result = response.context["result"]
    assert not result.identical
    assert result.signature.signed and not result.signature.intact and not result.signature.valid


def test_non_pdf_gets_a_clear_message(client, pengesahan):
    response = upload(client, b"Ini hanya teks biasa.", name="catatan.txt")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dokumen ini TIDAK sama dengan dokumen yang diterbitkan." in html
    assert "Berkas ini bukan PDF." in html


def test_unsigned_pdf_gets_a_clear_message(client, pengesahan):
    response = upload(client, weasyprint.HTML(string="<p>tanpa tanda tangan</p>").write_pdf())

    assert "PDF ini tidak memiliki tanda tangan elektronik." in response.content.decode()


def test_empty_and_missing_uploads_are_form_errors(client, pengesahan):
    empty = upload(client, b"")
    assert empty.status_code == 200
    assert "Berkas yang dikirim kosong." in empty.content.decode()
    assert "result" not in empty.context

    missing = client.post(url(), {})
    assert missing.status_code == 200
    assert "Pilih berkas PDF yang akan diperiksa." in missing.content.decode()


def test_file_over_the_limit_is_refused(client, settings, pengesahan, signed_pdf):
    settings.POKIN_MAX_UPLOAD_BYTES = len(signed_pdf) - 1

    response = upload(client, signed_pdf)

    assert response.status_code == 200
    assert "Berkas terlalu besar" in response.content.decode()
    assert "result" not in response.context


def test_huge_request_is_refused_before_its_body_is_read(client, settings, pengesahan):
    settings.POKIN_MAX_UPLOAD_BYTES = 1024

    response = upload(client, b"%PDF-1.7\n" + b"0" * 200_000)

    assert response.status_code == 413
    html = response.content.decode()
    assert "Berkas terlalu besar. Ukuran maksimum 1,0\xa0KB." in html
    assert "result" not in response.context


def test_upload_requires_the_csrf_token(pengesahan, signed_pdf):
    client = Client(enforce_csrf_checks=True)
    assert upload(client, signed_pdf).status_code == 403

    client.get(url())
    token = client.cookies["csrftoken"].value
    response = client.post(url(), {"berkas": SimpleUploadedFile("pohon.pdf", signed_pdf), "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert response.context["result"].identical


def test_dokumen_verify_compares_only_this_approvals_documents(pengesahan, signed_pdf, other_dinas):
    result = dokumen_verify(pengesahan.dokumen, signed_pdf)
    assert result.identical and result.sha256 == sha256_hex(signed_pdf) and result.size == len(signed_pdf)

    other = issue(pohon=pohon_create(dinas=other_dinas, tahun=2018), token="token-lain", nama="Pejabat Lain")
    assert not dokumen_verify(other.dokumen, signed_pdf).identical
