from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Function


class RoutingForm(forms.Form):
    function = forms.ModelChoiceField(
        queryset=Function.objects.all(), label=_("Which sphere is competent for…"), to_field_name="code",
    )
