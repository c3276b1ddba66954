"""Budget indicators: pure functions over budget lines, in exact Decimal arithmetic (no Django, no floats).

Every function takes `basis`, "planned" (the adopted budget) or "executed" (what was actually collected or spent),
and answers None when its denominator is zero (a share of nothing is not 0 %). Shares are fractions (0.25 = 25 %).

Definitions (also shown on the finance page):

- own-source revenue share = (own-source taxes + fees and charges) / (all revenue except borrowing).
  Borrowing is financing, not revenue the sphere earns, so it is left out of the denominator.
- spending per inhabitant by COFOG division = expenditure of the division (its lines on the division or on any of
  its groups) / population.
- capital share of expenditure = capital investment / all expenditure (debt repayment included).
- debt service share = (interest + debt repayment) / current revenue, where current revenue is every revenue line
  except borrowing (own-source taxes, fees and charges, transfers, other).
- execution rate = executed / planned, for all expenditure, all revenue, and each COFOG division's expenditure.
- peers: spheres of the same kind whose population is within a factor of 2 (half to double), with a budget for the
  same year; their median is the middle value (the mean of the two middle values for an even count).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

PLANNED, EXECUTED = "planned", "executed"
BASES = (PLANNED, EXECUTED)
ZERO = Decimal("0")


@dataclass(frozen=True)
class Line:
    """What the indicators need of a budget line (model rows are adapted by `line_of`)."""

    direction: str  # "revenue" | "expenditure"
    revenue_type: str  # own_taxes | fees | transfers | borrowing | other, or ""
    function_code: str  # "09" or "09.1", or ""
    economic_type: str  # personnel | goods_services | interest | current_transfers | investment | debt_repayment
    planned: Decimal
    executed: Decimal


def line_of(model_line) -> Line:
    return Line(model_line.direction, model_line.revenue_type, model_line.function_id or "",
                model_line.economic_type, model_line.planned, model_line.executed)


def division_of(function_code: str) -> str:
    """"09.1" → "09"; "09" → "09"."""
    return function_code.split(".")[0]


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return None if denominator == 0 else numerator / denominator


def total(lines: Iterable[Line], basis: str = PLANNED, **match: str) -> Decimal:
    """The sum of `basis` over lines whose attributes equal every value in `match`."""
    return sum((getattr(line, basis) for line in lines
                if all(getattr(line, key) == value for key, value in match.items())), ZERO)


def revenue(lines: Sequence[Line], basis: str = PLANNED) -> Decimal:
    return total(lines, basis, direction="revenue")


def expenditure(lines: Sequence[Line], basis: str = PLANNED) -> Decimal:
    return total(lines, basis, direction="expenditure")


def current_revenue(lines: Sequence[Line], basis: str = PLANNED) -> Decimal:
    return revenue(lines, basis) - total(lines, basis, direction="revenue", revenue_type="borrowing")


def own_source_share(lines: Sequence[Line], basis: str = PLANNED) -> Decimal | None:
    own = total(lines, basis, direction="revenue", revenue_type="own_taxes") + \
        total(lines, basis, direction="revenue", revenue_type="fees")
    return ratio(own, current_revenue(lines, basis))


def capital_share(lines: Sequence[Line], basis: str = PLANNED) -> Decimal | None:
    return ratio(total(lines, basis, direction="expenditure", economic_type="investment"), expenditure(lines, basis))


def debt_service_share(lines: Sequence[Line], basis: str = PLANNED) -> Decimal | None:
    service = total(lines, basis, direction="expenditure", economic_type="interest") + \
        total(lines, basis, direction="expenditure", economic_type="debt_repayment")
    return ratio(service, current_revenue(lines, basis))


def by_division(lines: Iterable[Line], basis: str = PLANNED) -> dict[str, Decimal]:
    """Expenditure per COFOG division code, in code order."""
    sums: dict[str, Decimal] = {}
    for line in lines:
        if line.direction == "expenditure" and line.function_code:
            key = division_of(line.function_code)
            sums[key] = sums.get(key, ZERO) + getattr(line, basis)
    return dict(sorted(sums.items()))


def by_revenue_type(lines: Iterable[Line], basis: str = PLANNED) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for line in lines:
        if line.direction == "revenue":
            sums[line.revenue_type] = sums.get(line.revenue_type, ZERO) + getattr(line, basis)
    return sums


def by_economic_type(lines: Iterable[Line], basis: str = PLANNED) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for line in lines:
        if line.direction == "expenditure":
            sums[line.economic_type] = sums.get(line.economic_type, ZERO) + getattr(line, basis)
    return sums


def per_inhabitant_by_division(lines: Sequence[Line], population: int | None,
                               basis: str = PLANNED) -> dict[str, Decimal] | None:
    if not population:
        return None
    return {code: amount / population for code, amount in by_division(lines, basis).items()}


def spending_per_inhabitant(lines: Sequence[Line], population: int | None, basis: str = PLANNED) -> Decimal | None:
    return None if not population else expenditure(lines, basis) / population


def execution_rate(lines: Sequence[Line], direction: str = "expenditure") -> Decimal | None:
    return ratio(total(lines, EXECUTED, direction=direction), total(lines, PLANNED, direction=direction))


def execution_by_division(lines: Sequence[Line]) -> dict[str, Decimal | None]:
    planned, executed = by_division(lines, PLANNED), by_division(lines, EXECUTED)
    return {code: ratio(executed.get(code, ZERO), amount) for code, amount in planned.items()}


def median(values: Iterable[Decimal | None]) -> Decimal | None:
    """The middle value of those known (the mean of the two middle ones for an even count); None if none."""
    known = sorted(value for value in values if value is not None)
    if not known:
        return None
    middle = len(known) // 2
    return known[middle] if len(known) % 2 else (known[middle - 1] + known[middle]) / 2


def are_peers(population: int | None, other_population: int | None) -> bool:
    """Populations within a factor of 2 of each other (both known)."""
    if not population or not other_population:
        return False
    return other_population * 2 >= population and other_population <= population * 2


HEADLINE = ("own_source_share", "capital_share", "debt_service_share", "spending_per_inhabitant",
            "execution_rate")


def headline(lines: Sequence[Line], population: int | None, basis: str = PLANNED) -> dict[str, Decimal | None]:
    """The indicators compared across spheres, keyed as in HEADLINE."""
    return {
        "own_source_share": own_source_share(lines, basis),
        "capital_share": capital_share(lines, basis),
        "debt_service_share": debt_service_share(lines, basis),
        "spending_per_inhabitant": spending_per_inhabitant(lines, population, basis),
        "execution_rate": execution_rate(lines),
    }
