"""Infeasible quotas: the message names quotas that truly conflict, and the suggested relaxation works."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from comuna.choice.sortition.compositions import CompositionSolver
from comuna.choice.sortition.feasibility import InfeasibleQuotasError
from comuna.choice.sortition.leximin import leximin_distribution
from comuna.choice.sortition.pool import Quota, read_pool, read_quotas
from comuna.choice.sortition.quotas import SelectionProblem
from shared_data import SHARED_DATA

DATA = SHARED_DATA / "sortition"


def strat_problem(changes: dict[tuple[str, str], tuple[int, int]], size: int = 22) -> SelectionProblem:
    quotas = read_quotas(DATA / "stratification-app-example" / "categories.csv")
    pool = read_pool(DATA / "stratification-app-example" / "candidates.csv", quotas)
    quotas = [dataclasses.replace(q, min=changes[(q.category, q.feature)][0], max=changes[(q.category, q.feature)][1])
              if (q.category, q.feature) in changes else q for q in quotas]
    return SelectionProblem(pool, tuple(quotas), size)


def feasible(problem: SelectionProblem, quotas: list[Quota]) -> bool:
    low = np.array([q.min for q in quotas], dtype=float)
    high = np.array([q.max for q in quotas], dtype=float)
    return CompositionSolver(problem).best(np.zeros(len(problem.groups)), low, high) is not None


def check_conflict_is_irreducible(problem: SelectionProblem, error: InfeasibleQuotasError) -> None:
    """Keeping only the named bounds is infeasible; dropping any one of them is feasible."""
    def only(bounds):
        result = []
        for q in problem.quotas:
            kept_min = any(b.quota == q and b.side == "min" for b in bounds)
            kept_max = any(b.quota == q and b.side == "max" for b in bounds)
            result.append(Quota(q.category, q.feature, q.min if kept_min else 0,
                                q.max if kept_max else problem.panel_size))
        return result

    assert not feasible(problem, only(error.conflict))
    for dropped in error.conflict:
        assert feasible(problem, only([b for b in error.conflict if b != dropped]))


def test_too_many_women_and_men_at_once():
    problem = strat_problem({("gender", "Female"): (13, 14), ("gender", "Male"): (10, 11)})
    with pytest.raises(InfeasibleQuotasError) as caught:
        leximin_distribution(problem)
    error = caught.value
    named = {(b.quota.category, b.quota.feature, b.side) for b in error.conflict}
    assert named == {("gender", "Female", "min"), ("gender", "Male", "min")}
    assert "cannot be met together" in str(error)
    assert "at least 13 with gender=Female" in str(error) and "at least 10 with gender=Male" in str(error)
    check_conflict_is_irreducible(problem, error)
    # The suggestion is minimal (one step) and makes a panel possible.
    assert error.relaxed is not None and len(error.changes) == 1
    assert feasible(problem, error.relaxed)
    assert "Suggestion:" in str(error)


def test_minimum_above_the_volunteers_available():
    problem = strat_problem({("geo_bucket", "Glasgow"): (30, 30)}, size=22)
    with pytest.raises(InfeasibleQuotasError) as caught:
        leximin_distribution(problem)
    error = caught.value
    assert ("geo_bucket", "Glasgow", "min") in {(b.quota.category, b.quota.feature, b.side) for b in error.conflict}
    check_conflict_is_irreducible(problem, error)
    assert feasible(problem, error.relaxed)
    relaxed = {(q.category, q.feature): q for q in error.relaxed}
    assert relaxed[("geo_bucket", "Glasgow")].min < 30


def test_maximums_too_low_for_the_panel_size():
    changes = {("age_bracket", band): (0, 3) for band in ("16-29", "30-44", "45-59", "60+")}
    problem = strat_problem(changes)
    with pytest.raises(InfeasibleQuotasError) as caught:
        leximin_distribution(problem)
    error = caught.value
    assert {(b.quota.category, b.side) for b in error.conflict} == {("age_bracket", "max")}
    check_conflict_is_irreducible(problem, error)
    assert feasible(problem, error.relaxed)
    assert sum(new.max - old.max for old, new in error.changes) == 22 - 12  # the smallest total raise
