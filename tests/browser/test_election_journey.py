"""A resident ranks candidates with the keyboard, gets a receipt and checks it; anyone reads a counted election."""

from axe_playwright_python.sync_playwright import Axe

from comuna.demo import DEMO_PASSWORD


def test_rank_vote_and_check_the_receipt(page, demo, sign_in):
    sign_in(page, "lea@demo.comuna.city", DEMO_PASSWORD)
    page.goto("/elections/capitole-council-2026/")
    violations = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert violations == []
    page.get_by_label("Louise Garcia").fill("1")
    page.keyboard.press("Tab")
    page.keyboard.type("2")  # the next candidate's box, reached with the keyboard
    page.get_by_label("Paul Lefèvre").fill("3")
    page.get_by_role("button", name="Cast my ballot").click()
    receipt = page.locator("#receipt").inner_text()
    page.goto("/elections/capitole-council-2026/")
    assert "You have voted in this election." in page.locator("main").inner_text()
    page.get_by_label("Your receipt").fill(receipt)
    page.get_by_role("button", name="Check my ballot").click()
    assert "Your ballot is in the ballot box." in page.locator(".messages").inner_text()

    from comuna.representation.models import Ballot, Election

    ballot = Ballot.objects.get(election=Election.objects.get(slug="capitole-council-2026"))
    assert ballot.rankings == [3, 4, 6]  # Louise, then Marc (the box after hers), then Paul


def test_read_a_counted_election_in_spanish(browser, live_server, demo):
    page = browser.new_context(base_url=live_server.url, locale="es-ES").new_page()
    page.goto("/elections/gracia-youth-council-2026/")
    elected = page.locator("ol.elected li").all_inner_texts()
    assert len(elected) == 2
    assert "Etapa 1" in page.locator("#result table").inner_text()
    assert page.locator("#result svg title").text_content().strip()
    blt = page.request.get(page.url + "ballots.blt")
    from comuna.choice.stv import parse_blt

    assert blt.ok and parse_blt(blt.text()).ballot_count == 120  # every demo ballot, anonymised
