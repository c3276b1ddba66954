"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in this thread, so Django's async-safety check must be relaxed here only.
"""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import TOTP_SECRET

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone(page, demo):
    """A phone-sized page on the demo site."""
    return page


@pytest.fixture
def demo(transactional_db):
    from comuna.demo import load_demo

    load_demo()




def current_totp(secret: str = TOTP_SECRET) -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def sign_in():
    """Sign in through the real form; answers the two-factor step with a TOTP code when asked."""

    def sign_in(page, email: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", password)
        with page.expect_navigation():  # wait for the next page, not the state of the one being left
            page.locator("main form button[type=submit]").first.click()
        if page.locator("input[name=code]").count():
            page.fill("input[name=code]", current_totp())
            with page.expect_navigation():
                page.locator("main form button[type=submit]").first.click()
        # a refused password stays on the login page, a refused code on the two-factor page
        assert "/accounts/login/" not in page.url and "/2fa/" not in page.url, f"sign-in failed at {page.url}"

    return sign_in
