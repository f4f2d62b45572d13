"""What production relies on: settings that fail closed, a request id in every log line and on
the error page, Indonesian error pages, compressed HTML, the production command's refusals."""

import gzip
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "POKIN_PLAIN_HTTP"}
    }
    env.update(extra)
    return env


def test_without_secret_key_and_debug_nothing_starts():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=_clean_env(), capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY belum diisi" in result.stderr


def test_production_command_refuses_without_its_settings():
    result = subprocess.run(
        ["scripts/production"], cwd=ROOT, env=_clean_env(ALLOWED_HOSTS=""), capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "SECRET_KEY ALLOWED_HOSTS DATABASE_URL" in result.stderr
    sqlite = subprocess.run(
        ["scripts/production"],
        cwd=ROOT,
        env=_clean_env(SECRET_KEY="x" * 50, ALLOWED_HOSTS="pokin.example", DATABASE_URL="sqlite:///db.sqlite3"),
        capture_output=True,
        text=True,
    )
    assert sqlite.returncode == 2
    assert "DATABASE_URL harus PostgreSQL" in sqlite.stderr


def test_https_is_on_unless_plain_http_is_chosen():
    probe = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    code = f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); {probe}"
    strict = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_clean_env(SECRET_KEY="x" * 50), capture_output=True, text=True
    )
    assert strict.stdout.split() == ["True", "True", "31536000"]
    plain = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_clean_env(SECRET_KEY="x" * 50, POKIN_PLAIN_HTTP="1"),
        capture_output=True,
        text=True,
    )
    assert plain.stdout.split() == ["False", "False", "0"]


@pytest.mark.urls("tests.core.urls_error")
def test_server_error_is_logged_with_traceback_and_request_id(caplog, db):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/rusak/", HTTP_X_REQUEST_ID="uji-500-abc")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Terjadi kesalahan di server (500)" in page
    assert "uji-500-abc" in page
    assert response["X-Request-ID"] == "uji-500-abc"
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.request_id == "uji-500-abc"
    assert record.exc_info is not None
    assert "kerusakan uji 4711" in str(record.exc_info[1])


def test_a_bad_incoming_request_id_is_replaced(client, db):
    response = client.get("/login/", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 16


def test_not_found_page_is_indonesian(client, db):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan (404)" in response.content.decode()


def test_forbidden_page_is_indonesian(client, demo):
    assert client.login(username="kadis", password="pokin-demo-2018")
    response = client.post("/pohon/dpmd-lumajang/2018/aksi/ajukan/")
    assert response.status_code == 403
    assert "Akses ditolak (403)" in response.content.decode()


def test_html_is_sent_compressed(client, demo):
    assert client.login(username="operator", password="pokin-demo-2018")
    response = client.get(demo.chart_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content)
    assert b"Program peningkatan keberdayaan Masyarakat Pedesaan" in html
    assert len(response.content) * 5 < len(html)
