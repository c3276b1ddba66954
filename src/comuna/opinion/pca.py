"""Pol.is's PCA: power iteration on the column-mean-imputed vote matrix, and its sparsity-aware projection.

Pol.is (math/src/polismath/math/pca.clj) fills a missing vote with its statement's mean vote, centres the
columns, and finds each component by power iteration on XᵀX (starting from the previous run's components, or a
random vector), factoring each found component out before the next. We iterate on the centred Gram matrix
G = XᵀX (m × m, built from co-vote moments, see matrix.py), which is the same operator and costs O(m²) per step
instead of O(n·m), and iterate the two components as a block (see fit_pca). Statements moderated out are zeroed columns in Pol.is: they carry no variance.

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


def _orthonormal(columns: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the columns' span, as the Q of a QR factorisation (signs aside, which the
    Rayleigh-Ritz step and the orientation rule settle): Gram-Schmidt, twice for accuracy, when there are two
    columns (a LAPACK call costs more than the arithmetic at this size)."""
    if columns.shape[1] != 2:
        return np.linalg.qr(columns)[0]
    first_norm = np.linalg.norm(columns[:, 0])
    if not np.isfinite(first_norm) or first_norm == 0.0:
        return np.linalg.qr(columns)[0]  # G sends the first vector to zero: let LAPACK choose both directions
    first = columns[:, 0] / first_norm
    second = columns[:, 1] - (first @ columns[:, 1]) * first
    second -= (first @ second) * first
    norm = np.linalg.norm(second)
    if not np.isfinite(norm) or norm <= 1e-12 * np.linalg.norm(columns[:, 1]):
        return np.linalg.qr(columns)[0]  # nearly dependent columns: let LAPACK choose the second direction
    return np.stack([first, second / norm], axis=1)


def fit_pca(gram: np.ndarray, center: np.ndarray, start_vectors: np.ndarray | None, rng: np.random.Generator,
            n_components: int = 2, max_iters: int = 1000, tol: float = 1e-9) -> PCA:
    """The top eigenvectors of `gram` by power iteration, started from the previous components when given.

    Pol.is iterates one vector at a time and factors each found component out before the next. We iterate the
    two together (block power iteration: multiply, re-orthonormalise, then a 2 × 2 Rayleigh-Ritz step to order
    them). The fixed point is the same pair of eigenvectors; the block form converges at the rate λ3/λ2 instead
    of λ2/λ1, which matters when the two leading opinion axes are about equally strong, and costs one
    (m × m)·(m × 2) product per step. Stops when the residual ‖G V - V (VᵀG V)‖ falls below `tol`·‖G V‖."""
    m = gram.shape[0]
    k = min(n_components, m)
    components = np.zeros((n_components, m))
    if k == 0:
        return PCA(center=center, components=components)
    start = rng.random((m, k))
    if start_vectors is not None:
        for c in range(min(k, len(start_vectors))):
            previous = np.asarray(start_vectors[c], dtype=np.float64)
            # Pol.is pads a previous component with ones for statements that arrived since.
            padded = np.concatenate([previous, np.ones(m - len(previous))]) if len(previous) < m else previous[:m]
            if np.any(padded):
                start[:, c] = padded
    basis = _orthonormal(start)
    iterations = 0
    for iterations in range(1, max_iters + 1):  # noqa: B007 - the count is reported
        product = gram @ basis
        residual = product - basis @ (basis.T @ product)
        scale = np.linalg.norm(product)
        if scale == 0.0 or np.linalg.norm(residual) <= tol * scale:
            break
        basis = _orthonormal(product)
    ritz = basis.T @ (gram @ basis)
    values, vectors = np.linalg.eigh((ritz + ritz.T) / 2)
    ordered = basis @ vectors[:, np.argsort(-values)]
    for c in range(k):
        vector = ordered[:, c]
        reference = None
        if start_vectors is not None and c < len(start_vectors) and len(start_vectors[c]) == m:
            reference = float(vector @ start_vectors[c])  # keep the previous orientation
        if reference is None or reference == 0.0:
            reference = float(vector[np.argmax(np.abs(vector))])  # fresh: largest entry positive
        components[c] = vector if reference >= 0 else -vector
    return PCA(center=center, components=components, iterations=iterations)


def project_participants(values: np.ndarray, voted: np.ndarray, pca: PCA, n_statements: int,
                         excluded: np.ndarray, votes_per_row: np.ndarray | None = None) -> np.ndarray:
    """Sparsity-aware projection of every row: (n, 2).

    Pol.is zeroes moderated-out columns for everyone, so they count as votes in the scaling factor; statements
    nobody voted on are not columns of Pol.is's matrix and count for nothing (`n_statements` excludes them)."""
    comps = pca.components.T.astype(np.float32)  # (m, 2)
    shift = (pca.center[:, None] * pca.components.T).astype(np.float32)
    raw = values @ comps - voted @ shift  # Σ over voted cells of (x - μ)·pc; missing cells add nothing
    n_votes = (voted.sum(axis=1, dtype=np.float64) if votes_per_row is None
               else votes_per_row[: len(voted)].astype(np.float64))
    if excluded.any():  # their own votes there are replaced by everyone's zero
        n_votes += float(excluded.sum()) - voted[:, excluded].sum(axis=1, dtype=np.float64)
    scale = np.sqrt(n_statements / np.maximum(n_votes, 1.0))
    return raw.astype(np.float64) * scale[:, None]


def statement_projection(pca: PCA, n_statements: int) -> np.ndarray:
    """Where a participant who agreed with only statement j would land (Pol.is's comment projection): (m, 2)."""
    return (np.sqrt(n_statements) * (1.0 - pca.center))[:, None] * pca.components.T


def statement_extremity(pca: PCA, n_statements: int) -> np.ndarray:
    return np.linalg.norm(statement_projection(pca, n_statements), axis=1)
