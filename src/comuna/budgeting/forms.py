from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from comuna.spheres.models import Function

from .models import BallotKind, Completion, Rule, Utility


class BudgetForm(forms.Form):
    total = forms.IntegerField(label=_("Money to share"), min_value=1)
    currency = forms.CharField(label=_("Currency (ISO code)"), max_length=3, initial="EUR")
    ballot_kind = forms.ChoiceField(label=_("Ballot"), choices=BallotKind.choices)
    k = forms.IntegerField(label=_("k (projects a voter may choose or rank)"), min_value=1, required=False)
    points = forms.IntegerField(label=_("Points each voter shares"), min_value=1, required=False)
    rule = forms.ChoiceField(label=_("Rule"), choices=Rule.choices)
    utility = forms.ChoiceField(label=_("What a vote is worth"), choices=Utility.choices)
    completion = forms.ChoiceField(label=pgettext_lazy("pb completion method", "Completion"), choices=Completion.choices, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("A pabulib .pb file"))
    rule = forms.ChoiceField(label=_("Rule"), choices=Rule.choices)
    utility = forms.ChoiceField(label=_("What a vote is worth"), choices=Utility.choices)
    completion = forms.ChoiceField(label=pgettext_lazy("pb completion method", "Completion"), choices=Completion.choices, required=False)


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), min_length=5, max_length=150)
    description = forms.CharField(label=_("Description"), min_length=20, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    cost = forms.IntegerField(label=_("Estimated cost"), min_value=1)
    place = forms.CharField(label=_("Place (optional)"), max_length=200, required=False)
    function = forms.ModelChoiceField(label=_("Area (COFOG)"), queryset=Function.objects.all(), to_field_name="code",
                                      required=False)


class ReviewForm(forms.Form):
    feasible = forms.TypedChoiceField(label=_("Feasible?"), choices=[("1", _("Feasible")), ("0", _("Not feasible"))],
                                      coerce=lambda v: v == "1")
    cost = forms.IntegerField(label=_("Cost after review"), min_value=1, required=False)
    note = forms.CharField(label=_("Public explanation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
