"""The panel-finding integer program, on compositions (members per group), solved by HiGHS through SciPy.

    maximise   Σ_g w_g c_g
    subject to Σ_g c_g = k,  min_q <= Σ_{g in q} c_g <= max_q  (every quota q),
               Σ_{g in h} c_g <= 1  (every shared household h),  0 <= c_g <= |g| integer.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, vstack

from comuna.choice.sortition.quotas import SelectionProblem

# The pricing problem must be solved to optimality, not to HiGHS's default 0.01% gap, or column generation
# could stop early with panels that look sufficient but are not.
_MIP_OPTIONS = {"mip_rel_gap": 1e-9, "presolve": True}


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
        self._default_constraints = self.constraints()

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
        constraints = self._default_constraints if low is None and high is None else self.constraints(low, high)
        result = milp(-np.asarray(weights, dtype=float), constraints=constraints,
                      integrality=self._integrality, bounds=self._bounds, options=_MIP_OPTIONS)
        if result.status == 2:  # infeasible
            return None
        if result.x is None:
            raise RuntimeError(f"HiGHS could not solve the panel-finding program: {result.message}")
        return np.rint(result.x).astype(np.int64)
