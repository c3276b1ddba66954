"""The finance pages in Debian's Chromium at phone width: no serious axe-core violation, no sideways scrolling,
and a finance officer imports a file through the real form."""

from __future__ import annotations

from browser.pagecheck import serious

PAGES = ["/spheres/toulouse/finance/", "/spheres/toulouse/finance/2025/", "/spheres/blagnac/finance/2025/",
         "/finance/open-data/", "/spheres/town/finance/"]


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


def test_a_finance_officer_imports_through_the_form(phone, tmp_path, sign_in):
    page = phone
    from comuna.accounts.models import User
    from comuna.demo import DEMO_PASSWORD
    from comuna.finance.models import Budget
    from conftest import give_mfa

    give_mfa(User.objects.get(email="finance@demo.comuna.city"))
    sign_in(page, "finance@demo.comuna.city", DEMO_PASSWORD)
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
