"""The federation page of a sphere: accessible (axe-core), fits a phone, and an official's follow form answers."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from browser.pagecheck import serious
from comuna.demo import DEMO_PASSWORD
from conftest import TOTP_SECRET

PATH = "/spheres/toulouse/federation/"


def test_the_federation_page_is_accessible_for_visitors_and_officials(page, demo, sign_in):
    axe = Axe()
    assert page.goto(PATH).status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("Toulouse")
    assert serious(axe.run(page)) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    from allauth.mfa.models import Authenticator

    from comuna.accounts.models import User

    Authenticator.objects.get_or_create(user=User.objects.get(email="admin@demo.comuna.city"),
                                        type=Authenticator.Type.TOTP, defaults={"data": {"secret": TOTP_SECRET}})
    sign_in(page, "admin@demo.comuna.city", DEMO_PASSWORD)
    page.goto(PATH)
    assert serious(axe.run(page)) == []
    page.get_by_label("Handle of the sphere to follow").fill("not a handle")
    page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.get_by_text("Write the handle as name@host")).to_be_visible()
