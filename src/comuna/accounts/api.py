from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError

from comuna.api.auth import AUTH
from comuna.api.ratelimit import limit
from comuna.core.ratelimits import VERIFY_RATE
from comuna.spheres.models import Sphere

from . import services

router = Router(tags=["people"], auth=AUTH)


class ResidencyOut(Schema):
    sphere: str
    method: str


class RoleOut(Schema):
    sphere: str
    role: str


class MeOut(Schema):
    id: int
    display_name: str
    residencies: list[ResidencyOut]
    roles: list[RoleOut]
    mfa: bool


class CodeIn(Schema):
    code: str


class RoleIn(Schema):
    email: str
    role: str


@router.get("/me", response=MeOut, summary="Who I am, where I am a resident, which roles I hold")
def me(request):
    user = request.user
    if not user.is_authenticated:
        raise AuthenticationError
    return {
        "id": user.pk, "display_name": user.display_name,
        "residencies": [{"sphere": r.sphere.slug, "method": r.method} for r in user.residencies.select_related("sphere")],
        "roles": [{"sphere": r.sphere.slug, "role": r.role} for r in user.roles.select_related("sphere")],
        "mfa": services.has_mfa(user),
    }


@router.post("/me/residency/code", response={201: ResidencyOut}, summary="Verify residency with a one-time code")
def redeem_code(request, payload: CodeIn):
    limit(request, VERIFY_RATE, "api.redeem_code")
    residency = services.do_redeem_code(request.user, payload.code)
    return Status(201, {"sphere": residency.sphere.slug, "method": residency.method})


@router.post("/spheres/{slug}/roles", response={201: RoleOut}, summary="Grant a role in a sphere (admins)")
def grant_role(request, slug: str, payload: RoleIn):
    limit(request)
    sphere = get_object_or_404(Sphere, slug=slug)
    assignment = services.do_grant_role(sphere, payload.email, payload.role, actor=request.user)
    return Status(201, {"sphere": sphere.slug, "role": assignment.role})
