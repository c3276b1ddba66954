"""The published distribution (stable JSON, fingerprint) and the seeded draw anyone can repeat."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import numpy as np
import pytest

from comuna.choice.sortition.draw import (
    DistributionError,
    PanelDistribution,
    _uniform_below,
    choose_composition,
    draw_panel,
)
from comuna.choice.sortition.leximin import leximin_distribution
from comuna.choice.sortition.pool import read_pool, read_quotas
from comuna.choice.sortition.quotas import SelectionProblem
from shared_data import SHARED_DATA

DATA = SHARED_DATA / "sortition"


@pytest.fixture(scope="module")
def strat():
    quotas = read_quotas(DATA / "stratification-app-example" / "categories.csv")
    pool = read_pool(DATA / "stratification-app-example" / "candidates.csv", quotas, id_column="nationbuilder_id")
    problem = SelectionProblem(pool, tuple(quotas), 22)
    return problem, leximin_distribution(problem)


def test_draw_is_a_pure_function_of_seed_and_distribution(strat):
    problem, distribution = strat
    first = draw_panel(distribution, "lottery 2026-11-26: 4 8 15 16 23 42")
    again = PanelDistribution.from_json(json.loads(distribution.stable_text()))
    assert draw_panel(again, "lottery 2026-11-26: 4 8 15 16 23 42") == first
    assert len(first) == 22 == len(set(first))
    assert first == sorted(first, key=problem.pool.ids.index)  # listed in file order
    assert draw_panel(distribution, "lottery 2026-11-26: 4 8 15 16 23 43") != first


def test_composition_is_chosen_by_exact_integer_arithmetic():
    distribution = PanelDistribution(("a", "b", "c"), ((0,), (1,), (2,)), ((0, 1, 1), (1, 0, 1), (1, 1, 0)),
                                     (1, 2, 3), 6, 2)
    for seed in ["x", "y", "z", "2026"]:
        r = int(hashlib.sha256(seed.encode()).hexdigest(), 16)
        position = r * 6 // 2**256  # floor(u * total) with u = r / 2^256
        expected = 0 if position < 1 else 1 if position < 3 else 2
        assert choose_composition(distribution, seed) == expected
    # Singleton groups: the composition is the panel.
    panel = draw_panel(distribution, "x")
    counts = distribution.compositions[choose_composition(distribution, "x")]
    assert panel == [v for v, c in zip("abc", counts, strict=True) if c]


def test_uniform_below_rejects_the_biased_tail():
    blocks = iter([2**256 - 1, 7])  # the first block lies in the rejected tail for bound 3
    assert _uniform_below(3, blocks) == 7 % 3


def test_draws_follow_the_published_probabilities(strat):
    problem, distribution = strat
    seeds = 3000
    hits = Counter(v for s in range(seeds) for v in draw_panel(distribution, f"s{s}"))
    observed = np.array([hits[v] / seeds for v in problem.pool.ids])
    expected = np.array(distribution.probabilities())
    spread = np.sqrt(expected * (1 - expected) / seeds)
    assert np.all(np.abs(observed - expected) <= 5 * spread + 1e-9)


def test_stable_json_round_trip_and_fingerprint(strat):
    _, distribution = strat
    text = distribution.stable_text()
    assert json.loads(text)["format"] == "comuna-sortition-distribution/1"
    again = PanelDistribution.from_json(json.loads(text))
    assert again == distribution
    assert again.fingerprint() == hashlib.sha256(text.encode()).hexdigest()
    tampered = json.loads(text)
    tampered["compositions"][0]["weight"] += 1
    tampered["compositions"][1]["weight"] -= 1
    assert PanelDistribution.from_json(tampered).fingerprint() != distribution.fingerprint()


def test_weights_round_to_the_total_exactly():
    distribution = PanelDistribution.from_weights(["a", "b", "c"], [[0], [1], [2]],
                                                  [[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 1, 1]],
                                                  [1 / 3, 1 / 6, 1 / 3, 1 / 6], 2, total=1000)
    assert sum(distribution.weights) == 1000
    assert distribution.compositions == ((0, 1, 1), (1, 0, 1), (1, 1, 0))  # merged and in canonical order
    assert distribution.weights == (333, 333, 334) or sorted(distribution.weights) == [333, 333, 334]
    assert sum(distribution.exact_probabilities()) == 2


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(format="other"), "format"),
    (lambda d: d["compositions"][0].update(weight=d["compositions"][0]["weight"] + 1), "add up to total"),
    (lambda d: d["groups"].pop(), "partition"),
    (lambda d: d["compositions"][0]["counts"].__setitem__(0, 99), "more members than a group has"),
    (lambda d: d.pop("total"), "malformed"),
])
def test_malformed_distributions_are_refused(strat, change, message):
    _, distribution = strat
    data = distribution.to_json()
    change(data)
    with pytest.raises(DistributionError, match=message):
        PanelDistribution.from_json(data)
