"""Council and committee elections by single transferable vote, with secret ballots and a count anyone can redo."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comuna.spheres.models import Sphere


class CountMethod(models.TextChoices):
    SCOTTISH = "scottish", _("Scottish rules (weighted inclusive Gregory)")
    MEEK = "meek", _("Meek's method")


class Election(models.Model):
    sphere = models.ForeignKey(Sphere, on_delete=models.PROTECT, related_name="elections")
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("seats"))
    method = models.CharField(_("counting method"), max_length=16, choices=CountMethod.choices,
                              default=CountMethod.SCOTTISH)
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    # Announced before the vote: it decides, reproducibly, the rare ties that no earlier stage breaks.
    tie_seed = models.CharField(_("public seed for ties"), max_length=200)
    result = models.JSONField(null=True, blank=True, editable=False)
    counted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")),
                                              name="election_closes_after_it_opens")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("representation:election", args=[self.slug])

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(_("name"), max_length=120)
    statement = models.TextField(_("statement"), max_length=3000, blank=True)
    number = models.PositiveSmallIntegerField(help_text="1-based position, as in the BLT file")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="one_candidate_number")]

    def __str__(self) -> str:
        return self.name


class Ballot(models.Model):
    """The preferences only: no voter, no time, a random id — nothing links a ballot to a person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    rankings = models.JSONField()  # candidate numbers, most preferred first
    receipt_digest = models.CharField(max_length=64, unique=True)


class Participation(models.Model):
    """Who has voted (to refuse a second ballot), kept apart from what they voted."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "user"], name="one_ballot_per_resident")]


class Assembly(models.Model):
    """A citizens' assembly chosen by lot: volunteers, quotas, LEXIMIN probabilities published before a public seed
    decides the panel."""

    sphere = models.ForeignKey(Sphere, on_delete=models.PROTECT, related_name="assemblies")
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("what the assembly will deliberate on"), max_length=3000, blank=True)
    panel_size = models.PositiveSmallIntegerField(_("members"))
    recruitment_closes_at = models.DateTimeField(_("volunteering closes"))
    draw_at = models.DateTimeField(_("public draw"))
    seed_source = models.CharField(_("where the seed will come from (announced in advance)"), max_length=300)
    seed = models.CharField(_("the seed"), max_length=200, blank=True)
    distribution = models.JSONField(null=True, blank=True, editable=False)  # PanelDistribution.to_json()
    fingerprint = models.CharField(max_length=64, blank=True)
    distribution_published_at = models.DateTimeField(null=True, blank=True)
    panel = models.JSONField(null=True, blank=True, editable=False)  # volunteer numbers drawn
    drawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = _("assemblies")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("representation:assembly", args=[self.slug])


class AssemblyQuota(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="quotas")
    category = models.CharField(_("category"), max_length=60)
    feature = models.CharField(_("answer"), max_length=60)
    minimum = models.PositiveSmallIntegerField(_("at least"))
    maximum = models.PositiveSmallIntegerField(_("at most"))

    class Meta:
        ordering = ["category", "feature"]
        constraints = [models.UniqueConstraint(fields=["assembly", "category", "feature"], name="one_quota_per_feature")]


class Volunteer(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="volunteers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField()  # {category: feature}
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["assembly", "user"], name="volunteer_once")]
