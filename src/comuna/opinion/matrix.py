"""The participant × statement vote matrix, dense and growable, with the co-vote moments PCA needs.

`values` holds the vote (1, -1, 0) and 0 where a participant has not voted; `voted` holds 1 where they have.
Both are float32: every quantity kept here is an integer count well below 2**24, so float32 sums are exact and
BLAS does the counting.

The co-vote moments of statements j and k, summed over participants i, are
    S[j, k] = Σ x_ij x_ik,   A[j, k] = Σ x_ij m_ik,   N[j, k] = Σ m_ij m_ik
(x the vote, m the voted flag). Pol.is centres each column on its mean vote and fills missing votes with it,
so a missing vote contributes 0 after centring; the centred Gram matrix is then
    G[j, k] = S[j, k] - μ_k A[j, k] - μ_j A[k, j] + μ_j μ_k N[j, k]
and a new vote changes one row and one column of S, A and N: O(statements) work, not a recomputation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from comuna.opinion.votes import VoteBatch, factorize


@dataclass(frozen=True)
class CellChanges:
    """Cells a batch of votes changed, in order: row, column, old vote, old voted flag, new vote."""

    row: np.ndarray
    col: np.ndarray
    old_value: np.ndarray
    old_voted: np.ndarray
    new_value: np.ndarray

    @classmethod
    def of(cls, changes: list[tuple[int, int, float, float, float]]) -> CellChanges:
        if not changes:
            empty = np.zeros(0)
            return cls(empty.astype(np.int64), empty.astype(np.int64), empty, empty, empty)
        r, c, ov, om, nv = zip(*changes, strict=True)
        return cls(np.array(r, dtype=np.int64), np.array(c, dtype=np.int64), np.array(ov), np.array(om), np.array(nv))


def _grow(array: np.ndarray, rows: int, cols: int) -> np.ndarray:
    if array.shape[0] >= rows and array.shape[1] >= cols:
        return array
    new_rows = array.shape[0] if array.shape[0] >= rows else max(rows, 2 * array.shape[0], 16)
    new_cols = array.shape[1] if array.shape[1] >= cols else max(cols, 2 * array.shape[1], 16)
    bigger = np.zeros((new_rows, new_cols), dtype=array.dtype)
    bigger[: array.shape[0], : array.shape[1]] = array
    return bigger


class VoteMatrix:
    """Votes by participant (rows) and statement (columns), in the order each id was first seen."""

    def __init__(self) -> None:
        self.participant_ids: list[int] = []
        self.statement_ids: list[int] = []
        self.participant_index: dict[int, int] = {}
        self.statement_index: dict[int, int] = {}
        self._values = np.zeros((0, 0), dtype=np.float32)
        self._voted = np.zeros((0, 0), dtype=np.float32)
        self._moments = np.zeros((3, 0, 0), dtype=np.float64)  # S, A, N (see module docstring)
        self.votes_per_participant = np.zeros(0, dtype=np.int64)

    # -- shape -----------------------------------------------------------------------------------------------
    @property
    def n_participants(self) -> int:
        return len(self.participant_ids)

    @property
    def n_statements(self) -> int:
        return len(self.statement_ids)

    @property
    def values(self) -> np.ndarray:
        return self._values[: self.n_participants, : self.n_statements]

    @property
    def voted(self) -> np.ndarray:
        return self._voted[: self.n_participants, : self.n_statements]

    @property
    def S(self) -> np.ndarray:  # noqa: N802 - the algebra's name
        return self._moments[0, : self.n_statements, : self.n_statements]

    @property
    def A(self) -> np.ndarray:  # noqa: N802
        return self._moments[1, : self.n_statements, : self.n_statements]

    @property
    def N(self) -> np.ndarray:  # noqa: N802
        return self._moments[2, : self.n_statements, : self.n_statements]

    def add_statements(self, ids, reserve: bool = True) -> np.ndarray:
        out = []
        for sid in ids:
            sid = int(sid)
            if sid not in self.statement_index:
                self.statement_index[sid] = len(self.statement_ids)
                self.statement_ids.append(sid)
            out.append(self.statement_index[sid])
        if reserve:
            self._reserve()
        return np.array(out, dtype=np.int64)

    def add_participants(self, ids, reserve: bool = True) -> np.ndarray:
        ids = [int(pid) for pid in ids]
        if not self.participant_ids and len(set(ids)) == len(ids):  # first load: no lookups needed
            self.participant_ids = ids
            self.participant_index = dict(zip(ids, range(len(ids)), strict=True))
            out = list(range(len(ids)))
        else:
            out = []
            for pid in ids:
                if pid not in self.participant_index:
                    self.participant_index[pid] = len(self.participant_ids)
                    self.participant_ids.append(pid)
                out.append(self.participant_index[pid])
        if reserve:
            self._reserve()
        return np.array(out, dtype=np.int64)

    def _reserve(self) -> None:
        n, m = self.n_participants, self.n_statements
        self._values = _grow(self._values, n, m)
        self._voted = _grow(self._voted, n, m)
        if self._moments.shape[1] < m:
            size = max(m, 2 * self._moments.shape[1], 16)
            bigger = np.zeros((3, size, size), dtype=np.float64)
            old = self._moments.shape[1]
            bigger[:, :old, :old] = self._moments
            self._moments = bigger
        if len(self.votes_per_participant) < n:
            self.votes_per_participant = np.concatenate(
                [self.votes_per_participant, np.zeros(n - len(self.votes_per_participant), dtype=np.int64)])

    def _indices(self, batch: VoteBatch) -> tuple[np.ndarray, np.ndarray]:
        # Map ids to rows/columns with a sorted lookup (vectorised, no per-vote dict access).
        self.add_participants(np.unique(batch.participant).tolist())
        self.add_statements(np.unique(batch.statement).tolist())
        rows = _lookup(np.array(self.participant_ids, dtype=np.int64), batch.participant)
        cols = _lookup(np.array(self.statement_ids, dtype=np.int64), batch.statement)
        return rows, cols

    # -- filling -----------------------------------------------------------------------------------------------
    def load(self, batch: VoteBatch) -> None:
        """Add votes in bulk and recompute the moments from scratch (three matrix products)."""
        if len(batch):
            participants, p_inverse = factorize(batch.participant)
            statements, s_inverse = factorize(batch.statement)
            rows = self.add_participants(participants.tolist(), reserve=False)[p_inverse]
            cols = self.add_statements(statements.tolist(), reserve=False)[s_inverse]
            self._reserve()
            cells = rows * self._values.shape[1] + cols  # flat indices: faster than (row, column) pairs
            values = batch.value.astype(np.float32)
            repeated = self._repeated_cells(cells, batch.timestamp)
            # NumPy assigns repeated fancy indices in order (a test guards this): the last row of a cell stays.
            self._values.reshape(-1)[cells] = values
            self._voted.reshape(-1)[cells] = 1.0
            if len(repeated):  # the votes of cells voted more than once, again, in time order: the latest stays
                later = repeated[np.argsort(batch.timestamp[repeated], kind="stable")]
                self._values.reshape(-1)[cells[later]] = values[later]
        self.recompute_moments()

    def _repeated_cells(self, cells: np.ndarray, stamps: np.ndarray) -> np.ndarray:
        """The votes (positions in the batch) whose cell the batch votes more than once, when written in the given
        order would not leave each cell with its latest vote; empty when the votes come in time order (as from a
        database) or no cell is voted twice. Found without sorting the batch: each vote writes its number into
        the cells (the matrix serves as scratch; load writes every one of these cells afterwards), and a vote
        whose number did not stay shares its cell with a later row."""
        none = np.zeros(0, dtype=np.int64)
        if len(stamps) < 2 or bool(np.all(stamps[1:] >= stamps[:-1])):
            return none
        if len(stamps) >= 2**24:  # vote numbers must be exact in float32: rewrite them all in time order
            return np.arange(len(stamps))
        numbers = np.arange(1, len(stamps) + 1, dtype=np.float32)
        scratch, flags = self._values.reshape(-1), self._voted.reshape(-1)
        scratch[cells] = numbers
        overwritten = scratch[cells] != numbers
        if not overwritten.any():
            return none
        flags[cells] = 0.0
        flags[cells[overwritten]] = 1.0
        return np.flatnonzero(flags[cells] == 1.0)

    def recompute_moments(self) -> None:
        x, m = self.values, self.voted
        size = self.n_statements
        self._moments[0, :size, :size] = x.T @ x
        self._moments[1, :size, :size] = x.T @ m
        self._moments[2, :size, :size] = m.T @ m
        self.votes_per_participant = self._voted[: self.n_participants].sum(axis=1, dtype=np.float64).astype(np.int64)

    def apply(self, batch: VoteBatch) -> CellChanges:
        """Apply votes one by one (time order), updating the moments by one row and column each."""
        ordered = batch.in_time_order()
        rows, cols = self._indices(ordered)
        moments, values, voted = self._moments, self._values, self._voted
        size = self.n_statements
        s, a, n = moments[0, :size, :size], moments[1, :size, :size], moments[2, :size, :size]
        changes: list[tuple[int, int, float, float, float]] = []
        for i, j, v in zip(rows.tolist(), cols.tolist(), ordered.value.tolist(), strict=True):
            dx = float(v) - float(values[i, j])
            dm = 1.0 - float(voted[i, j])
            if dx == 0.0 and dm == 0.0:
                continue
            x = values[i, :size]  # float32 rows; NumPy widens them as it adds into the float64 moments
            m = voted[i, :size]
            if dx:
                s[j, :] += dx * x
                s[:, j] += dx * x
                s[j, j] += dx * dx
                a[j, :] += dx * m
            if dm:
                a[:, j] += dm * x
                n[j, :] += dm * m
                n[:, j] += dm * m
                n[j, j] += dm * dm
                self.votes_per_participant[i] += 1
            a[j, j] += dx * dm
            changes.append((i, j, float(values[i, j]), float(voted[i, j]), float(v)))
            values[i, j] = v
            voted[i, j] = 1.0
        return CellChanges.of(changes)

    # -- derived -----------------------------------------------------------------------------------------------
    def statement_counts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(agree, disagree, seen) per statement over every participant, read off the moments' diagonals."""
        seen = np.diag(self.N).copy()
        decided = np.diag(self.S)  # Σ x² = agrees + disagrees
        net = np.diag(self.A)  # Σ x = agrees - disagrees
        return np.rint((decided + net) / 2).astype(np.int64), np.rint((decided - net) / 2).astype(np.int64), \
            np.rint(seen).astype(np.int64)

    def column_means(self) -> np.ndarray:
        seen = np.diag(self.N)
        return np.divide(np.diag(self.A), seen, out=np.zeros(self.n_statements), where=seen > 0)


def _lookup(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    order = np.argsort(ids, kind="stable")
    return order[np.searchsorted(ids[order], wanted)]


def early_entrants(batch: VoteBatch, min_votes: int) -> np.ndarray:
    """Participants who entered the map while fewer than `min_votes` statements had votes.

    Pol.is admits a participant once they have voted on min(min_votes, statements voted on so far) statements,
    and never removes them. Both counts only grow, so apart from those who end with `min_votes` votes (read off
    the matrix), only the early stretch of the history, before the min_votes-th statement got its first vote,
    can admit anyone: that stretch is replayed here. Returns participant ids (sorted)."""
    if len(batch) == 0:
        return np.zeros(0, dtype=np.int64)
    statements, s_inverse = factorize(batch.statement)
    first_time = np.full(len(statements), np.iinfo(np.int64).max)
    np.minimum.at(first_time, s_inverse, batch.timestamp)
    if len(statements) >= min_votes:  # only votes up to the min_votes-th statement's first vote can matter
        cutoff = np.partition(first_time, min_votes - 1)[min_votes - 1]
        batch = VoteBatch(*(field[batch.timestamp <= cutoff] for field in
                            (batch.participant, batch.statement, batch.value, batch.timestamp)))
    ordered = batch.in_time_order()
    _, s_ordered = factorize(ordered.statement)
    first_vote = np.full(int(s_ordered.max()) + 1 if len(s_ordered) else 0, len(ordered), dtype=np.int64)
    first_vote[s_ordered[::-1]] = np.arange(len(ordered))[::-1]  # repeated indices: the earliest is written last
    early_end = int(np.sort(first_vote)[min_votes - 1]) if len(first_vote) >= min_votes else len(ordered)
    seen: set[int] = set()
    voted: dict[int, set[int]] = {}
    entrants: set[int] = set()
    for p, s in zip(ordered.participant[:early_end].tolist(), ordered.statement[:early_end].tolist(), strict=True):
        seen.add(s)
        voted.setdefault(p, set()).add(s)
        if len(voted[p]) >= min(min_votes, len(seen)):
            entrants.add(p)
    return np.array(sorted(entrants), dtype=np.int64)
