"""Repayment behaviour per client: current and worst days past due, late counts, on-time ratio, cures.

An instalment is *paid* when it has a payment date and the amount paid reaches the amount due, less the
policy's tolerance (`data.paid_tolerance`, a fraction of the amount due; a payment date without an amount,
or with amount 0 (the CRM's default), counts as paid in full). A partly paid instalment is still past due. An instalment's days past due run to
its payment date when paid, else to the as-of date. Current DPD runs from the oldest instalment that is
not fully paid. Only instalments due by the as-of date (in the last 12 months) count, and the on-time
ratio is over all of them: paid in full on or before the due date / instalments due.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from crm_adapter.snapshot import BookSnapshot, FrameRead
from tools.engine.segments import Segments

REPAYMENT_COLUMNS = ("client_id", "due_date", "paid_date", "amount_due", "amount_paid")  # the columns read


def repayment_read(as_of: dt.date) -> FrameRead:
    """What `repayment_metrics` reads of the instalments: its columns, due in the 12 months to as_of (from the
    first of the month 12 months back: a day or two more than the window, never less; dates with a time too)."""
    back = as_of.year * 12 + as_of.month - 1 - 12
    return FrameRead(columns=REPAYMENT_COLUMNS, on="due_date", since=dt.date(back // 12, back % 12 + 1, 1),
                     until=as_of + dt.timedelta(days=1))  # fmt: skip


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
    window = ((rp["due_date"] <= as_of) & (rp["due_date"] > as_of - pd.DateOffset(months=12))).to_numpy(
        dtype=bool
    )
    # only the columns used (not the facility ids' strings), filtered as arrays
    due = pd.DataFrame({c: rp[c].to_numpy()[window] for c in REPAYMENT_COLUMNS})
    paid = fully_paid(due, tolerance)
    due_dates = due["due_date"].to_numpy()
    end = np.where(paid, due["paid_date"].to_numpy(), as_of.to_datetime64().astype(due_dates.dtype))
    dpd = np.maximum((end - due_dates) / np.timedelta64(1, "D"), 0.0)  # whole days: the dates are days
    unpaid = ~paid
    seg = Segments.of(due["client_id"].to_numpy())  # per-client reductions over rows sorted by client once
    n = seg.size().astype("float64")
    partial = unpaid & (np.nan_to_num(due["amount_paid"].to_numpy(dtype="float64")) > 0.0)
    out = pd.DataFrame(
        {
            "instalments_12m": n,
            "current_dpd": seg.max(np.where(unpaid, dpd, 0.0)),
            "max_dpd_12m": seg.max(dpd),
            "late_30_count_12m": seg.sum(dpd >= 30),
            "late_60_count_12m": seg.sum(dpd >= 60),
            "late_90_count_12m": seg.sum(dpd >= 90),
            "on_time_ratio": seg.sum(paid & (dpd == 0)) / np.where(n > 0, n, np.nan),
            "cures_12m": seg.sum(paid & (dpd > 0)),
            "partly_paid_12m": seg.sum(partial),
            "oldest_unpaid_due": seg.min_time(
                np.where(unpaid & (dpd > 0), due_dates, np.datetime64("NaT")).astype(due_dates.dtype)
            ),
        },
        index=seg.index(),
    )
    out.index.name = "client_id"
    return out
