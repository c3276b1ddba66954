"""Local finance over HTTP: public reads of budgets, their lines and indicators (amounts as exact decimal strings)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from comuna.api.auth import AUTH, OptionalAuth
from comuna.api.ratelimit import limit
from comuna.budgeting.links import describe_projects
from comuna.spheres.models import Sphere

from . import exports, selectors, services
from .amounts import format_amount
from .models import Budget, BudgetLine, Direction, ProjectLink

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
    project_links: list[dict[str, str]]


class ProjectLinkOut(Schema):
    line: str
    fiscal_year: int
    project: str
    title: str | None
    url: str | None
    amount: str


class ProjectLinkIn(Schema):
    project: str
    amount: str


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


def _link_out(link: ProjectLink, projects: dict) -> dict:
    project = projects.get(link.project_ref)
    return {"line": link.budget_line.code, "fiscal_year": link.budget_line.budget.fiscal_year,
            "project": link.project_ref, "title": project.title if project else None,
            "url": project.url if project else None, "amount": format_amount(link.amount)}


@router.get("/lines/{pk}/projects", response=list[ProjectLinkOut],
            summary="Participatory-budget projects funded by a budget line")
def list_project_links(request, pk: int):
    line = get_object_or_404(BudgetLine.objects.select_related("budget"), pk=pk)
    links = list(line.project_links.select_related("budget_line__budget"))
    projects = describe_projects([link.project_ref for link in links])
    return [_link_out(link, projects) for link in links]


@router.post("/lines/{pk}/projects", response={201: ProjectLinkOut}, auth=AUTH,
             summary="Fund a participatory-budget project of the sphere from this line (officials)")
def create_project_link(request, pk: int, payload: ProjectLinkIn):
    limit(request)
    line = get_object_or_404(BudgetLine.objects.select_related("budget__sphere"), pk=pk)
    link = services.do_link_project(line, payload.project, payload.amount, actor=request.user)
    return Status(201, _link_out(link, describe_projects([link.project_ref])))
