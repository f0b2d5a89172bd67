from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.errors import InvalidInput
from kernel.money import find_amounts, parse_amount, quantize, to_decimal


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("5M", Decimal("5000000"), None),
        ("2.5 million", Decimal("2500000"), None),
        ("750k", Decimal("750000"), None),
        ("USD 1,200,000", Decimal("1200000"), "USD"),
        ("1,200,000 EUR", Decimal("1200000"), "EUR"),
        ("$3.5m", Decimal("3500000"), "USD"),
        ("3亿", Decimal("300000000"), None),
        ("1.2bn", Decimal("1200000000"), None),
        ("42", Decimal("42"), None),
    ],
)
def test_parse_amount_as_officers_write(text: str, amount: Decimal, currency: str | None) -> None:
    assert parse_amount(text) == (amount, currency)


@pytest.mark.parametrize("text", ["", "five million", "M5", "1.2.3", "abc"])
def test_parse_amount_refuses_non_amounts(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_amount(text)


def test_find_amounts_in_free_text() -> None:
    found = find_amounts("raise ACME to 5M, new contract worth USD 1,200,000 in 2025")
    assert found == [(Decimal("5000000"), None), (Decimal("1200000"), "USD")]


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_plain_amounts_round_trip(value: Decimal) -> None:
    assert parse_amount(f"{value:,}")[0] == value
    assert to_decimal(f"{value:,}") == value


@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False))
def test_quantize_is_within_half_a_cent(value: Decimal) -> None:
    assert abs(quantize(value) - value) <= Decimal("0.005")


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e", None, [1]])
def test_to_decimal_refuses_junk(value: object) -> None:
    with pytest.raises(InvalidInput):
        to_decimal(value)
