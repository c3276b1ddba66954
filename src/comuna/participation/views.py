from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comuna.core.errors import DomainError
from comuna.core.ratelimits import limit_writes
from comuna.core.web import attempt, submit
from comuna.intercity.services import dialogues_for_proposal
from comuna.spheres.models import Function, Sphere

from . import amendments, attachments, meetings, moderation, notifications, selectors, services
from .forms import (
    AmendmentForm,
    AnswerForm,
    AttachmentForm,
    CommentForm,
    CommitmentUpdateForm,
    MeetingForm,
    MilestoneForm,
    MinutesForm,
    ModerationForm,
    ProcessForm,
    ProposalForm,
    ReferralForm,
    ReportForm,
)
from .models import (
    Amendment,
    Attachment,
    Comment,
    Commitment,
    Follow,
    Meeting,
    Notification,
    Process,
    Proposal,
    ProposalStatus,
)
from .phases import Feature
from .search import words_of as search_words


def visible_process(request: HttpRequest, slug: str) -> Process:
    process = get_object_or_404(Process.objects.select_related("sphere").prefetch_related("phases"), slug=slug)
    try:
        services.check_can_see(request.user, process)
    except DomainError:
        raise Http404 from None
    return process


def visible_proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related("process", "process__sphere", "sphere", "function", "function__parent",
                                        "author", "meeting", "answer", "answer__sphere", "commitment")
        .prefetch_related("process__phases"),
        pk=pk)
    try:
        services.check_can_see(request.user, proposal.process)
    except DomainError:
        raise Http404 from None
    return proposal


def sphere_processes(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    processes = [p for p in sphere.processes.prefetch_related("phases") if not p.is_private
                 or request.user.is_authenticated and _can_see(request.user, p)]
    return render(request, "participation/sphere_processes.html", {
        "sphere": sphere, "processes": processes,
        "can_create": request.user.has_perm("participation.create_process", sphere),
        "overdue": services.overdue_proposals(sphere)[:20],
    })


def _can_see(user, process: Process) -> bool:
    try:
        services.check_can_see(user, process)
    except DomainError:
        return False
    return True


@login_required
@limit_writes
def create_process(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("participation.create_process", sphere):
        raise PermissionDenied  # no form to fill in for someone who may not open a process here
    form = ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, process = attempt(request, lambda: services.do_create_process(sphere, actor=request.user, **form.cleaned_data),
                              _("The process is open."))
        if ok:
            return redirect(process)
    return render(request, "participation/process_form.html", {"sphere": sphere, "form": form})


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = visible_process(request, slug)
    order = request.GET.get("order", "recent")
    proposals = selectors.proposals_of(process, text=request.GET.get("q", "")[:200],
                                       status=request.GET.get("status", ""),
                                       function=request.GET.get("function", ""), order=order)
    return render(request, "participation/process.html", {
        "process": process,
        "phase": process.phase_at(),
        "phases": process.phases.all(),
        "page": selectors.page_of(proposals, request.GET.get("page")),
        "order": order,
        "can_submit": process.allows(Feature.SUBMIT),
        "meetings": process.meetings.all(),
        "following": request.user.is_authenticated and Follow.objects.filter(user=request.user, process=process).exists(),
        "is_official": request.user.has_perm("participation.answer_proposal", process.sphere),
        "can_set_up_budget": request.user.has_perm("participation.create_process", process.sphere),
        "meeting_form": MeetingForm(),
        "functions": Function.objects.filter(parent__isnull=True),
    })


@login_required
@limit_writes
def create_proposal(request: HttpRequest, slug: str) -> HttpResponse:
    process = visible_process(request, slug)
    form = ProposalForm(request.POST or None, process=process)
    routing = elsewhere = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        routing = services.routing_for(process, data["function"])
        if routing is not None and request.POST.get("confirm") != "here":
            # Subsidiarity: say which sphere holds the competence and offer to file it there.
            elsewhere = services.open_processes_for(routing.sphere)
        else:
            ok, proposal = attempt(request, lambda: services.do_create_proposal(request.user, process, **data),
                                   _("Your proposal is published."))
            if ok:
                return redirect(proposal)
    return render(request, "participation/proposal_form.html", {
        "process": process, "form": form, "routing": routing, "elsewhere": elsewhere})


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    user = request.user
    order = request.GET.get("order", "recent")
    routing = services.routing_for(proposal.process, proposal.function)
    referrals = list(proposal.referrals.select_related("from_sphere", "to_sphere"))
    is_official = user.has_perm("participation.answer_proposal", proposal.sphere)
    return render(request, "participation/proposal.html", {
        "proposal": proposal,
        "process": proposal.process,
        "threads": selectors.comment_threads(proposal, order, request.GET.get("page")),
        "order": order,
        "answer": getattr(proposal, "answer", None),
        "referrals": referrals,
        # dialogues between spheres about its referrals (intercity's documented function), and for officials the
        # latest referral to start one about
        "dialogues": dialogues_for_proposal(proposal.pk) if referrals else [],
        "latest_referral": referrals[-1] if referrals and is_official else None,
        "commitment": getattr(proposal, "commitment", None),
        "routing": routing,
        "supported": user.is_authenticated and proposal.supports.filter(user=user).exists(),
        "can_support": proposal.process.allows(Feature.SUPPORT),
        "can_comment": proposal.process.allows(Feature.COMMENT),
        "is_official": is_official,
        "is_author": user.is_authenticated and proposal.author_id == user.pk,
        "comment_form": CommentForm(),
        "report_form": ReportForm(),
        "amendments": proposal.amendments.all(),
        "amendment_form": AmendmentForm(initial={"title": proposal.title, "body": proposal.body}),
        "can_amend": proposal.process.allows(Feature.AMEND) and not (user.is_authenticated and proposal.author_id == user.pk),
        "version_count": proposal.versions.count(),
        "attachments": proposal.attachments.all(),
        "attachment_form": AttachmentForm(),
        "following": user.is_authenticated and Follow.objects.filter(user=user, proposal=proposal).exists(),
        "moderation_form": ModerationForm(),
        "is_moderator": user.has_perm("participation.moderate", proposal.sphere),
        "answer_form": AnswerForm(),
        "referral_form": ReferralForm(initial={"to_sphere": getattr(routing, "sphere", None)}),
    })


@login_required
@require_POST
@limit_writes
def support(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    attempt(request, lambda: services.do_support(request.user, proposal), _("Thank you: your support is counted."))
    return redirect(proposal)


@login_required
@require_POST
@limit_writes
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    attempt(request, lambda: services.do_withdraw_proposal(request.user, proposal), _("The proposal was withdrawn."))
    return redirect(proposal)


@login_required
@limit_writes
def edit_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    if proposal.author_id != request.user.pk:
        raise PermissionDenied  # only the author edits; others suggest an amendment
    initial = {"title": proposal.title, "body": proposal.body, "function": proposal.function, "place": proposal.place}
    form = ProposalForm(request.POST or None, initial=initial, process=proposal.process)
    if request.method == "POST" and form.is_valid():
        ok, _result = attempt(request, lambda: services.do_edit_proposal(request.user, proposal, **form.cleaned_data),
                              _("Your changes are saved."))
        if ok:
            return redirect(proposal)
    return render(request, "participation/proposal_form.html", {"process": proposal.process, "form": form,
                                                                "proposal": proposal})


@login_required
@require_POST
@limit_writes
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    form = CommentForm(request.POST)

    def comment_on(data: dict):
        parent = get_object_or_404(Comment, pk=data["parent"], proposal=proposal) if data["parent"] else None
        return services.do_comment(request.user, proposal, data["body"], parent)

    submit(request, form, comment_on, _("Your comment is published."), _("Write something before sending."))
    return redirect(f"{proposal.get_absolute_url()}#comments")


@login_required
@require_POST
@limit_writes
def vote_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("proposal__process"), pk=pk)
    visible_proposal(request, comment.proposal_id)
    value = 1 if request.POST.get("value") == "agree" else -1
    attempt(request, lambda: services.do_vote_comment(request.user, comment, value))
    return redirect(f"{comment.proposal.get_absolute_url()}#comment-{comment.pk}")


@login_required
@require_POST
@limit_writes
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    form = AnswerForm(request.POST)
    submit(request, form, lambda data: services.do_answer(request.user, proposal, **data),
           _("The official answer is published."), _("Choose an answer and explain it."))
    return redirect(proposal)


@login_required
@require_POST
@limit_writes
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    form = ReferralForm(request.POST)
    submit(request, form, lambda data: services.do_refer(request.user, proposal, data["to_sphere"], data["reason"]),
           _("The proposal was referred."), _("Choose an existing sphere and write the reason."))
    return redirect(proposal)


def commitments(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    items = sphere.commitments.select_related("proposal")
    page = selectors.page_of(items, request.GET.get("page"))
    return render(request, "participation/commitments.html", {"sphere": sphere, "page": page})


def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("sphere", "proposal"), pk=pk)
    form = CommitmentUpdateForm(initial={"progress": commitment.progress, "status": commitment.status})
    return render(request, "participation/commitment.html", {
        "commitment": commitment, "updates": commitment.updates.all(), "form": form,
        "milestones": commitment.milestones.all(), "milestone_form": MilestoneForm(),
        "can_update": request.user.has_perm("participation.update_commitment", commitment.sphere)})


@login_required
@require_POST
@limit_writes
def update_commitment(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("sphere"), pk=pk)
    form = CommitmentUpdateForm(request.POST)
    submit(request, form, lambda data: services.do_update_commitment(request.user, commitment, **data),
           _("Progress updated."), _("Give a progress between 0 and 100, a status and what changed."))
    return redirect(commitment)


def overdue(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/overdue.html", {"proposals": services.overdue_proposals()[:200]})


def search(request: HttpRequest) -> HttpResponse:
    params = request.GET
    try:
        min_supports = max(0, int(params.get("min_supports") or 0))
    except ValueError:
        min_supports = 0
    proposals = selectors.find_proposals(
        request.user, text=params.get("q", "")[:200], status=params.get("status", ""),
        function=params.get("function", ""), sphere=params.get("sphere", ""), min_supports=min_supports,
        order=params.get("order", "recent"))
    query = params.copy()
    query.pop("page", None)
    return render(request, "participation/search.html", {
        "page": selectors.page_of(proposals, params.get("page")),
        "functions": Function.objects.filter(parent__isnull=True),
        "spheres": Sphere.objects.exclude(kind="network").order_by("name_en"),
        "statuses": ProposalStatus.choices,
        "params": params, "min_supports": min_supports, "query": query.urlencode(),
    })


def similar(request: HttpRequest, slug: str) -> HttpResponse:
    """While a resident writes a title, proposals of the same process that look alike (htmx fragment)."""
    process = visible_process(request, slug)
    title = request.GET.get("title", "")[:150]
    words = [w for w in search_words(title) if len(w) > 3][:6]
    matches = []
    if words:
        # any of the significant words: similar, not identical
        seen: dict[int, Proposal] = {}
        for word in words:
            for proposal in selectors.proposals_of(process, text=word)[:5]:
                seen.setdefault(proposal.pk, proposal)
        matches = list(seen.values())[:5]
    return render(request, "participation/_similar.html", {"matches": matches})


def _report_target(kind: str, pk: int):
    if kind not in ("proposal", "comment"):
        raise Http404
    if kind == "comment":
        comment = get_object_or_404(Comment.objects.select_related("proposal__process", "proposal__sphere"), pk=pk)
        return comment, comment.proposal
    proposal = get_object_or_404(Proposal.objects.select_related("process", "sphere"), pk=pk)
    return proposal, proposal


@login_required
@require_POST
@limit_writes
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target, proposal = _report_target(kind, pk)
    visible_proposal(request, proposal.pk)
    form = ReportForm(request.POST)
    submit(request, form, lambda data: moderation.do_report(request.user, target, data["reason"], data["details"]),
           _("Thank you: the moderators will look at it."), _("Choose why you report this."))
    return redirect(proposal)


@login_required
@require_POST
@limit_writes
def moderate(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target, proposal = _report_target(kind, pk)
    form = ModerationForm(request.POST)
    submit(request, form, lambda data: moderation.do_moderate(request.user, target, data["action"], data["reason"]),
           _("Decision recorded."), _("Choose a decision and give its reason."))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/") else proposal)


@login_required
def moderation_queue(request: HttpRequest, slug: str) -> HttpResponse:
    sphere = get_object_or_404(Sphere, slug=slug)
    if not request.user.has_perm("participation.moderate", sphere):
        return render(request, "core/error.html", {"title": _("Not allowed"), "message": _(
            "Only moderators of %(sphere)s can moderate here.") % {"sphere": sphere.name}}, status=403)
    proposals, comments = moderation.moderation_queue(sphere)
    return render(request, "participation/moderation.html", {
        "sphere": sphere, "proposals": proposals, "comments": comments, "form": ModerationForm()})


@login_required
@require_POST
@limit_writes
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    form = AmendmentForm(request.POST)
    submit(request, form, lambda data: amendments.do_amend(request.user, proposal, **data),
           _("Your amendment was sent to the author."),
           _("Give the amended title and text (at least 10 and 30 characters) and the reason."))
    return redirect(f"{proposal.get_absolute_url()}#amendments")


@login_required
@require_POST
@limit_writes
def decide_amendment(request: HttpRequest, pk: int) -> HttpResponse:
    amendment = get_object_or_404(Amendment.objects.select_related("proposal"), pk=pk)
    accept = request.POST.get("decision") == "accept"
    attempt(request, lambda: amendments.do_decide_amendment(request.user, amendment, accept=accept,
                                                            response=request.POST.get("response", "")),
            _("The amendment was accepted: the proposal has a new version.") if accept
            else _("The amendment was rejected."))
    return redirect(f"{amendment.proposal.get_absolute_url()}#amendments")


def versions(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    all_versions = list(proposal.versions.select_related("amendment"))
    numbers = [v.number for v in all_versions]
    try:
        newer = int(request.GET.get("to") or (numbers[-1] if numbers else 1))
        older = int(request.GET.get("from") or max(1, newer - 1))
    except ValueError:
        newer, older = (numbers[-1] if numbers else 1), 1
    by_number = {v.number: v for v in all_versions}
    before, after = by_number.get(older), by_number.get(newer)
    diff = None
    if before and after:
        diff = {"title": amendments.word_diff(before.title, after.title),
                "body": amendments.word_diff(before.body, after.body)}
    return render(request, "participation/versions.html", {
        "proposal": proposal, "versions": all_versions, "before": before, "after": after, "diff": diff})


@login_required
@require_POST
@limit_writes
def create_meeting(request: HttpRequest, slug: str) -> HttpResponse:
    process = visible_process(request, slug)
    form = MeetingForm(request.POST)
    ok, meeting = submit(request, form, lambda data: meetings.do_create_meeting(request.user, process, **data),
                         _("The meeting is announced."), _("Give the meeting a title, a kind, and when it starts and ends."))
    if ok:
        return redirect(meeting)
    return redirect(f"{process.get_absolute_url()}#meetings")


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("process__sphere"), pk=pk)
    visible_process(request, meeting.process.slug)
    user = request.user
    return render(request, "participation/meeting.html", {
        "meeting": meeting, "process": meeting.process,
        "registered": user.is_authenticated and meeting.registrations.filter(user=user).exists(),
        "is_official": user.has_perm("participation.answer_proposal", meeting.process.sphere),
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
        "proposals": meeting.proposals.filter(hidden=False),
        "full": meeting.capacity is not None and meeting.registration_count >= meeting.capacity,
    })


@login_required
@require_POST
@limit_writes
def register(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("process__sphere"), pk=pk)
    visible_process(request, meeting.process.slug)
    if request.POST.get("cancel"):
        attempt(request, lambda: meetings.do_unregister(request.user, meeting), _("Your registration is cancelled."))
    else:
        attempt(request, lambda: meetings.do_register(request.user, meeting), _("You are registered. See you there!"))
    return redirect(meeting)


@login_required
@require_POST
@limit_writes
def publish_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("process__sphere"), pk=pk)
    form = MinutesForm(request.POST)
    submit(request, form, lambda data: meetings.do_publish_minutes(request.user, meeting, data["minutes"]),
           _("The minutes are published."), _("The minutes are empty."))
    return redirect(meeting)


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("process__sphere"), pk=pk)
    visible_process(request, meeting.process.slug)
    return _calendar_response([meeting], request, meeting.title, f"meeting-{meeting.pk}.ics")


def process_ics(request: HttpRequest, slug: str) -> HttpResponse:
    process = visible_process(request, slug)
    return _calendar_response(process.meetings.all(), request, process.title, f"{process.slug}.ics")


def _calendar_response(items, request: HttpRequest, name: str, filename: str) -> HttpResponse:
    body = meetings.to_icalendar(items, base_url=request.build_absolute_uri("/").rstrip("/"), name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


FOLLOW_TARGETS = {"sphere": Sphere, "process": Process, "proposal": Proposal}


@login_required
@require_POST
@limit_writes
def follow(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = FOLLOW_TARGETS.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk)
    process = target if kind == "process" else getattr(target, "process", None)
    if process is not None:
        visible_process(request, process.slug)
    if request.POST.get("stop"):
        notifications.do_unfollow(request.user, **{kind: target})
        messages.success(request, _("You no longer follow this."))
    else:
        attempt(request, lambda: notifications.do_follow(request.user, **{kind: target}),
                _("You follow this now: news will appear in your notifications."))
    return redirect(target.get_absolute_url())


@login_required
@limit_writes
def notifications_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        notifications.mark_all_read(request.user)
        return redirect("participation:notifications")
    notes = Notification.objects.filter(user=request.user).select_related("proposal")
    return render(request, "participation/notifications.html", {"page": selectors.page_of(notes, request.GET.get("page"))})


@login_required
@require_POST
@limit_writes
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > attachments.MAX_BYTES:  # refuse before reading it into memory
            messages.error(request, _("Files can be at most 5 MB."))
        else:
            attempt(request, lambda: attachments.do_attach(request.user, proposal, upload.name, upload.read()),
                    _("The file is attached."))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect(proposal)


def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Served by Comuna, with the permission of its proposal, its checked type, and no sniffing."""
    item = get_object_or_404(Attachment.objects.select_related("proposal"), pk=pk)
    proposal = visible_proposal(request, item.proposal_id)
    if proposal.hidden and not request.user.has_perm("participation.moderate", proposal.sphere):
        raise Http404
    response = FileResponse(item.file.open("rb"), content_type=item.content_type,
                            as_attachment=item.content_type == "application/pdf", filename=item.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
@limit_writes
def milestone(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("sphere"), pk=pk)
    done = request.POST.get("done")
    if done:
        item = get_object_or_404(commitment.milestones, pk=done)
        attempt(request, lambda: services.do_complete_milestone(request.user, item), _("Milestone done."))
    else:
        form = MilestoneForm(request.POST)
        submit(request, form, lambda data: services.do_add_milestone(request.user, commitment, **data),
               _("Milestone added."), _("Name the milestone."))
    return redirect(commitment)
