"""The names of the engine's per-client features: the vocabulary the policy's scorecard factors use.

Defined here, below both the policy schema (which checks factor names against it) and the engine (which
computes the columns, `tools.engine.features`), so the policy never imports the engine.
"""

from __future__ import annotations

FEATURE_COLUMNS: tuple[str, ...] = (
    "debt_to_ebitda", "liabilities_to_assets", "debt_to_equity", "current_ratio", "quick_ratio",
    "interest_coverage", "dscr", "ebitda_margin", "net_margin", "roa", "ocf_to_debt", "ccc",
    "revenue_growth", "ebitda_growth", "statement_age_months", "negative_equity",
    "max_dpd_12m", "current_dpd", "late_30_count_12m", "late_90_count_12m", "on_time_ratio",
    "inflow_trend", "inflow_volatility", "bounced_payments_12m", "reputation_score",
    "utilisation", "log_total_limit", "insured_share",
)  # fmt: skip
