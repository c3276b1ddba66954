"""Reports and moderation: anyone reports, enough reports hide pending review, moderators decide with reasons."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from comuna.accounts.models import Role
from comuna.accounts.services import check_perm
from comuna.audit import actions
from comuna.audit.services import record
from comuna.core.errors import Conflict, DomainError

from .models import Block, Comment, ModerationAction, ModerationDecision, Proposal, Report, ReportReason


def is_blocked(user, sphere) -> bool:
    return user.is_authenticated and Block.objects.filter(user=user, sphere_id__in=sphere.chain_ids()).exists()


def _target_fields(target: Proposal | Comment) -> dict:
    return {"comment": target} if isinstance(target, Comment) else {"proposal": target, "comment": None}


def _proposal_of(target: Proposal | Comment) -> Proposal:
    return target.proposal if isinstance(target, Comment) else target


@transaction.atomic
def do_report(user, target: Proposal | Comment, reason: str, details: str = "") -> Report:
    if not user.is_authenticated:
        raise DomainError("not_authenticated", _("Sign in to report content."))
    if reason not in ReportReason.values:
        raise DomainError("unknown_reason", _("Choose why you report this."))
    fields = _target_fields(target)
    try:
        with transaction.atomic():
            report = Report.objects.create(reporter=user, reason=reason, details=details.strip()[:500],
                                           proposal=_proposal_of(target), comment=fields.get("comment"))
    except IntegrityError:
        raise Conflict("already_reported", _("You already reported this.")) from None
    model = type(target)
    model.objects.filter(pk=target.pk).update(report_count=F("report_count") + 1)
    target.refresh_from_db(fields=["report_count", "hidden"])
    threshold = _proposal_of(target).process.hide_after_reports
    if not target.hidden and target.report_count >= threshold:
        model.objects.filter(pk=target.pk).update(hidden=True)
        target.hidden = True
        record(actions.CONTENT_AUTO_HIDDEN, sphere=_proposal_of(target).sphere, target=target,
               data={"reports": target.report_count})
    return report


@transaction.atomic
def do_moderate(moderator, target: Proposal | Comment, action: str, reason: str) -> ModerationDecision:
    proposal = _proposal_of(target)
    check_perm(moderator, "participation.moderate", proposal.sphere,
               _("Only moderators of %(sphere)s can moderate here.") % {"sphere": proposal.sphere.name})
    if action not in ModerationAction.values:
        raise DomainError("unknown_decision", _("A moderator hides, restores, or hides and blocks."))
    if len(reason.strip()) < 5:
        raise DomainError("reason_required", _("Give the reason for the decision: the author will read it."))
    type(target).objects.filter(pk=target.pk).update(hidden=action != ModerationAction.RESTORE)
    target.refresh_from_db(fields=["hidden"])
    Report.objects.filter(Q(comment=target) if isinstance(target, Comment) else Q(proposal=target, comment=None)
                          ).update(resolved=True)
    if action == ModerationAction.BLOCK and target.author_id:
        Block.objects.get_or_create(user_id=target.author_id, sphere=proposal.sphere,
                                    defaults={"reason": reason.strip()})
    decision = ModerationDecision.objects.create(action=action, reason=reason.strip(), **_target_fields(target))
    record(actions.CONTENT_MODERATED, actor=moderator, actor_role=Role.MODERATOR, sphere=proposal.sphere,
           target=target, data={"decision": action})
    return decision


def moderation_queue(sphere):
    """Reported or hidden content in the sphere and below, most reported first."""
    below = Q(sphere=sphere) | Q(sphere__path__startswith=f"{sphere.path}{sphere.pk}/")
    proposals = Proposal.objects.filter(below).filter(Q(report_count__gt=0) | Q(hidden=True))
    comment_below = Q(proposal__sphere=sphere) | Q(proposal__sphere__path__startswith=f"{sphere.path}{sphere.pk}/")
    comments = Comment.objects.filter(comment_below).filter(Q(report_count__gt=0) | Q(hidden=True))
    return (proposals.select_related("process").order_by("-report_count")[:100],
            comments.select_related("proposal").order_by("-report_count")[:100])
