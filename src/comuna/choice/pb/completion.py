"""Completions of the Method of Equal Shares, which on its own usually leaves part of the budget unspent.

add1 (pabutools 1.2.3's `method_of_equal_shares(..., voter_budget_increment=1)`, used by Assen 2024 and
Świecie 2023): run MES with budget/n per voter, then with 1 more per voter, 2 more, ... Stop at the first outcome
that is exhaustive (no further supported project fits in the real budget) and return it, or at the first that
overspends the real budget and return the one before it.

add1-comparison (Wieliczka 2023, see `comparison.py`): the add1 outcome is compared with the utilitarian greedy
outcome, and the one that more voters prefer is taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from comuna.choice.pb.election import Election
from comuna.choice.pb.equal_shares import EqualShares, MESRun
from comuna.choice.pb.fast_mes import funded_projects


@dataclass
class Add1Result:
    run: MESRun                # the MES run whose outcome is returned
    increments: int            # how many times 1 was added to each voter's money for that run
    stopped_because: str       # "exhaustive", "next increment overspends" or "no voters"
    runs: int                  # MES runs computed (compiled float runs, and exact ones)


def is_exhaustive(election: Election, selected: list[int], candidates: list[int]) -> bool:
    """No candidate project outside `selected` still fits in the budget."""
    spent = sum((election.costs[p] for p in selected), 0)
    chosen = set(selected)
    return all(p in chosen or spent + election.costs[p] > election.budget for p in candidates)


def exact_amounts(election: Election, mes: EqualShares) -> np.ndarray:
    """The integer costs, weights and multipliers `fast_mes` uses to decide exact ties, as rows of one array:
    [[1 if all are integers below 2**31, else 0], costs, weights, multipliers]."""
    width = max(election.n_projects, mes.levels, 1)
    rows = (election.costs, mes.weight_values, election.multiplier)
    exact = np.zeros((4, width), dtype=np.int64)
    if all(int(value) == value and 0 <= value < 2**31 for row in rows for value in row):
        exact[0, 0] = 1
        for index, row in enumerate(rows, start=1):
            exact[index, : len(row)] = [int(value) for value in row]
    return exact


class _Increments:
    """Outcomes of MES at budget/n + k × increment per voter: the funded set from the compiled float run where
    every decision had a safe margin (`fast_mes`), else from the exact run; exact runs for the outcome returned."""

    def __init__(self, election: Election, increment: int) -> None:
        self.election = election
        self.mes = EqualShares(election)
        self.per_voter = Fraction(election.budget) / election.n_voters
        self.increment = increment
        self.runs = 0
        mes = self.mes
        self.candidates = np.array([p for p in range(election.n_projects) if mes.supporters[p] > 0
                                    and election.costs[p] > 0], dtype=np.int64)
        self.zero_cost = [p for p in range(election.n_projects) if mes.supporters[p] > 0 and election.costs[p] == 0]
        self._arrays = (election.type_counts.astype(np.float64), mes.support_start.astype(np.int64),
                        mes.support_type.astype(np.int64), mes.support_level.astype(np.int64), mes.weight_float,
                        mes.multiplier_float, mes.cost_float, self.candidates,
                        np.array(election.tie_rank, dtype=np.int64), exact_amounts(election, mes))

    def money(self, k: int) -> Fraction:
        return self.per_voter + k * self.increment

    def exact(self, k: int) -> MESRun:
        self.runs += 1
        return self.mes.run(self.money(k))

    def funded(self, k: int) -> list[int]:
        """The projects funded at increment k (in no particular order)."""
        self.runs += 1
        projects, certain = funded_projects(float(self.money(k)), *self._arrays)
        if certain:
            return self.zero_cost + projects.tolist()
        return self.mes.run(self.money(k)).selected


def equal_shares_add1(election: Election, increment: int = 1) -> Add1Result:
    """MES with the add1 completion, exactly as pabutools computes it (same stopping rule, same outcome)."""
    if election.n_voters == 0:
        return Add1Result(EqualShares(election).run(0), 0, "no voters", 1)
    increments = _Increments(election, increment)
    # pabutools checks exhaustiveness against the projects MES could fund: supported, with a positive cost.
    candidates = increments.candidates.tolist()
    steps = 0
    while True:
        funded = increments.funded(steps)
        if sum((election.costs[p] for p in funded), 0) > election.budget:
            # the first run never overspends: each voter holds budget / n
            return Add1Result(increments.exact(steps - 1), steps - 1, "next increment overspends", increments.runs)
        if is_exhaustive(election, funded, candidates):
            return Add1Result(increments.exact(steps), steps, "exhaustive", increments.runs)
        steps += 1


@dataclass
class ComparisonResult:
    add1: Add1Result
    greedy_selected: list[int]
    prefer_equal_shares: int   # voters with more utility from the Equal Shares outcome
    prefer_greedy: int         # voters with more utility from the greedy outcome
    chosen: str                # "equal shares" or "greedy"

    @property
    def selected(self) -> list[int]:
        return self.add1.run.selected if self.chosen == "equal shares" else self.greedy_selected


def equal_shares_add1_until_overspending(election: Election, increment: int = 1) -> Add1Result:
    """add1 without the exhaustiveness stop: raise each voter's money by 1 until the outcome overspends the real
    budget, and keep the last outcome that did not. This is the completion of Wieliczka 2023 (it reproduces its
    official outcome; pabutools' add1, which stops at the first exhaustive outcome, does not)."""
    if election.n_voters == 0:
        return Add1Result(EqualShares(election).run(0), 0, "no voters", 1)
    increments = _Increments(election, increment)
    fundable = len(increments.candidates)
    steps = 0
    funded = increments.funded(steps)
    while True:
        if len(funded) - len(increments.zero_cost) == fundable:  # all is funded: more money changes nothing
            return Add1Result(increments.exact(steps), steps, "all supported projects funded", increments.runs)
        following = increments.funded(steps + 1)
        if sum((election.costs[p] for p in following), 0) > election.budget:
            return Add1Result(increments.exact(steps), steps, "next increment overspends", increments.runs)
        funded = following
        steps += 1


def equal_shares_add1_comparison(election: Election) -> ComparisonResult:
    """Wieliczka's `equalshares/add1-comparison`: the add1 outcome (run until overspending) is compared with the
    utilitarian greedy outcome; each voter prefers the outcome giving them more utility (the election's utility:
    cost of the funded projects they support, for cost utilities), and greedy is taken only if strictly more
    voters prefer it."""
    from comuna.choice.pb.greedy import utilitarian_greedy

    add1 = equal_shares_add1_until_overspending(election)
    greedy = utilitarian_greedy(election).selected
    in_mes = set(add1.run.selected)
    in_greedy = set(greedy)
    difference = np.zeros(len(election.type_counts), dtype=object)
    for type_index, project, weight in zip(election.entry_type.tolist(), election.entry_project.tolist(),
                                           election.entry_weight, strict=True):
        utility = weight * election.multiplier[project]
        difference[type_index] += utility * ((project in in_mes) - (project in in_greedy))
    counts = election.type_counts
    prefer_mes = int(sum(int(c) for d, c in zip(difference, counts, strict=True) if d > 0))
    prefer_greedy = int(sum(int(c) for d, c in zip(difference, counts, strict=True) if d < 0))
    chosen = "greedy" if prefer_greedy > prefer_mes else "equal shares"
    return ComparisonResult(add1, greedy, prefer_mes, prefer_greedy, chosen)
