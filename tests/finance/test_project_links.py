"""Officials fund participatory-budget projects from budget lines, on the line's page and through the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from comuna.audit.models import Event
from comuna.budgeting.links import describe_project, project_ref, projects_for_sphere
from comuna.budgeting.models import Budget as PBBudget
from comuna.budgeting.models import Project
from comuna.finance.models import ProjectLink
from comuna.finance.selectors import funding_of
from comuna.participation.services import build_process
from conftest import make_person


def pb_project(sphere, admin, slug, title, status="feasible", private=False):
    process = build_process(sphere, actor=admin, slug=slug, template="participatory_budget", title_en=slug,
                            starts_at=timezone.now() - timedelta(days=66))
    if private:
        process.is_private = True
        process.save(update_fields=["is_private"])
    budget = PBBudget.objects.create(process=process, total=500_000)
    return Project.objects.create(budget=budget, title=title, description="A project.", cost=100_000, status=status)


@pytest.fixture
def trees(tree, people):
    return pb_project(tree["city"], people["admin"], "city-pb", "Trees on the boulevard")


@pytest.fixture
def school(small_budget):
    return small_budget.lines.get(code="E2")  # 2,000,000 planned


def test_budgeting_describes_its_projects_by_reference(tree, people, trees):
    ref = project_ref(trees)
    assert ref == f"city-pb/{trees.pk}"
    summary = describe_project(ref)
    assert summary.title == "Trees on the boulevard" and summary.url.endswith(f"#pb-project-{trees.pk}")
    assert describe_project(f"other-pb/{trees.pk}") is None and describe_project("nonsense") is None
    pb_project(tree["city"], people["admin"], "city-pb-old", "Refused idea", status="unfeasible")
    pb_project(tree["city"], people["admin"], "city-secret", "Private", private=True)
    pb_project(tree["town"], people["admin"], "town-pb", "Town square")
    assert [p.title for p in projects_for_sphere(tree["city"])] == ["Trees on the boulevard"]


def test_an_official_links_a_project_on_the_line_page_and_both_pages_show_it(client, signed_in, people, school,
                                                                              trees):
    page = signed_in(people["official"]).get(school.get_absolute_url())
    html = page.content.decode()
    assert "Fund a project from this line" in html and "Trees on the boulevard (city-pb)" in html
    response = client.post(f"/finance/lines/{school.pk}/projects/",
                           {"project": project_ref(trees), "amount": "120 000,50"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "The project is linked to this line." in html
    assert f'href="/processes/city-pb/budget/#pb-project-{trees.pk}"' in html and "120,000.50" in html
    link = ProjectLink.objects.get()
    assert link.amount == Decimal("120000.50") and link.project_ref == project_ref(trees)
    event = Event.objects.get(action="finance.project_linked")
    assert event.actor_ref and event.data["amount"] == "120000.50" and event.data["project"] == project_ref(trees)
    pb_page = client.get("/processes/city-pb/budget/").content.decode()
    assert "Funded from the budget:" in pb_page and f'href="/finance/lines/{school.pk}/"' in pb_page
    assert "E2 New school (City, 2025)" in pb_page
    assert funding_of([project_ref(trees)])[project_ref(trees)][0].amount == Decimal("120000.50")


@pytest.mark.parametrize("amount, message", [
    ("2000000.01", "Line E2 plans 2000000.00; 0.00 is already linked to projects, so 2000000.01 more would exceed it."),
    ("-5", "The amount must be positive"),
    ("lots", "The amount cannot be read"),
])
def test_a_bad_amount_is_refused_precisely_and_nothing_is_written(client, signed_in, people, school, trees, amount,
                                                                  message):
    signed_in(people["official"])
    response = client.post(f"/finance/lines/{school.pk}/projects/", {"project": project_ref(trees), "amount": amount})
    assert response.status_code in (400, 409) and message in response.content.decode()
    assert not ProjectLink.objects.exists() and not Event.objects.filter(action="finance.project_linked").exists()


def test_unknown_and_other_spheres_projects_are_refused(client, signed_in, people, tree, school):
    town_project = pb_project(tree["town"], people["admin"], "town-pb", "Town square")
    signed_in(people["official"])
    response = client.post(f"/finance/lines/{school.pk}/projects/", {"project": "city-pb/999", "amount": "10"})
    assert response.status_code == 404 and "There is no participatory-budget project city-pb/999." in (
        response.content.decode())
    response = client.post(f"/finance/lines/{school.pk}/projects/",
                           {"project": project_ref(town_project), "amount": "10"})
    assert response.status_code == 400
    assert "“Town square” belongs to another sphere" in response.content.decode()
    assert not ProjectLink.objects.exists()


def test_only_officials_with_mfa_may_link(client, signed_in, people, school, trees):
    without_mfa = make_person("nomfa@example.org", roles=[(school.budget.sphere, "official")])
    for user in (people["resident"], people["moderator"], without_mfa):
        signed_in(user)
        assert "Fund a project from this line" not in client.get(school.get_absolute_url()).content.decode() or (
            user is without_mfa)
        response = client.post(f"/finance/lines/{school.pk}/projects/",
                               {"project": project_ref(trees), "amount": "10"})
        assert response.status_code == 403
    assert not ProjectLink.objects.exists()
    assert client.logout() is None
    response = client.post(f"/finance/lines/{school.pk}/projects/", {"project": project_ref(trees), "amount": "10"})
    assert response.status_code == 302 and not ProjectLink.objects.exists()


def test_a_revenue_line_offers_no_link_form(signed_in, people, small_budget, trees):
    html = signed_in(people["official"]).get(small_budget.lines.get(code="R1").get_absolute_url()).content.decode()
    assert "Fund a project from this line" not in html


def test_the_api_links_and_lists_projects_with_precise_errors(client, signed_in, people, school, small_budget, trees):
    url = f"/api/v1/finance/lines/{school.pk}/projects"
    assert client.post(url, {"project": project_ref(trees), "amount": "10"},
                       content_type="application/json").status_code == 401
    signed_in(people["official"])
    response = client.post(url, {"project": project_ref(trees), "amount": "5000"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Trees on the boulevard" and response.json()["amount"] == "5000.00"
    again = client.post(url, {"project": project_ref(trees), "amount": "5000"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_linked"
    assert client.post(url, {"project": "x/1", "amount": "5"},
                       content_type="application/json").json()["code"] == "unknown_project"
    listed = client.get(url).json()
    assert listed == [{"line": "E2", "fiscal_year": 2025, "project": project_ref(trees),
                       "title": "Trees on the boulevard", "url": f"/processes/city-pb/budget/#pb-project-{trees.pk}",
                       "amount": "5000.00"}]
    document = client.get("/spheres/city/finance/2025.json").json()
    assert document["project_links"] == [{"line": "E2", "project": project_ref(trees), "amount": "5000.00"}]


def test_an_official_unlinks_a_project_and_others_cannot(client, signed_in, people, school, trees):
    from comuna.finance.services import link_project

    link = link_project(school, project_ref(trees), "1000")
    url = f"/finance/lines/{school.pk}/projects/{link.pk}/remove/"
    signed_in(people["resident"])
    assert client.post(url).status_code == 302 and ProjectLink.objects.count() == 1  # refused with a message
    signed_in(people["official"])
    assert f"Unlink {project_ref(trees)}" in client.get(school.get_absolute_url()).content.decode()
    page = client.post(url, follow=True).content.decode()
    assert "The project is no longer linked to this line." in page and not ProjectLink.objects.exists()
    event = Event.objects.get(action="finance.project_unlinked")
    assert event.data == {"line": "E2", "fiscal_year": 2025, "project": project_ref(trees), "amount": "1000.00"}
