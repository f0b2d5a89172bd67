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
from tools.engine.frames import days_to, fx_factor, safe_div
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
    ccf = fa["product"].map({p.value: v for p, v in policy.lgd.ccf.items()}).fillna(1.0).to_numpy()
    ccf = np.where(fa["status"].to_numpy() == "active", ccf, 0.0)
    undrawn = np.maximum(fa["limit_rc"] - fa["outstanding_rc"], 0.0)
    fa["ead"] = fa["outstanding_rc"] + ccf * undrawn
    secured = {p.value: v.secured for p, v in policy.lgd.by_product.items()}
    unsecured = {p.value: v.unsecured for p, v in policy.lgd.by_product.items()}
    fa["lgd"] = np.where(
        fa["secured"].astype(bool), fa["product"].map(secured), fa["product"].map(unsecured)
    ).astype("float64")
    fa["lgd"] = fa["lgd"].fillna(max(unsecured.values()))
    # insurance: client cover, spread pro rata to EAD
    cover = covers[covers["active"]].groupby("client_id")["effective_cover"].sum()
    client_ead = fa.groupby("client_id")["ead"].transform("sum")
    client_cover = fa["client_id"].map(cover).fillna(0.0).to_numpy()
    insured_total = np.minimum(client_cover, client_ead.to_numpy())
    share = safe_div(fa["ead"], client_ead)
    fa["insured_ead"] = np.nan_to_num(share) * insured_total
    fa["utilisation"] = safe_div(fa["outstanding_rc"], fa["limit_rc"])
    return fa


def client_exposure(
    snapshot: BookSnapshot, policy: Policy, facilities: pd.DataFrame, covers: pd.DataFrame
) -> pd.DataFrame:
    """One row per client of the snapshot (clients without facilities get zeros)."""
    fa = facilities
    fa = fa.assign(
        _term=np.where(fa["product"] == "term_loan", fa["outstanding_rc"], 0.0),
        _frozen=(fa["status"] == "frozen").astype(int),
        _active=(fa["status"] == "active").astype(int),
        _lgd_ead=fa["lgd"] * (fa["ead"] - fa["insured_ead"]),
        _lgd_lim=fa["lgd"] * fa["limit_rc"],
        _excess=safe_div(fa["outstanding_rc"] - fa["limit_rc"], fa["limit_rc"]),
    )
    g = fa.groupby("client_id")
    out = pd.DataFrame(
        {
            "total_limit": g["limit_rc"].sum(),
            "outstanding": g["outstanding_rc"].sum(),
            "ead": g["ead"].sum(),
            "insured_ead": g["insured_ead"].sum(),
            "term_outstanding": g["_term"].sum(),
            "frozen_facilities": g["_frozen"].sum(),
            "active_facilities": g["_active"].sum(),
            "_lgd_ead": g["_lgd_ead"].sum(),
            "_lgd_lim": g["_lgd_lim"].sum(),
            "max_excess": g["_excess"].max(),
        }
    )
    out = out.reindex(snapshot.clients["client_id"].to_numpy())
    out.index.name = "client_id"
    for col in ("total_limit", "outstanding", "ead", "insured_ead", "term_outstanding", "frozen_facilities",
                "active_facilities", "_lgd_ead", "_lgd_lim"):  # fmt: skip
        out[col] = out[col].fillna(0.0)
    out["utilisation"] = safe_div(out["outstanding"], out["total_limit"])
    fallback = policy.lgd.by_product[next(iter(policy.lgd.by_product))].unsecured
    uninsured_lgd = safe_div(out["_lgd_ead"], out["ead"] - out["insured_ead"])
    limit_lgd = safe_div(out["_lgd_lim"], out["total_limit"])
    base_lgd = np.where(
        np.isnan(uninsured_lgd), np.where(np.isnan(limit_lgd), fallback, limit_lgd), uninsured_lgd
    )
    out["lgd"] = np.where(
        out["ead"] > 0,
        (out["insured_ead"] * policy.lgd.insured_lgd + (out["ead"] - out["insured_ead"]) * base_lgd)
        / out["ead"].where(out["ead"] > 0, 1.0),
        base_lgd,
    )
    # insurance (S9): cover against exposure = the greater of limit and outstanding
    out["effective_cover"] = (
        covers[covers["active"]].groupby("client_id")["effective_cover"].sum().reindex(out.index).fillna(0.0)
    )
    out["insurance_exposure"] = np.maximum(out["total_limit"], out["outstanding"])
    out["insured"] = np.minimum(out["effective_cover"], out["insurance_exposure"])
    out["uninsured"] = out["insurance_exposure"] - out["insured"]
    expiring = covers["active"] & (covers["days_to_expiry"] <= policy.insurance.expiring_days)
    out["covers_expiring"] = (
        expiring.groupby(covers["client_id"]).sum().reindex(out.index).fillna(0).astype(int)
    )
    out["next_cover_expiry"] = covers[expiring].groupby("client_id")["expiry_date"].min().reindex(out.index)
    lapsed = ~covers["active"] & (
        (covers["expiry_date"] < pd.Timestamp(snapshot.as_of))
        | covers["status"].isin(["expired", "cancelled"])
    )
    out["last_lapse"] = covers[lapsed].groupby("client_id")["expiry_date"].max().reindex(out.index)
    return out.drop(columns=["_lgd_ead", "_lgd_lim"])
