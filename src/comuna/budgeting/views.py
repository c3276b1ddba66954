from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comuna.core.errors import DomainError
from comuna.core.ratelimits import limit_writes
from comuna.core.web import attempt, submit
from comuna.finance.selectors import funding_of
from comuna.participation.models import Process
from comuna.participation.phases import Feature

from . import services
from .explain import explain
from .forms import BudgetForm, ImportForm, ProjectForm, ReviewForm
from .links import project_ref
from .models import BallotKind, Budget, Project, ProjectStatus, Voter
from .pb_file import to_pabulib

RECEIPT_COOKIE = "comuna_pb_receipt_{}"


def budget_of(slug: str) -> Budget:
    budget = Budget.objects.select_related("process__sphere").filter(process__slug=slug).first()
    if budget is None or budget.process.is_private:
        raise Http404
    return budget


@login_required
@limit_writes
def setup(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_object_or_404(Process.objects.select_related("sphere"), slug=slug)
    if not request.user.has_perm("participation.create_process", process.sphere):
        raise PermissionDenied  # the same rule as do_create_budget, before showing its form
    form, import_form = BudgetForm(request.POST or None), ImportForm()
    if request.method == "POST" and request.POST.get("action") == "import":
        import_form = ImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            data = dict(import_form.cleaned_data)
            raw = data.pop("file").read()
            ok, budget = attempt(request, lambda: services.do_import_pb(request.user, process, raw, **data),
                                 _("The file is imported."))
            if ok:
                return redirect(budget)
    elif request.method == "POST" and form.is_valid():
        ok, budget = attempt(request, lambda: services.do_create_budget(request.user, process, **form.cleaned_data),
                             _("The participatory budget is set up."))
        if ok:
            return redirect(budget)
    return render(request, "budgeting/setup.html", {"process": process, "form": form, "import_form": import_form})


def budget_page(request: HttpRequest, slug: str) -> HttpResponse:
    budget = budget_of(slug)
    user = request.user
    projects = list(budget.projects.select_related("function"))
    result = budget.result
    explanations = {item["project_id"]: item for item in (result or {}).get("explanations", [])}
    for project in projects:
        item = explanations.get(str(project.pk))
        project.explanation = explain(item) if item else ""
        project.funded = bool(item and item["funded"])
    funding = funding_of([project_ref(project) for project in projects])
    for project in projects:
        project.funding = funding.get(project_ref(project), [])
    on_ballot = [p for p in projects if p.status == ProjectStatus.FEASIBLE]
    return render(request, "budgeting/budget.html", {
        "budget": budget, "process": budget.process, "projects": projects, "on_ballot": on_ballot,
        "can_submit": budget.process.allows(Feature.SUBMIT), "voting": budget.process.allows(Feature.VOTE),
        "voted": user.is_authenticated and Voter.objects.filter(budget=budget, user=user).exists(),
        "is_official": user.has_perm("participation.answer_proposal", budget.process.sphere),
        "project_form": ProjectForm(), "result": result,
        "funded": [p for p in projects if getattr(p, "funded", False)],
        "chart": chart(budget, [p for p in projects if getattr(p, "funded", False)]) if result else None,
        "has_receipt": bool(request.get_signed_cookie(RECEIPT_COOKIE.format(budget.pk), default=None)),
    })


def chart(budget: Budget, funded: list[Project]) -> dict:
    """The money: one bar per funded project, stacked to show how much of the budget was spent."""
    width, x, bars = 600, 0, []
    palette = ["#0b5cad", "#1f6b32", "#7a4d00", "#6b3fa0", "#a3221b", "#08606b"]
    for index, project in enumerate(funded):
        share = int(width * project.cost / budget.total)
        bars.append({"x": x, "width": share, "title": project.title, "cost": project.cost,
                     "colour": palette[index % len(palette)]})
        x += share
    return {"bars": bars, "width": width, "spent_width": x}


@login_required
@require_POST
@limit_writes
def submit_project(request: HttpRequest, slug: str) -> HttpResponse:
    budget = budget_of(slug)
    form = ProjectForm(request.POST)
    submit(request, form, lambda data: services.do_submit_project(request.user, budget, **data),
           _("Your project is submitted; officials will check that it is feasible."),
           _("Give a title, a description of at least 20 characters and a cost."))
    return redirect(budget)


@login_required
@require_POST
@limit_writes
def review(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("budget__process__sphere"), pk=pk)
    form = ReviewForm(request.POST)
    submit(request, form, lambda data: services.do_review_project(request.user, project, **data),
           _("The review is published."), _("Say whether the project is feasible, and explain why."))
    return redirect(project.budget)


def choices_from(data, budget: Budget) -> list[tuple[int, int]]:
    """The ballot form: ticked boxes, points, or rank numbers, depending on the kind of ballot."""
    projects = list(budget.projects.filter(status=ProjectStatus.FEASIBLE).values_list("pk", flat=True))
    if budget.ballot_kind in (BallotKind.APPROVAL, BallotKind.K_APPROVAL):
        chosen = {int(v) for v in data.getlist("project") if v.isdigit()}
        return [(pk, 1) for pk in projects if pk in chosen]
    values = {}
    for pk in projects:
        raw = data.get(f"value_{pk}", "").strip()
        if not raw:
            continue
        if not raw.isdigit() or int(raw) < 1:
            raise DomainError("bad_number", _("Use whole numbers from 1."))
        values[pk] = int(raw)
    if budget.ballot_kind == BallotKind.CUMULATIVE:
        return list(values.items())
    ranks = sorted(values.items(), key=lambda item: item[1])
    if len({rank for _pk, rank in ranks}) != len(ranks):
        raise DomainError("repeated_rank", _("Two projects have the same rank."))
    return [(pk, 1) for pk, _rank in ranks]


def meter(request: HttpRequest, slug: str) -> HttpResponse:
    """The budget filling as the voter chooses (htmx); the form works without it."""
    budget = budget_of(slug)
    costs = dict(budget.projects.filter(status=ProjectStatus.FEASIBLE).values_list("pk", "cost"))
    try:
        choices = choices_from(request.GET, budget)
    except DomainError:
        choices = []
    spent = sum(costs.get(pk, 0) for pk, _points in choices)
    used_points = sum(points for _pk, points in choices)
    return render(request, "budgeting/_meter.html", {"budget": budget, "spent": spent, "chosen": len(choices),
                                                    "points_used": used_points,
                                                    "over": budget.ballot_kind == BallotKind.APPROVAL and spent > budget.total,
                                                    "percent": min(100, int(100 * spent / budget.total))})


@login_required
@require_POST
@limit_writes
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    budget = budget_of(slug)
    cookie = RECEIPT_COOKIE.format(budget.pk)
    receipt = request.POST.get("receipt", "").strip() or request.get_signed_cookie(cookie, default=None)
    ok, receipt = attempt(request, lambda: services.do_vote(request.user, budget, choices_from(request.POST, budget),
                                                            receipt=receipt))
    if not ok:
        return redirect(budget)
    response = render(request, "budgeting/receipt.html", {"budget": budget, "receipt": receipt})
    # Kept by the voter's browser only, so the ballot can be changed until the vote closes.
    response.set_signed_cookie(cookie, receipt, max_age=60 * 60 * 24 * 60, httponly=True, samesite="Lax",
                               secure=request.is_secure())
    return response


@login_required
@require_POST
@limit_writes
def count(request: HttpRequest, slug: str) -> HttpResponse:
    budget = budget_of(slug)
    attempt(request, lambda: services.do_count(request.user, budget), _("The vote is counted."))
    return redirect(f"{budget.get_absolute_url()}#result")


def download(request: HttpRequest, slug: str) -> HttpResponse:
    budget = budget_of(slug)
    if budget.result is None:
        return render(request, "core/error.html", {"title": _("Not yet"), "message": _(
            "The ballots are published once the vote has been counted.")}, status=404)
    response = HttpResponse(to_pabulib(budget), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{budget.process.slug}.pb"'
    return response




@login_required
@require_POST
@limit_writes
def paper_ballot(request: HttpRequest, slug: str) -> HttpResponse:
    budget = budget_of(slug)
    attempt(request, lambda: services.do_enter_paper_ballot(request.user, budget, choices_from(request.POST, budget)),
            _("The paper ballot is entered."))
    return redirect(f"{budget.get_absolute_url()}#paper")
