"""Amounts are read exactly, in the formats finance officers use, and refused when they could be misread."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comuna.finance.amounts import AmountError, format_amount, parse_amount


@pytest.mark.parametrize(("text", "amount"), [
    ("1234.56", "1234.56"), ("1234,56", "1234.56"), ("1 234,56", "1234.56"), ("1\u00a0234,56", "1234.56"),
    ("1\u202f234\u202f567,8", "1234567.80"), ("1.234,56", "1234.56"), ("1,234.56", "1234.56"),
    ("1.234.567", "1234567.00"), ("1,234,567.89", "1234567.89"), ("0.1", "0.10"), ("12", "12.00"),
    ("-5,5", "-5.50"), (" 42 ", "42.00"), ("1 234 567", "1234567.00"),
])
def test_unambiguous_amounts_are_read_exactly(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(("text", "reason"), [
    ("12,34.5", "does not group thousands by three"), ("abc", "is not a number"), ("1e5", "is not a number"),
    ("1,234", "ambiguous"), ("1.234", "ambiguous"), ("0.125", "ambiguous"), ("1234.567", "ambiguous"),
    ("1.234.567,891", "more than two decimals"), ("12 34", "does not group thousands"), ("", "no amount"),
    ("1.234.56", "does not group thousands"), ("1,2,3", "does not group thousands"), ("1.", "is not a number"),
    ("1 234.567,8", "mixes spaces"), ("12345678901234567", "too large"), ("1,5,00.0", "does not group"),
])
def test_doubtful_amounts_are_refused_with_the_reason(text, reason):
    with pytest.raises(AmountError, match=reason):
        parse_amount(text)


@given(st.decimals(min_value=Decimal("-9999999999999999.99"), max_value=Decimal("9999999999999999.99"), places=2))
def test_the_export_form_reads_back_to_the_same_amount(amount):
    assert parse_amount(format_amount(amount)) == amount


@given(st.integers(min_value=0, max_value=10**15), st.integers(min_value=0, max_value=99))
def test_european_and_english_groupings_agree(units, cents):
    english = f"{units:,}.{cents:02d}"
    european = english.replace(",", " ").replace(".", ",")
    dotted = f"{units:,}".replace(",", ".") + f",{cents:02d}"
    expected = Decimal(units) + Decimal(cents) / 100
    assert parse_amount(english) == parse_amount(european) == parse_amount(dotted) == expected
