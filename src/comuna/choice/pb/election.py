"""The compact form of an election that the PB rules work on.

Voters with identical ballots are merged into one *ballot type* with a multiplicity, and each type's ballot becomes
a list of (project, weight) entries: the weight is the points given for cumulative/scoring ballots, else 1. The
utility of a voter for a project is weight × (cost of the project for cost utilities, 1 otherwise), as in
pabutools' Cost_Sat / Cardinality_Sat / Additive_Cardinal_Sat. Ordinal ballots are read as the approval of the
ranked projects (pabutools does the same with these satisfaction measures).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np

from comuna.choice.pabulib import POINT_VOTE_TYPES, Number, PBInstance
from comuna.choice.pb.ties import tie_rank

Utility = Literal["cost", "cardinality", "points"]
UTILITIES: tuple[str, ...] = ("cost", "cardinality", "points")


def default_utility(instance: PBInstance) -> Utility:
    """Points for cumulative/scoring ballots, cost utilities otherwise (the usual choice for approval PB)."""
    return "points" if instance.vote_type in POINT_VOTE_TYPES else "cost"


@dataclass
class Election:
    """Projects, budget and ballot types, with exact amounts (int or Fraction)."""

    project_ids: list[str]
    costs: list[Number]
    budget: Number
    n_voters: int
    utility: str
    type_counts: np.ndarray       # multiplicity of each ballot type (int64)
    entry_type: np.ndarray        # for each (type, project) entry: the type (int64)
    entry_project: np.ndarray     # ... the project (int64)
    entry_weight: list[Number]    # ... the weight (exact); utility = weight × multiplier[project]
    multiplier: list[Number]      # cost of the project for cost utilities, else 1
    tie_rank: list[int]

    @property
    def n_projects(self) -> int:
        return len(self.project_ids)

    def utility_weight_is_unit(self) -> bool:
        return all(weight == 1 for weight in self.entry_weight)


def build_election(instance: PBInstance, utility: str | None = None) -> Election:
    """Merge identical ballots and attach the utilities; `utility` defaults to `default_utility(instance)`."""
    utility = utility or default_utility(instance)
    if utility not in UTILITIES:
        raise ValueError(f"unknown utility {utility!r}; choose one of {', '.join(UTILITIES)}")
    if utility == "points" and instance.ballot_points is None:
        raise ValueError("points utilities need ballots with points (cumulative or scoring)")
    offsets = instance.ballot_offsets.tolist()
    flat = instance.ballot_projects.tolist()
    points = instance.ballot_points.tolist() if utility == "points" else None
    types: dict[tuple, int] = {}
    counts: list[int] = []
    for voter in range(instance.n_voters):
        start, end = offsets[voter], offsets[voter + 1]
        if points is None:
            key: tuple = tuple(sorted(flat[start:end]))
        else:
            key = tuple(sorted((p, w) for p, w in zip(flat[start:end], points[start:end], strict=True) if w != 0))
        index = types.get(key)
        if index is None:
            types[key] = len(counts)
            counts.append(1)
        else:
            counts[index] += 1
    entry_type: list[int] = []
    entry_project: list[int] = []
    entry_weight: list[Number] = []
    for key, index in types.items():
        for item in key:
            project, weight = (item, 1) if points is None else item
            entry_type.append(index)
            entry_project.append(project)
            entry_weight.append(weight if isinstance(weight, int) else Fraction(weight))
    costs = [project.cost for project in instance.projects]
    multiplier: list[Number] = list(costs) if utility == "cost" else [1] * len(costs)
    ids = instance.project_ids
    return Election(
        project_ids=ids,
        costs=costs,
        budget=instance.budget,
        n_voters=instance.n_voters,
        utility=utility,
        type_counts=np.array(counts, dtype=np.int64),
        entry_type=np.array(entry_type, dtype=np.int64),
        entry_project=np.array(entry_project, dtype=np.int64),
        entry_weight=entry_weight,
        multiplier=multiplier,
        tie_rank=tie_rank(ids),
    )
