"""The result sheet of an STV count as plain data: one `Stage` per stage of the count, JSON-serialisable as is.

Candidates are numbered from 1 as in the BLT file; per-candidate lists are in that order (index 0 is candidate 1).
Vote values are decimal strings ("1120.00000"), exact: the counts work in integer units (1e-5 of a vote for the
Scottish rules, 1e-9 for Meek), and a string keeps every digit where a JSON float would not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

StageKind = Literal["first preferences", "surplus", "exclusion", "meek round"]
Outcome = Literal["elected", "excluded"]


@dataclass
class Event:
    """A candidate elected or excluded at a stage, with the rule that decided it (plain English)."""

    candidate: int
    outcome: Outcome
    reason: str


@dataclass
class Stage:
    number: int
    kind: StageKind
    subject: int | None
    """The candidate whose surplus is transferred or who is excluded; None at the first stage, at a Meek stage
    that elects, and at a Meek stage that excludes several candidates together (listed in `events`)."""
    description: str
    votes: list[str]
    """Each candidate's votes at the end of the stage."""
    changes: list[str]
    """What each candidate received (positive) or gave away (negative) during the stage."""
    non_transferable: str
    """Value of papers that named no further continuing candidate, set aside during this stage."""
    rounding_loss: str
    """Value lost during this stage because transfer values are truncated (the 'loss of fractions')."""
    non_transferable_total: str
    rounding_loss_total: str
    quota: str
    events: list[Event] = field(default_factory=list)
    tie_break: str | None = None
    """How a tie was resolved at this stage, when one had to be."""
    keep_factors: list[str] | None = None
    """Meek only: each candidate's keep factor after the stage (1 hopeful, 0 excluded)."""
    iterations: int | None = None
    """Meek only: how many times the votes were redistributed during this stage."""


@dataclass
class CountResult:
    method: str
    title: str
    candidates: list[str]
    seats: int
    valid_votes: int
    """Ballots that give a usable first preference (the valid poll)."""
    invalid_ballots: int
    quota: str
    """The quota at the end of the count (constant under the Scottish rules; under Meek it falls as votes exhaust)."""
    elected: list[int]
    """Candidate numbers (from 1) in order of election."""
    stages: list[Stage]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def format_units(units: int, decimals: int) -> str:
    """`units` of 10**-decimals as an exact decimal string: format_units(-150, 2) == '-1.50'."""
    sign = "-" if units < 0 else ""
    whole, fraction = divmod(abs(units), 10**decimals)
    return f"{sign}{whole}.{fraction:0{decimals}d}" if decimals else f"{sign}{whole}"
