"""Opening a conversation (officials and mediators only, optionally inside a process), the sphere's list, and the
demo's conversation, register and case."""

from __future__ import annotations

from comuna.conversations.models import Conversation, MediationCase, TensionReport
from comuna.participation.services import build_process


def test_an_official_opens_a_conversation_inside_a_process(signed_in, people, tree):
    process = build_process(tree["city"], actor=people["admin"], slug="city-decides", title_en="City decides",
                            template="consultation")
    assert signed_in(people["resident"]).get("/spheres/city/conversations/new/").status_code == 404
    client = signed_in(people["official"])
    response = client.post("/spheres/city/conversations/new/", {
        "topic": "What should the riverbank become?", "slug": "riverbank", "process": process.pk,
        "strict_moderation": "on"})
    conversation = Conversation.objects.get()
    assert response["Location"] == "/conversations/riverbank/"
    assert (conversation.process, conversation.strict_moderation, conversation.sphere) == (process, True, tree["city"])
    page = client.get("/conversations/riverbank/").content.decode()
    assert "City decides" in page and "No statements yet" in page
    listed = client.get("/spheres/city/conversations/").content.decode()
    assert "What should the riverbank become?" in listed


def test_a_taken_short_name_is_refused(signed_in, people, conversation):
    response = signed_in(people["official"]).post("/spheres/city/conversations/new/", {
        "topic": "Another question on the square?", "slug": "the-square"}, follow=True)
    assert "The short name “the-square” is already used." in response.content.decode()
    assert Conversation.objects.count() == 1


def test_the_demo_has_the_conversation_the_register_and_a_case(client, db):
    from comuna.conversations.demo import SLUG
    from comuna.demo import load_demo as load_site_demo

    load_site_demo()
    page = client.get(f"/conversations/{SLUG}/").content.decode()
    assert "Group A: 20 people" in page and "The square needs more shade in summer." in page
    case = MediationCase.objects.get()
    assert case.conversations.get().slug == SLUG
    assert TensionReport.objects.filter(author__isnull=True).count() == 3
    client.login(email="mediator@demo.comuna.city", password="comuna-demo-2026")
    register = client.get("/spheres/toulouse/tensions/").content.decode()
    assert "The future of the Saint-Cyprien market square" in register
