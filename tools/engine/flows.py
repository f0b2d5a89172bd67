"""Bank-flow analysis per client: inflow level and trend, volatility, net flow, bounced payments.

Months are counted back from the as-of month: month 1 is the last full month. The trend compares
the average inflow of months 1–3 with months 4–12 (n/a with fewer than three earlier months).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from crm_adapter.snapshot import BookSnapshot, FrameRead
from tools.engine.frames import fx_factor, month_index, safe_div
from tools.engine.segments import Segments
from tools.policy.schema import Policy

FLOW_COLUMNS = (
    "client_id",
    "month",
    "currency",
    "inflows",
    "outflows",
    "bounced_payments",
)  # the columns read
FLOW_MONTHS = 12  # months 1..12 back from the as-of month


def flow_read(as_of: dt.date) -> FrameRead:
    """What `flow_metrics` reads of the bank flows: its columns, months FLOW_MONTHS..1 back (any day in them)."""
    first = as_of.year * 12 + as_of.month - 1
    since = dt.date((first - FLOW_MONTHS) // 12, (first - FLOW_MONTHS) % 12 + 1, 1)
    return FrameRead(columns=FLOW_COLUMNS, on="month", since=since, until=dt.date(as_of.year, as_of.month, 1))


def flow_metrics(snapshot: BookSnapshot, policy: Policy) -> pd.DataFrame:
    """One row per client with bank flows in the last 12 full months (others are absent = no data)."""
    as_of: dt.date = snapshot.as_of
    fl = snapshot.flows
    back = (as_of.year * 12 + as_of.month - 1) - month_index(fl["month"])
    keep = (back >= 1) & (back <= FLOW_MONTHS)
    window = fl.loc[keep, list(FLOW_COLUMNS)]
    b = back[keep]
    rate = fx_factor(snapshot, window["currency"])
    inflow = window["inflows"].to_numpy(dtype="float64") * rate
    outflow = window["outflows"].to_numpy(dtype="float64") * rate
    seg = Segments.of(window["client_id"].to_numpy())  # per-client reductions over rows sorted by client once
    recent, older = np.where(b <= 3, inflow, np.nan), np.where(b >= 4, inflow, np.nan)
    s_in, s_out, s_recent, s_older = seg.sums(inflow, outflow, recent, older)  # one walk for the four
    mean_in = seg.means(s_in)
    out = pd.DataFrame(
        {
            "flow_months": seg.size(),
            "flow_first_month": seg.min_time(window["month"]),
            "flow_last_month": seg.max_time(window["month"]),
            "avg_monthly_inflow": mean_in,
            "avg_monthly_outflow": seg.means(s_out),
            "net_flow": s_in[0] - s_out[0],
            "annual_inflow": mean_in * 12.0,
            "_recent_mean": seg.means(s_recent),
            "_recent_n": s_recent[1],
            "_older_mean": seg.means(s_older),
            "_older_n": s_older[1],
            "_in_std": seg.std0(inflow),
            "bounced_payments_12m": seg.sum(window["bounced_payments"].to_numpy()),  # integers: exact
        },
        index=seg.index(),
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
