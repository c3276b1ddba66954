"""The Method of Equal Shares for committees (abcvoting's "equal-shares": completed by sequential Phragmén).

Each voter starts with a budget of k/n (k seats, n voters); a seat costs 1. A candidate is affordable when its
approvers together hold at least 1; its price per voter q is the smallest value with sum(min(budget_v, q)) = 1,
so approvers pay q each or all they have left. Repeatedly the affordable candidate with the smallest q is elected
and its approvers pay. When nobody is affordable and seats remain, sequential Phragmén fills them, starting from
loads equal to minus each voter's unspent budget (so voters who spent less are loaded first) — exactly as in
abcvoting's `compute_equal_shares(..., completion="seqphragmen")`. All arithmetic is exact (Fractions).

Resolute tie-breaking: the lowest-numbered candidate at every tied step, in both phases (abcvoting's order).
Irresolute: every committee reachable under some tie-breaking, depth-first over the tie branches.
Cost: O(k·m·a·log a) for one committee in the first phase (a = approvers per candidate), then seq-Phragmén's.
"""

from __future__ import annotations

from fractions import Fraction

from comuna.choice.committee.phragmen import sequential_phragmen, sequential_phragmen_all
from comuna.choice.committee.profile import ApprovalProfile, Committee

Budgets = tuple[Fraction, ...]


def price_per_voter(budgets: list[Fraction]) -> Fraction | None:
    """The smallest q with sum(min(b, q) for b in budgets) == 1, or None if the budgets total less than 1."""
    remaining = Fraction(1)
    ordered = sorted(budgets)
    for paid_in_full, budget in enumerate(ordered):
        q = remaining / (len(ordered) - paid_in_full)
        if q <= budget:
            return q
        remaining -= budget
    return None


def _cheapest(
    approvers: list[list[int]], budgets: Budgets, committee: frozenset[int]
) -> tuple[list[int], Fraction | None]:
    tied: list[int] = []
    best_q: Fraction | None = None
    for candidate, voters in enumerate(approvers):
        if candidate in committee or not voters:
            continue
        q = price_per_voter([budgets[v] for v in voters])
        if q is None:
            continue
        if best_q is None or q < best_q:
            tied, best_q = [candidate], q
        elif q == best_q:
            tied.append(candidate)
    return tied, best_q


def _pay(approvers: list[list[int]], budgets: Budgets, candidate: int, q: Fraction) -> Budgets:
    updated = list(budgets)
    for v in approvers[candidate]:
        updated[v] -= min(updated[v], q)
    return tuple(updated)


def _start_budgets(profile: ApprovalProfile, committee_size: int) -> Budgets:
    profile.check_committee_size(committee_size)
    if profile.num_voters == 0:
        return ()
    return (Fraction(committee_size, profile.num_voters),) * profile.num_voters


def equal_shares(profile: ApprovalProfile, committee_size: int) -> Committee:
    """One Equal Shares committee (with seq-Phragmén completion); ties go to the lowest-numbered candidate."""
    budgets = _start_budgets(profile, committee_size)
    approvers = profile.approvers()
    committee: frozenset[int] = frozenset()
    while len(committee) < committee_size:
        tied, q = _cheapest(approvers, budgets, committee)
        if q is None:
            return sequential_phragmen(
                profile, committee_size, start_committee=sorted(committee), start_loads=[-b for b in budgets]
            )
        budgets = _pay(approvers, budgets, tied[0], q)
        committee = committee | {tied[0]}
    return tuple(sorted(committee))


def equal_shares_all(profile: ApprovalProfile, committee_size: int) -> list[Committee]:
    """Every Equal Shares committee (with seq-Phragmén completion) under some tie-breaking, lexicographic order."""
    start: tuple[frozenset[int], Budgets] = (frozenset(), _start_budgets(profile, committee_size))
    approvers = profile.approvers()
    results: set[Committee] = set()
    seen: set[tuple[frozenset[int], Budgets]] = set()
    stack = [start]
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        committee, budgets = state
        if len(committee) == committee_size:
            results.add(tuple(sorted(committee)))
            continue
        tied, q = _cheapest(approvers, budgets, committee)
        if q is None:
            results.update(
                sequential_phragmen_all(
                    profile, committee_size, start_committee=sorted(committee), start_loads=[-b for b in budgets]
                )
            )
            continue
        for candidate in tied:
            stack.append((committee | {candidate}, _pay(approvers, budgets, candidate, q)))
    return sorted(results)
