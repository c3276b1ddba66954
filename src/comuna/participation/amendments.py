"""Amendments: anyone verified suggests a new text, the author accepts or rejects it; every version is kept."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from comuna.audit import actions
from comuna.audit.services import record
from comuna.core.errors import Conflict, DomainError, NotAllowed

from .models import Amendment, AmendmentStatus, Proposal, ProposalStatus, ProposalVersion
from .phases import Feature


def add_version(proposal: Proposal, amendment: Amendment | None = None) -> ProposalVersion:
    latest = proposal.versions.aggregate(latest=Max("number"))["latest"] or 0
    return ProposalVersion.objects.create(proposal=proposal, number=latest + 1, title=proposal.title,
                                          body=proposal.body, amendment=amendment)


@transaction.atomic
def do_amend(user, proposal: Proposal, *, title: str, body: str, reason: str) -> Amendment:
    from .services import check_participant, check_proposal_text

    check_participant(user, proposal.process, Feature.AMEND, proposal.sphere)
    if proposal.status != ProposalStatus.PUBLISHED:
        raise Conflict("not_open", _("This proposal is no longer open."))
    if proposal.author_id == user.pk:
        raise DomainError("own_proposal", _("You wrote this proposal: edit it instead, while it has no supports."))
    check_proposal_text(title, body)
    if title.strip() == proposal.title and body.strip() == proposal.body:
        raise DomainError("no_change", _("The amendment does not change the text."))
    if not reason.strip():
        raise DomainError("reason_required", _("Say why you suggest this change."))
    amendment = Amendment.objects.create(proposal=proposal, author=user, title=title.strip(), body=body.strip(),
                                         reason=reason.strip()[:1000])
    record(actions.AMENDMENT_PROPOSED, actor=user, sphere=proposal.sphere, target=amendment,
           data={"proposal": proposal.pk})
    return amendment


@transaction.atomic
def do_decide_amendment(user, amendment: Amendment, *, accept: bool, response: str = "") -> Amendment:
    amendment = Amendment.objects.select_for_update().select_related("proposal").get(pk=amendment.pk)
    proposal = amendment.proposal
    if proposal.author_id != user.pk:
        raise NotAllowed("not_author", _("Only the author of the proposal decides on its amendments."))
    if amendment.status != AmendmentStatus.PENDING:
        raise Conflict("amendment_decided", _("This amendment was already decided."))
    if proposal.status != ProposalStatus.PUBLISHED:
        raise Conflict("not_open", _("This proposal is no longer open."))
    amendment.status = AmendmentStatus.ACCEPTED if accept else AmendmentStatus.REJECTED
    amendment.response, amendment.decided_at = response.strip()[:1000], timezone.now()
    amendment.save(update_fields=["status", "response", "decided_at"])
    if accept:
        if not proposal.versions.exists():
            add_version(proposal)
        proposal.title, proposal.body, proposal.updated_at = amendment.title, amendment.body, timezone.now()
        proposal.save(update_fields=["title", "body", "updated_at"])
        add_version(proposal, amendment)
    record(actions.AMENDMENT_DECIDED, actor=user, sphere=proposal.sphere, target=amendment,
           data={"accepted": accept})
    return amendment


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "added" or "removed"
    text: str


TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def word_diff(before: str, after: str) -> list[Piece]:
    """Word by word, so a reader sees exactly which words an amendment changed."""
    old, new = TOKEN.findall(before), TOKEN.findall(after)
    pieces: list[Piece] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(old[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(Piece("removed", "".join(old[a1:a2])))
        if b2 > b1:
            pieces.append(Piece("added", "".join(new[b1:b2])))
    return pieces
