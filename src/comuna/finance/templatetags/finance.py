"""Amounts and shares as people read them, in the reader's language (Decimal in, text out: no float)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def money(value, places: int = 0) -> str:
    if value is None:
        return "—"
    value = Decimal(value).quantize(Decimal(1).scaleb(-int(places)))
    return number_format(value, int(places), use_l10n=True, force_grouping=True)


@register.filter
def percent(value) -> str:
    if value is None:
        return _("n/a")
    return _("%(value)s %%") % {"value": number_format((Decimal(value) * 100).quantize(Decimal("0.1")), 1,
                                                       use_l10n=True)}


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def at(sequence, index):
    return sequence[index]
