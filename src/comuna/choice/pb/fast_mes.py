"""Which projects MES funds, in float64, compiled, and trusted only where every decision had a safe margin.

The completions of MES (add1) need the outcome at many amounts of money per voter, but only the set of funded
projects: whether it is exhaustive, whether it overspends. This run computes that set in float64 with a compiled
loop, and tracks the margin of every decision MES makes:
- a project is dropped as unaffordable only if its supporters' money is below its cost by more than TRUST
  (relative), and kept only if it is above by more than TRUST;
- the funded project's price per unit of utility is lower than every other price by more than TRUST (relative).
If any decision is closer than that, the run says so and the caller runs the exact MES (`equal_shares.py`).

Why a margin of TRUST = 1e-8 is safe: the float run computes the same sequence of operations as the exact run,
each amount within a relative 1e-16 of a correctly rounded value; a price sums at most a few thousand terms
(relative error < 1e-12) and each round's money is a difference of such amounts, so after even a thousand rounds
every amount is within 1e-10 (relative to the money per voter) of the exact one. A decision whose float margin
exceeds 1e-8 is therefore the exact decision. Payments near the poor/rich boundary need no margin: paying all one
has and paying price × utility differ there by less than the error bound, and only change later amounts within it.
"""

from __future__ import annotations

import numba
import numpy as np

TRUST = 1e-8


@numba.njit(cache=True, nogil=True)
def _grow(array: np.ndarray, size: int) -> np.ndarray:  # pragma: no cover - compiled
    if size <= array.shape[0]:
        return array
    bigger = np.empty(max(size, 2 * array.shape[0]), dtype=array.dtype)
    bigger[: array.shape[0]] = array
    return bigger


UNAFFORDABLE, UNCERTAIN, PRICED = 0, 1, 2


@numba.njit(cache=True, nogil=True)
def _price(project: int, type_counts: np.ndarray, support_start: np.ndarray,  # pragma: no cover - compiled
           support_type: np.ndarray, support_level: np.ndarray, weight: np.ndarray, multiplier: np.ndarray,
           cost: np.ndarray, type_class: np.ndarray, class_money: np.ndarray, accumulated: np.ndarray,
           touched: np.ndarray, exact: np.ndarray) -> tuple[int, float, int, int]:
    """(UNAFFORDABLE / UNCERTAIN / PRICED, price per unit of utility, numerator, denominator) of one project with
    the money as it is. When every supporter can pay the price, the price is cost / (multiplier × total weight),
    and if `exact` holds (cost, multiplier, integer weights) it is also given as an exact fraction (else 0 / 0).
    `accumulated` must be all zeros and is left so; `touched` is scratch space."""
    levels = weight.shape[0]
    n_touched = 0
    for position in range(support_start[project], support_start[project + 1]):
        voter_type = support_type[position]
        money_class = type_class[voter_type]
        if class_money[money_class] <= 0.0:
            continue
        key = money_class * levels + support_level[position]
        if accumulated[key] == 0.0:
            touched[n_touched] = key
            n_touched += 1
        accumulated[key] += type_counts[voter_type]
    keys = touched[:n_touched].copy()
    available = 0.0
    utility_left = 0.0
    ratio = np.empty(n_touched, dtype=np.float64)
    for i in range(n_touched):
        key = keys[i]
        utility = weight[key % levels] * multiplier[project]
        available += accumulated[key] * class_money[key // levels]
        utility_left += accumulated[key] * utility
        ratio[i] = class_money[key // levels] / utility
    need = cost[project]
    status, price, numerator, denominator = PRICED, np.inf, 0, 0
    if available < need * (1.0 - TRUST):
        status = UNAFFORDABLE
    elif available <= need * (1.0 + TRUST):
        status = UNCERTAIN
    else:
        # pabutools' price: supporters in order of money per utility; the poorer pay all they have.
        remaining_cost = need
        everyone_pays_the_price = True
        for i in np.argsort(ratio):
            key = keys[i]
            count = accumulated[key]
            have = class_money[key // levels]
            utility = weight[key % levels] * multiplier[project]
            if remaining_cost * utility <= have * utility_left:
                price = remaining_cost / utility_left
                break
            everyone_pays_the_price = False
            remaining_cost -= have * count
            utility_left -= utility * count
        if everyone_pays_the_price and exact[0, 0] == 1:
            numerator, denominator = _exact_price(project, keys, accumulated, exact, levels)
    for key in keys:
        accumulated[key] = 0.0
    return status, price, numerator, denominator


@numba.njit(cache=True, nogil=True)
def _exact_price(project: int, keys: np.ndarray, accumulated: np.ndarray, exact: np.ndarray,  # pragma: no cover
                 levels: int) -> tuple[int, int]:
    """cost / (multiplier × total weight) as a reduced fraction of int64s, or 0 / 0 if it would not fit."""
    total_weight = 0.0
    for key in keys:
        total_weight += accumulated[key] * exact[2, key % levels]
    cost, multiplier = exact[1, project], exact[3, project]
    common = np.gcd(cost, multiplier)
    if total_weight * (multiplier // common) >= 2.0 ** 62:
        return 0, 0
    numerator = cost // common
    denominator = (multiplier // common) * np.int64(total_weight)
    common = np.gcd(numerator, denominator)
    numerator, denominator = numerator // common, denominator // common
    if numerator >= 2 ** 31 or denominator >= 2 ** 31:  # so that cross products fit in int64
        return 0, 0
    return numerator, denominator


@numba.njit(cache=True, nogil=True)
def funded_projects(budget_per_voter: float, type_counts: np.ndarray, support_start: np.ndarray,  # pragma: no cover
                    support_type: np.ndarray, support_level: np.ndarray, weight: np.ndarray,
                    multiplier: np.ndarray, cost: np.ndarray, candidates: np.ndarray, tie_rank: np.ndarray,
                    exact: np.ndarray) -> tuple[np.ndarray, bool]:
    """(projects funded by MES in rounds order, whether every decision had a safe margin). `candidates` are the
    supported projects with a positive cost (zero-cost ones are funded before round 1, outside this run);
    `exact` holds [[1 if the next rows are exact]], costs, integer weights and multipliers, for exact ties.

    Prices are evaluated lazily: voters only lose money from one round to the next, so a project's price never
    falls, and the price last computed for it is a lower bound of its price now. Each round recomputes only the
    projects whose bound is the lowest, until one fresh price is below every other bound by the margin. Prices
    closer than the margin are compared exactly where every supporter pays the price (with cost utilities it is
    then 1 / number of supporters: ties between such projects are common and decided by the tie order)."""
    levels = weight.shape[0]
    type_class = np.zeros(type_counts.shape[0], dtype=np.int64)
    class_money = np.empty(1024, dtype=np.float64)
    class_money[0] = budget_per_voter
    n_classes = 1
    alive = candidates.copy()
    n_alive = alive.shape[0]
    bound = np.zeros(n_alive, dtype=np.float64)     # lower bound of each alive project's price
    fresh = np.full(n_alive, -1, dtype=np.int64)     # the round in which that bound was computed
    numerator = np.zeros(n_alive, dtype=np.int64)   # the exact price when known (else 0 / 0)
    denominator = np.zeros(n_alive, dtype=np.int64)
    selected = np.empty(n_alive, dtype=np.int64)
    n_selected = 0
    accumulated = np.zeros(1024 * levels, dtype=np.float64)
    touched = np.empty(1024 * levels, dtype=np.int64)
    new_class_of = np.full(1024 * levels, -1, dtype=np.int64)
    round_number = 0
    while n_alive > 0:
        round_number += 1
        if accumulated.shape[0] < n_classes * levels:
            accumulated = np.zeros(2 * n_classes * levels, dtype=np.float64)
            touched = np.empty(2 * n_classes * levels, dtype=np.int64)
            new_class_of = np.full(2 * n_classes * levels, -1, dtype=np.int64)
        chosen = -1
        while n_alive > 0:
            first = 0
            for index in range(1, n_alive):
                if bound[index] < bound[first]:
                    first = index
            stale = first if fresh[first] != round_number else -1
            limit = bound[first] * (1.0 + TRUST) / (1.0 - TRUST)
            close = 0
            if stale < 0:
                for index in range(n_alive):
                    if index != first and bound[index] <= limit:
                        if fresh[index] != round_number:
                            stale = index
                            break
                        close += 1
            if stale < 0:
                chosen = first
                if close > 0:  # fresh prices too close for float: exact fractions, then the tie order, decide
                    for index in range(n_alive):
                        if bound[index] > limit:
                            continue
                        if numerator[index] == 0:
                            return selected[:n_selected], False
                        left = numerator[index] * denominator[chosen]
                        right = numerator[chosen] * denominator[index]
                        if left < right or (left == right and tie_rank[alive[index]] < tie_rank[alive[chosen]]):
                            chosen = index
                break
            status, price, exact_numerator, exact_denominator = _price(
                alive[stale], type_counts, support_start, support_type, support_level, weight, multiplier, cost,
                type_class, class_money, accumulated, touched, exact)
            if status == UNCERTAIN:
                return selected[:n_selected], False
            if status == UNAFFORDABLE:  # and so for the rest of the run: remove it
                n_alive -= 1
                _move(n_alive, stale, alive, bound, fresh, numerator, denominator)
                continue
            bound[stale], fresh[stale] = price, round_number
            numerator[stale], denominator[stale] = exact_numerator, exact_denominator
        if chosen < 0:
            break
        best, best_price = alive[chosen], bound[chosen]
        n_alive -= 1
        _move(n_alive, chosen, alive, bound, fresh, numerator, denominator)
        # Pay: every (money class, weight level) of the supporters moves to one new class.
        used = 0
        for position in range(support_start[best], support_start[best + 1]):
            voter_type = support_type[position]
            money_class = type_class[voter_type]
            key = money_class * levels + support_level[position]
            target = new_class_of[key]
            if target < 0:
                left = class_money[money_class] - best_price * weight[key % levels] * multiplier[best]
                class_money = _grow(class_money, n_classes + 1)
                class_money[n_classes] = left if left > 0.0 else 0.0
                target = n_classes
                n_classes += 1
                new_class_of[key] = target
                touched[used] = key
                used += 1
            type_class[voter_type] = target
        for i in range(used):
            new_class_of[touched[i]] = -1
        selected[n_selected] = best
        n_selected += 1
    return selected[:n_selected], True


@numba.njit(cache=True, nogil=True)
def _move(source: int, target: int, alive: np.ndarray, bound: np.ndarray, fresh: np.ndarray,  # pragma: no cover
          numerator: np.ndarray, denominator: np.ndarray) -> None:
    """Fill slot `target` with the project in slot `source` (the last one), removing the project at `target`."""
    alive[target], bound[target], fresh[target] = alive[source], bound[source], fresh[source]
    numerator[target], denominator[target] = numerator[source], denominator[source]
