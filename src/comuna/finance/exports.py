"""The open-data exports of a budget: CSV in the import layout (it re-imports to the same lines) and JSON.

JSON amounts are strings ("1234.50") so that no reader turns them into binary floats."""

from __future__ import annotations

from decimal import Decimal

from . import selectors
from .amounts import format_amount
from .csvio import export_rows, write_csv
from .models import Budget, ProjectLink


def budget_csv(budget: Budget) -> str:
    return write_csv(selectors.lines_of(budget))


def _plain(value: Decimal | None, places: str = "0.0001") -> str | None:
    return None if value is None else str(value.quantize(Decimal(places)))


def budget_document(budget: Budget) -> dict:
    summary = selectors.summary(budget)
    return {
        "sphere": budget.sphere.slug,
        "sphere_name": budget.sphere.name_en,
        "official_code": budget.sphere.official_code,
        "population": budget.sphere.population,
        "fiscal_year": budget.fiscal_year,
        "currency": budget.currency,
        "status": budget.status,
        "totals": {key: format_amount(value) for key, value in summary["totals"].items()},
        "indicators": {basis: {key: _plain(value) for key, value in values.items()}
                       for basis, values in summary["indicators"].items()},
        "lines": export_rows(summary["lines"]),
        "project_links": [{"line": link.budget_line.code, "project": link.project_ref,
                           "amount": format_amount(link.amount)}
                          for link in ProjectLink.objects.filter(budget_line__budget=budget)
                          .select_related("budget_line").order_by("budget_line__code", "project_ref")],
    }
