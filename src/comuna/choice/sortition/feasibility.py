"""When no panel meets the quotas: which quotas conflict, and the smallest relaxation that fixes them.

* The conflict is an irreducible infeasible set of quota bounds (deletion filter): dropping any one of the
  named bounds makes a panel possible again (the panel size, the pool and the one-per-household rule always
  count).
* The suggestion is the relaxation of least total cost (an integer program). As in the Sortition Foundation's
  app, lowering a small minimum costs more than raising a maximum: lowering a minimum m by one costs 1 + 2/m.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, hstack, identity, vstack

from comuna.choice.sortition.compositions import CompositionSolver
from comuna.choice.sortition.pool import Quota
from comuna.choice.sortition.quotas import SelectionProblem


@dataclass(frozen=True)
class QuotaBound:
    quota: Quota
    side: str  # "min" or "max"

    def describe(self) -> str:
        if self.side == "min":
            return f"at least {self.quota.min} with {self.quota.category}={self.quota.feature}"
        return f"at most {self.quota.max} with {self.quota.category}={self.quota.feature}"


class InfeasibleQuotasError(ValueError):
    """No panel of the requested size meets the quotas."""

    def __init__(self, problem: SelectionProblem, conflict: list[QuotaBound], relaxed: list[Quota] | None):
        self.conflict = conflict
        self.relaxed = relaxed  # every quota, relaxed where needed; None if even relaxing cannot help
        self.changes = [(old, new) for old, new in zip(problem.quotas, relaxed or [], strict=False) if old != new]
        lines = [f"No panel of {problem.panel_size} from these {problem.pool.size} volunteers meets the quotas."]
        if conflict:
            lines.append("These quotas cannot be met together: " + "; ".join(b.describe() for b in conflict) + ".")
        else:
            lines.append("The panel size cannot be reached even without quotas "
                         "(too few volunteers at distinct addresses).")
        for old, new in self.changes:
            if new.min < old.min:
                lines.append(f"Suggestion: lower the minimum of {old.category}={old.feature} from {old.min} to {new.min}.")
            if new.max > old.max:
                lines.append(f"Suggestion: raise the maximum of {old.category}={old.feature} from {old.max} to {new.max}.")
        super().__init__("\n".join(lines))


def _feasible(problem: SelectionProblem, low: np.ndarray, high: np.ndarray) -> bool:
    return CompositionSolver(problem).best(np.zeros(len(problem.groups)), low, high) is not None


def _conflict(problem: SelectionProblem) -> list[QuotaBound]:
    low, high = problem.quota_bounds()
    free_high = float(problem.panel_size)
    active = [(q, side) for q in range(len(problem.quotas)) for side in ("min", "max")]
    # A bound that is already as loose as possible cannot be part of the conflict.
    active = [(q, side) for q, side in active if (low[q] > 0 if side == "min" else high[q] < free_high)]
    kept: list[tuple[int, str]] = []
    for position, candidate in enumerate(active):
        trial_low, trial_high = np.zeros_like(low), np.full_like(high, free_high)
        for q, side in kept + active[position + 1:]:
            if side == "min":
                trial_low[q] = low[q]
            else:
                trial_high[q] = high[q]
        if _feasible(problem, trial_low, trial_high):
            kept.append(candidate)  # needed for the conflict
    return [QuotaBound(problem.quotas[q], side) for q, side in kept]


def _relaxation(problem: SelectionProblem) -> list[Quota] | None:
    groups, quotas = len(problem.groups), len(problem.quotas)
    low, high = problem.quota_bounds()
    incidence = csr_matrix(problem.incidence)
    eye = identity(quotas, format="csr")
    zeros = csr_matrix((quotas, quotas))
    households = csr_matrix(problem.household_matrix())
    # Variables: c_g (members per group), lower_q (how much each minimum drops), raise_q (each maximum rises).
    size_row = hstack([csr_matrix(np.ones((1, groups))), csr_matrix((1, 2 * quotas))])
    min_rows = hstack([incidence, eye, zeros])       # count + lower >= min
    max_rows = hstack([incidence, zeros, -eye])      # count - raise <= max
    household_rows = hstack([households, csr_matrix((households.shape[0], 2 * quotas))])
    constraints = LinearConstraint(
        vstack([size_row, min_rows, max_rows, household_rows], format="csr"),
        np.concatenate([[problem.panel_size], low, np.full(quotas, -np.inf), np.zeros(households.shape[0])]),
        np.concatenate([[problem.panel_size], np.full(quotas, np.inf), high, np.ones(households.shape[0])]),
    )
    lowering_cost = np.where(low > 0, 1.0 + 2.0 / np.maximum(low, 1.0), 0.0)
    cost = np.concatenate([np.zeros(groups), lowering_cost, np.ones(quotas)])
    upper = np.concatenate([problem.group_sizes.astype(float), low, np.full(quotas, float(problem.panel_size))])
    result = milp(cost, constraints=constraints, integrality=np.ones(groups + 2 * quotas),
                  bounds=Bounds(np.zeros(groups + 2 * quotas), upper))
    if result.x is None:
        return None
    lowered = np.rint(result.x[groups:groups + quotas]).astype(int)
    raised = np.rint(result.x[groups + quotas:]).astype(int)
    return [Quota(q.category, q.feature, q.min - int(d), q.max + int(r))
            for q, d, r in zip(problem.quotas, lowered, raised, strict=True)]


def explain_infeasibility(problem: SelectionProblem) -> InfeasibleQuotasError:
    """The error to raise for a problem known to have no valid panel."""
    return InfeasibleQuotasError(problem, _conflict(problem), _relaxation(problem))
