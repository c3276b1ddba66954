"""Ties broken by the earlier stages of the count, then by lot (rules 49(2)-(3) and 51(2) of the Scottish Order).

Among tied candidates, the one with the most (or fewest) votes at the end of the most recent preceding stage at
which their votes were unequal is chosen; if they were equal at every stage, the choice is made by lot, with a
seeded generator so that a published seed reproduces the draw.
"""

from __future__ import annotations

import random
from collections.abc import Sequence


class TieBreaker:
    def __init__(self, seed: int | str = 0) -> None:
        self._random = random.Random(f"comuna-stv:{seed}")
        self.seed = seed

    def choose(self, tied: Sequence[int], history: Sequence[Sequence[int]], *, highest: bool,
               names: Sequence[str]) -> tuple[int, str | None]:
        """Pick one of `tied` (0-based candidates, equal now). `history[s][c]` is c's votes at the end of stage
        s+1, the last entry being the current stage. Returns the candidate and a description of how the tie was
        broken (None when `tied` holds one candidate)."""
        remaining = sorted(tied)
        if len(remaining) == 1:
            return remaining[0], None
        listed = ", ".join(names[c] for c in remaining)
        for stage_index in range(len(history) - 2, -1, -1):
            values = history[stage_index]
            best = (max if highest else min)(values[c] for c in remaining)
            narrowed = [c for c in remaining if values[c] == best]
            if len(narrowed) < len(remaining):
                remaining = narrowed
                if len(remaining) == 1:
                    return remaining[0], (f"{listed} were tied; {names[remaining[0]]} had "
                                          f"{'more' if highest else 'fewer'} votes at stage {stage_index + 1}")
        chosen = self._random.choice(remaining)
        return chosen, f"{listed} were tied at every stage; {names[chosen]} was chosen by lot (seed {self.seed!r})"
