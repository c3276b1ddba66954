from django import forms
from django.utils.translation import gettext_lazy as _

from .models import STATEMENT_MAX_LENGTH, AgreementStatus, TensionCategory, TensionStatus


class ConversationForm(forms.Form):
    topic = forms.CharField(label=_("Question the conversation asks"), max_length=200)
    slug = forms.SlugField(label=_("Short name in the address"), max_length=80)
    description = forms.CharField(label=_("Context (optional)"), max_length=3000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    strict_moderation = forms.BooleanField(label=_("New statements wait for a moderator before anyone votes"),
                                           required=False)


class SphereConversationForm(ConversationForm):
    """Opened from a sphere: optionally inside one of its participatory processes."""

    process = forms.ModelChoiceField(label=_("Participatory process (optional)"), queryset=None, required=False)

    def __init__(self, *args, sphere, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = sphere.processes.all()


class StatementForm(forms.Form):
    text = forms.CharField(label=_("Your statement (one idea, at most 140 characters)"),
                           max_length=STATEMENT_MAX_LENGTH * 2, widget=forms.Textarea(
                               attrs={"rows": 2, "maxlength": STATEMENT_MAX_LENGTH}))


class TensionForm(forms.Form):
    category = forms.ChoiceField(label=_("What kind of tension?"), choices=TensionCategory.choices)
    severity = forms.TypedChoiceField(
        label=_("How serious is it?"), coerce=int,
        choices=[(1, _("1 – low")), (2, "2"), (3, _("3 – serious")), (4, "4"), (5, _("5 – very serious, act now"))])
    description = forms.CharField(label=_("What is happening?"), max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    place = forms.CharField(label=_("Where? (optional)"), max_length=200, required=False)
    anonymous = forms.BooleanField(
        label=_("Report anonymously: your account is not stored with the report, nobody can contact you"),
        required=False)


class TriageForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[(v, label) for v, label in TensionStatus.choices
                                                           if v != TensionStatus.ESCALATED])


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("What the case is about"), max_length=3000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))


class PartyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation (optional)"), max_length=200, required=False)
    position = forms.CharField(label=_("Their position, in a sentence (optional)"), max_length=500, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Confidential note (mediators only)"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place (optional)"), max_length=200, required=False)
    summary = forms.CharField(label=_("What was said and decided"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))


class AgreementForm(forms.Form):
    text = forms.CharField(label=_("What the parties agreed"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_on = forms.DateField(label=_("Follow up on (optional)"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices)
    follow_up = forms.CharField(label=_("What was checked"), max_length=3000, widget=forms.Textarea(attrs={"rows": 2}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ExportFilesField(forms.FileField):
    """Several files in one field (the four CSV files of a Pol.is export), or one .zip."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.zip,text/csv,application/zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportFilesForm(forms.Form):
    files = ExportFilesField(
        label=_("The Pol.is export: comments.csv, votes.csv (and participants-votes.csv, summary.csv if you have "
                "them), or one .zip holding them"))


class ImportConversationForm(ImportFilesForm):
    """A new conversation from a Pol.is export; without a question, the export's own topic is used."""

    topic = forms.CharField(label=_("Question the conversation asks (optional: the export's topic otherwise)"),
                            max_length=200, required=False)
    slug = forms.SlugField(label=_("Short name in the address"), max_length=80)
    description = forms.CharField(label=_("Context (optional)"), max_length=3000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    strict_moderation = forms.BooleanField(label=_("New statements wait for a moderator before anyone votes"),
                                           required=False)
