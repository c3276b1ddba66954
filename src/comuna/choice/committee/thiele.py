"""Proportional approval voting (PAV), solved exactly by branch and bound in integer arithmetic.

A committee's PAV score gives each voter 1 + 1/2 + ... + 1/j for j approved members. Scores are scaled by
L = lcm(1..k) so that every term L/j is an integer and ties are exact.

Search: identical ballots are merged (one row each, weighted by how many voters cast it) and candidates are
renumbered by decreasing approval count; committees are built by adding candidates in that order. A partial
committee is abandoned when its score plus the best `missing` marginal gains of the candidates still available
is below the best score known; this bound is valid because PAV's score is submodular (a candidate's marginal
gain can only shrink as the committee grows), and it only cuts branches strictly worse than a known committee,
so every optimal committee is found. The search starts from the score of a good committee (sequential PAV, then
single swaps while they help). Marginal gains are one integer matrix product (NumPy int64 while no score can
overflow it, Python integers beyond).

Complexity: worst case all C(m, k) committees are visited, each step costing O(u·m) for u distinct ballots — PAV
is NP-hard, so no exact method is polynomial in general. In practice (docs/benchmarks.md, "Committee rules"):
instant up to about 20 candidates, seconds at 25, minutes at 30 candidates and 10 seats.

Resolute tie-breaking: the lexicographically smallest optimal committee (abcvoting's
`lexicographic_tiebreaking=True`, and what its branch-and-bound and brute-force algorithms return), taken from
the full list of optimal committees.
"""

from __future__ import annotations

from collections import Counter
from math import lcm

import numpy as np

from comuna.choice.committee.profile import ApprovalProfile, Committee


class _PavSearch:
    def __init__(self, profile: ApprovalProfile, committee_size: int) -> None:
        profile.check_committee_size(committee_size)
        self.k = committee_size
        self.m = profile.num_candidates
        scale = lcm(*range(1, committee_size + 1))
        # identical ballots are merged: one row per distinct ballot, its entries the number of such voters
        distinct = Counter(profile.ballots)
        largest_score = scale * (1 + committee_size) * max(profile.num_voters, 1)
        # every score and partial sum is an integer below largest_score: float64 holds such integers exactly up
        # to 2**53 and lets NumPy use BLAS for the products; beyond that, Python integers (slower, still exact)
        dtype: type = np.float64 if largest_score < 2**53 else object
        # the search numbers candidates by decreasing approval count (`order[i]` is the real candidate at position
        # i): strong candidates come first, so late branches hold only weak ones and their bounds cut them early
        counts = profile.approval_counts()
        self.order = sorted(profile.candidates, key=lambda c: (-counts[c], c))
        position = {candidate: i for i, candidate in enumerate(self.order)}
        self.weights = np.zeros((len(distinct), self.m), dtype=dtype)
        for row, (ballot, count) in enumerate(distinct.items()):
            for candidate in ballot:
                self.weights[row, position[candidate]] = count
        # gain[j] = scaled value of a voter's (j+1)-th approved member; index k is never reached
        self.gain = np.array([scale // j for j in range(1, committee_size + 1)] + [0], dtype=dtype)
        # prefix[j] = scaled score of a voter with j approved members
        self.prefix = np.array([sum(self.gain[:j], start=0) for j in range(committee_size + 1)], dtype=dtype)
        self.counts = np.array(list(distinct.values()), dtype=dtype)
        self.satisfaction = np.zeros(len(distinct), dtype=np.int64)

    def marginals(self) -> np.ndarray:
        """Every candidate's marginal gain given the current partial committee (exact integers)."""
        return self.gain[self.satisfaction] @ self.weights

    def add(self, candidate: int) -> None:
        self.satisfaction += self.weights[:, candidate] > 0

    def remove(self, candidate: int) -> None:
        self.satisfaction -= self.weights[:, candidate] > 0

    def score(self, committee: list[int]) -> int:
        for c in committee:
            self.add(c)
        total = int(self.prefix[self.satisfaction] @ self.counts)
        for c in committee:
            self.remove(c)
        return total

    def good_committee_score(self) -> int:
        """Score of a good committee (greedy, then single swaps while they help): a lower bound on the optimum."""
        chosen: list[int] = []
        for _ in range(self.k):
            gains = self.marginals()
            gains[chosen] = -1
            best = int(np.argmax(gains))
            chosen.append(best)
            self.add(best)
        for c in chosen:
            self.remove(c)
        best_score = self.score(chosen)
        improved = True
        while improved:
            improved = False
            for out in list(chosen):
                for into in range(self.m):
                    if into in chosen:
                        continue
                    trial = [c for c in chosen if c != out] + [into]
                    trial_score = self.score(trial)
                    if trial_score > best_score:
                        chosen, best_score, improved = trial, trial_score, True
                        break
                if improved:
                    break
        return best_score

    def all_optimal(self) -> list[Committee]:
        """Every committee of maximum score, in real candidate numbers and lexicographic order."""
        best_score = self.good_committee_score()
        found: list[tuple[int, ...]] = []
        partial: list[int] = []

        def visit(first: int, score: int) -> None:
            nonlocal best_score, found
            missing = self.k - len(partial)
            if missing == 0:
                if score > best_score:
                    best_score, found = score, [tuple(partial)]
                elif score == best_score:
                    found.append(tuple(partial))
                return
            gains = [int(g) for g in self.marginals()[first:]]
            if score + sum(sorted(gains, reverse=True)[:missing]) < best_score:
                return
            for offset, candidate in enumerate(range(first, self.m - missing + 1)):
                partial.append(candidate)
                self.add(candidate)
                visit(candidate + 1, score + gains[offset])
                self.remove(candidate)
                partial.pop()

        visit(0, 0)
        return sorted(tuple(sorted(self.order[i] for i in committee)) for committee in found)


def pav(profile: ApprovalProfile, committee_size: int) -> Committee:
    """The lexicographically smallest committee of maximum PAV score."""
    return _PavSearch(profile, committee_size).all_optimal()[0]


def pav_all(profile: ApprovalProfile, committee_size: int) -> list[Committee]:
    """Every committee of maximum PAV score, in lexicographic order."""
    return _PavSearch(profile, committee_size).all_optimal()


def pav_score(profile: ApprovalProfile, committee: Committee) -> int:
    """PAV score of any committee, scaled by lcm(1..len(committee)) so that it is an exact integer."""
    members = set(committee)
    scale = lcm(*range(1, max(len(members), 1) + 1))
    return sum(scale // j for ballot in profile.ballots for j in range(1, len(ballot & members) + 1))
