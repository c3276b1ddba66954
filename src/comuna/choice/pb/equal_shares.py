"""The Method of Equal Shares (MES) for participatory budgeting, exact and fast.

Every voter starts with an equal share of the budget. In each round, for every project still affordable by its
supporters, we find the smallest price rho per unit of utility such that supporters paying min(their money,
rho × their utility) cover the cost; the project with the smallest rho is funded (ties: `ties.tie_order`) and its
supporters pay. The rule stops when no project is affordable. This is pabutools 1.2.3's `method_of_equal_shares`.

How it is fast and exact:
- Voters with the same ballot are one *ballot type*; types with the same remaining money form one *budget class*
  (money is an exact Fraction per class). A project's supporters are then a few (class, weight) groups with
  counts, so one round is a small count matrix (projects × groups) built with one `np.bincount`.
- Prices are first computed for all projects at once in float64 (from correctly rounded class budgets, so errors
  never accumulate); only the projects whose float price is within a relative 1e-9 of the best are recomputed
  exactly with Fractions, and the exact minimum (then the tie order) decides. Affordability (money of the
  supporters >= cost) is decided the same way: exactly whenever the float sums are close. Payments are exact.
  So no outcome depends on floating-point rounding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from comuna.choice.pabulib import Number
from comuna.choice.pb.election import Election

# Relative closeness below which float prices / sums are not trusted and are recomputed exactly. Float errors
# here are around 1e-13 relative (sums of at most a few thousand correctly rounded terms), far below.
CLOSE = 1e-9


@dataclass
class MESRound:
    """One funded project: the round, its price rho per unit of utility and how its supporters paid."""

    round: int
    project: int
    rho: Fraction
    supporters: int            # voters with a positive utility for it
    paid_full_share: int       # supporters who paid rho × utility
    paid_all_remaining: int    # supporters who could not: they paid all they had left (possibly nothing)
    cost: Number


@dataclass
class MESRun:
    """The outcome of one run of MES with a given money per voter."""

    budget_per_voter: Fraction
    selected: list[int]
    rounds: list[MESRound]
    zero_cost: list[int]                        # supported projects costing nothing, funded before round 1
    unsupported: list[int]                      # nobody has a positive utility for them
    unaffordable: dict[int, tuple[int, Fraction]] = field(default_factory=dict)
    """project -> (round at which its supporters' money first fell short of its cost, their money then)."""

    def spent(self, election: Election) -> Number:
        return sum((election.costs[p] for p in self.selected), 0)


class EqualShares:
    """MES prepared for one election; `run(budget_per_voter)` may be called many times (completions)."""

    def __init__(self, election: Election) -> None:
        self.election = election
        n_projects = election.n_projects
        multiplier = election.multiplier
        weights = election.entry_weight
        keep = [i for i, weight in enumerate(weights) if weight > 0 and multiplier[election.entry_project[i]] > 0]
        keep_array = np.array(keep, dtype=np.int64)
        self.entry_type = election.entry_type[keep_array]
        self.entry_project = election.entry_project[keep_array]
        kept_weights = [weights[i] for i in keep]
        self.weight_values: list[Number] = sorted(set(kept_weights))
        level = {weight: index for index, weight in enumerate(self.weight_values)}
        self.entry_level = np.array([level[weight] for weight in kept_weights], dtype=np.int64)
        self.levels = len(self.weight_values)
        self.weight_float = np.array([float(w) for w in self.weight_values])
        self.entry_count = election.type_counts[self.entry_type].astype(np.float64)
        self.n_types = len(election.type_counts)
        # Supporters of each project (types and weight levels), for payments.
        order = np.argsort(self.entry_project, kind="stable")
        self.support_type = self.entry_type[order]
        self.support_level = self.entry_level[order]
        self.support_start = np.searchsorted(self.entry_project[order], np.arange(n_projects + 1))
        supporters = np.bincount(self.entry_project, weights=self.entry_count, minlength=n_projects)
        self.supporters = supporters.astype(np.int64)
        self.cost_float = np.array([float(c) for c in election.costs])
        self.multiplier_float = np.array([float(m) for m in multiplier])

    def run(self, budget_per_voter: Number) -> MESRun:
        election = self.election
        b0 = Fraction(budget_per_voter)
        supported = [p for p in range(election.n_projects) if self.supporters[p] > 0]
        zero_cost = sorted((p for p in supported if election.costs[p] == 0), key=election.tie_rank.__getitem__)
        result = MESRun(
            budget_per_voter=b0,
            selected=list(zero_cost),
            rounds=[],
            zero_cost=zero_cost,
            unsupported=[p for p in range(election.n_projects) if self.supporters[p] == 0],
        )
        remaining = np.array([p for p in supported if election.costs[p] > 0], dtype=np.int64)
        money = _Money(b0, self.n_types)
        levels = self.levels
        n_projects = election.n_projects
        round_number = 0
        while remaining.size:
            round_number += 1
            money.compact()
            n_classes = len(money.scaled)
            width = n_classes * levels
            key = (self.entry_project * n_classes + money.type_class[self.entry_type]) * levels + self.entry_level
            counts = np.bincount(key, weights=self.entry_count, minlength=n_projects * width)
            counts = counts.reshape(n_projects, width)[remaining]
            column_money = np.repeat(money.floats(), levels)
            column_weight = np.tile(self.weight_float, n_classes)
            available = counts @ column_money
            cost = self.cost_float[remaining]
            affordable = available >= cost
            close = np.abs(available - cost) <= CLOSE * cost
            for row in np.flatnonzero(close):
                affordable[row] = self._scaled_money(counts[row], money) >= election.costs[remaining[row]] * money.scale
            for row in np.flatnonzero(~affordable):
                project = int(remaining[row])
                result.unaffordable[project] = (
                    round_number, Fraction(self._scaled_money(counts[row], money), money.scale))
            remaining = remaining[affordable]
            counts = counts[affordable]
            if not remaining.size:
                break
            useful = (column_money > 0) & counts.any(axis=0)
            counts = counts[:, useful]
            columns = np.flatnonzero(useful)
            rho = self._float_prices(counts, column_money[useful], column_weight[useful], remaining)
            best = rho.min()
            candidate_rows = np.flatnonzero(rho <= best * (1 + CLOSE))
            exact = [
                (self._exact_price(counts[row], columns, money, int(remaining[row])),
                 election.tie_rank[int(remaining[row])], int(remaining[row]))
                for row in candidate_rows
            ]
            price, _, chosen = min(exact)
            self._pay(chosen, price, money, result, round_number)
            remaining = remaining[remaining != chosen]
        return result

    def _float_prices(self, counts: np.ndarray, column_money: np.ndarray, column_weight: np.ndarray,
                      projects: np.ndarray) -> np.ndarray:
        """Price per unit of utility of every project, in float (screening only)."""
        ratio = column_money / column_weight
        order = np.argsort(ratio, kind="stable")
        counts = counts[:, order]
        ratio = ratio[order]
        paid = counts * column_money[order]
        utility = counts * column_weight[order]
        money_before = np.cumsum(paid, axis=1) - paid
        utility_total = utility.sum(axis=1, keepdims=True)
        utility_after = utility_total - (np.cumsum(utility, axis=1) - utility)
        cost = self.cost_float[projects][:, None]
        # First group (in order of money per weight) whose members can pay the equal price: they and all richer
        # supporters pay the price, the poorer ones before them pay everything.
        fits = ((cost - money_before) <= ratio * utility_after * (1 + 1e-12)) & (counts > 0)
        first = fits.argmax(axis=1)
        rows = np.arange(len(projects))
        price_per_weight = (cost[:, 0] - money_before[rows, first]) / utility_after[rows, first]
        return price_per_weight / self.multiplier_float[projects]

    def _scaled_money(self, row: np.ndarray, money: _Money) -> int:
        """Exact money of a project's supporters, in units of 1/money.scale."""
        levels = self.levels
        scaled = money.scaled
        total = 0
        for column in np.flatnonzero(row).tolist():
            total += scaled[column // levels] * int(round(row[column]))
        return total

    def _exact_price(self, row: np.ndarray, columns: np.ndarray, money: _Money, project: int) -> Fraction:
        """pabutools' affordability rho, exactly: supporters in order of money per utility.

        Groups are ordered by their float ratio; the exact result is then checked against every group, and if
        a float misordering ever made it wrong, the groups are re-sorted exactly.
        """
        levels = self.levels
        multiplier = self.election.multiplier[project]
        nonzero = np.flatnonzero(row)
        groups = [
            (money.scaled[int(columns[i]) // levels], self.weight_values[int(columns[i]) % levels] * multiplier,
             int(round(row[i])))
            for i in nonzero.tolist()
        ]
        cost = self.election.costs[project] * money.scale
        ratio = [float(m) / float(u) for m, u, _ in groups]
        order = sorted(range(len(groups)), key=ratio.__getitem__)
        price = self._price_in_order(groups, order, cost)
        if not _covers(groups, price, cost):
            order = sorted(range(len(groups)), key=lambda i: Fraction(groups[i][0], groups[i][1]))
            price = self._price_in_order(groups, order, cost)
        return price / money.scale

    @staticmethod
    def _price_in_order(groups: list[tuple[Number, Number, int]], order: list[int], cost: Number) -> Fraction:
        remaining_cost = cost
        utility_left = sum(count * utility for _, utility, count in groups)
        for index in order:
            have, utility, count = groups[index]
            # price = remaining_cost / utility_left; can this group pay price × utility?
            if remaining_cost * utility <= have * utility_left:
                return Fraction(remaining_cost) / utility_left
            remaining_cost -= have * count
            utility_left -= utility * count
        raise AssertionError("an affordable project always has a price")  # pragma: no cover


    def _pay(self, project: int, price: Fraction, money: _Money, result: MESRun, round_number: int) -> None:
        start, end = self.support_start[project], self.support_start[project + 1]
        types = self.support_type[start:end]
        pair = money.type_class[types] * self.levels + self.support_level[start:end]
        # unique pairs through a lookup table (pairs are small integers): cheaper than sorting with np.unique
        present = np.bincount(pair, minlength=len(money.scaled) * self.levels)
        unique_pairs = np.flatnonzero(present)
        lookup = np.zeros(len(present), dtype=np.int64)
        lookup[unique_pairs] = np.arange(len(unique_pairs))
        inverse = lookup[pair]
        multiplier = self.election.multiplier[project]
        counts = np.bincount(inverse, weights=self.election.type_counts[types].astype(np.float64))
        # Rescale the money unit so that every supporter's share is a whole number of units.
        shares = [price * money.scale * weight * multiplier for weight in self.weight_values]
        money.rescale(math.lcm(*(Fraction(share).denominator for share in shares)))
        shares = [int(price * money.scale * weight * multiplier) for weight in self.weight_values]
        new_class = np.empty(len(unique_pairs), dtype=np.int64)
        full = all_left = 0
        for index, value in enumerate(unique_pairs.tolist()):
            have = money.scaled[value // self.levels]
            share = shares[value % self.levels]
            if share <= have:
                left = have - share
                full += int(counts[index])
            else:
                left = 0
                all_left += int(counts[index])
            new_class[index] = money.class_for(int(left))
        money.type_class[types] = new_class[inverse]
        result.selected.append(project)
        result.rounds.append(MESRound(round_number, project, price, full + all_left, full, all_left,
                                      self.election.costs[project]))


def _covers(groups: list[tuple[Number, Number, int]], price: Fraction, cost: Number) -> bool:
    """Exact check of a price: supporters paying min(money, price × utility) raise exactly the cost."""
    numerator, denominator = price.numerator, price.denominator
    raised = 0  # in units of 1/denominator
    for have, utility, count in groups:
        raised += count * min(numerator * utility, have * denominator)
    return raised == cost * denominator


class _Money:
    """Exact money of every budget class, as integers in units of 1/scale (scale grows as prices need it)."""

    def __init__(self, per_voter: Fraction, n_types: int) -> None:
        self.scale = per_voter.denominator
        self.scaled: list[int] = [per_voter.numerator]
        self.index: dict[int, int] = {per_voter.numerator: 0}
        self.type_class = np.zeros(n_types, dtype=np.int64)
        self._floats: np.ndarray | None = None

    def floats(self) -> np.ndarray:
        if self._floats is None or len(self._floats) != len(self.scaled):
            scale = self.scale
            self._floats = np.array([value / scale for value in self.scaled])
        return self._floats

    def rescale(self, factor: int) -> None:
        if factor == 1:
            return
        self.scale *= factor
        self.scaled = [value * factor for value in self.scaled]
        self.index = {value: index for index, value in enumerate(self.scaled)}
        self._floats = None

    def class_for(self, scaled_value: int) -> int:
        index = self.index.get(scaled_value)
        if index is None:
            index = len(self.scaled)
            self.index[scaled_value] = index
            self.scaled.append(scaled_value)
            self._floats = None
        return index

    def compact(self) -> None:
        """Forget classes nobody is in any more, so the count matrix stays small."""
        used = np.flatnonzero(np.bincount(self.type_class, minlength=len(self.scaled)))
        if len(used) == len(self.scaled):
            return
        remap = np.zeros(len(self.scaled), dtype=np.int64)
        remap[used] = np.arange(len(used))
        self.type_class = remap[self.type_class]
        self.scaled = [self.scaled[i] for i in used.tolist()]
        self.index = {value: index for index, value in enumerate(self.scaled)}
        self._floats = None


def equal_shares(election: Election, budget_per_voter: Number | None = None) -> MESRun:
    """One run of MES; the money per voter defaults to budget / number of voters."""
    if budget_per_voter is None:
        budget_per_voter = Fraction(election.budget) / election.n_voters if election.n_voters else Fraction(0)
    return EqualShares(election).run(budget_per_voter)
