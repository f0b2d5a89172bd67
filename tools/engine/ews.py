"""Early warning (S4): indicators evaluated over the whole book, each green / amber / red with the
triggering value, threshold and date. Only amber and red rows are emitted; a client's overall level is
its worst indicator (green when none fired).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kernel.catalogue import render
from tools.engine.segments import Segments
from tools.policy.schema import Policy

INDICATORS = (
    "new_past_due", "high_utilisation", "inflow_drop", "limit_excess", "rating_downgrade", "adverse_signal",
    "statements_overdue", "low_dscr", "review_overdue", "insurance_expiring", "insurance_lapsed",
    "insurance_missing", "concentration_breach",
)  # fmt: skip
COLUMNS = ["client_id", "indicator", "level", "value", "threshold", "date", "message", "msg"]
TEXT = "_text"  # per row, until shown: the key of the function that codes its message (None: coded)
_FORMATTERS: dict[
    str, Callable[[pd.DataFrame], list[tuple[str, dict[str, object]]]]
] = {}  # key → rows' codes


def _levels(value: np.ndarray, amber: float, red: float, *, strict: bool = False) -> np.ndarray:
    v = np.nan_to_num(value, nan=-np.inf)
    if strict:
        return np.select([v > red, v > amber], [2, 1], 0)
    return np.select([v >= red, v >= amber], [2, 1], 0)


@dataclass
class _Part:
    """One indicator's fired rows, as arrays (one frame is built for all of them at the end)."""

    indicator: int  # position in INDICATORS
    client_id: np.ndarray
    red: np.ndarray
    value: np.ndarray
    threshold: np.ndarray
    date: np.ndarray
    msg: list[dict[str, object]] | None  # coded now (None: by TEXT's function when shown)
    message: list[str] | None
    text: str | None


def _emit(parts: list[_Part], ids: np.ndarray, indicator: str, level: np.ndarray, value: np.ndarray,
          amber: float | np.ndarray, red: float | np.ndarray, date: np.ndarray, messages: object) -> None:  # fmt: skip
    hit = level > 0
    if not hit.any():
        return
    amber_a = np.broadcast_to(np.asarray(amber, dtype="float64"), level.shape)
    red_a = np.broadcast_to(np.asarray(red, dtype="float64"), level.shape)
    is_red = level[hit] == 2
    part = _Part(
        indicator=INDICATORS.index(indicator),
        client_id=ids[hit],
        red=is_red,
        value=np.asarray(value, dtype="float64")[hit],
        threshold=np.where(is_red, red_a[hit], amber_a[hit]),
        date=pd.to_datetime(pd.Series(np.asarray(date)[hit])).to_numpy(),
        msg=None,
        message=None,
        text=None,
    )
    # the message is coded (key + params) and written when a warning is shown (`messages`/`with_messages`),
    # not for every warning of the book
    if callable(messages) and getattr(messages, "__closure__", None) is None:  # a pure function of the rows
        key = f"{indicator}:{messages.__code__.co_firstlineno}:{messages.__defaults__}"  # type: ignore[attr-defined]
        _FORMATTERS[key] = messages
        part.text = key
    else:
        coded = messages(_frame([part])) if callable(messages) else messages
        part.msg = [{"key": k, "params": params} for k, params in coded]  # type: ignore[union-attr]
        part.message = _rendered(part.msg)
    parts.append(part)


def _rendered(msgs: list[dict[str, object]]) -> list[str]:
    """English text of each coded message; equal messages (same key and parameters) are written once."""
    done: dict[object, str] = {}
    out = []
    for m in msgs:
        try:
            # the values' types too: 1, 1.0 and True are equal keys but are written differently
            key: object = (m["key"], tuple((k, type(v), v) for k, v in m["params"].items()))  # type: ignore[union-attr]
            hash(key)
        except TypeError:  # a parameter that cannot be a key (a list, a nested message): written each time
            out.append(render(m, "en"))
            continue
        if key not in done:
            done[key] = render(m, "en")
        out.append(done[key])
    return out


def _frame(parts: list[_Part], order: np.ndarray | None = None) -> pd.DataFrame:
    """The warnings frame (COLUMNS + TEXT) of these parts, rows in `order` (default: as they come), with the
    dtypes one frame per part concatenated would have."""
    n = sum(len(p.client_id) for p in parts)
    take = slice(None) if order is None else order
    ind = np.concatenate([np.full(len(p.client_id), p.indicator) for p in parts])[take]
    red = np.concatenate([p.red for p in parts])[take]
    msg, message, text = np.empty(n, dtype=object), np.empty(n, dtype=object), np.empty(n, dtype=object)
    at = 0
    for p in parts:
        rows = slice(at, at + len(p.client_id))
        if p.msg is not None:
            msg[rows], message[rows] = p.msg, p.message
        text[rows] = p.text
        at = rows.stop
    eager = all(p.text is None for p in parts)
    lazy = all(p.text is not None for p in parts)
    return pd.DataFrame(
        {
            "client_id": np.concatenate([p.client_id for p in parts])[take],
            "indicator": pd.array(np.array(INDICATORS, dtype=object)[ind], dtype="str"),
            "level": pd.array(np.where(red, "red", "amber").astype(object), dtype="str"),
            "value": np.concatenate([p.value for p in parts])[take],
            "threshold": np.concatenate([p.threshold for p in parts])[take],
            "date": np.concatenate([p.date for p in parts])[take],
            "msg": pd.Series(msg[take], dtype=object, copy=False),
            "message": pd.Series(message[take], dtype="str" if eager else object, copy=False),
            TEXT: pd.Series(text[take], dtype="str" if lazy else object, copy=False),
        }
    )


def coded(warnings: pd.DataFrame) -> list[dict[str, object] | None]:
    """The coded message ({"key", "params"}) of these warning rows (coded now, only for them)."""
    if "msg" not in warnings.columns:
        return []
    out = list(warnings["msg"])
    if TEXT not in warnings.columns or not len(warnings):
        return out
    codes, keys = pd.factorize(warnings[TEXT])  # None → -1: already coded
    for k, key in enumerate(keys):
        rows = np.flatnonzero(codes == k)
        for i, (mk, params) in zip(rows, _FORMATTERS[key](warnings.iloc[rows]), strict=True):
            out[i] = {"key": mk, "params": params}
    return out


def messages(warnings: pd.DataFrame) -> list[str]:
    """The English message text of these warning rows (written now, only for them)."""
    return [render(m, "en") if m is not None else "" for m in coded(warnings)]


def with_messages(warnings: pd.DataFrame) -> pd.DataFrame:
    """These warning rows with their coded message and its English text (COLUMNS), e.g. the few clients a
    view shows."""
    out = warnings.drop(columns=[TEXT], errors="ignore")
    if len(out):
        msgs = coded(warnings)
        out = out.assign(msg=msgs, message=[render(m, "en") if m is not None else "" for m in msgs])
    return out


# --- the text side: each warning is a catalogue key (engine.warning.<...>) and its JSON parameters ----------


def _iso(t: object) -> str | None:
    return None if t is None or pd.isna(t) else pd.Timestamp(t).date().isoformat()  # type: ignore[arg-type]


def _month(t: object) -> str | None:
    return None if t is None or pd.isna(t) else f"{pd.Timestamp(t):%Y-%m}"  # type: ignore[arg-type]


def _f(v: object) -> float | None:
    f = float(v)  # type: ignore[arg-type]
    return None if np.isnan(f) else f


def _coded(key: str, d: pd.DataFrame, *, date: bool = True, threshold: bool = False, **fixed: object
           ) -> list[tuple[str, dict[str, object]]]:  # fmt: skip
    """One (key, params) per row: value, optionally threshold and date, plus fixed params."""
    out = []
    for v, t, day in zip(d["value"], d["threshold"], d["date"], strict=True):
        params: dict[str, object] = {"value": _f(v), **fixed}
        if threshold:
            params["threshold"] = _f(t)
        if date:
            params["date"] = _iso(day)
        out.append((key, params))
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
    parts: list[_Part] = []

    dpd = features["current_dpd"].to_numpy(dtype="float64")
    _emit(parts, ids, "new_past_due", _levels(dpd, e.new_past_due.amber, e.new_past_due.red), dpd,
          e.new_past_due.amber, e.new_past_due.red, repayment["oldest_unpaid_due"].reindex(idx).to_numpy(),
          lambda d: _coded("engine.warning.new_past_due", d))  # fmt: skip

    util = exposure["utilisation"].reindex(idx).to_numpy(dtype="float64")
    active = exposure["active_facilities"].reindex(idx).fillna(0).to_numpy() > 0
    ut = np.where(active, util, np.nan)
    _emit(parts, ids, "high_utilisation", _levels(ut, e.high_utilisation.amber, e.high_utilisation.red), ut,
          e.high_utilisation.amber, e.high_utilisation.red, today,
          lambda d: _coded("engine.warning.high_utilisation", d, date=False, threshold=True))  # fmt: skip

    drop = -flows["inflow_trend"].reindex(idx).to_numpy(dtype="float64")
    _emit(parts, ids, "inflow_drop", _levels(drop, e.inflow_drop.amber, e.inflow_drop.red), drop,
          e.inflow_drop.amber, e.inflow_drop.red, flows["flow_last_month"].reindex(idx).to_numpy(),
          lambda d: [("engine.warning.inflow_drop", {"value": _f(v), "month": _month(t)})
                     for v, t in zip(d["value"], d["date"], strict=True)])  # fmt: skip

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
        lambda d: _coded("engine.warning.limit_excess", d, date=False),
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
          lambda d: _coded("engine.warning.rating_downgrade", d))  # fmt: skip

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
          [("engine.warning.adverse_signal", {"severity": s, "category": c, "summary": m})
           for s, c, m in zip(fired["severity"].fillna(""), fired["category"].fillna(""), fired["summary"].fillna(""),
                              strict=True)])  # fmt: skip

    age = features["statement_age_months"].to_numpy(dtype="float64")
    none = np.isnan(age)
    so = e.statements_overdue
    lvl = np.where(none, 2, _levels(age, so.amber_months, so.red_months))
    _emit(parts, ids, "statements_overdue", lvl, age, so.amber_months, so.red_months,
          latest["period_end"].reindex(idx).to_numpy(),
          lambda d: [("engine.warning.statements_none", {}) if np.isnan(v) else
                     ("engine.warning.statements_old", {"value": _f(v), "date": _iso(t)})
                     for v, t in zip(d["value"], d["date"], strict=True)])  # fmt: skip

    dscr = features["dscr"].to_numpy(dtype="float64")
    ld = e.low_dscr
    low = np.nan_to_num(dscr, nan=np.inf)
    lvl = np.select([low < ld.red, low < ld.amber], [2, 1], 0)
    _emit(parts, ids, "low_dscr", lvl, dscr, ld.amber, ld.red, latest["period_end"].reindex(idx).to_numpy(),
          lambda d: _coded("engine.warning.low_dscr", d, threshold=True))  # fmt: skip

    if review is not None:
        rv = review.reindex(idx)
        late = rv["review_days_overdue"].to_numpy(dtype="float64")
        ro = e.review_overdue
        lvl = np.select([late >= max(ro.red_days, 1), late >= max(ro.amber_days, 1)], [2, 1], 0)
        _emit(parts, ids, "review_overdue", lvl, late, ro.amber_days, ro.red_days, rv["next_review"].to_numpy(),
              lambda d: _coded("engine.warning.review_overdue", d))  # fmt: skip

    ex = exposure.reindex(idx)
    expiring = ex["covers_expiring"].to_numpy(dtype="float64")
    days = (ex["next_cover_expiry"] - pd.Timestamp(as_of)).dt.days.to_numpy(dtype="float64")
    _emit(parts, ids, "insurance_expiring", np.where(expiring > 0, 1, 0), days, e.insurance.expiring_days,
          e.insurance.expiring_days, ex["next_cover_expiry"].to_numpy(),
          lambda d: _coded("engine.warning.insurance_expiring", d))  # fmt: skip

    lapsed = ex["last_lapse"].notna().to_numpy() & (ex["effective_cover"].to_numpy() <= 0) & required_cover
    lapsed &= ex["total_limit"].to_numpy() > 0
    _emit(parts, ids, "insurance_lapsed", np.where(lapsed, 2, 0), np.zeros(len(ids)), 0.0, 0.0,
          ex["last_lapse"].to_numpy(),
          lambda d: [("engine.warning.insurance_lapsed", {"date": _iso(t)}) for t in d["date"]])  # fmt: skip

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
          lambda d: [("engine.warning.insurance_missing_short", {"value": _f(v), "threshold": _f(t)}) if v > 0
                     else ("engine.warning.insurance_missing_none", {})
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
              lambda d, dim=dim: _coded("engine.warning.concentration", d, date=False, threshold=True,
                                        dimension=dim))  # fmt: skip

    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in [*COLUMNS, TEXT]})
    # worst first per client: by client, red before amber, then the indicators' order (a stable sort of the
    # parts, which are already in INDICATORS order)
    rank = np.concatenate([np.where(p.red, 0, 1) for p in parts])
    ind = np.concatenate([np.full(len(p.client_id), p.indicator) for p in parts])
    cid = np.concatenate([p.client_id for p in parts])
    return _frame(parts, np.lexsort((ind, rank, cid)))


def merged(warnings: pd.DataFrame, extra: pd.DataFrame | None) -> pd.DataFrame:
    """The engine's warnings with other sources' rows (e.g. bank-statement findings) merged in, still worst
    first per client: a stable sort, so within one level the engine's indicators come first, in their order."""
    if extra is None or not len(extra):
        return warnings
    out = pd.concat([warnings, extra.assign(**{TEXT: None})], ignore_index=True)
    rank = np.where(out["level"].to_numpy() == "red", 0, 1)
    order = np.lexsort((rank, out["client_id"].to_numpy()))
    return out.take(order).reset_index(drop=True)


def overall_level(idx: pd.Index, warnings: pd.DataFrame) -> pd.Series:
    level = warnings["level"]
    rank = np.where(
        (level == "red").to_numpy(dtype=bool),
        2.0,
        np.where((level == "amber").to_numpy(dtype=bool), 1.0, np.nan),
    )
    seg = Segments.of(warnings["client_id"].to_numpy())
    worst = np.nan_to_num(seg.at(idx.to_numpy(), seg.max(rank)), nan=0.0).astype(int)
    names = np.array(["green", "amber", "red"], dtype=object)
    return pd.Series(names[worst], index=idx, name="level", dtype="str")
