"""Opinion conversations (Pol.is-style), the register of local tensions, and mediation cases.

A conversation's opinion map is kept as a pickled `comuna.opinion.OpinionMap` (`MapState`) together with the last
vote event folded into it: pages fold the few newer votes in with `update()` and rebuild from the votes when many
arrived. Participants and statements are numbered within their conversation: those numbers are what the map and
the Pol.is export speak, never account numbers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comuna.spheres.models import Sphere

STATEMENT_MAX_LENGTH = 140
# Statements written here are short (Pol.is's 140 characters); older Pol.is conversations, imported, hold longer ones.
IMPORTED_STATEMENT_MAX_LENGTH = 1000


class Conversation(models.Model):
    sphere = models.ForeignKey(Sphere, verbose_name=_("sphere"), on_delete=models.PROTECT,
                               related_name="conversations")
    process = models.ForeignKey("participation.Process", verbose_name=_("participatory process"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="conversations")
    case = models.ForeignKey("MediationCase", verbose_name=_("mediation case"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="conversations")
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    topic = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("context"), max_length=3000, blank=True)
    strict_moderation = models.BooleanField(
        _("strict moderation (new statements wait for a moderator)"), default=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Bumped when a statement is added or moderated: the stored map then takes the new statement list.
    statements_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.topic

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def get_absolute_url(self) -> str:
        return reverse("conversations:conversation", args=[self.slug])


class Participant(models.Model):
    """Someone taking part in one conversation, numbered 0, 1, 2… within it (the number is public, the account is
    not). Participants without an account come from the demo or an imported export."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="one_participant_number"),
            models.UniqueConstraint(fields=["conversation", "user"], condition=models.Q(user__isnull=False),
                                    name="one_participant_per_person"),
        ]


class Moderation(models.IntegerChoices):
    ACCEPTED = 1, _("Accepted")
    UNMODERATED = 0, _("Not yet moderated")
    HIDDEN = -1, _("Hidden by the moderators")


class Statement(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="statements")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(_("statement"), max_length=IMPORTED_STATEMENT_MAX_LENGTH)
    moderation = models.SmallIntegerField(_("moderation"), choices=Moderation.choices, default=Moderation.UNMODERATED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["conversation", "number"], name="one_statement_number")]

    def __str__(self) -> str:
        return self.text

    def is_votable(self, conversation: Conversation | None = None) -> bool:
        conversation = conversation or self.conversation
        return self.moderation == Moderation.ACCEPTED or (
            self.moderation == Moderation.UNMODERATED and not conversation.strict_moderation)


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class Vote(models.Model):
    """The latest vote of a participant on a statement (Pol.is semantics: a later vote replaces it)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["statement", "participant"], name="one_vote_per_statement")]


class VoteEvent(models.Model):
    """Every vote as cast, in order (append-only): the history the Pol.is export's votes.csv holds, and what the
    stored map folds in since its last update (by id)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="vote_events")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["conversation", "id"])]


class MapState(models.Model):
    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="map_state")
    blob = models.BinaryField()
    last_event_id = models.BigIntegerField(default=0)
    statements_version = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)


# --- Tensions register (early warning) ------------------------------------------------------------------------

class TensionCategory(models.TextChoices):
    NEIGHBOURS = "neighbours", _("Between neighbours")
    PUBLIC_SPACE = "public_space", _("Use of public space")
    LAND_HOUSING = "land_housing", _("Land and housing")
    RESOURCES = "resources", _("Water, land or other resources")
    COMMUNITIES = "communities", _("Between communities or groups")
    AUTHORITIES = "authorities", _("Between residents and authorities")
    VIOLENCE = "violence", _("Threats or violence")
    OTHER = "other", _("Something else")


class TensionStatus(models.TextChoices):
    NEW = "new", _("New")
    REVIEW = "review", _("Under review")
    ESCALATED = "escalated", _("Escalated to a mediation case")
    CLOSED = "closed", _("Closed")


class TensionReport(models.Model):
    """A signal of local tension. An anonymous report stores no author at all."""

    sphere = models.ForeignKey(Sphere, verbose_name=_("sphere"), on_delete=models.PROTECT,
                               related_name="tension_reports")
    category = models.CharField(_("kind of tension"), max_length=24, choices=TensionCategory.choices)
    severity = models.PositiveSmallIntegerField(_("severity (1 low – 5 very serious)"))
    description = models.TextField(_("what is happening"), max_length=3000)
    place = models.CharField(_("place"), max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=TensionStatus.choices, default=TensionStatus.NEW)
    case = models.ForeignKey("MediationCase", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="reports")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sphere", "created_at"]), models.Index(fields=["status"])]
        constraints = [models.CheckConstraint(condition=models.Q(severity__gte=1, severity__lte=5),
                                              name="tension_severity_1_to_5")]

    def get_absolute_url(self) -> str:
        return reverse("conversations:tension", args=[self.pk])


# --- Mediation cases ------------------------------------------------------------------------------------------

class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    AGREEMENT = "agreement", _("Agreement reached, follow-up under way")
    CLOSED = "closed", _("Closed")


class MediationCase(models.Model):
    """Seen by the sphere's mediators and officials; its notes by mediators only."""

    sphere = models.ForeignKey(Sphere, verbose_name=_("sphere"), on_delete=models.PROTECT,
                               related_name="mediation_cases")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what the case is about"), max_length=3000, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("conversations:case", args=[self.pk])


class CaseParty(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("their position, in a sentence"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]


class CaseNote(models.Model):
    """Confidential: mediators only, on no public page, API route or export."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("confidential note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


class DialogueSession(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    summary = models.TextField(_("what was said and decided"), max_length=5000)
    meeting = models.ForeignKey("participation.Meeting", verbose_name=_("public meeting"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "pk"]


class AgreementStatus(models.TextChoices):
    PENDING = "pending", _("Being carried out")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Not kept")


class Agreement(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="agreements")
    text = models.TextField(_("what the parties agreed"), max_length=3000)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=AgreementStatus.choices,
                              default=AgreementStatus.PENDING)
    follow_up = models.TextField(_("follow-up"), max_length=3000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
