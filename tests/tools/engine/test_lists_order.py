"""The lists' sort keys give pandas' multi-column sort (NaN last either way, ties in row order), and a list
kept in key order and patched client by client equals the list sorted again.

References: pandas `sort_values` over the same columns (what the lists sorted with before the keys), and
Python's `sorted` over the patched rows; neither is the code under test."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

from tools.engine.lists import (
    OrderedRows,
    contact_rows,
    contact_selection,
    key_tuples,
    review_rows,
    review_selection,
    watch_rows,
    watch_selection,
)

AS_OF = dt.date(2026, 11, 28)


def _table(n: int, seed: int) -> pd.DataFrame:
    """A portfolio table's list columns with many ties (few distinct values) and some NaN."""
    rng = random.Random(seed)
    total = [rng.choice([1e6, 2e6, 2e6, 5e5, float("nan"), 0.0, -0.0]) for _ in range(n)]
    pd_ = [rng.choice([0.01, 0.02, 0.02, float("nan")]) for _ in range(n)]
    base = pd.Timestamp(AS_OF)
    return pd.DataFrame(
        {
            "ews_level": pd.array(
                [rng.choice(["red", "amber", "green", "amber"]) for _ in range(n)], dtype="str"
            ),
            "total_limit": total,
            "pd": pd_,
            "warnings": [rng.choice([0, 1, 2]) for _ in range(n)],
            "review_overdue": [rng.random() < 0.3 for _ in range(n)],
            "next_review": [base + pd.Timedelta(days=rng.choice([-5, 0, 10, 10, 40])) for _ in range(n)],
            "next_contact": [base + pd.Timedelta(days=rng.choice([-1, 3, 3, 20])) for _ in range(n)],
            "grade": [rng.choice([3, 5, 5, 8]) for _ in range(n)],
        },
        index=pd.Index(range(1000, 1000 + n), name="client_id"),
    ).astype({"next_review": "datetime64[us]", "next_contact": "datetime64[us]"})


def _pandas_watch(t: pd.DataFrame) -> list[int]:
    t = t[t["ews_level"] != "green"].assign(_r=lambda d: d["ews_level"].map({"red": 0, "amber": 1}))
    return t.sort_values(["_r", "total_limit"], ascending=[True, False]).index.tolist()


def _pandas_reviews(t: pd.DataFrame, horizon_days: int) -> list[int]:
    t = t[t["next_review"] <= pd.Timestamp(AS_OF) + pd.Timedelta(days=horizon_days)].copy()
    t["priority"] = t["pd"] * t["total_limit"] * (1 + t["warnings"])
    return t.sort_values(["review_overdue", "priority"], ascending=[False, False]).index.tolist()


def _pandas_contacts(t: pd.DataFrame, horizon_days: int) -> list[int]:
    t = t[t["next_contact"] <= pd.Timestamp(AS_OF) + pd.Timedelta(days=horizon_days)]
    return t.sort_values(["next_contact", "grade"], ascending=[True, False]).index.tolist()


@pytest.mark.parametrize("seed", range(5))
def test_the_keys_sort_as_pandas_sorts(seed: int) -> None:
    t = _table(400, seed)
    assert watch_rows(t, limit=len(t)).index.tolist() == _pandas_watch(t)
    assert review_rows(t, as_of=AS_OF, horizon_days=30).index.tolist() == _pandas_reviews(t, 30)
    assert contact_rows(t, as_of=AS_OF, horizon_days=14).index.tolist() == _pandas_contacts(t, 14)


def test_a_level_that_is_neither_red_nor_amber_sorts_last() -> None:
    t = _table(50, 9)
    t.loc[1003, "ews_level"] = "grey"
    assert watch_rows(t, limit=len(t)).index.tolist() == _pandas_watch(t)
    assert watch_rows(t, limit=len(t)).index[-1] == 1003


def _ordered(t: pd.DataFrame, select) -> OrderedRows[int]:  # type: ignore[no-untyped-def]
    keys = key_tuples(*select(t))
    order = sorted(keys, key=lambda i: keys[i])
    return OrderedRows.of(keys, order)  # the item is the client id itself


@pytest.mark.parametrize("seed", range(5))
def test_a_patched_list_equals_the_list_sorted_again(seed: int) -> None:
    """Rows of some clients change (in, out of the list, onto ties with others); the patched list equals
    pandas' sort of the changed table."""
    rng = random.Random(100 + seed)
    t = _table(300, seed)
    selections = {
        "watch": (watch_selection, _pandas_watch),
        "reviews": (
            lambda x: review_selection(x, as_of=AS_OF, horizon_days=30),
            lambda x: _pandas_reviews(x, 30),
        ),
        "contacts": (
            lambda x: contact_selection(x, as_of=AS_OF, horizon_days=14),
            lambda x: _pandas_contacts(x, 14),
        ),
    }
    lists = {name: _ordered(t, sel) for name, (sel, _) in selections.items()}
    for _ in range(6):  # six writes, each patching the previous list
        changed = sorted(rng.sample(list(t.index), 7))
        other = _table(300, rng.randrange(1000)).reindex(t.index)
        t = t.copy()
        t.loc[changed] = other.loc[changed].to_numpy()
        t = t.astype(_table(1, 0).dtypes.to_dict())
        for name, (sel, reference) in selections.items():
            part = t.loc[changed]
            keys = key_tuples(*sel(part))
            lists[name].replace(changed, {i: (k, i) for i, k in keys.items()})
            assert lists[name].items == reference(t), name
            assert lists[name].ids() == lists[name].items


def test_a_client_not_at_its_key_is_refused() -> None:
    rows = OrderedRows.of({1: (0, 1), 2: (0, 2)}, ["a", "b"])
    broken = OrderedRows(keys=list(rows.keys), items=list(rows.items), by_id={1: (5, 1), 2: (0, 2)})
    with pytest.raises(ValueError):
        broken.replace([1], {})
    with pytest.raises(ValueError):
        rows.replace([], {2: ((0, 2), "b")})  # already in the list
    with pytest.raises(ValueError):
        OrderedRows.of({1: (0, 1)}, ["a", "b"])  # an item without a key


def test_keys_flag_nan_last_in_both_directions() -> None:
    from tools.engine.lists import order_of, sort_keys

    v = np.array([2.0, np.nan, 1.0, np.nan, 3.0])
    assert order_of(sort_keys([(v, True)])).tolist() == [2, 0, 4, 1, 3]
    assert order_of(sort_keys([(v, False)])).tolist() == [4, 0, 2, 1, 3]
