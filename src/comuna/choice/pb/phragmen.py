"""Sequential Phragmén for participatory budgeting (pabutools 1.2.3's `sequential_phragmen`), exact.

Voters earn virtual money continuously; a project is bought as soon as its supporters together hold its cost, and
they all end with the same load. In each round the project with the smallest new maximal load
(supporters' loads + cost) / supporters is bought (ties: `ties.tie_order`); the rule stops as soon as that project
(or one tied with it) does not fit in the remaining budget. Ballots are read as approvals (any positive points).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from comuna.choice.pabulib import Number
from comuna.choice.pb.election import Election


@dataclass
class PhragmenRound:
    round: int
    project: int
    load: Fraction        # the maximal load reached by its supporters
    supporters: int


@dataclass
class PhragmenResult:
    selected: list[int]
    rounds: list[PhragmenRound]
    stopped_by: int | None      # the project that would have overspent, if the rule stopped on one
    stop_round: int | None


def sequential_phragmen(election: Election) -> PhragmenResult:
    n_projects = election.n_projects
    positive = np.array([w > 0 for w in election.entry_weight], dtype=bool)
    entry_type = election.entry_type[positive]
    entry_project = election.entry_project[positive]
    counts = election.type_counts[entry_type].astype(np.float64)
    supporters = np.bincount(entry_project, weights=counts, minlength=n_projects).astype(np.int64)
    type_class = np.zeros(len(election.type_counts), dtype=np.int64)
    loads: list[Fraction] = [Fraction(0)]
    remaining = [p for p in range(n_projects) if election.costs[p] <= election.budget]
    spent: Number = 0
    result = PhragmenResult([], [], None, None)
    round_number = 0
    while remaining:
        round_number += 1
        width = len(loads)
        matrix = np.bincount(entry_project * width + type_class[entry_type], weights=counts,
                             minlength=n_projects * width).reshape(n_projects, width)
        values: dict[int, Fraction | None] = {}
        for project in remaining:
            if supporters[project] == 0:
                values[project] = None  # an infinite load: nobody can buy it (pabutools: float("inf"))
            else:
                row = matrix[project]
                held = sum((loads[k] * int(row[k]) for k in np.flatnonzero(row).tolist()), Fraction(0))
                values[project] = (held + election.costs[project]) / int(supporters[project])

        keys = {p: (v is None, v if v is not None else Fraction(0)) for p, v in values.items()}
        best_key = min(keys.values())
        tied = [p for p in remaining if keys[p] == best_key]
        best = values[tied[0]]
        over = [p for p in tied if spent + election.costs[p] > election.budget]
        if over:
            result.stopped_by = min(over, key=election.tie_rank.__getitem__)
            result.stop_round = round_number
            break
        chosen = min(tied, key=election.tie_rank.__getitem__)
        if best is not None:
            new_class = len(loads)
            loads.append(best)
            members = np.unique(entry_type[entry_project == chosen])
            type_class[members] = new_class
        result.selected.append(chosen)
        result.rounds.append(PhragmenRound(round_number, chosen, best if best is not None else Fraction(0),
                                           int(supporters[chosen])))
        spent += election.costs[chosen]
        remaining.remove(chosen)
    return result
