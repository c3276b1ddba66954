"""Participatory budgets: `check_*` validates, `do_*` changes the data and writes the audit event."""

from __future__ import annotations

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comuna.accounts.models import Role
from comuna.accounts.services import check_perm
from comuna.audit import actions
from comuna.audit.services import record
from comuna.choice import pb
from comuna.choice.pabulib import PabulibError, parse_pabulib
from comuna.core.errors import Conflict, DomainError
from comuna.participation.models import Process
from comuna.participation.phases import Feature
from comuna.participation.services import check_participant

from .models import Ballot, BallotKind, Budget, Project, ProjectStatus, Voter
from .pb_file import instance_of

MAX_PB_FILE = 50 * 1024 * 1024


# --- Setting up and reviewing ---------------------------------------------------------------------------------

@transaction.atomic
def do_create_budget(admin, process: Process, **settings) -> Budget:
    check_perm(admin, "participation.create_process", process.sphere,
               _("Only an admin of %(sphere)s can set up its participatory budget.") % {"sphere": process.sphere.name})
    if Budget.objects.filter(process=process).exists():
        raise Conflict("budget_exists", _("This process already has a budget."))
    budget = Budget(process=process, **settings)
    check_settings(budget)
    budget.save()
    record(actions.PB_CREATED, actor=admin, actor_role=Role.ADMIN, sphere=process.sphere, target=budget,
           data={"total": budget.total, "ballot": budget.ballot_kind, "rule": budget.rule})
    return budget


def check_settings(budget: Budget) -> None:
    if budget.total <= 0:
        raise DomainError("no_money", _("The budget must share some money."))
    if budget.ballot_kind in (BallotKind.K_APPROVAL, BallotKind.RANKED) and not budget.k:
        raise DomainError("k_required", _("Say how many projects a voter may choose or rank."))
    if budget.ballot_kind == BallotKind.CUMULATIVE and not budget.points:
        raise DomainError("points_required", _("Say how many points each voter shares."))
    if budget.completion and budget.rule != "mes":
        raise DomainError("completion_needs_mes", _("Completions apply to the Method of Equal Shares only."))


@transaction.atomic
def do_submit_project(user, budget: Budget, *, title: str, description: str, cost: int, place: str = "",
                      function=None) -> Project:
    check_participant(user, budget.process, Feature.SUBMIT)
    if not 0 < cost <= budget.total:
        raise DomainError("bad_cost", _("A project must cost more than nothing and no more than the whole budget."))
    if len(title.strip()) < 5 or len(description.strip()) < 20:
        raise DomainError("too_short", _("Give the project a title and a description of at least 20 characters."))
    project = Project.objects.create(budget=budget, title=title.strip(), description=description.strip(), cost=cost,
                                     place=place.strip(), function=function, author=user)
    record(actions.PB_PROJECT_SUBMITTED, actor=user, sphere=budget.process.sphere, target=project)
    return project


@transaction.atomic
def do_review_project(official, project: Project, *, feasible: bool, note: str, cost: int | None = None) -> Project:
    """The feasibility review; an adjusted cost is published with its reason."""
    sphere = project.budget.process.sphere
    check_perm(official, "participation.answer_proposal", sphere,
               _("Only officials of %(sphere)s can review projects.") % {"sphere": sphere.name})
    if project.budget.result is not None:
        raise Conflict("already_counted", _("The vote has been counted: the ballot can no longer change."))
    if not note.strip():
        raise DomainError("note_required", _("Explain the review: residents will read it."))
    if cost is not None and cost != project.cost:
        if not 0 < cost <= project.budget.total:
            raise DomainError("bad_cost", _("A project must cost more than nothing and no more than the whole budget."))
        project.original_cost = project.original_cost or project.cost
        project.cost = cost
    project.status = ProjectStatus.FEASIBLE if feasible else ProjectStatus.UNFEASIBLE
    project.review_note = note.strip()
    project.save(update_fields=["status", "review_note", "cost", "original_cost"])
    record(actions.PB_PROJECT_REVIEWED, actor=official, actor_role=Role.OFFICIAL, sphere=sphere, target=project,
           data={"feasible": feasible, "cost": project.cost, "original_cost": project.original_cost})
    return project


# --- Voting ---------------------------------------------------------------------------------------------------

def receipt_digest(receipt: str) -> str:
    return hashlib.sha256(receipt.strip().lower().encode()).hexdigest()


def check_choices(budget: Budget, choices: list[tuple[int, int]]) -> list[list[int]]:
    """[(project id, points)] valid for the budget's ballot; returns them as JSON-ready lists."""
    on_ballot = dict(budget.projects.filter(status=ProjectStatus.FEASIBLE).values_list("pk", "cost"))
    if not choices:
        raise DomainError("empty_ballot", _("Choose at least one project."))
    ids = [project_id for project_id, _points in choices]
    if len(set(ids)) != len(ids):
        raise DomainError("repeated_project", _("Each project can be chosen only once."))
    unknown = [project_id for project_id in ids if project_id not in on_ballot]
    if unknown:
        raise DomainError("not_on_ballot", _("Project %(id)s is not on the ballot.") % {"id": unknown[0]})
    kind = budget.ballot_kind
    if kind == BallotKind.APPROVAL:
        spent = sum(on_ballot[project_id] for project_id in ids)
        if spent > budget.total:
            raise DomainError("over_budget", _("Your choice costs %(spent)s, more than the %(total)s to share.")
                              % {"spent": spent, "total": budget.total}, spent=spent)
    if kind in (BallotKind.K_APPROVAL, BallotKind.RANKED) and len(ids) > budget.k:
        raise DomainError("too_many", _("Choose at most %(k)d projects.") % {"k": budget.k})
    if kind == BallotKind.CUMULATIVE:
        if any(points < 1 for _id, points in choices):
            raise DomainError("bad_points", _("Give each chosen project at least one point."))
        if sum(points for _id, points in choices) > budget.points:
            raise DomainError("too_many_points", _("You have %(points)d points to share, not more.")
                              % {"points": budget.points})
    return [[project_id, points if kind == BallotKind.CUMULATIVE else 1] for project_id, points in choices]


@transaction.atomic
def do_vote(user, budget: Budget, choices: list[tuple[int, int]], receipt: str | None = None) -> str:
    """One ballot per resident. A voter who kept the receipt may change the ballot until the vote closes; the
    server itself cannot tell which ballot is whose."""
    check_participant(user, budget.process, Feature.VOTE)  # a verified resident of the process's sphere
    if budget.result is not None:
        raise Conflict("already_counted", _("The vote has been counted."))
    cleaned = check_choices(budget, choices)
    has_voted = Voter.objects.filter(budget=budget, user=user).exists()
    if has_voted:
        if not receipt:
            raise Conflict("already_voted", _("You have already voted. To change your ballot, use your receipt."))
        updated = Ballot.objects.filter(budget=budget, receipt_digest=receipt_digest(receipt), on_paper=False).update(
            choices=cleaned)
        if updated != 1:
            raise DomainError("unknown_receipt", _("This receipt matches no ballot of this vote."))
        return receipt
    try:
        with transaction.atomic():
            Voter.objects.create(budget=budget, user=user)
    except IntegrityError:
        raise Conflict("already_voted", _("You have already voted. To change your ballot, use your receipt.")) from None
    receipt = secrets.token_hex(8)
    Ballot.objects.create(budget=budget, choices=cleaned, receipt_digest=receipt_digest(receipt))
    record(actions.PB_BALLOT_CAST, sphere=budget.process.sphere, target=budget)  # no actor: ballots are secret
    return receipt


@transaction.atomic
def do_enter_paper_ballot(official, budget: Budget, choices: list[tuple[int, int]]) -> Ballot:
    sphere = budget.process.sphere
    check_perm(official, "participation.answer_proposal", sphere,
               _("Only officials of %(sphere)s can enter paper ballots.") % {"sphere": sphere.name})
    if budget.result is not None:
        raise Conflict("already_counted", _("The vote has been counted."))
    ballot = Ballot.objects.create(budget=budget, choices=check_choices(budget, choices), on_paper=True,
                                   receipt_digest=receipt_digest(secrets.token_hex(8)))
    record(actions.PB_PAPER_BALLOT, actor=official, actor_role=Role.OFFICIAL, sphere=sphere, target=budget)
    return ballot


# --- The outcome ----------------------------------------------------------------------------------------------

@transaction.atomic
def do_count(official, budget: Budget) -> dict:
    sphere = budget.process.sphere
    check_perm(official, "participation.answer_proposal", sphere,
               _("Only officials of %(sphere)s can count the vote.") % {"sphere": sphere.name})
    if budget.process.allows(Feature.VOTE):
        raise Conflict("vote_open", _("The vote is still open."))
    return count(budget, actor=official)


def count(budget: Budget, *, actor=None) -> dict:
    if budget.result is not None:
        raise Conflict("already_counted", _("The vote has been counted."))
    if not budget.ballots.exists():
        raise DomainError("no_ballots", _("No ballots were cast."))
    outcome = pb.tally(instance_of(budget), rule=budget.rule, utility=budget.utility,
                       completion=budget.completion or None)
    budget.result, budget.counted_at = outcome.to_dict(), timezone.now()
    budget.save(update_fields=["result", "counted_at"])
    record(actions.PB_COUNTED, actor=actor, actor_role=Role.OFFICIAL if actor else "", sphere=budget.process.sphere,
           target=budget, data={"winners": outcome.to_dict()["winners"], "rule": budget.rule})
    return budget.result


@transaction.atomic
def do_import_pb(admin, process: Process, raw: bytes, **settings) -> Budget:
    """Run a budget from an existing .pb file: its projects (on the ballot) and its anonymous ballots."""
    check_perm(admin, "participation.create_process", process.sphere,
               _("Only an admin of %(sphere)s can set up its participatory budget.") % {"sphere": process.sphere.name})
    if len(raw) > MAX_PB_FILE:
        raise DomainError("file_too_large", _("The file is larger than 50 MB."))
    try:
        instance = parse_pabulib(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DomainError("not_utf8", _("The file is not UTF-8 text.")) from None
    except PabulibError as error:
        raise DomainError("bad_pb_file", _("Line %(line)s of the file: %(reason)s") % {
            "line": error.line, "reason": error.reason}, line=error.line) from None
    kinds = {"approval": BallotKind.APPROVAL, "cumulative": BallotKind.CUMULATIVE, "ordinal": BallotKind.RANKED}
    if instance.vote_type not in kinds:
        raise DomainError("unsupported_vote_type", _("This kind of ballot (%(kind)s) cannot be run here.")
                          % {"kind": instance.vote_type})
    kind = kinds[instance.vote_type]
    budget = do_create_budget(admin, process, total=int(instance.budget), ballot_kind=kind,
                              k=int(instance.meta.get("max_length") or 0) or (len(instance.projects) if kind ==
                                                                               BallotKind.RANKED else None),
                              points=int(instance.meta.get("max_sum_points") or 0) or None, **settings)
    by_file_id = {}
    for project in instance.projects:
        by_file_id[project.project_id] = Project.objects.create(
            budget=budget, title=(project.name or project.project_id)[:150], description=project.fields.get(
                "description", "") or project.name, cost=int(project.cost), status=ProjectStatus.FEASIBLE,
            review_note=f"pabulib {project.project_id}")
    ballots = []
    for voter in range(instance.n_voters):
        ids = [by_file_id[pid].pk for pid in instance.ballot(voter)]
        points = instance.points(voter) or [1] * len(ids)
        ballots.append(Ballot(budget=budget, choices=[[i, int(p)] for i, p in zip(ids, points, strict=True)],
                              on_paper=True, receipt_digest=receipt_digest(secrets.token_hex(8))))
    Ballot.objects.bulk_create(ballots, batch_size=2000)
    record(actions.PB_IMPORTED, actor=admin, actor_role=Role.ADMIN, sphere=process.sphere, target=budget,
           data={"projects": len(by_file_id), "ballots": len(ballots)})
    return budget
