"""Bank-flow analysis per client: inflow level and trend, volatility, net flow, bounced payments.

Months are counted back from the as-of month: month 1 is the last full month. The trend compares
the average inflow of months 1–3 with months 4–12 (n/a with fewer than three earlier months).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from crm_adapter.snapshot import BookSnapshot
from tools.engine.frames import fx_factor, month_index, safe_div
from tools.policy.schema import Policy


def flow_metrics(snapshot: BookSnapshot, policy: Policy) -> pd.DataFrame:
    """One row per client with bank flows in the last 12 full months (others are absent = no data)."""
    as_of: dt.date = snapshot.as_of
    fl = snapshot.flows
    back = (as_of.year * 12 + as_of.month - 1) - month_index(fl["month"])
    window = fl[(back >= 1) & (back <= 12)].copy()
    window["_back"] = back[(back >= 1) & (back <= 12)]
    rate = fx_factor(snapshot, window["currency"])
    window["_in"] = window["inflows"].to_numpy(dtype="float64") * rate
    window["_out"] = window["outflows"].to_numpy(dtype="float64") * rate
    window["_recent"] = np.where(window["_back"] <= 3, window["_in"], np.nan)
    window["_older"] = np.where(window["_back"] >= 4, window["_in"], np.nan)
    g = window.groupby("client_id")
    out = pd.DataFrame(
        {
            "flow_months": g.size(),
            "flow_first_month": g["month"].min(),
            "flow_last_month": g["month"].max(),
            "avg_monthly_inflow": g["_in"].mean(),
            "avg_monthly_outflow": g["_out"].mean(),
            "net_flow": g["_in"].sum() - g["_out"].sum(),
            "annual_inflow": g["_in"].mean() * 12.0,
            "_recent_mean": g["_recent"].mean(),
            "_recent_n": g["_recent"].count(),
            "_older_mean": g["_older"].mean(),
            "_older_n": g["_older"].count(),
            "_in_std": g["_in"].std(ddof=0),
            "bounced_payments_12m": g["bounced_payments"].sum().astype("float64"),
        }
    )
    enough = (out["_recent_n"] >= 3) & (out["_older_n"] >= 3)
    trend = safe_div(out["_recent_mean"], out["_older_mean"]) - 1.0
    out["inflow_trend"] = np.where(enough, trend, np.nan)
    out["inflow_volatility"] = np.where(
        out["flow_months"] >= 3, safe_div(out["_in_std"], out["avg_monthly_inflow"]), np.nan
    )
    last_back = (as_of.year * 12 + as_of.month - 1) - month_index(out["flow_last_month"])
    out["flows_stale"] = last_back > policy.data.flows_stale_months
    out.index.name = "client_id"
    return out.drop(columns=[c for c in out.columns if c.startswith("_")])
