"""The feature frame: one row per client_id with the numeric features the scorecard uses.

`client_features(snapshot, policy)` is the public entry (the scoring-model area trains on it, joined
with clients.defaulted). `analyse(snapshot, policy)` returns it together with the intermediate
frames the rest of the engine explains results from.

Missing data stays NaN (the scorecard gives its `missing_points`; the explanation says "no data"),
except where absence is itself information: no reputation signals → score 0 (clean).
Debt/EBITDA for scoring is 99 when EBITDA is not positive but debt exists, so the scorecard gives it the
worst bin; every display shows it as n/a with the reason (`NO_EBITDA_LEVERAGE` never reaches a user).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crm_adapter.snapshot import BookSnapshot
from tools.engine.exposure import active_covers, client_exposure, facility_exposure
from tools.engine.financials import latest_financials, ratio_table
from tools.engine.flows import flow_metrics
from tools.engine.frames import client_index
from tools.engine.repayment import repayment_metrics
from tools.engine.reputation import reputation_metrics, weighted_signals
from tools.policy.feature_names import FEATURE_COLUMNS  # re-exported: the engine's columns
from tools.policy.schema import Policy

NO_EBITDA_LEVERAGE = 99.0


@dataclass
class AnalysisFrames:
    """Everything computed before rating: per-row frames and the per-client feature frame."""

    ratios: pd.DataFrame  # statement rows with ratios
    latest: pd.DataFrame  # latest statement per client (index client_id)
    flows: pd.DataFrame  # per client (index client_id)
    repayment: pd.DataFrame  # per client
    signals: pd.DataFrame  # weighted signals (rows)
    reputation: pd.DataFrame  # per client
    covers: pd.DataFrame  # cover rows with effective cover
    facilities: pd.DataFrame  # facility rows with exposure
    exposure: pd.DataFrame  # per client
    features: pd.DataFrame  # per client, FEATURE_COLUMNS


def analyse(snapshot: BookSnapshot, policy: Policy) -> AnalysisFrames:
    idx = client_index(snapshot)
    ratios = ratio_table(snapshot.statements, policy)
    latest = latest_financials(ratios, snapshot.as_of, policy)
    flows = flow_metrics(snapshot, policy)
    repayment = repayment_metrics(snapshot, policy.data.paid_tolerance)
    signals = weighted_signals(snapshot, policy)
    reputation = reputation_metrics(signals)
    covers = active_covers(snapshot, policy)
    facilities = facility_exposure(snapshot, policy, covers)
    exposure = client_exposure(snapshot, policy, facilities, covers)

    ratio_cols = ("liabilities_to_assets", "debt_to_equity", "current_ratio", "quick_ratio", "interest_coverage",
                  "dscr", "ebitda_margin", "net_margin", "roa", "ocf_to_debt", "ccc", "revenue_growth",
                  "ebitda_growth", "statement_age_months")  # fmt: skip
    # only the columns used are aligned to the clients (not the statements' strings)
    lt = latest[
        ["total_debt", "annual_ebitda", "period_end", "debt_to_ebitda", "equity", *ratio_cols]
    ].reindex(idx)
    f: dict[str, np.ndarray] = {}  # columns collected, then one frame (not one insert per column)
    debt = lt["total_debt"].to_numpy(dtype="float64")
    ebitda = lt["annual_ebitda"].to_numpy(dtype="float64")
    has_stmt = lt["period_end"].notna().to_numpy()
    lev = lt["debt_to_ebitda"].to_numpy(dtype="float64")
    no_ebitda = has_stmt & ~np.isnan(ebitda) & (ebitda <= 0)
    f["debt_to_ebitda"] = np.where(no_ebitda, np.where(np.nan_to_num(debt) > 0, NO_EBITDA_LEVERAGE, 0.0), lev)
    for col in ratio_cols:
        f[col] = lt[col].to_numpy(dtype="float64")
    eq = lt["equity"].to_numpy(dtype="float64")
    f["negative_equity"] = np.where(np.isnan(eq), np.nan, (eq < 0).astype("float64"))
    rp = repayment.reindex(idx)
    for col in ("max_dpd_12m", "current_dpd", "late_30_count_12m", "late_90_count_12m", "on_time_ratio"):
        f[col] = rp[col].to_numpy(dtype="float64")
    fl = flows.reindex(idx)
    for col in ("inflow_trend", "inflow_volatility", "bounced_payments_12m"):
        f[col] = fl[col].to_numpy(dtype="float64")
    f["reputation_score"] = reputation["reputation_score"].reindex(idx).fillna(0.0).to_numpy()
    ex = exposure.reindex(idx)
    f["utilisation"] = ex["utilisation"].to_numpy(dtype="float64")
    f["log_total_limit"] = np.log1p(ex["total_limit"].to_numpy(dtype="float64"))
    exposed = ex["insurance_exposure"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        f["insured_share"] = np.where(
            exposed > 0,
            ex["insured"].to_numpy(dtype="float64") / np.where(exposed > 0, exposed, np.nan),
            np.nan,
        )
    features = pd.DataFrame({name: f[name] for name in FEATURE_COLUMNS}, index=idx)
    return AnalysisFrames(
        ratios=ratios,
        latest=latest,
        flows=flows,
        repayment=repayment,
        signals=signals,
        reputation=reputation,
        covers=covers,
        facilities=facilities,
        exposure=exposure,
        features=features,
    )


def client_features(snapshot: BookSnapshot, policy: Policy) -> pd.DataFrame:
    """One row per client_id (the index), numeric FEATURE_COLUMNS; NaN = no data."""
    return analyse(snapshot, policy).features
