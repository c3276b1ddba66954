"""Joint declarations: drafted by a network's officials (the drafting group) with amendments from its members, then
ratified by each member sphere through its own process: a decision of its officials, or a vote of its residents
whose result is applied when the vote ends (lazily on read, and by `comuna manage close_ratification_votes`)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from comuna.accounts.models import Role
from comuna.accounts.selectors import is_resident
from comuna.accounts.services import check_perm
from comuna.audit.services import record
from comuna.core.errors import Conflict, DomainError, NotAllowed, NotFound
from comuna.participation.models import Phase, Process
from comuna.participation.phases import Feature, PhaseKind, ProcessTemplate
from comuna.spheres.models import NetworkMembership, Sphere

from . import actions
from .models import (
    AmendmentStatus,
    Decision,
    Declaration,
    DeclarationAmendment,
    DeclarationStatus,
    DeclarationVersion,
    Method,
    Ratification,
    RemoteMember,
    VoteReceipt,
    VoteTally,
)

DECISIONS = (Decision.RATIFY, Decision.REJECT, Decision.ABSTAIN)
VOTE_CHOICES = ("yes", "no", "abstain")
MAX_VOTE_DAYS = 90
OPEN_STATUSES = (DeclarationStatus.RATIFYING, DeclarationStatus.ADOPTED)


def _check_drafter(actor, declaration_or_network, check: bool = True) -> Sphere:
    network = getattr(declaration_or_network, "network", declaration_or_network)
    if not check:
        return network
    check_perm(actor, "intercity.draft_declaration", network,
               _("Only the drafting group of %(network)s (its officials) can do this.") % {"network": network.name})
    return network


def _check_text(title: str, text: str) -> None:
    if not title.strip():
        raise DomainError("title_required", _("Give the declaration a title."))
    if len(text.strip()) < 20:
        raise DomainError("text_required", _("Write the text of the declaration."))


def current_version(declaration: Declaration) -> int:
    return declaration.versions.order_by("-number").values_list("number", flat=True).first() or 0


def _add_version(declaration: Declaration, amendment: DeclarationAmendment | None = None) -> DeclarationVersion:
    return DeclarationVersion.objects.create(declaration=declaration, number=current_version(declaration) + 1,
                                             title=declaration.title, text=declaration.text, amendment=amendment)


# --- Drafting -----------------------------------------------------------------------------------------------------

@transaction.atomic
def do_create_declaration(network: Sphere, *, title: str, text: str, actor, check: bool = True) -> Declaration:
    if not network.is_network:
        raise DomainError("not_a_network", _("Joint declarations are drafted by networks of spheres."))
    _check_drafter(actor, network, check)
    _check_text(title, text)
    declaration = Declaration.objects.create(network=network, title=title.strip()[:200], text=text.strip())
    _add_version(declaration)
    record(actions.DECLARATION_CREATED, actor=actor, actor_role=Role.OFFICIAL, sphere=network, target=declaration)
    return declaration


@transaction.atomic
def do_revise_declaration(declaration: Declaration, *, title: str, text: str, actor) -> DeclarationVersion:
    """The drafting group rewrites the text itself: a new version."""
    _check_drafter(actor, declaration)
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.status != DeclarationStatus.DRAFTING:
        raise Conflict("not_drafting", _("The text is final once ratification has opened."))
    _check_text(title, text)
    declaration.title, declaration.text = title.strip()[:200], text.strip()
    declaration.save(update_fields=["title", "text"])
    version = _add_version(declaration)
    record(actions.DECLARATION_REVISED, actor=actor, actor_role=Role.OFFICIAL, sphere=declaration.network,
           target=declaration, data={"version": version.number})
    return version


def is_member(network: Sphere, sphere: Sphere) -> bool:
    return NetworkMembership.objects.filter(network=network, member=sphere).exists()


@transaction.atomic
def do_propose_amendment(declaration: Declaration, sphere: Sphere, *, text: str, reason: str,
                         actor, check: bool = True) -> DeclarationAmendment:
    """An official of a member sphere proposes a new text, with the reason for it."""
    if not is_member(declaration.network, sphere):
        raise NotAllowed("not_a_member", _("%(sphere)s is not a member of %(network)s.")
                         % {"sphere": sphere.name, "network": declaration.network.name})
    if check:
        check_perm(actor, "intercity.speak_for_sphere", sphere,
                   _("Only officials of %(sphere)s can propose amendments for it.") % {"sphere": sphere.name})
    if declaration.status != DeclarationStatus.DRAFTING:
        raise Conflict("not_drafting", _("Amendments are closed: the declaration is open for ratification."))
    if len(text.strip()) < 20:
        raise DomainError("text_required", _("Write the amended text."))
    if text.strip() == declaration.text.strip():
        raise DomainError("amendment_unchanged", _("The amended text is the same as the current one."))
    if len(reason.strip()) < 5:
        raise DomainError("reason_required", _("Say why this change is needed."))
    amendment = DeclarationAmendment.objects.create(
        declaration=declaration, sphere=sphere, text=text.strip(), reason=reason.strip()[:1000],
        base_version=current_version(declaration))
    record(actions.DECLARATION_AMENDMENT_PROPOSED, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere,
           target=amendment, data={"declaration": declaration.pk})
    return amendment


@transaction.atomic
def do_decide_amendment(amendment: DeclarationAmendment, *, accept: bool, response: str,
                        actor, check: bool = True) -> DeclarationAmendment:
    """The drafting group accepts (a new version of the text) or rejects an amendment."""
    declaration = Declaration.objects.select_for_update().get(pk=amendment.declaration_id)
    _check_drafter(actor, declaration, check)
    amendment = DeclarationAmendment.objects.get(pk=amendment.pk)
    if amendment.status != AmendmentStatus.PENDING:
        raise Conflict("already_decided", _("This amendment has already been decided."))
    if declaration.status != DeclarationStatus.DRAFTING:
        raise Conflict("not_drafting", _("The text is final once ratification has opened."))
    if accept and amendment.base_version != current_version(declaration):
        raise Conflict("amendment_outdated", _("The text changed after this amendment was written: reject it and "
                                               "ask for one on the current version."))
    if not accept and len(response.strip()) < 5:
        raise DomainError("response_required", _("Explain why the amendment is rejected."))
    amendment.status = AmendmentStatus.ACCEPTED if accept else AmendmentStatus.REJECTED
    amendment.response, amendment.decided_at = response.strip()[:1000], timezone.now()
    amendment.save(update_fields=["status", "response", "decided_at"])
    data = {"accepted": accept, "amendment": amendment.pk}
    if accept:
        declaration.text = amendment.text
        declaration.save(update_fields=["text"])
        data["version"] = _add_version(declaration, amendment).number
    record(actions.DECLARATION_AMENDMENT_DECIDED, actor=actor, actor_role=Role.OFFICIAL, sphere=declaration.network,
           target=declaration, data=data)
    return amendment


@transaction.atomic
def do_add_remote_member(network: Sphere, *, uri: str, label: str, actor) -> RemoteMember:
    """A member hosted on another Comuna instance, known by its ActivityPub actor address."""
    _check_drafter(actor, network)
    if not network.is_network:
        raise DomainError("not_a_network", _("Only networks have members."))
    if not uri.startswith("https://") or len(uri) > 500 or not label.strip():
        raise DomainError("remote_member_invalid", _("Give the member's name and its https address."))
    if RemoteMember.objects.filter(network=network, uri=uri).exists():
        raise Conflict("already_member", _("This member is already in the network."))
    member = RemoteMember.objects.create(network=network, uri=uri, label=label.strip()[:300])
    for declaration in network.declarations.filter(status__in=OPEN_STATUSES):
        Ratification.objects.create(declaration=declaration, remote_member=member)
    record(actions.REMOTE_MEMBER_ADDED, actor=actor, actor_role=Role.OFFICIAL, sphere=network, target=member,
           data={"uri": uri})
    return member


# --- Ratification -------------------------------------------------------------------------------------------------

def quorum_needed(declaration: Declaration, members: int | None = None) -> int:
    if declaration.quorum_count:
        return declaration.quorum_count
    members = declaration.ratifications.count() if members is None else members
    return max(1, math.ceil((declaration.quorum_share or 100) * members / 100))


@transaction.atomic
def do_open_ratification(declaration: Declaration, *, quorum_count: int | None = None,
                         quorum_share: int | None = None, actor, check: bool = True) -> Declaration:
    """The drafting group closes the text and asks every member (local and remote) to decide."""
    _check_drafter(actor, declaration, check)
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.status != DeclarationStatus.DRAFTING:
        raise Conflict("already_open", _("Ratification is already open."))
    members = list(NetworkMembership.objects.filter(network=declaration.network).values_list("member_id", flat=True))
    remote = list(RemoteMember.objects.filter(network=declaration.network).values_list("pk", flat=True))
    total = len(members) + len(remote)
    if total == 0:
        raise DomainError("no_members", _("The network has no members to ratify the declaration."))
    if (quorum_count is None) == (quorum_share is None):
        raise DomainError("quorum_required", _("Set the quorum either as a number of members or as a share."))
    if quorum_count is not None and not 1 <= quorum_count <= total:
        raise DomainError("quorum_invalid", _("The quorum must be between 1 and %(total)s members.")
                          % {"total": total})
    if quorum_share is not None and not 1 <= quorum_share <= 100:
        raise DomainError("quorum_invalid", _("The share must be between 1 and 100 percent."))
    declaration.quorum_count, declaration.quorum_share = quorum_count, quorum_share
    declaration.status, declaration.ratification_opened_at = DeclarationStatus.RATIFYING, timezone.now()
    declaration.save(update_fields=["quorum_count", "quorum_share", "status", "ratification_opened_at"])
    Ratification.objects.bulk_create([Ratification(declaration=declaration, sphere_id=pk) for pk in members]
                                     + [Ratification(declaration=declaration, remote_member_id=pk) for pk in remote])
    record(actions.RATIFICATION_OPENED, actor=actor, actor_role=Role.OFFICIAL, sphere=declaration.network,
           target=declaration, data={"quorum_count": quorum_count, "quorum_share": quorum_share, "members": total})
    return declaration


def ratification_for(declaration: Declaration, sphere: Sphere) -> Ratification:
    """The member's ratification record; refuses a sphere that is not a member (or ratification not yet open)."""
    declaration.refresh_from_db(fields=["status", "adopted_at"])
    if declaration.status not in OPEN_STATUSES:
        raise Conflict("not_open", _("This declaration is not open for ratification."))
    ratification = declaration.ratifications.filter(sphere=sphere).select_related("sphere", "process").first()
    if ratification is None:
        raise NotAllowed("not_a_member", _("%(sphere)s is not a member of %(network)s.")
                         % {"sphere": sphere.name, "network": declaration.network.name})
    return ratification


def _check_can_decide(ratification: Ratification) -> None:
    if ratification.declaration.status not in OPEN_STATUSES:
        raise Conflict("not_open", _("This declaration is not open for ratification."))
    if ratification.is_decided:
        raise Conflict("already_decided", _("%(member)s has already decided on this declaration.")
                       % {"member": ratification.member_label})


def _undecided_for_officials(declaration: Declaration, sphere: Sphere, *, actor, check: bool) -> Ratification:
    """The member's ratification, locked, when its officials (`actor`, unless `check` is off) may still decide it."""
    ratification = ratification_for(declaration, sphere)
    if check:
        check_perm(actor, "intercity.decide_ratification", sphere,
                   _("Only officials of %(sphere)s can decide for it.") % {"sphere": sphere.name})
    ratification = Ratification.objects.select_for_update(of=("self",)).select_related("declaration", "sphere").get(
        pk=ratification.pk)
    _check_can_decide(ratification)
    return ratification


def _apply_decision(ratification: Ratification, decision: str, *, method: str, note: str = "",
                    decided_at: datetime | None = None) -> Ratification:
    ratification.decision, ratification.method = decision, method
    ratification.note, ratification.decided_at = note[:3000], decided_at or timezone.now()
    ratification.save(update_fields=["decision", "method", "note", "decided_at"])
    _check_quorum(ratification.declaration)
    return ratification


def _check_quorum(declaration: Declaration) -> None:
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.status != DeclarationStatus.RATIFYING:
        return
    ratified = declaration.ratifications.filter(decision=Decision.RATIFY).count()
    if ratified >= quorum_needed(declaration):
        declaration.status, declaration.adopted_at = DeclarationStatus.ADOPTED, timezone.now()
        declaration.save(update_fields=["status", "adopted_at"])
        record(actions.DECLARATION_ADOPTED, sphere=declaration.network, target=declaration,
               data={"ratified": ratified})


@transaction.atomic
def do_decide_ratification(declaration: Declaration, sphere: Sphere, *, decision: str, note: str = "",
                           actor, check: bool = True) -> Ratification:
    """(a) The member's officials decide for it: ratify, reject or abstain."""
    ratification = _undecided_for_officials(declaration, sphere, actor=actor, check=check)
    if ratification.method == Method.VOTE:
        raise Conflict("vote_under_way", _("The residents of %(sphere)s decide this by their vote.")
                       % {"sphere": sphere.name})
    if decision not in DECISIONS:
        raise DomainError("decision_unknown", _("Choose ratify, reject or abstain."))
    _apply_decision(ratification, decision, method=Method.OFFICIALS, note=note.strip())
    record(actions.RATIFICATION_DECIDED, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere, target=ratification,
           data={"declaration": declaration.pk, "decision": decision, "method": Method.OFFICIALS})
    return ratification


@transaction.atomic
def do_call_vote(declaration: Declaration, sphere: Sphere, *, days: int = 14, actor, check: bool = True,
                 starts_at: datetime | None = None) -> Ratification:
    """(b) The member's officials put the declaration to a vote of its residents: a participation process whose
    voting phase holds a yes / no / abstain ballot. Its result is applied when the phase ends."""
    ratification = _undecided_for_officials(declaration, sphere, actor=actor, check=check)
    if ratification.method == Method.VOTE:
        raise Conflict("vote_under_way", _("The residents of %(sphere)s are already voting on this declaration.")
                       % {"sphere": sphere.name})
    if not isinstance(days, int) or not 1 <= days <= MAX_VOTE_DAYS:
        raise DomainError("vote_length", _("A vote lasts from 1 to %(days)s days.") % {"days": MAX_VOTE_DAYS})
    start = starts_at or timezone.now()
    slug = slugify(f"ratify-{declaration.pk}-{sphere.slug}")[:80]
    process = Process.objects.create(
        sphere=sphere, slug=slug, template=ProcessTemplate.CONSULTATION,
        title_en=_("Ratification of “%(title)s”") % {"title": declaration.title[:150]},
        summary_en=_("%(network)s asks its members to ratify a joint declaration. Residents of %(sphere)s decide "
                     "for their city: yes, no or abstain.") % {"network": declaration.network.name,
                                                                 "sphere": sphere.name})
    Phase.objects.create(process=process, kind=PhaseKind.VOTING, starts_at=start, ends_at=start + timedelta(days=days))
    ratification.method, ratification.process = Method.VOTE, process
    ratification.save(update_fields=["method", "process"])
    VoteTally.objects.create(ratification=ratification)
    record(actions.RATIFICATION_VOTE_CALLED, actor=actor, actor_role=Role.OFFICIAL, sphere=sphere,
           target=ratification, data={"declaration": declaration.pk, "process": process.pk, "days": days})
    return ratification


def vote_ends_at(ratification: Ratification) -> datetime | None:
    if ratification.process_id is None:
        return None
    return ratification.process.phases.filter(kind=PhaseKind.VOTING).order_by("-ends_at").values_list(
        "ends_at", flat=True).first()


@transaction.atomic
def do_cast_vote(ratification: Ratification, user, choice: str) -> None:
    """One secret ballot per verified resident: the tally counts the choice, the receipt records only that the
    person voted, and nothing links the two."""
    close_due_votes(declaration=ratification.declaration)
    ratification = Ratification.objects.select_related("declaration", "sphere", "process").get(pk=ratification.pk)
    if ratification.method != Method.VOTE or ratification.process is None:
        raise NotFound("no_vote", _("The residents are not voting on this declaration."))
    if ratification.is_decided or not ratification.process.allows(Feature.VOTE):
        raise Conflict("vote_closed", _("This vote is closed."))
    if choice not in VOTE_CHOICES:
        raise DomainError("choice_unknown", _("Choose yes, no or abstain."))
    if not is_resident(user, ratification.sphere):
        raise NotAllowed("not_resident", _("Only verified residents of %(sphere)s can vote.")
                         % {"sphere": ratification.sphere.name})
    try:
        with transaction.atomic():
            VoteReceipt.objects.create(ratification=ratification, user=user)
    except IntegrityError:
        raise Conflict("already_voted", _("You have already voted.")) from None
    VoteTally.objects.filter(ratification=ratification).update(**{choice: F(choice) + 1})
    record(actions.RATIFICATION_VOTE_CAST, sphere=ratification.sphere, target=ratification)  # no actor: secret


def has_voted(ratification: Ratification, user) -> bool:
    return user.is_authenticated and VoteReceipt.objects.filter(ratification=ratification, user=user).exists()


def vote_result(tally: VoteTally) -> str:
    """More yes than no ratifies, more no than yes rejects; a tie (or no vote) abstains."""
    if tally.yes > tally.no:
        return Decision.RATIFY
    if tally.no > tally.yes:
        return Decision.REJECT
    return Decision.ABSTAIN


def close_due_votes(*, declaration: Declaration | None = None, now: datetime | None = None) -> int:
    """Apply the result of every residents' vote whose voting phase has ended. Idempotent: a vote is applied once."""
    now = now or timezone.now()
    due = Ratification.objects.filter(method=Method.VOTE, decision=Decision.PENDING, process__isnull=False)
    if declaration is not None:
        due = due.filter(declaration=declaration)
    applied = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            ratification = (Ratification.objects.select_for_update(of=("self",)).select_related("declaration", "sphere")
                            .filter(pk=pk, decision=Decision.PENDING).first())
            if ratification is None:
                continue
            ends = vote_ends_at(ratification)
            if ends is None or ends > now:
                continue
            tally, _created = VoteTally.objects.get_or_create(ratification=ratification)
            decision = vote_result(tally)
            note = _("Residents' vote: %(yes)s yes, %(no)s no, %(abstain)s abstain.") % {
                "yes": tally.yes, "no": tally.no, "abstain": tally.abstain}
            _apply_decision(ratification, decision, method=Method.VOTE, note=note, decided_at=ends)
            record(actions.RATIFICATION_DECIDED, sphere=ratification.sphere, target=ratification,
                   data={"declaration": ratification.declaration_id, "decision": decision, "method": Method.VOTE,
                         "yes": tally.yes, "no": tally.no, "abstain": tally.abstain})
            applied += 1
    return applied


@transaction.atomic
def record_remote_ratification(declaration: Declaration, member_label: str, member_uri: str, decision: str,
                               decided_at: datetime | None) -> Ratification:
    """A member on another instance decided (called by federation once the activity's signature is checked).

    The member must have been added to the network as a remote member (do_add_remote_member); its decision is
    final like a local one. Raises NotAllowed (not_a_member), Conflict (not_open, already_decided) or DomainError
    (decision_unknown)."""
    member = RemoteMember.objects.filter(network=declaration.network, uri=member_uri).first()
    if member is None:
        raise NotAllowed("not_a_member", _("%(member)s is not a member of %(network)s.")
                         % {"member": member_label[:300], "network": declaration.network.name})
    declaration = Declaration.objects.get(pk=declaration.pk)
    if declaration.status not in OPEN_STATUSES:
        raise Conflict("not_open", _("This declaration is not open for ratification."))
    ratification, _created = Ratification.objects.get_or_create(declaration=declaration, remote_member=member)
    ratification = Ratification.objects.select_for_update(of=("self",)).select_related("declaration", "remote_member").get(
        pk=ratification.pk)
    _check_can_decide(ratification)
    if decision not in DECISIONS:
        raise DomainError("decision_unknown", _("Choose ratify, reject or abstain."))
    now = timezone.now()
    when = decided_at if isinstance(decided_at, datetime) and timezone.is_aware(decided_at) and decided_at <= now \
        else now
    _apply_decision(ratification, decision, method=Method.REMOTE, decided_at=when)
    record(actions.RATIFICATION_DECIDED, sphere=declaration.network, target=ratification,
           data={"declaration": declaration.pk, "decision": decision, "method": Method.REMOTE, "member": member_uri})
    return ratification


# --- Reading ---------------------------------------------------------------------------------------------------

def member_statuses(declaration: Declaration) -> dict:
    """Each member's status and the count towards the quorum (votes that ended are applied first)."""
    close_due_votes(declaration=declaration)
    declaration.refresh_from_db()
    rows = list(declaration.ratifications.select_related("sphere", "remote_member", "process", "tally"))
    rows.sort(key=lambda r: r.member_label)
    counts = {value: 0 for value in Decision.values}
    for row in rows:
        counts[row.decision] += 1
    return {"members": rows, "counts": counts, "needed": quorum_needed(declaration, len(rows)) if rows else None,
            "ratified": counts[Decision.RATIFY], "total": len(rows)}


def declaration_as_dict(declaration: Declaration) -> dict:
    """A declaration as plain data: text, version, status, quorum and each member's decision."""
    statuses = member_statuses(declaration)
    return {
        "title": declaration.title,
        "text": declaration.text,
        "version": current_version(declaration),
        "status": declaration.status,
        "network": {"slug": declaration.network.slug, "name": declaration.network.name},
        "quorum": {"count": declaration.quorum_count, "share": declaration.quorum_share,
                   "needed": statuses["needed"], "ratified": statuses["ratified"], "members": statuses["total"]},
        "adopted_at": declaration.adopted_at.isoformat() if declaration.adopted_at else None,
        "members": [{"label": row.member_label, "sphere": row.sphere.slug if row.sphere_id else None,
                     "uri": row.remote_member.uri if row.remote_member_id else None,
                     "decision": row.decision, "method": row.method,
                     "decided_at": row.decided_at.isoformat() if row.decided_at else None}
                    for row in statuses["members"]],
    }
