"""Financial statement analysis: ratios per client and period, year-on-year growth, the latest period.

All ratios are annualised for quarterly periods (flows × 4). A ratio whose input is missing or whose
denominator is zero (or, where a negative value has no meaning, not positive) is NaN → "n/a".
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from tools.engine.frames import months_between, safe_div
from tools.policy.schema import Policy

RATIOS = (
    "debt_to_ebitda", "liabilities_to_assets", "debt_to_equity", "current_ratio", "quick_ratio",
    "interest_coverage", "dscr", "ebitda_margin", "net_margin", "roa", "ocf_to_debt",
    "dso", "dio", "dpo", "ccc", "revenue_growth", "ebitda_growth",
)  # fmt: skip


def ratio_table(statements: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Every statement row with its ratios (NaN = n/a), sorted by client and newest period first."""
    st = statements
    f = np.where((st["period_type"] == "quarterly").to_numpy(dtype=bool), 4.0, 1.0)
    col = {c: st[c].to_numpy(dtype="float64") for c in _AMOUNTS}
    rev, cogs = col["revenue"] * f, col["cogs"] * f
    ebitda, net = col["ebitda"] * f, col["net_income"] * f
    interest, ocf = col["interest_expense"] * f, col["operating_cash_flow"] * f
    debt, assets = col["total_debt"], col["total_assets"]
    r: dict[str, np.ndarray] = {}
    r["debt_to_ebitda"] = safe_div(debt, ebitda)
    r["liabilities_to_assets"] = safe_div(col["total_liabilities"], assets)
    r["debt_to_equity"] = safe_div(debt, col["equity"])
    r["current_ratio"] = safe_div(col["current_assets"], col["current_liabilities"])
    r["quick_ratio"] = safe_div(col["current_assets"] - col["inventory"], col["current_liabilities"])
    r["interest_coverage"] = safe_div(ebitda, interest)
    service = interest + debt / policy.data.dscr_amortisation_years
    r["dscr"] = safe_div(ebitda, service)
    r["ebitda_margin"] = safe_div(ebitda, rev)
    r["net_margin"] = safe_div(net, rev)
    r["roa"] = safe_div(net, assets)
    r["ocf_to_debt"] = safe_div(ocf, debt)
    r["dso"] = safe_div(col["receivables"] * 365.0, rev)
    r["dio"] = safe_div(col["inventory"] * 365.0, cogs)
    r["dpo"] = safe_div(col["payables"] * 365.0, cogs)
    r["ccc"] = r["dso"] + r["dio"] - r["dpo"]
    r["annual_revenue"] = rev
    r["annual_ebitda"] = ebitda
    # year-on-year growth against the same period one year earlier
    prev = _year_earlier(st)
    if prev is None:  # duplicate periods or missing keys: the general join (a row per match)
        return _ratio_table_joined(st, r)
    has = prev >= 0
    prev_rev = np.where(has, rev[prev], np.nan)
    prev_ebitda = np.where(has, ebitda[prev], np.nan)
    r["revenue_growth"] = safe_div(rev, prev_rev) - 1.0
    r["ebitda_growth"] = safe_div(ebitda - prev_ebitda, np.abs(prev_ebitda))
    # newest first; at the same period end an annual statement wins over a quarterly one (a stable sort)
    annual = (st["period_type"] == "annual").to_numpy(dtype=bool)
    end = st["period_end"].to_numpy().view("int64")
    order = np.lexsort((~annual, -end, st["client_id"].to_numpy()))
    return _sorted_frame(st, r, order)


def _sorted_frame(st: pd.DataFrame, computed: dict[str, np.ndarray], order: np.ndarray) -> pd.DataFrame:
    """The statements' columns and the computed ones (replacing a same-named column in place), rows in
    `order`. The float columns are written straight into one block (no frame-building copy of ~40 columns)."""
    names = [*st.columns, *(c for c in computed if c not in st.columns)]
    floats = [c for c in names if c in computed or st[c].dtype == np.float64]
    block = np.empty((len(floats), len(order)))
    for i, c in enumerate(floats):
        np.take(computed[c] if c in computed else st[c].to_numpy(), order, out=block[i])
    out = pd.DataFrame(block.T, columns=floats, copy=False)
    for loc, c in enumerate(names):
        if c not in computed and st[c].dtype != np.float64:
            col = st[c].take(order)
            out.insert(loc, c, col.to_numpy() if col.dtype.kind in "biufcmM" else col.array)
    return out


_AMOUNTS = (
    "revenue", "cogs", "ebitda", "net_income", "interest_expense", "operating_cash_flow", "total_debt",
    "total_assets", "total_liabilities", "equity", "current_assets", "current_liabilities", "inventory",
    "receivables", "payables",
)  # fmt: skip


def _year_earlier(st: pd.DataFrame) -> np.ndarray | None:
    """Per row, the row of the same client and period type one year earlier (−1: none); None when a
    (client, type, period end) occurs twice or a key is missing, where a join gives a row per match."""
    if st["period_end"].isna().any() or st["period_type"].isna().any():
        return None
    types, _ = pd.factorize(st["period_type"])
    ids = st["client_id"].to_numpy()
    end = st["period_end"]
    shifted = (end + pd.DateOffset(years=1)).to_numpy().view("int64")
    here = end.to_numpy().view("int64")
    if shifted.dtype != here.dtype or not len(st):
        return None if len(st) else np.empty(0, dtype="int64")
    lo = min(int(here.min()), int(shifted.min()))
    span = max(int(here.max()), int(shifted.max())) - lo + 1
    _, cid = np.unique(ids, return_inverse=True)
    n_types = int(types.max()) + 1
    if (int(cid.max()) + 1) * n_types * span >= 2**62:
        return None
    key_here = (cid.astype("int64") * n_types + types) * span + (here - lo)
    key_prev = (cid.astype("int64") * n_types + types) * span + (shifted - lo)
    order = np.argsort(key_prev, kind="stable")
    sorted_prev = key_prev[order]
    if len(sorted_prev) > 1 and (sorted_prev[1:] == sorted_prev[:-1]).any():
        return None
    pos = np.minimum(np.searchsorted(sorted_prev, key_here), len(order) - 1)
    return np.where(sorted_prev[pos] == key_here, order[pos], -1)


def _ratio_table_joined(st: pd.DataFrame, r: dict[str, np.ndarray]) -> pd.DataFrame:
    st = st.assign(**r)
    prev = st[["client_id", "period_type", "period_end", "annual_revenue", "annual_ebitda"]].copy()
    prev["period_end"] = prev["period_end"] + pd.DateOffset(years=1)
    prev = prev.rename(columns={"annual_revenue": "_prev_rev", "annual_ebitda": "_prev_ebitda"})
    st = st.merge(prev, on=["client_id", "period_type", "period_end"], how="left")
    st["revenue_growth"] = safe_div(st["annual_revenue"], st["_prev_rev"]) - 1.0
    st["ebitda_growth"] = safe_div(st["annual_ebitda"] - st["_prev_ebitda"], np.abs(st["_prev_ebitda"]))
    st = st.drop(columns=["_prev_rev", "_prev_ebitda"])
    st["_annual"] = st["period_type"] == "annual"
    st = st.sort_values(["client_id", "period_end", "_annual"], ascending=[True, False, False])
    return st.drop(columns="_annual").reset_index(drop=True)


def latest_financials(ratios: pd.DataFrame, as_of: dt.date, policy: Policy) -> pd.DataFrame:
    """The latest period per client with its ratios, statement age in months and a stale flag."""
    latest = ratios.drop_duplicates("client_id", keep="first").set_index("client_id")
    latest["statement_age_months"] = months_between(latest["period_end"], as_of)
    latest["statements_stale"] = latest["statement_age_months"] > policy.data.statements_stale_months
    latest["periods"] = ratios.groupby("client_id").size()
    return latest
