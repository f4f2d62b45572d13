"""Browser fixtures: one headless Chromium per session, a fresh page per test, login through the form.

The browser is Debian's chromium (Playwright's own download does not work here); ``scripts/test``
installs it. The live server serves the real templates, static files and JavaScript.
"""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import DEMO_PASSWORD

# CI shares two cores between the live server, Chromium, PostgreSQL and the tests: a waiting
# assertion gets 15 s before it fails (it returns as soon as it holds, so passing runs pay nothing);
# 5 s made an edit's re-render time out now and then under load.
expect.set_options(timeout=15_000)

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 900}
# Reports every Content Security Policy violation (a blocked inline script, handler, style or eval)
# to the test through the binding below. Playwright injects init scripts and bindings itself, so
# the policy they watch over does not block them.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.pokinCspViolation(
    event.effectiveDirective + " blocked " + (event.blockedURI || "inline") + " at " +
    event.sourceFile + ":" + event.lineNumber + " " + (event.sample || "")
  );
});
"""


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "chromium is not installed: the browser tests drive Debian's chromium. "
            "Run scripts/test, which installs it (Playwright's own browser download does not work here).",
            pytrace=False,
        )
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an asyncio loop marked as running in this thread for as long as
        # it is started, so Django would refuse every ORM call of the tests and fixtures (flush included)
        # with SynchronousOnlyOperation. Nothing here is async; Playwright's maintainers advise this
        # (microsoft/playwright-pytest#29). It stays set only while the browser runs: package scope
        # closes both when tests/browser is done, so the rest of the suite keeps Django's check.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def page_problems() -> list[str]:
    """What went wrong in the page so far: script errors, missing static files, CSP violations."""
    return []


@pytest.fixture
def page(browser: Browser, live_server, transactional_db, page_problems) -> Iterator[Page]:
    """A page in its own context (no cookies shared between tests) that fails the test on a script
    error, a missing static file or a Content Security Policy violation."""
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(15_000)
    problems = page_problems
    context.expose_function("pokinCspViolation", lambda report: problems.append(f"CSP violation: {report}"))
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and "/static/" in response.url
            else None
        ),
    )
    yield page
    context.close()
    assert not problems, problems


def fill_login_form(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login page the browser is on, as a user would."""
    expect(page.get_by_role("heading", name="Masuk ke Pokin")).to_be_visible()
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


@pytest.fixture
def login(page: Page, live_server) -> Callable[..., None]:
    """``login("kadis")``: open ``/login/`` and sign in through the real form."""

    def _login(username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto(live_server.url + "/login/")
        fill_login_form(page, username, password)

    return _login


@pytest.fixture
def screenshot(page: Page) -> Callable[[str], Path]:
    """``screenshot("chart-demo.png")``: a full-page screenshot in ``test-artifacts/`` (git-ignored)."""

    def _screenshot(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        page.screenshot(path=path, full_page=True)
        return path

    return _screenshot
