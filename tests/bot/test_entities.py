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
    # another team's client is a name that does not exist to this actor: never its id, never the weaker "ACME"
    # of the actor's own scope
    found = find_client("ACME Logistics exposure", INDEX)
    assert found is not None and found.client_id is None and found.unknown == "ACME Logistics"
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


# --- Chinese amounts, windows, dimensions, thresholds, facilities (issue 14) ---------------------------------

_CN = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    """n (1..9999) in Chinese numerals, written by hand here: 3000 -> 三千, 250 -> 二百五十, 15 -> 一十五."""
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            out += ("零" if zero and out else "") + _CN[d] + unit
            zero = False
        elif out:
            zero = True
    return out


@given(st.integers(min_value=1, max_value=9999), st.sampled_from([("万", 10**4), ("亿", 10**8)]))
def test_chinese_numeral_amounts(n: int, unit: tuple[str, int]) -> None:
    assert find_amounts(f"把它提到{_chinese(n)}{unit[0]}") == [(Decimal(n * unit[1]), None)]


@given(st.integers(min_value=1, max_value=99999), st.sampled_from([("万", 10**4), ("亿", 10**8)]))
def test_arabic_amounts_with_chinese_units(n: int, unit: tuple[str, int]) -> None:
    assert find_amount(f"额度调到{n}{unit[0]}") == (Decimal(n * unit[1]), None)


def test_amount_examples_of_the_issue() -> None:
    assert find_amount("raise it to 3M") == (Decimal(3_000_000), None)
    assert find_amount("what if 1.5m") == (Decimal(1_500_000), None)
    assert find_amount("simulate 750k") == (Decimal(750_000), None)
    assert find_amount("USD 1,200,000 please") == (Decimal(1_200_000), "USD")
    assert find_amount("提到150万") == (Decimal(1_500_000), None)
    assert find_amount("给到1.2亿") == (Decimal(120_000_000), None)
    assert find_amount("三千万的话") == (Decimal(30_000_000), None)
    assert find_amount("使用率超过九成") is None


def test_windows_dimensions_thresholds_facilities() -> None:
    from bot.brains.offline.entities import (
        find_dimension,
        find_facility,
        find_months,
        find_scope,
        find_threshold,
        find_window_days,
        follow_up_rest,
    )

    d = dt.date(2026, 11, 28)  # a Saturday
    assert find_window_days("reviews due next 2 weeks", as_of=d) == 14
    assert find_window_days("insurance expiring in 60 days", as_of=d) == 60
    assert find_window_days("近三个月到期", as_of=d) == 90
    assert find_window_days("calls this week", as_of=d) == 1  # Saturday to Sunday
    assert find_months("utilisation over the last 6 months") == 6 and find_months("近三个月的使用率") == 3
    assert find_dimension("how concentrated are we in construction") == ("industry", "construction")
    assert find_dimension("what would that do to our sector concentration") == ("industry", None)
    assert find_dimension("单一客户集中度") == ("single_name", None)
    assert find_threshold("which of my clients are >95% drawn") == 0.95 and find_threshold("九成以上") == 0.9
    assert find_facility("raise f-1001-1 to 3M") == "F-1001-1"
    assert find_scope("my clients") == "mine" and find_scope("team reviews") == "team"
    assert follow_up_rest("那 Globex 呢?") == "Globex" and follow_up_rest("what about Globex?") == "Globex"
    assert find_period("last quarter", as_of=d) is not None


def test_a_dimension_word_is_not_a_client() -> None:
    index = NameIndex(
        [IndexedClient(1, "Trident Construction", True), IndexedClient(2, "Nova Construction", True)]
    )
    assert find_client("how concentrated are we in construction", index) is None
    assert find_client("utilisation of Trident Construction", index).client_id == 1  # type: ignore[union-attr]


def test_request_ids_written_alone() -> None:
    from bot.brains.offline.entities import find_request_id

    assert find_request_id("was AR-12 approved yet") == "AR-12"
    assert find_request_id("R5 批了吗") == "R5"
    assert find_request_id("status of REQ-9 please") == "9"  # the "-" joins the word to the number
    assert find_request_id("has r7 been decided") == "R7"
    assert find_request_id("raise F-1001-1 to 3M") is None  # a facility is not a request


def test_ids_written_against_chinese_characters() -> None:
    """Chinese has no spaces: an id touches the characters around it (to `re` they are word characters)."""
    from bot.brains.offline.entities import _CLIENT_ID, find_facility, find_request_id

    assert find_facility("把ACME的F-1001-1额度提到300万") == "F-1001-1"
    assert find_facility("把ACME F-1001-1额度提到300万") == "F-1001-1"
    assert find_facility("F-1001-12号授信") == "F-1001-12"
    assert find_facility("XF-1001-1") is None  # part of another code
    assert find_request_id("AR-12批了吗") == "AR-12"
    assert find_request_id("我的AR-12审批到哪了") == "AR-12"
    assert find_request_id("申请AR-12的进度") == "AR-12"
    assert find_request_id("把ACME的F-1001-1额度提到300万") is None
    match = _CLIENT_ID.search("#1001的额度是多少")
    assert match is not None and match.group(2) == "1001"


def test_a_dimension_word_in_the_named_clients_name_is_not_the_dimension() -> None:
    from bot.brains.offline.entities import find_dimension, without_name

    text = "if Orion Wholesale went to 12M what does that do to concentration"
    assert find_dimension(text) == ("industry", "wholesale")  # the word alone reads as the sector
    assert find_dimension(without_name(text, "Orion Wholesale Co")) == (None, None)
    both = "if Falcon Construction went to 5M what does that do to construction"
    assert find_dimension(without_name(both, "Falcon Construction Co")) == ("industry", "construction")
