"""LEGACY: the greedy sequential draw most practitioners used before LEXIMIN (for comparison).

As in the Sortition Foundation's `find_random_sample_legacy`: at each step, take the quota whose unmet minimum
is largest relative to the volunteers still available for it (the first such quota in file order on ties),
pick one of those volunteers uniformly at random, then remove the volunteer's housemates and, for every
quota that just reached its maximum, everyone else with that feature. A draw fails when a minimum can no
longer be met, or is still unmet once the panel is full; a failed draw is repeated. LEGACY publishes no distribution: its selection probabilities are
estimated by repeating the draw.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

import numpy as np

from comuna.choice.sortition.quotas import SelectionProblem


class LegacyFailure(RuntimeError):
    """LEGACY failed on every attempt (its greedy steps keep running into the quotas)."""


class _Failed(Exception):
    pass


class LegacyDrawer:
    """Repeated LEGACY draws on one problem (the set-up is shared between draws)."""

    def __init__(self, problem: SelectionProblem) -> None:
        self.problem = problem
        category_rank = {category: j for j, category in enumerate(problem.pool.categories)}
        order = sorted(range(len(problem.quotas)),
                       key=lambda q: (category_rank[problem.quotas[q].category], q))
        self.quotas = [problem.quotas[q] for q in order]
        self.minimum = [quota.min for quota in self.quotas]
        self.maximum = [quota.max for quota in self.quotas]
        index = {(quota.category, quota.feature): q for q, quota in enumerate(self.quotas)}
        categories = problem.pool.categories
        self.person_quotas = [tuple(index[(c, value)] for c, value in zip(categories, answer, strict=True))
                              for answer in problem.pool.answers]
        self.members: list[list[int]] = [[] for _ in self.quotas]
        self.position = [[0] * problem.pool.size for _ in categories]
        for person, quotas in enumerate(self.person_quotas):
            for c, q in enumerate(quotas):
                self.position[c][person] = len(self.members[q])
                self.members[q].append(person)
        housemates: dict[int, list[int]] = {}
        for person, household in enumerate(problem.pool.households):
            housemates.setdefault(household, []).append(person)
        self.housemates = {person: [other for other in housemates[h] if other != person]
                           for h, people in housemates.items() if len(people) > 1 for person in people}

    def draw_once(self, rng: random.Random) -> list[int]:
        """One draw: 0-based volunteer indices in selection order. Raises _Failed when the draw gets stuck."""
        pools = [list(members) for members in self.members]
        position = [list(p) for p in self.position]
        selected = [0] * len(self.quotas)
        alive = [True] * self.problem.pool.size
        remaining = self.problem.pool.size
        minimum, maximum, person_quotas = self.minimum, self.maximum, self.person_quotas

        def remove(person: int) -> None:
            nonlocal remaining
            alive[person] = False
            remaining -= 1
            for c, q in enumerate(person_quotas[person]):
                pool = pools[q]
                at, last = position[c][person], pool[-1]
                pool[at] = last
                position[c][last] = at
                pool.pop()
                if not pool and selected[q] < minimum[q]:
                    raise _Failed

        panel: list[int] = []
        size = self.problem.panel_size
        for step in range(size):
            best_ratio, best = -100.0, -1
            for q in range(len(pools)):
                left, missing = len(pools[q]), minimum[q] - selected[q]
                if missing > 0 and left < missing:
                    raise _Failed
                if left and maximum[q]:
                    ratio = missing / left
                    if ratio > best_ratio:
                        best_ratio, best = ratio, q
            if best < 0:
                raise _Failed
            person = pools[best][rng.randrange(len(pools[best]))]
            panel.append(person)
            for q in person_quotas[person]:
                selected[q] += 1
            remove(person)
            for other in self.housemates.get(person, ()):
                if alive[other]:
                    remove(other)
            for q in person_quotas[person]:
                if selected[q] == maximum[q]:
                    for other in list(pools[q]):
                        remove(other)
            if step < size - 1 and remaining == 0:
                raise _Failed
        if any(count < low for count, low in zip(selected, minimum, strict=True)):
            raise _Failed  # as the Sortition Foundation's app does (check_min_cats), such a draw is redone
        return panel

    def draw(self, rng: random.Random, attempts: int = 100) -> list[int]:
        """A successful draw (sorted indices), retrying failed ones up to `attempts` times."""
        for _ in range(attempts):
            try:
                return sorted(self.draw_once(rng))
            except _Failed:
                continue
        raise LegacyFailure(f"LEGACY failed {attempts} times in a row on these quotas")


@dataclass(frozen=True)
class LegacyEstimate:
    probabilities: np.ndarray  # per volunteer, in file order
    draws: int
    failures: int


def rng_from_seed(seed: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big"))


def estimate_legacy(problem: SelectionProblem, draws: int = 10_000, seed: str = "legacy") -> LegacyEstimate:
    """Selection probabilities of LEGACY, estimated from `draws` successful draws."""
    drawer = LegacyDrawer(problem)
    rng = rng_from_seed(seed)
    hits = np.zeros(problem.pool.size)
    failures = 0
    for _ in range(draws):
        while True:
            try:
                panel = drawer.draw_once(rng)
                break
            except _Failed:
                failures += 1
                if failures > 10 * draws + 100:
                    raise LegacyFailure("LEGACY fails far more often than it succeeds on these quotas") from None
        hits[panel] += 1
    return LegacyEstimate(hits / draws, draws, failures)
