"""Votes and statements as plain data: the shapes every other module of `comuna.opinion` speaks.

Votes use the Pol.is export convention: 1 agree, -1 disagree, 0 pass. (Pol.is's own database and maths use the
opposite sign, -1 for agree; nothing here depends on the sign except the names `agree`/`disagree`.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

AGREE, DISAGREE, PASS = 1, -1, 0
VOTE_VALUES = (AGREE, DISAGREE, PASS)

# Moderation states, as Pol.is stores them.
MODERATED_IN, UNMODERATED, MODERATED_OUT = 1, 0, -1


def factorize(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct ids, index of each id among them), like np.unique(return_inverse=True).

    Ids are usually small non-negative integers; a presence table then replaces the sort."""
    ids = np.asarray(ids, dtype=np.int64)
    if len(ids) == 0:
        return ids, ids
    low, high = int(ids.min()), int(ids.max())
    if low < 0 or high > 4 * len(ids) + 1_000_000:
        distinct, inverse = np.unique(ids, return_inverse=True)
        return distinct, inverse.astype(np.int64)
    present = np.zeros(high + 1, dtype=bool)
    present[ids] = True
    position = np.cumsum(present) - 1
    return np.flatnonzero(present), position[ids]


@dataclass(frozen=True)
class Vote:
    participant_id: int
    statement_id: int
    vote: int
    timestamp: int = 0


@dataclass(frozen=True)
class Statement:
    id: int
    text: str = ""
    author_id: int | None = None
    moderated: int = UNMODERATED
    is_meta: bool = False
    timestamp: int = 0


@dataclass(frozen=True)
class VoteBatch:
    """Many votes as parallel NumPy arrays (the fast path; `from_votes` builds one from `Vote` objects)."""

    participant: np.ndarray
    statement: np.ndarray
    value: np.ndarray
    timestamp: np.ndarray

    @classmethod
    def from_votes(cls, votes: Iterable[Vote]) -> VoteBatch:
        votes = list(votes)
        return cls(
            participant=np.array([v.participant_id for v in votes], dtype=np.int64),
            statement=np.array([v.statement_id for v in votes], dtype=np.int64),
            value=np.array([v.vote for v in votes], dtype=np.int8),
            timestamp=np.array([v.timestamp for v in votes], dtype=np.int64),
        )

    @classmethod
    def coerce(cls, votes: VoteBatch | Iterable[Vote]) -> VoteBatch:
        return votes if isinstance(votes, VoteBatch) else cls.from_votes(votes)

    def __len__(self) -> int:
        return len(self.value)

    def pair_codes(self) -> np.ndarray:
        """One integer per (participant, statement) pair, equal for equal pairs."""
        _, p = factorize(self.participant)
        _, s = factorize(self.statement)
        return p * (int(s.max()) + 1 if len(s) else 1) + s

    def last_votes(self) -> VoteBatch:
        """Keep each participant's last vote on each statement (by timestamp; on equal timestamps, the later row)."""
        if len(self) == 0:
            return self
        by_time = np.argsort(self.timestamp, kind="stable")
        codes = self.pair_codes()[by_time]
        order = np.argsort(codes, kind="stable")  # pairs together, in time order within a pair
        sorted_codes = codes[order]
        is_last = np.ones(len(order), dtype=bool)
        is_last[:-1] = sorted_codes[1:] != sorted_codes[:-1]
        keep = by_time[order[is_last]]
        return VoteBatch(self.participant[keep], self.statement[keep], self.value[keep], self.timestamp[keep])

    def in_time_order(self) -> VoteBatch:
        if len(self) < 2 or bool(np.all(self.timestamp[1:] >= self.timestamp[:-1])):
            return self
        order = np.argsort(self.timestamp, kind="stable")
        return VoteBatch(self.participant[order], self.statement[order], self.value[order], self.timestamp[order])

    def up_to(self, timestamp: int) -> VoteBatch:
        keep = self.timestamp <= timestamp
        return VoteBatch(self.participant[keep], self.statement[keep], self.value[keep], self.timestamp[keep])

    def to_votes(self) -> list[Vote]:
        return [
            Vote(int(p), int(s), int(v), int(t))
            for p, s, v, t in zip(self.participant, self.statement, self.value, self.timestamp, strict=True)
        ]
