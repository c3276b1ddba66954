"""Decentralised cooperation: organisations (spheres and others, with IATI organisation identifiers), partnerships,
cooperation projects (IATI activities) with their partners, SDG targets, sectors, places, budgets, transactions,
results with indicators, and documents.

Codes are IATI 2.03 codelist codes (see `codelists.py`), so a project exports to IATI without translation."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from comuna.spheres.models import Sphere


class OrganisationType(models.TextChoices):  # IATI OrganisationType (subset offered in forms; any code is kept)
    GOVERNMENT = "10", _("Government")
    LOCAL_GOVERNMENT = "11", _("Local government")
    OTHER_PUBLIC = "15", _("Other public sector")
    INTERNATIONAL_NGO = "21", _("International NGO")
    NATIONAL_NGO = "22", _("National NGO")
    MULTILATERAL = "40", _("Multilateral")
    FOUNDATION = "60", _("Foundation")
    PRIVATE = "70", _("Private sector")
    ACADEMIC = "80", _("Academic, training and research")
    OTHER = "90", _("Other")


class Role(models.TextChoices):  # IATI OrganisationRole
    FUNDING = "1", _("Funding")
    ACCOUNTABLE = "2", _("Accountable")
    EXTENDING = "3", _("Extending")
    IMPLEMENTING = "4", _("Implementing")


class ActivityStatus(models.TextChoices):  # IATI ActivityStatus
    PIPELINE = "1", _("Pipeline")
    IMPLEMENTATION = "2", _("Implementation")
    COMPLETION = "3", pgettext_lazy("iati activity status", "Completion")
    POST_COMPLETION = "4", _("Post-completion")
    CANCELLED = "5", _("Cancelled")
    SUSPENDED = "6", _("Suspended")


class TransactionKind(models.TextChoices):  # IATI TransactionType (the four a city uses, and incoming commitments)
    INCOMING_FUNDS = "1", _("Incoming funds")
    COMMITMENT = "2", _("Commitment")
    DISBURSEMENT = "3", _("Disbursement")
    EXPENDITURE = "4", _("Expenditure")
    INCOMING_COMMITMENT = "11", _("Incoming commitment")


class ResultKind(models.TextChoices):  # IATI ResultType
    OUTPUT = "1", _("Output")
    OUTCOME = "2", pgettext_lazy("iati result type", "Outcome")
    IMPACT = "3", _("Impact")
    OTHER = "9", _("Other")


class Measure(models.TextChoices):  # IATI IndicatorMeasure
    UNIT = "1", _("Unit")
    PERCENTAGE = "2", _("Percentage")
    NOMINAL = "3", _("Nominal")
    ORDINAL = "4", _("Ordinal")
    QUALITATIVE = "5", _("Qualitative")


class Organisation(models.Model):
    """A sphere of government taking part in cooperation, or any other organisation (an NGO, an agency…)."""

    name = models.CharField(_("name"), max_length=300)
    iati_ref = models.CharField(_("IATI organisation identifier"), max_length=150, blank=True,
                                help_text=_("Registration agency prefix and number, e.g. FR-INSEE-213105554"))
    kind = models.CharField(_("type"), max_length=8, blank=True, default=OrganisationType.OTHER)
    sphere = models.OneToOneField(Sphere, verbose_name=_("sphere"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="organisation")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [models.UniqueConstraint(fields=["iati_ref"], condition=~models.Q(iati_ref=""),
                                               name="unique_iati_organisation_ref")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """A sphere's name in the reader's language; otherwise the organisation's own name."""
        return self.sphere.name if self.sphere_id else self.name


class Partnership(models.Model):
    """A lasting agreement between a sphere and a partner organisation, under which projects are run."""

    sphere = models.ForeignKey(Sphere, verbose_name=_("sphere"), on_delete=models.PROTECT,
                               related_name="partnerships")
    partner = models.ForeignKey(Organisation, verbose_name=_("partner"), on_delete=models.PROTECT,
                                related_name="partnerships")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [models.UniqueConstraint(fields=["sphere", "partner"], name="one_partnership_per_partner")]

    def __str__(self) -> str:
        return self.title


class Project(models.Model):
    """A cooperation project: one IATI activity."""

    iati_identifier = models.CharField(_("IATI activity identifier"), max_length=200, unique=True)
    reporting_org = models.ForeignKey(Organisation, verbose_name=_("reporting organisation"),
                                      on_delete=models.PROTECT, related_name="reported_projects")
    # The sphere that publishes the project (None for an imported activity of an organisation outside Comuna).
    sphere = models.ForeignKey(Sphere, verbose_name=_("sphere"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="cooperation_projects")
    partnership = models.ForeignKey(Partnership, verbose_name=_("partnership"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="projects")
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(_("status"), max_length=2, choices=ActivityStatus.choices,
                              default=ActivityStatus.IMPLEMENTATION)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    # [{"vocabulary": "1", "code": "43030", "percentage": 100}, …] (IATI SectorVocabulary / Sector)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    # SDG target codes ("11.1", "11.3", …), exported as sectors of vocabulary 8 (SDG Target).
    sdg_targets = models.JSONField(_("SDG targets"), default=list, blank=True)
    countries = models.JSONField(_("recipient countries (ISO 3166)"), default=list, blank=True)
    places = models.JSONField(_("places"), default=list, blank=True)  # [{"name": …, "lat": …, "lon": …}]
    imported = models.BooleanField(default=False)
    content_hash = models.CharField(max_length=64, blank=True)  # of the imported XML, to skip unchanged re-imports
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:project", args=[self.pk])


class Participant(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="participations")
    role = models.CharField(_("role"), max_length=2, choices=Role.choices)

    class Meta:
        ordering = ["role", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "organisation", "role"], name="one_role_each")]


class Budget(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budgets")
    kind = models.CharField(_("type"), max_length=1, default="1")  # IATI BudgetType: 1 original, 2 revised
    status = models.CharField(_("status"), max_length=1, default="1")  # IATI BudgetStatus: 1 indicative, 2 committed
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    value_date = models.DateField(_("value date"))

    class Meta:
        ordering = ["period_start", "pk"]


class Transaction(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transactions")
    kind = models.CharField(_("type"), max_length=2, choices=TransactionKind.choices)
    date = models.DateField(_("date"))
    value = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    value_date = models.DateField(_("value date"))
    description = models.CharField(_("description"), max_length=1000, blank=True)
    provider = models.ForeignKey(Organisation, verbose_name=_("from"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(Organisation, verbose_name=_("to"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "pk"]


class Result(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("type"), max_length=1, choices=ResultKind.choices, default=ResultKind.OUTPUT)
    title = models.CharField(_("result"), max_length=500)
    description = models.TextField(_("description"), max_length=5000, blank=True)

    class Meta:
        ordering = ["pk"]


class Indicator(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(_("indicator"), max_length=500)
    measure = models.CharField(_("measure"), max_length=1, choices=Measure.choices, default=Measure.UNIT)
    ascending = models.BooleanField(_("higher is better"), default=True)
    baseline_year = models.PositiveIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=20, decimal_places=4, null=True, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=20, decimal_places=4, null=True, blank=True)
    actual_value = models.DecimalField(_("actual"), max_digits=20, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["pk"]


class Document(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("address"), max_length=1000)
    # An uploaded copy (checked by its content), served by Comuna at `url`; empty for a link to another site.
    file = models.FileField(upload_to="cooperation/%Y/%m/", blank=True)
    format = models.CharField(_("format (MIME type)"), max_length=100, default="text/html")
    category = models.CharField(_("category"), max_length=3, default="A01")  # IATI DocumentCategory
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        ordering = ["pk"]

    @property
    def category_name(self) -> str:
        from comuna.core.translated import pick

        from .codelists import DOCUMENT_CATEGORIES

        return pick(DOCUMENT_CATEGORIES.get(self.category, {})) or self.category
