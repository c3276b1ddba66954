"""What officials do towards other instances (follow a remote sphere, send their sphere's decision on a remote
declaration) and what the library publishes (its policies, to the followers of their sphere)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from comuna.accounts.models import Role
from comuna.accounts.services import check_perm
from comuna.audit.services import record
from comuna.core.errors import Conflict, DomainError, NotFound
from comuna.spheres.models import Sphere

from . import actions, activities, bridge, transport
from .actors import absolute, actor_id, fetch_remote_actor, followers_url, host_of
from .delivery import new_activity_id, publish
from .models import Follower, Following, FollowState, OutboxActivity, RemoteActor
from .webfinger import resolve_handle


def _remote_error(error: transport.FetchError) -> DomainError:
    return DomainError("remote_unreachable", _("The other instance could not be reached or did not answer as "
                                               "expected (%(reason)s).") % {"reason": error.code})


# --- Following --------------------------------------------------------------------------------------------------

def do_follow_remote(sphere: Sphere, handle: str, *, actor: Any) -> Following:
    """The sphere follows the remote sphere or network named by `handle` (slug@host)."""
    check_perm(actor, "federation.manage", sphere, _("Only an official of this sphere can follow other spheres."))
    try:
        remote = resolve_handle(handle)
    except transport.FetchError as error:
        if error.code == "handle_malformed":
            raise DomainError("handle_malformed",
                              _("Write the handle as name@host, e.g. barcelona@comuna.example.")) from error
        raise _remote_error(error) from error
    with transaction.atomic():
        if Following.objects.filter(sphere=sphere, actor=remote).exclude(state=FollowState.REJECTED).exists():
            raise Conflict("already_following", _("This sphere already follows %(handle)s.") % {"handle": remote.handle})
        Following.objects.filter(sphere=sphere, actor=remote).delete()
        key, activity_id = new_activity_id()
        following = Following.objects.create(sphere=sphere, actor=remote, follow_activity_id=activity_id)
        publish(sphere, key, activities.follow(activity_id, actor_id(sphere), remote.uri), [remote.inbox],
                public=False)
        record(actions.FOLLOWED, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere, target=following,
               data={"remote": remote.uri})
    return following


def do_unfollow_remote(sphere: Sphere, remote: RemoteActor, *, actor: Any) -> None:
    check_perm(actor, "federation.manage", sphere, _("Only an official of this sphere can change what it follows."))
    with transaction.atomic():
        following = Following.objects.filter(sphere=sphere, actor=remote).first()
        if following is None:
            raise NotFound("not_following", _("This sphere does not follow %(handle)s.") % {"handle": remote.handle})
        key, activity_id = new_activity_id()
        follow = activities.follow(following.follow_activity_id, actor_id(sphere), remote.uri)
        publish(sphere, key, activities.undo(activity_id, actor_id(sphere), follow), [remote.inbox], public=False)
        following.delete()
        record(actions.UNFOLLOWED, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere,
               data={"remote": remote.uri})


# --- Policies ---------------------------------------------------------------------------------------------------

def policy_uri(policy: Any) -> str:
    return absolute(reverse("federation:policy", args=[policy.pk]))


def is_local(policy: Any) -> bool:
    return not getattr(policy, "origin_uri", "")


def policy_object(policy: Any) -> dict:
    data = bridge.policy_as_dict(policy)
    try:
        url = policy.get_absolute_url()
    except (AttributeError, NoReverseMatch):  # the library's pages are not mounted: the object itself is the page
        url = reverse("federation:policy", args=[policy.pk])
    return activities.policy_object(
        object_id=policy_uri(policy), actor=actor_id(policy.sphere), followers=followers_url(policy.sphere),
        url=absolute(url), title=str(data.get("title") or getattr(policy, "title", "")),
        summary=str(data.get("problem") or data.get("summary") or ""), data=data,
        published=getattr(policy, "created_at", None), updated=getattr(policy, "updated_at", None))


def follower_inboxes(sphere: Sphere) -> list[str]:
    return [follower.actor.shared_inbox or follower.actor.inbox
            for follower in Follower.objects.filter(sphere=sphere).select_related("actor")]


def announce_policy(policy: Any, kind: str, *, inboxes: list[str] | None = None) -> OutboxActivity | None:
    """Send Create or Update of a local policy to the followers of its sphere, or only to `inboxes` (a new
    follower catching up: that copy stays out of the public outbox, which already lists the original)."""
    if not is_local(policy) or getattr(policy, "sphere", None) is None:
        return None
    sphere = policy.sphere
    targets = follower_inboxes(sphere) if inboxes is None else inboxes
    key, activity_id = new_activity_id()
    activity = activities.wrap(kind, activity_id, actor_id(sphere), policy_object(policy), to=[activities.PUBLIC],
                               cc=[followers_url(sphere)], published=timezone.now())
    return publish(sphere, key, activity, targets, public=inboxes is None)


def announce_deletion(policy_pk: int, sphere: Sphere) -> OutboxActivity:
    """Tell the followers that a policy was withdrawn, so their copies go too."""
    key, activity_id = new_activity_id()
    tombstone = {"id": absolute(reverse("federation:policy", args=[policy_pk])), "type": "Tombstone"}
    activity = activities.wrap("Delete", activity_id, actor_id(sphere), tombstone, to=[activities.PUBLIC],
                               cc=[followers_url(sphere)], published=timezone.now())
    return publish(sphere, key, activity, follower_inboxes(sphere))


def local_policies(sphere: Sphere) -> list:
    model = bridge.policy_model()
    if model is None or not bridge.available():
        return []
    return [policy for policy in model.objects.filter(sphere=sphere).select_related("sphere").order_by("pk")
            if is_local(policy)]


# --- Ratifications of remote declarations -----------------------------------------------------------------------

def do_send_ratification(sphere: Sphere, declaration_uri: str, decision: str, *, actor: Any,
                         note: str = "") -> OutboxActivity:
    """Tell the network on another instance that this sphere ratifies, rejects or abstains on its declaration."""
    check_perm(actor, "federation.manage", sphere,
               _("Only an official of this sphere can send its decision on a declaration."))
    if decision not in activities.DECISIONS:
        raise DomainError("decision_unknown", _("Choose ratify, reject or abstain."))
    try:
        declaration = transport.get_json(declaration_uri)
        network_uri = declaration.get("attributedTo")
        if declaration.get("id") != declaration_uri or not isinstance(network_uri, str) \
                or host_of(network_uri) != host_of(declaration_uri):
            raise transport.FetchError("declaration_malformed")
        network = fetch_remote_actor(network_uri)
    except transport.FetchError as error:
        raise _remote_error(error) from error
    with transaction.atomic():
        key, activity_id = new_activity_id()
        now = timezone.now()
        text = note or _("%(sphere)s: %(decision)s") % {"sphere": sphere.name_en, "decision": decision}
        obj = activities.ratification_note(note_id=activity_id + "#decision", actor=actor_id(sphere),
                                           network=network.uri, declaration=declaration_uri, decision=decision,
                                           content=text, published=now)
        activity = activities.wrap("Create", activity_id, actor_id(sphere), obj, to=[network.uri], published=now)
        sent = publish(sphere, key, activity, [network.inbox])
        record(actions.RATIFICATION_SENT, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere, target=sent,
               data={"declaration": declaration_uri, "decision": decision})
    return sent
