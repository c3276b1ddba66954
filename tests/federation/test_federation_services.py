"""Officials act towards other instances: follow a remote sphere, send their sphere's decision; queued deliveries
are signed, retried with growing delays, and refused addresses are never contacted."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from comuna.audit.models import Event
from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.federation import delivery, signatures, transport
from comuna.federation import services as federation
from comuna.federation.models import Delivery, Following, OutboxActivity, RemoteActor

REMOTE = "https://remote.example/federation/spheres/rcity"


@pytest.fixture
def local(settings):
    settings.COMUNA_FEDERATION_BASE_URL = "https://comuna.example.org"
    settings.COMUNA_FEDERATION_DELIVER_NOW = False
    settings.COMUNA_FEDERATION_ALLOW_HTTP = False
    settings.COMUNA_FEDERATION_ALLOW_PRIVATE_ADDRESSES = False


@pytest.fixture
def remote(db):
    public_pem, _private = signatures.generate_key_pair()
    return RemoteActor.objects.create(uri=REMOTE, host="remote.example", actor_type="Group",
                                      preferred_username="rcity", name="Remote City", inbox=REMOTE + "/inbox",
                                      key_id=REMOTE + "#main-key", public_key_pem=public_pem)


@pytest.fixture
def resolves_to(monkeypatch, remote):
    seen = []

    def resolve(handle):
        seen.append(handle)
        return remote

    monkeypatch.setattr(federation, "resolve_handle", resolve)
    return seen


def test_an_official_follows_a_remote_sphere_by_its_handle(local, tree, people, resolves_to, as2):
    following = federation.do_follow_remote(tree["city"], "rcity@remote.example", actor=people["official"])

    assert resolves_to == ["rcity@remote.example"]
    assert following.state == "pending"
    sent = Delivery.objects.get()
    assert sent.inbox == REMOTE + "/inbox"
    follow = as2(sent.activity.payload)
    assert follow["type"] == "Follow" and follow["object"] == REMOTE
    assert follow["actor"] == "https://comuna.example.org/federation/spheres/city"
    assert follow["id"] == following.follow_activity_id
    assert Event.objects.filter(action="federation.followed", sphere=tree["city"]).count() == 1


def test_following_twice_is_refused(local, tree, people, resolves_to):
    federation.do_follow_remote(tree["city"], "rcity@remote.example", actor=people["official"])

    with pytest.raises(Conflict) as refused:
        federation.do_follow_remote(tree["city"], "rcity@remote.example", actor=people["official"])

    assert refused.value.code == "already_following"
    assert Following.objects.count() == 1 and Delivery.objects.count() == 1


@pytest.mark.parametrize("who", ["resident", "moderator", "outsider"])
def test_only_officials_follow(local, tree, people, resolves_to, who):
    with pytest.raises(NotAllowed):
        federation.do_follow_remote(tree["city"], "rcity@remote.example", actor=people[who])

    assert resolves_to == [] and not Following.objects.exists()


def test_a_malformed_handle_is_explained(local, tree, people):
    with pytest.raises(DomainError) as refused:
        federation.do_follow_remote(tree["city"], "not a handle", actor=people["official"])

    assert refused.value.code == "handle_malformed"


def test_unfollowing_sends_undo(local, tree, people, resolves_to, as2):
    following = federation.do_follow_remote(tree["city"], "rcity@remote.example", actor=people["official"])

    federation.do_unfollow_remote(tree["city"], following.actor, actor=people["official"])

    undo = as2(OutboxActivity.objects.get(activity_type="Undo").payload)
    assert undo["object"]["id"] == following.follow_activity_id
    assert not Following.objects.exists()


def test_a_decision_on_a_remote_declaration_needs_an_official(local, tree, people, monkeypatch):
    monkeypatch.setattr(transport, "get_json", lambda url, **kw: pytest.fail("nothing is fetched before the check"))

    with pytest.raises(NotAllowed):
        federation.do_send_ratification(tree["city"], "https://remote.example/federation/declarations/1", "ratify",
                                        actor=people["resident"])
    with pytest.raises(DomainError) as refused:
        federation.do_send_ratification(tree["city"], "https://remote.example/federation/declarations/1", "maybe",
                                        actor=people["official"])
    assert refused.value.code == "decision_unknown"
    assert not OutboxActivity.objects.exists()


def test_a_declaration_attributed_to_another_host_is_refused(local, tree, people, monkeypatch):
    address = "https://remote.example/federation/declarations/1"
    monkeypatch.setattr(transport, "get_json", lambda url, **kw: {
        "id": address, "type": "Document", "attributedTo": "https://elsewhere.example/federation/spheres/net"})

    with pytest.raises(DomainError) as refused:
        federation.do_send_ratification(tree["city"], address, "ratify", actor=people["official"])

    assert refused.value.code == "remote_unreachable" and not OutboxActivity.objects.exists()


# --- Delivery ---------------------------------------------------------------------------------------------------

@pytest.fixture
def queued(local, tree, people, resolves_to):
    federation.do_follow_remote(tree["city"], "rcity@remote.example", actor=people["official"])
    return Delivery.objects.get()


def test_a_delivery_is_signed_with_the_key_in_the_actor_document(queued, client, monkeypatch):
    posted = []
    monkeypatch.setattr(transport, "post", lambda url, body, headers: posted.append((url, body, headers)) or 202)

    assert delivery.deliver_due() == (1, 1)

    url, body, headers = posted[0]
    assert url == REMOTE + "/inbox" and json.loads(body)["type"] == "Follow"
    parsed = signatures.parse_signature_header(headers["signature"])
    assert parsed.key_id == "https://comuna.example.org/federation/spheres/city#main-key"
    public_pem = client.get("/federation/spheres/city", HTTP_ACCEPT="application/activity+json").json()[
        "publicKey"]["publicKeyPem"]
    headers_seen = {name: headers[name] for name in ("host", "date", "digest")}
    signatures.check_request(parsed, method="post", path="/federation/spheres/rcity/inbox", headers=headers_seen,
                             body=body)
    signatures.verify(parsed, public_pem, method="post", path="/federation/spheres/rcity/inbox", headers=headers_seen)
    queued.refresh_from_db()
    assert queued.delivered_at is not None and queued.attempts == 1
    assert delivery.deliver_due() == (0, 0)


def test_a_failed_delivery_is_retried_later_then_given_up(queued, monkeypatch, settings):
    monkeypatch.setattr(transport, "post", lambda url, body, headers: 503)

    assert delivery.deliver_due() == (0, 1)
    queued.refresh_from_db()
    assert queued.last_error == "http_503" and not queued.failed
    assert queued.next_attempt_at > timezone.now() + timedelta(seconds=90)
    assert delivery.deliver_due() == (0, 0)  # not due yet

    for _attempt in range(20):
        Delivery.objects.update(next_attempt_at=timezone.now())
        delivery.deliver_due()
    queued.refresh_from_db()
    assert queued.failed and queued.attempts == 8


def test_a_refusal_by_the_other_instance_is_not_retried(queued, monkeypatch):
    monkeypatch.setattr(transport, "post", lambda url, body, headers: 401)

    delivery.deliver_due()

    queued.refresh_from_db()
    assert queued.failed and queued.attempts == 1 and queued.last_error == "http_401"


def test_the_command_delivers_what_is_due(queued, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setattr(transport, "post", lambda url, body, headers: 202)

    call_command("deliver_activities")

    queued.refresh_from_db()
    assert queued.delivered_at is not None


@pytest.mark.parametrize("url", ["http://remote.example/inbox", "ftp://remote.example/inbox", "https://127.0.0.1/inbox",
                                 "https://localhost/inbox", "https://10.1.2.3/inbox", "https://[::1]/inbox", "/inbox"])
def test_refused_addresses_are_never_contacted(local, url):
    with pytest.raises(transport.FetchError):
        transport.check_url(url)


def test_loopback_is_allowed_only_when_configured(settings):
    settings.COMUNA_FEDERATION_ALLOW_HTTP = True
    settings.COMUNA_FEDERATION_ALLOW_PRIVATE_ADDRESSES = True

    assert transport.check_url("http://127.0.0.1:8000/inbox") == "http://127.0.0.1:8000/inbox"


# --- Policies go out when the library changes -------------------------------------------------------------------

@pytest.fixture
def follower(local, tree, remote):
    from comuna.federation.models import Follower

    return Follower.objects.create(sphere=tree["city"], actor=remote, follow_activity_id=REMOTE + "/follows/1")


def policy_input(title="Superblocks"):
    from comuna.intercity.services import PolicyInput

    return PolicyInput(title=title, problem="Traffic everywhere.", measures="Close streets.", languages=["en"],
                       indicators=[{"name": "Green area", "baseline": "1", "value": "3", "unit": "ha", "year": 2024}])


def test_publishing_updating_and_deleting_a_policy_tells_the_followers(follower, tree, people, as2,
                                                                       django_capture_on_commit_callbacks):
    from comuna.intercity.services import do_publish_policy, do_update_policy

    with django_capture_on_commit_callbacks(execute=True):
        policy = do_publish_policy(tree["city"], policy_input(), actor=people["official"])
    created = OutboxActivity.objects.get()
    assert created.activity_type == "Create" and created.public
    assert as2(created.payload)["object"]["policy"]["results"][0]["name"] == "Green area"  # saved after the row
    assert list(created.deliveries.values_list("inbox", flat=True)) == [REMOTE + "/inbox"]

    with django_capture_on_commit_callbacks(execute=True):
        do_update_policy(policy, policy_input("Superblocks, phase two"), actor=people["official"])
    updated = OutboxActivity.objects.get(activity_type="Update")
    assert as2(updated.payload)["object"]["name"] == "Superblocks, phase two"

    pk = policy.pk
    with django_capture_on_commit_callbacks(execute=True):
        policy.delete()
    deleted = as2(OutboxActivity.objects.get(activity_type="Delete").payload)
    assert deleted["object"] == {"id": f"https://comuna.example.org/federation/policies/{pk}", "type": "Tombstone"}


def test_a_rolled_back_publication_sends_nothing(follower, tree, people, django_capture_on_commit_callbacks):
    from django.db import transaction

    from comuna.intercity.services import do_publish_policy

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):  # noqa: PT012
        with transaction.atomic():
            do_publish_policy(tree["city"], policy_input(), actor=people["official"])
            raise RuntimeError("the caller changes its mind")

    assert not OutboxActivity.objects.exists()


def test_a_remote_actor_document_that_does_not_hold_is_refused(db, local, monkeypatch):
    from comuna.federation.actors import fetch_remote_actor

    uri = "https://remote.example/federation/spheres/rcity"
    good = {"id": uri, "type": "Group", "inbox": uri + "/inbox",
            "publicKey": {"id": uri + "#main-key", "owner": uri, "publicKeyPem": "-----BEGIN PUBLIC KEY-----"}}
    for bad in [{"id": uri + "x"}, {"type": "Note"}, {"inbox": "https://elsewhere.example/inbox"},
                {"inbox": uri + "/" + "x" * 600}, {"publicKey": {**good["publicKey"], "owner": "https://x.example/a"}},
                {"publicKey": None}]:
        monkeypatch.setattr(transport, "get_json", lambda url, bad=bad, **kw: {**good, **bad})
        with pytest.raises(transport.FetchError, match="actor_malformed"):
            fetch_remote_actor(uri)
    assert not RemoteActor.objects.exists()

    monkeypatch.setattr(transport, "get_json", lambda url, **kw: good)
    assert fetch_remote_actor(uri + "#main-key").inbox == uri + "/inbox"
