"""Reading amounts written by people and spreadsheets, exactly (Decimal, never float).

The rule, also in docs/finance-csv.md:

- Digits, with at most one decimal separator and optional thousands separators. A leading "-" marks a negative
  amount (refused later where amounts cannot be negative).
- The decimal separator is "." or ",". At most two decimals: the amount is never rounded silently.
- Thousands separators are spaces (also non-breaking spaces), "," or "."; they must group digits by three
  ("1 234 567", "1,234,567.89", "1.234.567,89").
- When both "." and "," appear, the last one is the decimal separator and the other groups thousands.
- When only one of them appears: several times, it groups thousands ("1.234.567"); once, it is the decimal
  separator ("1234.5", "1 234,56") — unless exactly three digits follow it ("1,234" or "1.234"), which could be
  read either way: such an amount is refused as ambiguous; write "1234", "1 234" or "1234,00" instead.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

MAX_INTEGER_DIGITS = 16  # DecimalField(max_digits=18, decimal_places=2)
SPACES = {"\u00a0": " ", "\u202f": " ", "\t": " "}


class AmountError(ValueError):
    """The reason an amount cannot be read, in words a finance officer can act on."""


def _grouped(integer: str, separator: str) -> bool:
    return re.fullmatch(r"\d{1,3}(?:" + re.escape(separator) + r"\d{3})+", integer) is not None


def parse_amount(text: str) -> Decimal:
    """The exact amount written in `text`, or AmountError saying why it cannot be read."""
    raw = text
    for odd, plain in SPACES.items():
        text = text.replace(odd, plain)
    text = text.strip()
    negative = text.startswith("-")
    if negative:
        text = text[1:].strip()
    if not text:
        raise AmountError(_("no amount given"))
    if not re.fullmatch(r"[0-9., ]+", text) or not text[0].isdigit() or not text[-1].isdigit():
        raise AmountError(_("“%(text)s” is not a number") % {"text": raw.strip()[:30]})
    text = re.sub(r" +", " ", text)
    marks = [ch for ch in text if ch in ".,"]
    thousands, decimal = "", ""
    if " " in text:
        thousands = " "
        if len(set(marks)) > 1 or len(marks) > 1:
            raise AmountError(_("“%(text)s” mixes spaces with both “.” and “,”") % {"text": raw.strip()[:30]})
        decimal = marks[0] if marks else ""
    elif len(set(marks)) == 2:
        decimal = marks[-1]
        thousands = "," if decimal == "." else "."
        if marks.count(decimal) > 1:
            raise AmountError(_("“%(text)s” has more than one decimal separator") % {"text": raw.strip()[:30]})
    elif len(marks) > 1:
        thousands = marks[0]
    elif len(marks) == 1:
        decimal = marks[0]
        if len(text.split(decimal)[1]) == 3:
            raise AmountError(_("“%(text)s” is ambiguous: “%(mark)s” followed by three digits could group thousands "
                                "or mark decimals; write it without thousands separators")
                              % {"text": raw.strip()[:30], "mark": decimal})
    integer, _sep, fraction = text.partition(decimal) if decimal else (text, "", "")
    if thousands and thousands in integer:
        if not _grouped(integer, thousands):
            raise AmountError(_("“%(text)s” does not group thousands by three digits") % {"text": raw.strip()[:30]})
        integer = integer.replace(thousands, "")
    if not integer.isdigit() or (decimal and not fraction.isdigit()):
        raise AmountError(_("“%(text)s” is not a number") % {"text": raw.strip()[:30]})
    if len(fraction) > 2:
        raise AmountError(_("“%(text)s” has more than two decimals") % {"text": raw.strip()[:30]})
    if len(integer.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise AmountError(_("“%(text)s” is too large") % {"text": raw.strip()[:30]})
    amount = Decimal(f"{integer}.{fraction or '0'}").quantize(Decimal("0.01"))
    return -amount if negative else amount


def format_amount(amount: Decimal) -> str:
    """The plain form used in exports and accepted back by parse_amount: "1234567.80"."""
    return f"{amount:.2f}"
