"""Participatory budgets: projects with a feasibility review, secret ballots, and fair, explained outcomes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from comuna.participation.models import Process
from comuna.spheres.models import Function


class BallotKind(models.TextChoices):
    APPROVAL = "approval", _("Approve projects within the budget")
    K_APPROVAL = "k_approval", _("Approve up to k projects")
    CUMULATIVE = "cumulative", _("Share points between projects")
    RANKED = "ranked", _("Rank up to k projects")


class Rule(models.TextChoices):
    MES = "mes", _("Method of Equal Shares")
    GREEDY = "greedy", _("Most votes first (greedy)")
    PHRAGMEN = "phragmen", _("Sequential Phragmén")


class Utility(models.TextChoices):
    COST = "cost", _("Cost (a voter values a project by what it costs)")
    CARDINALITY = "cardinality", _("Count (every approved project counts the same)")


class Completion(models.TextChoices):
    NONE = "", _("None")
    ADD1 = "add1", _("Raise every voter's share step by step (add1)")
    ADD1_COMPARISON = "add1-comparison", _("add1, then compared with the greedy outcome (as Wieliczka did)")


class Budget(models.Model):
    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="budget")
    total = models.PositiveBigIntegerField(_("money to share"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    ballot_kind = models.CharField(_("ballot"), max_length=16, choices=BallotKind.choices, default=BallotKind.APPROVAL)
    k = models.PositiveSmallIntegerField(_("k (projects a voter may choose or rank)"), null=True, blank=True)
    points = models.PositiveSmallIntegerField(_("points each voter shares"), null=True, blank=True)
    rule = models.CharField(_("rule"), max_length=16, choices=Rule.choices, default=Rule.MES)
    utility = models.CharField(_("what a vote is worth"), max_length=16, choices=Utility.choices, default=Utility.COST)
    completion = models.CharField(pgettext_lazy("pb completion method", "completion"), max_length=16, choices=Completion.choices, blank=True,
                                  default=Completion.ADD1)
    result = models.JSONField(null=True, blank=True, editable=False)
    counted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.process)

    def get_absolute_url(self) -> str:
        return reverse("budgeting:budget", args=[self.process.slug])


class ProjectStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    FEASIBLE = "feasible", _("Feasible: on the ballot")
    UNFEASIBLE = "unfeasible", _("Not feasible")


class Project(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000)
    cost = models.PositiveBigIntegerField(_("cost"))
    original_cost = models.PositiveBigIntegerField(null=True, blank=True)
    review_note = models.TextField(_("review"), max_length=2000, blank=True)
    status = models.CharField(max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.SUBMITTED)
    place = models.CharField(_("place"), max_length=200, blank=True)
    function = models.ForeignKey(Function, verbose_name=_("area (COFOG)"), null=True, blank=True,
                                 on_delete=models.PROTECT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Ballot(models.Model):
    """What was chosen, and nothing about who: a random id, no time, no voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")
    choices = models.JSONField()  # [[project id, points], ...] in the voter's order (the ranking for ranked ballots)
    receipt_digest = models.CharField(max_length=64, unique=True)
    on_paper = models.BooleanField(default=False)


class Voter(models.Model):
    """That someone voted (so a second ballot is refused), kept apart from the ballot."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="voters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["budget", "user"], name="one_pb_ballot_per_resident")]
