"""LEGACY, the greedy draw used before LEXIMIN: valid panels, and the published unfairness reproduced."""

from __future__ import annotations

import csv
import random

import numpy as np
import pytest

from comuna.choice.sortition.legacy import LegacyDrawer, LegacyFailure, estimate_legacy
from comuna.choice.sortition.pool import Pool, Quota, read_pool, read_quotas
from comuna.choice.sortition.quotas import SelectionProblem
from shared_data import SHARED_DATA

DATA = SHARED_DATA / "sortition"


def load(name: str, respondents: str, size: int, **kwargs) -> SelectionProblem:
    quotas = read_quotas(DATA / name / "categories.csv")
    return SelectionProblem(read_pool(DATA / name / respondents, quotas, **kwargs), tuple(quotas), size)


def published_legacy(name: str) -> np.ndarray:
    with open(DATA / "published-results" / f"{name}_prob_allocs_data.csv") as handle:
        return np.array([float(r["selection probability"]) for r in csv.DictReader(handle)
                         if r["algorithm"].lower() == "legacy"])


@pytest.mark.parametrize(("name", "respondents", "size"), [
    ("example_small_20", "respondents.csv", 20),
    ("stratification-app-example", "candidates.csv", 22),
])
def test_every_legacy_panel_meets_the_quotas(name, respondents, size):
    problem = load(name, respondents, size)
    drawer = LegacyDrawer(problem)
    rng = random.Random(7)
    for _ in range(300):
        panel = drawer.draw(rng)
        assert len(set(panel)) == size
        assert problem.violations(problem.counts_of_panel(panel)) == []


def test_reproduces_the_published_legacy_probabilities_on_example_small():
    problem = load("example_small_20", "respondents.csv", 20)
    estimate = estimate_legacy(problem, draws=10_000, seed="replication")
    ours = np.sort(estimate.probabilities)
    theirs = published_legacy("example_small_20")  # sorted, also from 10,000 draws
    assert len(theirs) == len(ours) == 200
    # The published minimum (1.11%) is an outlier group LEGACY starves; the bulk sits near 9.3%.
    assert ours[0] == pytest.approx(theirs[0], abs=0.006)
    assert np.median(ours) == pytest.approx(np.median(theirs), abs=0.006)
    assert np.abs(ours - theirs).max() < 0.02


def test_housemates_are_removed_once_one_is_drawn():
    answers = tuple(("a",) if i % 2 else ("b",) for i in range(10))
    households = (0, 0, 1, 1, 2, 3, 4, 5, 6, 7)
    pool = Pool(tuple(str(i) for i in range(10)), ("g",), answers, households)
    problem = SelectionProblem(pool, (Quota("g", "a", 2, 3), Quota("g", "b", 2, 3)), 5)
    drawer = LegacyDrawer(problem)
    rng = random.Random(3)
    for _ in range(300):
        panel = set(drawer.draw(rng))
        assert not {0, 1} <= panel and not {2, 3} <= panel


def test_impossible_quotas_make_legacy_give_up():
    pool = Pool(tuple("abcd"), ("g",), (("x",), ("x",), ("y",), ("y",)))
    problem = SelectionProblem(pool, (Quota("g", "x", 3, 3), Quota("g", "y", 0, 3)), 3)
    with pytest.raises(LegacyFailure):
        estimate_legacy(problem, draws=5)
