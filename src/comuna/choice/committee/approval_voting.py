"""Approval voting (AV): the committee_size candidates with the most approvals.

Ties at the cut-off: the resolute rule takes the lowest-numbered tied candidates (abcvoting's order); the irresolute
rule returns every way of filling the remaining seats from the tied candidates. O(n·m + m log m) for one
committee; the irresolute list has C(tied, missing) entries.
"""

from __future__ import annotations

from itertools import combinations

from comuna.choice.committee.profile import ApprovalProfile, Committee


def _split_at_cutoff(profile: ApprovalProfile, committee_size: int) -> tuple[list[int], list[int], int]:
    """Candidates surely elected, candidates tied at the cut-off score, and how many of those are elected."""
    profile.check_committee_size(committee_size)
    counts = profile.approval_counts()
    cutoff = sorted(counts)[-committee_size]
    certain = [c for c in profile.candidates if counts[c] > cutoff]
    tied = [c for c in profile.candidates if counts[c] == cutoff]
    return certain, tied, committee_size - len(certain)


def approval_voting(profile: ApprovalProfile, committee_size: int) -> Committee:
    """One AV committee; ties broken in favour of lower candidate numbers."""
    certain, tied, missing = _split_at_cutoff(profile, committee_size)
    return tuple(sorted(certain + tied[:missing]))


def approval_voting_all(profile: ApprovalProfile, committee_size: int) -> list[Committee]:
    """Every AV committee (all ways to break the tie at the cut-off), in lexicographic order."""
    certain, tied, missing = _split_at_cutoff(profile, committee_size)
    return sorted(tuple(sorted(certain + list(chosen))) for chosen in combinations(tied, missing))
