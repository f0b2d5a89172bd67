"""Small vectorised helpers shared by the engine's modules (safe division, months, currency)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from crm_adapter.snapshot import BookSnapshot


def safe_div(
    num: pd.Series | np.ndarray, den: pd.Series | np.ndarray, *, positive_den: bool = True
) -> np.ndarray:
    """num / den as float64, NaN (n/a) where an input is missing or den is zero (or not positive)."""
    n = np.asarray(num, dtype="float64")
    d = np.asarray(den, dtype="float64")
    # a NaN numerator or denominator gives NaN by itself; only a zero (or negative) denominator is masked
    ok = (d > 0) if positive_den else (d != 0)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return np.where(ok, n / d, np.nan)


def month_index(dates: pd.Series) -> np.ndarray:
    """Months since year 0 (year × 12 + month − 1) for a datetime64 series."""
    return (dates.dt.year * 12 + dates.dt.month - 1).to_numpy()


def months_between(earlier: pd.Series, as_of: dt.date) -> np.ndarray:
    """Whole calendar months from each date to as_of (NaN where the date is missing).

    n months have passed when the date plus n months (the day clipped to the month's end) is on or before
    as_of: 31 Dec 2024 → 30 Sep 2026 is 21 months, 31 Jan → 28 Feb is 1, 15 Mar → 14 Apr is 0.
    """
    d = pd.to_datetime(earlier)
    ts = pd.Timestamp(as_of)
    months = (ts.year * 12 + ts.month) - (d.dt.year * 12 + d.dt.month).to_numpy(dtype="float64")
    day_in_as_of_month = np.minimum(d.dt.day.to_numpy(dtype="float64"), ts.days_in_month)
    return np.where(ts.day < day_in_as_of_month, months - 1, months)


def lookup(keys: pd.Series, mapping: dict[str, float] | pd.Series) -> np.ndarray:
    """`keys.map(mapping)` as float64 (NaN where absent), via factorize: the per-row work stays in C."""
    codes, uniques = pd.factorize(keys)
    table = pd.Series(mapping, dtype="float64") if isinstance(mapping, dict) else mapping
    values = np.append(table.reindex(uniques).to_numpy(dtype="float64"), np.nan)
    return values[codes]  # code -1 (a missing key) takes the trailing NaN


def fx_factor(snapshot: BookSnapshot, currency: pd.Series) -> np.ndarray:
    """Rate to the reporting currency per row (NaN for a currency with no rate)."""
    return lookup(currency, snapshot.fx_rates())


def days_to(dates: pd.Series, as_of: dt.date) -> np.ndarray:
    """Days from as_of to each date (negative when in the past; NaN where missing)."""
    return (dates - pd.Timestamp(as_of)).dt.days.to_numpy(dtype="float64")


def id_strings(ids: pd.Index) -> pd.Index:
    """`ids.astype(str)`: integer ids written by Arrow's cast (the same digits) instead of one str() per id."""
    if ids.dtype.kind not in "iu":
        return ids.astype(str)
    import pyarrow as pa  # here, not at import: pandas loads it already for its strings

    arrow = pa.array(ids.to_numpy()).cast(pa.large_string())
    return pd.Index(pd.array(arrow, dtype="str"), name=ids.name)


def client_index(snapshot: BookSnapshot) -> pd.Index:
    return pd.Index(snapshot.clients["client_id"].to_numpy(), name="client_id")
