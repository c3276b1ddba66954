from django import forms
from django.utils.translation import gettext_lazy as _

from comuna.accounts.models import User

from .models import Datatype, RequestStatus, Service, ServiceType


class ReportForm(forms.Form):
    """Report a problem: the place, what happened, an optional photo, and the service's own questions."""

    description = forms.CharField(label=_("What is the problem?"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    address = forms.CharField(label=_("Where? (address or a description of the place)"), max_length=300,
                              required=False)
    lat = forms.FloatField(label=_("Latitude (optional)"), required=False, min_value=-90, max_value=90)
    long = forms.FloatField(label=_("Longitude (optional)"), required=False, min_value=-180, max_value=180)
    photo = forms.FileField(label=_("Photo (optional, JPEG, PNG or WebP, up to 5 MB)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        for attribute in service.attributes.all():
            if not attribute.variable:
                continue
            options = {"label": attribute.description, "required": attribute.required,
                       "help_text": attribute.datatype_description}
            choices = [(str(value["key"]), value["name"]) for value in attribute.values]
            if attribute.datatype == Datatype.SINGLEVALUELIST:
                field = forms.ChoiceField(choices=[("", "—"), *choices], **options)
            elif attribute.datatype == Datatype.MULTIVALUELIST:
                field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **options)
            elif attribute.datatype == Datatype.TEXT:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **options)
            elif attribute.datatype == Datatype.NUMBER:
                field = forms.CharField(widget=forms.NumberInput(attrs={"step": "any"}), **options)
            elif attribute.datatype == Datatype.DATETIME:
                field = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **options)
            else:
                field = forms.CharField(max_length=300, **options)
            self.fields[f"attribute_{attribute.code}"] = field

    def attribute_answers(self) -> dict[str, list[str]]:
        answers: dict[str, list[str]] = {}
        for name, value in self.cleaned_data.items():
            if not name.startswith("attribute_") or value in (None, "", []):
                continue
            code = name.removeprefix("attribute_")
            if isinstance(value, list):
                answers[code] = [str(item) for item in value]
            elif hasattr(value, "isoformat"):
                answers[code] = [value.isoformat()]
            else:
                answers[code] = [str(value)]
        return answers


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none(), required=False,
                                      empty_label=_("Nobody"))
    note = forms.CharField(label=_("Internal note (optional)"), max_length=2000, required=False)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["assignee"].queryset = staff


class UpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RequestStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    internal = forms.BooleanField(label=_("For staff only (the resident does not see it)"), required=False)
    expected_at = forms.DateTimeField(label=_("Expected by (optional)"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Client application"), max_length=200)


class ServiceForm(forms.Form):
    """A service's names and description, as staff edit them (its code never changes: apps use it)."""

    name_en = forms.CharField(label=_("Name in English"), max_length=200)
    name_fr = forms.CharField(label=_("Name in French (optional)"), max_length=200, required=False)
    name_es = forms.CharField(label=_("Name in Spanish (optional)"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    group = forms.CharField(label=_("Group"), max_length=100, required=False)
    keywords = forms.CharField(label=_("Keywords (comma separated)"), max_length=300, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=ServiceType.choices)
    agency_responsible = forms.CharField(label=_("Agency responsible"), max_length=200, required=False)
    service_notice = forms.CharField(label=_("What residents can expect"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    expected_days = forms.IntegerField(label=_("Days to fulfil (service level)"), min_value=1, max_value=365,
                                       required=False)


class NewServiceForm(ServiceForm):
    service_code = forms.SlugField(label=_("Service code (used by apps, e.g. pothole)"), max_length=40)
    field_order = ["service_code"]


class AttributeForm(forms.Form):
    code = forms.CharField(label=_("Code (a short word, e.g. size)"), max_length=60)
    description = forms.CharField(label=_("Question"), max_length=500)
    datatype = forms.ChoiceField(label=_("Type of answer"), choices=Datatype.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    datatype_description = forms.CharField(label=_("Help on the answer (optional)"), max_length=300, required=False)
    choices = forms.CharField(label=_("Choices, one a line as key: name (list questions only)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))


class EditAttributeForm(forms.Form):
    """What may change in a question once it exists: its code and type of answer stay, for the answers given."""

    description = forms.CharField(label=_("Question"), max_length=500)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    datatype_description = forms.CharField(label=_("Help on the answer (optional)"), max_length=300, required=False)
    choices = forms.CharField(label=_("Choices, one a line as key: name (list questions only)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
