"""The tree import screens (upload -> preview -> confirm) and the copy-to-year action.

Files are built here with openpyxl and csv; the uploads wait in the database (core.uploads).
"""

import csv
import datetime
import io
import re
from html import unescape

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.jobs import job_execute
from core.models import Pekerjaan, UnggahanSementara
from dinas.models import Keanggotaan
from dinas.roles import GROUP_ADMIN, GROUP_OPERATOR
from pohon.models import Pohon
from pohon.resources import COLUMNS
from pohon.selectors import pohon_dump, pohon_tree
from pohon.services import pohon_create
from tests.conftest import staff_user

UPLOAD = "/admin/pohon/pohon/impor/"
CONFIRM = "/admin/pohon/pohon/impor/konfirmasi/"
TEMPLATE = "/admin/pohon/pohon/impor/templat/"
CHANGELIST = "/admin/pohon/pohon/"

# (kode, induk, jenis, uraian, unit_kerja, pagu, target, satuan); the sheet's row 2 onwards
GOOD_ROWS = [
    ("T1", "", "Tujuan", "Meningkatnya X", "", "", "", ""),
    ("T1.I1", "T1", "Indikator", "Indeks X", "", "", "85,5", "%"),
    ("S1", "T1", "Sasaran", "Meningkatnya Y", "", "", "", ""),
    ("P1", "S1", "Program", "Program Z", "", "Rp. 6.545.000.000", "", ""),
    ("K1", "P1", "Kegiatan", "Kegiatan A", "", "5150000000", "", ""),
    ("K2", "P1", "kegiatan", "Kegiatan B", "", "1.395.000.000", "", ""),
]
GOOD_DUMP = """\
1 T1 - tujuan
2 T1.I1 T1 indikator
2 S1 T1 sasaran
3 P1 S1 program 6545000000
4 K1 P1 kegiatan 5150000000
4 K2 P1 kegiatan 1395000000"""

# Two independent mistakes, each on a leaf (so that no other row depends on them):
# row 3 an Indikator with a Pagu that is no number, row 6 an unknown kind.
BAD_ROWS = list(GOOD_ROWS)
BAD_ROWS[1] = ("T1.I1", "T1", "Indikator", "Indeks X", "", "abc", "85,5", "%")
BAD_ROWS[4] = ("K1", "P1", "Kegitan", "Kegiatan A", "", "5150000000", "", "")


def xlsx(rows, sheet: str = "pohon") -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(COLUMNS))
    for row in rows:
        worksheet.append(list(row))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def csv_bytes(rows) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return stream.getvalue().encode("utf-8")


def upload_file(data: bytes, name: str = "pohon.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def upload(client, dinas, data: bytes, *, name: str = "pohon.xlsx", tahun: int = 2019, ganti: bool = False):
    payload = {"dinas": dinas.pk, "tahun": tahun, "berkas": upload_file(data, name)}
    if ganti:
        payload["ganti"] = "on"
    return client.post(UPLOAD, payload)


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def staged_files() -> list[str]:
    """The ids of the uploads waiting for their confirmation (in the database, see core.uploads)."""
    return sorted(UnggahanSementara.objects.values_list("id", flat=True))


@pytest.fixture
def dinas_admin(dinas):
    """An Admin of ``dinas`` only (not a superuser)."""
    user = staff_user("admin-dinas", GROUP_ADMIN)
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=Keanggotaan.Peran.ADMIN)
    return user


@pytest.fixture
def admin_client_of(client, dinas_admin):
    client.force_login(dinas_admin)
    return client


# --- upload, preview, confirm --------------------------------------------------------------------


@pytest.mark.django_db
def test_good_file_previews_then_imports_and_opens_the_chart(
    admin_client_of, dinas, dinas_admin, django_capture_on_commit_callbacks
):
    page = admin_client_of.get(UPLOAD)
    assert page.status_code == 200
    assert TEMPLATE in page.content.decode()
    assert list(page.context["form"].fields["dinas"].queryset) == [dinas]

    preview = upload(admin_client_of, dinas, xlsx(GOOD_ROWS))
    assert preview.status_code == 200
    content = text(preview)
    assert preview.context["counts"] == [
        ("Tujuan", 1),
        ("Sasaran", 1),
        ("Program", 1),
        ("Kegiatan", 2),
        ("Indikator", 1),
    ]
    assert preview.context["total_pagu"] == "Rp 6.545.000.000"
    assert 'id="import-total-pagu" class="import-total">Rp 6.545.000.000<' in content
    assert [row[:2] for row in preview.context["tree"]] == [
        (0, "T1"),
        (1, "T1.I1"),
        (1, "S1"),
        (2, "P1"),
        (3, "K1"),
        (3, "K2"),
    ]
    assert "Rp 5.150.000.000" in content and "Rp 1.395.000.000" in content
    assert "Konfirmasi impor" in content
    assert not preview.context["problems"]
    assert not Pohon.objects.exists()  # the preview writes nothing

    upload_id = preview.context["upload_id"]
    assert f'name="upload" value="{upload_id}"' in content
    assert staged_files() == [upload_id]

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = admin_client_of.post(CONFIRM, {"upload": upload_id})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("pohon:chart", args=[dinas.kode, 2019])
    pohon = Pohon.objects.get(dinas=dinas, tahun=2019)
    assert pohon.status == Pohon.Status.DRAF
    assert pohon_dump(pohon_tree(pohon)) == GOOD_DUMP
    assert messages_of(confirmed) == [
        "Pohon kinerja dinas-uji 2019 telah diimpor dari pohon.xlsx: 6 butir, total Pagu Rp 6.545.000.000."
    ]
    assert staged_files() == []  # deleted once the import is committed

    chart = admin_client_of.get(confirmed["Location"])
    assert chart.status_code == 200
    assert "Rp 6.545.000.000" in chart.content.decode()

    again = admin_client_of.post(CONFIRM, {"upload": upload_id})  # a second confirm finds nothing
    assert again.status_code == 302 and again["Location"] == UPLOAD
    assert Pohon.objects.count() == 1


@pytest.mark.django_db
def test_csv_from_indonesian_excel_imports_the_same_tree(admin_client, dinas):
    preview = upload(admin_client, dinas, csv_bytes(GOOD_ROWS), name="pohon.csv")
    assert preview.context["problems"] == []
    admin_client.post(CONFIRM, {"upload": preview.context["upload_id"]})
    assert pohon_dump(pohon_tree(Pohon.objects.get(dinas=dinas, tahun=2019))) == GOOD_DUMP


@pytest.mark.django_db
def test_two_errors_are_both_shown_with_their_rows_and_no_confirm(admin_client_of, dinas):
    preview = upload(admin_client_of, dinas, xlsx(BAD_ROWS))
    assert preview.status_code == 200
    problems = preview.context["problems"]
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "pagu", "abc"), (6, "jenis", "Kegitan")]
    content = text(preview)
    table = content[content.index('id="import-problems"') :]
    for problem in problems:
        assert f'<td class="import-row">{problem.row}</td>' in table
        assert f'<td class="import-column">{problem.column}</td>' in table
        assert f"<code>{problem.value}</code>" in table
        assert problem.message in table
    assert "2 masalah ditemukan" in content
    assert "Konfirmasi impor" not in content
    assert 'name="upload"' not in content
    assert preview.context["upload_id"] is None
    assert staged_files() == []  # a plan with problems is never kept
    assert not Pohon.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x00\x01garbage\xff" * 50, "pohon.xlsx", "Berkas .xlsx ini rusak atau bukan buku kerja Excel."),
        (b"PK\x03\x04 not really a zip", "pohon.xlsx", "Berkas .xlsx ini rusak atau bukan buku kerja Excel."),
        (b"", "kosong.csv", None),
        (b"kode;induk\nT1;\n", "pohon.csv", "Kolom wajib “jenis” tidak ada di baris judul"),
        (b"%PDF-1.7 ...", "pohon.pdf", "Jenis berkas .pdf tidak didukung"),
    ],
)
@pytest.mark.django_db
def test_garbage_shows_the_problem_instead_of_a_crash(admin_client, dinas, data, name, message):
    response = upload(admin_client, dinas, data, name=name)
    assert response.status_code == 200
    content = text(response)
    if message is None:  # Django's own form refuses an empty upload before any plan
        assert response.context["form"].errors == {"berkas": ["Berkas yang dikirimkan kosong."]}
    else:
        assert message in content
        assert "Konfirmasi impor" not in content
    assert not Pohon.objects.exists()


@pytest.mark.django_db
def test_oversized_file_is_refused_unread(admin_client, dinas, settings):
    settings.POKIN_IMPORT_MAX_BYTES = 1024
    response = upload(admin_client, dinas, xlsx(GOOD_ROWS * 20))
    assert response.status_code == 200
    [problem] = response.context["problems"]
    assert problem.row is None
    assert problem.message.startswith("Berkas terlalu besar (")
    assert problem.message.endswith("paling besar 1 KB.")
    assert "Konfirmasi impor" not in text(response)


@pytest.mark.django_db
def test_existing_tree_needs_the_replace_box_and_then_is_replaced(admin_client, dinas):
    existing = pohon_create(dinas=dinas, tahun=2019)
    refused = upload(admin_client, dinas, xlsx(GOOD_ROWS))
    assert "Konfirmasi impor" not in text(refused)
    assert "Ganti pohon draf yang sudah ada" in text(refused)
    assert "ganti=1" not in refused.context["again_url"]

    preview = upload(admin_client, dinas, xlsx(GOOD_ROWS), ganti=True)
    assert preview.context["problems"] == []
    assert "dinas-uji 2019 (Draf) akan diganti seluruhnya." in text(preview)
    response = admin_client.post(CONFIRM, {"upload": preview.context["upload_id"]})
    assert response.status_code == 302
    assert Pohon.objects.get() == existing
    assert pohon_dump(pohon_tree(existing)) == GOOD_DUMP


@pytest.mark.django_db
def test_confirm_plans_again_and_refuses_what_changed_since_the_preview(admin_client, dinas):
    preview = upload(admin_client, dinas, xlsx(GOOD_ROWS))
    pohon_create(dinas=dinas, tahun=2019)  # someone else was quicker
    response = admin_client.post(CONFIRM, {"upload": preview.context["upload_id"]}, follow=True)
    assert response.redirect_chain[-1][0] == f"{UPLOAD}?dinas={dinas.pk}&tahun=2019"
    assert "Impor dibatalkan, tidak ada yang diubah" in text(response)
    assert "sudah ada" in text(response)
    assert "Konfirmasi impor" not in text(response)
    assert staged_files() == []
    assert pohon_dump(pohon_tree(Pohon.objects.get())) == ""


@pytest.mark.django_db
def test_confirm_queues_the_import_and_its_page_leads_to_the_tree(
    admin_client, dinas, settings, django_capture_on_commit_callbacks
):
    """In production the import runs in the background: the confirm leads to the job's page,
    which shows the result once the worker has run it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    preview = upload(admin_client, dinas, xlsx(GOOD_ROWS))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(CONFIRM, {"upload": preview.context["upload_id"]})
    job = Pekerjaan.objects.get(jenis="pohon.impor")
    assert response["Location"] == job.get_absolute_url()
    assert not Pohon.objects.exists()
    page = text(admin_client.get(job.get_absolute_url()))
    assert "Impor pohon kinerja dinas-uji 2019 dari pohon.xlsx" in page
    assert "Menunggu giliran" in page
    assert staged_files() == []  # the job holds the bytes; the staged copy went with the confirm

    job_execute(job_id=str(job.pk))  # what the worker does

    pohon = Pohon.objects.get(dinas=dinas, tahun=2019)
    page = text(admin_client.get(job.get_absolute_url()))
    assert "Selesai" in page
    assert "telah diimpor dari pohon.xlsx" in page
    assert f'href="{pohon.chart_url()}"' in admin_client.get(job.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_queued_import_whose_user_lost_the_admin_role_changes_nothing(client, dinas, dinas_admin, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client.force_login(dinas_admin)
    preview = upload(client, dinas, xlsx(GOOD_ROWS))
    client.post(CONFIRM, {"upload": preview.context["upload_id"]})
    Keanggotaan.objects.filter(user=dinas_admin).delete()
    job = job_execute(job_id=str(Pekerjaan.objects.get().pk))
    assert job.status == "gagal"
    assert "Hanya admin Perangkat Daerah ini" in job.galat
    assert not Pohon.objects.exists()


# --- the staged upload cannot be forged, shared, altered or kept forever ---------------------------


@pytest.mark.parametrize(
    "upload_id",
    ["", "x" * 43, "../../../../etc/passwd", "A" * 42 + "/", "A" * 200],
)
@pytest.mark.django_db
def test_confirm_with_a_made_up_id_is_refused(admin_client, dinas, upload_id):
    upload(admin_client, dinas, xlsx(GOOD_ROWS))  # a real one exists, but is not named
    response = admin_client.post(CONFIRM, {"upload": upload_id})
    assert response.status_code == 302
    assert response["Location"] == UPLOAD
    assert messages_of(response)[-1].startswith("Berkas unggahan tidak ditemukan atau sudah kedaluwarsa")
    assert not Pohon.objects.exists()


@pytest.mark.django_db
def test_confirm_with_another_users_id_is_refused(client, admin_client_of, dinas, dinas_admin, django_user_model):
    preview = upload(admin_client_of, dinas, xlsx(GOOD_ROWS))
    upload_id = preview.context["upload_id"]

    other = staff_user("admin-dinas-2", GROUP_ADMIN)  # an Admin of the same agency, even
    Keanggotaan.objects.create(user=other, dinas=dinas, peran=Keanggotaan.Peran.ADMIN)
    superuser = django_user_model.objects.create_superuser("super", password="rahasia-uji")
    for intruder in (other, superuser):
        client.force_login(intruder)
        response = client.post(CONFIRM, {"upload": upload_id})
        assert response.status_code == 302
        assert response["Location"] == UPLOAD
        assert not Pohon.objects.exists()

    client.force_login(dinas_admin)
    assert client.post(CONFIRM, {"upload": upload_id}).status_code == 302
    assert Pohon.objects.filter(dinas=dinas, tahun=2019).exists()  # its owner still can


@pytest.mark.django_db
def test_confirm_refuses_changed_bytes_another_kind_and_an_expired_upload(admin_client, dinas, monkeypatch):
    first = upload(admin_client, dinas, xlsx(GOOD_ROWS)).context["upload_id"]
    UnggahanSementara.objects.filter(pk=first).update(data=xlsx(BAD_ROWS))  # no longer what was checked
    assert admin_client.post(CONFIRM, {"upload": first})["Location"] == UPLOAD

    second = upload(admin_client, dinas, xlsx(GOOD_ROWS)).context["upload_id"]
    UnggahanSementara.objects.filter(pk=second).update(jenis="organisasi")
    assert admin_client.post(CONFIRM, {"upload": second})["Location"] == UPLOAD

    third = upload(admin_client, dinas, xlsx(GOOD_ROWS)).context["upload_id"]
    monkeypatch.setattr("core.uploads.UPLOAD_MAX_AGE", -1)
    assert admin_client.post(CONFIRM, {"upload": third})["Location"] == UPLOAD
    assert not Pohon.objects.exists()


@pytest.mark.django_db
def test_uploads_older_than_the_limit_are_swept_away(admin_client, dinas):
    old = upload(admin_client, dinas, xlsx(GOOD_ROWS)).context["upload_id"]
    UnggahanSementara.objects.filter(pk=old).update(dibuat_pada=timezone.now() - datetime.timedelta(hours=4))
    new = upload(admin_client, dinas, xlsx(GOOD_ROWS)).context["upload_id"]
    assert staged_files() == [new]
    assert old != new


# --- who may import --------------------------------------------------------------------------------


@pytest.fixture
def operator(dinas, bidang_unit):
    user = staff_user("operator", GROUP_OPERATOR)
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=Keanggotaan.Peran.OPERATOR, unit=bidang_unit)
    return user


@pytest.mark.django_db
def test_non_admin_gets_403_everywhere(client, dinas, operator):
    client.force_login(operator)
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, dinas, xlsx(GOOD_ROWS)).status_code == 403
    assert client.post(CONFIRM, {"upload": "x" * 43}).status_code == 403
    assert "Impor dari spreadsheet" not in client.get(CHANGELIST).content.decode()
    assert staged_files() == []


@pytest.mark.django_db
def test_admin_of_another_agency_cannot_pick_this_one(client, dinas, other_dinas):
    user = staff_user("admin-lain", GROUP_ADMIN)
    Keanggotaan.objects.create(user=user, dinas=other_dinas, peran=Keanggotaan.Peran.ADMIN)
    Keanggotaan.objects.create(user=user, dinas=dinas, peran=Keanggotaan.Peran.KEPALA_DINAS)
    client.force_login(user)
    page = client.get(UPLOAD)
    assert list(page.context["form"].fields["dinas"].queryset) == [other_dinas]
    response = upload(client, dinas, xlsx(GOOD_ROWS))
    assert response.status_code == 200
    assert "dinas" in response.context["form"].errors
    assert staged_files() == []


@pytest.mark.django_db
def test_admin_who_lost_the_role_before_confirming_gets_403(admin_client_of, dinas, dinas_admin, other_dinas):
    upload_id = upload(admin_client_of, dinas, xlsx(GOOD_ROWS)).context["upload_id"]
    Keanggotaan.objects.filter(user=dinas_admin).update(peran=Keanggotaan.Peran.KEPALA_DINAS)
    Keanggotaan.objects.create(user=dinas_admin, dinas=other_dinas, peran=Keanggotaan.Peran.ADMIN)
    assert admin_client_of.post(CONFIRM, {"upload": upload_id}).status_code == 403
    assert not Pohon.objects.exists()


@pytest.mark.parametrize("url", [UPLOAD, TEMPLATE])
@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={url}"
    assert client.post(CONFIRM, {"upload": "x" * 43})["Location"] == f"/admin/login/?next={CONFIRM}"


@pytest.mark.django_db
def test_changelist_links_to_the_import(admin_client_of):
    assert f'href="{UPLOAD}"' in admin_client_of.get(CHANGELIST).content.decode()


# --- the template ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_template_download_is_an_xlsx_with_its_three_sheets(admin_client_of, dinas):
    response = admin_client_of.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="templat-pohon-kinerja.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["pohon", "contoh", "petunjuk"]
    assert [cell.value for cell in workbook["pohon"][1]] == list(COLUMNS)
    # the empty template itself previews as "no data rows", not as a crash
    preview = upload(admin_client_of, dinas, response.content, name="templat-pohon-kinerja.xlsx")
    assert "Berkas tidak berisi baris data (hanya baris judul)." in text(preview)


# --- copy to the next year --------------------------------------------------------------------------


def copy_action(client, pohon: Pohon, **data):
    return client.post(CHANGELIST, {"action": "copy_to_year", "_selected_action": [pohon.pk], **data})


@pytest.mark.django_db
def test_copy_asks_the_year_then_copies_and_links_to_the_new_tree(admin_client_of, chain_tree):
    page = copy_action(admin_client_of, chain_tree)
    assert page.status_code == 200
    assert page.context["form"]["tahun"].value() == 2019
    assert 'value="2019"' in page.content.decode()

    response = copy_action(admin_client_of, chain_tree, post="yes", tahun="2019")
    assert response.status_code == 302
    copy = Pohon.objects.get(dinas=chain_tree.dinas, tahun=2019)
    assert copy.status == Pohon.Status.DRAF
    assert pohon_dump(pohon_tree(copy)) == pohon_dump(pohon_tree(chain_tree))
    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == "success"
    assert str(message) == (
        'Pohon kinerja dinas-uji 2018 telah disalin ke tahun 2019. <a href="/pohon/dinas-uji/2019/">Lihat pohon '
        "dinas-uji 2019</a>"
    )
    listing = admin_client_of.get(response["Location"]).content.decode()
    assert '<a href="/pohon/dinas-uji/2019/">Lihat pohon dinas-uji 2019</a>' in listing


@pytest.mark.django_db
def test_copy_to_a_year_that_has_a_tree_is_refused(admin_client_of, chain_tree):
    pohon_create(dinas=chain_tree.dinas, tahun=2019)
    response = copy_action(admin_client_of, chain_tree, post="yes", tahun="2019")
    assert response.status_code == 302
    assert messages_of(response) == [
        "Perangkat Daerah dinas-uji sudah memiliki pohon kinerja tahun 2019; pohon tidak disalin."
    ]
    assert pohon_dump(pohon_tree(Pohon.objects.get(tahun=2019))) == ""


@pytest.mark.django_db
def test_copy_with_a_bad_year_asks_again(admin_client_of, chain_tree):
    response = copy_action(admin_client_of, chain_tree, post="yes", tahun="dua ribu")
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["tahun"]
    assert "errornote" in response.content.decode()
    assert Pohon.objects.count() == 1


@pytest.mark.django_db
def test_copy_needs_exactly_one_tree(admin_client_of, chain_tree):
    other = pohon_create(dinas=chain_tree.dinas, tahun=2017)
    response = admin_client_of.post(
        CHANGELIST, {"action": "copy_to_year", "_selected_action": [chain_tree.pk, other.pk], "post": "yes"}
    )
    assert messages_of(response) == ["Pilih tepat satu pohon kinerja untuk disalin."]
    assert Pohon.objects.count() == 2


@pytest.mark.django_db
def test_copy_action_is_not_offered_to_an_operator(client, operator, chain_tree):
    client.force_login(operator)
    assert "copy_to_year" not in client.get(CHANGELIST).content.decode()
    response = copy_action(client, chain_tree, post="yes", tahun="2019")
    assert response.status_code == 200  # the list again: no such action for this user
    assert not Pohon.objects.filter(tahun=2019).exists()
