"""axe-core on the main pages, as anonymous visitor and as a signed-in admin: no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser.pagecheck import serious
from comuna.demo import DEMO_PASSWORD

PUBLIC_PAGES = ["/", "/spheres/", "/spheres/toulouse/", "/spheres/capitole/?function=05.1",
                "/networks/cities-for-local-democracy/", "/spheres/toulouse/audit/", "/accounts/login/",
                "/accounts/signup/", "/accounts/password/reset/", "/spheres/toulouse/processes/",
                "/processes/toulouse-decides-2026/", "/search/?q=garden", "/spheres/toulouse/commitments/",
                "/proposals/overdue/", "/spheres/barcelona/elections/", "/elections/gracia-youth-council-2026/",
                "/processes/toulouse-budget-2027/budget/", "/spheres/toulouse/assemblies/",
                "/assemblies/toulouse-climate-assembly/"]
STAFF_PAGES = ["/elections/capitole-council-2026/", "/me/", "/spheres/toulouse/manage/", "/spheres/toulouse/residency/", "/accounts/2fa/",
               "/me/notifications/", "/spheres/toulouse/moderation/", "/processes/toulouse-decides-2026/proposals/new/"]


@pytest.mark.parametrize("language", ["en-GB", "fr-FR"])
def test_public_pages_have_no_serious_violations(browser, live_server, demo, language):
    context = browser.new_context(base_url=live_server.url, locale=language)
    page = context.new_page()
    axe = Axe()
    for path in PUBLIC_PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        assert serious(axe.run(page)) == [], path
    context.close()


def test_staff_pages_have_no_serious_violations(page, demo, sign_in):
    sign_in(page, "admin@demo.comuna.city", DEMO_PASSWORD)
    axe = Axe()
    for path in STAFF_PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        assert serious(axe.run(page)) == [], path


def test_keyboard_reaches_the_main_content_first(page, demo):
    page.goto("/spheres/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to content" in focused
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_pages_fit_a_phone_screen(page, demo):
    """No sideways scrolling at 390 px wide, the width of a common phone."""
    for path in PUBLIC_PAGES:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the phone"


def test_proposal_commitment_and_meeting_pages(page, demo, sign_in):
    from comuna.participation.models import Commitment, Meeting, Proposal

    sign_in(page, "admin@demo.comuna.city", DEMO_PASSWORD)
    axe = Axe()
    proposal = Proposal.objects.get(title__startswith="A shared garden")
    for path in [proposal.get_absolute_url(), Commitment.objects.get().get_absolute_url(),
                 f"{proposal.get_absolute_url()}versions/", Meeting.objects.get().get_absolute_url()]:
        assert page.goto(path).status == 200, path
        assert serious(axe.run(page)) == [], path
