"""Pages and API of the intercity system, as residents and officials would use them."""

from __future__ import annotations

import pytest

from comuna.intercity import declarations as d
from comuna.intercity import services
from comuna.intercity.models import Declaration, Policy, Ratification

from .conftest import policy_input

pytestmark = pytest.mark.django_db
TEXT = "We, cities of the network, commit to let residents decide on the public spaces of their neighbourhoods."


@pytest.fixture
def family(published, tree, officials):
    town = services.do_adopt_policy(published, tree["town"], policy_input(
        title="Superblocks for quieter streets", adaptation="Smaller blocks of four, our streets are narrow."),
        actor=officials["town"])
    return published, town


def test_the_library_searches_and_shows_facets(client, family):
    response = client.get("/policies/", {"q": "quieter"})
    page = response.content.decode()
    assert response.status_code == 200 and "1 policy found" in page
    assert "Superblocks for quieter streets" in page and "By goal" in page
    assert "2 policies found" in client.get("/policies/", {"goal": "11"}).content.decode()
    assert "0 policies found" in client.get("/policies/", {"goal": "1", "q": "quieter"}).content.decode()


def test_a_policy_page_shows_results_differences_and_the_diffusion_graph(client, family):
    original, town = family
    page = client.get(f"/policies/{town.pk}/").content.decode()
    assert "Differences from the original" in page and "<del>calmer</del>" in page and "<ins>quieter</ins>" in page
    page = client.get(f"/policies/{original.pk}/").content.decode()
    assert "Nitrogen dioxide" in page and "11.2" in page
    graph = client.get(f"/policies/{town.pk}/diffusion/").content.decode()
    assert "<svg" in graph and graph.count("<rect") == 2 and "<path" in graph and "Town" in graph
    svg = client.get(f"/policies/{town.pk}/diffusion.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b'xmlns="http://www.w3.org/2000/svg"' in svg.content


def test_an_official_publishes_and_adopts_through_the_forms(signed_in, tree, officials, published):
    client = signed_in(officials["town"])
    response = client.post(f"/policies/{published.pk}/adopt/", {
        "sphere": "town", "adaptation": "We kept it but with fewer streets.", "title": "Town superblocks",
        "problem": "Through traffic in the old town.", "measures": "Two streets closed to through traffic.",
        "languages": "en, fr", "indicators": "Cars a day; 4000; 1500; cars; 2025",
        "documents": "Plan | https://town.example/plan.pdf", "sdg_targets": ["11.2"]})
    adopted = Policy.objects.get(sphere=tree["town"])
    assert response.status_code == 302 and adopted.parent == published and adopted.languages == ["en", "fr"]
    assert adopted.indicators.get().year == 2025
    response = client.post("/spheres/town/policies/new/", {"title": "Bad", "problem": "x", "measures": "y",
                                                           "documents": "not a link"})
    assert response.status_code == 200 and Policy.objects.count() == 2
    assert signed_in(officials["elsewhere"]).get("/spheres/town/policies/new/").status_code == 403


def test_declaration_page_shows_member_statuses_and_officials_decide(signed_in, client, tree, officials):
    declaration = d.do_create_declaration(tree["net"], title="Declaration", text=TEXT, actor=officials["net"])
    d.do_open_ratification(declaration, quorum_count=2, actor=officials["net"])
    town = signed_in(officials["town"])
    response = town.post(f"/declarations/{declaration.pk}/decision/", {"sphere": "town", "decision": "ratify"})
    assert response.status_code == 302
    page = town.get(f"/declarations/{declaration.pk}/").content.decode()
    assert "1 of 2 members ratified; 2 needed for adoption." in page
    assert "Ratified" in page and "Not decided yet" in page
    response = town.post(f"/declarations/{declaration.pk}/decision/", {"sphere": "town", "decision": "reject"},
                         follow=True)
    assert "Town has already decided on this declaration." in response.content.decode()
    assert Ratification.objects.get(sphere=tree["town"]).decision == "ratify"


def test_residents_vote_through_the_page(signed_in, tree, officials, people):
    declaration = d.do_create_declaration(tree["net"], title="Declaration", text=TEXT, actor=officials["net"])
    d.do_open_ratification(declaration, quorum_count=2, actor=officials["net"])
    city = signed_in(officials["city"])
    assert city.post(f"/declarations/{declaration.pk}/vote/", {"sphere": "city", "days": "7"}).status_code == 302
    ratification = Ratification.objects.get(sphere=tree["city"])
    resident = signed_in(people["resident"])
    response = resident.post(f"/ratifications/{ratification.pk}/vote/", {"choice": "yes"}, follow=True)
    assert "Your vote is counted." in response.content.decode()
    assert "You have voted." in resident.get(f"/ratifications/{ratification.pk}/vote/").content.decode()


def test_api_search_detail_and_lineage(client, family):
    original, town = family
    body = client.get("/api/v1/intercity/policies", {"q": "superblocks", "language": "es"}).json()
    assert body["count"] == 2 and {f["value"] for f in body["facets"]["goal"]} == {"3", "11"}
    detail = client.get(f"/api/v1/intercity/policies/{town.pk}").json()
    assert detail["parent"] == original.pk and detail["results"][0]["name"] == "Nitrogen dioxide"
    lineage = client.get(f"/api/v1/intercity/policies/{town.pk}/lineage").json()
    assert lineage["root"] == original.pk and [n["generation"] for n in lineage["nodes"]] == [0, 1]
    missing = client.get("/api/v1/intercity/policies/999999")
    assert missing.status_code == 404 and set(missing.json()) == {"code", "message", "details"}


def test_api_ratification_decision_with_precise_errors(signed_in, client, tree, officials, people):
    declaration = d.do_create_declaration(tree["net"], title="Declaration", text=TEXT, actor=officials["net"])
    url = f"/api/v1/intercity/declarations/{declaration.pk}/decisions"
    town = signed_in(officials["town"])
    response = town.post(url, {"sphere": "town", "decision": "ratify"}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "not_open"
    d.do_open_ratification(declaration, quorum_count=1, actor=officials["net"])
    response = town.post(url, {"sphere": "nowhere", "decision": "ratify"}, content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "unknown_sphere"
    response = town.post(url, {"sphere": "city", "decision": "ratify"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    response = town.post(url, {"sphere": "town", "decision": "ratify"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "adopted"
    again = town.post(url, {"sphere": "town", "decision": "reject"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_decided"
    body = client.get(f"/api/v1/intercity/declarations/{declaration.pk}").json()
    assert {m["label"]: m["decision"] for m in body["members"]} == {"City": "pending", "Town": "ratify"}
    assert Declaration.objects.get(pk=declaration.pk).status == "adopted"
    client.logout()
    anonymous = client.post(url, {"sphere": "town", "decision": "ratify"}, content_type="application/json")
    assert anonymous.status_code == 401
