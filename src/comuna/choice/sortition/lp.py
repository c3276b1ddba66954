"""A thin wrapper over HiGHS (highspy) for the small linear programs of LEXIMIN."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
from scipy.sparse import csc_matrix


def _first_solver() -> bool:
    """Make the process's first HiGHS solver, and say whether solvers may run on one thread.

    HiGHS prints its banner on standard output the first time a solver is made, which would corrupt JSON
    printed by the CLI: it is made while standard output points at standard error. HiGHS's thread pool is
    global and sized by the first solve; one thread is much faster for these small programs on a shared
    machine, but asking for it fails if something else in the process already started the pool larger.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        highs = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.addVar(0.0, 1.0)
    highs.run()
    return highs.getModelStatus() == highspy.HighsModelStatus.kOptimal


_ONE_THREAD = _first_solver()


@dataclass(frozen=True)
class LPSolution:
    optimal: bool
    x: np.ndarray
    row_duals: np.ndarray
    objective: float


def new_highs(**options: object) -> highspy.Highs:
    """A silent HiGHS instance with the given options."""
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    if _ONE_THREAD:
        highs.setOptionValue("threads", 1)
    for name, value in options.items():
        highs.setOptionValue(name, value)
    return highs


def load(highs: highspy.Highs, cost: np.ndarray, lower: np.ndarray, upper: np.ndarray,
         matrix: np.ndarray | csc_matrix, row_lower: np.ndarray, row_upper: np.ndarray,
         integer: bool = False) -> None:
    """Pass the model min cost·x s.t. row_lower <= matrix·x <= row_upper, lower <= x <= upper."""
    matrix = csc_matrix(matrix)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(lower, dtype=float)
    lp.col_upper_ = np.asarray(upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(float)
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * matrix.shape[1]
    highs.passModel(lp)


def solve(highs: highspy.Highs) -> LPSolution:
    highs.run()
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    solution = highs.getSolution()
    return LPSolution(optimal, np.array(solution.col_value), np.array(solution.row_dual),
                      float(highs.getInfo().objective_function_value))


def minimise(cost: np.ndarray, lower: np.ndarray, upper: np.ndarray, matrix: np.ndarray | csc_matrix,
             row_lower: np.ndarray, row_upper: np.ndarray, *, interior: bool = False) -> LPSolution:
    """min cost·x subject to row_lower <= matrix·x <= row_upper and lower <= x <= upper.

    `interior=True` uses the interior-point method without crossover: the solution then lies near the centre of
    the optimal face, so a dual variable is positive only when its constraint binds in every optimum; LEXIMIN
    relies on that to fix many probabilities at once.
    """
    highs = new_highs(**({"solver": "ipm", "run_crossover": "off"} if interior else {}))
    load(highs, cost, lower, upper, matrix, row_lower, row_upper)
    return solve(highs)


class DualMaster:
    """The dual LP of one LEXIMIN stage, kept in HiGHS between column-generation steps.

        minimise ŷ - Σ_fixed p_g y_g  s.t.  Σ_unfixed y_g = 1,  Σ_g share_{P,g} y_g - ŷ <= 0 (each known P),
                 y, ŷ >= 0.

    New compositions are new rows, so the dual simplex restarts from the previous basis (milliseconds per step).
    """

    def __init__(self, shares: np.ndarray, fixed: np.ndarray) -> None:
        groups = shares.shape[1]
        self.groups = groups
        unfixed = np.isnan(fixed)
        matrix = np.zeros((1 + len(shares), groups + 1))
        matrix[0, :groups] = unfixed
        matrix[1:, :groups] = shares
        matrix[1:, groups] = -1.0
        cost = np.concatenate([-np.where(unfixed, 0.0, fixed), [1.0]])
        self.highs = new_highs()
        load(self.highs, cost, np.zeros(groups + 1), np.full(groups + 1, np.inf), matrix,
             np.concatenate([[1.0], np.full(len(shares), -np.inf)]),
             np.concatenate([[1.0], np.zeros(len(shares))]))

    def add(self, share: np.ndarray) -> None:
        columns = np.flatnonzero(share)
        indices = np.concatenate([columns, [self.groups]]).astype(np.int32)
        values = np.concatenate([share[columns], [-1.0]])
        self.highs.addRows(1, np.array([-np.inf]), np.array([0.0]), len(indices),
                           np.array([0], dtype=np.int32), indices, values)

    def solve(self, *, interior: bool = False) -> LPSolution:
        self.highs.setOptionValue("solver", "ipm" if interior else "simplex")
        self.highs.setOptionValue("run_crossover", "off" if interior else "on")
        return solve(self.highs)
