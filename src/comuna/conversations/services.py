"""Conversations, tensions and mediation: `check_*` validates, `do_*` changes the data and writes the audit event,
in one transaction. Every refusal is raised before anything changes."""

from __future__ import annotations

from datetime import date

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from comuna.accounts.models import Role
from comuna.accounts.selectors import STAFF_ROLES, has_role, is_resident
from comuna.accounts.services import check_perm
from comuna.audit.services import record
from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.spheres.models import Sphere

from . import actions, imports
from .maps import forget_map, opinion_map
from .models import (
    STATEMENT_MAX_LENGTH,
    Agreement,
    AgreementStatus,
    CaseNote,
    CaseParty,
    CaseStatus,
    Conversation,
    DialogueSession,
    MediationCase,
    Moderation,
    Participant,
    Statement,
    TensionCategory,
    TensionReport,
    TensionStatus,
    Vote,
    VoteEvent,
    VoteValue,
)

STATEMENT_MIN_LENGTH = 5


# --- Conversations --------------------------------------------------------------------------------------------

def check_can_see(user, conversation: Conversation) -> None:
    """A conversation inside a private process is seen by whoever may see that process."""
    if conversation.process_id is not None:
        from comuna.participation.services import check_can_see as check_can_see_process

        check_can_see_process(user, conversation.process)


def check_participant(user, conversation: Conversation) -> None:
    """Signed in, the conversation open, and a resident of its sphere (or someone working there)."""
    if not user.is_authenticated:
        raise NotAllowed("not_authenticated", _("Sign in to take part."))
    if not conversation.is_open:
        raise Conflict("conversation_closed",
                       _("This conversation closed on %(date)s: it no longer takes votes or statements.")
                       % {"date": formats.date_format(timezone.localtime(conversation.closed_at), "DATE_FORMAT")})
    sphere = conversation.sphere
    if not is_resident(user, sphere) and not has_role(user, sphere, STAFF_ROLES):
        raise NotAllowed("not_resident", _("Only verified residents of %(sphere)s can take part in this conversation.")
                         % {"sphere": sphere.name})


def _check_slug(slug: str) -> str:
    slug = slugify(slug)[:80]
    if not slug:
        raise DomainError("slug_required", _("Give the conversation a short name for its address."))
    if Conversation.objects.filter(slug=slug).exists():
        raise Conflict("slug_taken", _("The short name “%(slug)s” is already used.") % {"slug": slug})
    return slug


@transaction.atomic
def do_open_conversation(actor, sphere: Sphere, *, slug: str, topic: str, description: str = "",
                         strict_moderation: bool = False, process=None, case: MediationCase | None = None
                         ) -> Conversation:
    check_perm(actor, "conversations.open_conversation", sphere,
               _("Only officials and mediators of %(sphere)s can open a conversation there.") % {"sphere": sphere.name})
    return build_conversation(sphere, actor=actor, slug=slug, topic=topic, description=description,
                              strict_moderation=strict_moderation, process=process, case=case)


def build_conversation(sphere: Sphere, *, actor, slug: str, topic: str, description: str = "",
                       strict_moderation: bool = False, process=None, case: MediationCase | None = None
                       ) -> Conversation:
    """The conversation, once permission is settled (the demo loader calls this directly)."""
    if sphere.is_network:
        raise DomainError("network_conversation", _("Conversations belong to a sphere of government."))
    if len(topic.strip()) < 10:
        raise DomainError("topic_too_short", _("Ask the conversation's question in at least 10 characters."))
    if process is not None and process.sphere_id != sphere.pk:
        raise DomainError("wrong_process", _("That process belongs to another sphere."))
    if case is not None and case.sphere_id != sphere.pk:
        raise DomainError("wrong_case", _("That mediation case belongs to another sphere."))
    slug = _check_slug(slug)
    conversation = Conversation.objects.create(
        sphere=sphere, slug=slug, topic=topic.strip()[:200], description=description.strip()[:3000],
        strict_moderation=strict_moderation, process=process, case=case,
        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    record(actions.CONVERSATION_OPENED, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere, target=conversation,
           data={"slug": slug, "strict": strict_moderation, "case": case.pk if case else None})
    return conversation


@transaction.atomic
def do_close_conversation(actor, conversation: Conversation) -> Conversation:
    check_perm(actor, "conversations.open_conversation", conversation.sphere,
               _("Only officials and mediators of %(sphere)s can close this conversation.")
               % {"sphere": conversation.sphere.name})
    if not conversation.is_open:
        raise Conflict("already_closed", _("This conversation is already closed."))
    conversation.closed_at = timezone.now()
    conversation.save(update_fields=["closed_at"])
    record(actions.CONVERSATION_CLOSED, actor=actor, actor_role=Role.OFFICIAL, sphere=conversation.sphere,
           target=conversation)
    return conversation


def check_empty(conversation: Conversation) -> None:
    """An export fills only a conversation that has nothing yet: no statement, no participant, no vote."""
    if not conversation.is_open:
        raise Conflict("conversation_closed", _("This conversation is closed."))
    if (Statement.objects.filter(conversation=conversation).exists()
            or Participant.objects.filter(conversation=conversation).exists()
            or VoteEvent.objects.filter(conversation=conversation).exists()):
        raise Conflict("conversation_not_empty",
                       _("This conversation already has statements or votes: import the export into a new one."))


@transaction.atomic
def do_import_polis_export(actor, sphere: Sphere, uploads, *, conversation: Conversation | None = None,
                           slug: str = "", topic: str = "", description: str = "", strict_moderation: bool = False,
                           process=None) -> Conversation:
    """A conversation from a Pol.is export (its four CSV files, or one .zip holding them): a new one, or an empty
    `conversation` filled. Statements, pseudonymous participants (never linked to an account) and every vote in the
    order cast; then the map is computed. A malformed export is refused with its file, line and reason, and nothing
    is written. Without a `topic`, the export's own (summary.csv) is used."""
    check_perm(actor, "conversations.import_export", sphere,
               _("Only officials and moderators of %(sphere)s can import a conversation there.")
               % {"sphere": sphere.name})
    if conversation is not None:
        if conversation.sphere_id != sphere.pk:
            raise DomainError("wrong_sphere", _("That conversation belongs to another sphere."))
        check_empty(conversation)
    export = imports.read_upload(uploads)
    if conversation is None:
        conversation = build_conversation(sphere, actor=actor, slug=slug, topic=topic.strip()
                                          or export.summary.get("topic", ""), description=description.strip()
                                          or export.summary.get("conversation-description", ""),
                                          strict_moderation=strict_moderation, process=process)
    written = imports.fill_conversation(conversation, export)
    forget_map(conversation)
    current = opinion_map(conversation)
    written["groups"] = len(set(current.groups().values()))
    role = Role.OFFICIAL if has_role(actor, sphere, [Role.ADMIN, Role.OFFICIAL]) else Role.MODERATOR
    record(actions.CONVERSATION_IMPORTED, actor=actor, actor_role=role, sphere=sphere, target=conversation,
           data={"slug": conversation.slug, **written})
    conversation.refresh_from_db()
    conversation.imported = written
    return conversation


def _numbered(model, conversation: Conversation, **fields):
    """Create a row numbered 0, 1, 2… within the conversation; a clash with a concurrent writer retries."""
    for _attempt in range(5):
        last = model.objects.filter(conversation=conversation).aggregate(last=Max("number"))["last"]
        try:
            with transaction.atomic():
                return model.objects.create(conversation=conversation, number=0 if last is None else last + 1,
                                            **fields)
        except IntegrityError:
            if "user" in fields and model is Participant:
                existing = Participant.objects.filter(conversation=conversation, user=fields["user"]).first()
                if existing is not None:
                    return existing
    raise Conflict("busy", _("Many people are writing at once: try again."))


def participant_for(user, conversation: Conversation, create: bool = False) -> Participant | None:
    if not user.is_authenticated:
        return None
    participant = Participant.objects.filter(conversation=conversation, user=user).first()
    if participant is None and create:
        participant = _numbered(Participant, conversation, user=user)
    return participant


def check_statement_text(conversation: Conversation, text: str) -> str:
    text = " ".join(text.split())
    if len(text) < STATEMENT_MIN_LENGTH:
        raise DomainError("statement_too_short", _("Write a statement of at least %(count)d characters.")
                          % {"count": STATEMENT_MIN_LENGTH})
    if len(text) > STATEMENT_MAX_LENGTH:
        raise DomainError("statement_too_long",
                          _("A statement has at most %(max)d characters; this one has %(count)d. Keep one idea.")
                          % {"max": STATEMENT_MAX_LENGTH, "count": len(text)})
    if Statement.objects.filter(conversation=conversation, text__iexact=text).exists():
        raise Conflict("duplicate_statement", _("This statement is already in the conversation: vote on it instead."))
    return text


@transaction.atomic
def do_add_statement(user, conversation: Conversation, text: str) -> Statement:
    """A short statement; in a strictly moderated conversation it waits for a moderator before anyone votes."""
    check_participant(user, conversation)
    text = check_statement_text(conversation, text)
    author = participant_for(user, conversation, create=True)
    statement = _numbered(Statement, conversation, author=author, text=text, moderation=Moderation.UNMODERATED)
    Conversation.objects.filter(pk=conversation.pk).update(statements_version=F("statements_version") + 1)
    record(actions.STATEMENT_ADDED, actor=user, sphere=conversation.sphere, target=statement,
           data={"conversation": conversation.slug, "number": statement.number,
                 "waiting": conversation.strict_moderation})
    return statement


def seed_statements(conversation: Conversation, texts: list[str]) -> list[Statement]:
    """Statements written by whoever opened the conversation, accepted at once (demo, or an official's seed)."""
    created = [_numbered(Statement, conversation, text=text.strip()[:STATEMENT_MAX_LENGTH],
                         moderation=Moderation.ACCEPTED) for text in texts]
    Conversation.objects.filter(pk=conversation.pk).update(statements_version=F("statements_version") + 1)
    return created


@transaction.atomic
def do_moderate_statement(moderator, statement: Statement, moderation: int) -> Statement:
    conversation = statement.conversation
    check_perm(moderator, "conversations.moderate", conversation.sphere,
               _("Only moderators of %(sphere)s can moderate this conversation.") % {"sphere": conversation.sphere.name})
    if moderation not in (Moderation.ACCEPTED, Moderation.HIDDEN):
        raise DomainError("unknown_decision", _("A moderator accepts or hides a statement."))
    if statement.moderation == moderation:
        raise Conflict("already_decided", _("This statement is already %(state)s.")
                       % {"state": Moderation(moderation).label.lower()})
    statement.moderation = moderation
    statement.save(update_fields=["moderation"])
    Conversation.objects.filter(pk=conversation.pk).update(statements_version=F("statements_version") + 1)
    record(actions.STATEMENT_MODERATED, actor=moderator, actor_role=Role.MODERATOR, sphere=conversation.sphere,
           target=statement, data={"conversation": conversation.slug, "moderation": int(moderation)})
    return statement


def check_vote(user, conversation: Conversation, statement: Statement, value) -> None:
    if value not in VoteValue.values:
        raise DomainError("bad_vote", _("A vote is agree (1), disagree (-1) or pass (0)."))
    if statement.conversation_id != conversation.pk:
        raise DomainError("wrong_statement", _("That statement belongs to another conversation."))
    check_participant(user, conversation)
    if statement.moderation == Moderation.HIDDEN:
        raise Conflict("statement_hidden",
                       _("Statement %(number)d was hidden by the moderators: it no longer takes votes.")
                       % {"number": statement.number})
    if not statement.is_votable(conversation):
        raise Conflict("statement_waiting",
                       _("Statement %(number)d is waiting for a moderator: it cannot be voted on yet.")
                       % {"number": statement.number})


@transaction.atomic
def do_vote(user, conversation: Conversation, statement: Statement, value: int) -> Vote:
    """Agree, disagree or pass. Voting again on a statement replaces the earlier vote (the history is kept).

    An opinion vote is not a governance decision and is not written to the audit log: doing so would tie an
    account to each statement it voted on."""
    check_vote(user, conversation, statement, value)
    # One vote of a conversation at a time, to commit: the map folds in events by id (maps.py), so on PostgreSQL an
    # event must not commit after a later id that a reader has already folded in (it would be skipped for good).
    Conversation.objects.select_for_update().filter(pk=conversation.pk).values_list("pk", flat=True).first()
    participant = participant_for(user, conversation, create=True)
    now = timezone.now()
    vote = Vote.objects.filter(statement=statement, participant=participant).first()
    if vote is None:
        try:
            with transaction.atomic():
                vote = Vote.objects.create(conversation=conversation, statement=statement, participant=participant,
                                           value=value, created_at=now, updated_at=now)
        except IntegrityError:  # a second click at the same moment: the later one replaces it
            vote = Vote.objects.get(statement=statement, participant=participant)
    if vote.value != value or vote.updated_at != now:
        vote.value, vote.updated_at = value, now
        vote.save(update_fields=["value", "updated_at"])
    VoteEvent.objects.create(conversation=conversation, statement=statement, participant=participant, value=value,
                             created_at=now)
    return vote


def votable_statements(conversation: Conversation):
    statements = Statement.objects.filter(conversation=conversation)
    if conversation.strict_moderation:
        return statements.filter(moderation=Moderation.ACCEPTED)
    return statements.exclude(moderation=Moderation.HIDDEN)


def next_statement(conversation: Conversation, participant: Participant | None, opinion_map_=None
                   ) -> Statement | None:
    """The next statement to show, by Pol.is's priority, drawn with a random generator seeded by the conversation,
    the participant and how many votes they cast (so a reload shows the same statement)."""
    candidates = {s.number: s for s in votable_statements(conversation)}
    if participant is not None:
        voted = set(Vote.objects.filter(participant=participant).values_list("statement__number", flat=True))
        candidates = {number: s for number, s in candidates.items() if number not in voted}
    if not candidates:
        return None
    opinion_map_ = opinion_map_ or opinion_map(conversation)
    number = participant.number if participant is not None else -1
    rng = np.random.default_rng([conversation.pk, number + 1, len(candidates)])
    chosen = opinion_map_.next_statement(number, rng)
    return candidates.get(chosen) or candidates[min(candidates)]


# --- Tensions register ----------------------------------------------------------------------------------------

def check_tension(category: str, severity, description: str) -> None:
    if category not in TensionCategory.values:
        raise DomainError("unknown_category", _("Choose what kind of tension this is."))
    if not isinstance(severity, int) or not 1 <= severity <= 5:
        raise DomainError("bad_severity", _("Severity goes from 1 (low) to 5 (very serious)."))
    if len(description.strip()) < 20:
        raise DomainError("description_too_short",
                          _("Describe what is happening in at least 20 characters, so mediators can act."))


@transaction.atomic
def do_report_tension(user, sphere: Sphere, *, category: str, severity: int, description: str, place: str = "",
                      anonymous: bool = False) -> TensionReport:
    """Residents and officials report a tension; an anonymous report keeps no trace of who sent it (no author,
    no actor in the audit log)."""
    if not user.is_authenticated:
        raise NotAllowed("not_authenticated", _("Sign in to report a tension (you can still report it anonymously)."))
    if sphere.is_network:
        raise DomainError("network_tension", _("Tensions are reported to a sphere of government."))
    check_tension(category, severity, description)
    report = TensionReport.objects.create(sphere=sphere, category=category, severity=severity,
                                          description=description.strip()[:3000], place=place.strip()[:200],
                                          author=None if anonymous else user)
    record(actions.TENSION_REPORTED, actor=None if anonymous else user, sphere=sphere, target=report,
           data={"category": category, "severity": severity})
    return report


TRIAGE_STATUSES = (TensionStatus.NEW, TensionStatus.REVIEW, TensionStatus.CLOSED)


@transaction.atomic
def do_triage_tension(mediator, report: TensionReport, status: str) -> TensionReport:
    check_perm(mediator, "conversations.triage_tensions", report.sphere,
               _("Only mediators of %(sphere)s can triage its tension reports.") % {"sphere": report.sphere.name})
    if status == TensionStatus.ESCALATED:
        raise DomainError("escalate_with_case", _("To escalate a report, open a mediation case from it."))
    if status not in TRIAGE_STATUSES:
        raise DomainError("unknown_status", _("A report is new, under review, escalated or closed."))
    if report.status == TensionStatus.ESCALATED:
        raise Conflict("escalated", _("This report is part of a mediation case: follow it there."))
    report.status, report.updated_at = status, timezone.now()
    report.save(update_fields=["status", "updated_at"])
    record(actions.TENSION_TRIAGED, actor=mediator, actor_role=Role.MEDIATOR, sphere=report.sphere, target=report,
           data={"status": status})
    return report


# --- Mediation cases ------------------------------------------------------------------------------------------

def check_mediator(user, sphere: Sphere) -> None:
    check_perm(user, "conversations.mediate", sphere,
               _("Only mediators of %(sphere)s can do this.") % {"sphere": sphere.name})


@transaction.atomic
def do_open_case(mediator, sphere: Sphere, *, title: str, summary: str = "",
                 reports: list[TensionReport] = ()) -> MediationCase:
    check_mediator(mediator, sphere)
    if len(title.strip()) < 5:
        raise DomainError("title_required", _("Give the case a title of at least 5 characters."))
    below = set()
    for report in reports:
        if report.sphere_id != sphere.pk and sphere.pk not in report.sphere.chain_ids():
            raise DomainError("wrong_sphere", _("Report #%(number)d was sent to another sphere.")
                              % {"number": report.pk})
        if report.case_id is not None:
            raise Conflict("already_escalated", _("Report #%(number)d is already part of a case.")
                           % {"number": report.pk})
        below.add(report.pk)
    case = MediationCase.objects.create(sphere=sphere, title=title.strip()[:200], summary=summary.strip()[:3000],
                                        opened_by=mediator)
    TensionReport.objects.filter(pk__in=below).update(case=case, status=TensionStatus.ESCALATED,
                                                      updated_at=timezone.now())
    record(actions.CASE_OPENED, actor=mediator, actor_role=Role.MEDIATOR, sphere=sphere, target=case,
           data={"reports": sorted(below)})
    return case


def _touch(case: MediationCase) -> None:
    MediationCase.objects.filter(pk=case.pk).update(updated_at=timezone.now())


@transaction.atomic
def do_add_party(mediator, case: MediationCase, *, name: str, organisation: str = "", position: str = "") -> CaseParty:
    check_mediator(mediator, case.sphere)
    if not name.strip():
        raise DomainError("name_required", _("Name the party (a person, a group or an organisation)."))
    party = CaseParty.objects.create(case=case, name=name.strip()[:200], organisation=organisation.strip()[:200],
                                     position=position.strip()[:500])
    _touch(case)
    return party


@transaction.atomic
def do_add_note(mediator, case: MediationCase, text: str) -> CaseNote:
    """A confidential note: no audit data, no page or route but the mediators' shows it."""
    check_mediator(mediator, case.sphere)
    if not text.strip():
        raise DomainError("empty_note", _("Write the note before saving it."))
    note = CaseNote.objects.create(case=case, author=mediator, text=text.strip()[:5000])
    _touch(case)
    return note


@transaction.atomic
def do_add_session(mediator, case: MediationCase, *, held_on: date, summary: str, place: str = "",
                   meeting=None) -> DialogueSession:
    check_mediator(mediator, case.sphere)
    if len(summary.strip()) < 10:
        raise DomainError("summary_required", _("Say in a few words what was said and decided in the session."))
    session = DialogueSession.objects.create(case=case, held_on=held_on, summary=summary.strip()[:5000],
                                             place=place.strip()[:200], meeting=meeting)
    _touch(case)
    record(actions.SESSION_HELD, actor=mediator, actor_role=Role.MEDIATOR, sphere=case.sphere, target=case,
           data={"session": session.pk, "held_on": held_on.isoformat()})
    return session


@transaction.atomic
def do_add_agreement(mediator, case: MediationCase, *, text: str, follow_up_on: date | None = None) -> Agreement:
    check_mediator(mediator, case.sphere)
    if case.status == CaseStatus.CLOSED:
        raise Conflict("case_closed", _("This case is closed."))
    if len(text.strip()) < 10:
        raise DomainError("agreement_required", _("Write what the parties agreed in at least 10 characters."))
    agreement = Agreement.objects.create(case=case, text=text.strip()[:3000], follow_up_on=follow_up_on)
    MediationCase.objects.filter(pk=case.pk).update(status=CaseStatus.AGREEMENT, updated_at=timezone.now())
    case.status = CaseStatus.AGREEMENT
    record(actions.AGREEMENT_RECORDED, actor=mediator, actor_role=Role.MEDIATOR, sphere=case.sphere, target=case,
           data={"agreement": agreement.pk})
    return agreement


@transaction.atomic
def do_follow_up(mediator, agreement: Agreement, *, status: str, follow_up: str) -> Agreement:
    case = agreement.case
    check_mediator(mediator, case.sphere)
    if status not in AgreementStatus.values:
        raise DomainError("unknown_status", _("An agreement is being carried out, kept or not kept."))
    if not follow_up.strip():
        raise DomainError("follow_up_required", _("Say what was checked and what happened."))
    agreement.status, agreement.follow_up = status, follow_up.strip()[:3000]
    agreement.save(update_fields=["status", "follow_up"])
    _touch(case)
    record(actions.AGREEMENT_FOLLOWED_UP, actor=mediator, actor_role=Role.MEDIATOR, sphere=case.sphere, target=case,
           data={"agreement": agreement.pk, "status": status})
    return agreement


@transaction.atomic
def do_close_case(mediator, case: MediationCase) -> MediationCase:
    check_mediator(mediator, case.sphere)
    if case.status == CaseStatus.CLOSED:
        raise Conflict("case_closed", _("This case is already closed."))
    case.status, case.updated_at = CaseStatus.CLOSED, timezone.now()
    case.save(update_fields=["status", "updated_at"])
    TensionReport.objects.filter(case=case).update(status=TensionStatus.CLOSED, updated_at=case.updated_at)
    record(actions.CASE_CLOSED, actor=mediator, actor_role=Role.MEDIATOR, sphere=case.sphere, target=case)
    return case


@transaction.atomic
def do_open_case_conversation(mediator, case: MediationCase, *, slug: str, topic: str, description: str = "",
                              strict_moderation: bool = True) -> Conversation:
    """A conversation to map where the community stands on the case (strictly moderated by default)."""
    check_mediator(mediator, case.sphere)
    return build_conversation(case.sphere, actor=mediator, slug=slug, topic=topic, description=description,
                              strict_moderation=strict_moderation, case=case)
