from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from comuna.spheres.models import CompetenceKind, Function

from .models import Role


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}))


class CensusCheckForm(forms.Form):
    document_number = forms.CharField(label=_("Identity document number"), max_length=40)
    birth_date = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}))


class ResidencyRequestForm(forms.Form):
    message = forms.CharField(label=_("How do you live or work here?"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class CensusUploadForm(forms.Form):
    file = forms.FileField(label=_("Census file (CSV with document_number and birth_date)"))


class IssueCodesForm(forms.Form):
    count = forms.IntegerField(label=_("Number of codes"), min_value=1, max_value=1000, initial=20)
    valid_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=30)


class GrantRoleForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason (required to reject)"), max_length=500, required=False)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80)


class CompetenceForm(forms.Form):
    function = forms.ModelChoiceField(queryset=Function.objects.all(), label=_("Function (COFOG)"), to_field_name="code")
    kind = forms.ChoiceField(label=_("Held"), choices=CompetenceKind.choices)


class PreferencesForm(forms.Form):
    email_digest = forms.BooleanField(label=_("Send me a digest of what I follow by e-mail"), required=False)
    language = forms.ChoiceField(label=_("Language for e-mails"), choices=settings.LANGUAGES)
