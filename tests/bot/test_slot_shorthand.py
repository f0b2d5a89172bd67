"""Amounts and windows as officers type them (#14): 500w (万), 5百万 / 3千万 (digits then Chinese units),
half a million, 2 wks, a fortnight, the coming week, month end, 3 mths, the last two quarters; a facility
reference reads as one token to the classifier. Expected values worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.brains.offline.classifier import FACILITY_TOKEN, facility_token
from bot.brains.offline.entities import find_amount, find_months, find_window_days

AS_OF = dt.date(2026, 11, 28)  # a Saturday


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("给ACME提到500w", Decimal("5000000")),
        ("提到 1200W 可以吗", Decimal("12000000")),
        ("raise acme to 80w", Decimal("800000")),
        ("Globex 提到5百万", Decimal("5000000")),
        ("额度调到3千万", Decimal("30000000")),
        ("1.5千万够不够", Decimal("15000000")),
        ("bump initech to half a million", Decimal("500000")),
        ("raise acme to 2 mil", Decimal("2000000")),
        ("USD 1,200,000 for globex", Decimal("1200000")),
        ("三千万", Decimal("30000000")),
    ],
)
def test_amount_shorthand(text: str, amount: Decimal) -> None:
    found = find_amount(text)
    assert found is not None and found[0] == amount


def test_a_small_w_in_english_is_not_an_amount() -> None:
    assert find_amount("reviews due in 2w") is None


@given(st.integers(min_value=10, max_value=99_999))
def test_w_is_ten_thousand(n: int) -> None:
    found = find_amount(f"提到{n}w")
    assert found is not None and found[0] == Decimal(n) * 10_000


@given(
    st.integers(min_value=1, max_value=999),
    st.sampled_from([("百", 100), ("千", 1000)]),
    st.sampled_from([("万", 10**4), ("亿", 10**8)]),
)
def test_digits_then_chinese_units(n: int, unit: tuple[str, int], big: tuple[str, int]) -> None:
    found = find_amount(f"额度{n}{unit[0]}{big[0]}")
    assert found is not None and found[0] == Decimal(n) * unit[1] * big[1]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("insurance expiring in the next 2 wks", 14),
        ("reviews due next fortnight", 14),
        ("who should I call the coming week", 1),  # Saturday: through Sunday
        ("covers lapsing by end of month", 2),  # 28 Nov: the 29th and 30th
    ],
)
def test_window_shorthand(text: str, days: int) -> None:
    assert find_window_days(text, as_of=AS_OF) == days


@pytest.mark.parametrize(("text", "months"), [("util past 3 mths", 3), ("dpd over the last two quarters", 6)])
def test_months_shorthand(text: str, months: int) -> None:
    assert find_months(text) == months


def test_a_facility_reference_is_one_token() -> None:
    assert (
        facility_token("F-1114-2 utilisation and f-1001-1")
        == f"{FACILITY_TOKEN} utilisation and {FACILITY_TOKEN}"
    )
    assert facility_token("XF-1-2 and F-1-2x") == "XF-1-2 and F-1-2x"
