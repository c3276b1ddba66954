"""Read helpers: a budget's breakdowns and indicators, and its peers' for comparison."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from comuna.spheres.models import Function, Sphere

from . import indicators as ind
from .models import Budget, BudgetLine, EconomicType, ProjectLink, RevenueType

INDICATOR_LABELS = {
    "own_source_share": lambda: _("Own-source revenue share"),
    "capital_share": lambda: _("Capital share of expenditure"),
    "debt_service_share": lambda: _("Debt service share"),
    "spending_per_inhabitant": lambda: _("Spending per inhabitant"),
    "execution_rate": lambda: _("Execution rate of expenditure"),
}
SHARES = {"own_source_share", "capital_share", "debt_service_share", "execution_rate"}


@dataclass(frozen=True)
class Funding:
    """One budget line funding a participatory-budget project, as the budgeting app shows it."""

    line_code: str
    line_label: str
    fiscal_year: int
    sphere_name: str
    amount: Decimal
    currency: str
    url: str


def funding_of(project_refs: list[str]) -> dict[str, list[Funding]]:
    """For the budgeting app: the budget lines that fund each project reference (one query), newest year first.
    References without funding are absent from the answer."""
    found: dict[str, list[Funding]] = {}
    links = (ProjectLink.objects.filter(project_ref__in=list(project_refs))
             .select_related("budget_line__budget__sphere").order_by("-budget_line__budget__fiscal_year", "pk"))
    for link in links:
        line = link.budget_line
        found.setdefault(link.project_ref, []).append(Funding(
            line_code=line.code, line_label=line.label, fiscal_year=line.budget.fiscal_year,
            sphere_name=line.budget.sphere.name, amount=link.amount, currency=line.budget.currency,
            url=line.get_absolute_url()))
    return found


def budgets_of(sphere: Sphere):
    return Budget.objects.filter(sphere=sphere).select_related("sphere").order_by("-fiscal_year")


def lines_of(budget: Budget) -> list[BudgetLine]:
    return list(budget.lines.select_related("function", "transfer_from").order_by("direction", "code"))


def division_names(codes) -> dict[str, str]:
    return {f.code: f.name for f in Function.objects.filter(code__in=list(codes))}


def summary(budget: Budget, lines: list[BudgetLine] | None = None) -> dict:
    """Everything the finance page, the API and the export show about one budget."""
    lines = lines_of(budget) if lines is None else lines
    data = [ind.line_of(line) for line in lines]
    population = budget.sphere.population
    planned_div, executed_div = ind.by_division(data, ind.PLANNED), ind.by_division(data, ind.EXECUTED)
    names = division_names(planned_div)
    per_head = ind.per_inhabitant_by_division(data, population, ind.PLANNED) or {}
    per_head_exec = ind.per_inhabitant_by_division(data, population, ind.EXECUTED) or {}
    exec_div = ind.execution_by_division(data)
    divisions = [{"code": code, "name": names.get(code, code), "planned": amount,
                  "executed": executed_div.get(code, ind.ZERO), "per_inhabitant": per_head.get(code),
                  "per_inhabitant_executed": per_head_exec.get(code), "execution_rate": exec_div.get(code)}
                 for code, amount in planned_div.items()]
    rev_planned, rev_exec = ind.by_revenue_type(data, ind.PLANNED), ind.by_revenue_type(data, ind.EXECUTED)
    revenue = [{"code": code, "name": label, "planned": rev_planned.get(code, ind.ZERO),
                "executed": rev_exec.get(code, ind.ZERO)}
               for code, label in RevenueType.choices if code in rev_planned]
    eco_planned, eco_exec = ind.by_economic_type(data, ind.PLANNED), ind.by_economic_type(data, ind.EXECUTED)
    economic = [{"code": code, "name": label, "planned": eco_planned.get(code, ind.ZERO),
                 "executed": eco_exec.get(code, ind.ZERO)}
                for code, label in EconomicType.choices if code in eco_planned]
    headline = {basis: ind.headline(data, population, basis) for basis in ind.BASES}
    headline_rows = [{"key": key, "label": INDICATOR_LABELS[key](), "is_share": key in SHARES,
                      "planned": headline[ind.PLANNED][key], "executed": headline[ind.EXECUTED][key]}
                     for key in ind.HEADLINE]
    return {
        "lines": lines,
        "revenue": revenue,
        "economic": economic,
        "divisions": divisions,
        "totals": {
            "revenue_planned": ind.revenue(data, ind.PLANNED), "revenue_executed": ind.revenue(data, ind.EXECUTED),
            "expenditure_planned": ind.expenditure(data, ind.PLANNED),
            "expenditure_executed": ind.expenditure(data, ind.EXECUTED),
        },
        "indicators": headline,
        "indicator_rows": headline_rows,
        "revenue_execution_rate": ind.execution_rate(data, "revenue"),
    }


def peers_of(budget: Budget) -> list[Budget]:
    """Budgets of the same year of spheres of the same kind with a population within a factor of 2."""
    sphere = budget.sphere
    if not sphere.population:
        return []
    candidates = (Budget.objects.filter(fiscal_year=budget.fiscal_year, sphere__kind=sphere.kind,
                                        sphere__population__gte=(sphere.population + 1) // 2,
                                        sphere__population__lte=sphere.population * 2)
                  .exclude(sphere=sphere).select_related("sphere").order_by("sphere__name_en"))
    return [peer for peer in candidates if ind.are_peers(sphere.population, peer.sphere.population)]


def comparison(budget: Budget, own: dict[str, Decimal | None]) -> dict:
    """This budget's headline indicators (planned basis) beside each peer's and the peers' median."""
    peers = peers_of(budget)
    lines_by_budget: dict[int, list] = {peer.pk: [] for peer in peers}
    for line in BudgetLine.objects.filter(budget__in=peers).only(
            "budget_id", "direction", "revenue_type", "function_id", "economic_type", "planned", "executed"):
        lines_by_budget[line.budget_id].append(ind.line_of(line))
    rows = [{"sphere": peer.sphere, "values": ind.headline(lines_by_budget[peer.pk], peer.sphere.population)}
            for peer in peers]
    medians = {key: ind.median(row["values"][key] for row in rows) for key in ind.HEADLINE}
    table = [{"key": key, "label": INDICATOR_LABELS[key](), "is_share": key in SHARES, "own": own[key],
              "median": medians[key], "peers": [row["values"][key] for row in rows]} for key in ind.HEADLINE]
    return {"peers": [row["sphere"] for row in rows], "table": table, "medians": medians}
