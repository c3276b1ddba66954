"""Pages of public services: the catalogue, reporting a problem, my requests, the triage desk, a request."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comuna.accounts.models import Role, User
from comuna.core.ratelimits import limit_writes
from comuna.core.web import attempt, save_form, submit
from comuna.spheres.models import Sphere

from . import selectors, services
from .forms import (
    ApiKeyForm,
    AssignForm,
    AttributeForm,
    EditAttributeForm,
    NewServiceForm,
    ReportForm,
    ServiceForm,
    UpdateForm,
)
from .models import ApiKey, RequestStatus, Service, ServiceAttribute, ServiceRequest


def catalogue(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    can_manage = request.user.is_authenticated and request.user.has_perm("public_services.manage_catalogue", sphere)
    return render(request, "services/catalogue.html", {
        "sphere": sphere,
        "services": (Service.objects.filter(sphere=sphere).order_by("-active", "group", "name_en") if can_manage
                     else selectors.catalogue(sphere)),
        "can_triage": selectors.can_triage(request.user, sphere),
        "can_issue_keys": request.user.is_authenticated and request.user.has_perm(
            "public_services.issue_api_key", sphere),
        "can_manage": can_manage,
    })


@login_required
@limit_writes
def report(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("sphere"), sphere__slug=slug, service_code=code)
    if not service.active:
        return render(request, "core/error.html", {"title": service.name, "message": _(
            "This service no longer takes new requests. The requests already made can still be followed.")},
            status=404)
    form = ReportForm(request.POST or None, request.FILES or None, service=service)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("photo")
        submitted = services.Report(
            description=data["description"], address=data["address"], lat=data["lat"], long=data["long"],
            attributes=form.attribute_answers(), photo_name=upload.name if upload else "",
            photo=upload.read(services.MAX_PHOTO_BYTES + 1) if upload else None, email=request.user.email)
        ok, item = attempt(request, lambda: services.do_submit_request(service, submitted, author=request.user),
                           _("Your request is sent. You can follow it here."))
        if ok:
            return redirect(item)
    return render(request, "services/report.html", {"service": service, "sphere": service.sphere, "form": form})


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    items = ServiceRequest.objects.filter(author=request.user).select_related("service", "sphere")
    return render(request, "services/mine.html", {"page": Paginator(items, 25).get_page(request.GET.get("page"))})


@login_required
def desk(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    if not selectors.can_triage(request.user, sphere):
        raise Http404
    status = request.GET.get("status", RequestStatus.OPEN)
    items = selectors.desk(sphere, status)
    return render(request, "services/desk.html", {
        "sphere": sphere, "status": status, "statuses": RequestStatus.choices,
        "page": Paginator(items, 50).get_page(request.GET.get("page")),
    })


def _staff(sphere: Sphere):
    return User.objects.filter(roles__sphere_id__in=sphere.chain_ids(),
                               roles__role__in=[Role.ADMIN, Role.OFFICIAL]).distinct()


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ServiceRequest.objects.select_related("service", "sphere", "assigned_to", "author"),
                             pk=pk)
    staff = selectors.can_triage(request.user, item.sphere)
    notes = item.notes.select_related("author", "assigned_to")
    if not staff:
        notes = notes.filter(internal=False)
    return render(request, "services/request.html", {
        "item": item, "sphere": item.sphere, "staff": staff, "notes": notes,
        "mine": request.user.is_authenticated and item.author_id == request.user.pk,
        "attributes": _attribute_rows(item),
        "assign_form": AssignForm(staff=_staff(item.sphere), initial={"assignee": item.assigned_to_id})
        if staff else None,
        "update_form": UpdateForm(initial={"status": item.status}) if staff else None,
    })


def _attribute_rows(item: ServiceRequest) -> list[tuple[str, str]]:
    rows = []
    for attribute in item.service.attributes.all():
        value = item.attributes.get(attribute.code)
        if value in (None, "", []):
            continue
        names = {str(choice["key"]): choice["name"] for choice in attribute.values}
        values = value if isinstance(value, list) else [value]
        rows.append((attribute.description, ", ".join(names.get(str(one), str(one)) for one in values)))
    return rows


@login_required
@require_POST
@limit_writes
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ServiceRequest.objects.select_related("sphere"), pk=pk)
    form = AssignForm(request.POST, staff=_staff(item.sphere))
    submit(request, form, lambda data: services.do_assign(request.user, item, data["assignee"], data["note"]),
           _("Request assigned."), _("Choose one of the sphere's officials."))
    return redirect(item)


@login_required
@require_POST
@limit_writes
def update(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ServiceRequest.objects.select_related("sphere"), pk=pk)
    form = UpdateForm(request.POST)
    submit(request, form, lambda data: services.do_update(
        request.user, item, status=data["status"], note=data["note"], internal=data["internal"],
        expected_at=data["expected_at"]), _("Request updated."), _("Choose open or closed, and check the date."))
    return redirect(item)


def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The request's photo, checked and re-encoded on upload; public like the request itself (no EXIF kept)."""
    item = get_object_or_404(ServiceRequest, pk=pk)
    if not item.photo:
        raise Http404
    response = FileResponse(item.photo.open("rb"), content_type=item.photo_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@limit_writes
def api_keys(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("public_services.issue_api_key", sphere):
        raise Http404
    form = ApiKeyForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        ok, result = attempt(request, lambda: services.do_issue_api_key(request.user, sphere,
                                                                        form.cleaned_data["name"]))
        if ok:
            issued = result[1]
            form = ApiKeyForm()
    return render(request, "services/api_keys.html", {
        "sphere": sphere, "form": form, "issued": issued, "keys": ApiKey.objects.filter(sphere=sphere)})


@login_required
@require_POST
@limit_writes
def revoke_key(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey.objects.select_related("sphere"), pk=pk)
    attempt(request, lambda: services.do_revoke_api_key(request.user, key), _("Key revoked."))
    return redirect("services:api_keys", slug=key.sphere.slug)


def _catalogue_admin(request: HttpRequest, sphere: Sphere) -> None:
    if not request.user.has_perm("public_services.manage_catalogue", sphere):
        raise Http404


@login_required
@limit_writes
def create_service(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    _catalogue_admin(request, sphere)
    form = NewServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if value is not None}
        data["name"] = data.pop("name_en")
        ok, service = attempt(request, lambda: services.do_create_service(request.user, sphere, **data),
                              _("The service is in the catalogue."))
        if ok:
            return redirect("services:questions", slug=sphere.slug, code=service.service_code)
    return render(request, "services/service_form.html", {"sphere": sphere, "form": form})


def _managed_service(request: HttpRequest, slug: str, code: str) -> Service:
    service = get_object_or_404(Service.objects.select_related("sphere"), sphere__slug=slug, service_code=code)
    _catalogue_admin(request, service.sphere)
    return service


@login_required
@limit_writes
def edit_service(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    service = _managed_service(request, slug, code)
    initial = {name: getattr(service, name) for name in services.EDITABLE_SERVICE_FIELDS}
    form = ServiceForm(request.POST or None, initial=initial)
    done, status = save_form(request, form, lambda data: services.do_edit_service(request.user, service, **data),
                             _("The service is saved."))
    if done:
        return redirect("services:catalogue", slug=slug)
    return render(request, "services/service_form.html", {"sphere": service.sphere, "form": form,
                                                          "service": service}, status=status)


@login_required
@require_POST
@limit_writes
def switch_service(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    service = _managed_service(request, slug, code)
    active = request.POST.get("active") == "1"
    attempt(request, lambda: services.do_set_service_active(request.user, service, active),
            _("The service takes new requests again.") if active else
            _("The service is switched off: it takes no new requests; its requests stay readable."))
    return redirect("services:catalogue", slug=slug)


@login_required
@limit_writes
def questions(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    service = _managed_service(request, slug, code)
    form = AttributeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _attribute = attempt(request, lambda: services.do_add_attribute(request.user, service,
                                                                            **form.cleaned_data),
                                 _("Question added."))
        if ok:
            return redirect("services:questions", slug=slug, code=code)
    return render(request, "services/questions.html", {"sphere": service.sphere, "service": service, "form": form,
                                                      "attributes": service.attributes.all()})


def _choices_text(attribute: ServiceAttribute) -> str:
    return "\n".join(f"{value['key']}: {value['name']}" for value in attribute.values)


@login_required
@limit_writes
def edit_question(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    service = _managed_service(request, slug, code)
    attribute = get_object_or_404(service.attributes, pk=pk)
    form = EditAttributeForm(request.POST or None, initial={
        "description": attribute.description, "required": attribute.required,
        "datatype_description": attribute.datatype_description, "choices": _choices_text(attribute)})
    done, status = save_form(request, form, lambda data: services.do_edit_attribute(request.user, attribute, **data),
                             _("Question saved."))
    if done:
        return redirect("services:questions", slug=slug, code=code)
    return render(request, "services/question_form.html", {"sphere": service.sphere, "service": service,
                                                          "attribute": attribute, "form": form}, status=status)


@login_required
@require_POST
@limit_writes
def remove_question(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    service = _managed_service(request, slug, code)
    attribute = get_object_or_404(service.attributes, pk=pk)
    attempt(request, lambda: services.do_remove_attribute(request.user, attribute), _("Question removed."))
    return redirect("services:questions", slug=slug, code=code)
