"""Committee (multiwinner approval) rules: AV, PAV, sequential Phragmén and the Method of Equal Shares.

    from comuna.choice.committee import ApprovalProfile, equal_shares, pav_all
    profile = ApprovalProfile.from_ballots(4, [[0, 1], [0], [2, 3], [3]])
    equal_shares(profile, 2)      # (0, 3): one committee, candidate numbers from 0, ties broken as in abcvoting
    pav_all(profile, 2)           # every optimal PAV committee, in lexicographic order

Each rule has a resolute form (one committee, deterministic tie-breaking documented in its module) and an
irresolute `_all` form (every tied winning committee). RULES maps abcvoting's rule ids to both.
"""

from collections.abc import Callable

from comuna.choice.committee.abc_yaml import (
    AbcInstance,
    AbcYamlError,
    ExpectedResult,
    parse_abc_yaml,
    read_abc_yaml,
)
from comuna.choice.committee.approval_voting import approval_voting, approval_voting_all
from comuna.choice.committee.equal_shares import equal_shares, equal_shares_all
from comuna.choice.committee.phragmen import sequential_phragmen, sequential_phragmen_all
from comuna.choice.committee.profile import ApprovalProfile, Committee
from comuna.choice.committee.thiele import pav, pav_all, pav_score

ResoluteRule = Callable[[ApprovalProfile, int], Committee]
IrresoluteRule = Callable[[ApprovalProfile, int], list[Committee]]

RULES: dict[str, tuple[ResoluteRule, IrresoluteRule]] = {
    "av": (approval_voting, approval_voting_all),
    "pav": (pav, pav_all),
    "seqphragmen": (sequential_phragmen, sequential_phragmen_all),
    "equal-shares": (equal_shares, equal_shares_all),
}
"""abcvoting rule id -> (resolute rule, irresolute rule)."""

__all__ = [
    "RULES", "AbcInstance", "AbcYamlError", "ApprovalProfile", "Committee", "ExpectedResult", "approval_voting",
    "approval_voting_all", "equal_shares", "equal_shares_all", "parse_abc_yaml", "pav", "pav_all", "pav_score",
    "read_abc_yaml", "sequential_phragmen", "sequential_phragmen_all",
]
