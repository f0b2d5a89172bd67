"""Reputation: a severity-weighted, time-decayed score of adverse signals (0 = clean).

weight = severity weight × 0.5 ^ (age in days / half-life); positive signals count with the policy's
(negative) positive weight; the client score is the sum, floored at 0. Signals older than the
look-back window are ignored.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from crm_adapter.snapshot import BookSnapshot, FrameRead
from tools.engine.frames import lookup
from tools.engine.segments import Segments
from tools.policy.schema import Policy

SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3, "severe": 4}


def signal_read(as_of: dt.date, policy: Policy) -> FrameRead:
    """What `weighted_signals` reads: every column, signals 0..lookback_days old (a day more each side, so a date
    with a time of day is never left out)."""
    days = dt.timedelta(days=policy.reputation.lookback_days + 1)
    return FrameRead(on="signal_date", since=as_of - days, until=as_of + dt.timedelta(days=1))


def weighted_signals(snapshot: BookSnapshot, policy: Policy) -> pd.DataFrame:
    """Signals within the look-back window with their `age_days` and decayed `weight`."""
    rp = policy.reputation
    as_of = pd.Timestamp(snapshot.as_of)
    sg = snapshot.signals
    age = (as_of - sg["signal_date"]).dt.days.to_numpy(dtype="float64")
    keep = (age >= 0) & (age <= rp.lookback_days)
    sg = sg[keep].copy()
    sg["age_days"] = age[keep]
    weights = {k.value: v for k, v in rp.severity_weights.items()}
    base = np.nan_to_num(lookup(sg["severity"], weights), nan=0.0)
    positive = (sg["category"] == "positive").to_numpy()
    base = np.where(positive, rp.positive_weight, base)
    sg["weight"] = base * np.power(0.5, sg["age_days"].to_numpy() / rp.half_life_days)
    sg["adverse"] = ~positive
    rank = np.nan_to_num(lookup(sg["severity"], {k: float(v) for k, v in SEVERITY_RANK.items()}), nan=0.0)
    sg["severity_rank"] = np.where(positive, 0, rank).astype(int)
    return sg.sort_values(["client_id", "weight"], ascending=[True, False]).reset_index(drop=True)


def reputation_metrics(signals: pd.DataFrame) -> pd.DataFrame:
    """One row per client with signals: `reputation_score`, counts."""
    seg = Segments.of(signals["client_id"].to_numpy())  # the rows are sorted by client already
    out = pd.DataFrame(
        {
            "reputation_score": np.maximum(seg.sum(signals["weight"].to_numpy(dtype="float64")), 0.0),
            "signals": seg.size().astype("float64"),
            "adverse_signals": seg.sum(signals["adverse"].to_numpy(dtype=bool)),
        },
        index=seg.index(),
    )
    out.index.name = "client_id"
    return out
