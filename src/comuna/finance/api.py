"""Local finance over HTTP: public reads of budgets, their lines and indicators (amounts as exact decimal strings)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from comuna.api.auth import OptionalAuth
from comuna.spheres.models import Sphere

from . import exports, selectors
from .amounts import format_amount
from .models import Budget, Direction

router = Router(tags=["finance"], auth=OptionalAuth())


class BudgetOut(Schema):
    sphere: str
    fiscal_year: int
    currency: str
    status: str
    revenue_planned: str
    expenditure_planned: str


class LineOut(Schema):
    code: str
    direction: str
    revenue_type: str
    transfer_from: str
    function: str
    economic_type: str
    label: str
    planned: str
    executed: str


class BudgetDetailOut(Schema):
    sphere: str
    sphere_name: str
    official_code: str
    population: int | None
    fiscal_year: int
    currency: str
    status: str
    totals: dict[str, str]
    indicators: dict[str, dict[str, str | None]]
    lines: list[LineOut]


@router.get("/spheres/{slug}/budgets", response=list[BudgetOut], summary="Budgets of a sphere, newest first")
def list_budgets(request, slug: str):
    sphere = get_object_or_404(Sphere, slug=slug)
    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=18, decimal_places=2))
    budgets = selectors.budgets_of(sphere).annotate(
        revenue=Coalesce(Sum("lines__planned", filter=Q(lines__direction=Direction.REVENUE)), zero),
        expenditure=Coalesce(Sum("lines__planned", filter=Q(lines__direction=Direction.EXPENDITURE)), zero))
    return [{"sphere": sphere.slug, "fiscal_year": budget.fiscal_year, "currency": budget.currency,
             "status": budget.status, "revenue_planned": format_amount(budget.revenue),
             "expenditure_planned": format_amount(budget.expenditure)} for budget in budgets]


@router.get("/spheres/{slug}/budgets/{year}", response=BudgetDetailOut,
            summary="A budget with its lines and indicators")
def get_budget(request, slug: str, year: int):
    budget = get_object_or_404(Budget.objects.select_related("sphere"), sphere__slug=slug, fiscal_year=year)
    return exports.budget_document(budget)
