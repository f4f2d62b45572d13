"""The tree and node admin, the tree import and copy-to-year obey the role IN THE TREE'S AGENCY.

"ganda" is Admin of agency B (other_dinas) and only Operator of agency A (dinas), bound to
A's Bidang A, and carries the global group "Admin": only the per-agency rule
(dinas.admin_access, and pohon.permissions for an operator's branch) keeps them out of A.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.uploads import UploadStore
from dinas.models import Keanggotaan
from dinas.roles import GROUP_ADMIN, GROUP_KEPALA_DINAS
from pohon.models import Node, Pohon
from pohon.selectors import pohon_dump, pohon_tree
from pohon.services import node_create, pohon_create
from tests.conftest import staff_user
from tests.pohon.test_admin import change_data, change_url, form_errors, node
from tests.pohon.test_admin_import import GOOD_ROWS, messages_of, xlsx

Peran = Keanggotaan.Peran
NODES = "/admin/pohon/node/"
NODE_ADD = "/admin/pohon/node/add/"
POHON = "/admin/pohon/pohon/"
IMPORT = "/admin/pohon/pohon/impor/"
IMPORT_CONFIRM = "/admin/pohon/pohon/impor/konfirmasi/"
DRAG_HANDLE = '<div class="drag-handle"></div>'


def delete_url(obj: Node) -> str:
    return reverse("admin:pohon_node_delete", args=[obj.pk])


def dumps() -> dict[int, str]:
    return {pohon.pk: f"{pohon.status}\n{pohon_dump(pohon_tree(pohon))}" for pohon in Pohon.objects.order_by("pk")}


def drag_rows(html: str) -> list[str]:
    """The uraian of every listed row that carries a drag handle."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    return [
        re.sub(r"<[^>]+>", "", re.search(r'class="field-indented_title">(.*?)</th>', row, re.S)[1]).strip()
        for row in rows
        if DRAG_HANDLE in row
    ]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tree_a(pohon, bidang_unit):
    """A's tree: T1 (no unit) -> S1 of Bidang A -> P1 -> K1, beside T1.I1."""
    tujuan = node_create(pohon=pohon, parent=None, jenis="tujuan", uraian="Tujuan A", kode="T1")
    node_create(pohon=pohon, parent=tujuan, jenis="indikator", uraian="Indeks A", kode="T1.I1")
    sasaran = node_create(
        pohon=pohon, parent=tujuan, jenis="sasaran", uraian="Sasaran Bidang A", kode="S1", unit=bidang_unit
    )
    program = node_create(pohon=pohon, parent=sasaran, jenis="program", uraian="Program Bidang A", kode="P1")
    node_create(pohon=pohon, parent=program, jenis="kegiatan", uraian="Kegiatan Bidang A", kode="K1")
    return pohon


@pytest.fixture
def tree_b(other_dinas):
    pohon = pohon_create(dinas=other_dinas, tahun=2018)
    node_create(pohon=pohon, parent=None, jenis="tujuan", uraian="Tujuan B", kode="T1")
    return pohon


# --- imports, copies and new trees into A ----------------------------------------------------------


@pytest.mark.django_db
def test_ganda_cannot_import_a_tree_into_a(ganda_client, ganda, dinas, other_dinas, tree_a):
    before = dumps()
    page = ganda_client.get(IMPORT)
    assert list(page.context["form"].fields["dinas"].queryset) == [other_dinas]
    response = ganda_client.post(
        IMPORT,
        {"dinas": dinas.pk, "tahun": 2019, "berkas": SimpleUploadedFile("pohon.xlsx", xlsx(GOOD_ROWS)), "ganti": "on"},
    )
    assert response.status_code == 200
    assert "dinas" in response.context["form"].errors
    # An upload staged for A (as if the choice had been forged) is refused at confirm.
    staged = UploadStore("pohon").save(
        user=ganda, data=xlsx(GOOD_ROWS), filename="x.xlsx", params={"dinas": dinas.pk, "tahun": 2019, "ganti": False}
    )
    assert ganda_client.post(IMPORT_CONFIRM, {"upload": staged}).status_code == 403
    assert dumps() == before


@pytest.mark.django_db
def test_ganda_cannot_copy_a_tree_of_a_to_another_year(ganda_client, dinas, tree_a):
    before = dumps()
    response = ganda_client.post(
        POHON, {"action": "copy_to_year", "_selected_action": [tree_a.pk], "post": "yes", "tahun": "2019"}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Hanya admin Dinas Uji yang dapat menyalin pohon kinerjanya."]
    assert dumps() == before


@pytest.mark.django_db
def test_ganda_cannot_create_a_tree_in_a(ganda_client, dinas, other_dinas, tree_a):
    before = dumps()
    form = ganda_client.get(f"{POHON}add/").context["adminform"].form
    assert list(form.fields["dinas"].queryset) == [other_dinas]
    response = ganda_client.post(f"{POHON}add/", {"dinas": dinas.pk, "tahun": 2030, "revisi": 0})
    assert response.status_code == 200
    assert list(form_errors(response)) == ["dinas"]
    assert dumps() == before


# --- nodes of A: only the operator's own branch -----------------------------------------------------


@pytest.mark.django_db
def test_ganda_edits_only_their_branch_of_a(ganda_client, tree_a):
    before = dumps()
    top = node(tree_a, "T1")
    assert ganda_client.get(change_url(top)).context["has_change_permission"] is False
    assert ganda_client.post(change_url(top), change_data(top, uraian="Diambil alih")).status_code == 403
    assert ganda_client.post(delete_url(top), {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [node(tree_a, "T1.I1").pk], "post": "yes"}
    assert ganda_client.post(NODES, bulk).status_code == 403
    assert dumps() == before

    program = node(tree_a, "P1")
    assert ganda_client.get(change_url(program)).context["has_change_permission"] is True
    response = ganda_client.post(change_url(program), change_data(program, uraian="Program Bidang A baru"))
    assert response.status_code == 302
    assert node(tree_a, "P1").uraian == "Program Bidang A baru"


@pytest.mark.django_db
def test_ganda_sees_drag_handles_and_add_links_only_in_their_branch(ganda_client, tree_a):
    html = ganda_client.get(NODES, {"pohon": tree_a.pk}).content.decode()
    assert drag_rows(html) == ["Sasaran Bidang A", "Program Bidang A", "Kegiatan Bidang A"]
    assert "+ butir teratas" not in html  # the top of the tree is the Admin's
    assert html.count("+ anak") == 3  # under S1, P1 and K1 (a Kegiatan takes Sub Kegiatan)
    assert f'href="{NODE_ADD}?pohon={tree_a.pk}"' in html


@pytest.mark.django_db
def test_ganda_node_forms_offer_trees_where_they_edit(ganda_client, tree_a, tree_b, dinas):
    Pohon.objects.filter(pk=tree_b.pk).update(status=Pohon.Status.DISETUJUI)
    other_a = pohon_create(dinas=dinas, tahun=2019)
    Pohon.objects.filter(pk=other_a.pk).update(status=Pohon.Status.DISETUJUI)
    html = ganda_client.get(NODE_ADD).content.decode()
    assert f"?pohon={tree_a.pk}" in html
    assert f"?pohon={tree_b.pk}" not in html and f"?pohon={other_a.pk}" not in html


# --- Admin of B: everything in B's tree -------------------------------------------------------------


@pytest.mark.django_db
def test_ganda_as_admin_of_b_adds_changes_and_deletes_in_b(ganda_client, tree_b):
    response = ganda_client.post(
        f"{NODE_ADD}?pohon={tree_b.pk}",
        {"pohon": tree_b.pk, "parent": "", "jenis": "tujuan", "uraian": "Tujuan dua", "kode": "T2"}
        | {"unit": "", "pagu": "", "target": "", "satuan": ""},
    )
    assert response.status_code == 302, form_errors(response)
    added = node(tree_b, "T2")
    response = ganda_client.post(change_url(added), change_data(added, uraian="Tujuan dua baru"))
    assert response.status_code == 302
    assert ganda_client.post(delete_url(node(tree_b, "T1")), {"post": "yes"}).status_code == 302
    assert pohon_dump(pohon_tree(tree_b)) == "1 T2 - tujuan"
    html = ganda_client.get(NODES, {"pohon": tree_b.pk}).content.decode()
    assert DRAG_HANDLE in html and "+ butir teratas" in html


@pytest.mark.django_db
def test_ganda_copies_a_tree_of_b(ganda_client, tree_b):
    response = ganda_client.post(
        POHON, {"action": "copy_to_year", "_selected_action": [tree_b.pk], "post": "yes", "tahun": "2019"}
    )
    assert response.status_code == 302
    assert pohon_dump(pohon_tree(Pohon.objects.get(dinas=tree_b.dinas, tahun=2019))) == "1 T1 - tujuan"


# --- Kepala Dinas: read-only --------------------------------------------------------------------


@pytest.fixture(params=[GROUP_KEPALA_DINAS, GROUP_ADMIN])
def kadis_client(request, client, dinas, other_dinas):
    """The Kepala Dinas of A with their own group, and with the Admin group as Admin of B too:
    either way the role in A decides."""
    user = staff_user("kadis", request.param)
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=Peran.KEPALA_DINAS)
    if request.param == GROUP_ADMIN:
        Keanggotaan.objects.create(user=user, dinas=other_dinas, peran=Peran.ADMIN)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_kepala_dinas_sees_no_add_links_nor_drag_handles(kadis_client, tree_a):
    html = kadis_client.get(NODES, {"pohon": tree_a.pk}).content.decode()
    assert "Kegiatan Bidang A" in html
    assert DRAG_HANDLE not in html
    assert "+ anak" not in html and "+ butir teratas" not in html
    assert f"{NODE_ADD}?pohon=" not in html
    tools = re.search(r'<ul class="object-tools">(.*?)</ul>', html, flags=re.S)
    assert tools is None or "addlink" not in tools[1]  # (the sidebar may offer adding in agency B)
    assert 'class="tree-node"' in html  # collapsing and expanding still work
    listing = kadis_client.get(POHON).content.decode()
    assert "Lihat butir" in listing and "Tambah butir" not in listing


@pytest.mark.django_db
def test_kepala_dinas_changes_no_node(kadis_client, tree_a):
    before = dumps()
    program = node(tree_a, "P1")
    response = kadis_client.get(change_url(program))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert kadis_client.post(change_url(program), change_data(program, uraian="X")).status_code == 403
    assert kadis_client.post(delete_url(program), {"post": "yes"}).status_code == 403
    assert kadis_client.get(f"{NODE_ADD}?pohon={tree_a.pk}").status_code == 403
    response = kadis_client.post(
        NODES, {"cmd": "move_node", "cut_item": node(tree_a, "K1").pk, "pasted_on": program.pk, "position": "left"}
    )
    assert response.content.decode().startswith("FAIL")
    assert kadis_client.post(IMPORT_CONFIRM, {"upload": "x" * 43}).status_code in (302, 403)
    assert dumps() == before


@pytest.mark.django_db
def test_add_page_of_an_approved_tree_says_why_instead_of_403(admin_client, tree_a):
    Pohon.objects.filter(pk=tree_a.pk).update(status=Pohon.Status.DISETUJUI)
    response = admin_client.post(
        f"{NODE_ADD}?pohon={tree_a.pk}",
        {"pohon": tree_a.pk, "parent": "", "jenis": "tujuan", "uraian": "Terlambat", "kode": ""}
        | {"unit": "", "pagu": "", "target": "", "satuan": ""},
    )
    assert response.status_code == 200
    assert "berstatus Disetujui dan tidak dapat diubah" in response.content.decode()
    assert not Node.objects.filter(uraian="Terlambat").exists()
