from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from comuna.spheres.models import Function, Sphere

from . import services
from .declarations import MAX_VOTE_DAYS

DATE = forms.DateInput(attrs={"type": "date"})
MAX_FILE_BYTES = 10 * 1024 * 1024


class SphereChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Sphere) -> str:
        return obj.name


def acting_sphere_field(spheres, label=None) -> SphereChoiceField:
    return SphereChoiceField(label=label or _("On behalf of"), queryset=spheres, to_field_name="slug",
                             empty_label=None)


def function_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("Function of government (COFOG)"), queryset=Function.objects.all(),
                                  required=False)


class PolicyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("Problem it answers"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    measures = forms.CharField(label=_("Measures taken"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))
    function = function_field()
    sdg_targets = forms.MultipleChoiceField(label=_("Sustainable Development Goal targets"), required=False,
                                            widget=forms.SelectMultiple(attrs={"size": 6}))
    languages = forms.CharField(label=_("Languages it is documented in"), max_length=100, required=False,
                                help_text=_("ISO codes separated by commas, e.g. en, fr, es"))
    contact = forms.CharField(label=_("Contact"), max_length=300, required=False)
    indicators = forms.CharField(
        label=_("Results"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One indicator a line: name; baseline; value; unit; year"))
    documents = forms.CharField(
        label=_("Documents"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: title | https address"))
    document_file = forms.FileField(label=_("Attach a document (PDF, up to 10 MB)"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sdg_targets"].choices = services.sdg_target_choices()

    def clean_languages(self) -> list[str]:
        return [code.strip().lower() for code in self.cleaned_data["languages"].split(",") if code.strip()]

    def clean_indicators(self) -> list[dict]:
        rows = []
        for line in self.cleaned_data["indicators"].splitlines():
            parts = [part.strip() for part in line.split(";")]
            if not parts[0]:
                continue
            parts += [""] * (5 - len(parts))
            rows.append({"name": parts[0], "baseline": parts[1], "value": parts[2], "unit": parts[3],
                         "year": parts[4]})
        return rows

    def clean_documents(self) -> list[dict]:
        documents = []
        for line in self.cleaned_data["documents"].splitlines():
            if not line.strip():
                continue
            title, _bar, url = line.rpartition("|")
            url = url.strip()
            try:
                URLValidator(schemes=["https", "http"])(url)
            except ValidationError:
                raise ValidationError(_("Write each document as: title | https address")) from None
            documents.append({"title": title.strip() or url, "url": url})
        return documents

    def clean_document_file(self):
        upload = self.cleaned_data.get("document_file")
        if upload is None:
            return None
        if upload.size > MAX_FILE_BYTES or not upload.read(5).startswith(b"%PDF-"):
            raise ValidationError(_("Attach a PDF file of at most 10 MB."))
        upload.seek(0)
        return upload

    def policy_input(self, adaptation: str = "") -> services.PolicyInput:
        data = self.cleaned_data
        documents = list(data["documents"])
        if data.get("document_file"):
            documents.append({"title": data["document_file"].name[:200], "file": data["document_file"]})
        return services.PolicyInput(
            title=data["title"], problem=data["problem"], measures=data["measures"], function=data["function"],
            sdg_targets=data["sdg_targets"], languages=data["languages"], contact=data["contact"],
            indicators=data["indicators"], documents=documents, adaptation=adaptation)


class AdoptForm(PolicyForm):
    sphere = acting_sphere_field(Sphere.objects.none(), _("Sphere adopting it"))
    adaptation = forms.CharField(label=_("What you adapted and why"), max_length=3000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["sphere", "adaptation"]

    def __init__(self, *args, spheres=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sphere"].queryset = spheres if spheres is not None else Sphere.objects.none()


class HelpRequestForm(forms.Form):
    title = forms.CharField(label=_("What you need help with"), max_length=200)
    details = forms.CharField(label=_("Details"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    function = function_field()


class OfferForm(forms.Form):
    sphere = acting_sphere_field(Sphere.objects.none(), _("Mentoring sphere"))
    message = forms.CharField(label=_("What your sphere can share"), max_length=3000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, spheres=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sphere"].queryset = spheres if spheres is not None else Sphere.objects.none()


class SessionForm(forms.Form):
    sphere = acting_sphere_field(Sphere.objects.none())
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    notes = forms.CharField(label=_("What was shared and learnt"), max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, spheres=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sphere"].queryset = spheres if spheres is not None else Sphere.objects.none()


class DeclarationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))


class AmendmentForm(forms.Form):
    sphere = acting_sphere_field(Sphere.objects.none(), _("Member sphere proposing it"))
    text = forms.CharField(label=_("Amended text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    reason = forms.CharField(label=_("Why this change"), max_length=1000)

    def __init__(self, *args, spheres=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sphere"].queryset = spheres if spheres is not None else Sphere.objects.none()


class DecideAmendmentForm(forms.Form):
    accept = forms.TypedChoiceField(label=_("Decision"), choices=[("1", _("Accept")), ("0", _("Reject"))],
                                    coerce=lambda value: value == "1", widget=forms.RadioSelect)
    response = forms.CharField(label=_("Response to the member"), max_length=1000, required=False)


class OpenRatificationForm(forms.Form):
    quorum_kind = forms.ChoiceField(label=_("Quorum"), choices=[("count", _("Number of members")),
                                                                ("share", _("Share of members (%)"))])
    quorum_value = forms.IntegerField(label=_("Ratifications needed (number or percent)"), min_value=1,
                                      max_value=10_000)


class RemoteMemberForm(forms.Form):
    label = forms.CharField(label=_("Name"), max_length=300)
    uri = forms.URLField(label=_("Its address on its instance (ActivityPub actor)"), max_length=500,
                         assume_scheme="https")


class DecisionForm(forms.Form):
    sphere = acting_sphere_field(Sphere.objects.none(), _("Member sphere"))
    decision = forms.ChoiceField(label=_("Decision"), choices=[("ratify", _("Ratify")), ("reject", _("Reject")),
                                                               ("abstain", _("Abstain"))], widget=forms.RadioSelect)
    note = forms.CharField(label=_("Explanation"), max_length=3000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, spheres=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sphere"].queryset = spheres if spheres is not None else Sphere.objects.none()


class CallVoteForm(forms.Form):
    sphere = acting_sphere_field(Sphere.objects.none(), _("Member sphere"))
    days = forms.IntegerField(label=_("Days the vote stays open"), min_value=1, max_value=MAX_VOTE_DAYS, initial=14)

    def __init__(self, *args, spheres=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sphere"].queryset = spheres if spheres is not None else Sphere.objects.none()


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Should your city ratify this declaration?"),
                               choices=[("yes", _("Yes")), ("no", _("No")), ("abstain", _("I abstain"))],
                               widget=forms.RadioSelect)


class DialogueForm(forms.Form):
    sphere = acting_sphere_field(Sphere.objects.none(), _("Your sphere"))
    others = forms.ModelMultipleChoiceField(label=_("Spheres to talk with"), to_field_name="slug",
                                            queryset=Sphere.objects.all(), widget=forms.SelectMultiple(attrs={"size": 6}))
    title = forms.CharField(label=_("Matter"), max_length=200)
    function = function_field()
    body = forms.CharField(label=_("First message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, spheres=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sphere"].queryset = spheres if spheres is not None else Sphere.objects.none()


class MessageForm(forms.Form):
    sphere = acting_sphere_field(Sphere.objects.none())
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    is_position = forms.BooleanField(label=_("This is the official position of the sphere"), required=False)

    def __init__(self, *args, spheres=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sphere"].queryset = spheres if spheres is not None else Sphere.objects.none()
