from django import forms
from django.utils.translation import gettext_lazy as _

from .activities import DECISIONS


class FollowForm(forms.Form):
    handle = forms.CharField(label=_("Handle of the sphere to follow"), max_length=340,
                             help_text=_("Its short name and its instance, e.g. barcelona@comuna.example.org"))


class RatificationForm(forms.Form):
    declaration = forms.URLField(label=_("Address of the declaration"), max_length=500, assume_scheme="https",
                                 help_text=_("As the network's instance shows it, e.g. "
                                             "https://comuna.example.org/federation/declarations/3"))
    decision = forms.ChoiceField(label=_("Decision of this sphere"), choices=[
        ("ratify", _("Ratify")), ("reject", _("Reject")), ("abstain", _("Abstain"))])

    def clean_decision(self) -> str:
        value = self.cleaned_data["decision"]
        assert value in DECISIONS
        return value
