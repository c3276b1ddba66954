"""Proportional approval voting (PAV), solved exactly by branch and bound in integer arithmetic.

A committee's PAV score gives each voter 1 + 1/2 + ... + 1/j for j approved members. Scores are scaled by
L = lcm(1..k) so that every term L/j is an integer and ties are exact.

Search: candidates are added in increasing order (so committees are visited in lexicographic order). A partial
committee is abandoned when its score plus the best `missing` marginal gains of the candidates still available
is below the best score known; this bound is valid because PAV's score is submodular (a candidate's marginal
gain can only shrink as the committee grows). The search starts from the score of the greedy (sequential PAV)
committee. Worst case it visits all C(m, k) committees, each evaluated in O(n·m) — PAV is NP-hard, so no
method is polynomial in general; elections of a few dozen candidates are fine in practice.

Resolute tie-breaking: the lexicographically smallest optimal committee (abcvoting's
`lexicographic_tiebreaking=True`, and what its branch-and-bound and brute-force algorithms return).
"""

from __future__ import annotations

from math import lcm

from comuna.choice.committee.profile import ApprovalProfile, Committee


class _PavSearch:
    def __init__(self, profile: ApprovalProfile, committee_size: int) -> None:
        profile.check_committee_size(committee_size)
        self.k = committee_size
        self.m = profile.num_candidates
        self.approvers = profile.approvers()
        scale = lcm(*range(1, committee_size + 1))
        # gain[j] = scaled value of a voter's (j+1)-th approved member; index k is never reached
        self.gain = [scale // j for j in range(1, committee_size + 1)] + [0]
        self.satisfaction = [0] * profile.num_voters

    def marginal(self, candidate: int) -> int:
        return sum(self.gain[self.satisfaction[v]] for v in self.approvers[candidate])

    def add(self, candidate: int) -> None:
        for v in self.approvers[candidate]:
            self.satisfaction[v] += 1

    def remove(self, candidate: int) -> None:
        for v in self.approvers[candidate]:
            self.satisfaction[v] -= 1

    def greedy_score(self) -> int:
        """Score of the sequential-PAV committee: a lower bound on the optimum."""
        chosen: list[int] = []
        total = 0
        for _ in range(self.k):
            best = max((c for c in range(self.m) if c not in chosen), key=self.marginal)
            total += self.marginal(best)
            chosen.append(best)
            self.add(best)
        for c in chosen:
            self.remove(c)
        return total

    def run(self, all_optimal: bool) -> tuple[int, list[Committee]]:
        best_score = self.greedy_score()
        found: list[Committee] = []
        partial: list[int] = []

        def visit(first: int, score: int) -> None:
            nonlocal best_score, found
            missing = self.k - len(partial)
            if missing == 0:
                if score > best_score:
                    best_score, found = score, [tuple(partial)]
                elif score == best_score and (all_optimal or not found):
                    found.append(tuple(partial))
                return
            gains = [self.marginal(c) for c in range(first, self.m)]
            if score + sum(sorted(gains, reverse=True)[:missing]) < best_score:
                return
            for offset, candidate in enumerate(range(first, self.m - missing + 1)):
                partial.append(candidate)
                self.add(candidate)
                visit(candidate + 1, score + gains[offset])
                self.remove(candidate)
                partial.pop()

        visit(0, 0)
        return best_score, found


def pav(profile: ApprovalProfile, committee_size: int) -> Committee:
    """The lexicographically smallest committee of maximum PAV score."""
    return _PavSearch(profile, committee_size).run(all_optimal=False)[1][0]


def pav_all(profile: ApprovalProfile, committee_size: int) -> list[Committee]:
    """Every committee of maximum PAV score, in lexicographic order."""
    return _PavSearch(profile, committee_size).run(all_optimal=True)[1]


def pav_score(profile: ApprovalProfile, committee: Committee) -> int:
    """PAV score of any committee, scaled by lcm(1..len(committee)) so that it is an exact integer."""
    members = set(committee)
    scale = lcm(*range(1, max(len(members), 1) + 1))
    return sum(scale // j for ballot in profile.ballots for j in range(1, len(ballot & members) + 1))
