"""Federation over the HTTP API: what a sphere follows and who follows it (public), and the officials' actions
(follow a remote sphere, send the sphere's decision on a remote declaration), through the same domain functions
as the page."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from comuna.api.auth import AUTH, OptionalAuth
from comuna.api.ratelimit import limit
from comuna.spheres.models import Sphere

from . import conf, services
from .actors import actor_id
from .models import Follower, Following

router = Router(tags=["federation"], auth=OptionalAuth())


class RemoteActorOut(Schema):
    uri: str
    handle: str
    name: str


class FollowingOut(Schema):
    actor: RemoteActorOut
    state: str
    since: datetime


class FollowerOut(Schema):
    actor: RemoteActorOut
    since: datetime


class FederationOut(Schema):
    handle: str
    actor: str
    following: list[FollowingOut]
    followers: list[FollowerOut]


class FollowIn(Schema):
    handle: str = Field(..., max_length=340, description="name@host of the sphere to follow")


class DecisionIn(Schema):
    declaration: str = Field(..., max_length=500, description="the declaration's address on its instance")
    decision: str = Field(..., description="ratify, reject or abstain")


class DecisionOut(Schema):
    activity: str
    declaration: str
    decision: str


@router.get("/spheres/{slug}", response=FederationOut, summary="A sphere's handle, what it follows, who follows it")
def sphere_federation(request, slug: str):
    sphere = get_object_or_404(Sphere, slug=slug)
    return {
        "handle": f"{sphere.slug}@{conf.host()}", "actor": actor_id(sphere),
        "following": list(Following.objects.filter(sphere=sphere).select_related("actor").order_by("actor__uri")),
        "followers": list(Follower.objects.filter(sphere=sphere).select_related("actor").order_by("actor__uri")),
    }


@router.post("/spheres/{slug}/following", response={201: FollowingOut}, auth=AUTH,
             summary="Follow a sphere on another instance (officials)")
def follow(request, slug: str, payload: FollowIn):
    limit(request)
    sphere = get_object_or_404(Sphere, slug=slug)
    return Status(201, services.do_follow_remote(sphere, payload.handle, actor=request.user))


@router.post("/spheres/{slug}/decisions", response={201: DecisionOut}, auth=AUTH,
             summary="Send the sphere's decision on a declaration of a network on another instance (officials)")
def send_decision(request, slug: str, payload: DecisionIn):
    limit(request)
    sphere = get_object_or_404(Sphere, slug=slug)
    sent = services.do_send_ratification(sphere, payload.declaration, payload.decision, actor=request.user)
    return Status(201, {"activity": sent.payload["id"], "declaration": payload.declaration, "decision": payload.decision})
