"""K-means, silhouette and adjusted Rand index for opinion maps (Pol.is's clusters.clj, vectorised).

Pol.is clusters in two stages: participants' 2-D positions into up to 100 *base clusters*, then the base-cluster
centres (weighted by their member counts) into 2..5 *opinion groups*, choosing k by the silhouette of the
base-cluster centres. Its k-means drops clusters that lose all their members and stops when the assignment is
stable; so does this one.
"""

from __future__ import annotations

import itertools

import numpy as np


def squared_distances(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    if len(points) * len(centers) > 50_000:  # large assignment steps: float32 halves the memory traffic
        points, centers = points.astype(np.float32), centers.astype(np.float32)
    out = points @ (-2.0 * centers.T)
    out += np.einsum("ij,ij->i", points, points)[:, None]
    out += np.einsum("ij,ij->i", centers, centers)[None, :]
    return np.maximum(out, 0.0, out=out)


def distinct_rows(points: np.ndarray) -> np.ndarray:
    """Distinct 2-D points (sorted), through a complex view: a 1-D sort instead of a row-wise one."""
    as_complex = np.ascontiguousarray(points, dtype=np.float64).view(np.complex128).ravel()
    return np.unique(as_complex).view(np.float64).reshape(-1, 2)


def kmeans(points: np.ndarray, centers: np.ndarray, weights: np.ndarray | None = None,
           max_iters: int = 100, tol: float = 0.01) -> tuple[np.ndarray, np.ndarray]:
    """Weighted Lloyd iterations from the given centres; returns (centres, labels), empty clusters dropped.

    Stops when the assignment no longer changes or, as Pol.is's same-clustering?, when no centre moved by
    `tol` (0.01 on a map whose spread is several units)."""
    weights = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=np.float64)
    centers = np.array(centers, dtype=np.float64)
    labels = np.full(len(points), -1)
    weighted = [weights * points[:, d] for d in range(points.shape[1])]
    points32 = points.astype(np.float32)
    for _ in range(max_iters):
        new_labels = nearest(points, centers, points32)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        mass = np.bincount(labels, weights=weights, minlength=len(centers))
        alive = mass > 0
        sums = np.stack([np.bincount(labels, weights=w, minlength=len(centers)) for w in weighted], axis=1)
        moved = sums[alive] / mass[alive, None]
        if not alive.all():
            centers = moved
            labels = np.full(len(points), -1)  # indices shifted; force one more assignment pass
            continue
        settled = np.max(np.sum((moved - centers) ** 2, axis=1)) < tol * tol
        centers = moved
        if settled:
            labels = nearest(points, centers, points32)
            break
    else:
        labels = nearest(points, centers, points32)
    return centers, labels


def nearest(points: np.ndarray, centers: np.ndarray, points32: np.ndarray | None = None) -> np.ndarray:
    """Index of each point's nearest centre (the first on ties). ‖p‖² is the same for every centre, so the
    comparison needs only ‖c‖² - 2 p·c: one product and one sum over the (points × centres) table, in float32
    when the table is large (half the memory traffic; `points32`: the points already converted)."""
    if len(points) * len(centers) <= 50_000:
        return np.argmin(squared_distances(points, centers), axis=1)
    points = points.astype(np.float32) if points32 is None else points32
    centers = centers.astype(np.float32)
    table = points @ (-2.0 * centers.T)
    table += np.einsum("ij,ij->i", centers, centers)[None, :]
    return np.argmin(table, axis=1)


def first_distinct(points: np.ndarray, k: int) -> np.ndarray:
    """The first k distinct rows, in row order."""
    as_complex = np.ascontiguousarray(points, dtype=np.float64).view(np.complex128).ravel()
    _, first = np.unique(as_complex, return_index=True)
    return points[np.sort(first)[:k]].copy()


def kmeans_plus_plus(points: np.ndarray, k: int, rng: np.random.Generator,
                     weights: np.ndarray | None = None) -> np.ndarray:
    """k-means++ seeding (weights: how many participants each point stands for)."""
    unweighted = weights is None
    weights = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=np.float64)
    xs, ys = np.ascontiguousarray(points[:, 0]), np.ascontiguousarray(points[:, 1])

    def draw(cumulative: np.ndarray) -> int:
        return min(int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right")),
                   len(cumulative) - 1)

    def distances_to(i: int) -> np.ndarray:
        dx, dy = xs - xs[i], ys - ys[i]
        dx *= dx
        dy *= dy
        dx += dy
        return dx

    chosen = [draw(np.cumsum(weights))]
    closest = distances_to(chosen[0])
    for _ in range(1, k):
        cumulative = np.cumsum(closest if unweighted else closest * weights)
        if cumulative[-1] <= 0:  # every mass is >= 0: the total is 0 only when all are
            break
        pick = draw(cumulative)
        chosen.append(pick)
        np.minimum(closest, distances_to(pick), out=closest)
    return points[chosen].copy()


def inertia(points: np.ndarray, centers: np.ndarray, weights: np.ndarray) -> float:
    return float(np.sum(weights * np.min(squared_distances(points, centers), axis=1)))


def base_clusters(points: np.ndarray, k: int, rng: np.random.Generator, previous: np.ndarray | None = None,
                  max_iters: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Up to k base clusters of participant positions; from the previous centres when there are some.

    With no more distinct positions than k, every distinct position is its own cluster (as in Pol.is). A warm
    start keeps the previous centres and, like Pol.is's clean-start-clusters, adds the most distant point as a new
    centre while there are fewer centres than k and distinct points allow."""
    if previous is not None and len(previous) >= min(k, len(points)):
        centers = previous  # the usual warm start: nothing to top up
    elif len(distinct := distinct_rows(points)) <= k:
        centers = distinct
    elif previous is not None and len(previous):
        centers = previous.copy()
        target = min(k, len(distinct))
        while len(centers) < target:
            far = np.min(squared_distances(distinct, centers), axis=1)
            if far.max() <= 0:
                break
            centers = np.vstack([centers, distinct[np.argmax(far)]])
    else:
        # k-means++ over all points (= distinct ones weighted by multiplicity). Pol.is starts from the first k
        # distinct positions and relies on warm starts across its updates; from scratch that start lands in poor
        # local optima here (it halved the agreement with Pol.is's groups on four of six conversations).
        centers = kmeans_plus_plus(points, k, rng)
    return kmeans(points, centers, max_iters=max_iters)


def silhouette(centers: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette over the points (here: base-cluster centres, unweighted, as Pol.is); singletons score 0."""
    k = labels.max() + 1
    if k < 2:
        return 0.0
    dist = np.sqrt(squared_distances(centers, centers))
    onehot = np.eye(k)[labels]  # (n, k)
    sizes = onehot.sum(axis=0)
    sums = dist @ onehot  # distance from each point to all members of each cluster
    own = sizes[labels] - 1
    a = np.divide(sums[np.arange(len(labels)), labels], own, out=np.zeros(len(labels)), where=own > 0)
    mean_other = np.where(sizes[None, :] > 0, sums / np.maximum(sizes[None, :], 1), np.inf)
    mean_other[np.arange(len(labels)), labels] = np.inf
    b = mean_other.min(axis=1)
    denom = np.maximum(a, b)
    s = np.divide(b - a, denom, out=np.zeros(len(labels)), where=denom > 0)
    s[own == 0] = 0.0
    return float(s.mean())


def kmeans_runs(points: np.ndarray, starts: list[np.ndarray], weights: np.ndarray, max_iters: int = 100,
                tol: float = 0.01) -> list[tuple[np.ndarray, np.ndarray]]:
    """`kmeans(points, start, weights, max_iters, tol)` for each start, run side by side: one NumPy step serves
    every run still iterating, instead of one per run (group k-means is many small runs: 2-5 groups of 100 base
    clusters, several starts each, where the per-call overhead is the cost). Same steps, same stopping rules and
    same results as the one-run function: a run stops when its assignment is stable or no centre moved by `tol`,
    and a cluster that loses all its members is dropped (masked here, then removed)."""
    n, runs = len(points), len(starts)
    if runs == 0:
        return []
    width = max(len(start) for start in starts)
    centers = np.zeros((runs, width, points.shape[1]))
    alive = np.zeros((runs, width), dtype=bool)
    for r, start in enumerate(starts):
        centers[r, : len(start)] = start
        alive[r, : len(start)] = True
    weights = np.asarray(weights, dtype=np.float64)
    # Every run weighs the points alike: the weights of the first r runs, end to end, are a prefix of these.
    tiled = [np.tile(w, runs) for w in (weights, *(weights * points[:, d] for d in range(points.shape[1])))]
    squares = np.einsum("ij,ij->i", points, points)
    labels = np.full((runs, n), -1)
    active = np.ones(runs, dtype=bool)

    def assign(which: np.ndarray) -> np.ndarray:
        chosen = centers[which]
        out = points[None, :, :] @ (-2.0 * chosen.transpose(0, 2, 1))
        out += squares[None, :, None]
        out += np.einsum("rkd,rkd->rk", chosen, chosen)[:, None, :]
        np.maximum(out, 0.0, out=out)
        out[~np.broadcast_to(alive[which][:, None, :], out.shape)] = np.inf
        return np.argmin(out, axis=2)

    for _ in range(max_iters):
        which = np.flatnonzero(active)
        if len(which) == 0:
            break
        new_labels = assign(which)
        stable = np.all(new_labels == labels[which], axis=1)
        active[which[stable]] = False
        which, new_labels = which[~stable], new_labels[~stable]
        if len(which) == 0:
            break
        labels[which] = new_labels
        flat = (np.arange(len(which))[:, None] * width + new_labels).ravel()
        size = len(which) * width
        mass, *sums = (np.bincount(flat, weights=w[: len(flat)], minlength=size).reshape(len(which), width)
                       for w in tiled)
        sums = np.stack(sums, axis=2)
        live = alive[which]
        filled = mass > 0
        moved = np.divide(sums, mass[:, :, None], out=np.zeros_like(sums), where=filled[:, :, None])
        lost = (live & ~filled).any(axis=1)
        for r, run in enumerate(which[lost]):  # a cluster emptied: drop it and assign again
            index = np.flatnonzero(lost)[r]
            keep = filled[index]
            centers[run, keep] = moved[index, keep]
            alive[run] &= keep
            labels[run] = -1
        kept = ~lost
        runs_kept = which[kept]
        if len(runs_kept) == 0:
            continue
        shift = np.sum((moved[kept] - centers[runs_kept]) ** 2, axis=2)
        shift[~alive[runs_kept]] = -np.inf
        settled = shift.max(axis=1) < tol * tol
        centers[runs_kept] = np.where(alive[runs_kept][:, :, None], moved[kept], centers[runs_kept])
        done = runs_kept[settled]
        if len(done):
            labels[done] = assign(done)
            active[done] = False
    leftover = np.flatnonzero(active)  # max_iters reached: a last assignment, as the one-run function
    if len(leftover):
        labels[leftover] = assign(leftover)
    results = []
    for r in range(runs):
        keep = alive[r]
        renumber = np.cumsum(keep) - 1
        results.append((centers[r, keep].copy(), renumber[labels[r]]))
    return results


def group_clusterings(centers: np.ndarray, weights: np.ndarray, ks: list[int], rng: np.random.Generator,
                      previous: dict[int, np.ndarray] | None = None, restarts: int = 8,
                      max_iters: int = 100) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Weighted k-means of base-cluster centres into k groups, for each k in `ks`: the best (least weighted
    inertia) of a warm start from `previous[k]`, Pol.is's own start (the first k distinct centres) and seeded
    k-means++ restarts. Every start of every k runs side by side (`kmeans_runs`); the random draws happen in the
    same order as k by k."""
    previous = previous or {}
    n_distinct = len(distinct_rows(centers))
    plan: list[tuple[int, int]] = []  # (k, start index)
    starts: list[np.ndarray] = []
    for wanted in ks:
        k = min(wanted, n_distinct)
        own = []
        warm = previous.get(wanted)
        if warm is not None and len(warm) == k:
            own.append(warm)
        if not own or restarts:
            own.append(first_distinct(centers, k))
        own.extend(kmeans_plus_plus(centers, k, rng, weights) for _ in range(restarts))
        plan.extend((wanted, len(starts) + i) for i in range(len(own)))
        starts.extend(own)
    found = kmeans_runs(centers, starts, weights, max_iters=max_iters)
    chosen: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    best: dict[int, float] = {}
    for wanted, index in plan:
        result = found[index]
        if wanted not in chosen:
            chosen[wanted] = result  # every start lost a cluster: keep what the first one found
        k = min(wanted, n_distinct)
        if len(result[0]) != k:
            continue
        score = inertia(centers, result[0], weights)
        if wanted not in best or score < best[wanted] - 1e-9:
            best[wanted] = score
            chosen[wanted] = result
    return chosen


def group_clusters(centers: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator,
                   previous: np.ndarray | None = None, restarts: int = 8,
                   max_iters: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Weighted k-means of base-cluster centres into k groups (see `group_clusterings`)."""
    return group_clusterings(centers, weights, [k], rng, {k: previous} if previous is not None else None,
                             restarts, max_iters)[k]


def match_labels(previous: np.ndarray, current: np.ndarray, k: int) -> np.ndarray:
    """Renumber `current` labels (0..k-1) to agree as much as possible with `previous` (-1: no label)."""
    known = previous >= 0
    if not known.any() or k > 7:
        return np.arange(k)
    overlap = np.zeros((k, max(k, int(previous.max()) + 1)))
    np.add.at(overlap, (current[known], previous[known]), 1)
    best_perm, best_score = tuple(range(k)), -1.0
    for perm in itertools.permutations(range(overlap.shape[1]), k):
        score = overlap[np.arange(k), perm].sum()
        if score > best_score:
            best_perm, best_score = perm, score
    return np.array(best_perm)


def adjusted_rand_index(labels_a, labels_b) -> float:
    """Hubert-Arabie adjusted Rand index of two labelings of the same items."""
    _, a = np.unique(np.asarray(labels_a), return_inverse=True)
    _, b = np.unique(np.asarray(labels_b), return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)

    def pairs(x):
        return float(np.sum(x * (x - 1) / 2))

    total = pairs(np.array([len(a)]))
    index, rows, cols = pairs(table), pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / total if total else 0.0
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
