from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status

from comuna.accounts.services import check_perm, check_staff_mfa
from comuna.api.auth import AUTH, OptionalAuth
from comuna.api.ratelimit import limit
from comuna.core.errors import DomainError, NotAllowed

from . import services
from .models import Competence, Function, Sphere, SphereKind
from .routing import competent_sphere
from .schemas import (
    CompetenceIn,
    CompetenceOut,
    FunctionOut,
    MoveIn,
    RoutingOut,
    SphereDetailOut,
    SphereIn,
    SphereOut,
)

router = Router(tags=["spheres"], auth=OptionalAuth())


def sphere_out(sphere: Sphere, parent_slugs: dict[int, str]) -> dict:
    return {
        "slug": sphere.slug, "kind": sphere.kind, "name": sphere.name,
        "names": {"en": sphere.name_en, "fr": sphere.name_fr, "es": sphere.name_es},
        "official_code": sphere.official_code, "country": sphere.country, "population": sphere.population,
        "parent": parent_slugs.get(sphere.parent_id),
    }


def sphere_by_slug(slug: str | None) -> Sphere | None:
    if slug is None:
        return None
    sphere = Sphere.objects.filter(slug=slug).first()
    if sphere is None:
        raise DomainError("unknown_sphere", _("There is no sphere “%(slug)s”.") % {"slug": slug[:80]}, sphere=slug[:80])
    return sphere


def require_admin(user, sphere: Sphere | None) -> None:
    """Admin of the sphere; for a new root sphere or network, a server administrator."""
    if sphere is None:
        if not user.is_superuser:
            raise NotAllowed("forbidden", _("Only a server administrator can create a sphere at the top of the tree."))
        check_staff_mfa(user)  # as check_perm does for every other sphere
        return
    check_perm(user, "spheres.change_sphere", sphere, _("Only an admin of %(sphere)s can change it.") % {"sphere": sphere.name})


@router.get("/", response=list[SphereOut], summary="All spheres and networks")
def list_spheres(request, kind: str | None = None):
    spheres = Sphere.objects.order_by("path", "slug")
    if kind:
        spheres = spheres.filter(kind=kind)
    slugs = dict(Sphere.objects.values_list("pk", "slug"))
    return [sphere_out(s, slugs) for s in spheres]


@router.post("/", response={201: SphereOut}, auth=AUTH, summary="Create a sphere under one you administer")
def create_sphere(request, payload: SphereIn):
    limit(request)
    parent = sphere_by_slug(payload.parent)
    require_admin(request.user, parent)
    if payload.kind not in SphereKind.values:
        raise DomainError("unknown_kind", _("“%(kind)s” is not a kind of sphere.") % {"kind": payload.kind[:40]})
    if Sphere.objects.filter(slug=payload.slug).exists():
        raise DomainError("slug_taken", _("The short name “%(slug)s” is already used.") % {"slug": payload.slug[:80]})
    fields = payload.dict(exclude={"parent"})
    try:
        sphere = services.do_create_sphere(actor=request.user, parent=parent, **fields)
    except ValidationError as error:
        raise DomainError("invalid_sphere", _("The sphere is not valid."), fields=error.message_dict) from None
    return Status(201, sphere_out(sphere, {parent.pk: parent.slug} if parent else {}))


@router.get("/functions", response=list[FunctionOut], summary="The COFOG functions of government")
def list_functions(request):
    return [{"code": f.code, "name": f.name, "division": f.parent_id} for f in Function.objects.all()]


@router.get("/route", response=RoutingOut, summary="The competent sphere for a function (subsidiarity)")
def route(request, function: str, origin: str):
    sphere = sphere_by_slug(origin)
    routing = competent_sphere(function, sphere)
    return {
        "function": routing.function.code, "origin": sphere.slug,
        "competent_sphere": routing.sphere.slug if routing.sphere else None,
        "competence_kind": routing.competence.kind if routing.competence else None,
        "passed_over": [s.slug for s in routing.passed_over], "reason": routing.reason,
    }


@router.get("/{slug}", response=SphereDetailOut, summary="One sphere with its competences")
def get_sphere(request, slug: str):
    sphere = get_object_or_404(Sphere, slug=slug)
    slugs = dict(Sphere.objects.values_list("pk", "slug"))
    data = sphere_out(sphere, slugs)
    data.update(
        ancestors=[slugs[pk] for pk in sphere.ancestor_ids()],
        children=list(sphere.children.values_list("slug", flat=True)),
        networks=list(sphere.networks.values_list("slug", flat=True)),
        members=list(sphere.members.values_list("slug", flat=True)),
        competences=[{"function": c.function_id, "function_name": c.function.name, "kind": c.kind}
                     for c in sphere.competences.select_related("function")],
    )
    return data


@router.put("/{slug}/parent", response=SphereOut, auth=AUTH, summary="Move a sphere under another parent")
def move_sphere(request, slug: str, payload: MoveIn):
    limit(request)
    sphere = get_object_or_404(Sphere, slug=slug)
    new_parent = sphere_by_slug(payload.parent)
    require_admin(request.user, sphere)
    require_admin(request.user, new_parent)
    services.do_move_sphere(sphere, new_parent, actor=request.user)
    return sphere_out(sphere, dict(Sphere.objects.values_list("pk", "slug")))


@router.put("/{slug}/competences", response=CompetenceOut, auth=AUTH, summary="Declare a competence")
def set_competence(request, slug: str, payload: CompetenceIn):
    limit(request)
    sphere = get_object_or_404(Sphere, slug=slug)
    require_admin(request.user, sphere)
    function = Function.objects.filter(pk=payload.function).first()
    if function is None:
        raise DomainError("unknown_function", _("“%(code)s” is not a COFOG function code.") % {"code": payload.function[:10]})
    competence = services.do_set_competence(sphere, function, payload.kind, actor=request.user)
    return {"function": function.code, "function_name": function.name, "kind": competence.kind}


@router.delete("/{slug}/competences/{function}", response={204: None}, auth=AUTH, summary="Remove a competence")
def remove_competence(request, slug: str, function: str):
    limit(request)
    sphere = get_object_or_404(Sphere, slug=slug)
    require_admin(request.user, sphere)
    competence = get_object_or_404(Competence, sphere=sphere, function_id=function)
    services.do_remove_competence(competence, actor=request.user)
    return Status(204, None)
