"""Thin views: the finance page of a sphere, the import desk, the open-data exports and a line's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comuna.budgeting.links import describe_projects, projects_for_sphere
from comuna.core.errors import DomainError
from comuna.core.ratelimits import limit_writes
from comuna.core.web import attempt
from comuna.spheres.models import Sphere

from . import charts, exports, selectors, services
from .csvio import COLUMNS
from .forms import ImportForm, LinkProjectForm
from .models import Budget, BudgetLine, Direction


def overview(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    budget = selectors.budgets_of(sphere).first()
    if budget is None:
        return render(request, "finance/empty.html", {
            "sphere": sphere, "can_import": request.user.has_perm("finance.import_budget", sphere)})
    return _year_page(request, sphere, budget)


def year(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    budget = get_object_or_404(Budget.objects.select_related("sphere"), sphere__slug=slug, fiscal_year=year)
    return _year_page(request, budget.sphere, budget)


def _year_page(request: HttpRequest, sphere: Sphere, budget: Budget) -> HttpResponse:
    summary = selectors.summary(budget)
    comparison = selectors.comparison(budget, summary["indicators"]["planned"])
    series = [("planned", _("Planned")), ("executed", _("Executed"))]
    chart_list = [
        charts.bar_chart("revenue-chart", _("Revenue by type"), summary["revenue"], series,
                         _("Planned and executed revenue of each type, in %(currency)s.") % {"currency": budget.currency}),
        charts.bar_chart("spending-chart", _("Expenditure by function (COFOG division)"), summary["divisions"],
                         series, _("Planned and executed expenditure of each function, in %(currency)s.")
                         % {"currency": budget.currency}),
        charts.bar_chart("economic-chart", _("Expenditure by economic type"), summary["economic"], series,
                         _("Planned and executed expenditure of each economic type, in %(currency)s.")
                         % {"currency": budget.currency}),
    ]
    peer_chart = None
    if comparison["peers"]:
        rows = [{"name": row["label"], "own": row["own"], "median": row["median"]}
                for row in comparison["table"] if row["is_share"]]
        peer_chart = charts.bar_chart(
            "peer-chart", _("%(sphere)s beside the median of similar spheres") % {"sphere": sphere.name}, rows,
            [("own", sphere.name), ("median", _("Median of peers"))],
            _("Shares of the adopted budget, in per cent."), is_share=True)
    return render(request, "finance/year.html", {
        "sphere": sphere, "budget": budget, "years": selectors.budgets_of(sphere), "s": summary,
        "charts": chart_list, "comparison": comparison, "peer_chart": peer_chart,
        "can_import": request.user.has_perm("finance.import_budget", sphere),
    })


@login_required
@limit_writes
def import_budget(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("finance.import_budget", sphere):
        return render(request, "core/error.html", {"title": _("Not allowed"), "message": _(
            "Only a finance officer or an admin of %(sphere)s can import its budget.") % {"sphere": sphere.name}},
            status=403)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    status = 200
    if request.method == "POST":
        outcome = _import_post(request, sphere, form)
        if isinstance(outcome, Budget):
            return redirect(outcome)
        problems, status = outcome, 400
    return render(request, "finance/import.html", {"sphere": sphere, "form": form, "problems": problems,
                                                   "columns": COLUMNS}, status=status)


@limit_writes
def _import_post(request: HttpRequest, sphere: Sphere, form: ImportForm):
    """The imported budget, or the list of problems to show (nothing changed)."""
    if not form.is_valid():
        messages.error(request, _("Give the fiscal year, the status, the currency and the file."))
        return []
    data = form.cleaned_data
    try:
        budget = services.do_import_budget(sphere, data["fiscal_year"], data["file"].read(), actor=request.user,
                                           currency=data["currency"], status=data["status"])
    except DomainError as error:
        messages.error(request, error.message)
        return list(error.details.get("errors", []))
    messages.success(request, _("The %(year)s budget of %(sphere)s was imported: %(count)s lines.")
                     % {"year": budget.fiscal_year, "sphere": sphere.name, "count": budget.lines.count()})
    return budget


def _budget(slug: str, year: int) -> Budget:
    return get_object_or_404(Budget.objects.select_related("sphere"), sphere__slug=slug, fiscal_year=year)


def export_csv(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    budget = _budget(slug, year)
    response = HttpResponse(exports.budget_csv(budget), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{budget.sphere.slug}-budget-{budget.fiscal_year}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def export_json(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    budget = _budget(slug, year)
    response = JsonResponse(exports.budget_document(budget), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def line_detail(request: HttpRequest, pk: int, form: LinkProjectForm | None = None, status: int = 200) -> HttpResponse:
    line = get_object_or_404(BudgetLine.objects.select_related("budget__sphere", "function", "transfer_from"), pk=pk)
    sphere = line.budget.sphere
    links = list(line.project_links.all())
    projects = describe_projects([link.project_ref for link in links])
    for link in links:
        link.project = projects.get(link.project_ref)
    linked = sum((link.amount for link in links), line.planned * 0)
    can_link = line.direction == Direction.EXPENDITURE and request.user.has_perm("finance.link_project", sphere)
    if can_link and form is None:
        form = LinkProjectForm(projects=[p for p in projects_for_sphere(sphere) if p.ref not in projects])
    return render(request, "finance/line.html", {"line": line, "budget": line.budget, "sphere": sphere,
                                                 "links": links, "linked": linked, "left": line.planned - linked,
                                                 "form": form if can_link else None, "can_link": can_link},
                  status=status)


@login_required
@require_POST
@limit_writes
def link_project(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine.objects.select_related("budget__sphere"), pk=pk)
    form = LinkProjectForm(request.POST, projects=projects_for_sphere(line.budget.sphere))
    if not form.is_valid():
        messages.error(request, _("Choose a project and give the amount."))
        return line_detail(request, pk, form, status=400)
    ok, outcome = attempt(request, lambda: services.do_link_project(
        line, form.cleaned_data["project"], form.cleaned_data["amount"], actor=request.user),
        _("The project is linked to this line."))
    if not ok:
        return line_detail(request, pk, form, status=outcome.status)
    return redirect(line)


@login_required
@require_POST
@limit_writes
def unlink_project(request: HttpRequest, pk: int, link: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine.objects.select_related("budget__sphere"), pk=pk)
    item = get_object_or_404(line.project_links, pk=link)
    attempt(request, lambda: services.do_unlink_project(item, actor=request.user),
            _("The project is no longer linked to this line."))
    return redirect(line)


def open_data(request: HttpRequest) -> HttpResponse:
    """The documented columns of the open-data exports."""
    return render(request, "finance/open_data.html", {"columns": COLUMNS})
