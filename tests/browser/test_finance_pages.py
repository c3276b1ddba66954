"""The finance pages in Debian's Chromium at phone width: no serious axe-core violation, no sideways scrolling,
and a finance officer imports a file through the real form."""

from __future__ import annotations

import pytest

PAGES = ["/spheres/toulouse/finance/", "/spheres/toulouse/finance/2025/", "/spheres/blagnac/finance/2025/",
         "/finance/open-data/", "/spheres/town/finance/"]


@pytest.fixture
def phone(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def serious(results) -> list[str]:
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_finance_pages_are_accessible_and_fit_a_phone(phone):
    page = phone
    from axe_playwright_python.sync_playwright import Axe

    from comuna.finance.models import BudgetLine

    axe = Axe()
    linked = BudgetLine.objects.filter(project_links__isnull=False).first()
    for path in [*PAGES[:4], linked.get_absolute_url()]:
        assert page.goto(path).status == 200, path
        assert serious(axe.run(page)) == [], path
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, path


def test_a_finance_officer_imports_through_the_form(phone, tmp_path):
    page = phone
    import time

    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from comuna.accounts.models import User
    from comuna.demo import DEMO_PASSWORD
    from comuna.finance.models import Budget

    secret = "JBSWY3DPEHPK3PXP"
    officer = User.objects.get(email="finance@demo.comuna.city")
    Authenticator.objects.create(user=officer, type=Authenticator.Type.TOTP, data={"secret": secret})
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "finance@demo.comuna.city")
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.fill("input[name=code]", format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert "/accounts/login/" not in page.url
    bad = tmp_path / "bad.csv"
    bad.write_text("code;direction;revenue_type;function;economic_type;label;planned\n"
                   "A;expenditure;;09;investment;School;12,34.5\n", encoding="utf-8")
    page.goto("/spheres/toulouse/finance/import/")
    page.fill("input[name=fiscal_year]", "2024")
    page.set_input_files("input[name=file]", str(bad))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "does not group thousands by three digits" in page.locator("[role=alert] table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert not Budget.objects.filter(fiscal_year=2024).exists()
    good = tmp_path / "good.csv"
    good.write_text("code;direction;revenue_type;function;economic_type;label;planned\n"
                    "A;expenditure;;09;investment;School;1 234,50\n", encoding="utf-8")
    page.fill("input[name=fiscal_year]", "2024")
    page.set_input_files("input[name=file]", str(good))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/spheres/toulouse/finance/2024/")
    assert str(Budget.objects.get(sphere__slug="toulouse", fiscal_year=2024).lines.get().planned) == "1234.50"
