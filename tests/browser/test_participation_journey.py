"""The whole journey of local democracy, in a real browser, in English and in French: a resident files a proposal,
neighbours support it up to the threshold, an official accepts it, it becomes a commitment whose progress is
updated; another proposal, filed at a sphere without the competence, is referred to the right one."""

import pytest

from comuna.demo import DEMO_PASSWORD

TEXTS = {
    "en-GB": {"published": "Your proposal is published.", "support": "Support this proposal",
              "counted": "Thank you: your support is counted.", "accepted": "Accepted",
              "referred": "The proposal was referred.", "lowest": "the lowest sphere above it that does is"},
    "fr-FR": {"published": "Votre proposition est publiée.", "support": "Soutenir cette proposition",
              "counted": "Merci : votre soutien est compté.", "accepted": "Acceptée",
              "referred": "La proposition a été transmise.", "lowest": "la sphère la plus proche au-dessus qui l’a est"},
}


@pytest.fixture
def official_with_mfa(demo):
    from comuna.accounts.models import User
    from conftest import give_mfa

    official = User.objects.get(email="official@demo.comuna.city")
    give_mfa(official)
    return official


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_local_democracy_journey(browser, live_server, demo, official_with_mfa, sign_in, locale):
    text = TEXTS[locale]

    def person(email):
        page = browser.new_context(base_url=live_server.url, locale=locale).new_page()
        page.set_default_timeout(15_000)
        sign_in(page, email, DEMO_PASSWORD)
        return page

    # A resident files a proposal.
    lea = person("lea@demo.comuna.city")
    lea.goto("/processes/toulouse-decides-2026/")
    lea.locator("a.button").click()
    title = f"Reading corners in every library ({locale})"
    lea.fill("#id_title", title)
    lea.fill("#id_body", "Quiet reading corners with good lamps and armchairs, open late on weekdays.")
    lea.select_option("#id_function", "08.2")
    lea.locator("main form button[type=submit]").click()
    assert text["published"] in lea.locator(".messages").inner_text()
    proposal_url = lea.url

    # Neighbours support it up to the threshold of three.
    for email in ["lea@demo.comuna.city", "hugo@demo.comuna.city", "amina@demo.comuna.city"]:
        page = lea if email.startswith("lea") else person(email)
        page.goto(proposal_url)
        page.get_by_role("button", name=text["support"]).click()
        assert text["counted"] in page.locator(".messages").inner_text()
    lea.reload()
    assert lea.locator("#support-count").inner_text() == "3"

    # An official answers and accepts: it becomes a commitment, whose progress is then updated.
    official = person("official@demo.comuna.city")
    official.goto(proposal_url)
    official.select_option("select[name=status]", "accepted")
    official.fill("textarea[name=text]", "The libraries will open reading corners from next month.")
    official.locator("form[action$='/answer/'] button").click()
    assert text["accepted"] in official.locator(".answer").inner_text()
    official.locator(".answer a").click()
    official.fill("input[name=progress]", "60")
    official.select_option("select[name=status]", "in_progress")
    official.fill("textarea[name=note]", "Six libraries out of ten have their corner.")
    official.locator("form[action$='/update/'] button").click()
    assert official.locator("#progress").inner_text() == "60%"
    lea.goto(official.url)
    assert "Six libraries out of ten" in lea.locator("main").inner_text()

    # A proposal filed at the wrong sphere: Comuna names the competent one, the resident files it here anyway,
    # and the official refers it to the metropolitan area.
    amina = person("amina@demo.comuna.city")
    amina.goto("/processes/toulouse-decides-2026/proposals/new/")
    amina.fill("#id_title", f"Glass recycling bins in every street ({locale})")
    amina.fill("#id_body", "Glass bins are too far apart: one in every street would double what is recycled.")
    amina.select_option("#id_function", "05.1")
    amina.locator("main form button[type=submit]").click()
    warning = amina.locator(".message.warning").inner_text()
    assert text["lowest"] in warning and "Toulouse" in warning
    assert amina.locator("a[href='/processes/metropole-en-commun/proposals/new/']").count() == 1
    amina.locator("main form button[type=submit]").click()
    assert text["published"] in amina.locator(".messages").inner_text()
    official.goto(amina.url)
    official.select_option("select[name=to_sphere]", "toulouse-metropole")
    official.fill("textarea[name=reason]", "Waste collection is the metropolitan area's competence.")
    official.locator("form[action$='/refer/'] button").click()
    assert text["referred"] in official.locator(".messages").inner_text()
    amina.reload()
    assert "Waste collection is the metropolitan area's competence." in amina.locator("main").inner_text()
    assert "/spheres/toulouse-metropole/" in amina.locator("dl.facts").inner_html()
