from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BudgetStatus


class ImportForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=1990, max_value=2100,
                                     initial=lambda: date.today().year)
    status = forms.ChoiceField(label=_("Status of the budget"), choices=BudgetStatus.choices,
                               initial=BudgetStatus.ADOPTED)
    currency = forms.CharField(label=_("Currency (ISO 4217 code)"), min_length=3, max_length=3, initial="EUR")
    file = forms.FileField(label=_("Budget file (CSV, UTF-8, “;” or “,” between columns)"))


class LinkProjectForm(forms.Form):
    """The project is a plain field on a select: the service names precisely what is wrong with it."""

    project = forms.CharField(label=_("Participatory-budget project"), max_length=100)
    amount = forms.CharField(label=_("Amount from this line"), max_length=40,
                             help_text=_("For example 120000 or 120 000,50"))

    def __init__(self, *args, projects=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose a project"))] + [
            (project.ref, f"{project.title} ({project.process_title})") for project in projects]
        self.fields["project"].widget = forms.Select(choices=choices)
