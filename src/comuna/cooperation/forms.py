from django import forms
from django.utils.translation import gettext_lazy as _

from comuna.core.translated import pick
from comuna.spheres.models import Sphere

from . import codelists, sdg
from .iati import MAX_IATI_BYTES
from .models import (
    ActivityStatus,
    Measure,
    Organisation,
    OrganisationType,
    Partnership,
    ResultKind,
    Role,
    TransactionKind,
)

DATE = forms.DateInput(attrs={"type": "date"})


class IdentifierForm(forms.Form):
    iati_ref = forms.CharField(label=_("IATI organisation identifier"), max_length=150, required=False,
                               help_text=_("Registration agency and number, e.g. FR-INSEE-213105554"))


class PartnerFields(forms.Form):
    partner_sphere = forms.ModelChoiceField(label=_("Partner sphere"), queryset=Sphere.objects.all(),
                                            to_field_name="slug", required=False)
    partner_name = forms.CharField(label=_("…or another organisation: its name"), max_length=300, required=False)
    partner_ref = forms.CharField(label=_("Its IATI organisation identifier (optional)"), max_length=150,
                                  required=False)
    partner_type = forms.ChoiceField(label=_("Its type"), choices=OrganisationType.choices,
                                     initial=OrganisationType.NATIONAL_NGO, required=False)


class PartnershipForm(PartnerFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    since = forms.DateField(label=_("Since"), required=False, widget=DATE)
    field_order = ["title", "partner_sphere", "partner_name", "partner_ref", "partner_type", "description", "since"]


class ProjectForm(PartnerFields):
    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(label=_("Description"), max_length=20000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    partnership = forms.ModelChoiceField(label=_("Partnership"), queryset=Partnership.objects.none(), required=False)
    partner_role = forms.ChoiceField(label=_("Partner's role"), choices=Role.choices, initial=Role.IMPLEMENTING)
    sdg_targets = forms.MultipleChoiceField(label=_("SDG targets"), required=False,
                                            widget=forms.SelectMultiple(attrs={"size": 8}))
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.IMPLEMENTATION)
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3, initial="EUR")
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DATE)
    budget = forms.DecimalField(label=_("Budget (optional)"), max_digits=17, decimal_places=2, min_value=0,
                                required=False)
    field_order = ["title", "description", "partnership", "partner_sphere", "partner_name", "partner_ref",
                   "partner_type", "partner_role", "sdg_targets", "status", "currency", "planned_start",
                   "planned_end", "budget"]

    def __init__(self, *args, sphere=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sdg_targets"].choices = sdg.target_choices()
        if sphere is not None:
            self.fields["partnership"].queryset = Partnership.objects.filter(sphere=sphere)


class PartnershipEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    since = forms.DateField(label=_("Since"), required=False, widget=DATE)


class ProjectEditForm(forms.Form):
    """A published project's details; codes are typed as their IATI codes and checked by the service."""

    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(label=_("Description"), max_length=20000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DATE)
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=DATE)
    actual_end = forms.DateField(label=_("Actual end"), required=False, widget=DATE)
    sdg_targets = forms.MultipleChoiceField(label=_("SDG targets"), required=False,
                                            widget=forms.SelectMultiple(attrs={"size": 8}))
    sectors = forms.CharField(label=_("Sectors (OECD DAC 5-digit codes, separated by commas)"), max_length=600,
                              required=False, help_text=_("For example 43030 for urban development"))
    countries = forms.CharField(label=_("Recipient countries (ISO 3166 two-letter codes, separated by commas)"),
                                max_length=300, required=False, help_text=_("For example SN, ML"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sdg_targets"].choices = sdg.target_choices()


class BudgetForm(forms.Form):
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    value = forms.DecimalField(label=_("Amount"), max_digits=17, decimal_places=2, min_value=0)
    revised = forms.BooleanField(label=_("Revised budget (not the original one)"), required=False)
    committed = forms.BooleanField(label=_("Committed (not only indicative)"), required=False, initial=True)


def _category_choices():
    return [(code, f"{code} · {pick(names)}") for code, names in codelists.DOCUMENT_CATEGORIES.items()]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    category = forms.ChoiceField(label=_("Category (IATI)"), choices=_category_choices, initial="A12")
    url = forms.CharField(label=_("Web address of the document…"), max_length=1000, required=False,
                          widget=forms.URLInput)
    link_format = forms.ChoiceField(label=_("…and its format"), required=False, initial="text/html",
                                    choices=[(code, code) for code in codelists.LINK_FORMATS])
    upload = forms.FileField(label=_("…or upload it (PDF, JPEG or PNG, up to 10 MB)"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
    language = forms.CharField(label=_("Language (two-letter code, optional)"), max_length=2, required=False)


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Place"), max_length=200)
    lat = forms.CharField(label=_("Latitude (WGS 84, e.g. 14.6937)"), max_length=30)
    lon = forms.CharField(label=_("Longitude (WGS 84, e.g. -17.4441)"), max_length=30)


class TransactionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=TransactionKind.choices)
    day = forms.DateField(label=_("Date"), widget=DATE)
    value = forms.DecimalField(label=_("Amount"), max_digits=17, decimal_places=2, min_value=0)
    provider = forms.ModelChoiceField(label=_("From"), queryset=Organisation.objects.none(), required=False)
    receiver = forms.ModelChoiceField(label=_("To"), queryset=Organisation.objects.none(), required=False)
    description = forms.CharField(label=_("Description"), max_length=1000, required=False)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            partners = Organisation.objects.filter(participations__project=project).distinct()
            self.fields["provider"].queryset = partners
            self.fields["receiver"].queryset = partners


class ResultForm(forms.Form):
    title = forms.CharField(label=_("Result"), max_length=500)
    kind = forms.ChoiceField(label=_("Type"), choices=ResultKind.choices)
    indicator = forms.CharField(label=_("Indicator"), max_length=500)
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    baseline_year = forms.IntegerField(label=_("Baseline year"), min_value=1900, max_value=2200, required=False)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=19, decimal_places=4, required=False)
    period_start = forms.DateField(label=_("Period start"), required=False, widget=DATE)
    period_end = forms.DateField(label=_("Period end"), required=False, widget=DATE)
    target = forms.DecimalField(label=_("Target"), max_digits=19, decimal_places=4, required=False)
    actual = forms.DecimalField(label=_("Actual"), max_digits=19, decimal_places=4, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("IATI activities file (XML, up to 50 MB)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IATI_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload
