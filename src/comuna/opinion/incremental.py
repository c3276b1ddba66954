"""The opinion map as a living object: build it once, then feed it new votes.

`OpinionMap.build(votes, statements)` computes everything from scratch; `map.update(votes)` folds a batch of new
votes in the way Pol.is's math worker does between ticks, doing only the work the maths needs:

- the co-vote moments move by one row and column per vote (matrix.py), so the centred Gram matrix is rebuilt in
  O(statements²) without touching the participants;
- power iteration starts from the previous components (Pol.is does the same), so it converges in a few steps;
- base-cluster k-means starts from the previous centres and group k-means from the previous groups;
- who is "in the map" only grows (a participant, once in, stays in, as in Pol.is);
- the number of groups changes only after the silhouette has preferred the new k four updates running (Pol.is's
  group-k smoother); group numbers follow the previous groups so a participant's group does not relabel;
- group vote counts move with the changed cells and the participants whose group changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from comuna.opinion.clusters import base_clusters, distinct_rows, group_clusterings, match_labels, silhouette
from comuna.opinion.matrix import CellChanges, VoteMatrix, early_entrants
from comuna.opinion.pca import PCA, centred_gram, fit_pca, project_participants, statement_extremity
from comuna.opinion.priority import choose_next, statement_priorities
from comuna.opinion.statements import (
    RankedStatement,
    divisiveness,
    group_informed_consensus,
    repness_table,
    select_consensus,
    select_representative,
)
from comuna.opinion.votes import MODERATED_OUT, Statement, Vote, VoteBatch


@dataclass(frozen=True)
class MapOptions:
    base_k: int = 100  # Pol.is: base clusters
    max_groups: int = 5  # Pol.is: max-k
    min_votes: int = 7  # votes needed to enter the map (or every statement, if fewer)
    greedy_in_map: int = 15  # Pol.is fills the map up to this many participants with the most active voters
    group_k_buffer: int = 4
    # At build, replay the entry rule over the votes' timestamps (Pol.is admits a participant as soon as they
    # qualify, when few statements existed the bar was lower, and never removes them); False: judge by the end.
    replay_entry: bool = True  # updates a new k must win in a row before the map switches to it
    pca_max_iters: int = 1000
    pca_tol: float = 1e-9
    update_pca_tol: float = 1e-6  # an update moves the components by ~1e-4; a residual of 1e-6 is plenty
    kmeans_max_iters: int = 100  # Pol.is: base-iters, group-iters
    # An update starts from the previous centres, a few Lloyd steps from the new optimum; a step costs
    # O(participants × base clusters), so updates take at most this many and the next update continues.
    update_kmeans_max_iters: int = 3
    group_restarts: int = 2  # seeded k-means++ restarts for groups, at build (updates start from the last groups)
    seed: int = 0


@dataclass
class _GroupCounts:
    agree: np.ndarray
    disagree: np.ndarray
    seen: np.ndarray


@dataclass
class OpinionMap:
    options: MapOptions = field(default_factory=MapOptions)
    matrix: VoteMatrix = field(default_factory=VoteMatrix)
    statements: dict[int, Statement] = field(default_factory=dict)
    pca: PCA | None = None
    projections: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    in_map: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    base_centers: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    base_labels: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # per in-map row
    group_centers: dict[int, np.ndarray] = field(default_factory=dict)  # last clustering for each k
    group_of_base: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    participant_group: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # -1: not in map
    k_smoother: dict[str, int] = field(default_factory=dict)
    silhouettes: dict[int, float] = field(default_factory=dict)
    _counts: _GroupCounts | None = None
    _gram_cache: tuple[np.ndarray, np.ndarray] | None = None
    _excluded_cache: tuple[int, np.ndarray] | None = None
    _rng: np.random.Generator | None = None

    # -- construction ----------------------------------------------------------------------------------------
    @classmethod
    def build(cls, votes: VoteBatch | Iterable[Vote], statements: Iterable[Statement] = (),
              options: MapOptions | None = None) -> OpinionMap:
        opinion_map = cls(options=options or MapOptions())
        opinion_map._rng = np.random.default_rng(opinion_map.options.seed)
        opinion_map.set_statements(statements, refresh=False)
        batch = VoteBatch.coerce(votes)
        opinion_map.matrix.load(batch)
        if opinion_map.options.replay_entry:
            entered = early_entrants(batch, opinion_map.options.min_votes)
            opinion_map.in_map = np.zeros(opinion_map.matrix.n_participants, dtype=bool)
            opinion_map.in_map[opinion_map.matrix.add_participants(entered.tolist())] = True
        opinion_map._refresh(changes=None)
        return opinion_map

    def set_statements(self, statements: Iterable[Statement], refresh: bool = True) -> None:
        """Add statements or change their moderation (moderated-out and meta statements leave the maths)."""
        for statement in statements:
            self.statements[statement.id] = statement
        self._excluded_cache = None  # moderation may have changed
        self.matrix.add_statements(sorted(self.statements))
        if refresh and self.pca is not None:
            self._refresh(changes=None)

    def update(self, votes: VoteBatch | Iterable[Vote]) -> None:
        """Fold a batch of new votes into the map (a participant's later vote replaces the earlier one)."""
        if self._rng is None:
            self._rng = np.random.default_rng(self.options.seed)
        batch = VoteBatch.coerce(votes)
        if len(batch) == 0:
            return
        changes = self.matrix.apply(batch)
        self._refresh(changes=changes)

    # -- the pipeline ----------------------------------------------------------------------------------------
    def _excluded(self) -> np.ndarray:
        """Statements out of the maths: moderated out, or meta (as Pol.is's mod-out)."""
        key = self.matrix.n_statements  # new statements or set_statements (which clears the cache) change it
        if self._excluded_cache is not None and self._excluded_cache[0] == key:
            return self._excluded_cache[1]
        out = np.zeros(self.matrix.n_statements, dtype=bool)
        for sid, statement in self.statements.items():
            if statement.moderated == MODERATED_OUT or statement.is_meta:
                out[self.matrix.statement_index[sid]] = True
        self._excluded_cache = (key, out)
        return out

    def _refresh(self, changes: CellChanges | None) -> None:
        opts, matrix, rng = self.options, self.matrix, self._rng
        n = matrix.n_participants
        excluded = self._excluded()
        seen = np.diag(matrix.N)
        n_voted_statements = int((seen > 0).sum())  # Pol.is's matrix has a column only for statements with votes
        mean = matrix.column_means()
        mean[excluded] = 0.0
        silent = excluded | (seen == 0)  # no variance: Pol.is's zeroed or absent columns
        gram = self._gram(mean, silent, changes)
        previous = self.pca.components if self.pca is not None else None
        self.pca = fit_pca(gram, mean, previous, rng, max_iters=opts.pca_max_iters,
                           tol=opts.pca_tol if changes is None else opts.update_pca_tol)
        self.pca.components[:, silent] = 0.0  # exactly, not rounding noise from the start vectors
        self.projections = project_participants(matrix.values, matrix.voted, self.pca, n_voted_statements, excluded,
                                                matrix.votes_per_participant)

        # Who is in the map: enough votes, sticky once in, topped up with the most active voters.
        in_map = np.zeros(n, dtype=bool)
        in_map[: len(self.in_map)] = self.in_map
        counts = matrix.votes_per_participant[:n]
        in_map |= counts >= min(opts.min_votes, n_voted_statements)
        if in_map.sum() < opts.greedy_in_map:
            outside = np.flatnonzero(~in_map & (counts > 0))
            top = outside[np.argsort(-counts[outside], kind="stable")][: opts.greedy_in_map - int(in_map.sum())]
            in_map[top] = True
        self.in_map = in_map
        members = np.flatnonzero(in_map)
        old_group = np.full(n, -1, dtype=np.int64)
        old_group[: len(self.participant_group)] = self.participant_group
        if len(members) == 0:
            self.participant_group = old_group
            self._counts = None
            return

        points = self.projections[members]
        previous_base = self.base_centers if len(self.base_centers) else None
        iters = opts.kmeans_max_iters if changes is None else opts.update_kmeans_max_iters
        self.base_centers, self.base_labels = base_clusters(points, opts.base_k, rng, previous_base, iters)
        weights = np.bincount(self.base_labels, minlength=len(self.base_centers)).astype(np.float64)
        self._choose_groups(weights, restarts=opts.group_restarts if changes is None else 0)

        group = np.full(n, -1, dtype=np.int64)
        group[members] = self.group_of_base[self.base_labels]
        k = int(self.group_of_base.max()) + 1
        if old_group.max() >= 0 and k == int(old_group.max()) + 1:
            relabel = match_labels(old_group[members], group[members], k)  # keep group numbers stable
        else:  # fresh numbering: largest group first
            sizes = np.bincount(group[members], minlength=k)
            relabel = np.argsort(np.argsort(-sizes, kind="stable"))
        self.group_of_base = relabel[self.group_of_base]
        self.group_centers[k] = self.group_centers[k][np.argsort(relabel)]
        group[members] = relabel[group[members]]
        self.participant_group = group
        self._update_counts(old_group, changes, k)

    def _gram(self, mean: np.ndarray, silent: np.ndarray, changes: CellChanges | None) -> np.ndarray:
        """The centred Gram matrix. A batch of votes changes S, A, N and the column means only for the statements
        it touched, so only those rows and columns of G are recomputed (O(touched × statements))."""
        matrix = self.matrix
        m = matrix.n_statements
        cached = self._gram_cache
        if (changes is None or cached is None or cached[0].shape != (m, m)
                or not np.array_equal(cached[1], silent)):
            gram = centred_gram(matrix.S, matrix.A, matrix.N, mean, silent)
        else:
            gram = cached[0]
            touched = np.unique(changes.col)
            rows = (matrix.S[touched] - mean[None, :] * matrix.A[touched] - mean[touched, None] * matrix.A[:, touched].T
                    + (mean[touched, None] * mean[None, :]) * matrix.N[touched])
            rows[:, silent] = 0.0
            rows[silent[touched]] = 0.0
            gram[touched, :] = rows
            gram[:, touched] = rows.T
        self._gram_cache = (gram, silent.copy())
        return gram

    def _choose_groups(self, weights: np.ndarray, restarts: int) -> None:
        opts, rng = self.options, self._rng
        centers = self.base_centers
        max_k = min(opts.max_groups, 2 + len(centers) // 12)  # Pol.is's max-k-fn
        clusterings: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.silhouettes = {}
        n_distinct = len(distinct_rows(centers))
        ks = list(range(2, min(max_k, n_distinct) + 1))
        clusterings = group_clusterings(centers, weights, ks, rng, self.group_centers, restarts,
                                        opts.kmeans_max_iters)
        for k in ks:
            self.silhouettes[k] = silhouette(centers, clusterings[k][1])
        if not clusterings:  # one distinct position: a single group
            self.group_centers[1] = centers.mean(axis=0, keepdims=True)
            self.group_of_base = np.zeros(len(centers), dtype=np.int64)
            return
        best = max(self.silhouettes, key=lambda k: (self.silhouettes[k], k))  # ties: larger k, as Pol.is's max-key
        smoother = self.k_smoother
        streak = smoother["streak"] + 1 if smoother.get("last") == best else 1
        smoothed = best if streak >= opts.group_k_buffer or "smoothed" not in smoother else smoother["smoothed"]
        if smoothed not in clusterings:
            smoothed = best
        self.k_smoother = {"last": best, "streak": streak, "smoothed": smoothed}
        for k, (found, _) in clusterings.items():
            self.group_centers[k] = found
        # Every start can lose a group (k-means drops an emptied cluster, and a last assignment can leave one
        # without members): the map has the groups that have members, numbered 0..k-1, and their centres stand
        # under that k, the key _refresh reads them by.
        found, labels = clusterings[smoothed]
        used = np.unique(labels)
        self.group_centers[len(used)] = found[used]
        self.group_of_base = np.searchsorted(used, labels)

    def _update_counts(self, old_group: np.ndarray, changes: CellChanges | None, k: int) -> None:
        group = self.participant_group
        values, voted = self.matrix.values, self.matrix.voted
        m = self.matrix.n_statements
        counts = self._counts
        if changes is None or counts is None or counts.seen.shape != (k, m):
            onehot = np.zeros((k, len(group)), dtype=np.float32)
            members = np.flatnonzero(group >= 0)
            onehot[group[members], members] = 1.0
            net, decided, seen = onehot @ values, onehot @ np.abs(values), onehot @ voted
            self._counts = _GroupCounts(np.rint((decided + net) / 2).astype(np.int64),
                                        np.rint((decided - net) / 2).astype(np.int64), np.rint(seen).astype(np.int64))
            return
        # 1. The changed cells, counted under the old groups.
        g = old_group[changes.row]
        known = g >= 0
        g, col = g[known], changes.col[known]
        ov, om, nv = changes.old_value[known], changes.old_voted[known], changes.new_value[known]
        np.add.at(counts.agree, (g, col), (nv == 1).astype(np.int64) - ((ov == 1) & (om == 1)))
        np.add.at(counts.disagree, (g, col), (nv == -1).astype(np.int64) - ((ov == -1) & (om == 1)))
        np.add.at(counts.seen, (g, col), 1 - om.astype(np.int64))
        # 2. Participants who changed group carry their whole row across.
        moved = np.flatnonzero(old_group != group)
        if len(moved):
            rows_x, rows_m = values[moved], voted[moved]
            agree, disagree, seen = (rows_x == 1).astype(np.int64), (rows_x == -1).astype(np.int64), \
                rows_m.astype(np.int64)
            for target, sign in ((old_group[moved], -1), (group[moved], 1)):
                inside = target >= 0
                for array, rows in ((counts.agree, agree), (counts.disagree, disagree), (counts.seen, seen)):
                    np.add.at(array, target[inside], sign * rows[inside])

    # -- results ---------------------------------------------------------------------------------------------
    def _ids(self) -> np.ndarray:
        return np.array(self.matrix.statement_ids, dtype=np.int64)

    @property
    def group_count(self) -> int:
        return int(self.participant_group.max()) + 1 if len(self.participant_group) else 0

    def groups(self) -> dict[int, int]:
        """Opinion group of every participant in the map: {participant id: group number (0 = largest at build)}."""
        ids = self.matrix.participant_ids
        return {ids[i]: int(self.participant_group[i]) for i in np.flatnonzero(self.participant_group >= 0)}

    def positions(self) -> dict[int, tuple[float, float]]:
        """2-D map position of every participant who voted (in the map or not)."""
        ids = self.matrix.participant_ids
        return {ids[i]: (float(x), float(y)) for i, (x, y) in enumerate(self.projections.tolist())}

    def group_vote_counts(self) -> dict[str, np.ndarray]:
        """(groups × statements) counts of agrees, disagrees and votes seen among each group's members."""
        counts = self._counts
        if counts is None:
            empty = np.zeros((0, self.matrix.n_statements), dtype=np.int64)
            return {"agree": empty, "disagree": empty, "seen": empty}
        return {"agree": counts.agree, "disagree": counts.disagree, "seen": counts.seen}

    def representative(self) -> dict[int, list[RankedStatement]]:
        counts = self.group_vote_counts()
        if len(counts["seen"]) == 0:
            return {}
        table = repness_table(counts["agree"], counts["disagree"], counts["seen"])
        chosen = select_representative(table, self._ids(), self._excluded())
        return dict(enumerate(chosen))

    def consensus(self) -> dict[str, list[RankedStatement]]:
        agree, disagree, seen = self.matrix.statement_counts()
        return select_consensus(agree, disagree, seen, self._ids(), self._excluded())

    def group_informed_consensus(self) -> dict[int, float]:
        """Pol.is's group-aware consensus per statement (moderated-out statements left out), highest first."""
        counts = self.group_vote_counts()
        if len(counts["seen"]) == 0:
            return {}
        scores = group_informed_consensus(counts["agree"], counts["seen"])
        ids, excluded = self._ids(), self._excluded()
        order = [c for c in np.lexsort((ids, -scores)) if not excluded[c]]
        return {int(ids[c]): float(scores[c]) for c in order}

    def divisive(self, limit: int = 5, min_seen: int = 3) -> list[int]:
        """Statements on which the groups stand furthest apart (see statements.divisiveness); every group must
        have seen the statement at least `min_seen` times."""
        counts = self.group_vote_counts()
        if len(counts["seen"]) < 2:
            return []
        score = divisiveness(counts["agree"], counts["disagree"], counts["seen"])
        eligible = (counts["seen"].min(axis=0) >= min_seen) & ~self._excluded()
        ids = self._ids()
        order = [c for c in np.lexsort((ids, -score)) if eligible[c]]
        return [int(ids[c]) for c in order[:limit]]

    def priorities(self) -> dict[int, float]:
        """Pol.is's comment priorities (priority.py), for every statement the map knows."""
        counts = self.group_vote_counts()
        m = self.matrix.n_statements
        agree, disagree, seen = (counts[key].sum(axis=0) if len(counts["seen"]) else np.zeros(m)
                                 for key in ("agree", "disagree", "seen"))
        n_voted = int((np.diag(self.matrix.N) > 0).sum())
        extremity = statement_extremity(self.pca, n_voted) if self.pca is not None else np.zeros(m)
        meta = np.zeros(m, dtype=bool)
        for sid, statement in self.statements.items():
            meta[self.matrix.statement_index[sid]] = statement.is_meta
        values = statement_priorities(agree, disagree, seen, extremity, meta)
        return {int(sid): float(p) for sid, p in zip(self._ids(), values, strict=True)}

    def next_statement(self, participant_id: int, rng: np.random.Generator | None = None) -> int | None:
        """The statement to show this participant next: among those they have not voted on and that are not
        moderated out, a draw weighted by priority (with `rng`), or the highest priority (without)."""
        priorities = np.array(list(self.priorities().values()))
        available = np.ones(self.matrix.n_statements, dtype=bool)
        for sid, statement in self.statements.items():
            if statement.moderated == MODERATED_OUT:
                available[self.matrix.statement_index[sid]] = False
        row = self.matrix.participant_index.get(int(participant_id))
        if row is not None:
            available &= self.matrix.voted[row] == 0
        choice = choose_next(priorities, available, rng)
        return None if choice is None else int(self.matrix.statement_ids[choice])

    def summary(self) -> dict:
        """The map as JSON-ready data (the CLI prints the first three keys)."""
        consensus = self.consensus()
        return {
            "groups": {str(pid): g for pid, g in sorted(self.groups().items())},
            "consensus": [s.statement_id for direction in ("agree", "disagree") for s in consensus[direction]],
            "representative": {str(g): [s.statement_id for s in chosen] for g, chosen in self.representative().items()},
        }
