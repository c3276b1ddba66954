"""The inbox of each local sphere or network: checks, in order, that cost nothing before those that fetch.

size -> JSON -> ActivityStreams shape -> HTTP Signature (fetching the sender's actor) -> the signer is the actor
-> not seen before -> handled in one transaction with its ReceivedActivity row. Every refusal is a 4xx JSON error
and an InboxRejection row (reason and sender host only)."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_ratelimit.core import is_ratelimited

from comuna.core.errors import DomainError
from comuna.spheres.models import Sphere

from . import activities, bridge, conf, signatures, transport
from .activities import ActivityError, object_id
from .actors import actor_id, fetch_remote_actor, host_of, strip_fragment
from .delivery import new_activity_id, publish
from .models import Follower, Following, FollowState, InboxRejection, ReceivedActivity, RemoteActor

logger = logging.getLogger("comuna.federation")
REFETCH_AFTER = timedelta(minutes=1)
INBOX_RATE = "300/m"  # per sending address: room for a new follower's backlog; senders retry a 429 later

REQUEST_HEADERS = {"host": "HTTP_HOST", "date": "HTTP_DATE", "digest": "HTTP_DIGEST",
                   "content-type": "CONTENT_TYPE", "content-length": "CONTENT_LENGTH"}


class Refused(Exception):
    def __init__(self, code: str, status: int, message: str = "") -> None:
        super().__init__(code)
        self.code, self.status, self.message = code, status, message or code.replace("_", " ")


def _headers(request: HttpRequest) -> dict[str, str]:
    headers = {name: request.META.get(key, "") for name, key in REQUEST_HEADERS.items()}
    headers["host"] = headers["host"] or request.get_host()
    for key, value in request.META.items():
        if key.startswith("HTTP_"):
            headers.setdefault(key[5:].lower().replace("_", "-"), value)
    return headers


def receive(request: HttpRequest, sphere: Sphere) -> JsonResponse:
    sender_host = ""
    try:
        if is_ratelimited(request, group="federation.inbox", key="ip", rate=INBOX_RATE, increment=True):
            raise Refused("rate_limited", 429)
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > conf.INBOX_MAX_BYTES:
            raise Refused("too_large", 413)
        body = request.read(conf.INBOX_MAX_BYTES + 1)
        if len(body) > conf.INBOX_MAX_BYTES:
            raise Refused("too_large", 413)
        try:
            activity = json.loads(body)
        except (ValueError, RecursionError) as error:  # RecursionError: nesting deeper than anyone needs
            raise Refused("not_json", 400) from error
        try:
            activities.check_structure(activity)
        except ActivityError as error:
            raise Refused(error.code, error.status) from error
        sender_host = host_of(activity["actor"])
        remote = authenticate(request, body, activity)
        outcome = handle(sphere, remote, activity)
    except Refused as refusal:
        InboxRejection.objects.create(reason=refusal.code, status=refusal.status, sender_host=sender_host[:255],
                                      inbox_path=request.path[:300])
        logger.info("Inbox %s refused an activity from %s: %s", request.path, sender_host or "?", refusal.code)
        return JsonResponse({"code": refusal.code, "message": refusal.message, "details": {}}, status=refusal.status)
    return JsonResponse({"code": "accepted", "message": outcome, "details": {}}, status=202)


def authenticate(request: HttpRequest, body: bytes, activity: dict) -> RemoteActor:
    """The remote actor whose key signed this request, which must be the activity's actor."""
    headers = _headers(request)
    path = request.get_full_path()
    try:
        parsed = signatures.parse_signature_header(headers.get("signature", ""))
        signatures.check_request(parsed, method="post", path=path, headers=headers, body=body)
    except signatures.SignatureError as error:
        raise Refused(error.code, 401) from error
    if strip_fragment(parsed.key_id) != activity["actor"] and not parsed.key_id.startswith(activity["actor"] + "#"):
        raise Refused("signer_is_not_actor", 401)
    try:
        remote = fetch_remote_actor(activity["actor"])
    except transport.FetchError as error:
        raise Refused("unknown_actor", 401, f"unknown actor ({error.code})") from error
    for refresh in (False, True):  # a key may have been rotated since we cached the actor: fetch again once
        if refresh and timezone.now() - remote.fetched_at < REFETCH_AFTER:
            break  # just fetched: a wrong signature must not make us fetch again and again
        if refresh:
            try:
                remote = fetch_remote_actor(activity["actor"], refresh=True)
            except transport.FetchError as error:
                raise Refused("bad_signature", 401) from error
        if remote.key_id != parsed.key_id:
            continue
        try:
            signatures.verify(parsed, remote.public_key_pem, method="post", path=path, headers=headers)
            return remote
        except signatures.SignatureError:
            continue
    raise Refused("bad_signature", 401)


def handle(sphere: Sphere, remote: RemoteActor, activity: dict) -> str:
    handler = HANDLERS[activity["type"]]
    if ReceivedActivity.objects.filter(activity_id=activity["id"]).exists():
        raise Refused("already_received", 409)
    try:
        with transaction.atomic():
            ReceivedActivity.objects.create(activity_id=activity["id"], activity_type=activity["type"],
                                            actor=remote, payload=activity)
            return handler(sphere, remote, activity)
    except IntegrityError as error:
        if ReceivedActivity.objects.filter(activity_id=activity["id"]).exists():
            raise Refused("already_received", 409) from error
        raise
    except DomainError as error:
        raise Refused(error.code, 403 if error.status in (400, 403) else error.status, str(error.message)) from error


# --- Handlers (each runs inside the transaction that stores the ReceivedActivity) -------------------------------

def _on_follow(sphere: Sphere, remote: RemoteActor, activity: dict) -> str:
    if object_id(activity["object"]) != actor_id(sphere):
        raise Refused("follow_other_actor", 422)
    Follower.objects.update_or_create(sphere=sphere, actor=remote,
                                      defaults={"follow_activity_id": activity["id"]})
    key, accept_id = new_activity_id()
    inbox = remote.shared_inbox or remote.inbox
    publish(sphere, key, activities.accept(accept_id, actor_id(sphere), activity), [inbox], public=False)
    # A new follower gets what the sphere already published, not only what comes next.
    from .services import announce_policy, local_policies

    for policy in local_policies(sphere):
        announce_policy(policy, "Create", inboxes=[inbox])
    return "followed"


def _on_undo(sphere: Sphere, remote: RemoteActor, activity: dict) -> str:
    inner = activity["object"]
    if not isinstance(inner, dict) or inner.get("type") != "Follow" or inner.get("actor") != remote.uri:
        raise Refused("undo_not_supported", 422)
    Follower.objects.filter(sphere=sphere, actor=remote).delete()
    return "unfollowed"


def _on_answer_to_follow(sphere: Sphere, remote: RemoteActor, activity: dict) -> str:
    follow_id = object_id(activity["object"])
    following = Following.objects.filter(sphere=sphere, actor=remote, follow_activity_id=follow_id).first()
    if following is None:
        raise Refused("no_such_follow", 422)
    following.state = FollowState.ACCEPTED if activity["type"] == "Accept" else FollowState.REJECTED
    following.save(update_fields=["state"])
    return following.state


def _attributed_to_sender(obj: dict, remote: RemoteActor) -> None:
    if obj.get("attributedTo") != remote.uri:
        raise Refused("attribution_mismatch", 403)


def _on_create_or_update(sphere: Sphere, remote: RemoteActor, activity: dict) -> str:
    obj = activity["object"]
    if not isinstance(obj, dict):
        raise Refused("object_not_embedded", 422)
    if obj.get("type") == "Note" and obj.get("inReplyTo") and activity["type"] == "Create":
        return _on_ratification(sphere, remote, obj)
    if obj.get("type") == "Document" and isinstance(obj.get("policy"), dict):
        _attributed_to_sender(obj, remote)
        if not Following.objects.filter(sphere=sphere, actor=remote).exclude(state=FollowState.REJECTED).exists():
            raise Refused("not_followed", 403)
        if not bridge.available():
            raise Refused("library_unavailable", 422)
        bridge.upsert_remote_policy(obj["policy"], origin_uri=obj["id"], origin_instance=remote.host,
                                    sphere_label=remote.label)
        return "policy stored"
    raise Refused("object_not_supported", 422)


def _on_ratification(sphere: Sphere, remote: RemoteActor, note: dict) -> str:
    _attributed_to_sender(note, remote)
    decision = note.get("name")
    if decision not in activities.DECISIONS or note.get("decision", decision) != decision:
        raise Refused("decision_unknown", 422)
    declaration = local_declaration(note["inReplyTo"])
    if declaration is None or getattr(declaration, "network_id", None) != sphere.pk:
        raise Refused("declaration_unknown", 404)
    decided_at = _datetime_or_now(note.get("published"))
    bridge.record_remote_ratification(declaration, member_label=remote.label, member_uri=remote.uri,
                                      decision=decision, decided_at=decided_at)
    return "decision recorded"


def _datetime_or_now(value: object) -> datetime:
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    return parsed if parsed is not None and parsed.tzinfo is not None else timezone.now()


def local_declaration(uri: object):
    model = bridge.declaration_model()
    if model is None or not isinstance(uri, str) or not uri.startswith(conf.base_url() + "/"):
        return None
    try:
        match = resolve(urlsplit(uri).path)
    except Resolver404:
        return None
    if match.view_name != "federation:declaration":
        return None
    return model.objects.filter(pk=match.kwargs["pk"]).first()


def _on_delete(sphere: Sphere, remote: RemoteActor, activity: dict) -> str:
    target = object_id(activity["object"])
    if host_of(target) != remote.host:
        raise Refused("object_not_on_sender_host", 403)
    if target == remote.uri:
        Follower.objects.filter(actor=remote).delete()
        Following.objects.filter(actor=remote).delete()
        return "actor removed"
    bridge.withdraw_remote_policy(origin_uri=target, origin_instance=remote.host)
    return "deleted"


HANDLERS = {
    "Follow": _on_follow,
    "Undo": _on_undo,
    "Accept": _on_answer_to_follow,
    "Reject": _on_answer_to_follow,
    "Create": _on_create_or_update,
    "Update": _on_create_or_update,
    "Delete": _on_delete,
}
