#!/usr/bin/env python3
"""Start `scripts/production` on a PostgreSQL database with DEBUG off, as a Pemda would, and check
what a user and a load balancer get: static files (hashed, compressed), compressed HTML, the
health endpoint, login, a chart, an approval whose signed documents appear once the worker has
run, and the security headers. .ci/run calls it with DATABASE_URL set; bench/load.py reuses
``ProductionServer``.

The server sits behind an imagined TLS proxy: every request carries X-Forwarded-Proto: https
(POKIN_PROXY_SSL_HEADER=1), so cookies are Secure and HSTS is sent, exactly as in production.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
DEMO_PASSWORD = "pokin-demo-2018"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Session:
    """A browser-like client over plain HTTP to the app server, as the TLS proxy would speak to it."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.cookie_headers: list[str] = []

    def request(self, method: str, path: str, *, body: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept-Encoding": "gzip",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"https://127.0.0.1:{self.port}"
            sent["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                self.cookie_headers.append(value)
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        body_bytes = gzip.decompress(raw) if response.getheader("Content-Encoding") == "gzip" else raw
        connection.close()
        return response, raw, body_bytes

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def csrf_from(self, html: bytes) -> str:
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert match, "tidak ada token CSRF di halaman"
        return match.group(1).decode()

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        _, _, page = self.get("/login/")
        token = self.csrf_from(page)
        response, _, _ = self.request(
            "POST", "/login/", body={"username": username, "password": password, "csrfmiddlewaretoken": token}
        )
        assert response.status == 302, f"login {username}: {response.status}"

    def post_form(self, page_path: str, action: str, fields: dict | None = None):
        _, _, page = self.get(page_path)
        return self.request("POST", action, body={"csrfmiddlewaretoken": self.csrf_from(page), **(fields or {})})


class ProductionServer:
    """`scripts/production` in a process group of its own, stopped (the whole group) on exit."""

    def __init__(self, *, database_url: str, workers: int = 1, web_concurrency: int = 2, extra_env: dict | None = None):
        self.port = free_port()
        self.tmp = Path(tempfile.mkdtemp(prefix="pokin-prod-"))
        self.log_path = self.tmp / "production.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "POKIN_"))},
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "POKIN_BIND": f"127.0.0.1:{self.port}",
            "POKIN_PROXY_SSL_HEADER": "1",
            "POKIN_WORKERS": str(workers),
            "WEB_CONCURRENCY": str(web_concurrency),
            "STATIC_ROOT": str(self.tmp / "static"),
            "POKIN_SIGNING_P12": str(self.tmp / "ttd" / "pokin.p12"),
            "POKIN_VERIFY_BASE_URL": f"https://127.0.0.1:{self.port}",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [str(PYTHON), "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} gagal:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def prepare_demo(self) -> None:
        """The demo cascade as a draft, and a signing certificate outside the repository."""
        self.manage("migrate", "--noinput")
        self.manage("load_demo", "--demo", "--no-approve")
        self.manage("make_dev_certificate")

    def start(self, timeout: float = 180) -> None:
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [str(ROOT / "scripts" / "production")],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"scripts/production berhenti (kode {self.process.returncode}):\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"scripts/production tidak menjawab dalam {timeout} detik:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self) -> ProductionServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"menunggu {what} lebih dari {timeout} detik")


def check(server: ProductionServer) -> list[str]:
    done: list[str] = []
    port = server.port
    anonymous = Session(port)

    # Plain HTTP (no proxy header) is redirected to HTTPS; the health endpoint is exempt.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/login/", headers={"Host": f"127.0.0.1:{port}"})
    redirect = connection.getresponse()
    assert redirect.status == 301 and redirect.getheader("Location", "").startswith("https://"), redirect.status
    done.append("HTTP dialihkan ke HTTPS (301)")

    response, _, page = anonymous.get("/login/")
    assert response.status == 200, response.status
    headers = {k.lower(): v for k, v in response.getheaders()}
    assert "max-age=31536000" in headers.get("strict-transport-security", ""), headers
    assert headers.get("x-content-type-options") == "nosniff", headers
    assert headers.get("x-frame-options") == "DENY", headers
    assert "x-request-id" in headers, headers
    csp = headers.get("content-security-policy", "")
    assert (
        "script-src 'self'" in csp and "unsafe-eval" not in csp and "unsafe-inline" not in csp.split("style-src")[0]
    ), csp
    done.append("header keamanan: HSTS, nosniff, X-Frame-Options, CSP tanpa skrip inline, X-Request-ID")

    css = re.search(rb'href="(/static/pohon/pokin\.[0-9a-f]{12}\.css)"', page)
    assert css, "nama berkas CSS tidak di-hash"
    response, raw, body = anonymous.get(css.group(1).decode())
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip", response.status
    assert "max-age=315360000" in response.getheader("Cache-Control", ""), response.getheader("Cache-Control")
    assert b".site-header" in body
    done.append(f"berkas statis di-hash dan dikompresi oleh WhiteNoise ({len(raw)} dari {len(body)} byte)")

    user = Session(port)
    user.login("operator")
    session_cookie = [c for c in user.cookie_headers if c.startswith("sessionid=")]
    assert session_cookie and "Secure" in session_cookie[-1] and "HttpOnly" in session_cookie[-1], session_cookie
    response, raw, html = user.get("/pohon/dpmd-lumajang/2018/")
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip", response.status
    assert b"Program peningkatan keberdayaan Masyarakat Pedesaan" in html
    done.append(f"login dan bagan: HTML dikompresi {len(raw)} dari {len(html)} byte")

    response, _, _ = user.post_form("/pohon/dpmd-lumajang/2018/", "/pohon/dpmd-lumajang/2018/aksi/ajukan/")
    assert response.status == 302, response.status
    kadis = Session(port)
    kadis.login("kadis")
    approve = "/pohon/dpmd-lumajang/2018/aksi/setujui/"
    # Approval asks for confirmation first: a POST without it shows the confirmation page.
    response, _, page = kadis.post_form("/pohon/dpmd-lumajang/2018/", approve)
    assert response.status == 200 and b"Ya, setujui dan tandatangani" in page, response.status
    assert b"Rp 8.731.687.000" in page
    response, _, _ = kadis.post_form(approve, approve, {"konfirmasi": "1"})
    assert response.status == 302, response.status
    _, _, chart = kadis.get("/pohon/dpmd-lumajang/2018/")
    approved_at = time.monotonic()
    assert b"Sedang ditandatangani" in chart or b"bertanda tangan elektronik" in chart
    done.append("persetujuan: konfirmasi menampilkan total Pagu, lalu tercatat; pohon berstatus Sedang ditandatangani")

    def signed():
        response, _, body = kadis.get("/pohon/dpmd-lumajang/2018/pdf/?kertas=A3")
        return body if response.status == 200 and body.startswith(b"%PDF") else None

    pdf = wait_for(signed, timeout=240, what="dokumen bertanda tangan dari pekerja")
    assert b"/ByteRange" in pdf
    _, _, chart = kadis.get("/pohon/dpmd-lumajang/2018/")
    assert b"Sedang ditandatangani" not in chart and b"bertanda tangan elektronik" in chart
    done.append(f"pekerja menandatangani F4, A4, A3 dalam {time.monotonic() - approved_at:.1f} detik")

    def healthy():
        response, _, body = anonymous.get("/sehat/")
        return body if response.status == 200 else None

    body = wait_for(healthy, timeout=60, what="/sehat/ menjawab 200")
    assert b'"worker": "ok"' in body, body
    done.append("/sehat/: basis data dan detak pekerja ok")
    return done


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print("production_check butuh DATABASE_URL PostgreSQL.", file=sys.stderr)
        return 2
    with ProductionServer(database_url=database_url) as server:
        try:
            server.prepare_demo()
            server.start()
            for line in check(server):
                print(f"  ok: {line}")
        except BaseException:
            print(server.log()[-6000:], file=sys.stderr)
            raise
    print("Pemeriksaan produksi selesai.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
