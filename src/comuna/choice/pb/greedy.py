"""Utilitarian greedy: fund projects in decreasing order of total utility per unit of cost.

This is pabutools 1.2.3's `greedy_utilitarian_welfare` for additive utilities: the order is by total utility /
cost (exact fractions; cost-free projects first), ties by `ties.tie_order`; a project that no longer fits is
skipped (or, with `skip=False`, the rule stops there: the "no skipping" variant some cities use). With cost
utilities the density is the number of supporters, i.e. the usual "most votes first" rule. An optional vote
threshold leaves out projects with fewer supporters than it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from comuna.choice.pabulib import Number
from comuna.choice.pb.election import Election


@dataclass
class GreedyStep:
    project: int
    rank: int                 # position in the greedy order, from 1
    density: Fraction | None  # total utility per unit of cost; None for a cost-free project
    supporters: int
    funded: bool
    remaining_before: Number  # budget left when the project was considered
    reason: str               # "funded", "over remaining budget", "below vote threshold", "after the stop"


@dataclass
class GreedyResult:
    selected: list[int]
    steps: list[GreedyStep]


def supporters_and_utility(election: Election) -> tuple[list[int], list[Number]]:
    """Number of supporters and total utility of every project."""
    counts = election.type_counts[election.entry_type]
    supporters = np.bincount(election.entry_project, weights=counts.astype(np.float64),
                             minlength=election.n_projects).astype(np.int64).tolist()
    total: list[Number] = [0] * election.n_projects
    for project, weight, count in zip(election.entry_project.tolist(), election.entry_weight, counts.tolist(),
                                      strict=True):
        total[project] += weight * count
    utility = [total[p] * election.multiplier[p] for p in range(election.n_projects)]
    return supporters, utility


def utilitarian_greedy(election: Election, skip: bool = True, threshold: int = 0) -> GreedyResult:
    supporters, utility = supporters_and_utility(election)

    def density(project: int) -> Fraction | None:
        cost = election.costs[project]
        return None if cost == 0 else Fraction(utility[project]) / cost

    def key(project: int) -> tuple:
        value = density(project)
        return (0 if value is None else 1, -(value or 0), election.tie_rank[project])

    order = sorted(range(election.n_projects), key=key)
    remaining: Number = election.budget
    selected: list[int] = []
    steps: list[GreedyStep] = []
    stopped = False
    for rank, project in enumerate(order, start=1):
        cost = election.costs[project]
        if supporters[project] < threshold:
            reason = "below vote threshold"
        elif stopped:
            reason = "after the stop"
        elif cost <= remaining:
            reason = "funded"
        else:
            reason = "over remaining budget"
            stopped = not skip
        step = GreedyStep(project, rank, density(project), supporters[project], reason == "funded", remaining,
                          reason)
        if step.funded:
            selected.append(project)
            remaining -= cost
        steps.append(step)
    return GreedyResult(selected, steps)
