"""The federation page of a sphere: its handle, what it follows and who follows it; officials follow by handle."""

from __future__ import annotations

import pytest

from comuna.federation import services as federation
from comuna.federation.models import Following, RemoteActor


@pytest.fixture
def local(settings):
    settings.COMUNA_FEDERATION_BASE_URL = "https://comuna.example.org"
    settings.COMUNA_FEDERATION_DELIVER_NOW = False


@pytest.fixture
def remote(db):
    uri = "https://remote.example/federation/spheres/rcity"
    return RemoteActor.objects.create(uri=uri, host="remote.example", actor_type="Group", preferred_username="rcity",
                                      name="Remote City", inbox=uri + "/inbox", key_id=uri + "#main-key",
                                      public_key_pem="x")


def test_anyone_sees_the_handle_and_follows_but_no_forms(client, local, tree, remote):
    Following.objects.create(sphere=tree["city"], actor=remote, follow_activity_id="https://comuna.example.org/a/1",
                             state="accepted")

    page = client.get("/spheres/city/federation/").content.decode()

    assert "city@comuna.example.org" in page and "Remote City (rcity@remote.example)" in page and "Accepted" in page
    assert 'name="handle"' not in page


def test_an_official_follows_from_the_page(client, signed_in, local, tree, people, remote, monkeypatch):
    monkeypatch.setattr(federation, "resolve_handle", lambda handle: remote)
    signed_in(people["official"])

    assert 'name="handle"' in client.get("/spheres/city/federation/").content.decode()
    response = client.post("/spheres/city/federation/follow", {"handle": "rcity@remote.example"}, follow=True)

    assert "Follow request sent" in response.content.decode()
    assert Following.objects.get().state == "pending"


def test_a_refusal_is_shown_and_nothing_changes(client, signed_in, local, tree, people):
    signed_in(people["official"])

    response = client.post("/spheres/city/federation/follow", {"handle": "no handle"}, follow=True)

    assert "Write the handle as name@host" in response.content.decode()
    assert not Following.objects.exists()


def test_others_cannot_post_the_forms(client, signed_in, local, tree, people):
    signed_in(people["resident"])

    assert client.post("/spheres/city/federation/follow", {"handle": "a@b.example"}).status_code == 403
    assert client.post("/spheres/city/federation/ratify", {"declaration": "https://b.example/d/1",
                                                           "decision": "ratify"}).status_code == 403


def test_the_api_lists_follows_and_lets_officials_follow(client, signed_in, local, tree, people, remote, monkeypatch):
    monkeypatch.setattr(federation, "resolve_handle", lambda handle: remote)

    anonymous = client.post("/api/v1/federation/spheres/city/following", {"handle": "rcity@remote.example"},
                            content_type="application/json")
    assert anonymous.status_code == 401
    signed_in(people["resident"])
    refused = client.post("/api/v1/federation/spheres/city/following", {"handle": "rcity@remote.example"},
                          content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    signed_in(people["official"])
    created = client.post("/api/v1/federation/spheres/city/following", {"handle": "rcity@remote.example"},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["state"] == "pending"

    listed = client.get("/api/v1/federation/spheres/city").json()
    assert listed["handle"] == "city@comuna.example.org"
    assert [item["actor"]["handle"] for item in listed["following"]] == ["rcity@remote.example"]


def test_the_api_refuses_an_unknown_decision(client, signed_in, local, tree, people):
    signed_in(people["official"])

    response = client.post("/api/v1/federation/spheres/city/decisions",
                           {"declaration": "https://remote.example/federation/declarations/1", "decision": "maybe"},
                           content_type="application/json")

    assert response.status_code == 400 and response.json()["code"] == "decision_unknown"
