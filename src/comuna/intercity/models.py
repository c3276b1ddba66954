"""The intercity system: a library of policies that spheres adopt and adapt, peer learning between spheres, joint
declarations of networks ratified by each member through its own process, and dialogue between spheres."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comuna.spheres.models import Function, Sphere


def keys_text(values: list[str]) -> str:
    """A list kept as "|a|b|" so one `contains` lookup filters on a value, on SQLite and PostgreSQL alike."""
    return "|" + "|".join(values) + "|" if values else ""


# --- Policy library -----------------------------------------------------------------------------------------------

class Policy(models.Model):
    """A policy or practice published by a sphere (or copied from another instance: then `origin_uri` is set, the
    sphere is empty, `sphere_label` names the remote sphere and the copy is read-only here)."""

    sphere = models.ForeignKey(Sphere, verbose_name=_("sphere"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="policies")
    sphere_label = models.CharField(_("published by"), max_length=300, blank=True)
    parent = models.ForeignKey("self", verbose_name=_("adapted from"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="adaptations")
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem it answers"), max_length=5000)
    measures = models.TextField(_("measures taken"), max_length=10000)
    adaptation = models.TextField(_("what was adapted and why"), max_length=3000, blank=True)
    function = models.ForeignKey(Function, verbose_name=_("function of government (COFOG)"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    sdg_targets = models.JSONField(_("Sustainable Development Goal targets"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    country = models.CharField(_("country (ISO 3166 code)"), max_length=2, blank=True)
    # Denormalised for search and facets (kept by save()).
    sdg_goal_keys = models.CharField(max_length=200, blank=True, editable=False)
    language_keys = models.CharField(max_length=200, blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    origin_uri = models.URLField(_("original address"), max_length=500, blank=True, db_index=True)
    origin_instance = models.CharField(_("original instance"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [
            models.UniqueConstraint(fields=["origin_uri"], condition=~models.Q(origin_uri=""),
                                    name="one_copy_per_remote_policy"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_remote(self) -> bool:
        return bool(self.origin_uri)

    @property
    def publisher(self) -> str:
        return self.sphere.name if self.sphere_id else self.sphere_label

    def get_absolute_url(self) -> str:
        return reverse("intercity:policy", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        goals = sorted({code.split(".", 1)[0] for code in self.sdg_targets}, key=lambda g: int(g) if g.isdigit() else 0)
        self.sdg_goal_keys = keys_text(goals)
        self.language_keys = keys_text(list(self.languages))
        self.search_text = "\n".join([self.title, self.problem, self.measures, self.adaptation, self.sphere_label])
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sdg_goal_keys", "language_keys", "search_text"}
        super().save(*args, **kwargs)


class Indicator(models.Model):
    """A result of the policy, measured: where it started and where it stands."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]


class Document(models.Model):
    """A link to a document about the policy, or a file kept here."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="policies/%Y/", blank=True)

    class Meta:
        ordering = ["pk"]

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url


# --- Peer learning ------------------------------------------------------------------------------------------------

class HelpStatus(models.TextChoices):
    OPEN = "open", _("Looking for a mentor")
    MATCHED = "matched", _("Mentor found")
    CLOSED = "closed", _("Closed")


class HelpRequest(models.Model):
    sphere = models.ForeignKey(Sphere, verbose_name=_("sphere"), on_delete=models.CASCADE,
                               related_name="help_requests")
    title = models.CharField(_("what you need help with"), max_length=200)
    details = models.TextField(_("details"), max_length=5000)
    function = models.ForeignKey(Function, verbose_name=_("function of government (COFOG)"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=HelpStatus.choices, default=HelpStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("intercity:help_request", args=[self.pk])


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class MentorOffer(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="offers")
    sphere = models.ForeignKey(Sphere, verbose_name=_("mentoring sphere"), on_delete=models.CASCADE,
                               related_name="mentor_offers")
    message = models.TextField(_("what you can share"), max_length=3000)
    status = models.CharField(max_length=16, choices=OfferStatus.choices, default=OfferStatus.OFFERED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["request", "sphere"], name="one_offer_per_sphere")]


class ExchangeSession(models.Model):
    """A session of an accepted mentoring exchange, with what was learnt."""

    offer = models.ForeignKey(MentorOffer, on_delete=models.CASCADE, related_name="sessions")
    sphere = models.ForeignKey(Sphere, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "pk"]


# --- Joint declarations ---------------------------------------------------------------------------------------

class DeclarationStatus(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    RATIFYING = "ratifying", _("Open for ratification")
    ADOPTED = "adopted", _("Adopted")


class Declaration(models.Model):
    """Drafted by the network's officials (its drafting group), then ratified by each member."""

    network = models.ForeignKey(Sphere, verbose_name=_("network"), on_delete=models.PROTECT,
                                related_name="declarations")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=20000)
    status = models.CharField(_("status"), max_length=16, choices=DeclarationStatus.choices,
                              default=DeclarationStatus.DRAFTING)
    quorum_count = models.PositiveIntegerField(_("ratifications needed"), null=True, blank=True)
    quorum_share = models.PositiveSmallIntegerField(_("share of members needed (%)"), null=True, blank=True)
    ratification_opened_at = models.DateTimeField(null=True, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(quorum_share__lte=100), name="quorum_share_max_100")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("intercity:declaration", args=[self.pk])


class DeclarationVersion(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField(max_length=20000)
    amendment = models.ForeignKey("DeclarationAmendment", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["declaration", "number"], name="one_declaration_version")]


class AmendmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the drafting group")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class DeclarationAmendment(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="amendments")
    sphere = models.ForeignKey(Sphere, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("amended text"), max_length=20000)
    reason = models.CharField(_("why this change"), max_length=1000)
    base_version = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=AmendmentStatus.choices, default=AmendmentStatus.PENDING)
    response = models.CharField(_("drafting group's response"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class RemoteMember(models.Model):
    """A member of a network hosted on another Comuna instance (known by its ActivityPub actor address)."""

    network = models.ForeignKey(Sphere, on_delete=models.CASCADE, related_name="remote_members")
    uri = models.URLField(_("actor address"), max_length=500)
    label = models.CharField(_("name"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["label"]
        constraints = [models.UniqueConstraint(fields=["network", "uri"], name="one_remote_member_per_uri")]

    def __str__(self) -> str:
        return self.label


class Decision(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    RATIFY = "ratify", _("Ratified")
    REJECT = "reject", _("Rejected")
    ABSTAIN = "abstain", _("Abstained")


class Method(models.TextChoices):
    OFFICIALS = "officials", _("Decision of its officials")
    VOTE = "vote", _("Vote of its residents")
    REMOTE = "remote", _("Decided on its own instance")


class Ratification(models.Model):
    """Where one member stands on a declaration: a local sphere, or a remote member (then `sphere` is empty)."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="ratifications")
    sphere = models.ForeignKey(Sphere, null=True, blank=True, on_delete=models.CASCADE, related_name="ratifications")
    remote_member = models.ForeignKey(RemoteMember, null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="ratifications")
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    method = models.CharField(_("how it decides"), max_length=16, choices=Method.choices, blank=True)
    # The residents' vote: a participation process whose voting phase holds the ballot.
    process = models.OneToOneField("participation.Process", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="ratification")
    note = models.TextField(_("explanation"), max_length=3000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "sphere"], condition=models.Q(sphere__isnull=False),
                                    name="one_ratification_per_sphere"),
            models.UniqueConstraint(fields=["declaration", "remote_member"],
                                    condition=models.Q(remote_member__isnull=False),
                                    name="one_ratification_per_remote_member"),
        ]

    @property
    def member_label(self) -> str:
        return self.sphere.name if self.sphere_id else self.remote_member.label

    @property
    def is_decided(self) -> bool:
        return self.decision != Decision.PENDING


class VoteTally(models.Model):
    """The secret ballot of a residents' vote: only counts, never who chose what."""

    ratification = models.OneToOneField(Ratification, on_delete=models.CASCADE, related_name="tally")
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)


class VoteReceipt(models.Model):
    """Who has voted (one vote per resident), without the choice and without a time that could be matched."""

    ratification = models.ForeignKey(Ratification, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ratification", "user"], name="one_vote_per_resident")]


# --- Dialogue between spheres -------------------------------------------------------------------------------

class Dialogue(models.Model):
    title = models.CharField(_("matter"), max_length=200)
    function = models.ForeignKey(Function, verbose_name=_("function of government (COFOG)"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    spheres = models.ManyToManyField(Sphere, verbose_name=_("spheres taking part"), related_name="dialogues")
    referral = models.ForeignKey("participation.Referral", verbose_name=_("referral it is about"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")
    started_by = models.ForeignKey(Sphere, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("intercity:dialogue", args=[self.pk])


class DialogueMessage(models.Model):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="messages")
    sphere = models.ForeignKey(Sphere, verbose_name=_("on behalf of"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("message"), max_length=5000)
    is_position = models.BooleanField(_("official position of the sphere"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
