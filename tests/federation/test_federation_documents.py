"""What other instances read: WebFinger, actor documents, outboxes, followers, NodeInfo; all ActivityStreams 2.0."""

from __future__ import annotations

import pytest

from comuna.federation import activities, signatures
from comuna.federation.models import ActorKey, OutboxActivity, RemoteActor
from comuna.federation.services import announce_deletion

ACTIVITY_JSON = "application/activity+json"


@pytest.fixture
def local(settings):
    settings.COMUNA_FEDERATION_BASE_URL = "https://comuna.example.org"
    settings.COMUNA_FEDERATION_DELIVER_NOW = False


def test_webfinger_names_the_actor_of_a_sphere(client, local, tree):
    response = client.get("/.well-known/webfinger", {"resource": "acct:city@comuna.example.org"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/jrd+json"
    document = response.json()
    assert document["subject"] == "acct:city@comuna.example.org"
    assert {"rel": "self", "type": ACTIVITY_JSON,
            "href": "https://comuna.example.org/federation/spheres/city"} in document["links"]


@pytest.mark.parametrize("resource", ["acct:city@elsewhere.example", "acct:nobody@comuna.example.org", "city", ""])
def test_webfinger_answers_only_for_its_own_spheres(client, local, tree, resource):
    response = client.get("/.well-known/webfinger", {"resource": resource})

    assert response.status_code in (400, 404)
    assert response.json()["code"] in {"not_found", "resource_missing"}


def test_the_actor_of_a_sphere_is_a_group_with_a_public_key(client, local, tree, as2):
    response = client.get("/federation/spheres/city", HTTP_ACCEPT=ACTIVITY_JSON)

    assert response.status_code == 200 and response["Content-Type"] == ACTIVITY_JSON
    actor = as2(response.json())
    base = "https://comuna.example.org/federation/spheres/city"
    assert actor["type"] == "Group" and actor["preferredUsername"] == "city" and actor["name"] == "City"
    assert actor["inbox"] == base + "/inbox" and actor["outbox"] == base + "/outbox"
    assert actor["publicKey"]["id"] == base + "#main-key" and actor["publicKey"]["owner"] == base
    assert actor["publicKey"]["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert "PRIVATE" not in response.content.decode()
    signatures.load_public_key(actor["publicKey"]["publicKeyPem"])


def test_the_key_pair_is_made_once_and_its_private_half_is_stored_encrypted(client, local, tree):
    first = client.get("/federation/spheres/city", HTTP_ACCEPT=ACTIVITY_JSON).json()["publicKey"]["publicKeyPem"]
    second = client.get("/federation/spheres/city", HTTP_ACCEPT=ACTIVITY_JSON).json()["publicKey"]["publicKeyPem"]

    assert first == second and ActorKey.objects.count() == 1
    assert b"ENCRYPTED PRIVATE KEY" in bytes(ActorKey.objects.get().private_key_encrypted)


def test_a_network_is_an_organization(client, local, tree, as2):
    actor = as2(client.get("/federation/spheres/net", HTTP_ACCEPT='application/ld+json; '
                           'profile="https://www.w3.org/ns/activitystreams"').json())

    assert actor["type"] == "Organization"


def test_people_asking_for_a_page_are_sent_to_the_sphere(client, local, tree):
    response = client.get("/federation/spheres/city", HTTP_ACCEPT="text/html")

    assert response.status_code == 302 and response["Location"] == "/spheres/city/"


def test_the_outbox_is_paged_newest_first_and_lists_only_public_activities(client, local, tree, as2):
    for number in range(25):
        announce_deletion(number + 1, tree["city"])
    OutboxActivity.objects.create(sphere=tree["city"], uuid="00000000-0000-0000-0000-000000000001",
                                  activity_type="Follow", payload={"type": "Follow"}, public=False)

    collection = as2(client.get("/federation/spheres/city/outbox").json())
    assert collection["type"] == "OrderedCollection" and collection["totalItems"] == 25
    first = as2(client.get(collection["first"].removeprefix("https://comuna.example.org")).json())
    assert len(first["orderedItems"]) == 20 and first["orderedItems"][0]["object"]["id"].endswith("/policies/25")
    second = as2(client.get(first["next"].removeprefix("https://comuna.example.org")).json())
    assert len(second["orderedItems"]) == 5 and "next" not in second and second["prev"] == collection["first"]
    for item in first["orderedItems"] + second["orderedItems"]:
        as2(item)
    assert client.get("/federation/spheres/city/outbox?page=9").status_code == 404
    assert client.get("/federation/spheres/city/outbox?page=-1").status_code == 404


def test_a_public_activity_is_served_at_its_id(client, local, tree, as2):
    stored = announce_deletion(7, tree["city"])

    response = client.get(f"/federation/activities/{stored.uuid}")

    assert as2(response.json())["id"] == f"https://comuna.example.org/federation/activities/{stored.uuid}"


def test_followers_are_listed(client, local, tree, as2):
    from comuna.federation.models import Follower

    remote = RemoteActor.objects.create(uri="https://b.example/federation/spheres/b", host="b.example",
                                        actor_type="Group", inbox="https://b.example/federation/spheres/b/inbox",
                                        key_id="https://b.example/federation/spheres/b#main-key", public_key_pem="x")
    Follower.objects.create(sphere=tree["city"], actor=remote, follow_activity_id="https://b.example/f/1")

    collection = as2(client.get("/federation/spheres/city/followers").json())

    assert collection["totalItems"] == 1 and collection["orderedItems"] == [remote.uri]


def test_nodeinfo_says_this_is_comuna_speaking_activitypub(client, local, tree):
    link = client.get("/.well-known/nodeinfo").json()["links"][0]["href"]
    info = client.get(link.removeprefix("https://comuna.example.org")).json()

    assert info["software"]["name"] == "comuna" and info["protocols"] == ["activitypub"]


def test_the_builders_make_valid_activitystreams(as2):
    actor, other = "https://a.example/federation/spheres/a", "https://b.example/federation/spheres/b"
    follow = as2(activities.follow("https://a.example/federation/activities/1", actor, other))
    as2(activities.accept("https://b.example/federation/activities/2", other, follow))
    as2(activities.undo("https://a.example/federation/activities/3", actor, follow))
    from datetime import UTC, datetime

    note = activities.ratification_note(note_id="https://a.example/federation/activities/4#decision", actor=actor,
                                        network=other, declaration="https://b.example/federation/declarations/1",
                                        decision="ratify", content="Ratified by the council on 3 May.",
                                        published=datetime(2026, 5, 3, tzinfo=UTC))
    as2(activities.wrap("Create", "https://a.example/federation/activities/4", actor, note, to=[other],
                        published=datetime(2026, 5, 3, tzinfo=UTC)))


def test_the_validator_refuses_what_is_not_activitystreams(as2):
    with pytest.raises(AssertionError):
        as2({"@context": "https://www.w3.org/ns/activitystreams", "type": "Follow", "id": "https://a.example/1",
             "actor": "https://a.example/a", "object": "https://b.example/b", "madeUpTerm": 1})
    with pytest.raises(Exception, match="is not valid|is a required property|does not match"):
        as2({"@context": "https://www.w3.org/ns/activitystreams", "type": "Follow", "id": "https://a.example/1",
             "actor": "https://a.example/a"})
    with pytest.raises(Exception, match="is not one of"):
        as2({"@context": "https://www.w3.org/ns/activitystreams", "type": "Ratify", "id": "https://a.example/1"})
