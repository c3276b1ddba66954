from django import forms
from django.utils.translation import gettext_lazy as _

from comuna.spheres.models import Function, Sphere

from .models import AnswerStatus, CommitmentStatus, Meeting, MeetingKind, ModerationAction, ReportReason
from .phases import ProcessTemplate


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), min_length=10, max_length=150)
    body = forms.CharField(label=_("Your proposal"), min_length=30, max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    function = forms.ModelChoiceField(label=_("Area of government (COFOG)"), queryset=Function.objects.all(),
                                      to_field_name="code", required=False)
    place = forms.CharField(label=_("Place (optional)"), max_length=200, required=False)
    meeting = forms.ModelChoiceField(label=_("Did it come from a meeting? (optional)"), queryset=Meeting.objects.none(),
                                     required=False)

    def __init__(self, *args, process=None, **kwargs):
        super().__init__(*args, **kwargs)
        if process is not None:
            self.fields["meeting"].queryset = process.meetings.all()
        if not self.fields["meeting"].queryset.exists():
            del self.fields["meeting"]


class ProcessForm(forms.Form):
    slug = forms.SlugField(label=_("Short name in addresses"), max_length=80)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200, required=False)
    title_es = forms.CharField(label=_("Title (Spanish)"), max_length=200, required=False)
    summary_en = forms.CharField(label=_("Summary (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    template = forms.ChoiceField(label=_("Template"), choices=ProcessTemplate.choices)
    support_threshold = forms.IntegerField(label=_("Supports that oblige an official answer"), min_value=1, initial=100)
    answer_days = forms.IntegerField(label=_("Days to answer"), min_value=1, max_value=365, initial=30)
    is_private = forms.BooleanField(label=_("Only for residents"), required=False)


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Answer"), choices=AnswerStatus.choices)
    text = forms.CharField(label=_("Explanation"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class ReferralForm(forms.Form):
    to_sphere = forms.ModelChoiceField(label=_("Refer to"), queryset=Sphere.objects.exclude(kind="network"),
                                       to_field_name="slug")
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CommitmentUpdateForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    note = forms.CharField(label=_("What changed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why?"), choices=ReportReason.choices)
    details = forms.CharField(label=_("Details (optional)"), max_length=500, required=False)


class ModerationForm(forms.Form):
    action = forms.ChoiceField(label=_("Decision"), choices=ModerationAction.choices)
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class AmendmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), min_length=10, max_length=150)
    body = forms.CharField(label=_("Amended text"), min_length=30, max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    reason = forms.CharField(label=_("Why this change"), max_length=1000)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    url = forms.URLField(label=_("Link to join"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Places (empty: no limit)"), min_value=1, required=False)
    agenda = forms.CharField(label=_("Agenda"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Image (JPEG, PNG, WebP) or PDF, up to 5 MB"))


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
