"""ActivityPub endpoints (actor, inbox, outbox, followers, objects), WebFinger and NodeInfo, and the page where
officials follow remote spheres and send their sphere's decision on a remote declaration."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from comuna import __version__ as comuna_version
from comuna.core.errors import DomainError
from comuna.core.ratelimits import limit_writes
from comuna.core.web import attempt
from comuna.spheres.models import Sphere

from . import activities, bridge, conf, inbox, services, webfinger
from .actors import absolute, actor_document, actor_id, followers_url, outbox_url
from .forms import FollowForm, RatificationForm
from .models import Follower, Following, OutboxActivity, RemoteActor

PAGE_SIZE = 20
AS_TYPES = ("application/activity+json", "application/ld+json")


def wants_activity_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return any(kind in accept for kind in AS_TYPES)


def activity_response(document: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(document, status=status, content_type="application/activity+json")
    response["Vary"] = "Accept"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def actor(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    if not wants_activity_json(request):
        return redirect(sphere.get_absolute_url())
    return activity_response(actor_document(sphere))


@csrf_exempt
def inbox_view(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method != "POST":
        return JsonResponse({"code": "method_not_allowed", "message": "POST activities here.", "details": {}},
                            status=405)
    sphere = Sphere.objects.filter(slug=slug).first()
    if sphere is None:
        return JsonResponse({"code": "not_found", "message": "No such actor.", "details": {}}, status=404)
    return inbox.receive(request, sphere)


def _page_number(request: HttpRequest) -> int | None:
    raw = request.GET.get("page")
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise Http404
    return int(raw)


@require_GET
def outbox(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    items = OutboxActivity.objects.filter(sphere=sphere, public=True).order_by("-published_at", "-id")
    paginator = Paginator(items, PAGE_SIZE)
    number = _page_number(request)
    base = outbox_url(sphere)
    if number is None:
        collection = {"@context": activities.AS_CONTEXT, "id": base, "type": "OrderedCollection",
                      "totalItems": paginator.count}
        if paginator.count:
            collection["first"] = f"{base}?page=1"
            collection["last"] = f"{base}?page={paginator.num_pages}"
        return activity_response(collection)
    try:
        page = paginator.page(number)
    except EmptyPage as error:
        raise Http404 from error
    document = {"@context": activities.CONTEXT, "id": f"{base}?page={number}", "type": "OrderedCollectionPage",
                "partOf": base, "orderedItems": [item.payload for item in page.object_list]}
    if page.has_next():
        document["next"] = f"{base}?page={number + 1}"
    if page.has_previous():
        document["prev"] = f"{base}?page={number - 1}"
    return activity_response(document)


@require_GET
def followers(request: HttpRequest, slug: str) -> HttpResponse:
    """Followers of a sphere are other public institutions: their actor ids are listed."""
    sphere = get_object_or_404(Sphere, slug=slug)
    uris = list(Follower.objects.filter(sphere=sphere).order_by("actor__uri").values_list("actor__uri", flat=True)[:1000])
    return activity_response({"@context": activities.AS_CONTEXT, "id": followers_url(sphere),
                              "type": "OrderedCollection", "totalItems": Follower.objects.filter(sphere=sphere).count(),
                              "orderedItems": uris})


@require_GET
def activity(request: HttpRequest, key) -> HttpResponse:
    stored = get_object_or_404(OutboxActivity, uuid=key, public=True)
    return activity_response(stored.payload)


@require_GET
def policy(request: HttpRequest, pk: int) -> HttpResponse:
    model = bridge.policy_model()
    if model is None or not bridge.available():
        raise Http404
    found = model.objects.filter(pk=pk).first()
    if found is None or not services.is_local(found) or getattr(found, "sphere", None) is None:
        raise Http404
    page = _page_of(found)
    if not wants_activity_json(request) and page:
        return redirect(page)
    return activity_response({"@context": activities.CONTEXT, **services.policy_object(found)})


@require_GET
def declaration(request: HttpRequest, pk: int) -> HttpResponse:
    model = bridge.declaration_model()
    if model is None or not bridge.available():
        raise Http404
    found = model.objects.filter(pk=pk).select_related("network").first()
    if found is None:
        raise Http404
    page = _page_of(found)
    if not wants_activity_json(request) and page:
        return redirect(page)
    data = bridge.declaration_as_dict(found)
    uri = absolute(reverse("federation:declaration", args=[found.pk]))
    document = {"@context": activities.CONTEXT, "id": uri, "type": "Document",
                "attributedTo": actor_id(found.network), "name": str(data.get("title", ""))[:500],
                "content": str(data.get("text") or data.get("body") or "")[:activities.MAX_TEXT],
                "declaration": data}
    if page:
        document["url"] = absolute(page)
    return activity_response(document)


def _page_of(item) -> str:
    try:
        return item.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


@require_GET
def webfinger_view(request: HttpRequest) -> HttpResponse:
    resource = request.GET.get("resource", "")
    if not resource:
        return JsonResponse({"code": "resource_missing", "message": "Give ?resource=acct:name@host.",
                             "details": {}}, status=400)
    sphere = webfinger.local_resource(resource)
    if sphere is None:
        return JsonResponse({"code": "not_found", "message": "No such actor here.", "details": {}}, status=404)
    response = JsonResponse(webfinger.document(sphere), content_type=webfinger.JRD)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def nodeinfo_links(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                                    "href": absolute(reverse("federation:nodeinfo"))}]})


@require_GET
def nodeinfo(request: HttpRequest) -> HttpResponse:
    return JsonResponse({
        "version": "2.1",
        "software": {"name": "comuna", "version": comuna_version,
                     "repository": "https://github.com/comuna-city/comuna"},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": True,
        "usage": {"users": {}},
        "metadata": {"actors": Sphere.objects.count()},
    }, content_type='application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"')


# --- The page for people ----------------------------------------------------------------------------------------

def sphere_federation(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    return render(request, "federation/sphere.html", {
        "sphere": sphere,
        "handle": f"{sphere.slug}@{conf.host()}",
        "following": Following.objects.filter(sphere=sphere).select_related("actor").order_by("actor__uri"),
        "followers": Follower.objects.filter(sphere=sphere).select_related("actor").order_by("actor__uri"),
        "sent": OutboxActivity.objects.filter(sphere=sphere, activity_type="Create",
                                              payload__object__type="Note")[:20],
        "can_manage": request.user.has_perm("federation.manage", sphere),
        "follow_form": FollowForm(), "ratification_form": RatificationForm(),
    })


def _managed_sphere(request: HttpRequest, slug: str) -> Sphere:
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("federation.manage", sphere):
        raise PermissionDenied
    return sphere


@login_required
@require_POST
@limit_writes
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = _managed_sphere(request, slug)
    form = FollowForm(request.POST)
    if form.is_valid():
        attempt(request, lambda: services.do_follow_remote(sphere, form.cleaned_data["handle"], actor=request.user),
                _("Follow request sent. Its public policies will appear in the library once it accepts."))
    else:
        attempt(request, lambda: _invalid(form))
    return redirect("federation:sphere", slug=sphere.slug)


@login_required
@require_POST
@limit_writes
def unfollow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    sphere = _managed_sphere(request, slug)
    remote = get_object_or_404(RemoteActor, pk=pk)
    attempt(request, lambda: services.do_unfollow_remote(sphere, remote, actor=request.user),
            _("This sphere no longer follows %(handle)s.") % {"handle": remote.handle})
    return redirect("federation:sphere", slug=sphere.slug)


@login_required
@require_POST
@limit_writes
def send_ratification(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = _managed_sphere(request, slug)
    form = RatificationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        attempt(request, lambda: services.do_send_ratification(sphere, data["declaration"], data["decision"],
                                                               actor=request.user),
                _("The decision of this sphere was sent to the network."))
    else:
        attempt(request, lambda: _invalid(form))
    return redirect("federation:sphere", slug=sphere.slug)


def _invalid(form) -> None:
    first = next(iter(form.errors.values()))[0]
    raise DomainError("invalid", first)

