"""Subsidiarity in action: a proposal filed at a sphere without the competence, and referrals between spheres."""

import pytest

from comuna.core.errors import DomainError, NotAllowed
from comuna.participation import services
from comuna.participation.models import Proposal, Referral
from comuna.spheres.models import Function
from comuna.spheres.services import do_set_competence


@pytest.fixture
def waste(tree):
    function = Function.objects.get(pk="05.1")
    do_set_competence(tree["metro"], function, "shared")
    return function


def test_the_competent_sphere_is_named_when_filing(process, waste, tree):
    routing = services.routing_for(process, waste)
    assert routing.sphere == tree["metro"]


def test_filing_page_offers_the_competent_sphere(signed_in, people, process, waste, tree):
    metro_process = services.build_process(tree["metro"], actor=people["admin"], slug="metro-talks",
                                           template="consultation", title_en="Metro talks",
                                           starts_at=process.phases.first().starts_at)
    client = signed_in(people["resident"])
    page = client.post("/processes/city-decides/proposals/new/", {
        "title": "Compost bins in every courtyard", "body": "Compost bins would cut the weight of the bins by a third.",
        "function": "05.1"}).content.decode()
    assert "the lowest sphere above it that does is Metro" in page
    assert f"/processes/{metro_process.slug}/proposals/new/" in page
    assert not Proposal.objects.exists(), "nothing is filed until the resident chooses"
    client.post("/processes/city-decides/proposals/new/", {
        "title": "Compost bins in every courtyard", "body": "Compost bins would cut the weight of the bins by a third.",
        "function": "05.1", "confirm": "here"})
    assert Proposal.objects.get().sphere == tree["city"]


def test_official_refers_a_proposal_keeping_its_supports(process, people, tree, waste):
    from conftest import make_person

    proposal = services.do_create_proposal(people["resident"], process, title="Compost bins in courtyards",
                                           body="Compost bins would cut the weight of the bins by a third.",
                                           function=waste)
    services.do_support(make_person("s@example.org", residency=tree["city"]), proposal)
    with pytest.raises(DomainError) as error:
        services.do_refer(people["official"], proposal, tree["metro"], "too short")
    assert error.value.code == "reason_required"
    with pytest.raises(DomainError) as error:
        services.do_refer(people["official"], proposal, tree["net"], "Waste collection is the metropolitan area's.")
    assert error.value.code == "refer_to_network"
    with pytest.raises(NotAllowed):
        services.do_refer(people["resident"], proposal, tree["metro"], "Waste collection is the metropolitan area's.")
    services.do_refer(people["official"], proposal, tree["metro"], "Waste collection is the metropolitan area's.")
    proposal.refresh_from_db()
    assert proposal.sphere == tree["metro"] and proposal.support_count == 1
    referral = Referral.objects.get()
    assert (referral.from_sphere, referral.to_sphere) == (tree["city"], tree["metro"])
    # now the city's official may no longer answer; the metro's officials must
    with pytest.raises(NotAllowed):
        services.do_answer(people["official"], proposal, status="accepted", text="We will do it next spring.")


def test_referral_to_a_missing_sphere_over_the_api(client, people, process):
    import json

    from comuna.accounts.services import do_create_api_token

    proposal = services.do_create_proposal(people["resident"], process, title="Compost bins in courtyards",
                                           body="Compost bins would cut the weight of the bins by a third.")
    _, token = do_create_api_token(people["official"], "desk")
    response = client.post(f"/api/v1/participation/proposals/{proposal.pk}/referrals",
                           json.dumps({"to_sphere": "atlantis", "reason": "Because it is theirs to decide."}),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404 and response.json()["code"] == "unknown_sphere"
    assert not Referral.objects.exists()
