"""The organisation import screens (upload -> preview -> confirm), for superusers only."""

import io
import re
from html import unescape

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import UnggahanSementara
from core.uploads import UploadStore
from dinas.imports import COLUMNS
from dinas.models import Keanggotaan, Pejabat, PerangkatDaerah, UnitKerja
from dinas.roles import GROUP_ADMIN, roles_ensure_groups

UPLOAD = "/admin/dinas/perangkatdaerah/impor/"
CONFIRM = "/admin/dinas/perangkatdaerah/impor/konfirmasi/"
CHANGELIST = "/admin/dinas/perangkatdaerah/"

AGENCY = ("dinas-baru", "Dinas Baru", "Kabupaten Baru", "Baru")
NO_AGENCY_CELLS = ("dinas-baru", "", "", "")
NO_OFFICIAL = ("", "", "", "", "")
# perangkat_daerah, nama_perangkat_daerah, pemda, tempat | kode, induk, jenis, nama, urutan |
# pejabat, nip, jabatan, tahun_mulai, tahun_selesai; the sheet's row 2 onwards
GOOD_ROWS = [
    (
        *AGENCY,
        *("kepala", "", "kepala", "Kepala Dinas", "1"),
        *("Ir. Contoh", "19740910 199412 1 001", "Kepala Dinas", "2018", ""),
    ),
    (*NO_AGENCY_CELLS, *("bidang-a", "kepala", "bidang", "Bidang A", "2"), *NO_OFFICIAL),
    (*NO_AGENCY_CELLS, *("seksi-a1", "bidang-a", "seksi", "Seksi A1", "3"), *NO_OFFICIAL),
    (*NO_AGENCY_CELLS, *("seksi-a2", "bidang-a", "Seksi", "Seksi A2", "4"), *NO_OFFICIAL),
]
# Two independent mistakes on leaf units: row 4 an unknown kind, row 5 a NIP too short.
BAD_ROWS = list(GOOD_ROWS)
BAD_ROWS[2] = (*NO_AGENCY_CELLS, *("seksi-a1", "bidang-a", "seksie", "Seksi A1", "3"), *NO_OFFICIAL)
BAD_ROWS[3] = (
    *NO_AGENCY_CELLS,
    *("seksi-a2", "bidang-a", "seksi", "Seksi A2", "4"),
    *("Dra. Contoh", "19740910 1994", "Kepala Seksi", "2018", ""),
)


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = "organisasi"
    worksheet.append(list(COLUMNS))
    for row in rows:
        worksheet.append(list(row))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def upload(client, data: bytes, name: str = "organisasi.xlsx"):
    return client.post(UPLOAD, {"berkas": SimpleUploadedFile(name, data)})


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def staged_files() -> list[str]:
    """The ids of the uploads waiting for their confirmation (in the database, see core.uploads)."""
    return sorted(UnggahanSementara.objects.values_list("id", flat=True))


@pytest.mark.django_db
def test_good_file_previews_then_imports(admin_client, django_capture_on_commit_callbacks):
    assert admin_client.get(UPLOAD).status_code == 200
    preview = upload(admin_client, xlsx(GOOD_ROWS))
    assert preview.status_code == 200
    counts = dict(preview.context["counts"])
    assert counts == {
        "Pemda baru": 1,
        "Perangkat Daerah baru": 1,
        "Perangkat Daerah diubah": 0,
        "Unit kerja baru": 4,
        "Unit kerja diubah": 0,
        "Pejabat baru": 1,
        "Pejabat diubah": 0,
    }
    content = text(preview)
    assert "Konfirmasi impor" in content
    assert "Pemda baru dari berkas: Kabupaten Baru" in content
    assert not PerangkatDaerah.objects.exists()  # the preview writes nothing
    upload_id = preview.context["upload_id"]
    assert staged_files() == [upload_id]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(CONFIRM, {"upload": upload_id})
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    dinas = PerangkatDaerah.objects.get(kode="dinas-baru")
    assert (dinas.nama, dinas.pemda_nama, dinas.tempat) == ("Dinas Baru", "Kabupaten Baru", "Baru")
    assert (dinas.pemda.jenis, dinas.pemda.tempat) == ("kabupaten", "Baru")
    units = {unit.kode: (unit.parent.kode if unit.parent else None, unit.jenis) for unit in UnitKerja.objects.all()}
    assert units == {
        "kepala": (None, "kepala"),
        "bidang-a": ("kepala", "bidang"),
        "seksi-a1": ("bidang-a", "seksi"),
        "seksi-a2": ("bidang-a", "seksi"),
    }
    assert Pejabat.objects.get().nip == "197409101994121001"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(
        "Tabel organisasi dari organisasi.xlsx telah diimpor (Pemda baru 1, Perangkat Daerah baru 1,"
    )
    assert staged_files() == []


@pytest.mark.django_db
def test_two_errors_are_both_shown_with_their_rows_and_no_confirm(admin_client):
    preview = upload(admin_client, xlsx(BAD_ROWS))
    problems = preview.context["problems"]
    assert [(p.row, p.column, p.value) for p in problems] == [(4, "jenis", "seksie"), (5, "nip", "19740910 1994")]
    content = text(preview)
    table = content[content.index('id="import-problems"') :]
    for problem in problems:
        assert f'<td class="import-row">{problem.row}</td>' in table
        assert f'<td class="import-column">{problem.column}</td>' in table
        assert f"<code>{problem.value}</code>" in table
        assert problem.message in table
    assert "Konfirmasi impor" not in content
    assert staged_files() == []
    assert not PerangkatDaerah.objects.exists()


@pytest.mark.django_db
def test_garbage_shows_the_problem(admin_client):
    response = upload(admin_client, b"\x00\x01\x02 bukan spreadsheet" * 20, name="organisasi.xlsx")
    assert response.status_code == 200
    assert "Berkas .xlsx ini rusak atau bukan buku kerja Excel." in text(response)
    assert "Konfirmasi impor" not in text(response)


@pytest.mark.django_db
def test_oversized_file_is_refused_unread(admin_client, settings):
    settings.POKIN_IMPORT_MAX_BYTES = 1024
    response = upload(admin_client, xlsx(GOOD_ROWS * 10))
    [problem] = response.context["problems"]
    assert problem.message.startswith("Berkas terlalu besar (")
    assert "Konfirmasi impor" not in text(response)


@pytest.mark.django_db
def test_confirm_with_a_made_up_or_another_users_id_is_refused(admin_client, client, django_user_model):
    upload_id = upload(admin_client, xlsx(GOOD_ROWS)).context["upload_id"]
    for made_up in ("", "../" * 20, "x" * 43):
        response = admin_client.post(CONFIRM, {"upload": made_up})
        assert response.status_code == 302 and response["Location"] == UPLOAD
    other = django_user_model.objects.create_superuser("super-lain", password="rahasia-uji")
    client.force_login(other)
    response = client.post(CONFIRM, {"upload": upload_id})
    assert response.status_code == 302 and response["Location"] == UPLOAD
    assert not PerangkatDaerah.objects.exists()


@pytest.mark.django_db
def test_a_tree_upload_cannot_be_confirmed_as_an_organisation_table(admin_client, admin_user):
    upload_id = UploadStore("pohon").save(user=admin_user, data=xlsx(GOOD_ROWS), filename="x.xlsx", params={})
    response = admin_client.post(CONFIRM, {"upload": upload_id})
    assert response["Location"] == UPLOAD
    assert not PerangkatDaerah.objects.exists()


@pytest.mark.django_db
def test_only_superusers_import_the_organisation(client, dinas):
    user = get_user_model().objects.create_user("admin-dinas", password="rahasia-uji", is_staff=True)
    user.groups.set([roles_ensure_groups()[GROUP_ADMIN]])
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=Keanggotaan.Peran.ADMIN)
    client.force_login(user)
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, xlsx(GOOD_ROWS)).status_code == 403
    assert client.post(CONFIRM, {"upload": "x" * 43}).status_code == 403
    assert "Impor organisasi" not in client.get(CHANGELIST).content.decode()
    assert staged_files() == []


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={UPLOAD}"


@pytest.mark.django_db
def test_changelist_links_to_the_import(admin_client):
    assert f'href="{UPLOAD}"' in admin_client.get(CHANGELIST).content.decode()
