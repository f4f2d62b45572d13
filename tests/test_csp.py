"""The Content Security Policy: the header every response carries, and pages that need nothing it
refuses (no inline script or event handler, no javascript: URL, no inline style). The browser test
(tests/browser/test_csp.py) shows the same in Chromium; these catch a regression without one."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from pohon.formatting import DEPTH_MAX, depth_class
from pohon.models import Node

EXPECTED_POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "base-uri": {"'self'"},
    "object-src": {"'none'"},
}

# What the policy would refuse in markup: a <script> without src (JSON data blocks are allowed,
# they never run), an on...= handler, a javascript: URL, a style attribute or a <style> element.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=[\"']application/json[\"'])[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"javascript:", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
REFUSED = {
    "inline script": INLINE_SCRIPT,
    "event handler": HANDLER,
    "javascript: URL": JS_URL,
    "style attribute": STYLE_ATTRIBUTE,
    "style element": STYLE_ELEMENT,
}

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered by WeasyPrint into a PDF, never by a browser: the policy does not apply to them.
PDF_TEMPLATES = TEMPLATES / "pohon" / "pdf"


def policy_of(response) -> dict[str, set[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: set(sources) for name, *sources in directives}


def refused_in(html: str) -> dict[str, list[str]]:
    found = {name: pattern.findall(html) for name, pattern in REFUSED.items()}
    return {name: hits for name, hits in found.items() if hits}


def test_refused_patterns_catch_what_they_should():
    assert set(refused_in('<form onsubmit="return false"><a href="javascript:x()" style="x">')) == {
        "event handler",
        "javascript: URL",
        "style attribute",
    }
    assert set(refused_in("<script>alert(1)</script><style>p{}</style>")) == {"inline script", "style element"}
    assert refused_in('<script src="/static/a.js"></script><script type="application/json">{}</script>') == {}


@pytest.mark.django_db
def test_login_page_carries_the_policy(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert policy_of(response) == EXPECTED_POLICY
    assert "Content-Security-Policy-Report-Only" not in response.headers


@pytest.mark.django_db
def test_admin_and_error_responses_carry_the_policy(admin_client):
    assert policy_of(admin_client.get("/admin/")) == EXPECTED_POLICY
    assert policy_of(admin_client.get("/pohon/tidak-ada/2018/")) == EXPECTED_POLICY  # 404 without DEBUG


def test_no_template_holds_what_the_policy_refuses():
    offenders = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        if PDF_TEMPLATES in path.parents:
            continue
        found = refused_in(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(TEMPLATES))] = found
    assert offenders == {}


@pytest.mark.django_db
def test_rendered_pages_hold_nothing_the_policy_refuses(demo, client, admin_client):
    """The generated markup too (chart, table rows, node panel, the admin's node list)."""
    client.force_login(get_user_model().objects.get(username="operator"))
    programme = Node.objects.get(pohon=demo, kode="B1.P1")
    pages = {
        "chart": client.get("/pohon/dpmd-lumajang/2018/"),
        "table": client.get("/pohon/dpmd-lumajang/2018/tabel/"),
        "panel": client.get(f"/pohon/dpmd-lumajang/2018/node/{programme.pk}/", headers={"HX-Request": "true"}),
        "history": client.get("/pohon/dpmd-lumajang/2018/riwayat/"),
        "node list": admin_client.get(f"/admin/pohon/node/?pohon={demo.pk}"),
        "node form": admin_client.get(f"/admin/pohon/node/{programme.pk}/change/"),
        "tree import": admin_client.get("/admin/pohon/pohon/impor/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert refused_in(response.content.decode()) == {}, name


@pytest.mark.django_db
def test_htmx_runs_without_eval_script_tags_or_injected_styles(client):
    html = client.get("/login/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert config is not None
    assert json.loads(config.group(1)) == {
        "allowEval": False,
        "allowScriptTags": False,
        "includeIndicatorStyles": False,
    }
    for attribute in ("hx-on", "hx-vars", "js:"):
        for path in TEMPLATES.rglob("*.html"):
            assert attribute not in path.read_text(encoding="utf-8"), (attribute, path)


def test_depth_classes_match_the_stylesheet():
    css = (Path(settings.BASE_DIR) / "static" / "pohon" / "depth.css").read_text()
    defined = [int(n) for n in re.findall(r"\.depth-(\d+) \{ --depth: \1; \}", css)]
    assert defined == list(range(DEPTH_MAX + 1))
    assert [depth_class(d) for d in (-1, 0, 3, DEPTH_MAX, DEPTH_MAX + 5)] == [
        "depth-0",
        "depth-0",
        "depth-3",
        f"depth-{DEPTH_MAX}",
        f"depth-{DEPTH_MAX}",
    ]
