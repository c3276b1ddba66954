"""The panel-finding integer program, on compositions (members per group), solved by HiGHS.

    maximise   Σ_g w_g c_g
    subject to Σ_g c_g = k,  min_q <= Σ_{g in q} c_g <= max_q  (every quota q),
               Σ_{g in h} c_g <= 1  (every shared household h),  0 <= c_g <= |g| integer.
"""

from __future__ import annotations

import highspy
import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, vstack

from comuna.choice.sortition.lp import load, new_highs
from comuna.choice.sortition.quotas import SelectionProblem

# Proving optimality matters (column generation stops when the best composition is not good enough), so the
# exact search closes the gap completely; a quick search with a loose gap is tried first, since any composition
# that is good enough will do.
_EXACT = {"mip_rel_gap": 1e-9, "mip_abs_gap": 1e-12}
_QUICK = {"mip_rel_gap": 1e-3, "mip_abs_gap": 1e-9}


class CompositionSolver:
    """Finds valid compositions maximising a weight per group; quotas can be overridden for relaxations."""

    def __init__(self, problem: SelectionProblem) -> None:
        self.problem = problem
        groups = len(problem.groups)
        self._size_row = csr_matrix(np.ones((1, groups)))
        self._quota_rows = csr_matrix(problem.incidence)
        self._household_rows = csr_matrix(problem.household_matrix())
        self._bounds = Bounds(np.zeros(groups), problem.group_sizes.astype(float))
        self._integrality = np.ones(groups)
        self._highs = None  # the persistent HiGHS model for the default quotas, made on first use

    def constraints(self, low: np.ndarray | None = None, high: np.ndarray | None = None) -> LinearConstraint:
        default_low, default_high = self.problem.quota_bounds()
        low = default_low if low is None else low
        high = default_high if high is None else high
        k = float(self.problem.panel_size)
        households = self._household_rows.shape[0]
        matrix = vstack([self._size_row, self._quota_rows, self._household_rows], format="csr")
        lower = np.concatenate([[k], low, np.zeros(households)])
        upper = np.concatenate([[k], high, np.ones(households)])
        return LinearConstraint(matrix, lower, upper)

    def best(self, weights: np.ndarray, low: np.ndarray | None = None,
             high: np.ndarray | None = None) -> np.ndarray | None:
        """The composition of maximum total weight, or None when the (possibly overridden) quotas are infeasible."""
        if low is not None or high is not None:
            result = milp(-np.asarray(weights, dtype=float), constraints=self.constraints(low, high),
                          integrality=self._integrality, bounds=self._bounds, options={"mip_rel_gap": 1e-9})
            if result.status == 2:  # infeasible
                return None
            if result.x is None:
                raise RuntimeError(f"HiGHS could not solve the panel-finding program: {result.message}")
            return np.rint(result.x).astype(np.int64)
        found = self._solve(weights, _EXACT)
        return found[0] if found else None

    def good(self, weights: np.ndarray, threshold: float) -> list[np.ndarray]:
        """Compositions worth more than `threshold`, best first; empty when none exists (proved).

        Besides the best composition, the improving ones HiGHS met on the way are returned too: adding several
        columns per integer program cuts the number of programs column generation needs.
        """
        for options in (_QUICK, _EXACT):
            found = [counts for counts in self._solve(weights, options, keep_improving=True)
                     if float(counts @ weights) > threshold]
            if found:
                unique = {tuple(counts): counts for counts in found}
                return sorted(unique.values(), key=lambda counts: -float(counts @ weights))
        return []

    def _solve(self, weights: np.ndarray, options: dict[str, float], keep_improving: bool = False
               ) -> list[np.ndarray]:
        """Optimal composition first, then (with `keep_improving`) the improving ones found on the way;
        empty when the quotas are infeasible."""
        if self._highs is None:
            constraints = self.constraints()
            self._highs = new_highs(presolve="on")
            groups = len(self.problem.groups)
            load(self._highs, np.zeros(groups), self._bounds.lb, self._bounds.ub, constraints.A.tocsc(),
                 constraints.lb, constraints.ub, integer=True)
        highs = self._highs
        for name, value in options.items():
            highs.setOptionValue(name, value)
        highs.setOptionValue("mip_improving_solution_save", keep_improving)
        # Scale so the best composition is worth about k: the gaps above are then meaningful.
        scale = float(np.max(np.abs(weights))) or 1.0
        highs.changeColsCost(len(weights), np.arange(len(weights), dtype=np.int32),
                             -np.asarray(weights, dtype=float) / scale)
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return []
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"HiGHS could not solve the panel-finding program ({status})")
        found = [np.rint(np.array(highs.getSolution().col_value)).astype(np.int64)]
        if keep_improving:
            found += [np.rint(np.array(saved.col_value)).astype(np.int64) for saved in highs.getSavedMipSolutions()]
        return found
