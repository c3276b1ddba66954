from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comuna.core.errors import DomainError
from comuna.core.ratelimits import limit_writes
from comuna.core.web import attempt
from comuna.spheres.models import Sphere

from . import elections
from .charts import stage_table, votes_chart
from .forms import ElectionForm, ReceiptForm
from .models import Election, Participation


def sphere_elections(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    form = ElectionForm(request.POST or None)
    can_create = request.user.has_perm("representation.run_election", sphere)
    if request.method == "POST" and can_create and form.is_valid():
        data = dict(form.cleaned_data)
        data["candidates"] = data["candidates"].splitlines()
        ok, election = attempt(request, lambda: elections.do_create_election(request.user, sphere, **data),
                               _("The election is called."))
        if ok:
            return redirect(election)
    return render(request, "representation/elections.html", {
        "sphere": sphere, "elections": sphere.elections.all(), "form": form, "can_create": can_create})


def election_detail(request: HttpRequest, slug: str) -> HttpResponse:
    election = get_object_or_404(Election.objects.select_related("sphere"), slug=slug)
    user = request.user
    result = election.result
    candidates = list(election.candidates.all())
    return render(request, "representation/election.html", {
        "election": election, "candidates": candidates,
        "voted": user.is_authenticated and Participation.objects.filter(election=election, user=user).exists(),
        "ballot_count": election.ballots.count(),
        "can_count": user.has_perm("representation.count_election", election.sphere),
        "result": result,
        "table": stage_table(result) if result else None,
        "chart": votes_chart(result) if result else None,
        "elected": [candidates[n - 1] for n in result["elected"]] if result else [],
        "receipt_form": ReceiptForm(),
    })


@login_required
@require_POST
@limit_writes
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    election = get_object_or_404(Election.objects.select_related("sphere"), slug=slug)
    ok, receipt = attempt(request, lambda: elections.do_cast_ballot(
        request.user, election, ranking_from(request.POST, election)))
    if ok:
        return render(request, "representation/receipt.html", {"election": election, "receipt": receipt})
    return redirect(election)


def ranking_from(data, election: Election) -> list[int]:
    """Read the numbers a voter typed next to the candidates (1 = first choice); blanks are not ranked."""
    ranks: dict[int, int] = {}
    for candidate in election.candidates.all():
        value = data.get(f"rank_{candidate.number}", "").strip()
        if not value:
            continue
        if not value.isdigit() or int(value) < 1:
            raise DomainError("bad_rank", _("Use whole numbers from 1 for your preferences."))
        if int(value) in ranks:
            raise DomainError("repeated_rank", _("Two candidates have the same preference number %(rank)s.")
                              % {"rank": value})
        ranks[int(value)] = candidate.number
    return [ranks[rank] for rank in sorted(ranks)]


@require_POST
@limit_writes
def check_receipt(request: HttpRequest, slug: str) -> HttpResponse:
    election = get_object_or_404(Election, slug=slug)
    form = ReceiptForm(request.POST)
    if form.is_valid() and elections.ballot_counted(election, form.cleaned_data["receipt"]):
        messages.success(request, _("Your ballot is in the ballot box."))
    else:
        messages.error(request, _("No ballot has this receipt."))
    return redirect(election)


@login_required
@require_POST
@limit_writes
def count(request: HttpRequest, slug: str) -> HttpResponse:
    election = get_object_or_404(Election.objects.select_related("sphere"), slug=slug)
    attempt(request, lambda: elections.do_count(request.user, election), _("The election is counted."))
    return redirect(election)


def ballots_blt(request: HttpRequest, slug: str) -> HttpResponse:
    election = get_object_or_404(Election, slug=slug)
    if election.result is None:  # publishing ballots before the count would leak a running tally
        return render(request, "core/error.html", {"title": _("Not yet"), "message": _(
            "The ballots are published once the election has been counted.")}, status=404)
    response = HttpResponse(elections.blt_of(election), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{election.slug}.blt"'
    return response
