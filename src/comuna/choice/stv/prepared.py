"""Ballots reduced to what a count can follow: a strict order of candidates still standing.

A ballot is followed up to its first equal ranking or missing preference: from there on the voter's order is
unknown, so the paper becomes non-transferable at that point (as a returning officer treats a paper whose next
preference cannot be read). Withdrawn candidates are passed over, as if they had never been on the ballot. A
ballot left with no preference at all is invalid and does not count towards the valid poll or the quota.
"""

from __future__ import annotations

from dataclasses import dataclass

from comuna.choice.stv.blt import Election


@dataclass(frozen=True)
class PreparedBallots:
    preferences: list[tuple[int, ...]]
    """Candidates as 0-based indices, in the voter's order."""
    weights: list[int]
    invalid: int

    @property
    def valid(self) -> int:
        return sum(self.weights)


def prepare_ballots(election: Election) -> PreparedBallots:
    """Raises ValueError for an election no count can run on (built in code rather than read from a file)."""
    size = len(election.candidates)
    if not 1 <= election.seats <= size:
        raise ValueError(f"the number of seats must be between 1 and {size}, not {election.seats}")
    withdrawn = {number - 1 for number in election.withdrawn}
    preferences: list[tuple[int, ...]] = []
    weights: list[int] = []
    invalid = 0
    for ballot in election.ballots:
        order: list[int] = []
        if ballot.weight < 1:
            raise ValueError(f"ballot {ballot} has a weight below 1")
        for group in ballot.rankings:
            if any(not 1 <= number <= size for number in group):
                raise ValueError(f"ballot {ballot} names a candidate outside 1 to {size}")
            if len(group) != 1:
                break
            candidate = group[0] - 1
            if candidate not in withdrawn:
                order.append(candidate)
        if order:
            preferences.append(tuple(order))
            weights.append(ballot.weight)
        else:
            invalid += ballot.weight
    return PreparedBallots(preferences=preferences, weights=weights, invalid=invalid)
