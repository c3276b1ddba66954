"""A budget's anonymised ballots in the open pabulib format, so anyone can recount with another tool, and back."""

from __future__ import annotations

import csv
import io

from comuna.choice.pabulib import PBInstance, parse_pabulib

from .models import BallotKind, Budget, ProjectStatus

VOTE_TYPES = {BallotKind.APPROVAL: "approval", BallotKind.K_APPROVAL: "approval",
              BallotKind.CUMULATIVE: "cumulative", BallotKind.RANKED: "ordinal"}


def to_pabulib(budget: Budget) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    projects = list(budget.projects.filter(status=ProjectStatus.FEASIBLE))
    ballots = list(budget.ballots.values_list("choices", flat=True))
    vote_type = VOTE_TYPES[budget.ballot_kind]
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    meta = {
        "description": budget.process.title, "country": budget.process.sphere.country or "",
        "unit": budget.process.sphere.name, "instance": budget.process.slug, "num_projects": len(projects),
        "num_votes": len(ballots), "budget": budget.total, "vote_type": vote_type, "rule": budget.rule,
        "currency": budget.currency,
    }
    if budget.k:
        meta["max_length"] = budget.k
    if budget.ballot_kind == BallotKind.CUMULATIVE and budget.points:
        meta["max_sum_points"] = budget.points
    for key, value in meta.items():
        writer.writerow([key, value])
    writer.writerow(["PROJECTS"])
    writer.writerow(["project_id", "cost", "name", "selected"])
    funded = set((budget.result or {}).get("winners", []))
    for project in projects:
        writer.writerow([project.pk, project.cost, project.title.replace(";", ","),
                         int(str(project.pk) in funded) if budget.result else ""])
    writer.writerow(["VOTES"])
    writer.writerow(["voter_id", "vote", "points"] if vote_type == "cumulative" else ["voter_id", "vote"])
    # Voters are numbered in a canonical order of their choices, so the file says nothing about when anyone voted.
    for number, choices in enumerate(sorted(ballots, key=lambda c: [list(map(int, pair)) for pair in c]), start=1):
        row = [number, ",".join(str(project_id) for project_id, _points in choices)]
        if vote_type == "cumulative":
            row.append(",".join(str(points) for _project_id, points in choices))
        writer.writerow(row)
    return out.getvalue()


def instance_of(budget: Budget) -> PBInstance:
    return parse_pabulib(to_pabulib(budget))
