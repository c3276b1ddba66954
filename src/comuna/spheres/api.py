from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status

from comuna.api.auth import AUTH, OptionalAuth
from comuna.core.errors import DomainError, NotAllowed

from . import services
from .models import Competence, Function, Sphere
from .routing import competent_sphere
from .schemas import CompetenceIn, CompetenceOut, FunctionOut, RoutingOut, SphereDetailOut, SphereOut

router = Router(tags=["spheres"], auth=OptionalAuth())


def sphere_out(sphere: Sphere, parent_slugs: dict[int, str]) -> dict:
    return {
        "slug": sphere.slug, "kind": sphere.kind, "name": sphere.name,
        "names": {"en": sphere.name_en, "fr": sphere.name_fr, "es": sphere.name_es},
        "official_code": sphere.official_code, "country": sphere.country, "population": sphere.population,
        "parent": parent_slugs.get(sphere.parent_id),
    }


@router.get("/", response=list[SphereOut], summary="All spheres and networks")
def list_spheres(request, kind: str | None = None):
    spheres = Sphere.objects.order_by("path", "slug")
    if kind:
        spheres = spheres.filter(kind=kind)
    slugs = dict(Sphere.objects.values_list("pk", "slug"))
    return [sphere_out(s, slugs) for s in spheres]


@router.get("/functions", response=list[FunctionOut], summary="The COFOG functions of government")
def list_functions(request):
    return [{"code": f.code, "name": f.name, "division": f.parent_id} for f in Function.objects.all()]


@router.get("/route", response=RoutingOut, summary="The competent sphere for a function (subsidiarity)")
def route(request, function: str, origin: str):
    sphere = Sphere.objects.filter(slug=origin).first()
    if sphere is None:
        raise DomainError("unknown_sphere", _("There is no sphere “%(slug)s”.") % {"slug": origin[:80]}, sphere=origin[:80])
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


@router.put("/{slug}/competences", response=CompetenceOut, auth=AUTH, summary="Declare a competence")
def set_competence(request, slug: str, payload: CompetenceIn):
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("spheres.change_sphere", sphere):
        raise NotAllowed("forbidden", _("Only an admin of %(sphere)s can change it.") % {"sphere": sphere.name})
    from comuna.accounts.services import check_staff_mfa

    check_staff_mfa(request.user)
    function = Function.objects.filter(pk=payload.function).first()
    if function is None:
        raise DomainError("unknown_function", _("“%(code)s” is not a COFOG function code.") % {"code": payload.function[:10]})
    competence = services.do_set_competence(sphere, function, payload.kind, actor=request.user)
    return {"function": function.code, "function_name": function.name, "kind": competence.kind}


@router.delete("/{slug}/competences/{function}", response={204: None}, auth=AUTH, summary="Remove a competence")
def remove_competence(request, slug: str, function: str):
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("spheres.change_sphere", sphere):
        raise NotAllowed("forbidden", _("Only an admin of %(sphere)s can change it.") % {"sphere": sphere.name})
    from comuna.accounts.services import check_staff_mfa

    check_staff_mfa(request.user)
    competence = get_object_or_404(Competence, sphere=sphere, function_id=function)
    services.do_remove_competence(competence, actor=request.user)
    return Status(204, None)
