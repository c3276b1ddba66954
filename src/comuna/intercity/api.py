"""The intercity system over HTTP: the policy library (search with facets, detail, lineage), joint declarations
with each member's status, and a member official's ratification decision."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from comuna.api.auth import AUTH, OptionalAuth
from comuna.api.ratelimit import limit
from comuna.core.errors import NotFound
from comuna.spheres.models import Sphere

from . import declarations, services
from .models import Declaration, Policy

router = Router(tags=["intercity"], auth=OptionalAuth())
PAGE_SIZE = 20


class PolicySummaryOut(Schema):
    id: int
    title: str
    sphere: str = Field(alias="publisher")
    country: str
    function: str | None = Field(None, alias="function_id")
    parent: int | None = Field(None, alias="parent_id")
    origin_uri: str
    origin_instance: str
    url: str = Field(alias="get_absolute_url")


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class FacetsOut(Schema):
    network: list[FacetValueOut]
    sphere: list[FacetValueOut]
    country: list[FacetValueOut]
    function: list[FacetValueOut]
    goal: list[FacetValueOut]
    language: list[FacetValueOut]


class PolicyPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[PolicySummaryOut]
    facets: FacetsOut


class IndicatorOut(Schema):
    name: str
    baseline: str | None
    value: str | None
    unit: str
    year: int | None


class DocumentOut(Schema):
    title: str
    url: str


class PolicyOut(Schema):
    id: int
    url: str
    parent: int | None
    origin_uri: str
    origin_instance: str
    title: str
    problem: str
    measures: str
    adaptation: str
    results: list[IndicatorOut]
    function: str
    sdg_targets: list[str]
    languages: list[str]
    contact: str
    country: str
    documents: list[DocumentOut]
    sphere: str


class LineageNodeOut(Schema):
    id: int
    title: str
    sphere: str
    parent: int | None
    generation: int
    year: int


class LineageOut(Schema):
    root: int
    nodes: list[LineageNodeOut]


class MemberOut(Schema):
    label: str
    sphere: str | None
    uri: str | None
    decision: str
    method: str
    decided_at: str | None


class QuorumOut(Schema):
    count: int | None
    share: int | None
    needed: int | None
    ratified: int
    members: int


class NetworkOut(Schema):
    slug: str
    name: str


class DeclarationOut(Schema):
    id: int
    title: str
    text: str
    version: int
    status: str
    network: NetworkOut
    quorum: QuorumOut
    adopted_at: str | None
    members: list[MemberOut]


class DecisionIn(Schema):
    sphere: str = Field(max_length=80, description="The member sphere's slug")
    decision: str = Field(description="ratify, reject or abstain")
    note: str = Field("", max_length=3000)


@router.get("/policies", response=PolicyPageOut, summary="Search the policy library, with facets")
def search_policies(request, q: str = "", sphere: str = "", country: str = "", function: str = "",
                    goal: str = "", language: str = "", page: int = Query(1, ge=1, le=10_000)):
    query = services.PolicyQuery(text=q[:200], sphere=sphere, country=country, function=function, goal=goal,
                                 language=language)
    policies = services.find_policies(query)
    paginator = Paginator(policies, PAGE_SIZE)
    current = paginator.get_page(page)
    return {"count": paginator.count, "page": current.number, "pages": paginator.num_pages,
            "results": list(current), "facets": services.facets(policies)}


@router.get("/policies/{pk}", response=PolicyOut, summary="A policy in full")
def policy_detail(request, pk: int):
    policy = get_object_or_404(Policy.objects.select_related("sphere", "parent"), pk=pk)
    return {"id": policy.pk, "url": policy.get_absolute_url(), "parent": policy.parent_id,
            "origin_uri": policy.origin_uri, "origin_instance": policy.origin_instance,
            **services.policy_as_dict(policy)}


@router.get("/policies/{pk}/lineage", response=LineageOut, summary="The family of a policy: original and adaptations")
def policy_lineage(request, pk: int):
    policy = get_object_or_404(Policy, pk=pk)
    graph = services.lineage(policy)
    return {"root": graph["root"].pk, "nodes": [
        {"id": node["policy"].pk, "title": node["policy"].title, "sphere": node["policy"].publisher,
         "parent": node["policy"].parent_id, "generation": node["column"], "year": node["policy"].created_at.year}
        for node in graph["nodes"]]}


def _declaration(pk: int) -> Declaration:
    return get_object_or_404(Declaration.objects.select_related("network"), pk=pk)


@router.get("/declarations/{pk}", response=DeclarationOut, summary="A joint declaration and each member's status")
def declaration_detail(request, pk: int):
    declaration = _declaration(pk)
    return {"id": declaration.pk, **declarations.declaration_as_dict(declaration)}


@router.post("/declarations/{pk}/decisions", response=DeclarationOut, auth=AUTH,
             summary="A member's officials ratify, reject or abstain")
def decide(request, pk: int, payload: DecisionIn):
    limit(request)
    declaration = _declaration(pk)
    sphere = Sphere.objects.filter(slug=payload.sphere).first()
    if sphere is None:
        raise NotFound("unknown_sphere", _("There is no sphere “%(slug)s”.") % {"slug": payload.sphere[:80]})
    declarations.do_decide_ratification(declaration, sphere, decision=payload.decision, note=payload.note,
                                        actor=request.user)
    return {"id": declaration.pk, **declarations.declaration_as_dict(declaration)}
