"""Exposure per facility and per client, in the reporting currency: limit, outstanding, EAD, LGD, insurance.

- Closed facilities carry no exposure. Frozen facilities keep their limit and outstanding but cannot
  be drawn further, so their undrawn part has no credit conversion (CCF 0).
- EAD = outstanding + CCF(product) × undrawn.  LGD(product, secured) from the policy.
- Active credit insurance (status active, start ≤ as-of ≤ expiry) covers insured_limit × coverage %;
  the client's cover is spread over its facilities pro rata to EAD, and the covered part of EAD takes
  the policy's insured LGD.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crm_adapter.snapshot import BookSnapshot
from tools.engine.frames import days_to, fx_factor, lookup, safe_div
from tools.engine.segments import Segments
from tools.policy.schema import Policy


def active_covers(snapshot: BookSnapshot, policy: Policy) -> pd.DataFrame:
    """Every cover with `effective_cover` (reporting currency), `active` and `days_to_expiry`."""
    cv = snapshot.covers.copy()
    as_of = pd.Timestamp(snapshot.as_of)
    rate = fx_factor(snapshot, cv["currency"])
    cv["effective_cover"] = (
        cv["insured_limit"].to_numpy(dtype="float64")
        * cv["coverage_pct"].to_numpy(dtype="float64")
        / 100.0
        * rate
    )
    cv["insured_limit_rc"] = cv["insured_limit"].to_numpy(dtype="float64") * rate
    cv["active"] = (cv["status"] == "active") & (cv["start_date"] <= as_of) & (cv["expiry_date"] >= as_of)
    cv["days_to_expiry"] = days_to(cv["expiry_date"], snapshot.as_of)
    return cv


def facility_exposure(snapshot: BookSnapshot, policy: Policy, covers: pd.DataFrame) -> pd.DataFrame:
    """Facilities with reporting-currency amounts, EAD, LGD and insured EAD."""
    fa = snapshot.facilities.copy()
    rate = fx_factor(snapshot, fa["currency"])
    open_ = (fa["status"] != "closed").to_numpy()
    fa["fx_rate"] = rate
    fa["limit_rc"] = np.where(open_, fa["limit_amount"].to_numpy(dtype="float64") * rate, 0.0)
    fa["outstanding_rc"] = np.where(open_, fa["outstanding"].to_numpy(dtype="float64") * rate, 0.0)
    ccf = lookup(fa["product"], {p.value: v for p, v in policy.lgd.ccf.items()})
    ccf = np.where(np.isnan(ccf), 1.0, ccf)
    ccf = np.where(fa["status"].to_numpy() == "active", ccf, 0.0)
    undrawn = np.maximum(fa["limit_rc"] - fa["outstanding_rc"], 0.0)
    fa["ead"] = fa["outstanding_rc"] + ccf * undrawn
    secured = {p.value: v.secured for p, v in policy.lgd.by_product.items()}
    unsecured = {p.value: v.unsecured for p, v in policy.lgd.by_product.items()}
    lgd = np.where(
        fa["secured"].astype(bool).to_numpy(),
        lookup(fa["product"], secured),
        lookup(fa["product"], unsecured),
    )
    fa["lgd"] = np.where(np.isnan(lgd), max(unsecured.values()), lgd)
    # insurance: client cover, spread pro rata to EAD
    active = covers[covers["active"]]
    by_cover = Segments.of(active["client_id"].to_numpy())
    cover = by_cover.sum(active["effective_cover"].to_numpy(dtype="float64"))
    fa_ids = fa["client_id"].to_numpy()
    by_client = Segments.of(fa_ids)
    client_ead = by_client.per_row(by_client.sum(fa["ead"].to_numpy(dtype="float64")))
    client_cover = by_cover.at(fa_ids, cover, 0.0)
    insured_total = np.minimum(client_cover, client_ead)
    share = safe_div(fa["ead"], client_ead)
    fa["insured_ead"] = np.nan_to_num(share) * insured_total
    fa["utilisation"] = safe_div(fa["outstanding_rc"], fa["limit_rc"])
    return fa


def client_exposure(
    snapshot: BookSnapshot, policy: Policy, facilities: pd.DataFrame, covers: pd.DataFrame
) -> pd.DataFrame:
    """One row per client of the snapshot (clients without facilities get zeros)."""
    fa = facilities
    ids = snapshot.clients["client_id"].to_numpy()
    seg = Segments.of(fa["client_id"].to_numpy())  # per-client sums over the facilities sorted by client once
    limit = fa["limit_rc"].to_numpy(dtype="float64")
    outstanding = fa["outstanding_rc"].to_numpy(dtype="float64")
    ead, insured_ead = fa["ead"].to_numpy(dtype="float64"), fa["insured_ead"].to_numpy(dtype="float64")
    lgd = fa["lgd"].to_numpy(dtype="float64")
    product, status = fa["product"].to_numpy(dtype=object), fa["status"].to_numpy(dtype=object)
    sums = {
        "total_limit": limit,
        "outstanding": outstanding,
        "ead": ead,
        "insured_ead": insured_ead,
        "term_outstanding": np.where(product == "term_loan", outstanding, 0.0),
        "frozen_facilities": status == "frozen",
        "active_facilities": status == "active",
        "_lgd_ead": lgd * (ead - insured_ead),
        "_lgd_lim": lgd * limit,
    }
    # columns collected as arrays, then one frame
    out: dict[str, np.ndarray] = {k: seg.at(ids, seg.sum(v), 0.0) for k, v in sums.items()}
    out["max_excess"] = seg.at(ids, seg.max(safe_div(outstanding - limit, limit)))
    out["utilisation"] = safe_div(out["outstanding"], out["total_limit"])
    fallback = policy.lgd.by_product[next(iter(policy.lgd.by_product))].unsecured
    c_ead, c_insured = out["ead"], out["insured_ead"]
    uninsured_lgd = safe_div(out.pop("_lgd_ead"), c_ead - c_insured)
    limit_lgd = safe_div(out.pop("_lgd_lim"), out["total_limit"])
    base_lgd = np.where(
        np.isnan(uninsured_lgd), np.where(np.isnan(limit_lgd), fallback, limit_lgd), uninsured_lgd
    )
    with np.errstate(invalid="ignore"):
        out["lgd"] = np.where(
            c_ead > 0,
            (c_insured * policy.lgd.insured_lgd + (c_ead - c_insured) * base_lgd)
            / np.where(c_ead > 0, c_ead, 1.0),
            base_lgd,
        )
    # insurance (S9): cover against exposure = the greater of limit and outstanding
    cv_ids = covers["client_id"].to_numpy()
    on = covers["active"].to_numpy(dtype=bool)
    by_cover = Segments.of(cv_ids)
    out["effective_cover"] = by_cover.at(
        ids, by_cover.sum(np.where(on, covers["effective_cover"].to_numpy(dtype="float64"), 0.0)), 0.0
    )
    out["insurance_exposure"] = np.maximum(out["total_limit"], out["outstanding"])
    out["insured"] = np.minimum(out["effective_cover"], out["insurance_exposure"])
    out["uninsured"] = out["insurance_exposure"] - out["insured"]
    expiry = covers["expiry_date"].to_numpy()
    expiring = on & (covers["days_to_expiry"].to_numpy(dtype="float64") <= policy.insurance.expiring_days)
    out["covers_expiring"] = by_cover.at(ids, by_cover.sum(expiring), 0.0).astype(int)
    nat = np.datetime64("NaT")
    out["next_cover_expiry"] = by_cover.at(
        ids, by_cover.min_time(np.where(expiring, expiry, nat).astype(expiry.dtype))
    )
    lapsed = ~on & (
        (covers["expiry_date"] < pd.Timestamp(snapshot.as_of))
        | covers["status"].isin(["expired", "cancelled"])
    ).to_numpy(dtype=bool)
    out["last_lapse"] = by_cover.at(
        ids, by_cover.max_time(np.where(lapsed, expiry, nat).astype(expiry.dtype))
    )
    return pd.DataFrame(out, index=pd.Index(ids, name="client_id"))
