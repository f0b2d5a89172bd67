"""Repayment behaviour per client: current and worst days past due, late counts, on-time ratio, cures.

An instalment is *paid* when it has a payment date and the amount paid reaches the amount due, less the
policy's tolerance (`data.paid_tolerance`, a fraction of the amount due; a payment date without an amount,
or with amount 0 (the CRM's default), counts as paid in full). A partly paid instalment is still past due. An instalment's days past due run to
its payment date when paid, else to the as-of date. Current DPD runs from the oldest instalment that is
not fully paid. Only instalments due by the as-of date (in the last 12 months) count, and the on-time
ratio is over all of them: paid in full on or before the due date / instalments due.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crm_adapter.snapshot import BookSnapshot


def fully_paid(rp: pd.DataFrame, tolerance: float) -> np.ndarray:
    """True where the instalment has a payment date and amount paid ≥ amount due × (1 − tolerance)
    (or no amount recorded)."""
    has_date = rp["paid_date"].notna().to_numpy()
    due = rp["amount_due"].to_numpy(dtype="float64")
    paid_amt = rp["amount_paid"].to_numpy(dtype="float64")
    # no amount recorded (empty, or the CRM's default 0) with a payment date: paid in full
    enough = np.isnan(paid_amt) | (paid_amt <= 0) | (paid_amt >= due * (1.0 - tolerance))
    return has_date & enough


def repayment_metrics(snapshot: BookSnapshot, tolerance: float = 0.0) -> pd.DataFrame:
    """One row per client with instalments due in the last 12 months (others: no repayment history)."""
    as_of = pd.Timestamp(snapshot.as_of)
    rp = snapshot.repayments
    due = rp[(rp["due_date"] <= as_of) & (rp["due_date"] > as_of - pd.DateOffset(months=12))].copy()
    paid = fully_paid(due, tolerance)
    end = due["paid_date"].where(pd.Series(paid, index=due.index), as_of)
    dpd = np.maximum((end - due["due_date"]).dt.days.to_numpy(dtype="float64"), 0.0)
    due["_dpd"] = dpd
    due["_current"] = np.where(~paid, dpd, 0.0)
    due["_oldest_unpaid"] = due["due_date"].where(~paid & (dpd > 0))
    due["_late30"] = dpd >= 30
    due["_late60"] = dpd >= 60
    due["_late90"] = dpd >= 90
    due["_on_time"] = paid & (dpd == 0)
    due["_cure"] = paid & (dpd > 0)
    due["_partial"] = ~paid & due["amount_paid"].fillna(0.0).gt(0.0).to_numpy()
    g = due.groupby("client_id")
    n = g.size().astype("float64")
    out = pd.DataFrame(
        {
            "instalments_12m": n,
            "current_dpd": g["_current"].max(),
            "max_dpd_12m": g["_dpd"].max(),
            "late_30_count_12m": g["_late30"].sum().astype("float64"),
            "late_60_count_12m": g["_late60"].sum().astype("float64"),
            "late_90_count_12m": g["_late90"].sum().astype("float64"),
            "on_time_ratio": g["_on_time"].sum() / n.where(n > 0),
            "cures_12m": g["_cure"].sum().astype("float64"),
            "partly_paid_12m": g["_partial"].sum().astype("float64"),
            "oldest_unpaid_due": g["_oldest_unpaid"].min(),
        }
    )
    out.index.name = "client_id"
    return out
