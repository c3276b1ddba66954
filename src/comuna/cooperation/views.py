from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comuna.core.errors import DomainError
from comuna.core.ratelimits import limit_writes
from comuna.core.web import attempt, save_form
from comuna.spheres.models import Sphere

from . import iati, sdg, services
from .forms import (
    BudgetForm,
    DocumentForm,
    IdentifierForm,
    ImportForm,
    PartnershipEditForm,
    PartnershipForm,
    PlaceForm,
    ProjectEditForm,
    ProjectForm,
    ResultForm,
    TransactionForm,
)
from .models import Document, Organisation, Partnership, Project


def _partner(data: dict) -> Organisation:
    return services.partner_organisation(sphere=data.get("partner_sphere"), name=data.get("partner_name", ""),
                                         iati_ref=data.get("partner_ref", ""), kind=data.get("partner_type", ""))


def sphere_cooperation(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    can_manage = request.user.has_perm("cooperation.manage", sphere)
    overview = services.sphere_overview(sphere)
    organisation = overview["organisation"]
    return render(request, "cooperation/sphere.html", {
        "sphere": sphere, **overview, "can_manage": can_manage,
        "can_set_identifier": request.user.has_perm("cooperation.set_identifier", sphere),
        "identifier_form": IdentifierForm(initial={"iati_ref": organisation.iati_ref if organisation else ""}),
        "publishes": bool(organisation and organisation.iati_ref),
    })


@login_required
@require_POST
@limit_writes
def set_identifier(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    form = IdentifierForm(request.POST)
    if form.is_valid():
        attempt(request, lambda: services.do_set_identifier(request.user, sphere, form.cleaned_data["iati_ref"]),
                _("The IATI identifier is saved."))
    return redirect("cooperation:sphere", slug=sphere.slug)


@login_required
@limit_writes
def create_partnership(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("cooperation.manage", sphere):
        raise PermissionDenied
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create():
            return services.do_create_partnership(request.user, sphere, title=data["title"], partner=_partner(data),
                                                  description=data["description"], since=data["since"])

        ok, _result = attempt(request, create, _("The partnership is recorded."))
        if ok:
            return redirect("cooperation:sphere", slug=sphere.slug)
    return render(request, "cooperation/form.html", {
        "sphere": sphere, "form": form, "heading": _("New partnership"), "button": _("Record the partnership")})


@login_required
@limit_writes
def create_project(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("cooperation.manage", sphere):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, sphere=sphere)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create():
            partner = data["partnership"].partner if data["partnership"] and not (
                data["partner_sphere"] or data["partner_name"]) else None
            if partner is None and (data["partner_sphere"] or data["partner_name"]):
                partner = _partner(data)
            return services.do_create_project(
                request.user, sphere, title=data["title"], description=data["description"],
                partnership=data["partnership"], partners=[(partner, data["partner_role"])] if partner else [],
                sdg_targets=data["sdg_targets"], status=data["status"], currency=data["currency"].upper(),
                planned_start=data["planned_start"], planned_end=data["planned_end"], budget=data["budget"])

        ok, project = attempt(request, create, _("The project is published."))
        if ok:
            return redirect(project)
    return render(request, "cooperation/form.html", {
        "sphere": sphere, "form": form, "heading": _("New cooperation project"), "button": _("Publish the project")})


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("sphere", "reporting_org__sphere", "partnership"), pk=pk)
    can_manage = not project.imported and project.sphere is not None and \
        request.user.has_perm("cooperation.manage", project.sphere)
    return render(request, "cooperation/project.html", {
        "project": project,
        "participants": project.participants.select_related("organisation", "organisation__sphere"),
        "budgets": project.budgets.all(),
        "transactions": project.transactions.select_related("provider__sphere", "receiver__sphere"),
        "totals": services.totals(project.transactions.all()),
        "results": project.results.prefetch_related("indicators"),
        "documents": project.documents.all(),
        "targets": sdg.describe(project.sdg_targets),
        "can_manage": can_manage,
        "edit_url": reverse("cooperation:edit_project", args=[project.pk]) if can_manage else "",
        "transaction_form": TransactionForm(project=project) if can_manage else None,
        "result_form": ResultForm() if can_manage else None,
    })


@login_required
@require_POST
@limit_writes
def add_transaction(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    form = TransactionForm(request.POST, project=project)
    if form.is_valid():
        attempt(request, lambda: services.do_add_transaction(request.user, project, **form.cleaned_data),
                _("The transaction is recorded."))
    else:
        messages.error(request, _("Check the transaction: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect(project)


@login_required
@require_POST
@limit_writes
def add_result(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    form = ResultForm(request.POST)
    if form.is_valid():
        attempt(request, lambda: services.do_add_result(request.user, project, **form.cleaned_data),
                _("The result is recorded."))
    else:
        messages.error(request, _("Check the result: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect(project)


def iati_activities(request: HttpRequest, slug: str) -> HttpResponse:
    """The sphere's IATI 2.03 activities file (the same as `comuna iati export`)."""
    sphere = get_object_or_404(Sphere, slug=slug)
    try:
        document = iati.export_sphere(sphere)
    except DomainError as error:
        return HttpResponse(str(error.message), status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse(document, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{sphere.slug}-activities.xml"'
    return response


@login_required
@limit_writes
def import_iati(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cooperation.import_iati"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        ok, report = attempt(request, lambda: services.do_import_iati(
            upload.read(iati.MAX_IATI_BYTES + 1), actor=request.user, filename=upload.name))
        if not ok:
            report = None
    return render(request, "cooperation/import.html", {"form": form, "report": report})


# --- Editing ----------------------------------------------------------------------------------------------------

@login_required
@limit_writes
def edit_partnership(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_or_404(Partnership.objects.select_related("sphere"), pk=pk)
    sphere = partnership.sphere
    if not request.user.has_perm("cooperation.manage", sphere):
        raise PermissionDenied
    form = PartnershipEditForm(request.POST or None, initial={
        "title": partnership.title, "description": partnership.description, "since": partnership.since})
    done, status = save_form(request, form, lambda data: services.do_edit_partnership(request.user, partnership, **data),
                             _("The partnership is saved."))
    if done:
        return redirect("cooperation:sphere", slug=sphere.slug)
    return render(request, "cooperation/form.html", {
        "sphere": sphere, "form": form, "heading": _("Edit the partnership"), "button": _("Save the partnership")},
        status=status)


def _editable(request: HttpRequest, pk: int) -> Project:
    project = get_object_or_404(Project.objects.select_related("sphere"), pk=pk)
    if project.imported or project.sphere is None or not request.user.has_perm("cooperation.manage", project.sphere):
        raise PermissionDenied
    return project


def _edit_page(request: HttpRequest, project: Project, *, form=None, budget_form=None, document_form=None,
               place_form=None, status: int = 200) -> HttpResponse:
    initial = {"title": project.title, "description": project.description, "status": project.status,
               "planned_start": project.planned_start, "planned_end": project.planned_end,
               "actual_start": project.actual_start, "actual_end": project.actual_end,
               "sdg_targets": project.sdg_targets,
               "sectors": ", ".join(str(s.get("code")) for s in project.sectors or []
                                    if str(s.get("vocabulary", "1")) == "1"),
               "countries": ", ".join(project.countries or [])}
    return render(request, "cooperation/edit_project.html", {
        "project": project, "sphere": project.sphere, "form": form or ProjectEditForm(initial=initial),
        "budgets": project.budgets.all(), "documents": project.documents.all(),
        "places": list(enumerate(project.places or [])),
        "budget_form": budget_form or BudgetForm(), "document_form": document_form or DocumentForm(),
        "place_form": place_form or PlaceForm(),
    }, status=status)


def _failed(outcome) -> int:
    return getattr(outcome, "status", 400)


@login_required
@limit_writes
def edit_project(request: HttpRequest, pk: int) -> HttpResponse:
    project = _editable(request, pk)
    if request.method != "POST":
        return _edit_page(request, project)
    form = ProjectEditForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, project, form=form, status=400)
    data = dict(form.cleaned_data)
    data["sectors"] = services.parse_codes(data["sectors"])
    data["countries"] = services.parse_codes(data["countries"])
    ok, outcome = attempt(request, lambda: services.do_edit_project(request.user, project, **data),
                          _("The project is saved."))
    if ok:
        return redirect(project)
    project.refresh_from_db()
    return _edit_page(request, project, form=form, status=_failed(outcome))


def _add_to_project(request: HttpRequest, project: Project, form_name: str, form, action, success: str) -> HttpResponse:
    """What every addition on the edit page does: a form with errors, or an action refused, shows the page again
    with the form as it was filled and the reason (nothing is changed); done, back to the page."""
    if not form.is_valid():
        return _edit_page(request, project, status=400, **{form_name: form})
    ok, outcome = attempt(request, lambda: action(form.cleaned_data), success)
    if ok:
        return redirect("cooperation:edit_project", pk=project.pk)
    project.refresh_from_db()
    return _edit_page(request, project, status=_failed(outcome), **{form_name: form})


@login_required
@require_POST
@limit_writes
def add_budget(request: HttpRequest, pk: int) -> HttpResponse:
    project = _editable(request, pk)
    return _add_to_project(request, project, "budget_form", BudgetForm(request.POST),
                           lambda data: services.do_add_budget(request.user, project, **data), _("The budget is added."))


@login_required
@require_POST
@limit_writes
def remove_budget(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    project = _editable(request, pk)
    budget = get_object_or_404(project.budgets, pk=item)
    attempt(request, lambda: services.do_remove_budget(request.user, budget), _("The budget is removed."))
    return redirect("cooperation:edit_project", pk=pk)


@login_required
@require_POST
@limit_writes
def add_document(request: HttpRequest, pk: int) -> HttpResponse:
    project = _editable(request, pk)

    def add(data: dict):
        data = dict(data)
        upload = data.pop("upload")
        if upload is not None and upload.size > services.DOCUMENT_MAX_BYTES:  # refused before it is read into memory
            raise DomainError("file_too_large", _("A document can be at most 10 MB."), size=upload.size)
        return services.do_add_document(request.user, project, **data, upload_name=upload.name if upload else "",
                                        upload=upload.read() if upload else None,
                                        base_url=request.build_absolute_uri("/"))

    return _add_to_project(request, project, "document_form", DocumentForm(request.POST, request.FILES), add,
                           _("The document is added."))


@login_required
@require_POST
@limit_writes
def remove_document(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    project = _editable(request, pk)
    document = get_object_or_404(project.documents, pk=item)
    attempt(request, lambda: services.do_remove_document(request.user, document), _("The document is removed."))
    return redirect("cooperation:edit_project", pk=pk)


@login_required
@require_POST
@limit_writes
def add_place(request: HttpRequest, pk: int) -> HttpResponse:
    project = _editable(request, pk)
    return _add_to_project(request, project, "place_form", PlaceForm(request.POST),
                           lambda data: services.do_add_place(request.user, project, **data), _("The place is added."))


@login_required
@require_POST
@limit_writes
def remove_place(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    project = _editable(request, pk)
    attempt(request, lambda: services.do_remove_place(request.user, project, index), _("The place is removed."))
    return redirect("cooperation:edit_project", pk=pk)


def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    """An uploaded document, public like the project it belongs to; served with its checked media type."""
    document = get_object_or_404(Document, pk=pk)
    if not document.file:
        raise Http404
    response = FileResponse(document.file.open("rb"), content_type=document.format)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="{Path(document.file.name).name}"'
    return response
