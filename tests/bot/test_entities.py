"""Entity parsing: amounts (property-based), periods, client names with typos and partial names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bot.brains.offline.entities import IndexedClient, NameIndex, find_amount, find_client, find_period
from kernel.money import find_amounts, parse_amount

INDEX = NameIndex([IndexedClient(1001, "ACME Holdings", True), IndexedClient(1002, "ACME Logistics", False),
                   IndexedClient(1003, "Globex Trading", True)])  # fmt: skip


@given(
    st.integers(min_value=1, max_value=10**6), st.sampled_from(["k", "K", "m", "M", " million", "mln", "bn"])
)
def test_multiplied_amounts_round_trip(n: int, suffix: str) -> None:
    mult = {"k": 10**3, "m": 10**6, "million": 10**6, "mln": 10**6, "bn": 10**9}[suffix.strip().lower()]
    assert find_amounts(f"raise it to {n}{suffix} please") == [(Decimal(n * mult), None)]


@given(st.integers(min_value=1000, max_value=10**12), st.sampled_from(["USD", "EUR", "usd", "$"]))
def test_currency_amounts_with_separators(n: int, cur: str) -> None:
    amount, currency = parse_amount(f"{cur} {n:,}")
    assert amount == n and currency in {"USD", "EUR"}


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=40))
def test_words_alone_are_never_amounts(text: str) -> None:
    assert find_amounts(text) == []


def test_word_tails_are_not_currencies() -> None:
    assert find_amounts("limits above 5M") == [(Decimal(5_000_000), None)]
    assert find_amount("client 1042 to 2.5 million") == (Decimal(2_500_000), None)


def test_periods() -> None:
    d = dt.date(2026, 11, 28)
    assert find_period("last quarter", as_of=d).label == "Q3 2026"  # type: ignore[union-attr]
    assert find_period("in 2025", as_of=d).start == dt.date(2025, 1, 1)  # type: ignore[union-attr]
    assert find_period("Q4 2025", as_of=d).end == dt.date(2025, 12, 31)  # type: ignore[union-attr]
    assert find_period("utilisation", as_of=d) is None


def test_client_names() -> None:
    assert find_client("utilisation of acme", INDEX).client_id == 1001  # type: ignore[union-attr]  # own scope wins
    assert find_client("ACME Logistics exposure", INDEX).client_id == 1002  # type: ignore[union-attr]
    assert find_client("glbex", INDEX).client_id == 1003  # type: ignore[union-attr]  # typo
    assert find_client("glob", INDEX).client_id == 1003  # type: ignore[union-attr]  # partial
    assert find_client("client #1003", INDEX).client_id == 1003  # type: ignore[union-attr]
    assert find_client("Zorblaxx", INDEX).unknown == "zorblaxx"  # type: ignore[union-attr]


def test_names_outside_the_scope_are_never_listed() -> None:
    index = NameIndex([IndexedClient(1, "Borealis Mining", False), IndexedClient(2, "Borealis Shipping", False),
                       IndexedClient(3, "Globex Trading", True)])  # fmt: skip
    found = find_client("how is borealis doing?", index)
    assert found is not None and found.candidates == () and found.client_id is None
    assert found.unknown == "borealis"
