"""A resident votes in the demo conversation on a phone, one statement at a time, and sees the opinion map: two
groups, the statements everyone agrees on, and where they stand."""

from comuna.demo import DEMO_PASSWORD


def test_conversation_journey(page, demo, sign_in):
    from comuna.conversations.demo import SLUG, STATEMENTS

    sign_in(page, "amina@demo.comuna.city", DEMO_PASSWORD)
    page.goto(f"/conversations/{SLUG}/")
    assert page.get_by_role("heading", level=1).inner_text() == "How should the Saint-Cyprien market square be used?"

    # Vote on every statement, as the garden camp would, by the buttons (no JavaScript needed).
    garden = {text for text, camp in STATEMENTS if camp in ("garden", None)}
    for count in range(len(STATEMENTS)):
        statement = page.locator("#statement").inner_text().strip()
        choice = "Agree" if statement in garden else "Disagree"
        with page.expect_navigation():
            page.get_by_role("button", name=choice, exact=True).click()
        assert "Vote counted" in page.locator(".messages").inner_text(), count
    assert "You have voted on every statement" in page.locator("#vote").inner_text()

    # The map: two groups, where I stand, and the common ground.
    assert page.locator("#opinion-map circle").count() >= 41
    assert page.locator("#me").count() == 1
    assert "You stand in group" in page.locator("#where-i-stand").inner_text()
    assert page.locator("h4", has_text="Group A").count() == 1 and page.locator("h4", has_text="Group B").count() == 1
    assert "The square needs more shade in summer." in page.locator("#consensus").inner_text()
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The report page shows the same map and every statement's counts.
    page.goto(f"/conversations/{SLUG}/report/")
    assert page.locator("#opinion-map").count() == 1
    assert page.locator("table tbody tr").count() == len(STATEMENTS)


def test_conversation_pages_have_no_serious_accessibility_violations(page, demo, sign_in):
    from axe_playwright_python.sync_playwright import Axe

    from comuna.conversations.demo import SLUG
    from comuna.conversations.models import MediationCase, TensionReport

    case, report = MediationCase.objects.get(), TensionReport.objects.first()
    axe = Axe()

    def check(paths):
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            violations = [f"{v['id']}: {v['help']}" for v in axe.run(page).response["violations"]
                          if v["impact"] in ("serious", "critical")]
            assert violations == [], path
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path

    check([f"/conversations/{SLUG}/", f"/conversations/{SLUG}/report/", "/spheres/toulouse/conversations/"])
    sign_in(page, "mediator@demo.comuna.city", DEMO_PASSWORD)
    check([f"/conversations/{SLUG}/", "/spheres/toulouse/tensions/report/", "/spheres/toulouse/tensions/",
           case.get_absolute_url(), report.get_absolute_url(), f"/conversations/{SLUG}/moderation/"])


def test_an_official_imports_a_pol_is_export_and_sees_its_map(page, demo, sign_in, tmp_path):
    """A broken votes.csv is refused with its file, line and reason; the real export then opens a conversation
    whose map shows Pol.is's two groups. The import page passes axe on a phone."""
    from pathlib import Path

    import pytest
    from axe_playwright_python.sync_playwright import Axe

    export = Path("/work/shared/data/polis/brexit-consensus")
    if not export.exists():
        pytest.skip("the Pol.is open data is not on this machine")
    files = [export / name for name in ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")]
    broken = tmp_path / "votes.csv"
    lines = (export / "votes.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    broken.write_text("".join([lines[0], lines[1].rsplit(",", 1)[0] + ",yes\n", *lines[2:]]), encoding="utf-8")

    from comuna.accounts.models import User
    from conftest import give_mfa

    official = User.objects.get(email="official@demo.comuna.city")  # officials act with two-factor sign-in
    give_mfa(official)
    sign_in(page, "official@demo.comuna.city", DEMO_PASSWORD)
    page.goto("/spheres/toulouse/conversations/")
    page.get_by_role("link", name="Import a Pol.is conversation").click()
    violations = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert violations == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_label("Short name in the address").fill("brexit-labour")
    page.locator("input[name=files]").set_input_files([files[0], broken, *files[2:]])
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
    alert = page.get_by_role("alert").inner_text()
    assert "votes.csv, line 2" in alert and "“yes” is not 1 (agree), -1 (disagree) or 0 (pass)" in alert

    page.locator("input[name=files]").set_input_files(files)
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
    assert page.url.endswith("/conversations/brexit-labour/")
    assert "Imported: 50 statements" in page.locator(".messages").inner_text()
    assert page.locator("h4", has_text="Group A").count() == 1 and page.locator("h4", has_text="Group B").count() == 1
