"""Issued documents of many kinds: a document with several signers in their roles, rendered
through the kind's registered renderer and template, verified by its token."""

import datetime

import pytest
from django.urls import reverse

from dinas.models import Pejabat, UnitKerja
from pohon.dokumen import render
from pohon.dokumen.models import Dokumen, DokumenTerbit, Penandatangan
from pohon.dokumen.services import Signer, dokumen_berkas_issue, dokumen_create
from pohon.pdf import PdfInput, PdfResult, pdf_from_template, pdf_render
from pohon.selectors import pohon_tree
from pohon.signing import pdf_signature_check, sha256_hex
from tests.pohon.test_freeze import pdf_text

pytestmark = pytest.mark.django_db

TINY = """<html><head><style>@page { size: A5 }</style></head><body>
<h1>LAMPIRAN {{ title }}</h1>
{% for s in signers %}<p>{{ s.get_peran_display }}: {{ s.nama }}, {{ s.jabatan }}</p>{% endfor %}
</body></html>"""


@pytest.fixture
def tiny_template(settings, tmp_path):
    (tmp_path / "uji").mkdir()
    (tmp_path / "uji" / "tiny.html").write_text(TINY)
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]
    return "uji/tiny.html"


def tiny_pdf(dokumen: Dokumen, kertas: str) -> PdfResult:
    """A second kind's renderer: its own template, through the same function as the cascade."""
    return pdf_from_template("uji/tiny.html", {"title": dokumen.judul, "signers": dokumen.penandatangan.all()})


def test_a_second_template_renders_through_the_same_function(chain_tree, tiny_template):
    tree = pohon_tree(chain_tree)
    cascade = pdf_text(pdf_render(PdfInput(tree=tree, kertas="A4")).pdf)
    tiny = pdf_text(pdf_render(PdfInput(tree=tree, kertas="A4", template=tiny_template)).pdf)
    assert "CASCADING / POHON KINERJA DINAS UJI KABUPATEN CONTOH TAHUN" in cascade
    assert tiny.startswith("LAMPIRAN CASCADING / POHON KINERJA DINAS UJI KABUPATEN CONTOH TAHUN")
    assert "LAMPIRAN" not in cascade


@pytest.fixture
def officials(dinas, bidang_unit):
    kepala = UnitKerja.objects.get(dinas=dinas, jenis=UnitKerja.Jenis.KEPALA)
    kadis = Pejabat.objects.create(
        nama="Dr. Siti Aminah, M.Si", nip="197409101994121001", jabatan="Kepala Dinas Uji", unit=kepala,
        tahun_mulai=2016, pangkat="Pembina Utama Muda, IV/c",
    )  # fmt: skip
    kabid = Pejabat.objects.create(
        nama="Budi Santoso, S.E.", nip="198001012005011002", jabatan="Kepala Bidang A", unit=bidang_unit,
        tahun_mulai=2016, status=Pejabat.Status.PLH,
    )  # fmt: skip
    return kadis, kabid


def test_a_document_with_two_parties_is_issued_signed_and_verified(client, dinas, officials, signing_certificate,
                                                                   tiny_template, monkeypatch):  # fmt: skip
    kadis, kabid = officials
    monkeypatch.setitem(render.RENDERERS, Dokumen.Jenis.KASKADE, "tests.pohon.test_dokumen.tiny_pdf")
    dokumen = dokumen_create(
        jenis=Dokumen.Jenis.KASKADE,
        judul="Perjanjian Kinerja Uji Tahun 2018",
        dinas=dinas,
        tempat=dinas.tempat_dokumen,
        tanggal=datetime.date(2018, 2, 1),
        signers=[
            Signer(pejabat=kabid, peran=Penandatangan.Peran.PIHAK_PERTAMA),
            Signer(pejabat=kadis, peran=Penandatangan.Peran.PIHAK_KEDUA),
        ],
    )
    signers = list(dokumen.penandatangan.all())
    assert [(s.urutan, s.peran, s.nama, s.jabatan) for s in signers] == [
        (1, "pihak_pertama", "Budi Santoso, S.E.", "Plh. Kepala Bidang A"),
        (2, "pihak_kedua", "Dr. Siti Aminah, M.Si", "Kepala Dinas Uji"),
    ]
    assert (dokumen.dinas_nama, dokumen.pemda_nama, dokumen.tempat) == ("Dinas Uji", "Kabupaten Contoh", "Contoh")

    berkas = dokumen_berkas_issue(dokumen=dokumen, kertas="A4")
    assert dokumen_berkas_issue(dokumen=dokumen, kertas="A4") == berkas  # the stored bytes, not a second render
    assert DokumenTerbit.objects.filter(dokumen=dokumen).count() == 1
    pdf = bytes(berkas.pdf)
    assert berkas.sha256 == sha256_hex(pdf) and pdf_signature_check(pdf).ok
    printed = pdf_text(pdf)
    assert "LAMPIRAN Perjanjian Kinerja Uji Tahun 2018" in printed
    assert "Pihak Pertama: Budi Santoso, S.E., Plh. Kepala Bidang A" in printed

    kabid.nama = "Nama Baru"
    kabid.save()
    html = client.get(reverse("verifikasi", args=[dokumen.token])).content.decode()
    for text in (
        "Perjanjian Kinerja Uji Tahun 2018",
        "Pihak Pertama",
        "Budi Santoso, S.E.",
        "Plh. Kepala Bidang A",
        "Pihak Kedua",
        "Dr. Siti Aminah, M.Si",
        "Pembina Utama Muda, IV/c",
        "Contoh, 1 Februari 2018",
        berkas.sha256,
    ):
        assert text in html, text
    assert "Nama Baru" not in html


RENDERED_IN_TRANSACTION: list[bool] = []


def tiny_pdf_noting_the_transaction(dokumen: Dokumen, kertas: str) -> PdfResult:
    from django.db import connection

    RENDERED_IN_TRANSACTION.append(connection.in_atomic_block)
    return tiny_pdf(dokumen, kertas)


def tiny_pdf_raced(dokumen: Dokumen, kertas: str) -> PdfResult:
    """While this job renders, another one stores the same file first."""
    result = tiny_pdf(dokumen, kertas)
    DokumenTerbit.objects.create(
        dokumen=dokumen, kertas=kertas, pdf=b"%PDF-lain", sha256=sha256_hex(b"%PDF-lain"), ukuran=9, halaman=1
    )
    return result


def _tiny_document(dinas, officials, monkeypatch, renderer: str) -> Dokumen:
    kadis, kabid = officials
    monkeypatch.setitem(render.RENDERERS, Dokumen.Jenis.KASKADE, renderer)
    return dokumen_create(
        jenis=Dokumen.Jenis.KASKADE, judul="Uji", dinas=dinas, tempat="Contoh", tanggal=datetime.date(2018, 2, 1),
        signers=[Signer(pejabat=kabid, peran=Penandatangan.Peran.PIHAK_PERTAMA),
                 Signer(pejabat=kadis, peran=Penandatangan.Peran.PIHAK_KEDUA)],
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_document_is_rendered_and_signed_outside_any_transaction(
    dinas, officials, signing_certificate, tiny_template, monkeypatch
):
    # On SQLite a transaction holds the write lock: a job rendering inside one, document after
    # document, kept pages waiting for seconds. Only the INSERT of the finished file is atomic.
    dokumen = _tiny_document(dinas, officials, monkeypatch, "tests.pohon.test_dokumen.tiny_pdf_noting_the_transaction")
    RENDERED_IN_TRANSACTION.clear()

    berkas = dokumen_berkas_issue(dokumen=dokumen, kertas="A4")

    assert RENDERED_IN_TRANSACTION == [False]
    assert pdf_signature_check(bytes(DokumenTerbit.objects.get(pk=berkas.pk).pdf)).ok


def test_a_file_stored_meanwhile_by_another_job_is_the_one_returned(
    dinas, officials, signing_certificate, tiny_template, monkeypatch
):
    dokumen = _tiny_document(dinas, officials, monkeypatch, "tests.pohon.test_dokumen.tiny_pdf_raced")

    berkas = dokumen_berkas_issue(dokumen=dokumen, kertas="A4")

    assert bytes(berkas.pdf) == b"%PDF-lain"
    assert DokumenTerbit.objects.filter(dokumen=dokumen).count() == 1
