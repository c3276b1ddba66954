from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comuna.core.ratelimits import VERIFY_RATE, limit_writes
from comuna.core.web import attempt
from comuna.spheres.models import Competence, Sphere
from comuna.spheres.services import do_remove_competence, do_set_competence

from . import services
from .forms import (
    CensusCheckForm,
    CensusUploadForm,
    CodeForm,
    CompetenceForm,
    DecisionForm,
    GrantRoleForm,
    IssueCodesForm,
    PreferencesForm,
    ResidencyRequestForm,
    TokenForm,
)
from .models import ApiToken, Census, RequestStatus, ResidencyRequest, RoleAssignment
from .selectors import STAFF_ROLES, has_role


@login_required
def me(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "accounts/me.html", {
        "residencies": user.residencies.select_related("sphere"),
        "requests": user.residency_requests.select_related("sphere").order_by("-created_at"),
        "roles": user.roles.select_related("sphere"),
        "tokens": user.api_tokens.order_by("-created_at"),
        "has_mfa": services.has_mfa(user),
        "code_form": CodeForm(),
        "token_form": TokenForm(),
        "preferences_form": PreferencesForm(initial={"email_digest": user.email_digest,
                                                     "language": user.language or request.LANGUAGE_CODE}),
    })


@login_required
@require_POST
@limit_writes
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST)
    if form.is_valid():
        request.user.email_digest = form.cleaned_data["email_digest"]
        request.user.language = form.cleaned_data["language"]
        request.user.save(update_fields=["email_digest", "language"])
        messages.success(request, _("Your preferences are saved."))
    return redirect("accounts:me")


@login_required
@require_POST
@limit_writes(rate=VERIFY_RATE)
def redeem_code(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        ok, residency = attempt(request, lambda: services.do_redeem_code(request.user, form.cleaned_data["code"]))
        if ok:
            messages.success(request, _("You are now a verified resident of %(sphere)s.") % {"sphere": residency.sphere.name})
    else:
        messages.error(request, _("Enter the code you were given."))
    return redirect("accounts:me")


@login_required
@limit_writes
def residency(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    census_form, request_form = CensusCheckForm(), ResidencyRequestForm()
    if request.method == "POST":
        return _residency_post(request, sphere)
    return render(request, "accounts/residency.html", {
        "sphere": sphere,
        "has_census": Census.objects.filter(sphere=sphere).exists(),
        "census_form": census_form,
        "request_form": request_form,
        "code_form": CodeForm(),
        "pending": ResidencyRequest.objects.filter(user=request.user, sphere=sphere, status=RequestStatus.PENDING).first(),
        "resident": request.user.residencies.filter(sphere=sphere).first(),
    })


@limit_writes(rate=VERIFY_RATE)
def _residency_post(request: HttpRequest, sphere: Sphere) -> HttpResponse:
    if request.POST.get("method") == "census":
        form = CensusCheckForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: services.do_verify_by_census(
                request.user, sphere, form.cleaned_data["document_number"], form.cleaned_data["birth_date"]),
                _("You are now a verified resident of %(sphere)s.") % {"sphere": sphere.name})
        else:
            messages.error(request, _("Give your document number and your date of birth."))
    else:
        form = ResidencyRequestForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: services.do_request_residency(request.user, sphere, form.cleaned_data["message"]),
                    _("Your request was sent to the officials of %(sphere)s.") % {"sphere": sphere.name})
    return redirect("accounts:residency", slug=sphere.slug)


@login_required
@limit_writes
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The staff desk of a sphere: census, codes, residency requests and roles."""
    sphere = get_object_or_404(Sphere, slug=slug)
    if not has_role(request.user, sphere, STAFF_ROLES):
        return render(request, "core/error.html", {"title": _("Not allowed"),
                      "message": _("Only the staff of %(sphere)s can open its desk.") % {"sphere": sphere.name}}, status=403)
    codes = None
    if request.method == "POST":
        codes = _manage_post(request, sphere)
        if codes is None:
            return redirect("accounts:manage", slug=sphere.slug)
    return render(request, "accounts/manage.html", {
        "sphere": sphere,
        "can_admin": request.user.has_perm("spheres.manage_roles", sphere),
        "can_officiate": request.user.has_perm("accounts.issue_codes", sphere),
        "census": Census.objects.filter(sphere=sphere).first(),
        "requests": ResidencyRequest.objects.filter(sphere=sphere, status=RequestStatus.PENDING).select_related("user"),
        "roles": RoleAssignment.objects.filter(sphere=sphere).select_related("user").order_by("role"),
        "codes": codes,
        "census_form": CensusUploadForm(),
        "codes_form": IssueCodesForm(),
        "grant_form": GrantRoleForm(),
        "decision_form": DecisionForm(),
        "competence_form": CompetenceForm(),
        "competences": Competence.objects.filter(sphere=sphere).select_related("function"),
        "mfa_missing": settings.COMUNA_OFFICIAL_MFA_REQUIRED and not services.has_mfa(request.user),
    })


@limit_writes
def _manage_post(request: HttpRequest, sphere: Sphere) -> list[str] | None:
    """Returns the freshly issued codes to show once, or None to redirect."""
    action = request.POST.get("action")
    if action == "census":
        form = CensusUploadForm(request.POST, request.FILES)
        if form.is_valid():
            attempt(request, lambda: services.do_upload_census(sphere, form.cleaned_data["file"].read(), actor=request.user),
                    _("The census was replaced."))
        else:
            messages.error(request, _("Choose a census file to upload."))
    elif action == "codes":
        form = IssueCodesForm(request.POST)
        if form.is_valid():
            ok, codes = attempt(request, lambda: services.do_issue_codes(
                sphere, form.cleaned_data["count"], actor=request.user, valid_days=form.cleaned_data["valid_days"]))
            if ok:
                return codes
        else:
            messages.error(request, _("Issue between 1 and 1000 codes, valid for 1 to 365 days."))
    elif action in {"approve", "reject"}:
        residency_request = get_object_or_404(ResidencyRequest, pk=request.POST.get("request"), sphere=sphere)
        form = DecisionForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        attempt(request, lambda: services.do_decide_request(
            residency_request, approve=action == "approve", reason=reason, actor=request.user), _("Decision recorded."))
    elif action == "grant":
        form = GrantRoleForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: services.do_grant_role(
                sphere, form.cleaned_data["email"], form.cleaned_data["role"], actor=request.user), _("Role granted."))
        else:
            messages.error(request, _("Give a valid e-mail address and a role."))
    elif action == "revoke":
        assignment = get_object_or_404(RoleAssignment, pk=request.POST.get("assignment"), sphere=sphere)
        attempt(request, lambda: services.do_revoke_role(assignment, actor=request.user), _("Role revoked."))
    elif action == "competence":
        form = CompetenceForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: _set_competence(request.user, sphere, form.cleaned_data), _("Competence declared."))
        else:
            messages.error(request, _("Choose a function and whether the competence is exclusive or shared."))
    elif action == "remove_competence":
        competence = get_object_or_404(Competence, pk=request.POST.get("competence"), sphere=sphere)
        attempt(request, lambda: _remove_competence(request.user, competence), _("Competence removed."))
    else:
        messages.error(request, _("Unknown action."))
    return None


def _set_competence(user, sphere: Sphere, data: dict):
    services.check_perm(user, "spheres.change_sphere", sphere, _("Only an admin of %(sphere)s can change it.") % {"sphere": sphere.name})
    return do_set_competence(sphere, data["function"], data["kind"], actor=user)


def _remove_competence(user, competence: Competence) -> None:
    sphere = competence.sphere
    services.check_perm(user, "spheres.change_sphere", sphere, _("Only an admin of %(sphere)s can change it.") % {"sphere": sphere.name})
    do_remove_competence(competence, actor=user)


@login_required
@require_POST
@limit_writes
def create_token(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    token = None
    if form.is_valid():
        ok, result = attempt(request, lambda: services.do_create_api_token(request.user, form.cleaned_data["name"]))
        token = result[1] if ok else None
    else:
        messages.error(request, _("Give the token a name, so you can recognise it later."))
    if token is None:
        return redirect("accounts:me")
    return render(request, "accounts/token_created.html", {"token": token})


@login_required
@require_POST
@limit_writes
def delete_token(request: HttpRequest, token_id: int) -> HttpResponse:
    get_object_or_404(ApiToken, pk=token_id, user=request.user).delete()
    messages.success(request, _("Token deleted."))
    return redirect("accounts:me")


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    from django.http import JsonResponse

    from .privacy import export_my_data

    response = JsonResponse(export_my_data(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-comuna-data.json"'
    return response


@login_required
@limit_writes
def delete_account(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout

    from .privacy import do_delete_account

    if request.method == "POST":
        user = request.user
        ok, _result = attempt(request, lambda: do_delete_account(user, request.POST.get("confirmation", "")))
        if ok:
            logout(request)
            messages.success(request, _("Your account is deleted. What you wrote stays, signed “former member”."))
            return redirect("home")
    return render(request, "accounts/delete.html")
