"""A thin wrapper over HiGHS (highspy) for the small linear programs of LEXIMIN."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
from scipy.sparse import csc_matrix


def _banner_to_stderr() -> None:
    """HiGHS prints its banner on standard output the first time a solver is made in a process, which would
    corrupt JSON printed by the CLI; make that first solver while standard output points at standard error."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_banner_to_stderr()


@dataclass(frozen=True)
class LPSolution:
    optimal: bool
    x: np.ndarray
    row_duals: np.ndarray
    objective: float


def minimise(cost: np.ndarray, lower: np.ndarray, upper: np.ndarray, matrix: np.ndarray | csc_matrix,
             row_lower: np.ndarray, row_upper: np.ndarray, *, interior: bool = False) -> LPSolution:
    """min cost·x subject to row_lower <= matrix·x <= row_upper and lower <= x <= upper.

    `interior=True` uses the interior-point method without crossover: the solution then lies near the centre of
    the optimal face, so a dual variable is positive only when its constraint binds in every optimum; LEXIMIN
    relies on that to fix many probabilities at once.
    """
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    if interior:
        highs.setOptionValue("solver", "ipm")
        highs.setOptionValue("run_crossover", "off")
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
    highs.passModel(lp)
    highs.run()
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    solution = highs.getSolution()
    return LPSolution(optimal, np.array(solution.col_value), np.array(solution.row_dual),
                      float(highs.getInfo().objective_function_value))
