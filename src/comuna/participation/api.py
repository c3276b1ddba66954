"""Participation over HTTP: the same domain functions and permissions as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from comuna.api.auth import AUTH, OptionalAuth
from comuna.api.ratelimit import limit
from comuna.core.errors import NotFound
from comuna.spheres.models import Function, Sphere

from . import selectors, services
from .models import Commitment, Process, Proposal

router = Router(tags=["participation"], auth=OptionalAuth())


class PhaseOut(Schema):
    kind: str
    starts_at: datetime
    ends_at: datetime


class ProcessOut(Schema):
    slug: str
    sphere: str = Field(alias="sphere.slug")
    title: str
    template: str
    support_threshold: int
    answer_days: int
    phases: list[PhaseOut]
    current_phase: str | None

    @staticmethod
    def resolve_phases(process: Process) -> list:
        return list(process.phases.all())

    @staticmethod
    def resolve_current_phase(process: Process) -> str | None:
        phase = process.phase_at()
        return phase.kind if phase else None


class ProposalOut(Schema):
    id: int
    process: str = Field(alias="process.slug")
    sphere: str = Field(alias="sphere.slug")
    title: str
    body: str
    function: str | None = Field(None, alias="function_id")
    place: str
    status: str
    support_count: int
    comment_count: int
    answer_due: date | None
    created_at: datetime


class ProposalIn(Schema):
    title: str = Field(max_length=150)
    body: str = Field(max_length=5000)
    function: str | None = None
    place: str = Field("", max_length=200)


class CommentIn(Schema):
    body: str = Field(max_length=3000)
    parent: int | None = None


class CommentOut(Schema):
    id: int
    parent: int | None = Field(None, alias="parent_id")
    hidden: bool
    body: str
    is_official: bool
    agree_count: int
    disagree_count: int
    created_at: datetime

    @staticmethod
    def resolve_body(comment) -> str:
        # A comment hidden by moderators keeps its place in the thread, without its text.
        return "" if comment.hidden else comment.body


class AnswerIn(Schema):
    status: str
    text: str = Field(max_length=5000)


class ReferralIn(Schema):
    to_sphere: str
    reason: str = Field(max_length=2000)


class CommitmentOut(Schema):
    id: int
    sphere: str = Field(alias="sphere.slug")
    proposal: int | None = Field(None, alias="proposal_id")
    title: str
    status: str
    progress: int
    updated_at: datetime


def visible_process(request, slug: str) -> Process:
    process = get_object_or_404(Process.objects.select_related("sphere").prefetch_related("phases"), slug=slug)
    services.check_can_see(request.user, process)
    return process


def visible_proposal(request, pk: int) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("process__sphere", "sphere"), pk=pk)
    services.check_can_see(request.user, proposal.process)
    return proposal


@router.get("/processes", response=list[ProcessOut], summary="Public participatory processes")
@paginate(PageNumberPagination, page_size=50)
def list_processes(request, sphere: str | None = None):
    processes = Process.objects.filter(is_private=False).select_related("sphere").prefetch_related("phases")
    if sphere:
        processes = processes.filter(sphere__slug=sphere)
    return processes


@router.get("/processes/{slug}", response=ProcessOut, summary="One process and its phases")
def get_process(request, slug: str):
    return visible_process(request, slug)


@router.get("/processes/{slug}/proposals", response=list[ProposalOut], summary="Proposals of a process")
@paginate(PageNumberPagination, page_size=20)
def list_proposals(request, slug: str, status: str = "", function: str = "", order: str = "recent"):
    return selectors.proposals_of(visible_process(request, slug), status=status, function=function, order=order)


@router.post("/processes/{slug}/proposals", response={201: ProposalOut}, auth=AUTH, summary="File a proposal")
def create_proposal(request, slug: str, payload: ProposalIn):
    limit(request)
    process = visible_process(request, slug)
    function = None
    if payload.function:
        function = Function.objects.filter(pk=payload.function).first()
        if function is None:
            raise NotFound("unknown_function", _("“%(code)s” is not a COFOG function code.") % {"code": payload.function[:10]})
    proposal = services.do_create_proposal(request.user, process, title=payload.title, body=payload.body,
                                           function=function, place=payload.place)
    return Status(201, proposal)


@router.get("/proposals/{pk}", response=ProposalOut, summary="One proposal")
def get_proposal(request, pk: int):
    return visible_proposal(request, pk)


@router.post("/proposals/{pk}/supports", response={201: ProposalOut}, auth=AUTH, summary="Support a proposal")
def support(request, pk: int):
    limit(request)
    proposal = visible_proposal(request, pk)
    services.do_support(request.user, proposal)
    proposal.refresh_from_db()
    return Status(201, proposal)


@router.get("/proposals/{pk}/comments", response=list[CommentOut], summary="Comments on a proposal")
@paginate(PageNumberPagination, page_size=50)
def list_comments(request, pk: int):
    """Oldest first, 50 a page; hidden comments without their text."""
    return visible_proposal(request, pk).comments.order_by("created_at", "pk")


@router.post("/proposals/{pk}/comments", response={201: CommentOut}, auth=AUTH, summary="Comment on a proposal")
def comment(request, pk: int, payload: CommentIn):
    limit(request)
    proposal = visible_proposal(request, pk)
    parent = get_object_or_404(proposal.comments, pk=payload.parent) if payload.parent else None
    return Status(201, services.do_comment(request.user, proposal, payload.body, parent))


@router.post("/proposals/{pk}/answer", response=ProposalOut, auth=AUTH, summary="Give the official answer")
def answer(request, pk: int, payload: AnswerIn):
    limit(request)
    proposal = visible_proposal(request, pk)
    services.do_answer(request.user, proposal, status=payload.status, text=payload.text)
    proposal.refresh_from_db()
    return proposal


@router.post("/proposals/{pk}/referrals", response=ProposalOut, auth=AUTH, summary="Refer to another sphere")
def refer(request, pk: int, payload: ReferralIn):
    limit(request)
    proposal = visible_proposal(request, pk)
    to_sphere = Sphere.objects.filter(slug=payload.to_sphere).first()
    if to_sphere is None:
        raise NotFound("unknown_sphere", _("There is no sphere “%(slug)s”.") % {"slug": payload.to_sphere[:80]},
                       sphere=payload.to_sphere[:80])
    services.do_refer(request.user, proposal, to_sphere, payload.reason)
    proposal.refresh_from_db()
    return proposal


@router.get("/spheres/{slug}/commitments", response=list[CommitmentOut], summary="A sphere's commitments")
@paginate(PageNumberPagination, page_size=50)
def list_commitments(request, slug: str):
    return Commitment.objects.filter(sphere__slug=slug).select_related("sphere")


@router.get("/proposals", response=list[ProposalOut], summary="Search proposals across every visible process")
@paginate(PageNumberPagination, page_size=20)
def search_proposals(request, q: str = "", status: str = "", function: str = "", sphere: str = "",
                     min_supports: int = Query(0, ge=0), order: str = "recent"):
    return selectors.find_proposals(request.user, text=q[:200], status=status, function=function, sphere=sphere,
                                    min_supports=min_supports, order=order)
