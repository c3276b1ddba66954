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


class AssemblyForm(forms.Form):
    slug = forms.SlugField(label=_("Short name in addresses"), max_length=80)
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(label=_("What the assembly will deliberate on"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    panel_size = forms.IntegerField(label=_("Members"), min_value=2, max_value=500)
    quota_lines = forms.CharField(label=_("Quotas, one per line: category; answer; at least; at most"),
                                  widget=forms.Textarea(attrs={"rows": 8}))
    recruitment_closes_at = forms.DateTimeField(label=_("Volunteering closes"),
                                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    draw_at = forms.DateTimeField(label=_("Public draw"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    seed_source = forms.CharField(label=_("Where the seed will come from (announced in advance)"), max_length=300)


class SeedForm(forms.Form):
    seed = forms.CharField(label=_("The seed from the announced public source"), max_length=200)
