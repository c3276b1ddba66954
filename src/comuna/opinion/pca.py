"""Pol.is's PCA: power iteration on the column-mean-imputed vote matrix, and its sparsity-aware projection.

Pol.is (math/src/polismath/math/pca.clj) fills a missing vote with its statement's mean vote, centres the
columns, and finds each component by power iteration on XᵀX (starting from the previous run's components, or a
random vector), factoring each found component out before the next. We run the same iteration on the centred
Gram matrix G = XᵀX (m × m, built from co-vote moments, see matrix.py), which is the same operator and costs
O(m²) per step instead of O(n·m). Statements moderated out are zeroed columns in Pol.is: they carry no variance.

Projection (pca.clj, sparsity-aware-project-ptpt): a participant's coordinates use only the statements they
voted on, x·pc summed over their votes after centring, then scaled by sqrt(statements / max(votes, 1)) so people
who voted on little are not bunched at the centre.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class PCA:
    center: np.ndarray  # (m,) mean vote per statement
    components: np.ndarray  # (2, m) unit vectors
    iterations: int = 0


def centred_gram(S: np.ndarray, A: np.ndarray, N: np.ndarray, mean: np.ndarray,  # noqa: N803
                 excluded: np.ndarray) -> np.ndarray:
    """G[j,k] = Σ_i m_ij m_ik (x_ij - μ_j)(x_ik - μ_k), with excluded (moderated-out) statements zeroed."""
    a_mu = A * mean[None, :]
    gram = S - a_mu - a_mu.T + np.outer(mean, mean) * N
    if excluded.any():
        gram[excluded, :] = 0.0
        gram[:, excluded] = 0.0
    return gram


def power_iteration(gram: np.ndarray, start: np.ndarray, against: list[np.ndarray], max_iters: int,
                    tol: float) -> tuple[np.ndarray, int]:
    """The dominant eigenvector of `gram` restricted to the complement of `against` (already found components).

    Factoring the found components out of the vector at each step is Pol.is's factor-matrix (Gram-Schmidt on the
    data) applied to the operator instead of the data. Stops when the vector moves less than `tol`."""
    vector = start.astype(np.float64, copy=True)
    for pc in against:
        vector -= pc * (pc @ vector)
    norm = np.linalg.norm(vector)
    if norm == 0.0:
        return vector, 0
    vector /= norm
    for iteration in range(1, max_iters + 1):
        product = gram @ vector
        for pc in against:
            product -= pc * (pc @ product)
        norm = np.linalg.norm(product)
        if norm == 0.0:
            return np.zeros_like(vector), iteration
        product /= norm
        if np.linalg.norm(product - vector) < tol:
            return product, iteration
        vector = product
    return vector, max_iters


def fit_pca(gram: np.ndarray, center: np.ndarray, start_vectors: np.ndarray | None, rng: np.random.Generator,
            n_components: int = 2, max_iters: int = 1000, tol: float = 1e-10) -> PCA:
    m = gram.shape[0]
    components = np.zeros((n_components, m))
    found: list[np.ndarray] = []
    total = 0
    for c in range(n_components):
        start = None
        if start_vectors is not None and c < len(start_vectors):
            previous = start_vectors[c]
            # Pol.is pads a previous component with ones for statements that arrived since.
            start = np.concatenate([previous, np.ones(m - len(previous))]) if len(previous) < m else previous[:m]
            if not np.any(start):
                start = None
        if start is None:
            start = rng.random(m)
        vector, iters = power_iteration(gram, start, found, max_iters, tol)
        total += iters
        components[c] = vector
        found.append(vector)
    return PCA(center=center, components=components, iterations=total)


def project_participants(values: np.ndarray, voted: np.ndarray, pca: PCA, n_statements: int,
                         excluded: np.ndarray) -> np.ndarray:
    """Sparsity-aware projection of every row: (n, 2).

    Pol.is zeroes moderated-out columns for everyone, so they count as votes in the scaling factor; statements
    nobody voted on are not columns of Pol.is's matrix and count for nothing (`n_statements` excludes them)."""
    comps = pca.components.T.astype(np.float32)  # (m, 2)
    shift = (pca.center[:, None] * pca.components.T).astype(np.float32)
    raw = values @ comps - voted @ shift  # Σ over voted cells of (x - μ)·pc; missing cells add nothing
    n_votes = voted[:, ~excluded].sum(axis=1, dtype=np.float64) + float(excluded.sum())
    scale = np.sqrt(n_statements / np.maximum(n_votes, 1.0))
    return raw.astype(np.float64) * scale[:, None]


def statement_projection(pca: PCA, n_statements: int) -> np.ndarray:
    """Where a participant who agreed with only statement j would land (Pol.is's comment projection): (m, 2)."""
    return (np.sqrt(n_statements) * (1.0 - pca.center))[:, None] * pca.components.T


def statement_extremity(pca: PCA, n_statements: int) -> np.ndarray:
    return np.linalg.norm(statement_projection(pca, n_statements), axis=1)
