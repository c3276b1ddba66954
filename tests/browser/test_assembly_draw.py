"""An official runs the demo's public draw in the browser; anyone then reads the panel and the probabilities."""

from comuna.demo import DEMO_PASSWORD


def test_publish_probabilities_then_draw_and_read(browser, live_server, demo, sign_in):
    from comuna.accounts.models import User
    from conftest import give_mfa

    official = User.objects.get(email="official@demo.comuna.city")
    give_mfa(official)
    page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(page, "official@demo.comuna.city", DEMO_PASSWORD)
    page.goto("/assemblies/toulouse-climate-assembly/")
    page.get_by_role("button", name="Compute and publish the selection probabilities").click()
    assert page.locator("#probabilities tbody tr").count() == 60
    page.get_by_label("The seed from the announced public source").fill("5 17 23 38 49 * 3 11")
    page.get_by_role("button", name="Draw the panel").click()
    assert page.locator("#panel li").count() == 12

    reader = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    reader.goto("/assemblies/toulouse-climate-assembly/")
    assert reader.locator("#panel li").count() == 12
    assert reader.locator("#panel-heading").inner_text() == "Le panel"
    probabilities = [float(cell.replace(",", ".")) for cell in
                     reader.locator("#probabilities tbody tr td:nth-child(3)").all_inner_texts()]
    assert abs(sum(probabilities) - 12) < 0.05 and min(probabilities) > 0
