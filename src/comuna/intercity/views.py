"""Pages of the intercity system. Thin: each calls one domain function and shows its refusal as a message."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comuna.core.ratelimits import limit_writes
from comuna.core.web import attempt, submit
from comuna.participation.amendments import word_diff
from comuna.spheres.models import Function, Sphere, SphereKind

from . import declarations, forms, services
from .models import (
    Declaration,
    DeclarationAmendment,
    Dialogue,
    HelpRequest,
    MentorOffer,
    Method,
    OfferStatus,
    Policy,
    Ratification,
)
from .selectors import official_spheres

PAGE_SIZE = 20


# --- Policy library -----------------------------------------------------------------------------------------------

def library(request: HttpRequest) -> HttpResponse:
    params = {key: request.GET.get(key, "")[:200] for key in ("q", "sphere", "country", "function", "goal",
                                                              "language")}
    query = services.PolicyQuery(text=params["q"], sphere=params["sphere"], country=params["country"],
                                 function=params["function"], goal=params["goal"], language=params["language"])
    policies = services.find_policies(query)
    page = Paginator(policies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "intercity/library.html", {
        "page": page, "params": params, "facets": services.facets(policies),
        "query": urlencode({k: v for k, v in params.items() if v}),
        "spheres": Sphere.objects.filter(kind=SphereKind.NETWORK),
        "functions": Function.objects.filter(parent__isnull=True),
        "goals": services.sdg_goal_choices(),
        "can_publish": official_spheres(request.user).exists(),
        "my_spheres": official_spheres(request.user)[:20],
    })


def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy.objects.select_related("sphere", "parent__sphere", "function"), pk=pk)
    can_edit = policy.sphere is not None and not policy.is_remote and request.user.has_perm(
        "intercity.publish_policy", policy.sphere)
    return render(request, "intercity/policy.html", {
        "policy": policy, "targets": services.describe_targets(policy.sdg_targets),
        "language_names": [services.language_name(code) for code in policy.languages],
        "diff": services.differences(policy),
        "adaptations": policy.adaptations.select_related("sphere"),
        "can_edit": can_edit, "can_adopt": official_spheres(request.user).exists(),
    })


def _policy_form_page(request, form, *, heading: str, button: str, sphere=None, policy=None) -> HttpResponse:
    return render(request, "intercity/policy_form.html", {
        "form": form, "heading": heading, "button": button, "sphere": sphere, "policy": policy})


@login_required
@limit_writes
def publish_policy(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("intercity.publish_policy", sphere):
        raise PermissionDenied
    form = forms.PolicyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ok, result = attempt(request, lambda: services.do_publish_policy(sphere, form.policy_input(),
                                                                         actor=request.user),
                             _("The policy is published in the library."))
        if ok:
            return redirect(result)
    return _policy_form_page(request, form, heading=_("Publish a policy of %(sphere)s") % {"sphere": sphere.name},
                             button=_("Publish"), sphere=sphere)


def _initial_from(policy: Policy) -> dict:
    return {"title": policy.title, "problem": policy.problem, "measures": policy.measures,
            "function": policy.function_id, "sdg_targets": policy.sdg_targets,
            "languages": ", ".join(policy.languages), "contact": policy.contact,
            "indicators": "\n".join("; ".join(str(v) if v is not None else "" for v in
                                              (i.name, i.baseline, i.value, i.unit, i.year))
                                    for i in policy.indicators.all()),
            "documents": "\n".join(f"{d.title} | {d.url}" for d in policy.documents.all() if d.url)}


@login_required
@limit_writes
def edit_policy(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=pk)
    if policy.sphere is None or not request.user.has_perm("intercity.publish_policy", policy.sphere):
        raise PermissionDenied
    form = forms.PolicyForm(request.POST or None, request.FILES or None, initial=_initial_from(policy))
    if request.method == "POST" and form.is_valid():
        ok, _result = attempt(request, lambda: services.do_update_policy(
            policy, form.policy_input(adaptation=policy.adaptation), actor=request.user), _("The policy is saved."))
        if ok:
            return redirect(policy)
    return _policy_form_page(request, form, heading=_("Edit “%(title)s”") % {"title": policy.title},
                             button=_("Save"), sphere=policy.sphere, policy=policy)


@login_required
@limit_writes
def adopt_policy(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_object_or_404(Policy.objects.select_related("sphere"), pk=pk)
    spheres = official_spheres(request.user).exclude(kind=SphereKind.NETWORK)
    if not spheres.exists():
        raise PermissionDenied
    initial = _initial_from(parent)
    initial.update(indicators="", contact="")
    form = forms.AdoptForm(request.POST or None, request.FILES or None, spheres=spheres, initial=initial)
    if request.method == "POST" and form.is_valid():
        sphere = form.cleaned_data["sphere"]
        ok, result = attempt(request, lambda: services.do_adopt_policy(
            parent, sphere, form.policy_input(adaptation=form.cleaned_data["adaptation"]), actor=request.user),
            _("The policy is adopted: your adaptation is in the library, linked to the original."))
        if ok:
            return redirect(result)
    return _policy_form_page(request, form, heading=_("Adopt and adapt “%(title)s”") % {"title": parent.title},
                             button=_("Adopt"), policy=parent)


def diffusion(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy.objects.select_related("sphere"), pk=pk)
    return render(request, "intercity/diffusion.html", {"policy": policy, "graph": services.lineage(policy)})


def diffusion_svg(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy.objects.select_related("sphere"), pk=pk)
    return render(request, "intercity/_diffusion.svg", {"policy": policy, "graph": services.lineage(policy),
                                                        "standalone": True}, content_type="image/svg+xml")


# --- Peer learning ---------------------------------------------------------------------------------------------

def help_requests(request: HttpRequest) -> HttpResponse:
    requests = HelpRequest.objects.select_related("sphere", "function")
    return render(request, "intercity/help_requests.html", {
        "page": Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page")),
        "my_spheres": official_spheres(request.user).exclude(kind=SphereKind.NETWORK)[:20]})


@login_required
@limit_writes
def ask_for_help(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("intercity.peer_learning", sphere):
        raise PermissionDenied
    form = forms.HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, result = attempt(request, lambda: services.do_ask_for_help(sphere, actor=request.user, **form.cleaned_data),
                             _("Your request is published: other spheres can offer to mentor you."))
        if ok:
            return redirect(result)
    return render(request, "intercity/form.html", {"form": form, "button": _("Ask for help"),
                                                   "heading": _("%(sphere)s asks for help") % {"sphere": sphere.name}})


def help_request(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = get_object_or_404(HelpRequest.objects.select_related("sphere"), pk=pk)
    mine = official_spheres(request.user)
    offers = list(help_request.offers.select_related("sphere").prefetch_related("sessions__sphere"))
    for offer in offers:
        sides = mine.filter(pk__in=[offer.sphere_id, help_request.sphere_id])
        offer.session_form = forms.SessionForm(spheres=sides) if offer.status == OfferStatus.ACCEPTED \
            and sides.exists() else None
    return render(request, "intercity/help_request.html", {
        "help_request": help_request, "offers": offers,
        "offer_form": forms.OfferForm(spheres=mine.exclude(pk=help_request.sphere_id).exclude(
            kind=SphereKind.NETWORK)) if help_request.status == "open" else None,
        "can_accept": request.user.has_perm("intercity.peer_learning", help_request.sphere)})


@login_required
@require_POST
@limit_writes
def offer_mentoring(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = get_object_or_404(HelpRequest, pk=pk)
    form = forms.OfferForm(request.POST, spheres=official_spheres(request.user))
    submit(request, form, lambda data: services.do_offer_mentoring(help_request, data["sphere"],
                                                                   message=data["message"], actor=request.user),
           _("Your offer is sent."), _("Fill in every field of the form."))
    return redirect(help_request)


@login_required
@require_POST
@limit_writes
def accept_offer(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(MentorOffer.objects.select_related("request"), pk=pk)
    attempt(request, lambda: services.do_accept_offer(offer, actor=request.user), _("The offer is accepted."))
    return redirect(offer.request)


@login_required
@require_POST
@limit_writes
def record_session(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(MentorOffer.objects.select_related("request"), pk=pk)
    form = forms.SessionForm(request.POST, spheres=official_spheres(request.user))
    submit(request, form, lambda data: services.do_record_session(offer, data["sphere"], held_on=data["held_on"],
                                                                  notes=data["notes"], actor=request.user),
           _("The session is recorded."), _("Fill in every field of the form."))
    return redirect(offer.request)


# --- Joint declarations ---------------------------------------------------------------------------------------

@limit_writes
def network_declarations(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Sphere, slug=slug, kind=SphereKind.NETWORK)
    can_draft = request.user.has_perm("intercity.draft_declaration", network)
    form = forms.DeclarationForm(request.POST or None) if can_draft else None
    if request.method == "POST" and form is not None and form.is_valid():
        ok, result = attempt(request, lambda: declarations.do_create_declaration(
            network, actor=request.user, **form.cleaned_data), _("The draft declaration is created."))
        if ok:
            return redirect(result)
    return render(request, "intercity/network_declarations.html", {
        "network": network, "declarations": network.declarations.all(), "form": form, "can_draft": can_draft,
        "remote_members": network.remote_members.all(),
        "remote_form": forms.RemoteMemberForm() if can_draft else None})


@login_required
@require_POST
@limit_writes
def add_remote_member(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Sphere, slug=slug, kind=SphereKind.NETWORK)
    form = forms.RemoteMemberForm(request.POST)
    submit(request, form, lambda data: declarations.do_add_remote_member(network, actor=request.user, **data),
           _("The member is added."), _("Fill in every field of the form."))
    return redirect("intercity:network_declarations", slug=network.slug)


def declaration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(Declaration.objects.select_related("network"), pk=pk)
    statuses = declarations.member_statuses(declaration)
    user = request.user
    can_draft = user.has_perm("intercity.draft_declaration", declaration.network)
    member_spheres = official_spheres(user, among=declaration.network.members.all())
    pending_mine = official_spheres(user, among=Sphere.objects.filter(
        ratifications__declaration=declaration, ratifications__decision="pending",
        ratifications__method__in=["", Method.OFFICIALS]))
    amendments = list(declaration.amendments.select_related("sphere"))
    for amendment in amendments:
        amendment.diff = word_diff(declaration.text, amendment.text) if amendment.status == "pending" else None
    drafting = declaration.status == "drafting"
    votes = [row for row in statuses["members"] if row.method == Method.VOTE and row.process_id]
    return render(request, "intercity/declaration.html", {
        "declaration": declaration, **statuses, "amendments": amendments, "votes": votes,
        "versions": declaration.versions.order_by("-number"),
        "can_draft": can_draft,
        "revise_form": forms.DeclarationForm(initial={"title": declaration.title, "text": declaration.text})
        if can_draft and drafting else None,
        "amend_form": forms.AmendmentForm(spheres=member_spheres, initial={"text": declaration.text})
        if drafting and member_spheres.exists() else None,
        "decide_amendment_form": forms.DecideAmendmentForm() if can_draft and drafting else None,
        "open_form": forms.OpenRatificationForm() if can_draft and drafting else None,
        "decision_form": forms.DecisionForm(spheres=pending_mine)
        if declaration.status != "drafting" and pending_mine.exists() else None,
        "vote_form": forms.CallVoteForm(spheres=pending_mine.exclude(ratifications__method=Method.VOTE))
        if declaration.status != "drafting" and pending_mine.exists() else None,
    })


def _declaration_post(request: HttpRequest, pk: int, form_class, action, success: str, **form_kwargs):
    declaration = get_object_or_404(Declaration.objects.select_related("network"), pk=pk)
    form = form_class(request.POST, **form_kwargs)
    submit(request, form, lambda data: action(declaration, data), success, _("Fill in every field of the form."))
    return redirect(declaration)


@login_required
@require_POST
@limit_writes
def revise_declaration(request: HttpRequest, pk: int) -> HttpResponse:
    return _declaration_post(request, pk, forms.DeclarationForm, lambda d, data: declarations.do_revise_declaration(
        d, actor=request.user, **data), _("A new version of the text is saved."))


@login_required
@require_POST
@limit_writes
def propose_amendment(request: HttpRequest, pk: int) -> HttpResponse:
    return _declaration_post(
        request, pk, forms.AmendmentForm, lambda d, data: declarations.do_propose_amendment(
            d, data["sphere"], text=data["text"], reason=data["reason"], actor=request.user),
        _("Your amendment is sent to the drafting group."), spheres=Sphere.objects.all())


@login_required
@require_POST
@limit_writes
def decide_amendment(request: HttpRequest, pk: int) -> HttpResponse:
    amendment = get_object_or_404(DeclarationAmendment, pk=pk)
    form = forms.DecideAmendmentForm(request.POST)
    submit(request, form, lambda data: declarations.do_decide_amendment(amendment, actor=request.user, **data),
           _("The amendment is decided."), _("Fill in every field of the form."))
    return redirect("intercity:declaration", pk=amendment.declaration_id)


@login_required
@require_POST
@limit_writes
def open_ratification(request: HttpRequest, pk: int) -> HttpResponse:
    def open_it(declaration, data):
        quorum = {f"quorum_{data['quorum_kind']}": data["quorum_value"]}
        return declarations.do_open_ratification(declaration, actor=request.user, **quorum)

    return _declaration_post(request, pk, forms.OpenRatificationForm, open_it,
                             _("Ratification is open: each member now decides."))


@login_required
@require_POST
@limit_writes
def decide_ratification(request: HttpRequest, pk: int) -> HttpResponse:
    return _declaration_post(
        request, pk, forms.DecisionForm, lambda d, data: declarations.do_decide_ratification(
            d, data["sphere"], decision=data["decision"], note=data["note"], actor=request.user),
        _("The decision is recorded."), spheres=Sphere.objects.all())


@login_required
@require_POST
@limit_writes
def call_vote(request: HttpRequest, pk: int) -> HttpResponse:
    return _declaration_post(
        request, pk, forms.CallVoteForm, lambda d, data: declarations.do_call_vote(
            d, data["sphere"], days=data["days"], actor=request.user),
        _("The residents' vote is open."), spheres=Sphere.objects.all())


@limit_writes
def ratification_vote(request: HttpRequest, pk: int) -> HttpResponse:
    ratification = get_object_or_404(Ratification.objects.select_related("declaration__network", "sphere",
                                                                         "process"), pk=pk, method=Method.VOTE)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        form = forms.VoteForm(request.POST)
        if form.is_valid():
            ok, _result = attempt(request, lambda: declarations.do_cast_vote(ratification, request.user,
                                                                             form.cleaned_data["choice"]),
                                  _("Your vote is counted. It is secret: nobody can see what you chose."))
            if ok:
                return redirect("intercity:ratification_vote", pk=ratification.pk)
    else:
        declarations.close_due_votes(declaration=ratification.declaration)
        form = forms.VoteForm()
    ratification.refresh_from_db()
    return render(request, "intercity/vote.html", {
        "ratification": ratification, "declaration": ratification.declaration, "form": form,
        "ends_at": declarations.vote_ends_at(ratification),
        "is_open": not ratification.is_decided and ratification.process.allows("vote"),
        "has_voted": declarations.has_voted(ratification, request.user)})


# --- Dialogue between spheres ----------------------------------------------------------------------------------

def dialogues(request: HttpRequest) -> HttpResponse:
    threads = Dialogue.objects.prefetch_related("spheres")
    return render(request, "intercity/dialogues.html", {
        "page": Paginator(threads, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_start": official_spheres(request.user).exists()})


@login_required
@limit_writes
def start_dialogue(request: HttpRequest) -> HttpResponse:
    spheres = official_spheres(request.user)
    if not spheres.exists():
        raise PermissionDenied
    referral = None
    referral_id = request.GET.get("referral", "")
    if referral_id.isdigit():
        from comuna.participation.models import Referral

        referral = Referral.objects.filter(pk=int(referral_id)).select_related("proposal").first()
    form = forms.DialogueForm(request.POST or None, spheres=spheres)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, result = attempt(request, lambda: services.do_start_dialogue(
            data["sphere"], title=data["title"], others=list(data["others"]), body=data["body"],
            function=data["function"], referral=referral, actor=request.user), _("The dialogue is open."))
        if ok:
            return redirect(result)
    return render(request, "intercity/form.html", {"form": form, "heading": _("Start a dialogue between spheres"),
                                                   "button": _("Start the dialogue"), "referral": referral})


@limit_writes
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = get_object_or_404(Dialogue.objects.select_related("referral__proposal", "function"), pk=pk)
    mine = official_spheres(request.user, among=dialogue.spheres.all())
    form = forms.MessageForm(request.POST or None, spheres=mine) if mine.exists() else None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if form is not None and form.is_valid():
            data = form.cleaned_data
            ok, _result = attempt(request, lambda: services.do_post_message(
                dialogue, data["sphere"], body=data["body"], is_position=data["is_position"], actor=request.user),
                _("Your message is posted."))
            if ok:
                return redirect(dialogue)
    return render(request, "intercity/dialogue.html", {
        "dialogue": dialogue, "messages_list": dialogue.messages.select_related("sphere", "author"),
        "positions": services.positions(dialogue), "form": form})
