"""The inbox accepts signed, well-formed activities from the actor that signed them, and refuses everything else
with a 4xx JSON error, a logged rejection, and no change."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from comuna.federation import signatures, transport
from comuna.federation.models import (
    Delivery,
    Follower,
    Following,
    InboxRejection,
    ReceivedActivity,
    RemoteActor,
)

REMOTE = "https://remote.example/federation/spheres/rcity"
INBOX = "/federation/spheres/city/inbox"
AS = "https://www.w3.org/ns/activitystreams"


@pytest.fixture
def local(settings):
    settings.COMUNA_FEDERATION_BASE_URL = "http://testserver"
    settings.COMUNA_FEDERATION_ALLOW_HTTP = False
    settings.COMUNA_FEDERATION_ALLOW_PRIVATE_ADDRESSES = False
    settings.COMUNA_FEDERATION_DELIVER_NOW = False


@pytest.fixture
def remote_key():
    public_pem, encrypted = signatures.generate_key_pair()
    return public_pem, signatures.load_private_key(encrypted)


@pytest.fixture
def remote(db, remote_key):
    """A remote sphere whose actor document is already cached (so no request leaves the test)."""
    return RemoteActor.objects.create(
        uri=REMOTE, host="remote.example", actor_type="Group", preferred_username="rcity", name="Remote City",
        inbox=REMOTE + "/inbox", key_id=REMOTE + "#main-key", public_key_pem=remote_key[0], fetched_at=timezone.now())


@pytest.fixture
def no_fetching(monkeypatch):
    def refuse(url, **kwargs):
        raise transport.FetchError("http_404")

    monkeypatch.setattr(transport, "get_json", refuse)


@pytest.fixture
def post(client, remote_key):
    def send(activity, *, key=None, key_id=REMOTE + "#main-key", path=INBOX, body=None, headers=None):
        raw = body if body is not None else json.dumps(activity).encode()
        signed = signatures.signed_post_headers(f"http://testserver{path}", raw, key_id=key_id,
                                                private_key=key or remote_key[1])
        signed.update(headers or {})
        meta = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in signed.items()
                if name not in {"content-type", "host"}}
        return client.post(path, raw, content_type="application/activity+json", **meta)

    return send


def follow(activity_id=REMOTE + "/follows/1", actor=REMOTE, target="http://testserver/federation/spheres/city"):
    return {"@context": AS, "id": activity_id, "type": "Follow", "actor": actor, "object": target}


def nothing_received():
    return not ReceivedActivity.objects.exists() and not Follower.objects.exists() and not Delivery.objects.exists()


def test_a_signed_follow_is_accepted_and_answered(local, tree, remote, post, no_fetching, as2):
    response = post(follow())

    assert response.status_code == 202, response.content
    assert Follower.objects.get(sphere=tree["city"]).actor == remote
    accept = Delivery.objects.get()
    assert accept.inbox == REMOTE + "/inbox" and accept.delivered_at is None
    assert accept.activity.payload["type"] == "Accept"
    assert accept.activity.payload["object"]["id"] == REMOTE + "/follows/1"
    as2(accept.activity.payload)


def test_a_signature_by_another_key_is_refused(local, tree, remote, post, no_fetching):
    _public, other_encrypted = signatures.generate_key_pair()

    response = post(follow(), key=signatures.load_private_key(other_encrypted))

    assert response.status_code == 401
    assert response.json()["code"] == "bad_signature"
    assert nothing_received()
    assert InboxRejection.objects.get().reason == "bad_signature"
    assert InboxRejection.objects.get().sender_host == "remote.example"


def test_an_unknown_actor_is_refused(local, tree, post, no_fetching):
    stranger = "https://stranger.example/federation/spheres/x"

    response = post(follow(activity_id=stranger + "/follows/1", actor=stranger), key_id=stranger + "#main-key")

    assert response.status_code == 401
    assert response.json()["code"] == "unknown_actor"
    assert nothing_received()


def test_a_key_of_another_actor_cannot_sign_for_this_one(local, tree, remote, post, no_fetching):
    other = "https://remote.example/federation/spheres/other"

    response = post(follow(activity_id=other + "/f", actor=other))

    assert response.status_code == 401
    assert response.json()["code"] == "signer_is_not_actor"
    assert nothing_received()


def test_an_oversized_body_is_refused_before_anything_else(local, tree, remote, post):
    activity = follow()
    activity["padding"] = "x" * (256 * 1024)

    response = post(activity)

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert nothing_received()


@pytest.mark.parametrize(("change", "code"), [
    ({"@context": "https://example.org/other"}, "not_activitystreams"),
    ({"type": "Explode"}, "type_not_supported"),
    ({"actor": "not a url"}, "actor_missing"),
    ({"id": "https://elsewhere.example/activity/1"}, "id_not_on_sender_host"),
    ({"object": None}, "object_missing"),
])
def test_malformed_activities_are_refused(local, tree, remote, post, change, code):
    response = post({**follow(), **change})

    assert 400 <= response.status_code < 500
    assert response.json()["code"] == code
    assert nothing_received()


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000])
def test_a_body_that_is_not_json_is_refused(local, tree, remote, post, body):
    response = post(None, body=body)

    assert response.status_code == 400 and response.json()["code"] == "not_json"


def test_a_replayed_activity_changes_nothing(local, tree, remote, post, no_fetching):
    assert post(follow()).status_code == 202
    Follower.objects.all().delete()

    response = post(follow())

    assert response.status_code == 409
    assert response.json()["code"] == "already_received"
    assert not Follower.objects.exists()
    assert ReceivedActivity.objects.count() == 1


def test_an_old_date_is_refused(local, tree, remote, post):
    old = signatures.http_date(datetime.now(UTC) - timedelta(minutes=10))

    response = post(follow(), headers={"date": old})

    assert response.status_code == 401 and response.json()["code"] == "date_out_of_window"
    assert nothing_received()


def test_a_body_changed_after_signing_is_refused(local, tree, remote, post, remote_key):
    activity = follow()
    signed = signatures.signed_post_headers("http://testserver" + INBOX, json.dumps(activity).encode(),
                                            key_id=REMOTE + "#main-key", private_key=remote_key[1])
    tampered = json.dumps({**activity, "object": "http://testserver/federation/spheres/town"}).encode()

    response = post(None, body=tampered, headers={"digest": signed["digest"], "signature": signed["signature"]})

    assert response.status_code == 401 and response.json()["code"] == "digest_mismatch"
    assert nothing_received()


def test_a_policy_attributed_to_someone_else_is_refused(local, tree, remote, post, no_fetching):
    Following.objects.create(sphere=tree["city"], actor=remote, follow_activity_id="http://testserver/f/1",
                             state="accepted")
    document = {"id": REMOTE + "/policies/1", "type": "Document", "name": "Superblocks",
                "attributedTo": "https://remote.example/federation/spheres/someone-else", "policy": {"title": "x"}}
    create = {"@context": AS, "id": REMOTE + "/activities/1", "type": "Create", "actor": REMOTE,
              "object": document}

    response = post(create)

    assert response.status_code == 403 and response.json()["code"] == "attribution_mismatch"
    assert not ReceivedActivity.objects.exists()


def test_a_policy_from_a_sphere_nobody_follows_is_refused(local, tree, remote, post, no_fetching):
    document = {"id": REMOTE + "/policies/1", "type": "Document", "name": "Superblocks", "attributedTo": REMOTE,
                "policy": {"title": "x"}}
    create = {"@context": AS, "id": REMOTE + "/activities/1", "type": "Create", "actor": REMOTE, "object": document}

    response = post(create)

    assert response.status_code == 403 and response.json()["code"] == "not_followed"
    assert not ReceivedActivity.objects.exists()


def test_accept_marks_the_follow_accepted_and_undo_removes_the_follower(local, tree, remote, post, no_fetching):
    following = Following.objects.create(sphere=tree["city"], actor=remote, follow_activity_id="http://testserver/f/1")
    accept = {"@context": AS, "id": REMOTE + "/accepts/1", "type": "Accept", "actor": REMOTE,
              "object": {"id": "http://testserver/f/1", "type": "Follow", "actor": "http://testserver/federation/spheres/city",
                         "object": REMOTE}}
    assert post(accept).status_code == 202
    following.refresh_from_db()
    assert following.state == "accepted"

    assert post(follow()).status_code == 202
    undo = {"@context": AS, "id": REMOTE + "/undo/1", "type": "Undo", "actor": REMOTE, "object": follow()}
    assert post(undo).status_code == 202
    assert not Follower.objects.exists()


def test_an_accept_for_a_follow_never_sent_is_refused(local, tree, remote, post, no_fetching):
    accept = {"@context": AS, "id": REMOTE + "/accepts/1", "type": "Accept", "actor": REMOTE,
              "object": "http://testserver/f/404"}

    response = post(accept)

    assert response.status_code == 422 and response.json()["code"] == "no_such_follow"


def test_the_inbox_only_takes_posts(client, tree):
    assert client.get(INBOX).status_code == 405
    assert client.post("/federation/spheres/nowhere/inbox", b"{}", content_type="application/json").status_code == 404


# --- Policies and ratifications (through the intercity app's documented functions) --------------------------------

def policy_activity(kind="Create", number=1, **changes):
    document = {"id": f"{REMOTE}/policies/{number}", "type": "Document", "attributedTo": REMOTE, "name": "Superblocks",
                "policy": {"title": "Superblocks", "problem": "Traffic everywhere.", "measures": "Close streets.",
                           "languages": ["en"], "results": [{"name": "Green area", "value": "3", "unit": "ha"}]}}
    document.update(changes)
    return {"@context": AS, "id": f"{REMOTE}/activities/{kind}-{number}", "type": kind, "actor": REMOTE,
            "object": document}


@pytest.fixture
def followed(tree, remote):
    return Following.objects.create(sphere=tree["city"], actor=remote, follow_activity_id="http://testserver/f/1",
                                    state="accepted")


def test_a_followed_sphere_s_policy_is_copied_updated_and_withdrawn(local, followed, post, no_fetching):
    from comuna.intercity.models import Policy

    assert post(policy_activity()).status_code == 202
    copy = Policy.objects.get()
    assert (copy.title, copy.origin_uri, copy.origin_instance, copy.sphere_id) == (
        "Superblocks", REMOTE + "/policies/1", "remote.example", None)
    assert copy.publisher == "Remote City (rcity@remote.example)"

    update = policy_activity("Update")
    update["object"]["policy"]["title"] = "Superblocks, second phase"
    assert post(update).status_code == 202
    assert Policy.objects.get().title == "Superblocks, second phase"

    delete = {"@context": AS, "id": REMOTE + "/activities/delete-1", "type": "Delete", "actor": REMOTE,
              "object": {"id": REMOTE + "/policies/1", "type": "Tombstone"}}
    assert post(delete).status_code == 202
    assert not Policy.objects.exists()


def test_a_policy_without_its_content_is_refused(local, followed, post, no_fetching):
    from comuna.intercity.models import Policy

    activity = policy_activity()
    activity["object"]["policy"] = {"title": ""}

    response = post(activity)

    assert response.status_code == 403 and response.json()["code"] == "remote_malformed"
    assert not Policy.objects.exists() and not ReceivedActivity.objects.exists()


def test_a_policy_hosted_on_another_host_is_refused(local, followed, post, no_fetching):
    response = post(policy_activity(id="https://elsewhere.example/policies/1"))

    assert response.status_code == 400 and response.json()["code"] == "object_not_on_sender_host"


@pytest.fixture
def declaration(tree, people, remote):
    from comuna.accounts.models import Role, RoleAssignment
    from comuna.intercity.declarations import do_create_declaration, do_open_ratification
    from comuna.intercity.models import RemoteMember

    RoleAssignment.objects.create(user=people["official"], sphere=tree["net"], role=Role.OFFICIAL)
    RemoteMember.objects.create(network=tree["net"], uri=REMOTE, label="Remote City")
    created = do_create_declaration(tree["net"], title="Housing is a right",
                                    text="We, the member cities, commit to housing as a right.",
                                    actor=people["official"])
    return do_open_ratification(created, quorum_count=2, actor=people["official"])


def ratification(declaration_id, decision="ratify", **changes):
    note = {"id": REMOTE + "/activities/r#decision", "type": "Note", "attributedTo": REMOTE,
            "inReplyTo": f"http://testserver/federation/declarations/{declaration_id}", "name": decision,
            "decision": decision, "content": "Ratified by the council.", "published": "2026-05-03T10:00:00Z"}
    note.update(changes)
    return {"@context": AS, "id": REMOTE + "/activities/r", "type": "Create", "actor": REMOTE, "object": note}


NET_INBOX = "/federation/spheres/net/inbox"


def test_a_remote_member_s_ratification_is_counted(local, declaration, post, no_fetching):
    from comuna.intercity.declarations import declaration_as_dict

    response = post(ratification(declaration.pk), path=NET_INBOX)

    assert response.status_code == 202, response.content
    member = next(row for row in declaration_as_dict(declaration)["members"] if row["uri"] == REMOTE)
    assert (member["decision"], member["method"], member["decided_at"][:10]) == ("ratify", "remote", "2026-05-03")


@pytest.mark.parametrize(("path", "changes", "status", "code"), [
    (INBOX, {}, 404, "declaration_unknown"),  # sent to a sphere that is not the declaration's network
    (NET_INBOX, {"attributedTo": "https://remote.example/federation/spheres/other"}, 403, "attribution_mismatch"),
    (NET_INBOX, {"name": "maybe", "decision": "maybe"}, 422, "decision_unknown"),
    (NET_INBOX, {"inReplyTo": "http://testserver/federation/declarations/999"}, 404, "declaration_unknown"),
])
def test_a_ratification_that_does_not_hold_is_refused(local, declaration, post, no_fetching, path, changes, status,
                                                      code):
    from comuna.intercity.declarations import declaration_as_dict

    response = post(ratification(declaration.pk, **changes), path=path)

    assert response.status_code == status and response.json()["code"] == code
    assert declaration_as_dict(declaration)["quorum"]["ratified"] == 0
    assert not ReceivedActivity.objects.exists()


@pytest.mark.parametrize("published", ["2026-13-45T99:00:00Z", 20260503, None, "yesterday"])
def test_an_unreadable_date_on_a_ratification_counts_as_now(local, declaration, post, no_fetching, published):
    from comuna.intercity.models import Ratification

    response = post(ratification(declaration.pk, published=published), path=NET_INBOX)

    assert response.status_code == 202
    decided = Ratification.objects.get(remote_member__uri=REMOTE)
    assert decided.decision == "ratify" and (timezone.now() - decided.decided_at).total_seconds() < 60


def test_a_new_follower_receives_the_policies_already_published(local, tree, people, remote, post, no_fetching, as2):
    from comuna.intercity.services import PolicyInput, do_publish_policy

    policy = do_publish_policy(tree["city"], PolicyInput(
        title="Superblocks", problem="Traffic everywhere.", measures="Close streets.", languages=["en"],
        indicators=[{"name": "Green area", "baseline": "1", "value": "3", "unit": "ha", "year": 2024}]),
        actor=people["official"])

    assert post(follow()).status_code == 202

    sent = {item.activity.activity_type: item.activity for item in Delivery.objects.select_related("activity")}
    assert set(sent) == {"Accept", "Create"}
    create = as2(sent["Create"].payload)
    assert create["object"]["id"] == f"http://testserver/federation/policies/{policy.pk}"
    assert create["object"]["attributedTo"] == "http://testserver/federation/spheres/city"
    assert create["object"]["policy"]["results"][0]["name"] == "Green area"
    assert not sent["Create"].public  # a catch-up copy for one follower, not a new entry in the outbox
