"""The portfolio's lists in order: the watch-list, the reviews due and the contacts due, from a portfolio table.

Each list is the table's rows that belong in it, sorted on a few columns. The order is given by sort keys
(`*_selection` → rows and key arrays): per column a NaN flag (NaN last whatever the direction) and the value,
negated when the column sorts descending; ties keep the table's row order (a stable sort), which is client-id
order since a portfolio table is indexed by client id in ascending order. That is what pandas' multi-column
`sort_values` does, computed once here so that the same keys also order a list kept across writes:
`OrderedRows` holds a list's items with their keys (as tuples ending with the client id) and replaces the
rows of a few clients in place by bisection instead of sorting the whole list again (the dashboard after a
write, tools/dashboard).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from typing import Generic, TypeVar

import numpy as np
import pandas as pd

T = TypeVar("T")
Key = tuple[int | float, ...]

WATCH_RANK = {"red": 0, "amber": 1}  # any other level that is not green sorts after amber
# the table columns each list reads
WATCH_COLUMNS = ("ews_level", "total_limit")
REVIEW_COLUMNS = ("next_review", "pd", "total_limit", "warnings", "review_overdue")
CONTACT_COLUMNS = ("next_contact", "grade")


def sort_keys(columns: Sequence[tuple[np.ndarray, bool]]) -> list[np.ndarray]:
    """Key arrays, most significant first, for (values, ascending) columns: a NaN/NaT flag and the value
    (0 where missing; negated when descending), so NaN sorts last in either direction and equal values tie."""
    out: list[np.ndarray] = []
    for values, ascending in columns:
        v = np.asarray(values)
        if v.dtype.kind == "M":
            na = np.isnat(v)
            x = v.view("int64")
        elif v.dtype.kind in "biu":
            na = np.zeros(len(v), dtype=bool)
            x = v.astype("int64")
        else:
            x = v.astype("float64")
            na = np.isnan(x)
        x = np.where(na, 0, x)
        out += [na.astype("int8"), x if ascending else -x]
    return out


def order_of(keys: Sequence[np.ndarray]) -> np.ndarray:
    """Row positions in key order (stable: ties keep the row order)."""
    if not keys:
        return np.arange(0)
    return np.lexsort(list(keys)[::-1])


def watch_selection(t: pd.DataFrame) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """Every client with an amber or red level: red first, then by total limit, largest first."""
    rows = t[t["ews_level"] != "green"]
    rank = rows["ews_level"].map(WATCH_RANK).to_numpy(dtype="float64")
    return rows, sort_keys([(rank, True), (rows["total_limit"].to_numpy(dtype="float64"), False)])


def review_selection(
    t: pd.DataFrame, *, as_of: dt.date, horizon_days: int
) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """Reviews due within the horizon (and overdue), with their priority: overdue first, then by priority."""
    horizon = pd.Timestamp(as_of) + pd.Timedelta(days=horizon_days)
    rows = t[t["next_review"] <= horizon].copy()
    rows["priority"] = rows["pd"] * rows["total_limit"] * (1 + rows["warnings"])
    keys = sort_keys(
        [(rows["review_overdue"].to_numpy(), False), (rows["priority"].to_numpy(dtype="float64"), False)]
    )
    return rows, keys


def contact_selection(
    t: pd.DataFrame, *, as_of: dt.date, horizon_days: int
) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """Contacts due within the horizon: soonest first, then the worse grade first."""
    horizon = pd.Timestamp(as_of) + pd.Timedelta(days=horizon_days)
    rows = t[t["next_contact"] <= horizon]
    return rows, sort_keys([(rows["next_contact"].to_numpy(), True), (rows["grade"].to_numpy(), False)])


def watch_rows(t: pd.DataFrame, *, limit: int) -> pd.DataFrame:
    rows, keys = watch_selection(t)
    return rows.iloc[order_of(keys)].head(limit)


def review_rows(t: pd.DataFrame, *, as_of: dt.date, horizon_days: int) -> pd.DataFrame:
    rows, keys = review_selection(t, as_of=as_of, horizon_days=horizon_days)
    return rows.iloc[order_of(keys)]


def contact_rows(t: pd.DataFrame, *, as_of: dt.date, horizon_days: int) -> pd.DataFrame:
    rows, keys = contact_selection(t, as_of=as_of, horizon_days=horizon_days)
    return rows.iloc[order_of(keys)]


def key_tuples(rows: pd.DataFrame, keys: Sequence[np.ndarray]) -> dict[int, Key]:
    """Per client of `rows`: its key as a tuple ending with its client id (the tie-break)."""
    ids = [int(i) for i in rows.index]
    cols = [k.tolist() for k in keys]
    return (
        {i: (*k, i) for i, k in zip(ids, zip(*cols, strict=True), strict=True)}
        if cols
        else {i: (i,) for i in ids}
    )


class OrderedRows(Generic[T]):
    """A list's items in order, with each one's key (`key_tuples`), patched in place by `replace`: its owner
    hands out copies of `items` (a list of 100k is copied in well under a millisecond; copying the keys and
    the index too, and the collector then walking every copy, cost ~10 ms each at 100k clients)."""

    def __init__(self, keys: list[Key], items: list[T], by_id: dict[int, Key]) -> None:
        self.keys, self.items, self.by_id = keys, items, by_id

    @classmethod
    def of(cls, keys: Mapping[int, Key], items: Sequence[T]) -> OrderedRows[T]:
        """From every row's key and the items in the list's order (item i is the client with the i-th key)."""
        ordered = sorted(keys.values())
        if len(ordered) != len(items):
            raise ValueError(f"{len(items)} items for {len(ordered)} keys")
        return cls(keys=ordered, items=list(items), by_id=dict(keys))

    def replace(self, gone: Iterable[int], new: Mapping[int, tuple[Key, T]]) -> None:
        """Take out the rows of the `gone` clients and put the `new` rows (key, item) in their place. On an
        error the rows are left part-way: the owner drops them (and recomputes)."""
        keys, items, by_id = self.keys, self.items, self.by_id
        for cid in gone:
            key = by_id.pop(cid, None)
            if key is not None:
                pos = bisect_left(keys, key)
                if pos == len(keys) or keys[pos] != key:
                    raise ValueError(f"client {cid} not at its key")
                del keys[pos], items[pos]
        for cid, (key, item) in new.items():
            if cid in by_id:
                raise ValueError(f"client {cid} is in the list twice")
            pos = bisect_left(keys, key)
            keys.insert(pos, key)
            items.insert(pos, item)
            by_id[cid] = key

    def ids(self) -> list[int]:
        return [int(k[-1]) for k in self.keys]


__all__ = [
    "CONTACT_COLUMNS",
    "REVIEW_COLUMNS",
    "WATCH_COLUMNS",
    "OrderedRows",
    "contact_rows",
    "contact_selection",
    "key_tuples",
    "order_of",
    "review_rows",
    "review_selection",
    "sort_keys",
    "watch_rows",
    "watch_selection",
]
