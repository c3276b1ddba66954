"""A person's journeys through the foundation, in a real browser."""

import re

from django.core import mail

from comuna.demo import DEMO_PASSWORD


def test_sign_up_verify_email_and_sign_in(page, demo, sign_in):
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "newcomer@example.org")
    page.fill("input[name=password1]", "a very good password 7")
    page.fill("input[name=password2]", "a very good password 7")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto("/" + link.split("/", 3)[3])
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.goto("/me/")
    if "/accounts/login/" in page.url:
        sign_in(page, "newcomer@example.org", "a very good password 7")
        page.goto("/me/")
    assert page.locator("h1").inner_text() == "My account"


def test_language_switcher_in_three_languages(page, demo):
    page.goto("/spheres/")
    assert page.locator("h1").inner_text() == "Spheres of government"
    page.select_option("#language-select", "fr")
    with page.expect_navigation():
        page.locator("form.language button").click()
    assert page.locator("h1").inner_text() == "Sphères de gouvernement"
    assert page.locator("html").get_attribute("lang") == "fr"
    page.select_option("#language-select", "es")
    with page.expect_navigation():
        page.locator("form.language button").click()
    assert page.locator("h1").inner_text() == "Esferas de gobierno"


def test_resident_finds_the_competent_sphere(page, demo):
    page.goto("/spheres/capitole/")
    page.select_option("select[name=function]", "05.1")
    page.get_by_role("button", name="Find the competent sphere").click()
    result = page.locator(".result").inner_text()
    assert "Toulouse Metropole" in result
    page.get_by_role("link", name=re.compile("Toulouse Metropole")).last.click()
    assert page.locator("h1").inner_text() == "Toulouse Metropole"


def test_official_hands_out_a_code_that_a_resident_redeems(browser, live_server, demo, sign_in):
    from comuna.accounts.models import User
    from conftest import give_mfa

    official = User.objects.get(email="official@demo.comuna.city")
    give_mfa(official)
    staff = browser.new_context(base_url=live_server.url).new_page()
    sign_in(staff, "official@demo.comuna.city", DEMO_PASSWORD)
    staff.goto("/spheres/toulouse/manage/")
    staff.fill("input[name=count]", "1")
    staff.get_by_role("button", name="Issue codes").click()
    code = staff.locator("ol.codes code").first.inner_text()
    resident = browser.new_context(base_url=live_server.url).new_page()
    sign_in(resident, "sam@demo.comuna.city", DEMO_PASSWORD)
    resident.goto("/me/")
    resident.fill("input[name=code]", code)
    resident.get_by_role("button", name="Verify").click()
    assert "You are now a verified resident of Toulouse" in resident.locator(".messages").inner_text()
