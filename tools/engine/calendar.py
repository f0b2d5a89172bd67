"""Review and contact calendar (S1, S7).

Review: frequency by grade (shortened for large exposures). The last review is the latest completed
review on record (tools.engine.review_runs.ReviewRunStore.record_review); without one, reviews are
assumed to have followed the cycle from onboarding, so the next due date is the next cycle date.
Contact: frequency by grade, shortened while warnings are open; the next contact is the earlier of the
policy date after the last contact and the date the officer planned in the log. No contact on record:
due one period after onboarding, or today when that date has passed (due now, never years overdue).
The CRM's `last_review_date` counts as a completed review, as do reviews recorded in Credit Desk.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from crm_adapter.snapshot import FrameRead
from tools.policy.schema import Policy

CONTACT_COLUMNS = (
    "client_id",
    "contact_date",
    "kind",
    "next_contact_date",
)  # the columns `contact_schedule` reads


def contact_read(as_of: dt.date) -> FrameRead:
    """What `contact_schedule` reads of the contact log: its columns, contacts up to as_of (the latest counts;
    to the next day, so a date with a time of day is never left out)."""
    return FrameRead(columns=CONTACT_COLUMNS, on="contact_date", until=as_of + dt.timedelta(days=1))


def _vector_add_months(dates: pd.Series, months: np.ndarray) -> pd.Series:
    """Add whole months (day clipped to the month's end), vectorised."""
    d = pd.to_datetime(dates)
    v = d.to_numpy()
    month = v.astype("datetime64[M]")
    day = (v.astype("datetime64[D]") - month.astype("datetime64[D]")).astype("int64")  # day of month − 1
    target = month + np.asarray(months).astype("int64")
    first = target.astype("datetime64[D]")
    last = ((target + 1).astype("datetime64[D]") - first).astype(
        "int64"
    ) - 1  # the target month's last day − 1
    out = first + np.minimum(day, last)  # NaT stays NaT
    return pd.Series(out.astype("datetime64[us]"), index=d.index)


def _sorted_by(first: np.ndarray, then: np.ndarray) -> bool:
    """Rows already in (first, then) order (no missing `then`): sorting them again would change nothing."""
    if len(first) < 2:
        return True
    if np.isnat(then).any() if then.dtype.kind == "M" else pd.isna(then).any():
        return False
    a, b = first[:-1], first[1:]
    return bool(((b > a) | ((b == a) & (then[1:] >= then[:-1]))).all())


def review_schedule(*, idx: pd.Index, as_of: dt.date, clients: pd.DataFrame, grade: np.ndarray,
                    total_limit: np.ndarray, recorded: pd.Series, policy: Policy) -> pd.DataFrame:  # fmt: skip
    rv = policy.review
    bounds = np.array([r.max_grade for r in rv.frequency_months_by_grade])
    months = np.array([r.months for r in rv.frequency_months_by_grade])[
        np.searchsorted(bounds, grade, side="left")
    ]
    for o in rv.exposure_overrides:
        months = np.where(total_limit >= float(o.min_exposure), np.minimum(months, o.max_months), months)
    ts = pd.Timestamp(as_of)
    by_id = clients[
        ["client_id", "onboarded", *(["last_review_date"] if "last_review_date" in clients else [])]
    ]
    by_id = by_id.set_index("client_id")
    onboarded = by_id["onboarded"].reindex(idx)
    onboarded = onboarded.fillna(ts)
    last = recorded.reindex(idx) if len(recorded) else pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
    if "last_review_date" in clients.columns:  # the CRM's own record counts as a completed review too
        crm_last = pd.to_datetime(by_id["last_review_date"].reindex(idx))
        last = pd.concat([pd.to_datetime(last), crm_last], axis=1).max(axis=1)
    has_rec = last.notna().to_numpy()
    due_recorded = _vector_add_months(last.fillna(ts), months)
    elapsed = (ts.year * 12 + ts.month) - (onboarded.dt.year * 12 + onboarded.dt.month).to_numpy()
    cycles = np.maximum(np.ceil(np.maximum(elapsed, 0) / months), 1).astype(int)
    due_cycle = _vector_add_months(onboarded, cycles * months)
    behind = due_cycle < ts
    due_cycle = due_cycle.where(~behind, _vector_add_months(onboarded, (cycles + 1) * months))
    last_cycle = _vector_add_months(due_cycle, -months)
    next_due = np.where(has_rec, due_recorded, due_cycle)
    out = pd.DataFrame(index=idx)
    out["review_months"] = months
    out["last_review"] = np.where(has_rec, last, last_cycle)
    out["last_review_source"] = np.where(has_rec, "recorded", "cycle")
    out["next_review"] = pd.to_datetime(next_due)
    days = (ts - out["next_review"]).dt.days.to_numpy()
    out["review_overdue"] = days > 0
    out["review_days_overdue"] = np.maximum(days, 0)
    return out


def contact_schedule(*, idx: pd.Index, as_of: dt.date, clients: pd.DataFrame, contacts: pd.DataFrame,
                     grade: np.ndarray, ews_level: pd.Series, policy: Policy) -> pd.DataFrame:  # fmt: skip
    cp = policy.contact
    bounds = np.array([r.max_grade for r in cp.frequency_days_by_grade])
    days = np.array([r.days for r in cp.frequency_days_by_grade])[np.searchsorted(bounds, grade, side="left")]
    lvl = ews_level.reindex(idx).to_numpy()
    days = np.where(
        lvl == "red",
        np.minimum(days, cp.red_days),
        np.where(lvl == "amber", np.minimum(days, cp.amber_days), days),
    )
    ts = pd.Timestamp(as_of)
    past = contacts.loc[contacts["contact_date"] <= ts, list(CONTACT_COLUMNS)]
    if not _sorted_by(
        past["client_id"].to_numpy(), past["contact_date"].to_numpy()
    ):  # a stable sort: no-op if so
        past = past.sort_values(["client_id", "contact_date"])
    latest = past.drop_duplicates("client_id", keep="last").set_index("client_id").reindex(idx)
    onboarded = (
        clients[["client_id", "onboarded"]].set_index("client_id")["onboarded"].reindex(idx).fillna(ts)
    )
    base = latest["contact_date"].fillna(onboarded)
    policy_due = base + pd.to_timedelta(days, unit="D")
    # never contacted: due one period after onboarding, or today if that date has passed (due now, not
    # years "late")
    never = latest["contact_date"].isna()
    policy_due = policy_due.where(~never, policy_due.clip(lower=ts))
    planned = latest["next_contact_date"]
    next_due = policy_due.where(planned.isna() | (planned > policy_due), planned)
    out = pd.DataFrame(index=idx)
    out["contact_days"] = days
    out["last_contact"] = latest["contact_date"]
    out["last_contact_kind"] = latest["kind"]
    out["planned_contact"] = planned
    out["next_contact"] = next_due
    overdue_days = (ts - next_due).dt.days.to_numpy()
    out["contact_overdue"] = overdue_days > 0
    out["contact_days_overdue"] = np.maximum(overdue_days, 0)
    return out
