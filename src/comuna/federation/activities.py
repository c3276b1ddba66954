"""The activities Comuna sends and accepts, and the checks an incoming activity must pass before it is handled.

Vocabulary (docs/federation.md has examples):
- Follow / Accept / Reject / Undo{Follow}: following a sphere or network; public spheres accept automatically.
- Create / Update / Delete of a policy: object type `Document` carrying the policy as JSON in `comuna:policy`.
- A ratification: `Create` of a `Note` whose `inReplyTo` is a declaration's id and whose `name` is the decision
  (`ratify`, `reject` or `abstain`), like a vote on a poll; `comuna:decision` repeats it for clarity.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
COMUNA_CONTEXT = {
    "comuna": "https://comuna.city/ns#",
    "policy": {"@id": "comuna:policy", "@type": "@json"},
    "declaration": {"@id": "comuna:declaration", "@type": "@json"},
    "decision": "comuna:decision",
}
CONTEXT = [AS_CONTEXT, COMUNA_CONTEXT]

HANDLED_TYPES = {"Follow", "Accept", "Reject", "Undo", "Create", "Update", "Delete"}
DECISIONS = ("ratify", "reject", "abstain")
MAX_TEXT = 100_000


class ActivityError(Exception):
    """Why an incoming activity is malformed; `code` is stable and safe to log."""

    def __init__(self, code: str, status: int = 400) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment.utcoffset() is not None else moment.isoformat()


def _is_url(value: object) -> bool:
    if not isinstance(value, str) or len(value) > 500:
        return False
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _host(value: str) -> str:
    return urlsplit(value).netloc.lower()


def object_id(value: object) -> str | None:
    """An object given by id or embedded with an id."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if _is_url(value) else None


def check_structure(activity: object) -> dict:
    """Shape checks that need nothing but the JSON: AS2 context, a handled type, ids that are URLs on the sender's
    host. Raises ActivityError; answers the activity."""
    if not isinstance(activity, dict):
        raise ActivityError("not_an_object")
    context = activity.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if AS_CONTEXT not in contexts:
        raise ActivityError("not_activitystreams")
    kind = activity.get("type")
    if not isinstance(kind, str):
        raise ActivityError("type_missing")
    if kind not in HANDLED_TYPES:
        raise ActivityError("type_not_supported", 422)
    actor = activity.get("actor")
    if not _is_url(actor):
        raise ActivityError("actor_missing")
    if not _is_url(activity.get("id")) or _host(activity["id"]) != _host(actor):
        raise ActivityError("id_not_on_sender_host")
    obj = activity.get("object")
    if object_id(obj) is None:
        raise ActivityError("object_missing")
    if isinstance(obj, dict):
        if not isinstance(obj.get("type"), str):
            raise ActivityError("object_type_missing")
        if kind in {"Create", "Update"} and _host(obj["id"]) != _host(actor):
            raise ActivityError("object_not_on_sender_host")
    return activity


# --- Builders ---------------------------------------------------------------------------------------------------

def follow(activity_id: str, actor: str, target: str) -> dict:
    return {"@context": AS_CONTEXT, "id": activity_id, "type": "Follow", "actor": actor, "object": target}


def accept(activity_id: str, actor: str, follow_activity: dict) -> dict:
    return {"@context": AS_CONTEXT, "id": activity_id, "type": "Accept", "actor": actor,
            "to": [follow_activity["actor"]], "object": follow_activity}


def undo(activity_id: str, actor: str, inner: dict) -> dict:
    return {"@context": AS_CONTEXT, "id": activity_id, "type": "Undo", "actor": actor, "object": inner}


def wrap(kind: str, activity_id: str, actor: str, obj: dict | str, *, to: list[str], cc: list[str] | None = None,
         published: datetime | None = None) -> dict:
    activity = {"@context": CONTEXT, "id": activity_id, "type": kind, "actor": actor, "to": to, "object": obj}
    if cc:
        activity["cc"] = cc
    if published is not None:
        activity["published"] = iso(published)
    return activity


def policy_object(*, object_id: str, actor: str, followers: str, url: str, title: str, summary: str,
                  data: dict, published: datetime | None, updated: datetime | None) -> dict:
    document = {"id": object_id, "type": "Document", "attributedTo": actor, "name": title[:500],
                "content": summary[:MAX_TEXT], "url": url, "to": [PUBLIC], "cc": [followers], "policy": data}
    if published:
        document["published"] = iso(published)
    if updated:
        document["updated"] = iso(updated)
    return document


def ratification_note(*, note_id: str, actor: str, network: str, declaration: str, decision: str,
                      content: str, published: datetime) -> dict:
    return {"id": note_id, "type": "Note", "attributedTo": actor, "to": [network], "inReplyTo": declaration,
            "name": decision, "decision": decision, "content": content[:MAX_TEXT], "published": iso(published)}
