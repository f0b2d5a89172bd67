"""Limit recommendation (S3): the minimum of the binding constraints, each listed with its value.

Constraints (reporting currency; NaN = basis not available, so not a constraint):
- need: working-capital gap = annual revenue × max(CCC, floor) / 365 × (1 + buffer), plus term-loan
  outstanding; without a usable CCC, bank-flow throughput = average monthly inflow × flow months
  × (1 + buffer), plus term-loan outstanding. No need basis → no recommendation.
- grade caps: EBITDA multiple, revenue share, equity multiple per grade (0 when EBITDA or equity is not
  positive); the bank-flow cap (share of annual inflows) applies when statements are missing or stale.
  Active insured cover lifts each grade cap by cover × uplift, at most max_uplift_share of the cap.
- no increase from a weak grade: the current limit.
- concentration headroom per dimension (single name, group, industry, region, size segment). A sector
  bucket (industry, region, size segment) over its cap stops increases (the constraint is the current
  limit): it never cuts a member's line; single-name and group limits bind the name itself.
The recommendation is rounded down to the policy unit; below the minimum line it is 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.engine.concentration import DIMENSIONS, SECTOR_DIMENSIONS
from tools.engine.frames import fx_factor, lookup
from tools.policy.schema import Policy

CONSTRAINTS: tuple[str, ...] = (
    "need", "cap_ebitda", "cap_revenue", "cap_equity", "cap_flows", "no_increase",
    *(f"conc_{d}" for d in DIMENSIONS),
)  # fmt: skip

LABELS = {
    "need": "Business need",
    "cap_ebitda": "Grade cap: multiple of EBITDA",
    "cap_revenue": "Grade cap: share of revenue",
    "cap_equity": "Grade cap: multiple of equity",
    "cap_flows": "Grade cap: share of bank inflows",
    "no_increase": "No increase at this grade",
    "conc_single_name": "Concentration: single name",
    "conc_group": "Concentration: group",
    "conc_industry": "Concentration: industry",
    "conc_region": "Concentration: region",
    "conc_size_segment": "Concentration: size segment",
}


def recommend(
    *,
    snapshot_fx: pd.Series,
    latest: pd.DataFrame,
    flows: pd.DataFrame,
    exposure: pd.DataFrame,
    rating: pd.DataFrame,
    headroom: pd.DataFrame,
    policy: Policy,
) -> pd.DataFrame:
    """Per client: every constraint column, `recommended`, `binding`, and the inputs used."""
    idx = rating.index
    lp = policy.limits
    # only the columns used are aligned to the clients (not the statements' strings)
    lt = latest[["annual_revenue", "annual_ebitda", "equity", "ccc", "statements_stale"]].reindex(idx)
    fl = flows[["avg_monthly_inflow", "annual_inflow"]].reindex(idx)
    ex = exposure[["term_outstanding", "total_limit", "effective_cover"]].reindex(idx)
    rate = snapshot_fx.reindex(idx).to_numpy(dtype="float64")
    out: dict[str, np.ndarray] = {}  # columns collected, then one frame (not one insert per column)
    revenue = lt["annual_revenue"].to_numpy(dtype="float64") * rate
    ebitda = lt["annual_ebitda"].to_numpy(dtype="float64") * rate
    equity = lt["equity"].to_numpy(dtype="float64") * rate
    ccc = lt["ccc"].to_numpy(dtype="float64")
    stale_or_none = lt["statements_stale"].fillna(True).astype(bool).to_numpy()
    term = ex["term_outstanding"].to_numpy(dtype="float64")
    current = ex["total_limit"].to_numpy(dtype="float64")
    buffer = 1.0 + lp.need.buffer
    ccc_used = np.maximum(ccc, lp.need.min_ccc_days)
    need_stmt = np.where(revenue > 0, revenue * ccc_used / 365.0 * buffer, np.nan) + term
    inflow = fl["avg_monthly_inflow"].to_numpy(dtype="float64")
    need_flow = inflow * lp.need.flow_months * buffer + term
    use_stmt = ~np.isnan(need_stmt)
    out["need"] = np.where(use_stmt, need_stmt, need_flow)
    out["need_basis"] = np.where(use_stmt, "statements", np.where(np.isnan(need_flow), "none", "flows"))
    out["revenue_rc"], out["ebitda_rc"], out["equity_rc"], out["ccc_used"] = revenue, ebitda, equity, ccc_used
    out["annual_inflow_rc"] = fl["annual_inflow"].to_numpy(dtype="float64")
    out["term_outstanding"] = term
    grade = rating["grade"].to_numpy()
    caps = lp.caps_by_grade
    mult_e = np.array([np.nan if c.ebitda_multiple is None else c.ebitda_multiple for c in caps])[grade - 1]
    share_r = np.array([np.nan if c.revenue_share is None else c.revenue_share for c in caps])[grade - 1]
    mult_q = np.array([np.nan if c.equity_multiple is None else c.equity_multiple for c in caps])[grade - 1]
    share_f = np.array([np.nan if c.flow_share is None else c.flow_share for c in caps])[grade - 1]
    cover = ex["effective_cover"].to_numpy(dtype="float64")
    ins = policy.insurance

    def lifted(cap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        uplift = np.minimum(cover * ins.cap_uplift, np.maximum(cap, 0.0) * ins.max_uplift_share)
        uplift = np.where(np.isnan(cap), np.nan, uplift)
        return cap + np.nan_to_num(uplift), uplift

    cap_e = np.where(np.isnan(ebitda), np.nan, mult_e * np.maximum(ebitda, 0.0))
    cap_r = np.where(np.isnan(revenue), np.nan, share_r * np.maximum(revenue, 0.0))
    cap_q = np.where(np.isnan(equity), np.nan, mult_q * np.maximum(equity, 0.0))
    annual_inflow = out["annual_inflow_rc"]
    cap_f = np.where(stale_or_none & ~np.isnan(annual_inflow), share_f * annual_inflow, np.nan)
    out["cap_ebitda"], out["uplift_ebitda"] = lifted(cap_e)
    out["cap_revenue"], out["uplift_revenue"] = lifted(cap_r)
    out["cap_equity"], out["uplift_equity"] = lifted(cap_q)
    out["cap_flows"], out["uplift_flows"] = lifted(cap_f)
    out["no_increase"] = np.where(grade >= lp.no_increase_from_grade, current, np.nan)
    for dim in DIMENSIONS:
        cap_dim = headroom[f"cap_{dim}"].reindex(idx).to_numpy(dtype="float64")
        if dim in SECTOR_DIMENSIONS:  # over the cap: no increase, but the member's current limit stands
            out[f"over_cap_{dim}"] = cap_dim < current
            cap_dim = np.maximum(cap_dim, current)
        out[f"conc_{dim}"] = cap_dim
    matrix = np.column_stack([np.asarray(out[c], dtype="float64") for c in CONSTRAINTS])
    has_need = ~np.isnan(out["need"])
    all_nan = np.isnan(matrix).all(axis=1)
    safe = np.where(np.isnan(matrix), np.inf, matrix)
    arg = safe.argmin(axis=1)
    raw = safe[np.arange(len(safe)), arg]
    raw = np.where(has_need & ~all_nan, raw, np.nan)
    unit = float(lp.rounding)
    rounded = np.floor(np.maximum(raw, 0.0) / unit) * unit
    below_min = rounded < float(lp.minimum)
    out["raw_recommended"] = raw
    out["below_minimum"] = below_min & ~np.isnan(raw)
    out["recommended"] = np.where(np.isnan(raw), np.nan, np.where(below_min, 0.0, rounded))
    names = np.array(CONSTRAINTS, dtype=object)
    out["binding"] = np.where(np.isnan(raw), None, names[arg])
    out["current_limit"] = current
    return pd.DataFrame(out, index=idx)


def statement_fx(snapshot_rates: dict[str, float], latest: pd.DataFrame) -> pd.Series:
    """Rate of each client's latest statement currency to the reporting currency."""
    return pd.Series(lookup(latest["currency"], snapshot_rates), index=latest.index, name="currency")


__all__ = ["CONSTRAINTS", "LABELS", "fx_factor", "recommend", "statement_fx"]
