from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from comuna.accounts.models import Role
from comuna.accounts.selectors import officials_of
from comuna.audit.actions import LABELS
from comuna.core.errors import DomainError

from .forms import RoutingForm
from .models import Competence, Sphere, SphereKind
from .routing import competent_sphere


def tree(request: HttpRequest) -> HttpResponse:
    spheres = list(Sphere.objects.exclude(kind=SphereKind.NETWORK).order_by("path", "name_en"))
    children: dict[int | None, list[Sphere]] = {}
    for sphere in spheres:
        children.setdefault(sphere.parent_id, []).append(sphere)
    for siblings in children.values():
        siblings.sort(key=lambda s: s.name)

    def branch(parent_id):
        return [{"sphere": s, "children": branch(s.pk)} for s in children.get(parent_id, [])]

    networks = Sphere.objects.filter(kind=SphereKind.NETWORK)
    return render(request, "spheres/tree.html", {"branches": branch(None), "networks": networks})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere.objects.select_related("parent"), slug=slug)
    if sphere.is_network:
        return network(request, slug)
    competences = Competence.objects.filter(sphere=sphere).select_related("function", "function__parent")
    form = RoutingForm(request.GET or None)
    routing = error = None
    if form.is_valid():
        try:
            routing = competent_sphere(form.cleaned_data["function"], sphere)
        except DomainError as exc:
            error = exc.message
    return render(request, "spheres/detail.html", {
        "sphere": sphere,
        "ancestors": sphere.ancestors(),
        "children": sphere.children.order_by("name_en"),
        "competences": competences,
        "networks": sphere.networks.all(),
        "officials": officials_of(sphere),
        "form": form,
        "routing": routing,
        "routing_error": error,
    })


def network(request: HttpRequest, slug: str) -> HttpResponse:
    net = get_object_or_404(Sphere, slug=slug)
    if not net.is_network:
        raise Http404
    members = net.members.select_related("parent").prefetch_related(
        Prefetch("competences", queryset=Competence.objects.only("id", "sphere_id")))
    countries = sorted({m.country for m in members if m.country})
    return render(request, "spheres/network.html", {
        "network": net, "members": members, "countries": countries, "officials": officials_of(net),
    })


def audit(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    events = sphere.audit_events.order_by("-sequence")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    roles = dict(Role.choices)
    rows = [{"event": e, "label": LABELS.get(e.action, e.action), "role": roles.get(e.actor_role, "")} for e in page]
    return render(request, "spheres/audit.html", {"sphere": sphere, "page": page, "rows": rows})
