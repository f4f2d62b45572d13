"""What people read and choose, outside the browser: counts in "butir" that agree between the home
page and the admin (the hidden root never counted), the editor's unit choice for an operator, the
import form's preselected agency, the admin of a view-only Kepala Dinas, the Pagu placeholder, the
favicon, and the address in the QR code of issued documents (from the site's settings)."""

import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from dinas.models import Keanggotaan, UnitKerja
from pohon import rules
from pohon.dokumen.render import verification_url
from pohon.models import Node, Pohon

HTMX = {"HTTP_HX_REQUEST": "true"}
IMPORT = "/admin/pohon/pohon/impor/"
NODES = "/admin/pohon/node/"
DRAG_HANDLE = '<div class="drag-handle"></div>'


def login(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def node(kode: str) -> Node:
    return Node.objects.get(pohon__dinas__kode="dpmd-lumajang", kode=kode)


def unit_options(html: str) -> set[str]:
    """The names offered by the form's Unit kerja select."""
    select = re.search(r'<select name="unit"[^>]*>(.*?)</select>', html, flags=re.S)
    assert select, html
    return {
        name.strip() for value, name in re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select[1]) if value
    }


@pytest.mark.django_db
def test_home_and_admin_count_the_same_butir(demo):
    visible = Node.objects.filter(pohon=demo).exclude(jenis=rules.AKAR).count()
    assert visible == 144 and Node.objects.filter(pohon=demo).count() == 145  # the root is never counted
    home = login("operator").get("/").content.decode()
    assert "Jumlah butir" in home and "144 butir" in home and "node" not in home.lower().replace("nodes", "")
    admin = login("admin").get("/admin/pohon/pohon/").content.decode()
    assert "jumlah butir" in admin.lower()
    count_cell = re.search(r'<td class="field-node_count">(\d+)</td>', admin)
    assert count_cell and int(count_cell[1]) == visible
    chart = login("operator").get("/pohon/dpmd-lumajang/2018/").content.decode()
    assert "144 butir" in chart


@pytest.mark.django_db
def test_the_editor_offers_an_operator_only_their_own_units(demo):
    own = UnitKerja.objects.get(dinas=demo.dinas, nama="Bidang Pemberdayaan Masyarakat")
    below = set(UnitKerja.objects.filter(parent=own).values_list("nama", flat=True))
    assert len(below) == 3
    operator = login("operator")
    form = operator.get(f"/pohon/dpmd-lumajang/2018/node/{node('B1').pk}/tambah/", **HTMX).content.decode()
    assert unit_options(form) == {own.nama, *below}
    change = operator.get(f"/pohon/dpmd-lumajang/2018/node/{node('B1.K1').pk}/ubah/", **HTMX).content.decode()
    assert unit_options(change) == {own.nama, *below}
    # a unit outside the operator's branch is refused even when posted by hand
    other = UnitKerja.objects.get(dinas=demo.dinas, nama="Seksi Penataan Desa")
    data = {"jenis": "kegiatan", "uraian": "Kegiatan uji", "unit": other.pk, "versi": node("B1.K1").versi}
    response = operator.post(f"/pohon/dpmd-lumajang/2018/node/{node('B1.K1').pk}/tambah/", data, **HTMX)
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not Node.objects.filter(uraian="Kegiatan uji").exists()
    # the admin chooses among every unit of the agency
    admin_form = login("admin").get(f"/pohon/dpmd-lumajang/2018/node/{node('B1').pk}/tambah/", **HTMX)
    assert unit_options(admin_form.content.decode()) == set(
        UnitKerja.objects.filter(dinas=demo.dinas).values_list("nama", flat=True)
    )


@pytest.mark.django_db
def test_the_add_form_is_titled_by_the_kind_asked_for(demo):
    form = login("operator").get(f"/pohon/dpmd-lumajang/2018/node/{node('B1.P1').pk}/tambah/?jenis=kegiatan", **HTMX)
    html = form.content.decode()
    assert "Tambah Kegiatan di bawah" in html
    assert re.search(r'<option value="kegiatan" selected>Kegiatan</option>', html)
    # the Pagu's placeholder is a hint, not an amount that looks filled in
    assert 'placeholder="Rupiah utuh, tanpa sen"' in html
    assert not re.search(r'placeholder="[^"]*\d', html)


@pytest.mark.django_db
def test_the_import_form_preselects_the_only_agency(demo, other_dinas):
    user = get_user_model().objects.create_user("admin-dpmd", password="rahasia-uji", is_staff=True)
    Keanggotaan.objects.create(user=user, dinas=demo.dinas, peran=Keanggotaan.Peran.ADMIN)
    from dinas.roles import GROUP_ADMIN, roles_ensure_groups

    user.groups.set([roles_ensure_groups()[GROUP_ADMIN]])
    client = Client()
    client.force_login(user)
    html = client.get(IMPORT).content.decode()
    select = re.search(r'<select name="dinas"[^>]*>(.*?)</select>', html, flags=re.S)[1]
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == [str(demo.dinas)]
    assert re.search(rf'<option value="{demo.dinas.pk}" selected>', select)
    # a superuser with two agencies chooses
    both = login("admin").get(IMPORT).content.decode()
    select = re.search(r'<select name="dinas"[^>]*>(.*?)</select>', both, flags=re.S)[1]
    assert "selected" not in select.replace('value="" selected', "") and "---------" in select


@pytest.mark.django_db
def test_the_demo_kepala_dinas_sees_no_drag_handles_or_add_links(demo):
    kadis = login("kadis")
    html = kadis.get(NODES, {"pohon": demo.pk}).content.decode()
    assert "KEPALA BIDANG PEMBERDAYAAN MASYARAKAT" in html
    assert DRAG_HANDLE not in html
    assert "+ anak" not in html and "+ butir teratas" not in html and "/admin/pohon/node/add/" not in html
    listing = kadis.get("/admin/pohon/pohon/").content.decode()
    assert "Lihat butir" in listing and "Tambah butir" not in listing
    # the operator of the same tree still drags and adds in their own branch
    operator = login("operator").get(NODES, {"pohon": demo.pk}).content.decode()
    assert DRAG_HANDLE in operator and "+ anak" in operator


@pytest.mark.django_db
def test_favicon(client, demo):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert finders.find("favicon.svg")
    page = login("operator").get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page


def settings_in_a_new_process(**environ: str) -> str:
    """POKIN_VERIFY_BASE_URL as config/settings.py computes it from this environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("POKIN_VERIFY_BASE_URL", "POKIN_ADDRESS")}
    env.update(environ, DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="x")
    code = "import django; django.setup(); from django.conf import settings; print(settings.POKIN_VERIFY_BASE_URL)"
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_verification_address_follows_the_served_address():
    assert settings_in_a_new_process() == "http://127.0.0.1:8000"
    assert settings_in_a_new_process(POKIN_ADDRESS="127.0.0.1:8123") == "http://127.0.0.1:8123"
    assert settings_in_a_new_process(POKIN_ADDRESS="8124") == "http://127.0.0.1:8124"
    configured = {"POKIN_ADDRESS": "8125", "POKIN_VERIFY_BASE_URL": "https://pokin.example.go.id/"}
    assert settings_in_a_new_process(**configured) == "https://pokin.example.go.id"


@pytest.mark.django_db
def test_issued_documents_and_load_demo_use_the_configured_address(settings, demo, signing_certificate):
    settings.POKIN_VERIFY_BASE_URL = "http://127.0.0.1:8123"
    out = StringIO()
    call_command("load_demo", demo=True, stdout=out)
    demo.refresh_from_db()
    assert demo.status == Pohon.Status.DISETUJUI
    assert "Dokumen bertanda tangan elektronik: http://127.0.0.1:8123/pohon/dpmd-lumajang/2018/pdf/" in out.getvalue()
    assert ":8000" not in out.getvalue()
    dokumen = demo.pengesahan.dokumen
    assert verification_url(dokumen) == f"http://127.0.0.1:8123/verifikasi/{dokumen.token}/"
