"""The approval profile of a committee election: candidates 0..m-1, one set of approved candidates per voter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Committee = tuple[int, ...]
"""A committee: candidate numbers in increasing order."""


@dataclass(frozen=True)
class ApprovalProfile:
    """Who approves whom. Every ballot counts once; an empty ballot is allowed (the voter approves nobody)."""

    num_candidates: int
    ballots: tuple[frozenset[int], ...]

    def __post_init__(self) -> None:
        if isinstance(self.num_candidates, bool) or not isinstance(self.num_candidates, int):
            raise TypeError(f"num_candidates must be an int, not {type(self.num_candidates).__name__}")
        if self.num_candidates < 1:
            raise ValueError(f"an election needs at least one candidate, got num_candidates={self.num_candidates}")
        for index, ballot in enumerate(self.ballots):
            for candidate in ballot:
                if isinstance(candidate, bool) or not isinstance(candidate, int):
                    raise TypeError(f"ballot {index}: candidate {candidate!r} is not an int")
                if not 0 <= candidate < self.num_candidates:
                    raise ValueError(
                        f"ballot {index}: candidate {candidate} is outside 0..{self.num_candidates - 1}"
                    )

    @classmethod
    def from_ballots(cls, num_candidates: int, ballots: Iterable[Iterable[int]]) -> ApprovalProfile:
        """Build a profile from any iterables of candidate numbers (duplicates within a ballot are merged)."""
        return cls(num_candidates, tuple(frozenset(ballot) for ballot in ballots))

    @property
    def num_voters(self) -> int:
        return len(self.ballots)

    @property
    def candidates(self) -> range:
        return range(self.num_candidates)

    def approvers(self) -> list[list[int]]:
        """For each candidate, the voters (ballot indices) who approve it."""
        result: list[list[int]] = [[] for _ in self.candidates]
        for voter, ballot in enumerate(self.ballots):
            for candidate in ballot:
                result[candidate].append(voter)
        return result

    def approval_counts(self) -> list[int]:
        """How many voters approve each candidate."""
        return [len(voters) for voters in self.approvers()]

    def check_committee_size(self, committee_size: int) -> None:
        """Raise ValueError unless 1 <= committee_size <= num_candidates (the sizes every rule here accepts)."""
        if isinstance(committee_size, bool) or not isinstance(committee_size, int):
            raise TypeError(f"committee_size must be an int, not {type(committee_size).__name__}")
        if not 1 <= committee_size <= self.num_candidates:
            raise ValueError(
                f"committee_size must be between 1 and the number of candidates ({self.num_candidates}), "
                f"got {committee_size}"
            )
