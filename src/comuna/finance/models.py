"""A sphere's budget per fiscal year: revenue lines by type, expenditure lines by COFOG function and economic type,
each with its planned (adopted) and executed amount; and the links from participatory-budget projects to lines.

Amounts are `Decimal` with two places everywhere (never floats), in the budget's ISO 4217 currency."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comuna.spheres.models import Function, Sphere

MAX_DIGITS, DECIMAL_PLACES = 18, 2
ZERO = Decimal("0.00")


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class Direction(models.TextChoices):
    REVENUE = "revenue", _("Revenue")
    EXPENDITURE = "expenditure", _("Expenditure")


class RevenueType(models.TextChoices):
    OWN_TAXES = "own_taxes", _("Own-source taxes")
    FEES = "fees", _("Fees and charges")
    TRANSFERS = "transfers", _("Transfers from other spheres")
    BORROWING = "borrowing", _("Borrowing")
    OTHER = "other", _("Other revenue")


class EconomicType(models.TextChoices):
    PERSONNEL = "personnel", _("Current: personnel")
    GOODS_SERVICES = "goods_services", _("Current: goods and services")
    INTEREST = "interest", _("Current: interest")
    CURRENT_TRANSFERS = "current_transfers", _("Current: transfers")
    INVESTMENT = "investment", _("Capital: investment")
    DEBT_REPAYMENT = "debt_repayment", _("Debt repayment")


CURRENT_TYPES = {EconomicType.PERSONNEL, EconomicType.GOODS_SERVICES, EconomicType.INTEREST,
                 EconomicType.CURRENT_TRANSFERS}


class Budget(models.Model):
    sphere = models.ForeignKey(Sphere, verbose_name=_("sphere"), on_delete=models.PROTECT, related_name="budgets")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    currency = models.CharField(_("currency (ISO 4217 code)"), max_length=3, default="EUR")
    status = models.CharField(_("status"), max_length=16, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT)
    imported_at = models.DateTimeField(_("last imported"), default=timezone.now)

    class Meta:
        ordering = ["sphere_id", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["sphere", "fiscal_year"], name="unique_budget_per_year")]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")

    def __str__(self) -> str:
        return f"{self.sphere} {self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("finance:year", args=[self.sphere.slug, self.fiscal_year])


class BudgetLine(models.Model):
    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="lines")
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    revenue_type = models.CharField(_("revenue type"), max_length=16, choices=RevenueType.choices, blank=True)
    transfer_from = models.ForeignKey(
        Sphere, verbose_name=_("transferring sphere"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+")
    function = models.ForeignKey(Function, verbose_name=_("function (COFOG)"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    economic_type = models.CharField(_("economic type"), max_length=20, choices=EconomicType.choices, blank=True)
    code = models.CharField(_("line code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    planned = models.DecimalField(_("planned amount"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    executed = models.DecimalField(_("executed amount"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES,
                                   default=ZERO)

    class Meta:
        ordering = ["direction", "code"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "code"], name="unique_line_code_per_budget"),
            models.CheckConstraint(condition=models.Q(planned__gte=0) & models.Q(executed__gte=0),
                                   name="budget_line_amounts_not_negative"),
        ]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("finance:line", args=[self.pk])

    @property
    def category(self) -> str:
        """The revenue type or the economic type, as people read it."""
        if self.direction == Direction.REVENUE:
            return self.get_revenue_type_display()
        return self.get_economic_type_display()


class ProjectLink(models.Model):
    """A participatory-budget project funded (in part) by a budget line. `project_ref` is the budgeting app's
    stable reference of the project (e.g. "toulouse-2026/12"); finance does not import budgeting's models."""

    budget_line = models.ForeignKey(BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT,
                                    related_name="project_links")
    project_ref = models.CharField(_("project reference"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project_ref"]
        constraints = [models.UniqueConstraint(fields=["budget_line", "project_ref"], name="unique_project_link")]
        verbose_name = _("project link")
        verbose_name_plural = _("project links")

    def __str__(self) -> str:
        return f"{self.project_ref} → {self.budget_line.code}"
