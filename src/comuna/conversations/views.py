"""Pages: conversations (vote, add statements, the map, the report, the export, moderation), the tensions register
and its dashboard, mediation cases. Every form works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comuna.core.errors import DomainError
from comuna.core.ratelimits import limit_writes
from comuna.core.web import attempt, submit
from comuna.spheres.models import Sphere

from . import exports, selectors, services
from .forms import (
    AgreementForm,
    CaseForm,
    ConversationForm,
    FollowUpForm,
    ImportConversationForm,
    ImportFilesForm,
    NoteForm,
    PartyForm,
    SessionForm,
    SphereConversationForm,
    StatementForm,
    TensionForm,
    TriageForm,
)
from .maps import opinion_map
from .models import (
    Agreement,
    Conversation,
    MediationCase,
    Moderation,
    Statement,
    TensionReport,
    TensionStatus,
    Vote,
    VoteValue,
)

TENSION_RATE = "5/h"  # a report is a serious act; a flood of them hides the real signals


def _refuse(message: str):
    raise DomainError("invalid", message)


def visible_conversation(request: HttpRequest, slug: str) -> Conversation:
    conversation = get_object_or_404(Conversation.objects.select_related("sphere", "process", "case"), slug=slug)
    try:
        services.check_can_see(request.user, conversation)
    except DomainError:
        raise Http404 from None
    return conversation


# --- Conversations --------------------------------------------------------------------------------------------

def sphere_conversations(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    conversations = Conversation.objects.filter(sphere=sphere).select_related("process")
    conversations = [c for c in conversations if c.process is None or not c.process.is_private
                     or request.user.is_authenticated and _can_see(request.user, c)]
    return render(request, "conversations/sphere.html", {
        "sphere": sphere, "conversations": conversations,
        "can_open": request.user.is_authenticated and request.user.has_perm("conversations.open_conversation",
                                                                             sphere),
        "can_triage": request.user.is_authenticated and request.user.has_perm("conversations.triage_tensions",
                                                                                sphere),
        "can_import": request.user.is_authenticated and request.user.has_perm("conversations.import_export", sphere),
    })


def _can_see(user, conversation: Conversation) -> bool:
    try:
        services.check_can_see(user, conversation)
    except DomainError:
        return False
    return True


@login_required
@limit_writes
def open_conversation(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("conversations.open_conversation", sphere):
        raise Http404
    form = SphereConversationForm(request.POST or None, sphere=sphere)
    if request.method == "POST" and form.is_valid():
        ok, conversation = attempt(request, lambda: services.do_open_conversation(
            request.user, sphere, **form.cleaned_data), _("The conversation is open."))
        if ok:
            return redirect(conversation)
    return render(request, "conversations/conversation_form.html", {"sphere": sphere, "form": form})


def _imported_message(conversation: Conversation) -> str:
    return _("Imported: %(statements)d statements, %(participants)d participants and %(votes)d votes; the map "
             "has %(groups)d opinion groups.") % conversation.imported


@login_required
@limit_writes
def import_conversation(request: HttpRequest, slug: str) -> HttpResponse:
    """A new conversation from a Pol.is export; a refusal names the file, the line and the reason."""
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("conversations.import_export", sphere):
        raise Http404
    form = ImportConversationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            conversation = services.do_import_polis_export(request.user, sphere, data.pop("files"), **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _imported_message(conversation))
            return redirect(conversation)
    return render(request, "conversations/import.html", {"sphere": sphere, "form": form, "conversation": None})


@login_required
@limit_writes
def fill_conversation(request: HttpRequest, slug: str) -> HttpResponse:
    """An empty conversation (no statement, no vote yet) filled from a Pol.is export."""
    conversation = visible_conversation(request, slug)
    if not request.user.has_perm("conversations.import_export", conversation.sphere):
        raise Http404
    form = ImportFilesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.do_import_polis_export(request.user, conversation.sphere,
                                                           form.cleaned_data["files"], conversation=conversation)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _imported_message(conversation))
            return redirect(conversation)
    return render(request, "conversations/import.html", {"sphere": conversation.sphere, "form": form,
                                                         "conversation": conversation})


def conversation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Vote on one statement at a time, add a statement, and see the map."""
    conversation = visible_conversation(request, slug)
    participant = services.participant_for(request.user, conversation)
    current_map = opinion_map(conversation)
    statement = services.next_statement(conversation, participant, current_map)
    votable = services.votable_statements(conversation)
    voted = Vote.objects.filter(participant=participant, statement__in=votable).count() if participant else 0
    remaining = votable.count() - voted
    waiting = Statement.objects.filter(conversation=conversation, moderation=Moderation.UNMODERATED).count() \
        if conversation.strict_moderation else 0
    context = {
        "conversation": conversation, "sphere": conversation.sphere, "statement": statement,
        "voted": voted, "remaining": max(remaining, 0), "participant": participant,
        "statement_form": StatementForm(), "map": selectors.map_view(conversation, current_map, participant),
        "can_moderate": selectors.can_moderate(request.user, conversation.sphere), "waiting": waiting,
        "can_close": conversation.is_open and request.user.is_authenticated and request.user.has_perm(
            "conversations.open_conversation", conversation.sphere),
        "can_fill": conversation.is_open and request.user.is_authenticated
        and not Statement.objects.filter(conversation=conversation).exists()
        and request.user.has_perm("conversations.import_export", conversation.sphere),
        "vote_choices": [(VoteValue.AGREE, _("Agree"), "a"), (VoteValue.DISAGREE, _("Disagree"), "d"),
                         (VoteValue.PASS, _("Pass / unsure"), "p")],
    }
    return render(request, "conversations/conversation.html", context)


@login_required
@require_POST
@limit_writes
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = visible_conversation(request, slug)
    number, value = request.POST.get("statement", ""), request.POST.get("vote", "")
    statement = Statement.objects.filter(conversation=conversation, number=int(number)).first() \
        if number.isdigit() and len(number) < 9 else None
    if statement is None:
        attempt(request, lambda: _refuse(_("That statement is not in this conversation.")))
    else:
        parsed = int(value) if value in ("1", "-1", "0") else None
        attempt(request, lambda: services.do_vote(request.user, conversation, statement, parsed),
                _("Vote counted: here is the next statement."))
    return redirect(f"{conversation.get_absolute_url()}#vote")


@login_required
@require_POST
@limit_writes
def add_statement(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = visible_conversation(request, slug)
    form = StatementForm(request.POST)
    done = _("Your statement is waiting for a moderator.") if conversation.strict_moderation \
        else _("Your statement is added: others will vote on it.")
    submit(request, form, lambda data: services.do_add_statement(request.user, conversation, data["text"]), done,
           _("Write a statement of at most 140 characters."))
    return redirect(f"{conversation.get_absolute_url()}#add")


@login_required
@require_POST
@limit_writes
def close(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = visible_conversation(request, slug)
    attempt(request, lambda: services.do_close_conversation(request.user, conversation),
            _("The conversation is closed."))
    return redirect(conversation)


def report(request: HttpRequest, slug: str) -> HttpResponse:
    """The printable report: every statement with its counts, the groups and what unites them."""
    conversation = visible_conversation(request, slug)
    current_map = opinion_map(conversation)
    counts = {}
    for row in Vote.objects.filter(conversation=conversation).values("statement_id", "value"):
        entry = counts.setdefault(row["statement_id"], {1: 0, -1: 0, 0: 0})
        entry[row["value"]] += 1
    rows = []
    for statement in services.votable_statements(conversation):
        entry = counts.get(statement.pk, {1: 0, -1: 0, 0: 0})
        total = sum(entry.values())
        rows.append({"statement": statement, "agree": entry[1], "disagree": entry[-1], "pass": entry[0],
                     "total": total, "agree_percent": round(100 * entry[1] / total) if total else 0})
    return render(request, "conversations/report.html", {
        "conversation": conversation, "sphere": conversation.sphere, "rows": rows,
        "map": selectors.map_view(conversation, current_map, None),
        "votes": sum(row["total"] for row in rows),
    })


def export(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = visible_conversation(request, slug)
    response = HttpResponse(exports.export_zip(conversation), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{conversation.slug}-polis-export.zip"'
    return response


@login_required
def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = visible_conversation(request, slug)
    if not selectors.can_moderate(request.user, conversation.sphere):
        raise Http404
    statements = Statement.objects.filter(conversation=conversation).order_by("moderation", "number")
    return render(request, "conversations/moderation.html", {
        "conversation": conversation, "sphere": conversation.sphere, "statements": statements})


@login_required
@require_POST
@limit_writes
def moderate(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    conversation = visible_conversation(request, slug)
    statement = get_object_or_404(Statement, conversation=conversation, number=number)
    decision = request.POST.get("decision", "")
    value = {"accept": Moderation.ACCEPTED, "hide": Moderation.HIDDEN}.get(decision, 99)
    attempt(request, lambda: services.do_moderate_statement(request.user, statement, value),
            _("Decision saved."))
    return redirect("conversations:moderation", slug=slug)


# --- Tensions -------------------------------------------------------------------------------------------------

@login_required
@limit_writes(rate=TENSION_RATE)
def report_tension(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    form = TensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _report = attempt(request, lambda: services.do_report_tension(request.user, sphere, **form.cleaned_data),
                              _("Thank you: the mediators of this sphere will read your report."))
        if ok:
            return redirect("conversations:sphere", slug=sphere.slug)
    return render(request, "conversations/tension_form.html", {"sphere": sphere, "form": form})


@login_required
def tensions(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("conversations.triage_tensions", sphere):
        raise Http404
    status = request.GET.get("status", "")
    reports = selectors.tension_reports(sphere, status)
    return render(request, "conversations/tensions.html", {
        "sphere": sphere, "status": status, "statuses": TensionStatus.choices,
        "page": Paginator(reports, 50).get_page(request.GET.get("page")),
        "chart": selectors.weekly_signals(sphere), "by_sphere": selectors.signals_by_sphere(sphere),
        "cases": selectors.cases_of(sphere)[:20],
        "case_form": CaseForm(),
    })


def _mediator_report(request: HttpRequest, pk: int) -> TensionReport:
    report = get_object_or_404(TensionReport.objects.select_related("sphere", "case"), pk=pk)
    if not request.user.is_authenticated or not request.user.has_perm("conversations.triage_tensions",
                                                                      report.sphere):
        raise Http404
    return report


@login_required
def tension_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _mediator_report(request, pk)
    return render(request, "conversations/tension.html", {
        "report": report, "sphere": report.sphere, "triage_form": TriageForm(initial={"status": report.status}),
        "case_form": CaseForm(initial={"title": report.get_category_display()})})


@login_required
@require_POST
@limit_writes
def triage(request: HttpRequest, pk: int) -> HttpResponse:
    report = _mediator_report(request, pk)
    form = TriageForm(request.POST)
    submit(request, form, lambda data: services.do_triage_tension(request.user, report, data["status"]),
           _("Report updated."), _("Choose new, under review or closed."))
    return redirect(report)


@login_required
@require_POST
@limit_writes
def open_case(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    form = CaseForm(request.POST)
    ids = [int(pk) for pk in request.POST.getlist("reports") if pk.isdigit()]
    reports = list(TensionReport.objects.filter(pk__in=ids).select_related("sphere"))
    if not form.is_valid():
        attempt(request, lambda: _refuse(_("Give the case a title.")))
        return redirect("conversations:tensions", slug=slug)
    ok, case = attempt(request, lambda: services.do_open_case(request.user, sphere, reports=reports,
                                                                **form.cleaned_data), _("The case is open."))
    if ok:
        return redirect(case)
    if not request.user.has_perm("conversations.triage_tensions", sphere):
        raise Http404
    return redirect("conversations:tensions", slug=slug)


# --- Mediation cases ------------------------------------------------------------------------------------------

def _visible_case(request: HttpRequest, pk: int) -> MediationCase:
    case = get_object_or_404(MediationCase.objects.select_related("sphere"), pk=pk)
    if not selectors.can_see_cases(request.user, case.sphere):
        raise Http404
    return case


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    mediator = selectors.can_mediate(request.user, case.sphere)
    context = {
        "case": case, "sphere": case.sphere, "mediator": mediator,
        "parties": case.parties.all(), "sessions": case.sessions.all(),
        "agreements": [(agreement, FollowUpForm(prefix=f"agreement-{agreement.pk}", initial={"status": agreement.status})
                        if mediator else None) for agreement in case.agreements.all()],
        "reports": case.reports.all(), "conversations": case.conversations.all(),
    }
    if selectors.can_read_notes(request.user, case.sphere):  # the only place notes are read
        context["notes"] = case.notes.select_related("author")
    if mediator:
        context.update(party_form=PartyForm(), note_form=NoteForm(), session_form=SessionForm(),
                       agreement_form=AgreementForm(),
                       conversation_form=ConversationForm(initial={"strict_moderation": True}))
    return render(request, "conversations/case.html", context)


def _case_action(request: HttpRequest, pk: int, form_class, action, success: str) -> HttpResponse:
    case = _visible_case(request, pk)
    form = form_class(request.POST)
    submit(request, form, lambda data: action(case, data), success, _("Check the form: a field is missing or too long."))
    return redirect(case)


@login_required
@require_POST
@limit_writes
def add_party(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(request, pk, PartyForm, lambda case, data: services.do_add_party(request.user, case, **data),
                        _("Party added."))


@login_required
@require_POST
@limit_writes
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(request, pk, NoteForm, lambda case, data: services.do_add_note(request.user, case,
                                                                                       data["text"]),
                        _("Note saved (mediators only)."))


@login_required
@require_POST
@limit_writes
def add_session(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(request, pk, SessionForm,
                        lambda case, data: services.do_add_session(request.user, case, **data),
                        _("Session recorded."))


@login_required
@require_POST
@limit_writes
def add_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(request, pk, AgreementForm,
                        lambda case, data: services.do_add_agreement(request.user, case, **data),
                        _("Agreement recorded."))


@login_required
@require_POST
@limit_writes
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement.objects.select_related("case__sphere"), pk=pk)
    return _case_action(request, agreement.case_id, lambda data: FollowUpForm(data, prefix=f"agreement-{pk}"),
                        lambda case, data: services.do_follow_up(request.user, agreement, **data),
                        _("Follow-up saved."))


@login_required
@require_POST
@limit_writes
def close_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    attempt(request, lambda: services.do_close_case(request.user, case), _("The case is closed."))
    return redirect(case)


@login_required
@require_POST
@limit_writes
def case_conversation(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    form = ConversationForm(request.POST)
    ok, conversation = submit(request, form, lambda data: services.do_open_case_conversation(request.user, case, **data),
                              _("The conversation is open."), _("Give the conversation a question and a short name."))
    return redirect(conversation if ok else case)
