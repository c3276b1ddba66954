"""Voting rules, as a resident meets them on the page and through the API: one vote per statement (a later vote
replaces it), hidden statements and closed conversations refused with a precise message, the strict moderation
queue, and who may take part."""

from __future__ import annotations

import json

from comuna.accounts.services import do_create_api_token
from comuna.conversations import services
from comuna.conversations.models import Moderation, Statement, Vote, VoteEvent


def _vote(client, number, value, slug="the-square"):
    return client.post(f"/conversations/{slug}/vote/", {"statement": number, "vote": value}, follow=True)


def test_a_later_vote_replaces_the_earlier_one(signed_in, people, conversation):
    client = signed_in(people["resident"])
    page = client.get("/conversations/the-square/").content.decode()
    assert "What do you think?" in page and 'name="vote" value="1"' in page
    response = _vote(client, 0, 1)
    assert "Vote counted" in response.content.decode()
    response = _vote(client, 0, -1)
    votes = Vote.objects.filter(statement__number=0)
    assert [(v.participant.user, v.value) for v in votes] == [(people["resident"], -1)]
    assert list(VoteEvent.objects.values_list("value", flat=True)) == [1, -1]  # the history is kept
    report = client.get("/conversations/the-square/report/").content.decode()
    assert "<td>0</td><td>1</td><td>0</td>" in report.replace("\n", "")  # 0 agree, 1 disagree, 0 pass


def test_the_next_statement_is_one_not_yet_voted(signed_in, people, conversation):
    client = signed_in(people["resident"])
    seen = []
    for _ in range(3):
        participant = services.participant_for(people["resident"], conversation)
        statement = services.next_statement(conversation, participant)
        assert statement.number not in seen
        seen.append(statement.number)
        _vote(client, statement.number, 0)
    assert sorted(seen) == [0, 1, 2]
    page = client.get("/conversations/the-square/").content.decode()
    assert "You have voted on every statement" in page


def test_a_vote_on_a_hidden_statement_is_refused(signed_in, people, conversation):
    statement = Statement.objects.get(conversation=conversation, number=1)
    services.do_moderate_statement(people["moderator"], statement, Moderation.HIDDEN)
    response = _vote(signed_in(people["resident"]), 1, 1)
    assert "Statement 1 was hidden by the moderators: it no longer takes votes." in response.content.decode()
    assert not Vote.objects.exists() and not VoteEvent.objects.exists()


def test_a_vote_in_a_closed_conversation_is_refused(signed_in, people, conversation):
    official = signed_in(people["official"])
    official.post("/conversations/the-square/close/")
    conversation.refresh_from_db()
    assert not conversation.is_open
    response = _vote(signed_in(people["resident"]), 0, 1)
    assert "This conversation closed on" in response.content.decode()
    assert "it no longer takes votes or statements" in response.content.decode()
    assert not Vote.objects.exists()


def test_strict_moderation_queues_new_statements(signed_in, people, strict):
    resident = signed_in(people["resident"])
    response = resident.post("/conversations/strict-one/statements/", {"text": "Open the square to markets."},
                             follow=True)
    assert "Your statement is waiting for a moderator." in response.content.decode()
    statement = Statement.objects.get(conversation=strict)
    assert statement.moderation == Moderation.UNMODERATED
    assert "Open the square to markets." not in resident.get("/conversations/strict-one/").content.decode()
    response = _vote(resident, statement.number, 1, slug="strict-one")
    assert "Statement 0 is waiting for a moderator: it cannot be voted on yet." in response.content.decode()
    # The moderator sees the queue and accepts it; then it is the statement to vote on.
    moderator = signed_in(people["moderator"])
    queue = moderator.get("/conversations/strict-one/moderation/").content.decode()
    assert "Open the square to markets." in queue and "Not yet moderated" in queue
    moderator.post(f"/conversations/strict-one/moderation/{statement.number}/", {"decision": "accept"})
    statement.refresh_from_db()
    assert statement.moderation == Moderation.ACCEPTED
    page = resident.get("/conversations/strict-one/").content.decode()
    assert "Open the square to markets." in page
    assert "Vote counted" in _vote(resident, statement.number, 1, slug="strict-one").content.decode()


def test_only_moderators_moderate(signed_in, people, conversation):
    assert signed_in(people["resident"]).get("/conversations/the-square/moderation/").status_code == 404
    signed_in(people["resident"]).post("/conversations/the-square/moderation/0/", {"decision": "hide"})
    assert Statement.objects.get(conversation=conversation, number=0).moderation == Moderation.ACCEPTED


def test_statements_are_short_and_not_repeated(signed_in, people, conversation):
    client = signed_in(people["resident"])
    long_text = "x" * 141
    response = client.post("/conversations/the-square/statements/", {"text": long_text}, follow=True)
    assert "A statement has at most 140 characters; this one has 141." in response.content.decode()
    response = client.post("/conversations/the-square/statements/", {"text": "more trees on the square."},
                           follow=True)
    assert "This statement is already in the conversation" in response.content.decode()
    assert Statement.objects.filter(conversation=conversation).count() == 3


def test_who_may_vote(client, signed_in, people, conversation):
    response = client.post("/conversations/the-square/vote/", {"statement": 0, "vote": 1})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = _vote(signed_in(people["outsider"]), 0, 1)
    assert "Only verified residents of City can take part in this conversation." in response.content.decode()
    assert not Vote.objects.exists()


def test_vote_through_the_api(client, people, conversation):
    _, token = do_create_api_token(people["resident"], "app")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = "/api/v1/conversations/the-square/votes"
    first = client.post(url, json.dumps({"statement": 2, "vote": 1}), content_type="application/json", **auth)
    assert first.status_code == 201, first.content
    assert first.json()["next_statement"]["number"] in (0, 1)
    again = client.post(url, json.dumps({"statement": 2, "vote": 0}), content_type="application/json", **auth)
    assert again.status_code == 201 and Vote.objects.get().value == 0
    services.do_moderate_statement(people["moderator"], Statement.objects.get(number=1, conversation=conversation),
                                   Moderation.HIDDEN)
    hidden = client.post(url, json.dumps({"statement": 1, "vote": 1}), content_type="application/json", **auth)
    assert hidden.status_code == 409 and hidden.json()["code"] == "statement_hidden"
    missing = client.post(url, json.dumps({"statement": 9, "vote": 1}), content_type="application/json", **auth)
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_statement"
    bad = client.post(url, json.dumps({"statement": 0, "vote": 2}), content_type="application/json", **auth)
    assert bad.status_code == 400 and bad.json()["code"] == "bad_vote"
