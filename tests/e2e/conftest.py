"""Browser journeys: Playwright driving Debian's chromium against Django's live server.

Screenshots of a failing test land in test-results/ (kept by CI as evidence).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("QMS_CHROMIUM", "/usr/bin/chromium")
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}; scripts/setup.sh test installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        for page in getattr(item, "_qms_pages", []):
            RESULTS.mkdir(exist_ok=True)
            # The page may already be closed; a missing screenshot must not hide the failure.
            with contextlib.suppress(Exception):
                page.screenshot(path=str(RESULTS / f"{item.name}-{id(page)}.png"), full_page=True)


# The browser's own language for each of the site's; the site never follows it (qms.middleware).
BROWSER_LOCALE = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}


@pytest.fixture
def new_page(browser, live_server, request):
    """``new_page(user=None, viewport=DESKTOP, lang=None)`` -> a page, logged in as ``user`` if
    given; with ``lang`` the language selector's choice is made (a cookie), without it the page
    is in the municipality's målform (bokmål unless a test sets another)."""
    contexts = []
    request.node._qms_pages = []

    def _new(user=None, viewport=DESKTOP, lang=None):
        context = browser.new_context(
            viewport=viewport, locale=BROWSER_LOCALE[lang or "nb"], base_url=live_server.url
        )
        if lang:
            context.add_cookies(
                [{"name": "django_language", "value": lang, "url": live_server.url}]
            )
        contexts.append(context)
        page = context.new_page()
        request.node._qms_pages.append(page)
        if user is not None:
            login(page, user.username)
        return page

    yield _new
    for context in contexts:
        context.close()


def login(page, username: str, password: str = "pw") -> None:
    """Sign in through the login form, in whatever language it is shown."""
    page.goto("/konto/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/")


def axe_violations(page) -> list[dict]:
    """WCAG 2.1 A/AA violations on the current page, from axe-core."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    return result.response["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )
