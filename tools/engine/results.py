"""The credit engine's typed results: what the assistant, API, memos, Slack and CLI receive.

Every model is JSON-serialisable (`model_dump(mode="json")`). Money is Decimal in the reporting
currency (quantised to cents), ratios are floats, and a value that cannot be computed (missing data,
division by zero) is None — shown as "n/a" — never a fake zero. Every result records the policy
version (and the model id) it was computed under.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["green", "amber", "red"]
Action = Literal["increase", "maintain", "decrease", "freeze"]
LEVEL_RANK: dict[str, int] = {"green": 0, "amber": 1, "red": 2}


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class Msg(_Result):
    """A coded message: a catalogue key and its parameters (JSON values: dates as ISO strings, engine codes
    as codes). `kernel.catalogue.render(msg, lang)` writes it in the reader's language; the English `text`
    / `message` / `notes` fields beside it are the same message rendered in English (kept for API clients)."""

    key: str
    params: dict[str, Any] = Field(default_factory=dict)


# --- who -------------------------------------------------------------------------------------


class ClientRef(_Result):
    client_id: int
    external_id: str | None = None
    name: str
    industry: str
    region: str
    country: str
    size_segment: str
    status: str
    group_id: str | None = None
    group_name: str | None = None
    officer_id: str
    officer_name: str | None = None
    onboarded: dt.date | None = None


# --- exposure --------------------------------------------------------------------------------


class FacilityLine(_Result):
    facility_id: str
    product: str
    status: str
    secured: bool
    currency: str = Field(description="Currency of the facility; amounts below are in the reporting currency")
    limit: Decimal
    outstanding: Decimal
    utilisation: float | None = Field(description="outstanding / limit; None when the limit is 0")
    ead: Decimal
    lgd: float
    insured: Decimal = Field(description="Part of the exposure covered by active credit insurance")
    maturity: dt.date | None = None


class Exposure(_Result):
    currency: str
    total_limit: Decimal
    outstanding: Decimal
    utilisation: float | None
    ead: Decimal
    insured: Decimal
    uninsured: Decimal
    frozen_facilities: int = 0
    facilities: list[FacilityLine] = Field(default_factory=list)

    @property
    def available(self) -> Decimal:
        """What the client can still draw: each active facility's limit less its outstanding, never below zero
        (a frozen or closed facility offers nothing; one drawn over its limit does not use up another's room)."""
        return sum(
            (max(f.limit - f.outstanding, Decimal(0)) for f in self.facilities if f.status == "active"),
            Decimal(0),
        )


# --- analysis --------------------------------------------------------------------------------


class RatioRow(_Result):
    """One statement period and its ratios (None = n/a: missing input or division by zero)."""

    period_end: dt.date
    period_type: str
    audited: bool
    currency: str
    revenue: Decimal | None = None
    ebitda: Decimal | None = None
    net_income: Decimal | None = None
    total_debt: Decimal | None = None
    equity: Decimal | None = None
    debt_to_ebitda: float | None = None
    liabilities_to_assets: float | None = None
    debt_to_equity: float | None = None
    current_ratio: float | None = None
    quick_ratio: float | None = None
    interest_coverage: float | None = None
    dscr: float | None = None
    ebitda_margin: float | None = None
    net_margin: float | None = None
    roa: float | None = None
    ocf_to_debt: float | None = None
    dso: float | None = None
    dio: float | None = None
    dpo: float | None = None
    ccc: float | None = None
    revenue_growth: float | None = None
    ebitda_growth: float | None = None


class Trend(_Result):
    metric: str
    direction: Literal["improving", "deteriorating", "stable", "n/a"]
    first: float | None = None
    last: float | None = None
    text: str
    msg: Msg | None = None


class FinancialAnalysis(_Result):
    periods: list[RatioRow] = Field(default_factory=list, description="Newest first")
    trends: list[Trend] = Field(default_factory=list)
    latest_period_end: dt.date | None = None
    statement_age_months: int | None = None
    stale: bool = False
    notes: list[str] = Field(default_factory=list)
    note_msgs: list[Msg] = Field(default_factory=list, description="The notes, coded")


class FlowAnalysis(_Result):
    months: int = 0
    first_month: dt.date | None = None
    last_month: dt.date | None = None
    avg_monthly_inflow: Decimal | None = None
    avg_monthly_outflow: Decimal | None = None
    net_flow: Decimal | None = Field(None, description="Inflows minus outflows over the months available")
    inflow_trend: float | None = Field(
        None, description="Last 3 months' average inflow vs. the 9 before, -1…"
    )
    inflow_volatility: float | None = Field(None, description="Coefficient of variation of monthly inflows")
    bounced_payments_12m: int | None = None
    notes: list[str] = Field(default_factory=list)
    note_msgs: list[Msg] = Field(default_factory=list, description="The notes, coded")


class RepaymentAnalysis(_Result):
    instalments_12m: int = 0
    current_dpd: int | None = None
    max_dpd_12m: int | None = None
    late_30_count_12m: int | None = None
    late_60_count_12m: int | None = None
    late_90_count_12m: int | None = None
    on_time_ratio: float | None = None
    cures_12m: int | None = Field(None, description="Late instalments since paid in full")
    notes: list[str] = Field(default_factory=list)
    note_msgs: list[Msg] = Field(default_factory=list, description="The notes, coded")


class SignalRef(_Result):
    signal_id: str
    signal_date: dt.date
    category: str
    severity: str
    source: str
    summary: str
    weight: float = Field(description="Severity weight × time decay at the as-of date")


class ReputationAnalysis(_Result):
    score: float = Field(description="Severity-weighted, time-decayed adverse-signal score (0 = clean)")
    signals: int = 0
    adverse_signals: int = 0
    recent: list[SignalRef] = Field(default_factory=list, description="Heaviest signals first")
    notes: list[str] = Field(default_factory=list)
    note_msgs: list[Msg] = Field(default_factory=list, description="The notes, coded")


# --- rating ------------------------------------------------------------------------------------


class ScoreFactor(_Result):
    name: str
    label: str
    value: float | None = Field(description="None = n/a (see na_reason)")
    points: float
    max_points: float
    text: str
    msg: Msg | None = None
    na_reason: str | None = Field(None, description="Code why the value is n/a, e.g. ebitda_not_positive")


class ReasonCode(_Result):
    code: str
    text: str
    points_lost: float
    msg: Msg | None = Field(None, description="The text, coded (key + params)")


class Rating(_Result):
    model_id: str = Field(description='"expert" (policy scorecard) or the id of a promoted model')
    score: float
    grade: int = Field(ge=1, le=10)
    grade_name: str
    pd: float
    lgd: float
    ead: Decimal
    el: Decimal = Field(description="Expected loss = PD × LGD × EAD")
    factors: list[ScoreFactor] = Field(default_factory=list)
    reason_codes: list[ReasonCode] = Field(default_factory=list)
    previous_grade: int | None = None
    previous_run: dt.date | None = None
    behaviour_only: bool = Field(
        False, description="No financial statements: rests on account behaviour only"
    )
    grade_capped_at: int | None = Field(
        None, description="The policy's best grade without statements, if applied"
    )
    notes: list[str] = Field(default_factory=list)
    note_msgs: list[Msg] = Field(default_factory=list, description="The notes, coded")


# --- limits and adjustment ---------------------------------------------------------------------


class LimitConstraint(_Result):
    name: str
    label: str
    value: Decimal | None = Field(description="None = n/a (the basis is missing); not a constraint then")
    binds: bool = False
    explanation: str
    explanation_msg: Msg | None = None
    finding: str | None = Field(None, description="Code of a portfolio finding behind it (sector_over_cap)")
    binding_dimension: Literal["book", "capital"] | None = Field(
        None, description="Name-level limits: which of the two limits (share of book, share of capital) binds"
    )


class LimitRecommendation(_Result):
    current_limit: Decimal
    recommended: Decimal | None = Field(description="None when no basis at all is available")
    binding: str | None
    constraints: list[LimitConstraint]
    explanation: str
    explanation_msg: Msg | None = None


class AdjustmentProposal(_Result):
    """A proposal is data, not an action: applying it goes through approvals."""

    action: Action
    current_limit: Decimal
    target_limit: Decimal | None
    reasons: list[str]
    reason_msgs: list[Msg] = Field(default_factory=list, description="The reasons, coded")
    reduction_needed: Decimal | None = Field(
        None, description="Drawn balance above the recommendation: what a reduction plan must repay"
    )
    findings: list[str] = Field(
        default_factory=list, description="Codes, e.g. reduction_plan, segment_over_cap"
    )


# --- monitoring ------------------------------------------------------------------------------


class EarlyWarning(_Result):
    indicator: str
    level: Level
    value: float | None = None
    threshold: float | None = None
    date: dt.date | None = None
    message: str
    msg: Msg | None = Field(None, description="The message, coded: key engine.warning.<…> and its params")


class CoverLine(_Result):
    cover_id: str
    insurer: str
    status: str
    insured_limit: Decimal
    coverage: float = Field(description="Share of a loss the insurer pays, a fraction (0.9 = 90 %)")
    effective_cover: Decimal = Field(description="insured_limit × coverage, in the reporting currency")
    start_date: dt.date
    expiry_date: dt.date
    days_to_expiry: int | None = Field(description="Days left; None once the cover has expired (see status)")
    expired_days_ago: int | None = Field(None, description="Days since the cover expired; None while running")


class InsuranceStatus(_Result):
    client_id: int
    as_of: dt.date
    exposure: Decimal
    insured: Decimal
    uninsured: Decimal
    cover_ratio: float | None
    required: bool
    required_ratio: float | None
    gap: Decimal = Field(description="Extra cover needed to reach the required ratio (0 when met)")
    covers: list[CoverLine] = Field(default_factory=list)
    expiring: list[str] = Field(default_factory=list, description="Cover ids expiring within the window")
    notes: list[str] = Field(default_factory=list)
    note_msgs: list[Msg] = Field(default_factory=list, description="The notes, coded")


class ConcentrationLine(_Result):
    dimension: Literal["industry", "region", "size_segment", "group", "single_name"]
    bucket: str
    exposure: Decimal
    share: float = Field(description="Of the book's total limits")
    limit_share: float
    share_of_capital: float | None = None
    limit_share_of_capital: float | None = None
    level: Level
    headroom: Decimal | None = Field(None, description="Extra limit this bucket can take before the limit")


class ReviewSchedule(_Result):
    frequency_months: int
    last_review: dt.date | None
    last_review_source: Literal["recorded", "cycle"]
    next_due: dt.date
    overdue: bool
    days_overdue: int
    note: str
    note_msg: Msg | None = None


class ContactSchedule(_Result):
    frequency_days: int
    last_contact: dt.date | None
    last_kind: str | None = None
    planned: dt.date | None = Field(None, description="Next contact the officer planned in the log")
    next_due: dt.date
    overdue: bool
    days_overdue: int
    note: str
    note_msg: Msg | None = None


# --- the client, in full -------------------------------------------------------------------------


class ClientAssessment(_Result):
    client: ClientRef
    as_of: dt.date
    policy_version: str
    policy_hash: str = Field("", description="sha256 of the policy content the result was computed under")
    model_id: str
    exposure: Exposure
    financials: FinancialAnalysis
    flows: FlowAnalysis
    repayment: RepaymentAnalysis
    reputation: ReputationAnalysis
    rating: Rating
    limit: LimitRecommendation
    proposal: AdjustmentProposal
    warnings: list[EarlyWarning]
    ews_level: Level
    insurance: InsuranceStatus
    concentration: list[ConcentrationLine]
    review: ReviewSchedule
    contact: ContactSchedule
    data_quality: list[str]
    data_quality_msgs: list[Msg] = Field(default_factory=list, description="The data-quality notes, coded")


# --- portfolio views ------------------------------------------------------------------------------


class WatchItem(_Result):
    client_id: int
    name: str
    officer_id: str
    grade: int
    ews_level: Level
    exposure: Decimal
    warnings: list[EarlyWarning]


class ReviewDue(_Result):
    client_id: int
    name: str
    officer_id: str
    grade: int
    exposure: Decimal
    next_due: dt.date
    overdue: bool
    days_overdue: int
    priority: float = Field(description="PD × exposure × (1 + open warnings): higher first")
    ews_level: Level


class ContactDue(_Result):
    client_id: int
    name: str
    officer_id: str
    grade: int
    last_contact: dt.date | None
    next_due: dt.date
    overdue: bool
    days_overdue: int
    ews_level: Level


class ConcentrationReport(_Result):
    as_of: dt.date
    policy_version: str
    policy_hash: str = ""
    total_limits: Decimal
    capital_base: Decimal
    hhi: dict[str, float] = Field(description="Herfindahl index per dimension (0–1) on shares of limits")
    lines: list[ConcentrationLine]
    breaches: list[ConcentrationLine]


class WhatIfResult(_Result):
    client_id: int
    facility_id: str | None
    as_of: dt.date
    policy_version: str
    policy_hash: str = ""
    current_limit: Decimal
    new_limit: Decimal
    recommended: Decimal | None
    binding: str | None
    within_recommendation: bool
    group_exposure_after: Decimal = Field(
        description="Total limits of the client's group (or the client) after"
    )
    lines: list[tuple[ConcentrationLine, ConcentrationLine]] = Field(
        description="(before, after) per dimension the client belongs to"
    )
    breaches_after: list[ConcentrationLine]
    messages: list[str]  # English (API clients, the stored request)
    message_msgs: list[Msg] = Field(
        default_factory=list, description="The messages, coded (catalogue key + params)"
    )


class PortfolioSummary(_Result):
    as_of: dt.date
    policy_version: str
    policy_hash: str = ""
    model_id: str
    clients: int
    total_limit: Decimal
    outstanding: Decimal
    expected_loss: Decimal
    grade_distribution: dict[int, int]
    ews_counts: dict[str, int]
    proposals: dict[str, int]
    reviews_overdue: int
    reviews_due: int
    concentration_breaches: list[ConcentrationLine]
