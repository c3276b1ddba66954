"""The count under the Scottish Local Government Elections Order 2007 (SSI 2007/42, schedule 1, rules 45-52).

- Quota (rule 46): floor(valid ballots / (seats + 1)) + 1.
- A candidate with at least the quota is elected (47); the largest surplus is transferred first (49), each paper
  of the elected candidate at value  surplus x value-when-received / candidate's total, to five decimal places,
  remainder ignored (48(3), the weighted inclusive Gregory method).
- When no surplus is left to transfer the candidate with fewest votes is excluded and every paper moves on at the
  value it had (50). Ties: the most recent preceding stage at which the tied candidates differed, else lot (49, 51).
- The count ends when every seat is filled, or when the continuing candidates are no more than the seats left: they
  are then elected without further transfer (52).

All arithmetic is on integers counting 1e-5 of a vote (`UNIT`), so truncation is exact, as the Order intends.
Each transfer or exclusion is one stage, as on the official result sheets.
"""

from __future__ import annotations

from comuna.choice.stv.blt import Election
from comuna.choice.stv.prepared import prepare_ballots
from comuna.choice.stv.stages import CountResult, Event, Stage, StageKind, format_units
from comuna.choice.stv.ties import TieBreaker

DECIMALS = 5
UNIT = 10**DECIMALS

CONTINUING, ELECTED, EXCLUDED = 0, 1, 2


class _Parcel:
    """Papers with the same preferences, at the same position and the same value; they always move together."""

    __slots__ = ("preferences", "position", "count", "value")

    def __init__(self, preferences: tuple[int, ...], position: int, count: int, value: int) -> None:
        self.preferences = preferences
        self.position = position
        self.count = count
        self.value = value


def droop_quota(valid_votes: int, seats: int) -> int:
    return valid_votes // (seats + 1) + 1


def count_scottish(election: Election, *, tie_seed: int | str = 0) -> CountResult:
    """Count `election` by the Scottish rules. `tie_seed` seeds the lot, used only for ties at every stage."""
    return _ScottishCount(election, TieBreaker(tie_seed)).run()


class _ScottishCount:
    def __init__(self, election: Election, ties: TieBreaker) -> None:
        self.election = election
        self.ties = ties
        self.names = list(election.candidates)
        size = len(self.names)
        ballots = prepare_ballots(election)
        self.ballots = ballots
        self.quota = droop_quota(ballots.valid, election.seats)
        self.quota_units = self.quota * UNIT
        self.status = [EXCLUDED if number in election.withdrawn else CONTINUING for number in range(1, size + 1)]
        self.votes = [0] * size
        self.piles: list[list[_Parcel]] = [[] for _ in range(size)]
        self.elected: list[int] = []
        self.pending_surplus: list[int] = []
        self.history: list[list[int]] = []
        self.stages: list[Stage] = []
        self.non_transferable_total = 0
        self.rounding_total = 0

    # -- the count -------------------------------------------------------------------------------------------
    def run(self) -> CountResult:
        before = list(self.votes)
        for preferences, weight in zip(self.ballots.preferences, self.ballots.weights, strict=True):
            first = preferences[0]
            self.piles[first].append(_Parcel(preferences, 0, weight, UNIT))
            self.votes[first] += weight * UNIT
        self._close_stage("first preferences", None, "First preferences counted", before, 0, 0, None)

        while not self._complete():
            before = list(self.votes)
            if self.pending_surplus:
                self._transfer_largest_surplus(before)
            else:
                self._exclude_lowest(before)
        self._fill_last_vacancies()
        return CountResult(
            method="scottish", title=self.election.title, candidates=self.names, seats=self.election.seats,
            valid_votes=self.ballots.valid, invalid_ballots=self.ballots.invalid, quota=str(self.quota),
            elected=[candidate + 1 for candidate in self.elected], stages=self.stages,
            notes=["Scottish Local Government Elections Order 2007, schedule 1, rules 45-52; "
                   "values in units of 0.00001 vote, transfer values truncated"],
        )

    def _seats_left(self) -> int:
        return self.election.seats - len(self.elected)

    def _continuing(self) -> list[int]:
        return [c for c, state in enumerate(self.status) if state == CONTINUING]

    def _complete(self) -> bool:
        return self._seats_left() <= 0 or len(self._continuing()) <= self._seats_left()

    def _transfer_largest_surplus(self, before: list[int]) -> None:
        largest = max(self.votes[c] for c in self.pending_surplus)
        tied = [c for c in self.pending_surplus if self.votes[c] == largest]
        candidate, tie_note = self.ties.choose(tied, self.history, highest=True, names=self.names)
        self.pending_surplus.remove(candidate)
        total = self.votes[candidate]
        surplus = total - self.quota_units
        transferred, non_transferable = 0, 0
        for parcel in self.piles[candidate]:
            parcel.value = surplus * parcel.value // total  # rule 48(3): five decimals, remainder ignored
            moved = self._move_on(parcel)
            if moved:
                transferred += parcel.count * parcel.value
            else:
                non_transferable += parcel.count * parcel.value
        self.piles[candidate] = []
        self.votes[candidate] = self.quota_units
        rounding = surplus - transferred - non_transferable
        description = f"Surplus of {self.names[candidate]} ({format_units(surplus, DECIMALS)}) transferred"
        self._close_stage("surplus", candidate, description, before, non_transferable, rounding, tie_note)

    def _exclude_lowest(self, before: list[int]) -> None:
        continuing = self._continuing()
        lowest = min(self.votes[c] for c in continuing)
        tied = [c for c in continuing if self.votes[c] == lowest]
        candidate, tie_note = self.ties.choose(tied, self.history, highest=False, names=self.names)
        self.status[candidate] = EXCLUDED
        non_transferable = 0
        for parcel in self.piles[candidate]:
            if not self._move_on(parcel):
                non_transferable += parcel.count * parcel.value
        self.piles[candidate] = []
        self.votes[candidate] = 0
        description = f"{self.names[candidate]} excluded (fewest votes) and their papers transferred"
        event = Event(candidate + 1, "excluded", "fewest votes when no surplus remained to transfer")
        self._close_stage("exclusion", candidate, description, before, non_transferable, 0, tie_note, [event])

    def _move_on(self, parcel: _Parcel) -> bool:
        """Give `parcel` to its next continuing candidate; False when it names none (non-transferable)."""
        preferences, position, status = parcel.preferences, parcel.position + 1, self.status
        while position < len(preferences) and status[preferences[position]] != CONTINUING:
            position += 1
        if position == len(preferences):
            return False
        parcel.position = position
        receiver = preferences[position]
        self.piles[receiver].append(parcel)
        self.votes[receiver] += parcel.count * parcel.value
        return True

    def _close_stage(self, kind: StageKind, subject: int | None, description: str, before: list[int],
                     non_transferable: int, rounding: int, tie_note: str | None,
                     events: list[Event] | None = None) -> None:
        self.history.append(list(self.votes))
        events = list(events or [])
        newly_elected = [c for c in self._continuing() if self.votes[c] >= self.quota_units]
        # Several reaching the quota together are listed (and their surpluses ranked) by votes, ties by history.
        newly_elected.sort(key=lambda c: [stage[c] for stage in reversed(self.history)], reverse=True)
        for candidate in newly_elected:
            if self._seats_left() <= 0:
                break
            self.status[candidate] = ELECTED
            self.elected.append(candidate)
            if self.votes[candidate] > self.quota_units:
                self.pending_surplus.append(candidate)
            events.append(Event(candidate + 1, "elected", "reached the quota"))
        self.non_transferable_total += non_transferable
        self.rounding_total += rounding
        self.stages.append(Stage(
            number=len(self.stages) + 1, kind=kind, subject=None if subject is None else subject + 1,
            description=description,
            votes=[format_units(v, DECIMALS) for v in self.votes],
            changes=[format_units(after - earlier, DECIMALS) for after, earlier in zip(self.votes, before, strict=True)],
            non_transferable=format_units(non_transferable, DECIMALS),
            rounding_loss=format_units(rounding, DECIMALS),
            non_transferable_total=format_units(self.non_transferable_total, DECIMALS),
            rounding_loss_total=format_units(self.rounding_total, DECIMALS),
            quota=str(self.quota), events=events, tie_break=tie_note,
        ))

    def _fill_last_vacancies(self) -> None:
        """Rule 52: continuing candidates no more than the seats left are all elected, without more transfers."""
        remaining = self._continuing()
        if not remaining or self._seats_left() <= 0:
            return
        remaining.sort(key=lambda c: [stage[c] for stage in reversed(self.history)], reverse=True)
        last = self.stages[-1]
        for candidate in remaining:
            self.status[candidate] = ELECTED
            self.elected.append(candidate)
            last.events.append(Event(candidate + 1, "elected",
                                     "continuing candidates no more than the seats left (rule 52)"))
