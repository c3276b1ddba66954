from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comuna.core.errors import DomainError
from comuna.core.ratelimits import limit_writes
from comuna.core.web import attempt
from comuna.spheres.models import Sphere

from . import iati, sdg, services
from .forms import IdentifierForm, ImportForm, PartnershipForm, ProjectForm, ResultForm, TransactionForm
from .models import Organisation, Project


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
