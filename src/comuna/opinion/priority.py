"""Which statement to show a participant next: Pol.is's comment priorities (conversation.clj).

    importance = (1 - p_pass) · (extremity + 1) · p_agree         (probabilities with pseudo-count 1)
    priority   = (importance · (1 + 8 · 2^(-seen / 5)))²           meta statements: 7²

`extremity` is how far a participant who agreed with only this statement would sit from the centre of the map,
so statements that separate opinions rank higher; the newness factor lets fresh statements collect votes. Pol.is
picks the next statement at random weighted by priority among those the participant has not voted on.
"""

from __future__ import annotations

import numpy as np

META_PRIORITY = 7.0


def statement_priorities(agree: np.ndarray, disagree: np.ndarray, seen: np.ndarray, extremity: np.ndarray,
                         is_meta: np.ndarray) -> np.ndarray:
    a, d, s = (np.asarray(x, dtype=np.float64) for x in (agree, disagree, seen))
    passes = s - a - d
    p_pass = (passes + 1) / (s + 2)
    p_agree = (a + 1) / (s + 2)
    importance = (1 - p_pass) * (np.asarray(extremity) + 1) * p_agree
    priority = np.where(is_meta, META_PRIORITY, importance * (1 + 8 * np.power(2.0, -s / 5)))
    return priority**2


def choose_next(priorities: np.ndarray, available: np.ndarray, rng: np.random.Generator | None) -> int | None:
    """Index of the next statement among `available` (bool mask): weighted draw with `rng`, else the top one."""
    candidates = np.flatnonzero(available)
    if len(candidates) == 0:
        return None
    weights = priorities[candidates]
    if rng is None or weights.sum() <= 0:
        return int(candidates[np.argmax(weights)])
    return int(rng.choice(candidates, p=weights / weights.sum()))
