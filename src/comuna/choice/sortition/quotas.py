"""A selection problem (pool, quotas, panel size) and its groups of interchangeable volunteers.

Volunteers with the same answers who share no address with anyone else are interchangeable: any panel stays
valid when one is swapped for another. LEXIMIN's optimal selection probabilities are unique, hence the same for
all members of such a group, so the solver works on *compositions* (how many members of each group sit on the
panel) instead of panels. This is what makes the 2,000-volunteer example fast: it has 4 groups, not 2,000
volunteers. A volunteer sharing an address with someone else forms a group of one, so the "one per household"
rule stays an ordinary constraint on compositions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from comuna.choice.sortition.pool import Pool, Quota


@dataclass(frozen=True)
class SelectionProblem:
    pool: Pool
    quotas: tuple[Quota, ...]
    panel_size: int
    # False makes every volunteer a group of one: the same LEXIMIN result, solved panel by panel (for checks
    # and benchmarks against implementations that do not merge interchangeable volunteers).
    merge_interchangeable: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "quotas", tuple(self.quotas))
        if not 0 < self.panel_size <= self.pool.size:
            raise ValueError(f"the panel size must be between 1 and the pool size {self.pool.size} "
                             f"(got {self.panel_size})")
        known = set(self.pool.categories)
        stray = [quota.describe() for quota in self.quotas if quota.category not in known]
        if stray:
            raise ValueError(f"quotas for categories the pool does not answer: {', '.join(stray)}")

    @cached_property
    def groups(self) -> tuple[tuple[int, ...], ...]:
        """Interchangeable volunteers (0-based row indices), groups ordered by their first member."""
        household_size: dict[int, int] = {}
        for household in self.pool.households:
            household_size[household] = household_size.get(household, 0) + 1
        members: dict[object, list[int]] = {}
        for index, (answer, household) in enumerate(zip(self.pool.answers, self.pool.households, strict=True)):
            alone = household_size[household] == 1 and self.merge_interchangeable
            key = answer if alone else (answer, index)
            members.setdefault(key, []).append(index)
        return tuple(tuple(group) for group in members.values())

    @cached_property
    def group_sizes(self) -> np.ndarray:
        return np.array([len(group) for group in self.groups], dtype=np.int64)

    @cached_property
    def group_of(self) -> np.ndarray:
        """For each volunteer, the index of their group."""
        result = np.empty(self.pool.size, dtype=np.int64)
        for number, group in enumerate(self.groups):
            result[list(group)] = number
        return result

    @cached_property
    def incidence(self) -> np.ndarray:
        """incidence[q, g] = 1 when the members of group g count towards quota q."""
        column = {category: j for j, category in enumerate(self.pool.categories)}
        matrix = np.zeros((len(self.quotas), len(self.groups)))
        for g, group in enumerate(self.groups):
            answer = self.pool.answers[group[0]]
            for q, quota in enumerate(self.quotas):
                if answer[column[quota.category]] == quota.feature:
                    matrix[q, g] = 1.0
        return matrix

    @cached_property
    def shared_households(self) -> tuple[tuple[int, ...], ...]:
        """Groups (all of size one) of the volunteers who share an address, one tuple per household."""
        by_household: dict[int, list[int]] = {}
        for g, group in enumerate(self.groups):
            by_household.setdefault(self.pool.households[group[0]], []).append(g)
        return tuple(tuple(groups) for groups in by_household.values() if len(groups) > 1)

    def household_matrix(self) -> np.ndarray:
        matrix = np.zeros((len(self.shared_households), len(self.groups)))
        for row, groups in enumerate(self.shared_households):
            matrix[row, list(groups)] = 1.0
        return matrix

    def quota_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        low = np.array([quota.min for quota in self.quotas], dtype=float)
        high = np.array([quota.max for quota in self.quotas], dtype=float)
        return low, high

    def violations(self, counts: Sequence[int] | np.ndarray) -> list[str]:
        """Why a composition (members per group) is not a valid panel; empty when it is one."""
        counts = np.asarray(counts, dtype=np.int64)
        problems = []
        if counts.shape != (len(self.groups),) or (counts < 0).any() or (counts > self.group_sizes).any():
            return ["the counts do not fit the groups"]
        if counts.sum() != self.panel_size:
            problems.append(f"{counts.sum()} members instead of {self.panel_size}")
        per_quota = self.incidence @ counts
        for quota, count in zip(self.quotas, per_quota, strict=True):
            if not quota.min <= round(count) <= quota.max:
                problems.append(f"{round(count)} for {quota.describe()}")
        for groups in self.shared_households:
            if counts[list(groups)].sum() > 1:
                members = [self.pool.ids[self.groups[g][0]] for g in groups]
                problems.append(f"volunteers {', '.join(members)} share an address")
        return problems

    def counts_of_panel(self, members: Sequence[int]) -> np.ndarray:
        """Members per group of a panel given by 0-based volunteer indices."""
        return np.bincount(self.group_of[list(members)], minlength=len(self.groups))
