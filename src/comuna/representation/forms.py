from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CountMethod


class ElectionForm(forms.Form):
    slug = forms.SlugField(label=_("Short name in addresses"), max_length=80)
    title = forms.CharField(label=_("Title"), max_length=200)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100)
    candidates = forms.CharField(label=_("Candidates, one per line"), widget=forms.Textarea(attrs={"rows": 6}))
    opens_at = forms.DateTimeField(label=_("Voting opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=_("Voting closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    tie_seed = forms.CharField(label=_("Public seed for ties (announce it before the vote)"), max_length=200)
    method = forms.ChoiceField(label=_("Counting method"), choices=CountMethod.choices)


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Your receipt"), max_length=40)
