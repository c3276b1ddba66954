from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comuna.core.errors import DomainError
from comuna.core.ratelimits import limit_writes
from comuna.core.web import attempt
from comuna.spheres.models import Sphere

from . import assemblies, elections
from .charts import stage_table, votes_chart
from .forms import AssemblyForm, ElectionForm, ReceiptForm, SeedForm
from .models import Assembly, Election, Participation, Volunteer


@limit_writes
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


@limit_writes
def sphere_assemblies(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    form = AssemblyForm(request.POST or None)
    can_create = request.user.has_perm("representation.run_election", sphere)
    if request.method == "POST" and can_create and form.is_valid():
        ok, assembly = attempt(request, lambda: assemblies.do_create_assembly(request.user, sphere, **form.cleaned_data),
                               _("The assembly is convened."))
        if ok:
            return redirect(assembly)
    return render(request, "representation/assemblies.html", {
        "sphere": sphere, "assemblies": sphere.assemblies.all(), "form": form, "can_create": can_create})


def assembly_detail(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = get_object_or_404(Assembly.objects.select_related("sphere"), slug=slug)
    user = request.user
    mine = Volunteer.objects.filter(assembly=assembly, user=user).first() if user.is_authenticated else None
    panel = set(assembly.panel or [])
    volunteers = {str(v.pk): v for v in assembly.volunteers.all()}
    rows = [{"number": number, "answers": volunteers[number].answers if number in volunteers else {},
             "probability": probability, "drawn": number in panel}
            for number, probability in assemblies.probabilities(assembly)]
    return render(request, "representation/assembly.html", {
        "assembly": assembly, "categories": assemblies.categories_of(assembly), "mine": mine,
        "volunteer_count": len(volunteers), "rows": rows, "quotas": assembly.quotas.all(),
        "is_official": user.has_perm("representation.count_election", assembly.sphere),
        "recruiting": timezone.now() < assembly.recruitment_closes_at,
        "panel": [row for row in rows if row["drawn"]], "seed_form": SeedForm(),
        "i_am_drawn": mine is not None and str(mine.pk) in panel,
    })


@login_required
@require_POST
@limit_writes
def volunteer(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = get_object_or_404(Assembly.objects.select_related("sphere"), slug=slug)
    answers = {category: request.POST.get(f"answer_{index}", "")
               for index, category in enumerate(assemblies.categories_of(assembly))}
    attempt(request, lambda: assemblies.do_volunteer(request.user, assembly, answers),
            _("Thank you for volunteering. The draw will say who sits in the assembly."))
    return redirect(assembly)


@login_required
@require_POST
@limit_writes
def publish_distribution(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = get_object_or_404(Assembly.objects.select_related("sphere"), slug=slug)
    attempt(request, lambda: assemblies.do_publish_distribution(request.user, assembly),
            _("The selection probabilities are published."))
    return redirect(assembly)


@login_required
@require_POST
@limit_writes
def draw(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = get_object_or_404(Assembly.objects.select_related("sphere"), slug=slug)
    form = SeedForm(request.POST)
    seed = form.cleaned_data["seed"] if form.is_valid() else ""
    attempt(request, lambda: assemblies.do_draw(request.user, assembly, seed), _("The panel is drawn."))
    return redirect(assembly)


def distribution_json(request: HttpRequest, slug: str) -> HttpResponse:
    """The published distribution, to recompute the draw with `comuna sortition verify`."""
    from django.http import JsonResponse

    assembly = get_object_or_404(Assembly, slug=slug)
    if assembly.distribution is None:
        return JsonResponse({"code": "not_published", "message": str(_("Not published yet.")), "details": {}},
                            status=404)
    return JsonResponse(assembly.distribution)
