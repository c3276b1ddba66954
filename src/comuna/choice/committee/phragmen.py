"""Sequential Phragmén, in exact rational arithmetic.

Each elected candidate puts a load of 1 on its approvers; the next candidate elected is the one whose approvers
could absorb its unit of load with the smallest resulting maximum load, (sum of their loads + 1) / their number,
after which each of them carries that load. Candidates nobody approves come last (abcvoting gives them the
load committee_size + 1, larger than any reachable load).

Resolute tie-breaking: the lowest-numbered candidate among those tied at each step (abcvoting's order).
Irresolute: every committee reachable by some way of breaking the ties ("parallel universes"), found by depth-first
search over tie branches, merging branches that reach the same committee with the same loads.
Cost: O(k·(n·a + m)) for one committee, with a the average ballot length; the irresolute search can branch at every
tied step.

`start_loads` and `start_committee` let another rule (Equal Shares) hand over a partial committee.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from comuna.choice.committee.profile import ApprovalProfile, Committee

Loads = tuple[Fraction, ...]


def _best_candidates(
    approvers: list[list[int]], loads: Loads, committee: frozenset[int], num_candidates: int
) -> tuple[list[int], Fraction | None]:
    """The candidates tied for the smallest new maximum load (and that load; None if nobody approves them)."""
    best: list[int] = []
    best_load: Fraction | None = None
    for candidate in range(num_candidates):
        voters = approvers[candidate]
        if candidate in committee or not voters:
            continue
        new_load = (sum(loads[v] for v in voters) + 1) / Fraction(len(voters))
        if best_load is None or new_load < best_load:
            best, best_load = [candidate], new_load
        elif new_load == best_load:
            best.append(candidate)
    if best_load is None:  # only unapproved candidates remain: all tied, each changes no load
        best = [c for c in range(num_candidates) if c not in committee]
    return best, best_load


def _elect(approvers: list[list[int]], loads: Loads, candidate: int, new_load: Fraction | None) -> Loads:
    if new_load is None:
        return loads
    updated = list(loads)
    for v in approvers[candidate]:
        updated[v] = new_load
    return tuple(updated)


def _start(
    profile: ApprovalProfile,
    committee_size: int,
    start_committee: Sequence[int],
    start_loads: Sequence[Fraction] | None,
) -> tuple[frozenset[int], Loads]:
    profile.check_committee_size(committee_size)
    committee = frozenset(start_committee)
    if len(committee) > committee_size:
        raise ValueError(f"start committee has {len(committee)} members, more than {committee_size} seats")
    loads = tuple(Fraction(x) for x in start_loads) if start_loads is not None else (Fraction(0),) * profile.num_voters
    if len(loads) != profile.num_voters:
        raise ValueError(f"start_loads has {len(loads)} entries for {profile.num_voters} voters")
    return committee, loads


def sequential_phragmen(
    profile: ApprovalProfile,
    committee_size: int,
    *,
    start_committee: Sequence[int] = (),
    start_loads: Sequence[Fraction] | None = None,
) -> Committee:
    """One seq-Phragmén committee; ties go to the lowest-numbered candidate."""
    committee, loads = _start(profile, committee_size, start_committee, start_loads)
    approvers = profile.approvers()
    while len(committee) < committee_size:
        tied, new_load = _best_candidates(approvers, loads, committee, profile.num_candidates)
        loads = _elect(approvers, loads, tied[0], new_load)
        committee = committee | {tied[0]}
    return tuple(sorted(committee))


def sequential_phragmen_all(
    profile: ApprovalProfile,
    committee_size: int,
    *,
    start_committee: Sequence[int] = (),
    start_loads: Sequence[Fraction] | None = None,
) -> list[Committee]:
    """Every seq-Phragmén committee under some tie-breaking, in lexicographic order."""
    committee, loads = _start(profile, committee_size, start_committee, start_loads)
    approvers = profile.approvers()
    results: set[Committee] = set()
    seen: set[tuple[frozenset[int], Loads]] = set()
    stack = [(committee, loads)]
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        committee, loads = state
        if len(committee) == committee_size:
            results.add(tuple(sorted(committee)))
            continue
        tied, new_load = _best_candidates(approvers, loads, committee, profile.num_candidates)
        for candidate in tied:
            stack.append((committee | {candidate}, _elect(approvers, loads, candidate, new_load)))
    return sorted(results)
