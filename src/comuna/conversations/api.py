"""Conversations, tensions and cases over HTTP: the same domain functions and permissions as the pages.

No route returns a mediation case's confidential notes, whoever asks."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from comuna.api.auth import AUTH, OptionalAuth
from comuna.api.ratelimit import limit
from comuna.core.errors import NotAllowed, NotFound
from comuna.spheres.models import Sphere

from . import selectors, services
from .maps import opinion_map
from .models import Conversation, MediationCase, Statement

router = Router(tags=["conversations"], auth=OptionalAuth())


class ConversationOut(Schema):
    slug: str
    sphere: str = Field(alias="sphere.slug")
    topic: str
    description: str
    strict_moderation: bool
    is_open: bool
    created_at: datetime


class StatementOut(Schema):
    number: int
    text: str
    moderation: int


class RankedOut(Schema):
    statement: int
    text: str
    direction: str
    percent: int
    votes: int


class GroupOut(Schema):
    label: str
    size: int
    representative: list[RankedOut]


class MapOut(Schema):
    participants: int
    in_map: int
    groups: list[GroupOut]
    consensus_agree: list[RankedOut]
    consensus_disagree: list[RankedOut]
    divisive: list[StatementOut]


class VoteIn(Schema):
    statement: int = Field(ge=0, le=10_000_000)
    vote: int


class VoteOut(Schema):
    statement: int
    vote: int
    next_statement: StatementOut | None


class ImportOut(Schema):
    slug: str
    topic: str
    statements: int
    participants: int
    votes: int
    groups: int


def _imported(conversation: Conversation) -> dict:
    return {"slug": conversation.slug, "topic": conversation.topic, **conversation.imported}


class StatementIn(Schema):
    text: str = Field(max_length=1000)


class TensionIn(Schema):
    category: str
    severity: int
    description: str = Field(max_length=3000)
    place: str = Field("", max_length=200)
    anonymous: bool = False


class TensionOut(Schema):
    id: int
    sphere: str = Field(alias="sphere.slug")
    category: str
    severity: int
    status: str
    created_at: datetime


class PartyOut(Schema):
    name: str
    organisation: str
    position: str


class SessionOut(Schema):
    held_on: date
    place: str
    summary: str


class AgreementOut(Schema):
    text: str
    status: str
    follow_up_on: date | None
    follow_up: str


class CaseOut(Schema):
    """A case as its sphere's officials and mediators see it; the confidential notes are never part of it."""

    id: int
    sphere: str = Field(alias="sphere.slug")
    title: str
    summary: str
    status: str
    parties: list[PartyOut]
    sessions: list[SessionOut]
    agreements: list[AgreementOut]

    @staticmethod
    def resolve_parties(case: MediationCase) -> list:
        return list(case.parties.all())

    @staticmethod
    def resolve_sessions(case: MediationCase) -> list:
        return list(case.sessions.all())

    @staticmethod
    def resolve_agreements(case: MediationCase) -> list:
        return list(case.agreements.all())


def visible_conversation(request, slug: str) -> Conversation:
    conversation = get_object_or_404(Conversation.objects.select_related("sphere", "process"), slug=slug)
    services.check_can_see(request.user, conversation)
    return conversation


def _ranked(row: dict) -> dict:
    return {"statement": row["statement"].number, "text": row["statement"].text, "direction": row["direction"],
            "percent": row["percent"], "votes": row["votes"]}


@router.get("/{slug}", response=ConversationOut, summary="One conversation")
def get_conversation(request, slug: str):
    return visible_conversation(request, slug)


@router.get("/{slug}/statements", response=list[StatementOut], summary="The statements open to votes")
def list_statements(request, slug: str):
    return list(services.votable_statements(visible_conversation(request, slug)))


@router.get("/{slug}/map", response=MapOut, summary="Opinion groups, consensus, divisive and representative "
                                                     "statements")
def get_map(request, slug: str):
    conversation = visible_conversation(request, slug)
    view = selectors.map_view(conversation, opinion_map(conversation), None)
    return {
        "participants": view["participants"], "in_map": view["in_map"],
        "groups": [{"label": g["label"], "size": g["size"], "representative": [_ranked(r) for r in g["statements"]]}
                   for g in view["groups"]],
        "consensus_agree": [_ranked(r) for r in view["consensus_agree"]],
        "consensus_disagree": [_ranked(r) for r in view["consensus_disagree"]],
        "divisive": view["divisive"],
    }


@router.get("/{slug}/next", response={200: StatementOut, 204: None}, summary="The next statement to vote on")
def get_next(request, slug: str):
    conversation = visible_conversation(request, slug)
    statement = services.next_statement(conversation, services.participant_for(request.user, conversation))
    return statement if statement is not None else Status(204, None)


@router.post("/{slug}/votes", response={201: VoteOut}, auth=AUTH, summary="Agree (1), disagree (-1) or pass (0)")
def cast_vote(request, slug: str, payload: VoteIn):
    limit(request)
    conversation = visible_conversation(request, slug)
    statement = Statement.objects.filter(conversation=conversation, number=payload.statement).first()
    if statement is None:
        raise NotFound("unknown_statement", _("Statement %(number)d is not in this conversation.")
                       % {"number": payload.statement})
    vote = services.do_vote(request.user, conversation, statement, payload.vote)
    following = services.next_statement(conversation, vote.participant)
    return Status(201, {"statement": statement.number, "vote": vote.value, "next_statement": following})


@router.post("/{slug}/statements", response={201: StatementOut}, auth=AUTH, summary="Add a statement")
def add_statement(request, slug: str, payload: StatementIn):
    limit(request)
    return Status(201, services.do_add_statement(request.user, visible_conversation(request, slug), payload.text))


@router.post("/imports/{sphere}", response={201: ImportOut}, auth=AUTH,
             summary="A new conversation from a Pol.is export (its CSV files, or one .zip holding them)")
def import_conversation(request, sphere: str, files: File[list[UploadedFile]], slug: Form[str],
                        topic: Form[str] = "", description: Form[str] = "", strict_moderation: Form[bool] = False):
    """A malformed export is refused with code "malformed_export" and details {file, line, reason}; nothing is
    written."""
    limit(request)
    target = get_object_or_404(Sphere, slug=sphere)
    conversation = services.do_import_polis_export(request.user, target, files, slug=slug, topic=topic,
                                                   description=description, strict_moderation=strict_moderation)
    return Status(201, _imported(conversation))


@router.post("/{slug}/import", response={201: ImportOut}, auth=AUTH,
             summary="Fill an empty conversation from a Pol.is export")
def fill_conversation(request, slug: str, files: File[list[UploadedFile]]):
    limit(request)
    conversation = visible_conversation(request, slug)
    conversation = services.do_import_polis_export(request.user, conversation.sphere, files,
                                                   conversation=conversation)
    return Status(201, _imported(conversation))


@router.post("/tensions/{sphere}", response={201: TensionOut}, auth=AUTH,
             summary="Report a local tension (anonymously if asked: no author is stored)")
def report_tension(request, sphere: str, payload: TensionIn):
    limit(request, rate="5/h", group="conversations.tension")
    target = get_object_or_404(Sphere, slug=sphere)
    return Status(201, services.do_report_tension(request.user, target, **payload.dict()))


@router.get("/cases/{case_id}", response=CaseOut, auth=AUTH, summary="A mediation case (mediators and officials)")
def get_case(request, case_id: int):
    case = MediationCase.objects.select_related("sphere").filter(pk=case_id).first() \
        if 0 < case_id < 2**31 else None
    if case is None:
        raise NotFound("unknown_case", _("No such mediation case."))
    if not selectors.can_see_cases(request.user, case.sphere):
        raise NotAllowed("forbidden", _("Only the mediators and officials of %(sphere)s can see this case.")
                         % {"sphere": case.sphere.name})
    return case
