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
