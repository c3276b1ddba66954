"""A resident votes in the demo budget, watching the budget fill; an official closes it; the result is read in
French with each project's explanation."""

from playwright.sync_api import expect

from comuna.demo import DEMO_PASSWORD


def test_vote_close_and_read_the_explained_result_in_french(browser, live_server, demo, sign_in):
    from comuna.accounts.models import User
    from comuna.budgeting.models import Ballot, Budget
    from comuna.participation.models import Phase
    from conftest import give_mfa

    page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    sign_in(page, "lea@demo.comuna.city", DEMO_PASSWORD)
    page.goto("/processes/toulouse-budget-2027/budget/")
    boxes = page.locator("form.ballot input[type=checkbox]")
    boxes.nth(2).check()  # the repair café, 30 000
    boxes.nth(3).check()  # the fountains, 45 000
    expect(page.locator("#meter")).to_contain_text("75")  # polled from Python: the page's CSP forbids eval
    page.locator("form.ballot button[type=submit]").click()
    assert page.locator("#receipt").inner_text()
    budget = Budget.objects.get(process__slug="toulouse-budget-2027")
    assert Ballot.objects.filter(budget=budget, on_paper=False).count() == 1

    # The vote closes: its dates pass. Then an official counts it.
    from datetime import timedelta

    from django.utils import timezone

    shift = budget.process.phases.get(kind="voting").ends_at - timezone.now() + timedelta(minutes=1)
    for phase in budget.process.phases.all():
        Phase.objects.filter(pk=phase.pk).update(starts_at=phase.starts_at - shift, ends_at=phase.ends_at - shift)
    official = User.objects.get(email="official@demo.comuna.city")
    give_mfa(official)
    staff = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    sign_in(staff, "official@demo.comuna.city", DEMO_PASSWORD)
    staff.goto("/processes/toulouse-budget-2027/budget/")
    staff.get_by_role("button", name="Clore et dépouiller le vote").click()
    result = staff.locator("#result").inner_text()
    assert "Pourquoi chaque projet a été financé ou non" in result
    assert "Financé au tour 1" in result
    assert staff.locator("#money-title").text_content().startswith("Comment le budget est dépensé")
