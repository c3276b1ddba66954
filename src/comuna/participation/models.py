"""Participatory processes with dated phases, proposals, supports, official answers, referrals, comments and
commitments (the accountability that follows an accepted proposal)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comuna.core.translated import pick
from comuna.spheres.models import Function, Sphere

from .phases import PHASE_FEATURES, PhaseKind, ProcessTemplate


class Process(models.Model):
    sphere = models.ForeignKey(Sphere, verbose_name=_("sphere"), on_delete=models.PROTECT, related_name="processes")
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    summary_es = models.TextField(_("summary (Spanish)"), blank=True)
    template = models.CharField(_("template"), max_length=32, choices=ProcessTemplate.choices)
    is_private = models.BooleanField(_("only for residents"), default=False)
    support_threshold = models.PositiveIntegerField(
        _("supports that oblige an official answer"), default=100)
    answer_days = models.PositiveIntegerField(_("days to answer once the threshold is reached"), default=30)
    hide_after_reports = models.PositiveIntegerField(_("reports that hide content until a moderator reviews it"),
                                                     default=3)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("participatory process")
        verbose_name_plural = _("participatory processes")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick({"en": self.title_en, "fr": self.title_fr, "es": self.title_es})

    @property
    def summary(self) -> str:
        return pick({"en": self.summary_en, "fr": self.summary_fr, "es": self.summary_es})

    def get_absolute_url(self) -> str:
        return reverse("participation:process", args=[self.slug])

    def phase_at(self, moment: datetime | None = None) -> Phase | None:
        moment = moment or timezone.now()
        return next((p for p in self.phases.all() if p.starts_at <= moment < p.ends_at), None)

    def allows(self, feature: str, moment: datetime | None = None) -> bool:
        phase = self.phase_at(moment)
        return phase is not None and feature in PHASE_FEATURES[phase.kind]


class Phase(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=32, choices=PhaseKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="phase_ends_after_it_starts")]

    def __str__(self) -> str:
        return self.get_kind_display()


class MeetingKind(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    DOOR_TO_DOOR = "door_to_door", _("Door to door")


class Meeting(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    url = models.URLField(_("link to join"), blank=True)
    capacity = models.PositiveIntegerField(_("places (empty: no limit)"), null=True, blank=True)
    agenda = models.TextField(_("agenda"), max_length=5000, blank=True)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    registration_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="meeting_ends_after_it_starts")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:meeting", args=[self.pk])


class Registration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_registration_per_person")]


class ProposalStatus(models.TextChoices):
    PUBLISHED = "published", _("Open")
    EVALUATING = "evaluating", _("Under evaluation")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(models.Model):
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="proposals")
    # The sphere that must answer: the process's at first, another after a referral.
    sphere = models.ForeignKey(Sphere, on_delete=models.PROTECT, related_name="proposals")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposals")
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("proposal"), max_length=5000)
    function = models.ForeignKey(Function, verbose_name=_("function (COFOG)"), null=True, blank=True,
                                 on_delete=models.PROTECT)
    place = models.CharField(_("place"), max_length=200, blank=True)
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting it came from"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="proposals")
    status = models.CharField(max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PUBLISHED)
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    hidden = models.BooleanField(default=False)
    report_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["process", "-support_count"]),
            models.Index(fields=["process", "-created_at"]),
            models.Index(fields=["sphere", "status"]),
            models.Index(fields=["answer_due"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:proposal", args=[self.pk])


class Support(models.Model):
    """One per resident and proposal: the database enforces it, whatever the concurrency."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_resident")]


class AnswerStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    EVALUATING = "evaluating", _("Under evaluation")


class Answer(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="answer")
    status = models.CharField(_("answer"), max_length=16, choices=AnswerStatus.choices)
    text = models.TextField(_("explanation"), max_length=5000)
    sphere = models.ForeignKey(Sphere, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)


class Referral(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="referrals")
    from_sphere = models.ForeignKey(Sphere, on_delete=models.PROTECT, related_name="referrals_out")
    to_sphere = models.ForeignKey(Sphere, on_delete=models.PROTECT, related_name="referrals_in")
    reason = models.TextField(_("reason"), max_length=2000)
    referred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["referred_at"]


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    # The top-level comment of the thread, so a page of threads loads its replies in one query.
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="thread")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments")
    body = models.TextField(_("comment"), max_length=3000)
    is_official = models.BooleanField(default=False)
    agree_count = models.PositiveIntegerField(default=0)
    disagree_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    report_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["proposal", "parent", "created_at"])]


class CommentVote(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=[(1, _("Agree")), (-1, _("Disagree"))])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="one_comment_vote_per_person")]


class CommitmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    STALLED = "stalled", _("Stalled")
    CANCELLED = "cancelled", _("Cancelled")


class Commitment(models.Model):
    """What an accepted proposal becomes: a promise the sphere can be held to."""

    sphere = models.ForeignKey(Sphere, on_delete=models.PROTECT, related_name="commitments")
    proposal = models.OneToOneField(Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitment")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=CommitmentStatus.choices,
                              default=CommitmentStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="progress_at_most_100")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:commitment", args=[self.pk])


class CommitmentUpdate(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    progress = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=CommitmentStatus.choices)
    note = models.TextField(_("what changed"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


class Milestone(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Insulting or hateful")
    ILLEGAL = "illegal", _("Illegal or personal data")
    OTHER = "other", _("Something else")


class Report(models.Model):
    """Anyone may report a proposal or a comment once; enough reports hide it until a moderator decides."""

    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=ReportReason.choices)
    details = models.CharField(_("details"), max_length=500, blank=True)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reporter", "proposal"], condition=models.Q(comment__isnull=True),
                                    name="one_report_per_proposal"),
            models.UniqueConstraint(fields=["reporter", "comment"], condition=models.Q(comment__isnull=False),
                                    name="one_report_per_comment"),
        ]


class ModerationAction(models.TextChoices):
    HIDE = "hide", _("Hide")
    RESTORE = "restore", _("Restore")
    BLOCK = "block", _("Hide and block the author")


class ModerationDecision(models.Model):
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("decision"), max_length=16, choices=ModerationAction.choices)
    reason = models.TextField(_("reason"), max_length=1000)
    decided_at = models.DateTimeField(default=timezone.now)


class Block(models.Model):
    """A person blocked from taking part in a sphere (and the spheres below it) by its moderators."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks")
    sphere = models.ForeignKey(Sphere, on_delete=models.CASCADE, related_name="blocks")
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sphere"], name="one_block_per_sphere")]


class ProposalVersion(models.Model):
    """Every text a proposal has had, so anyone can see what changed and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=150)
    body = models.TextField(max_length=5000)
    amendment = models.ForeignKey("Amendment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="one_version_number")]


class AmendmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the author")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Amendment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("amended text"), max_length=5000)
    reason = models.CharField(_("why this change"), max_length=1000)
    status = models.CharField(max_length=16, choices=AmendmentStatus.choices, default=AmendmentStatus.PENDING)
    response = models.CharField(_("author's response"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Follow(models.Model):
    """Someone following a sphere, a process or a proposal (exactly one of them)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    sphere = models.ForeignKey(Sphere, null=True, blank=True, on_delete=models.CASCADE, related_name="followers")
    process = models.ForeignKey(Process, null=True, blank=True, on_delete=models.CASCADE, related_name="followers")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "sphere"], condition=models.Q(sphere__isnull=False),
                                    name="follow_sphere_once"),
            models.UniqueConstraint(fields=["user", "process"], condition=models.Q(process__isnull=False),
                                    name="follow_process_once"),
            models.UniqueConstraint(fields=["user", "proposal"], condition=models.Q(proposal__isnull=False),
                                    name="follow_proposal_once"),
        ]


class NotificationKind(models.TextChoices):
    NEW_PROPOSAL = "new_proposal", _("New proposal")
    THRESHOLD = "threshold", _("Support threshold reached")
    ANSWERED = "answered", _("Official answer")
    REFERRED = "referred", _("Referred to another sphere")
    COMMITMENT = "commitment", _("Commitment progress")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["emailed_at", "user"])]


class Attachment(models.Model):
    """An image or PDF attached to a proposal, checked by its content (not its name) and served by Comuna."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("participation:attachment", args=[self.pk])
