"""What each kind of phase allows, and the templates processes are built from. Declarative, like adhocracy's phases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PhaseKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    PROPOSALS = "proposals", _("Proposals")
    DELIBERATION = "deliberation", _("Deliberation")
    VOTING = "voting", _("Voting")
    IMPLEMENTATION = "implementation", _("Implementation")


class Feature(models.TextChoices):
    SUBMIT = "submit", _("submit proposals")
    SUPPORT = "support", _("support proposals")
    COMMENT = "comment", _("comment")
    AMEND = "amend", _("suggest amendments")
    VOTE = "vote", _("vote")


PHASE_FEATURES: dict[str, frozenset[str]] = {
    PhaseKind.INFORMATION: frozenset(),
    PhaseKind.PROPOSALS: frozenset({Feature.SUBMIT, Feature.SUPPORT, Feature.COMMENT, Feature.AMEND}),
    PhaseKind.DELIBERATION: frozenset({Feature.SUPPORT, Feature.COMMENT, Feature.AMEND}),
    PhaseKind.VOTING: frozenset({Feature.VOTE, Feature.COMMENT}),
    PhaseKind.IMPLEMENTATION: frozenset({Feature.COMMENT}),
}


class ProcessTemplate(models.TextChoices):
    PROPOSALS_THEN_VOTE = "proposals_then_vote", _("Proposals, then a vote")
    CONSULTATION = "consultation", _("Consultation")
    PARTICIPATORY_BUDGET = "participatory_budget", _("Participatory budget")


# (phase, default length in days), in order.
TEMPLATE_PHASES: dict[str, list[tuple[str, int]]] = {
    ProcessTemplate.PROPOSALS_THEN_VOTE: [
        (PhaseKind.INFORMATION, 7), (PhaseKind.PROPOSALS, 30), (PhaseKind.DELIBERATION, 14),
        (PhaseKind.VOTING, 14), (PhaseKind.IMPLEMENTATION, 365),
    ],
    ProcessTemplate.CONSULTATION: [
        (PhaseKind.INFORMATION, 7), (PhaseKind.PROPOSALS, 30), (PhaseKind.DELIBERATION, 14),
        (PhaseKind.IMPLEMENTATION, 365),
    ],
    ProcessTemplate.PARTICIPATORY_BUDGET: [
        (PhaseKind.INFORMATION, 14), (PhaseKind.PROPOSALS, 30), (PhaseKind.DELIBERATION, 21),
        (PhaseKind.VOTING, 21), (PhaseKind.IMPLEMENTATION, 365),
    ],
}
