"""Why each project was funded or not, as plain data (JSON-serialisable) for the app to render and translate.

Exact amounts are given twice: `*_exact` as a string ("7/3", "1500") that loses nothing, and a float for display.
`reason` is a stable code; `message` is a plain-English sentence (the app translates from the code and data).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

from comuna.choice.pabulib import Number


def exact_text(value: Number | None) -> str | None:
    if value is None:
        return None
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def plain_number(value: Number) -> int | float:
    """An int when integral, else the nearest float (for JSON output)."""
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else float(value)


# Reason codes.
FUNDED = "funded"                                  # MES / Phragmén: bought in a round
FUNDED_FREE = "funded_cost_free"                   # MES: costs nothing and has supporters
FUNDED_GREEDY = "funded_in_order"                  # greedy: fitted when its turn came
UNAFFORDABLE = "supporters_money_ran_out"          # MES: its supporters' money fell short of its cost
NO_SUPPORTERS = "no_supporters"
OVER_BUDGET = "over_remaining_budget"              # greedy: did not fit when its turn came
BELOW_THRESHOLD = "below_vote_threshold"
AFTER_STOP = "after_greedy_stopped"                # greedy without skipping
WOULD_OVERSPEND = "next_purchase_would_overspend"  # Phragmén stopped
NOT_REACHED = "not_reached"                        # Phragmén stopped before its turn
NOT_CHOSEN = "not_in_chosen_outcome"               # add1-comparison: funded only by the outcome not chosen


@dataclass
class ProjectExplanation:
    project_id: str
    funded: bool
    reason: str
    message: str
    cost: int | float
    supporters: int
    round: int | None = None              # round (MES, Phragmén) or rank in the order (greedy)
    price_per_utility_exact: str | None = None   # MES rho
    price_per_utility: float | None = None
    share_exact: str | None = None        # MES: what a supporter paying in full paid (rho × utility, approval)
    paid_full_share: int | None = None
    paid_all_remaining: int | None = None
    supporters_money_exact: str | None = None    # MES: money of its supporters when it became unaffordable
    supporters_money: float | None = None
    remaining_budget_exact: str | None = None    # greedy: budget left at its turn
    load_exact: str | None = None         # Phragmén: maximal load
    density_exact: str | None = None      # greedy: utility per unit of cost


@dataclass
class Outcome:
    """The result of a PB rule: winners in the order funded, money, details and one explanation per project."""

    rule: str
    utility: str
    completion: str | None
    winners: list[str]
    budget: Number
    spent: Number
    explanations: list[ProjectExplanation]
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["budget"] = plain_number(self.budget)
        data["spent"] = plain_number(self.spent)
        data["budget_exact"] = exact_text(self.budget)
        data["spent_exact"] = exact_text(self.spent)
        return data
