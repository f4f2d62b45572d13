"""Approval freezes everything that is printed: the agency's and Pemda's names, the head's
title, every unit name, the signer, place and date. Renaming any of them afterwards changes
nothing an approved revision shows on its chart, table, PDF (stored bytes) or verification page;
a GET never creates or signs a document."""

import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Pekerjaan
from dinas.models import Pejabat, Pemda, PerangkatDaerah, UnitKerja
from dinas.services import dinas_update, pejabat_update, pemda_update, unit_delete, unit_update
from pohon.models import Dokumen, DokumenTerbit, Node, Penandatangan, Pengesahan, Pohon
from pohon.selectors import FrozenUnit, pohon_tree
from pohon.workflow import pohon_approve, pohon_revise, pohon_submit
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

PAPERS = ("F4", "A4", "A3")
NEW_DINAS = "Badan Nama Baru Sekali"
NEW_PEMDA = "Kota Antah Berantah"
NEW_UNIT = "Bidang Yang Sudah Berganti Nama"
NEW_PEJABAT = "PEJABAT PENGGANTI, S.H."


def pdf_text(data: bytes) -> str:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


def pdf_url(kertas: str, **query) -> str:
    url = reverse("pohon:pdf", args=["dpmd-lumajang", 2018]) + f"?kertas={kertas}"
    return url + "".join(f"&{k}={v}" for k, v in query.items())


def page(client, name: str, **query):
    url = reverse(name, args=["dpmd-lumajang", 2018])
    response = client.get(url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""))
    assert response.status_code == 200
    return response


def used_unit(pohon: Pohon) -> UnitKerja:
    """A unit the tree's nodes name (a division with its own nodes)."""
    return UnitKerja.objects.filter(nodes__pohon=pohon, jenis=UnitKerja.Jenis.BIDANG).order_by("pk").first()


def rename_everything(pohon: Pohon) -> None:
    """Rename the Pemda, the agency, a unit the tree uses and the signer through the dinas
    services, as the admin and the organisation import do; and try to delete the used unit."""
    dinas = PerangkatDaerah.objects.get(pk=pohon.dinas_id)
    pemda_update(pemda=dinas.pemda, data={"nama": NEW_PEMDA, "jenis": Pemda.Jenis.KOTA, "tempat": "Antah"})
    dinas_update(dinas=dinas, data={"nama": NEW_DINAS, "tempat": "Antah"})
    unit = used_unit(pohon)
    unit_update(unit=unit, data={"nama": NEW_UNIT})
    with pytest.raises(ValidationError, match="dipakai oleh pohon kinerja yang sudah disetujui"):
        unit_delete(unit=unit)
    assert UnitKerja.objects.filter(pk=unit.pk, nama=NEW_UNIT).exists()
    pejabat = Pejabat.objects.get(pk=pohon.pengesahan.penandatangan.pejabat_id)
    pejabat_update(
        pejabat=pejabat,
        data={
            "nama": NEW_PEJABAT,
            "nip": "198001012005011002",
            "status": Pejabat.Status.PLT,
            "jabatan": "Kepala Badan Baru",
            "pangkat": "Penata, III/c",
        },
    )


def row_counts() -> dict[str, int]:
    models = (Dokumen, Penandatangan, DokumenTerbit, Pengesahan, Pekerjaan)
    return {model.__name__: model.objects.count() for model in models}


def test_approval_copies_every_printed_name(demo_approved):
    pengesahan = Pengesahan.objects.select_related("dokumen").get(pohon=demo_approved)
    dokumen = pengesahan.dokumen
    dinas = demo_approved.dinas
    assert dokumen.jenis == Dokumen.Jenis.KASKADE
    assert (dokumen.dinas_nama, dokumen.pemda_nama) == (dinas.nama, "Kabupaten Lumajang")
    assert dokumen.judul == f"Cascading / Pohon Kinerja {dinas.nama} Kabupaten Lumajang Tahun 2018"
    assert (dokumen.tempat, str(dokumen.tanggal)) == ("Lumajang", "2018-01-25")
    assert pengesahan.kepala_judul == f"KEPALA {dinas.nama} KABUPATEN LUMAJANG".upper()
    used = {unit.pk: unit.nama for unit in UnitKerja.objects.filter(nodes__pohon=demo_approved).distinct()}
    assert len(used) > 10
    assert pengesahan.unit_nama == {str(pk): nama for pk, nama in used.items()}
    signer = pengesahan.penandatangan
    pejabat = Pejabat.objects.get(pk=signer.pejabat_id)
    assert (signer.peran, signer.urutan) == (Penandatangan.Peran.PENANDATANGAN, 1)
    assert (signer.nama, signer.nip, signer.jabatan) == (pejabat.nama, pejabat.nip, pejabat.jabatan_tertulis)
    assert (signer.pangkat, signer.status) == (pejabat.pangkat, pejabat.status)


def test_an_approved_tree_reads_its_frozen_units_and_titles(demo_approved):
    unit = used_unit(demo_approved)
    old_name = unit.nama
    rename_everything(demo_approved)
    approved = Pohon.objects.get(pk=demo_approved.pk)
    tree = pohon_tree(approved)
    node = next(n for n in tree.nodes if n.unit_id == unit.pk)
    assert isinstance(node.unit, FrozenUnit)
    assert (node.unit.pk, node.unit.nama) == (unit.pk, old_name)
    assert (tree.dinas_nama, tree.pemda_nama) == ("Dinas Pemberdayaan Masyarakat dan Desa", "Kabupaten Lumajang")
    assert tree.head_title == "KEPALA DINAS PEMBERDAYAAN MASYARAKAT DAN DESA KABUPATEN LUMAJANG"


def test_renaming_afterwards_changes_nothing_the_approved_revision_shows(client, demo_approved):
    client.login(username="kadis", password=DEMO_PASSWORD)
    unit = used_unit(demo_approved)
    node = Node.objects.filter(pohon=demo_approved, unit=unit).first()
    old_unit, old_pejabat = unit.nama, demo_approved.pengesahan.penandatangan.nama
    token = demo_approved.pengesahan.token
    panel_url = reverse("pohon:node_panel", args=["dpmd-lumajang", 2018, node.pk])

    def shown() -> dict[str, object]:
        chart = page(client, "pohon:chart")
        table = page(client, "pohon:table")
        verifikasi = client.get(reverse("verifikasi", args=[token]))
        assert verifikasi.status_code == 200
        return {
            "chart": str(chart.context["chart"]),
            "chart_header": chart.content.decode().split('<h1 class="chart-title">')[1].split("</h1>")[0],
            "table": str(table.context["rows"]),
            "table_header": table.content.decode().split('<h1 class="chart-title">')[1].split("</h1>")[0],
            "panel": client.get(panel_url).content.decode(),
            "root_panel": client.get(
                reverse("pohon:node_panel", args=["dpmd-lumajang", 2018, table.context["tree"].root.pk])
            ).content.decode(),
            "verifikasi": verifikasi.content.decode().split("<section>\n  <h2>Periksa")[0].split("<h1>")[1],
            **{kertas: client.get(pdf_url(kertas)).content for kertas in PAPERS},
        }

    before = shown()
    assert old_unit in before["table"] and old_unit in before["panel"]
    assert "DINAS PEMBERDAYAAN MASYARAKAT DAN DESA KABUPATEN LUMAJANG" in before["chart_header"]
    assert old_pejabat in before["verifikasi"]
    rename_everything(demo_approved)
    after = shown()

    for key, value in before.items():
        assert after[key] == value, key  # the PDFs byte for byte
    for text in (NEW_UNIT, NEW_DINAS, NEW_PEMDA, NEW_PEJABAT, "Kepala Badan Baru", "Plt."):
        assert all(text.upper() not in str(value).upper() for value in after.values() if isinstance(value, str)), text
    printed = pdf_text(after["F4"])
    assert "PATRIANI HASTIADI, AP. MSi." in printed and NEW_PEJABAT not in printed

    # The next revision is a draft: it shows the records as they are now.
    pohon_revise(pohon=Pohon.objects.get(pk=demo_approved.pk), user=None)
    draft = page(client, "pohon:table", revisi=1)
    assert NEW_UNIT in str(draft.context["rows"])
    assert NEW_DINAS.upper() in draft.content.decode()


def test_the_frozen_approval_renders_the_same_names_again(demo_approved):
    """Not only the stored bytes: a fresh render of the approved revision prints what was frozen."""
    from pohon.documents import kaskade_pdf

    rename_everything(demo_approved)
    dokumen = Dokumen.objects.get(pk=demo_approved.pengesahan.dokumen_id)
    printed = pdf_text(kaskade_pdf(dokumen, "A4").pdf)
    for text in ("DINAS PEMBERDAYAAN MASYARAKAT DAN DESA", "LUMAJANG", "PATRIANI HASTIADI, AP. MSi.", "Lumajang,"):
        assert text in printed, text
    for text in (NEW_DINAS.upper(), NEW_PEMDA.upper(), NEW_PEJABAT, NEW_UNIT, "PLT."):
        assert text not in printed.upper(), text


def test_gets_of_every_paper_size_and_the_verification_page_write_nothing(client, demo_approved):
    client.login(username="kadis", password=DEMO_PASSWORD)
    token = demo_approved.pengesahan.token
    before = row_counts()
    assert before["DokumenTerbit"] == 3
    for kertas in PAPERS:
        response = client.get(pdf_url(kertas))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(reverse("verifikasi", args=[token])).status_code == 200
    assert row_counts() == before

    # A missing paper size is not made by a GET either: the page says it is being signed.
    DokumenTerbit.objects.filter(dokumen__token=token, kertas="A3").delete()
    before = row_counts()
    response = client.get(pdf_url("A3"))
    assert response.status_code == 202
    assert client.get(pdf_url("A3")).status_code == 202
    assert row_counts() == before


def test_an_acting_official_signs_with_the_prefix(client, demo, signing_certificate):
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.filter(username__in=["kadis", "operator"])}
    pejabat = Pejabat.objects.get(unit__dinas=demo.dinas, unit__jenis=UnitKerja.Jenis.KEPALA)
    pejabat.status, pejabat.pangkat = Pejabat.Status.PLT, "Pembina Tingkat I, IV/b"
    pejabat.save()
    pohon_submit(pohon=demo, user=users["operator"])
    pengesahan = pohon_approve(pohon=demo, user=users["kadis"])
    signer = pengesahan.penandatangan
    assert signer.jabatan == f"Plt. {pejabat.jabatan}"
    assert (signer.status, signer.pangkat) == ("plt", "Pembina Tingkat I, IV/b")
    printed = pdf_text(bytes(pengesahan.dokumen.berkas.get(kertas="F4").pdf))
    assert "Plt. KEPALA DINAS" in printed
    html = client.get(reverse("verifikasi", args=[pengesahan.token])).content.decode()
    assert f"Plt. {pejabat.jabatan}" in html and "Pembina Tingkat I, IV/b" in html


def test_loading_the_demo_again_reads_the_approved_tree_as_it_is(demo_approved):
    """load_demo compares the tree with the document by unit kode: an approved tree's frozen units
    carry only names, so it reads the kode from the units themselves."""
    from io import StringIO

    from django.core.management import call_command

    before = row_counts()
    output = StringIO()
    call_command("load_demo", demo=True, no_perjanjian=True, stdout=output)  # as demo_approved loaded it
    assert "tidak diubah" in output.getvalue()
    assert row_counts() == before
