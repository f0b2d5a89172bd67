"""Early warning (S4): indicators evaluated over the whole book, each green / amber / red with the
triggering value, threshold and date. Only amber and red rows are emitted; a client's overall level is
its worst indicator (green when none fired).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from kernel.catalogue import text
from tools.policy.schema import Policy

INDICATORS = (
    "new_past_due", "high_utilisation", "inflow_drop", "limit_excess", "rating_downgrade", "adverse_signal",
    "statements_overdue", "low_dscr", "review_overdue", "insurance_expiring", "insurance_lapsed",
    "insurance_missing", "concentration_breach",
)  # fmt: skip
COLUMNS = ["client_id", "indicator", "level", "value", "threshold", "date", "message"]
TEXT = "_text"  # per row, until shown: the key of the function that formats its message (None: formatted)
_FORMATTERS: dict[str, Callable[[pd.DataFrame], list[str]]] = {}  # key → the message function (rows → texts)


def _levels(value: np.ndarray, amber: float, red: float, *, strict: bool = False) -> np.ndarray:
    v = np.nan_to_num(value, nan=-np.inf)
    if strict:
        return np.select([v > red, v > amber], [2, 1], 0)
    return np.select([v >= red, v >= amber], [2, 1], 0)


def _emit(parts: list[pd.DataFrame], ids: np.ndarray, indicator: str, level: np.ndarray, value: np.ndarray,
          amber: float | np.ndarray, red: float | np.ndarray, date: np.ndarray, messages: object) -> None:  # fmt: skip
    hit = level > 0
    if not hit.any():
        return
    amber_a = np.broadcast_to(np.asarray(amber, dtype="float64"), level.shape)
    red_a = np.broadcast_to(np.asarray(red, dtype="float64"), level.shape)
    df = pd.DataFrame(
        {
            "client_id": ids[hit],
            "indicator": indicator,
            "level": np.where(level[hit] == 2, "red", "amber"),
            "value": np.asarray(value, dtype="float64")[hit],
            "threshold": np.where(level[hit] == 2, red_a[hit], amber_a[hit]),
            "date": pd.to_datetime(pd.Series(np.asarray(date)[hit])).to_numpy(),
        }
    )
    # the text is built when a warning is shown (`messages`/`with_messages`), not for every warning of the book
    if callable(messages) and getattr(messages, "__closure__", None) is None:  # a pure function of the rows
        key = f"{indicator}:{messages.__code__.co_firstlineno}:{messages.__defaults__}"  # type: ignore[attr-defined]
        _FORMATTERS[key] = messages
        df["message"] = None
        df[TEXT] = key
    elif callable(messages):
        df["message"] = messages(df)
        df[TEXT] = None
    else:
        df["message"] = messages
        df[TEXT] = None
    parts.append(df)


def messages(warnings: pd.DataFrame) -> list[str]:
    """The message text of these warning rows (formatted now, only for them)."""
    if "message" not in warnings.columns:
        return []
    out = list(warnings["message"])
    if TEXT not in warnings.columns or not len(warnings):
        return out
    codes, keys = pd.factorize(warnings[TEXT])  # None → -1: already formatted
    for k, key in enumerate(keys):
        rows = np.flatnonzero(codes == k)
        for i, m in zip(rows, _FORMATTERS[key](warnings.iloc[rows]), strict=True):
            out[i] = m
    return out


def with_messages(warnings: pd.DataFrame) -> pd.DataFrame:
    """These warning rows with their message text (COLUMNS), e.g. the few clients a view shows."""
    out = warnings.drop(columns=[TEXT], errors="ignore")
    if len(out):
        out = out.assign(message=messages(warnings))
    return out


def evaluate(
    *, idx: pd.Index, as_of: dt.date, features: pd.DataFrame, repayment: pd.DataFrame, flows: pd.DataFrame,
    exposure: pd.DataFrame, latest: pd.DataFrame, rating: pd.DataFrame, previous: pd.DataFrame,
    signals: pd.DataFrame, headroom: pd.DataFrame, required_cover: np.ndarray, policy: Policy,
    review: pd.DataFrame | None = None,
) -> pd.DataFrame:  # fmt: skip
    """The warnings frame (COLUMNS), worst first per client."""
    e = policy.ews
    ids = idx.to_numpy()
    today = np.full(len(ids), np.datetime64(as_of, "ns"))
    parts: list[pd.DataFrame] = []

    dpd = features["current_dpd"].to_numpy(dtype="float64")
    _emit(parts, ids, "new_past_due", _levels(dpd, e.new_past_due.amber, e.new_past_due.red), dpd,
          e.new_past_due.amber, e.new_past_due.red, repayment["oldest_unpaid_due"].reindex(idx).to_numpy(),
          lambda d: [f"payment {v:.0f} days past due (instalment due {t:%d %b %Y})" for v, t in zip(d["value"], d["date"], strict=True)])  # fmt: skip

    util = exposure["utilisation"].reindex(idx).to_numpy(dtype="float64")
    active = exposure["active_facilities"].reindex(idx).fillna(0).to_numpy() > 0
    ut = np.where(active, util, np.nan)
    _emit(parts, ids, "high_utilisation", _levels(ut, e.high_utilisation.amber, e.high_utilisation.red), ut,
          e.high_utilisation.amber, e.high_utilisation.red, today,
          lambda d: [f"lines {v:.0%} drawn (threshold {t:.0%})" for v, t in zip(d["value"], d["threshold"], strict=True)])  # fmt: skip

    drop = -flows["inflow_trend"].reindex(idx).to_numpy(dtype="float64")
    _emit(parts, ids, "inflow_drop", _levels(drop, e.inflow_drop.amber, e.inflow_drop.red), drop,
          e.inflow_drop.amber, e.inflow_drop.red, flows["flow_last_month"].reindex(idx).to_numpy(),
          lambda d: [f"bank inflows of the last 3 months {v:.0%} below the 9 months before (to {t:%b %Y})" for v, t in zip(d["value"], d["date"], strict=True)])  # fmt: skip

    excess = exposure["max_excess"].reindex(idx).to_numpy(dtype="float64")
    _emit(
        parts,
        ids,
        "limit_excess",
        _levels(excess, e.limit_excess.amber, e.limit_excess.red, strict=True),
        excess,
        e.limit_excess.amber,
        e.limit_excess.red,
        today,
        lambda d: [f"a line is drawn {v:.1%} above its limit" for v in d["value"]],
    )

    prev = (
        previous["grade"].reindex(idx).to_numpy(dtype="float64")
        if len(previous)
        else np.full(len(ids), np.nan)
    )
    notches = rating["grade"].to_numpy(dtype="float64") - prev
    prev_date = (
        previous["run_date"].reindex(idx).to_numpy()
        if len(previous)
        else np.full(len(ids), np.datetime64("NaT"))
    )
    _emit(parts, ids, "rating_downgrade", _levels(notches, e.rating_downgrade.amber, e.rating_downgrade.red),
          notches, e.rating_downgrade.amber, e.rating_downgrade.red, prev_date,
          lambda d: [f"grade down {v:.0f} notch(es) since the review run of {t:%d %b %Y}" for v, t in zip(d["value"], d["date"], strict=True)])  # fmt: skip

    rank = {"low": 1, "medium": 2, "high": 3, "severe": 4}
    window = signals[signals["adverse"] & (signals["age_days"] <= e.adverse_signal.window_days)]
    worst = window.sort_values(["severity_rank", "signal_date"], ascending=[False, False]).drop_duplicates(
        "client_id"
    )
    worst = worst.set_index("client_id").reindex(idx)
    sev = worst["severity_rank"].to_numpy(dtype="float64")
    lvl = _levels(sev, rank[e.adverse_signal.amber_severity.value], rank[e.adverse_signal.red_severity.value])
    fired = worst[lvl > 0]  # messages only for the clients it fires for
    _emit(parts, ids, "adverse_signal", lvl, sev, rank[e.adverse_signal.amber_severity.value],
          rank[e.adverse_signal.red_severity.value], worst["signal_date"].to_numpy(),
          [f"{s} {c.replace('_', ' ')}: {m}" for s, c, m in zip(fired["severity"].fillna(""), fired["category"].fillna(""),
                                                             fired["summary"].fillna(""), strict=True)])  # fmt: skip

    age = features["statement_age_months"].to_numpy(dtype="float64")
    none = np.isnan(age)
    so = e.statements_overdue
    lvl = np.where(none, 2, _levels(age, so.amber_months, so.red_months))
    _emit(parts, ids, "statements_overdue", lvl, age, so.amber_months, so.red_months,
          latest["period_end"].reindex(idx).to_numpy(),
          lambda d: ["no financial statements on file" if np.isnan(v) else f"latest statements are {v:.0f} months old (period end {t:%d %b %Y})" for v, t in zip(d["value"], d["date"], strict=True)])  # fmt: skip

    dscr = features["dscr"].to_numpy(dtype="float64")
    ld = e.low_dscr
    low = np.nan_to_num(dscr, nan=np.inf)
    lvl = np.select([low < ld.red, low < ld.amber], [2, 1], 0)
    _emit(parts, ids, "low_dscr", lvl, dscr, ld.amber, ld.red, latest["period_end"].reindex(idx).to_numpy(),
          lambda d: [text("engine.warning.low_dscr", value=v, threshold=t, date=f"{p:%d %b %Y}")
                     for v, t, p in zip(d["value"], d["threshold"], d["date"], strict=True)])  # fmt: skip

    if review is not None:
        rv = review.reindex(idx)
        late = rv["review_days_overdue"].to_numpy(dtype="float64")
        ro = e.review_overdue
        lvl = np.select([late >= max(ro.red_days, 1), late >= max(ro.amber_days, 1)], [2, 1], 0)
        _emit(parts, ids, "review_overdue", lvl, late, ro.amber_days, ro.red_days, rv["next_review"].to_numpy(),
              lambda d: [text("engine.warning.review_overdue", value=v, date=f"{t:%d %b %Y}")
                         for v, t in zip(d["value"], d["date"], strict=True)])  # fmt: skip

    ex = exposure.reindex(idx)
    expiring = ex["covers_expiring"].to_numpy(dtype="float64")
    days = (ex["next_cover_expiry"] - pd.Timestamp(as_of)).dt.days.to_numpy(dtype="float64")
    _emit(parts, ids, "insurance_expiring", np.where(expiring > 0, 1, 0), days, e.insurance.expiring_days,
          e.insurance.expiring_days, ex["next_cover_expiry"].to_numpy(),
          lambda d: [f"credit insurance expires in {v:.0f} days ({t:%d %b %Y})" for v, t in zip(d["value"], d["date"], strict=True)])  # fmt: skip

    lapsed = ex["last_lapse"].notna().to_numpy() & (ex["effective_cover"].to_numpy() <= 0) & required_cover
    lapsed &= ex["total_limit"].to_numpy() > 0
    _emit(parts, ids, "insurance_lapsed", np.where(lapsed, 2, 0), np.zeros(len(ids)), 0.0, 0.0,
          ex["last_lapse"].to_numpy(),
          lambda d: [f"required credit insurance lapsed on {t:%d %b %Y} and the line is still open" for t in d["date"]])  # fmt: skip

    # mandatory cover (by product or grade) short of the policy's ratio: amber; no active cover at all: red
    need = policy.insurance.min_cover_ratio
    base = ex["insurance_exposure"].to_numpy(dtype="float64")
    ratio = np.where(
        base > 0, ex["insured"].to_numpy(dtype="float64") / np.where(base > 0, base, 1.0), np.nan
    )
    missing = required_cover & (ex["total_limit"].to_numpy() > 0) & ~lapsed & (np.nan_to_num(ratio) < need)
    none_active = ex["effective_cover"].to_numpy(dtype="float64") <= 0
    lvl = np.where(missing, np.where(none_active, 2, 1), 0)
    _emit(parts, ids, "insurance_missing", lvl, np.nan_to_num(ratio), need, need, today,
          lambda d: [text("engine.warning.insurance_missing_short", value=v, threshold=t) if v > 0
                     else text("engine.warning.insurance_missing_none")
                     for v, t in zip(d["value"], d["threshold"], strict=True)])  # fmt: skip

    amber = e.concentration.amber_share_of_limit
    for dim in ("single_name", "group"):
        share = headroom[f"share_{dim}"].reindex(idx).to_numpy(dtype="float64")
        limit = headroom[f"limit_{dim}"].reindex(idx).to_numpy(dtype="float64")
        use = share / limit
        lvl = np.select([use > 1.0, use >= amber], [2, 1], 0)
        if dim == "group":
            own = headroom["bucket_group"].reindex(idx).astype("str").fillna("")  # "client:<id>" = no group
            lvl = np.where(own.str.startswith("client:").to_numpy(dtype=bool), 0, lvl)
        _emit(parts, ids, "concentration_breach", lvl, share, limit * amber, limit, today,
              lambda d, dim=dim: [f"{dim.replace('_', ' ')} share {v:.2%} of book limits against a {t:.2%} limit" for v, t in zip(d["value"], d["threshold"], strict=True)])  # fmt: skip

    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in [*COLUMNS, TEXT]})
    # worst first per client: by client, red before amber, then the indicators' order (a stable sort of the
    # parts, which are already in INDICATORS order)
    rank = np.concatenate([np.where(p["level"].to_numpy() == "red", 0, 1) for p in parts])
    ind = np.concatenate([np.full(len(p), INDICATORS.index(p["indicator"].iat[0])) for p in parts])
    cid = np.concatenate([p["client_id"].to_numpy() for p in parts])
    order = np.lexsort((ind, rank, cid))
    out = pd.concat(parts, ignore_index=True)
    return out.take(order).reset_index(drop=True)


def overall_level(idx: pd.Index, warnings: pd.DataFrame) -> pd.Series:
    rank = warnings["level"].map({"amber": 1, "red": 2}).groupby(warnings["client_id"]).max()
    lvl = rank.reindex(idx).fillna(0).astype(int)
    return lvl.map({0: "green", 1: "amber", 2: "red"})
