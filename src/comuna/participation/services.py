"""Participation actions: `check_*` validates, `do_*` changes the data and writes the audit event, in one transaction."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comuna.accounts.models import Role
from comuna.accounts.selectors import has_role, is_resident
from comuna.accounts.services import check_perm
from comuna.audit import actions
from comuna.audit.services import record
from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.spheres.models import Function, Sphere
from comuna.spheres.routing import Routing, competent_sphere

from .amendments import add_version
from .models import (
    Answer,
    AnswerStatus,
    Comment,
    CommentVote,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Milestone,
    NotificationKind,
    Phase,
    Process,
    Proposal,
    ProposalStatus,
    Referral,
    Support,
)
from .moderation import is_blocked
from .notifications import follow_quietly, notify
from .phases import PHASE_FEATURES, TEMPLATE_PHASES, Feature

FEATURE_REFUSALS = {
    Feature.SUBMIT: gettext_lazy("New proposals are not accepted in the current phase of this process."),
    Feature.SUPPORT: gettext_lazy("Supports are not open in the current phase of this process."),
    Feature.COMMENT: gettext_lazy("Comments are closed in the current phase of this process."),
    Feature.AMEND: gettext_lazy("Amendments are not open in the current phase of this process."),
    Feature.VOTE: gettext_lazy("Voting is not open in the current phase of this process."),
}


# --- Processes ------------------------------------------------------------------------------------------------

@transaction.atomic
def do_create_process(sphere: Sphere, *, actor, slug: str, title_en: str, template: str, starts_at=None,
                      **fields) -> Process:
    """A process with its phases laid out one after another from the template's default lengths."""
    check_perm(actor, "participation.create_process", sphere,
               _("Only an admin of %(sphere)s can open a process there.") % {"sphere": sphere.name})
    return build_process(sphere, actor=actor, slug=slug, title_en=title_en, template=template, starts_at=starts_at,
                         **fields)


def build_process(sphere: Sphere, *, actor, slug: str, title_en: str, template: str, starts_at=None,
                  **fields) -> Process:
    """The process and its phases, once permission is settled (the demo loader calls this directly)."""
    if template not in TEMPLATE_PHASES:
        raise DomainError("unknown_template", _("“%(template)s” is not a process template.") % {"template": template[:40]})
    if sphere.is_network:
        raise DomainError("network_process", _("Processes belong to a sphere of government."))
    if Process.objects.filter(slug=slug).exists():
        raise Conflict("slug_taken", _("The short name “%(slug)s” is already used.") % {"slug": slug[:80]})
    process = Process(sphere=sphere, slug=slug, title_en=title_en, template=template, **fields)
    process.full_clean()
    process.save()
    start = starts_at or timezone.now()
    for kind, days in TEMPLATE_PHASES[template]:
        Phase.objects.create(process=process, kind=kind, starts_at=start, ends_at=start + timedelta(days=days))
        start += timedelta(days=days)
    record(actions.PROCESS_CREATED, actor=actor, actor_role=Role.ADMIN, sphere=sphere, target=process,
           data={"template": template})
    return process


def check_can_see(user, process: Process) -> None:
    if process.is_private and not (is_resident(user, process.sphere) or has_role(user, process.sphere, list(Role))):
        raise NotAllowed("private_process", _("This process is open to the residents of %(sphere)s only.")
                         % {"sphere": process.sphere.name})


def check_participant(user, process: Process, feature: str, sphere: Sphere | None = None) -> None:
    """A verified resident of the sphere concerned, in a phase that allows the action."""
    if not user.is_authenticated:
        raise NotAllowed("not_authenticated", _("Sign in to take part."))
    if not process.allows(feature):
        raise DomainError("phase_closed", FEATURE_REFUSALS[feature], feature=feature)
    sphere = sphere or process.sphere
    if is_blocked(user, sphere):
        raise NotAllowed("blocked", _("The moderators of %(sphere)s have blocked you from taking part here.")
                         % {"sphere": sphere.name})
    if not is_resident(user, sphere) and not is_resident(user, process.sphere):
        raise NotAllowed("not_resident", _("Only verified residents of %(sphere)s can take part here.")
                         % {"sphere": process.sphere.name})


# --- Proposals ------------------------------------------------------------------------------------------------

def routing_for(process: Process, function: Function | None) -> Routing | None:
    """Where subsidiarity would send a proposal on `function`, when that is not the process's own sphere."""
    if function is None:
        return None
    routing = competent_sphere(function, process.sphere)
    return routing if routing.sphere is not None and routing.sphere.pk != process.sphere_id else None


def open_processes_for(sphere: Sphere, feature: str = Feature.SUBMIT) -> list[Process]:
    now = timezone.now()
    candidates = Process.objects.filter(sphere=sphere, phases__starts_at__lte=now, phases__ends_at__gt=now,
                                        phases__kind__in=[k for k, f in PHASE_FEATURES.items() if feature in f])
    return list(candidates.distinct())


def check_proposal_text(title: str, body: str) -> None:
    if len(title.strip()) < 10:
        raise DomainError("title_too_short", _("Give the proposal a title of at least 10 characters."))
    if len(body.strip()) < 30:
        raise DomainError("body_too_short", _("Explain the proposal in at least 30 characters."))


@transaction.atomic
def do_create_proposal(user, process: Process, *, title: str, body: str, function: Function | None = None,
                       place: str = "", meeting=None) -> Proposal:
    check_participant(user, process, Feature.SUBMIT)
    check_proposal_text(title, body)
    if meeting is not None and meeting.process_id != process.pk:
        raise DomainError("wrong_meeting", _("That meeting belongs to another process."))
    proposal = Proposal.objects.create(process=process, sphere=process.sphere, author=user, title=title.strip()[:150],
                                       body=body.strip()[:5000], function=function, place=place.strip()[:200],
                                       meeting=meeting)
    add_version(proposal)
    follow_quietly(user, proposal)
    notify(NotificationKind.NEW_PROPOSAL, proposal, include_process=True)
    record(actions.PROPOSAL_CREATED, actor=user, sphere=process.sphere, target=proposal,
           data={"process": process.slug, "function": function.code if function else None})
    return proposal


@transaction.atomic
def do_edit_proposal(user, proposal: Proposal, *, title: str, body: str, function=None, place: str = "",
                     meeting=None) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.author_id != user.pk:
        raise NotAllowed("not_author", _("Only the author can edit a proposal."))
    if proposal.support_count > 0:
        raise Conflict("has_supports", _("A proposal cannot be edited once it has supports: suggest an amendment instead."))
    if proposal.status != ProposalStatus.PUBLISHED:
        raise Conflict("not_open", _("This proposal is no longer open."))
    check_proposal_text(title, body)
    proposal.title, proposal.body, proposal.function, proposal.place = title.strip(), body.strip(), function, place.strip()
    proposal.updated_at = timezone.now()
    proposal.save(update_fields=["title", "body", "function", "place", "updated_at"])
    add_version(proposal)
    return proposal


@transaction.atomic
def do_withdraw_proposal(user, proposal: Proposal) -> Proposal:
    if proposal.author_id != user.pk:
        raise NotAllowed("not_author", _("Only the author can withdraw a proposal."))
    if proposal.status != ProposalStatus.PUBLISHED:
        raise Conflict("not_open", _("This proposal is no longer open."))
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status"])
    record(actions.PROPOSAL_WITHDRAWN, actor=user, sphere=proposal.sphere, target=proposal)
    return proposal


@transaction.atomic
def do_support(user, proposal: Proposal) -> Support:
    """One support per resident; reaching the process's threshold starts the clock for an official answer."""
    check_participant(user, proposal.process, Feature.SUPPORT, proposal.sphere)
    if proposal.status != ProposalStatus.PUBLISHED:
        raise Conflict("not_open", _("This proposal is no longer open for supports."))
    try:
        with transaction.atomic():
            support = Support.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        raise Conflict("already_supported", _("You already support this proposal.")) from None
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    proposal.refresh_from_db(fields=["support_count", "answer_due"])
    threshold = proposal.process.support_threshold
    if proposal.answer_due is None and proposal.support_count >= threshold:
        proposal.answer_due = timezone.localdate() + timedelta(days=proposal.process.answer_days)
        proposal.save(update_fields=["answer_due"])
        record(actions.PROPOSAL_THRESHOLD_REACHED, sphere=proposal.sphere, target=proposal,
               data={"supports": proposal.support_count, "answer_due": proposal.answer_due.isoformat()})
        notify(NotificationKind.THRESHOLD, proposal)
    follow_quietly(user, proposal)
    record(actions.SUPPORT_CAST, actor=user, sphere=proposal.sphere, target=proposal)
    return support


def overdue_proposals(sphere: Sphere | None = None):
    """Proposals past their answer date without a final answer: listed publicly."""
    overdue = Proposal.objects.filter(answer_due__lt=timezone.localdate()).exclude(
        status__in=[ProposalStatus.ACCEPTED, ProposalStatus.REJECTED, ProposalStatus.WITHDRAWN])
    if sphere is not None:
        overdue = overdue.filter(sphere=sphere)
    return overdue.select_related("sphere", "process").order_by("answer_due")


# --- Official answers and referrals ---------------------------------------------------------------------------

@transaction.atomic
def do_answer(official, proposal: Proposal, *, status: str, text: str) -> Answer:
    """The sphere's official answer; an accepted proposal becomes a commitment."""
    check_perm(official, "participation.answer_proposal", proposal.sphere,
               _("Only officials of %(sphere)s can answer this proposal.") % {"sphere": proposal.sphere.name})
    return apply_answer(official, proposal, status=status, text=text)


def apply_answer(official, proposal: Proposal, *, status: str, text: str) -> Answer:
    if status not in AnswerStatus.values:
        raise DomainError("unknown_answer", _("An answer accepts, rejects or puts the proposal under evaluation."))
    if len(text.strip()) < 10:
        raise DomainError("answer_too_short", _("Explain the answer: residents will read it."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status in (ProposalStatus.WITHDRAWN, ProposalStatus.ACCEPTED, ProposalStatus.REJECTED):
        raise Conflict("already_final", _("This proposal already has a final answer or was withdrawn."))
    answer, _created = Answer.objects.update_or_create(
        proposal=proposal, defaults={"status": status, "text": text.strip(), "sphere": proposal.sphere,
                                     "answered_at": timezone.now()})
    proposal.status = status
    proposal.save(update_fields=["status"])
    if status == AnswerStatus.ACCEPTED:
        Commitment.objects.create(sphere=proposal.sphere, proposal=proposal, title=proposal.title)
    record(actions.PROPOSAL_ANSWERED, actor=official, actor_role=Role.OFFICIAL, sphere=proposal.sphere,
           target=proposal, data={"status": status})
    notify(NotificationKind.ANSWERED, proposal)
    return answer


@transaction.atomic
def do_refer(official, proposal: Proposal, to_sphere: Sphere, reason: str) -> Referral:
    """Send a proposal to another sphere, with a written reason; its supports and comments go with it."""
    check_perm(official, "participation.refer_proposal", proposal.sphere,
               _("Only officials of %(sphere)s can refer this proposal.") % {"sphere": proposal.sphere.name})
    if to_sphere.is_network:
        raise DomainError("refer_to_network", _("Proposals are referred to a sphere of government, not a network."))
    if to_sphere.pk == proposal.sphere_id:
        raise DomainError("refer_to_self", _("The proposal is already with %(sphere)s.") % {"sphere": to_sphere.name})
    if len(reason.strip()) < 10:
        raise DomainError("reason_required", _("Write the reason for the referral: both spheres and residents read it."))
    if proposal.status in (ProposalStatus.WITHDRAWN, ProposalStatus.ACCEPTED, ProposalStatus.REJECTED):
        raise Conflict("already_final", _("This proposal already has a final answer or was withdrawn."))
    referral = Referral.objects.create(proposal=proposal, from_sphere=proposal.sphere, to_sphere=to_sphere,
                                       reason=reason.strip())
    proposal.sphere = to_sphere
    proposal.save(update_fields=["sphere"])
    record(actions.PROPOSAL_REFERRED, actor=official, actor_role=Role.OFFICIAL, sphere=referral.from_sphere,
           target=proposal, data={"to": to_sphere.pk})
    notify(NotificationKind.REFERRED, proposal, include_process=True)
    return referral


# --- Comments -------------------------------------------------------------------------------------------------

@transaction.atomic
def do_comment(user, proposal: Proposal, body: str, parent: Comment | None = None) -> Comment:
    official = has_role(user, proposal.sphere, [Role.ADMIN, Role.OFFICIAL])
    if not official:
        check_participant(user, proposal.process, Feature.COMMENT, proposal.sphere)
    if not body.strip():
        raise DomainError("empty_comment", _("Write something before sending."))
    if parent is not None and parent.proposal_id != proposal.pk:
        raise DomainError("wrong_parent", _("You can only reply to a comment on the same proposal."))
    root_id = None if parent is None else parent.root_id or parent.pk
    comment = Comment.objects.create(proposal=proposal, parent=parent, root_id=root_id, author=user,
                                     body=body.strip()[:3000], is_official=official)
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    if parent is not None:
        Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
    return comment


@transaction.atomic
def do_vote_comment(user, comment: Comment, value: int) -> CommentVote:
    """Agree (1) or disagree (-1); voting again changes the vote."""
    if value not in (1, -1):
        raise DomainError("bad_vote", _("A comment vote is agree or disagree."))
    check_participant(user, comment.proposal.process, Feature.COMMENT, comment.proposal.sphere)
    vote = CommentVote.objects.filter(comment=comment, user=user).first()
    if vote is not None and vote.value == value:
        raise Conflict("already_voted", _("You already gave this opinion on the comment."))
    changes = {"agree_count": F("agree_count") + (1 if value == 1 else 0),
               "disagree_count": F("disagree_count") + (1 if value == -1 else 0)}
    if vote is not None:  # switching sides
        changes["agree_count"] = changes["agree_count"] - (1 if vote.value == 1 else 0)
        changes["disagree_count"] = changes["disagree_count"] - (1 if vote.value == -1 else 0)
        vote.value = value
        vote.save(update_fields=["value"])
    else:
        try:
            with transaction.atomic():
                vote = CommentVote.objects.create(comment=comment, user=user, value=value)
        except IntegrityError:
            raise Conflict("already_voted", _("You already gave this opinion on the comment.")) from None
    Comment.objects.filter(pk=comment.pk).update(**changes)
    return vote


# --- Commitments ----------------------------------------------------------------------------------------------

@transaction.atomic
def do_update_commitment(official, commitment: Commitment, *, progress: int, status: str, note: str) -> CommitmentUpdate:
    check_perm(official, "participation.update_commitment", commitment.sphere,
               _("Only officials of %(sphere)s can update its commitments.") % {"sphere": commitment.sphere.name})
    return apply_commitment_update(official, commitment, progress=progress, status=status, note=note)


def apply_commitment_update(official, commitment: Commitment, *, progress: int, status: str,
                            note: str) -> CommitmentUpdate:
    if not 0 <= progress <= 100:
        raise DomainError("bad_progress", _("Progress is a percentage between 0 and 100."))
    if status not in CommitmentStatus.values:
        raise DomainError("unknown_status", _("“%(status)s” is not a commitment status.") % {"status": status[:40]})
    if not note.strip():
        raise DomainError("note_required", _("Say what changed: residents follow this commitment."))
    update = CommitmentUpdate.objects.create(commitment=commitment, progress=progress, status=status, note=note.strip())
    commitment.progress, commitment.status, commitment.updated_at = progress, status, timezone.now()
    commitment.save(update_fields=["progress", "status", "updated_at"])
    record(actions.COMMITMENT_UPDATED, actor=official, actor_role=Role.OFFICIAL, sphere=commitment.sphere,
           target=commitment, data={"progress": progress, "status": status})
    if commitment.proposal_id:
        notify(NotificationKind.COMMITMENT, commitment.proposal)
    return update


@transaction.atomic
def do_add_milestone(official, commitment: Commitment, *, title: str, due_on=None) -> Milestone:
    check_perm(official, "participation.update_commitment", commitment.sphere,
               _("Only officials of %(sphere)s can update its commitments.") % {"sphere": commitment.sphere.name})
    if not title.strip():
        raise DomainError("title_required", _("Name the milestone."))
    return Milestone.objects.create(commitment=commitment, title=title.strip()[:200], due_on=due_on)


@transaction.atomic
def do_complete_milestone(official, milestone: Milestone) -> Milestone:
    commitment = milestone.commitment
    check_perm(official, "participation.update_commitment", commitment.sphere,
               _("Only officials of %(sphere)s can update its commitments.") % {"sphere": commitment.sphere.name})
    if milestone.done_on is not None:
        raise Conflict("milestone_done", _("This milestone is already done."))
    milestone.done_on = timezone.localdate()
    milestone.save(update_fields=["done_on"])
    record(actions.COMMITMENT_UPDATED, actor=official, actor_role=Role.OFFICIAL, sphere=commitment.sphere,
           target=commitment, data={"milestone_done": milestone.pk})
    return milestone
