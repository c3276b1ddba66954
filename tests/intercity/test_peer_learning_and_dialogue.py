"""Peer learning (help requests, mentoring offers, recorded sessions) and dialogue between spheres."""

from __future__ import annotations

from datetime import date

import pytest

from comuna.audit.models import Event
from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.intercity import services
from comuna.intercity.models import Dialogue, ExchangeSession, HelpRequest, MentorOffer

pytestmark = pytest.mark.django_db


@pytest.fixture
def help_request(tree, officials):
    return services.do_ask_for_help(tree["town"], title="Setting up a participatory budget",
                                    details="We have never run one and want residents to vote in spring.",
                                    actor=officials["town"])


def test_a_sphere_asks_another_mentors_and_the_exchange_is_recorded(help_request, tree, officials):
    offer = services.do_offer_mentoring(help_request, tree["city"], message="We ran four editions; happy to help.",
                                        actor=officials["city"])
    services.do_accept_offer(offer, actor=officials["town"])
    help_request.refresh_from_db()
    assert help_request.status == "matched" and MentorOffer.objects.get(pk=offer.pk).status == "accepted"
    offer.refresh_from_db()
    session = services.do_record_session(offer, tree["city"], held_on=date(2026, 3, 1),
                                         notes="Walked through our rulebook and ballot design.",
                                         actor=officials["city"])
    assert session.offer == offer
    assert [e.action for e in Event.objects.order_by("sequence") if e.action.startswith("intercity.")] == [
        "intercity.help_requested", "intercity.mentor_offered", "intercity.mentor_accepted",
        "intercity.exchange_recorded"]


def test_peer_learning_refusals(help_request, tree, officials, people):
    with pytest.raises(NotAllowed):
        services.do_ask_for_help(tree["town"], title="x", details="details enough", actor=people["resident"])
    with pytest.raises(DomainError) as refused:
        services.do_offer_mentoring(help_request, tree["town"], message="We help ourselves.",
                                    actor=officials["town"])
    assert refused.value.code == "mentor_self"
    offer = services.do_offer_mentoring(help_request, tree["city"], message="We ran four editions.",
                                        actor=officials["city"])
    with pytest.raises(Conflict) as refused:
        services.do_offer_mentoring(help_request, tree["city"], message="Again, we can help.",
                                    actor=officials["city"])
    assert refused.value.code == "already_offered"
    with pytest.raises(Conflict) as refused:
        services.do_record_session(offer, tree["city"], held_on=date(2026, 3, 1), notes="Too early to record.",
                                   actor=officials["city"])
    assert refused.value.code == "offer_not_accepted"
    with pytest.raises(NotAllowed):  # only the asking sphere accepts
        services.do_accept_offer(offer, actor=officials["city"])
    services.do_accept_offer(offer, actor=officials["town"])
    offer.refresh_from_db()
    with pytest.raises(NotAllowed) as refused:
        services.do_record_session(offer, tree["elsewhere"], held_on=date(2026, 3, 1), notes="We were not there.",
                                   actor=officials["elsewhere"])
    assert refused.value.code == "not_in_exchange"
    with pytest.raises(Conflict) as refused:
        services.do_offer_mentoring(HelpRequest.objects.get(pk=help_request.pk), tree["elsewhere"],
                                    message="Late offer to help.", actor=officials["elsewhere"])
    assert refused.value.code == "help_not_open"
    assert not ExchangeSession.objects.exists()


def test_a_dialogue_between_spheres_with_official_positions(tree, officials, people):
    dialogue = services.do_start_dialogue(tree["city"], title="Night buses", others=[tree["region"]],
                                          body="Our residents ask for night buses to the region's towns.",
                                          actor=officials["city"])
    assert set(dialogue.spheres.all()) == {tree["city"], tree["region"]}
    services.do_post_message(dialogue, tree["region"], body="The region will fund two lines from 2027.",
                             is_position=True, actor=officials["region"])
    rows = {row["sphere"]: row["position"] for row in services.positions(dialogue)}
    assert rows[tree["city"]] is None and rows[tree["region"]].body.startswith("The region will fund")
    assert Event.objects.filter(action="intercity.dialogue_position").count() == 1
    with pytest.raises(NotAllowed) as refused:
        services.do_post_message(dialogue, tree["town"], body="We want in.", actor=officials["town"])
    assert refused.value.code == "not_in_dialogue"
    with pytest.raises(NotAllowed) as refused:
        services.do_post_message(dialogue, tree["city"], body="I am a resident.", actor=people["resident"])
    assert refused.value.code == "forbidden"
    with pytest.raises(DomainError) as refused:
        services.do_start_dialogue(tree["city"], title="Alone", others=[tree["city"]], body="Talking to myself.",
                                   actor=officials["city"])
    assert refused.value.code == "dialogue_needs_others"
    assert dialogue.messages.count() == 2 and Dialogue.objects.count() == 1


def test_a_dialogue_on_a_referral_is_shown_with_the_proposal(tree, officials, people):
    from comuna.participation.models import Process, Proposal, Referral

    process = Process.objects.create(sphere=tree["city"], slug="p", title_en="P", template="consultation")
    proposal = Proposal.objects.create(process=process, sphere=tree["region"], author=people["resident"],
                                       title="Night buses", body="Please run night buses.")
    referral = Referral.objects.create(proposal=proposal, from_sphere=tree["city"], to_sphere=tree["region"],
                                       reason="Buses are the region's competence.")
    dialogue = services.do_start_dialogue(tree["city"], title="Night buses", others=[tree["region"]],
                                          body="We referred this to you; can we talk?", actor=officials["city"],
                                          referral=referral)
    assert services.dialogues_for_proposal(proposal.pk) == [{
        "title": "Night buses", "url": dialogue.get_absolute_url(), "spheres": ["City", "Region"], "messages": 1}]
    assert services.dialogues_for_proposal(proposal.pk + 1) == []
    with pytest.raises(DomainError) as refused:
        services.do_start_dialogue(tree["town"], title="x", others=[tree["elsewhere"]], body="Unrelated talk.",
                                   actor=officials["town"], referral=referral)
    assert refused.value.code == "referral_unrelated"


def test_the_proposal_include_lists_dialogues_and_offers_one_on_a_referral(tree, officials):
    from django.template.loader import render_to_string

    html = render_to_string("intercity/_proposal_dialogues.html", {
        "dialogues": [{"title": "Night buses", "url": "/dialogues/7/", "spheres": ["City", "Region"], "messages": 2}],
        "referral": type("Referral", (), {"pk": 5})()})
    assert '<a href="/dialogues/7/">Night buses</a>' in html and "City, Region · 2 messages" in html
    assert "/dialogues/new/?referral=5" in html
    assert render_to_string("intercity/_proposal_dialogues.html", {"dialogues": []}).strip() == ""
