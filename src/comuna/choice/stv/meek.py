"""Meek's method, as in the reference Meek rule of the Proportional Representation Foundation (the "Hill
variant" of Hill, Wichmann & Woodall, Algorithm 123, Computer Journal 30, 1987, used by the ERS and NZ STV).

Every candidate has a keep factor: 1 while hopeful, 0 once excluded, and for an elected candidate the share of each
vote reaching them that they keep. A ballot of value 1 goes down its preferences; each candidate keeps
value x keep factor (rounded up) and passes on the rest; what is left at the end is excess (non-transferable). The
quota is recomputed each time from the votes still held: floor(held / (seats + 1)) + 1e-9. Keep factors of elected
candidates are scaled by quota / votes (rounded up) and the votes redistributed until the total surplus is at most
1e-9 or stops falling. Then any hopeful at the quota is elected; otherwise the lowest is excluded, or at once every
"sure loser" whose votes plus the total surplus cannot reach the next candidate's (batch defeat, as in the reference).

Arithmetic is fixed point on integers in units of 1e-9 vote (`UNIT`), with the rounding directions of the
reference rule, so the count is deterministic and platform-independent; the tolerance is that 1e-9 surplus.
Ties for exclusion are broken by the most recent earlier stage at which the tied candidates differed, then by lot.
"""

from __future__ import annotations

import numpy as np

from comuna.choice.stv.blt import Election
from comuna.choice.stv.prepared import prepare_ballots
from comuna.choice.stv.stages import CountResult, Event, Stage, format_units
from comuna.choice.stv.ties import TieBreaker

DECIMALS = 9
UNIT = 10**DECIMALS
HOPEFUL, ELECTED, EXCLUDED = 0, 1, 2
MAX_ITERATIONS = 10_000  # a guard only: the stable-surplus test ends every real count long before
MAX_VALID_VOTES = (2**63 - 1) // UNIT  # vote totals in 1e-9 units must fit NumPy's int64


def count_meek(election: Election, *, tie_seed: int | str = 0) -> CountResult:
    """Count `election` by Meek's method. `tie_seed` seeds the lot, used only for ties at every stage."""
    return _MeekCount(election, TieBreaker(tie_seed)).run()


class _MeekCount:
    def __init__(self, election: Election, ties: TieBreaker) -> None:
        self.election = election
        self.ties = ties
        self.names = list(election.candidates)
        self.size = len(self.names)
        ballots = prepare_ballots(election)
        if ballots.valid > MAX_VALID_VOTES:
            raise ValueError(f"Meek count supports at most {MAX_VALID_VOTES} ballots, not {ballots.valid}")
        self.ballots = ballots
        longest = max((len(p) for p in ballots.preferences), default=0)
        # Row per distinct ballot, padded with a phantom candidate (index `size`) whose keep factor stays 0.
        self.ranks = np.full((len(ballots.preferences), longest), self.size, dtype=np.int64)
        for row, preferences in enumerate(ballots.preferences):
            self.ranks[row, : len(preferences)] = preferences
        self.counts = np.array(ballots.weights, dtype=np.int64)
        self.status = [EXCLUDED if number in election.withdrawn else HOPEFUL for number in range(1, self.size + 1)]
        self.keep = [0 if state == EXCLUDED else UNIT for state in self.status] + [0]
        self.votes = [0] * self.size
        self.excess = 0
        self.quota = ballots.valid * UNIT // (election.seats + 1) + 1
        self.elected: list[int] = []
        self.history: list[list[int]] = []
        self.stages: list[Stage] = []

    def run(self) -> CountResult:
        while not self._complete():
            before, excess_before = list(self.votes), self.excess
            outcome, batch, iterations = self._iterate()
            self.history.append(list(self.votes))
            events: list[Event] = []
            tie_note = None
            if outcome == "elected":
                newly = [c for c in self._hopeful() if self.votes[c] >= self.quota]
                newly.sort(key=self._recent_votes, reverse=True)
                for candidate in newly:
                    self.status[candidate] = ELECTED
                    self.elected.append(candidate)
                    events.append(Event(candidate + 1, "elected", "reached the quota"))
                description = "Elected: " + ", ".join(self.names[c] for c in newly)
            elif batch:
                for candidate in batch:
                    self._exclude(candidate)
                    events.append(Event(candidate + 1, "excluded",
                                        "sure loser: with every lower candidate and the total surplus, "
                                        "still short of the next candidate"))
                description = "Excluded together: " + ", ".join(self.names[c] for c in batch)
            else:
                hopeful = self._hopeful()
                lowest = min(self.votes[c] for c in hopeful)
                tied = [c for c in hopeful if self.votes[c] == lowest]
                candidate, tie_note = self.ties.choose(tied, self.history, highest=False, names=self.names)
                self._exclude(candidate)
                events.append(Event(candidate + 1, "excluded", "fewest votes once the surpluses had converged"))
                description = f"{self.names[candidate]} excluded (fewest votes)"
            self._record(description, before, excess_before, events, tie_note, iterations)
        self._fill_last_vacancies()
        return CountResult(
            method="meek", title=self.election.title, candidates=self.names, seats=self.election.seats,
            valid_votes=self.ballots.valid, invalid_ballots=self.ballots.invalid,
            quota=format_units(self.quota, DECIMALS), elected=[c + 1 for c in self.elected], stages=self.stages,
            notes=["Meek's method, reference rule (Hill variant of Algorithm 123); fixed point in units of "
                   "0.000000001 vote; iteration until the total surplus is at most 0.000000001 or stops falling"],
        )

    # -- one stage: redistribute until the surplus converges, a candidate is elected, or losers are certain ----
    def _iterate(self) -> tuple[str, list[int], int]:
        last_surplus = -1
        for iteration in range(1, MAX_ITERATIONS + 1):
            self._distribute()
            held = sum(self.votes)
            self.quota = held // (self.election.seats + 1) + 1
            if any(self.votes[c] >= self.quota for c in self._hopeful()):
                return "elected", [], iteration
            surplus = sum(self.votes[c] - self.quota for c in self.elected)
            if surplus <= 1 or surplus == last_surplus:
                return "converged", [], iteration
            last_surplus = surplus
            batch = self._sure_losers(surplus)
            if batch:
                return "converged", batch, iteration
            for c in self.elected:  # keep factor x quota / votes, rounded up
                self.keep[c] = -(-self.keep[c] * self.quota // self.votes[c])
        raise RuntimeError(f"Meek count did not converge in {MAX_ITERATIONS} iterations")

    def _distribute(self) -> None:
        keep = np.array(self.keep, dtype=np.int64)
        weight = np.full(self.ranks.shape[0], UNIT, dtype=np.int64)
        totals = np.zeros(self.size + 1, dtype=np.int64)
        for column in range(self.ranks.shape[1]):
            candidates = self.ranks[:, column]
            kept = (weight * keep[candidates] + (UNIT - 1)) // UNIT  # rounded up, as in the reference rule
            weight -= kept
            np.add.at(totals, candidates, kept * self.counts)
        self.votes = [int(v) for v in totals[: self.size]]
        self.excess = int((weight * self.counts).sum())

    def _sure_losers(self, surplus: int) -> list[int]:
        hopeful = sorted(self._hopeful(), key=lambda c: self.votes[c])
        groups: list[list[int]] = []
        for c in hopeful:
            if groups and self.votes[groups[-1][0]] == self.votes[c]:
                groups[-1].append(c)
            else:
                groups.append([c])
        most = len(hopeful) - self._seats_left()
        batch: list[int] = []
        total = 0
        for index in range(len(groups) - 1):
            group = groups[index]
            if len(batch) + len(group) > most:
                break
            total += self.votes[group[0]] * len(group)
            if total + surplus >= self.votes[groups[index + 1][0]]:
                break
            batch += group
        return batch

    # -- bookkeeping ------------------------------------------------------------------------------------------
    def _hopeful(self) -> list[int]:
        return [c for c, state in enumerate(self.status) if state == HOPEFUL]

    def _seats_left(self) -> int:
        return self.election.seats - len(self.elected)

    def _complete(self) -> bool:
        return self._seats_left() <= 0 or len(self._hopeful()) <= self._seats_left()

    def _recent_votes(self, candidate: int) -> list[int]:
        return [stage[candidate] for stage in reversed(self.history)]

    def _exclude(self, candidate: int) -> None:
        self.status[candidate] = EXCLUDED
        self.keep[candidate] = 0

    def _record(self, description: str, before: list[int], excess_before: int, events: list[Event],
                tie_note: str | None, iterations: int) -> None:
        self.stages.append(Stage(
            number=len(self.stages) + 1, kind="meek round",
            subject=excluded[0] if len(excluded := [e.candidate for e in events if e.outcome == "excluded"]) == 1
            else None,  # a batch exclusion names its candidates in `events`
            description=description,
            votes=[format_units(v, DECIMALS) for v in self.votes],
            changes=[format_units(a - b, DECIMALS) for a, b in zip(self.votes, before, strict=True)],
            non_transferable=format_units(self.excess - excess_before, DECIMALS),
            rounding_loss=format_units(0, DECIMALS),  # keep values are rounded up: nothing is lost, all is held
            non_transferable_total=format_units(self.excess, DECIMALS),
            rounding_loss_total=format_units(0, DECIMALS),
            quota=format_units(self.quota, DECIMALS), events=events, tie_break=tie_note,
            keep_factors=[format_units(k, DECIMALS) for k in self.keep[: self.size]], iterations=iterations,
        ))

    def _fill_last_vacancies(self) -> None:
        remaining = self._hopeful()
        if not remaining or self._seats_left() <= 0:
            return
        remaining.sort(key=self._recent_votes, reverse=True)
        for candidate in remaining:
            self.status[candidate] = ELECTED
            self.elected.append(candidate)
            if self.stages:
                self.stages[-1].events.append(Event(candidate + 1, "elected",
                                                    "hopeful candidates no more than the seats left"))
