"""The opinion map page on the demo's synthetic conversation (two camps and shared ground), the map kept up to date
as votes arrive, and the Pol.is export read back by comuna.opinion's reader."""

from __future__ import annotations

import io
import zipfile

from comuna.conversations import services
from comuna.conversations.maps import opinion_map
from comuna.conversations.models import MapState, Moderation, Statement, VoteEvent
from comuna.opinion import read_polis_export


def test_the_map_page_shows_two_groups_and_the_consensus(client, demo_like):
    page = client.get(f"/conversations/{demo_like.slug}/").content.decode()
    assert '<svg id="opinion-map"' in page
    assert "Group A: 20 people" in page and "Group B: 20 people" in page
    assert page.count('<circle cx=') == 40
    consensus = page.split('<ul id="consensus">')[1].split("</ul>")[0]
    assert "The square needs more shade in summer." in consensus and "% agree" in consensus
    assert "The square is fine as it is and nothing should change." in consensus and "% disagree" in consensus
    divisive = page.split('<ul id="divisive">')[1].split("</ul>")[0]
    assert "“" in divisive and "shade in summer" not in divisive


def test_where_i_stand_is_highlighted_once_i_have_voted_enough(signed_in, people, demo_like):
    client = signed_in(people["resident"])
    assert 'id="where-i-stand"' not in client.get(f"/conversations/{demo_like.slug}/").content.decode()
    # Vote like the "garden" camp on every statement.
    garden = {5, 6, 7, 8, 9, 10, 11, 12}
    for statement in Statement.objects.filter(conversation=demo_like):
        client.post(f"/conversations/{demo_like.slug}/vote/",
                    {"statement": statement.number, "vote": 1 if statement.number in garden else -1})
    page = client.get(f"/conversations/{demo_like.slug}/").content.decode()
    assert 'id="where-i-stand"' in page and '<g id="me">' in page
    me = services.participant_for(people["resident"], demo_like)
    map_ = opinion_map(demo_like)
    garden_group = map_.groups()[1]  # participant 1 is in the garden camp
    assert map_.groups()[me.number] == garden_group


def test_the_stored_map_folds_in_new_votes_and_moderation(people, demo_like, signed_in):
    state = MapState.objects.get(conversation=demo_like)
    last = state.last_event_id
    client = signed_in(people["resident"])
    client.post(f"/conversations/{demo_like.slug}/vote/", {"statement": 0, "vote": 1})
    map_ = opinion_map(demo_like)
    state.refresh_from_db()
    assert state.last_event_id == VoteEvent.objects.latest("id").id > last
    assert me_in(map_, services.participant_for(people["resident"], demo_like).number)
    hidden = Statement.objects.get(conversation=demo_like, number=0)
    services.do_moderate_statement(people["moderator"], hidden, Moderation.HIDDEN)
    map_ = opinion_map(demo_like)
    assert 0 not in [s.statement_id for s in map_.consensus()["agree"] + map_.consensus()["disagree"]]
    assert map_.next_statement(999) != 0


def me_in(map_, number) -> bool:
    return number in map_.positions()


def test_export_round_trips_through_the_polis_reader(client, tmp_path, demo_like, people):
    hidden = Statement.objects.get(conversation=demo_like, number=3)
    services.do_moderate_statement(people["moderator"], hidden, Moderation.HIDDEN)
    response = client.get(f"/conversations/{demo_like.slug}/export.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["comments.csv", "participants-votes.csv", "summary.csv", "votes.csv"]
        archive.extractall(tmp_path)
    exported = read_polis_export(tmp_path)
    texts = {s.id: s.text for s in exported.statements}
    assert texts[0] == "The square should keep its market every morning, not only on Sundays."
    assert texts[3] == "" and {s.id: s.moderated for s in exported.statements}[3] == -1  # hidden: no text
    assert len(exported.votes) == 40 * 14
    assert exported.group_count == 2 and len({g for g in exported.groups.values() if g is not None}) == 2
    assert exported.summary["topic"] == demo_like.topic
    mine = opinion_map(demo_like)
    assert {p: g for p, g in exported.groups.items() if g is not None} == mine.groups()


def test_map_api(client, demo_like):
    data = client.get(f"/api/v1/conversations/{demo_like.slug}/map").json()
    assert [g["size"] for g in data["groups"]] == [20, 20]
    assert any(row["text"] == "The square needs more shade in summer." for row in data["consensus_agree"])
    statements = client.get(f"/api/v1/conversations/{demo_like.slug}/statements").json()
    assert len(statements) == 14
