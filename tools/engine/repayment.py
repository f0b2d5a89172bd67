"""Repayment behaviour per client: current and worst days past due, late counts, on-time ratio, cures.

An instalment's days past due run to its payment date when paid, else to the as-of date
(the same rule as `RepaymentEvent.days_past_due`). Only instalments due by the as-of date count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crm_adapter.snapshot import BookSnapshot


def repayment_metrics(snapshot: BookSnapshot) -> pd.DataFrame:
    """One row per client with instalments due in the last 12 months (others: no repayment history)."""
    as_of = pd.Timestamp(snapshot.as_of)
    rp = snapshot.repayments
    due = rp[(rp["due_date"] <= as_of) & (rp["due_date"] > as_of - pd.DateOffset(months=12))].copy()
    paid = due["paid_date"].notna().to_numpy()
    end = due["paid_date"].where(due["paid_date"].notna(), as_of)
    dpd = np.maximum((end - due["due_date"]).dt.days.to_numpy(dtype="float64"), 0.0)
    due["_dpd"] = dpd
    due["_current"] = np.where(~paid, dpd, 0.0)
    due["_oldest_unpaid"] = due["due_date"].where(~paid & (dpd > 0))
    due["_late30"] = dpd >= 30
    due["_late60"] = dpd >= 60
    due["_late90"] = dpd >= 90
    due["_on_time"] = paid & (dpd == 0)
    due["_settled"] = paid | (dpd == 0)
    due["_cure"] = paid & (dpd > 0)
    g = due.groupby("client_id")
    out = pd.DataFrame(
        {
            "instalments_12m": g.size().astype("float64"),
            "current_dpd": g["_current"].max(),
            "max_dpd_12m": g["_dpd"].max(),
            "late_30_count_12m": g["_late30"].sum().astype("float64"),
            "late_60_count_12m": g["_late60"].sum().astype("float64"),
            "late_90_count_12m": g["_late90"].sum().astype("float64"),
            "on_time_ratio": g["_on_time"].sum() / g["_settled"].sum().where(g["_settled"].sum() > 0),
            "cures_12m": g["_cure"].sum().astype("float64"),
            "oldest_unpaid_due": g["_oldest_unpaid"].min(),
        }
    )
    out.index.name = "client_id"
    return out
