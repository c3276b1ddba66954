"""LEXIMIN panel selection (Flanigan, Gölz, Gupta, Hennig, Procaccia, Nature 596, 2021).

Among all distributions over valid panels, LEXIMIN maximises the lowest selection probability, then the next
lowest, and so on. Following the paper, each stage solves, by column generation,

    maximise z  s.t.  π_g >= z (groups not yet fixed),  π_g >= p_g (fixed groups),  Σ_P x_P <= 1,  x >= 0,

where π_g = Σ_P x_P c_{P,g} / |g| is the selection probability of a member of group g (see `quotas` for why
groups of interchangeable volunteers can stand for volunteers). We solve its dual

    minimise ŷ - Σ_fixed p_g y_g  s.t.  Σ_g y_g c_{P,g} / |g| <= ŷ  (known compositions P),  Σ_unfixed y_g = 1,

and the pricing integer program (`compositions`) looks for a composition that violates a dual constraint; when
none does, the stage is optimal. Dual variables y_g > 0 mark groups whose probability cannot exceed the stage's
optimum in any LEXIMIN solution; those are fixed, and the next stage raises the rest. A final LP finds weights
on the known compositions that give every group its fixed probability.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from comuna.choice.sortition.compositions import CompositionSolver
from comuna.choice.sortition.draw import PanelDistribution
from comuna.choice.sortition.feasibility import explain_infeasibility
from comuna.choice.sortition.lp import DualMaster, minimise
from comuna.choice.sortition.quotas import SelectionProblem

# A composition enters the LP when it beats the dual bound by more than this (in probability units).
PRICING_GAP = 1e-9
# A dual weight above this marks a group as held at the stage's optimum (the weights of a stage add up to 1).
FIX_THRESHOLD = 1e-6
# Probabilities are fixed this far below the stage's optimum, so later stages stay feasible despite round-off.
FIX_SLACK = 1e-9


@dataclass
class LeximinReport:
    """How the computation went (for benchmarks and logs)."""

    stages: int = 0
    pricing_calls: int = 0
    relaxations: int = 0
    compositions: int = 0
    lowest_per_stage: list[float] = field(default_factory=list)


class _Columns:
    """The known valid compositions, kept as rows of probabilities per member (c_{P,g} / |g|)."""

    def __init__(self, sizes: np.ndarray) -> None:
        self.sizes = sizes.astype(float)
        self.counts: list[tuple[int, ...]] = []
        self._seen: set[tuple[int, ...]] = set()

    def add(self, counts: np.ndarray) -> bool:
        key = tuple(int(c) for c in counts)
        if key in self._seen:
            return False
        self._seen.add(key)
        self.counts.append(key)
        return True

    def shares(self) -> np.ndarray:
        return np.array(self.counts, dtype=float) / self.sizes


def _initial_columns(solver: CompositionSolver, columns: _Columns, rounds: int) -> np.ndarray:
    """A varied start (a few multiplicative-weights rounds), then one composition per coverable group.

    Returns a mask of the groups that no valid panel can include (their probability is 0).
    """
    groups = len(columns.sizes)
    weights = np.ones(groups)
    for _ in range(rounds):
        counts = solver.best(weights)
        share = counts / columns.sizes
        weights *= 0.8 ** share  # groups just served weigh less, so the next panel favours the others
        weights *= groups / weights.sum()
        if not columns.add(counts):
            weights = 0.9 * weights + 0.1
    covered = np.zeros(groups, dtype=bool)
    for counts in columns.counts:
        covered |= np.array(counts) > 0
    impossible = np.zeros(groups, dtype=bool)
    for g in np.flatnonzero(~covered):
        if covered[g]:
            continue
        target = np.full(groups, 1e-3)
        target[g] = float(groups)
        counts = solver.best(target)
        if counts[g] == 0:
            impossible[g] = True
            continue
        columns.add(counts)
        covered |= counts > 0
    return impossible


def _stage(solver: CompositionSolver, columns: _Columns, fixed: np.ndarray, report: LeximinReport
           ) -> tuple[float, np.ndarray]:
    """Column generation for one stage; returns the stage's optimum and the dual weight of each group.

    Steps use the dual simplex from the previous basis (fast); once no composition improves on its duals, the
    interior-point solution (needed to fix groups, see `lp.minimise`) is priced too, and the loop goes on if a
    composition still improves on it.
    """
    master = DualMaster(columns.shares(), fixed)
    interior = False
    vertex_optimum = np.nan
    while True:
        solution = master.solve(interior=interior)
        if not solution.optimal:
            # Round-off made the fixed probabilities slightly unreachable: lower them a little and start over.
            report.relaxations += 1
            settled = ~np.isnan(fixed)
            fixed[settled] = np.maximum(0.0, fixed[settled] - 1e-7)
            master, interior = DualMaster(columns.shares(), fixed), False
            continue
        if not interior:
            vertex_optimum = solution.objective  # the simplex optimum is exact; the interior one is not quite
        groups = len(columns.sizes)
        duals, bound = solution.x[:groups], solution.x[groups]
        weights = duals / columns.sizes
        report.pricing_calls += 1
        added = [counts for counts in solver.good(weights, bound + PRICING_GAP) if columns.add(counts)]
        for counts in added:
            master.add(counts / columns.sizes)
        if added:
            interior = False
        elif interior:
            return vertex_optimum, duals
        else:
            interior = True


def leximin_distribution(problem: SelectionProblem, report: LeximinReport | None = None) -> PanelDistribution:
    """The LEXIMIN distribution over valid panels of `problem`.

    Raises `InfeasibleQuotasError` (naming the conflicting quotas and a relaxation) when no panel exists.
    """
    report = report if report is not None else LeximinReport()
    solver = CompositionSolver(problem)
    sizes = problem.group_sizes
    if solver.best(np.ones(len(sizes))) is None:
        raise explain_infeasibility(problem)
    columns = _Columns(sizes)
    impossible = _initial_columns(solver, columns, rounds=min(len(sizes), 20))
    fixed = np.full(len(sizes), np.nan)
    fixed[impossible] = 0.0
    while np.isnan(fixed).any():
        report.stages += 1
        lowest, duals = _stage(solver, columns, fixed, report)
        report.lowest_per_stage.append(lowest)
        unfixed = np.isnan(fixed)
        tight = unfixed & (duals > FIX_THRESHOLD)
        if not tight.any():  # cannot happen with exact arithmetic (the weights add up to 1); stay safe
            tight = unfixed & (duals == duals[unfixed].max())
        fixed[tight] = max(0.0, lowest - FIX_SLACK)
    report.compositions = len(columns.counts)
    weights = _final_weights(columns, fixed)
    volunteers = problem.pool.ids
    return PanelDistribution.from_weights(volunteers, problem.groups, columns.counts, weights, problem.panel_size)


def _final_weights(columns: _Columns, fixed: np.ndarray) -> np.ndarray:
    """Weights on the known compositions giving each group its fixed probability.

    The margin ε is free: minimising it spreads any surplus (the fixed values sit FIX_SLACK below the optimum)
    evenly instead of handing it all to one group.
    """
    shares = columns.shares()
    panels, groups = shares.shape
    # Variables: x_P for each composition, then the margin ε (π_g + ε >= fixed_g). Minimise ε.
    matrix = np.zeros((1 + groups, panels + 1))
    matrix[0, :panels] = 1.0
    matrix[1:, :panels] = shares.T
    matrix[1:, panels] = 1.0
    cost = np.zeros(panels + 1)
    cost[panels] = 1.0
    row_lower = np.concatenate([[1.0], fixed])
    row_upper = np.concatenate([[1.0], np.full(groups, np.inf)])
    lower = np.concatenate([np.zeros(panels), [-1.0]])
    solution = minimise(cost, lower, np.full(panels + 1, np.inf), matrix, row_lower, row_upper)
    if not solution.optimal:
        raise RuntimeError("HiGHS could not solve the final LEXIMIN program")
    return np.maximum(solution.x[:panels], 0.0)
