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
    st = statements.copy()
    f = np.where(st["period_type"].to_numpy() == "quarterly", 4.0, 1.0)
    rev = st["revenue"].to_numpy(dtype="float64") * f
    cogs = st["cogs"].to_numpy(dtype="float64") * f
    ebitda = st["ebitda"].to_numpy(dtype="float64") * f
    net = st["net_income"].to_numpy(dtype="float64") * f
    interest = st["interest_expense"].to_numpy(dtype="float64") * f
    ocf = st["operating_cash_flow"].to_numpy(dtype="float64") * f
    debt = st["total_debt"].to_numpy(dtype="float64")
    st["debt_to_ebitda"] = safe_div(debt, ebitda)
    st["liabilities_to_assets"] = safe_div(st["total_liabilities"], st["total_assets"])
    st["debt_to_equity"] = safe_div(debt, st["equity"])
    st["current_ratio"] = safe_div(st["current_assets"], st["current_liabilities"])
    st["quick_ratio"] = safe_div(st["current_assets"] - st["inventory"], st["current_liabilities"])
    st["interest_coverage"] = safe_div(ebitda, interest)
    service = interest + debt / policy.data.dscr_amortisation_years
    st["dscr"] = safe_div(ebitda, service)
    st["ebitda_margin"] = safe_div(ebitda, rev)
    st["net_margin"] = safe_div(net, rev)
    st["roa"] = safe_div(net, st["total_assets"])
    st["ocf_to_debt"] = safe_div(ocf, debt)
    st["dso"] = safe_div(st["receivables"].to_numpy(dtype="float64") * 365.0, rev)
    st["dio"] = safe_div(st["inventory"].to_numpy(dtype="float64") * 365.0, cogs)
    st["dpo"] = safe_div(st["payables"].to_numpy(dtype="float64") * 365.0, cogs)
    st["ccc"] = st["dso"] + st["dio"] - st["dpo"]
    st["annual_revenue"] = rev
    st["annual_ebitda"] = ebitda
    # year-on-year growth against the same period one year earlier
    prev = st[["client_id", "period_type", "period_end", "annual_revenue", "annual_ebitda"]].copy()
    prev["period_end"] = prev["period_end"] + pd.DateOffset(years=1)
    prev = prev.rename(columns={"annual_revenue": "_prev_rev", "annual_ebitda": "_prev_ebitda"})
    st = st.merge(prev, on=["client_id", "period_type", "period_end"], how="left")
    st["revenue_growth"] = safe_div(st["annual_revenue"], st["_prev_rev"]) - 1.0
    st["ebitda_growth"] = safe_div(st["annual_ebitda"] - st["_prev_ebitda"], np.abs(st["_prev_ebitda"]))
    st = st.drop(columns=["_prev_rev", "_prev_ebitda"])
    # newest first; at the same period end an annual statement wins over a quarterly one
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
