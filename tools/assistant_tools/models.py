"""Result models of the assistant tools that the engine's results do not already cover.

All JSON-serialisable (`model_dump(mode="json")`); money is Decimal in the reporting currency.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tools.engine.results import (
    AdjustmentProposal,
    ContactDue,
    ContactSchedule,
    EarlyWarning,
    Exposure,
    LimitRecommendation,
    ReviewDue,
    ReviewSchedule,
    WatchItem,
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ClientSummary(_Model):
    client_id: int
    name: str
    officer_id: str
    industry: str
    region: str
    score: float | None = Field(None, description="How well a search matched (0–100)")


class ClientList(_Model):
    query: str | None = None
    clients: list[ClientSummary]


class ClientProfile(_Model):
    """A client at a glance: who, how big, how risky, what is due."""

    client: ClientSummary
    currency: str
    total_limit: Decimal
    outstanding: Decimal
    utilisation: float | None
    grade: int
    grade_name: str
    pd: float
    ews_level: str
    warnings: int
    proposal: str
    review: ReviewSchedule
    contact: ContactSchedule
    insured: Decimal
    policy_version: str


class LimitAdvice(_Model):
    client_id: int
    currency: str
    recommendation: LimitRecommendation
    proposal: AdjustmentProposal


class ClientWarnings(_Model):
    client_id: int
    name: str
    level: str
    warnings: list[EarlyWarning]


class Watchlist(_Model):
    items: list[WatchItem] = Field(description="Red first, largest first; capped at the call's limit")
    total: int | None = Field(
        None, description="Clients with amber or red warnings in scope (items may show fewer)"
    )


class ReviewsDue(_Model):
    horizon_days: int
    items: list[ReviewDue]


class ReviewStatus(_Model):
    client_id: int
    name: str
    review: ReviewSchedule


class ContactsDue(_Model):
    horizon_days: int
    items: list[ContactDue]


class PolicyPassage(_Model):
    document: str
    section: str | None = None
    page: int | None = None
    text: str
    score: float | None = None
    chunk_id: str | None = None


class PolicySearch(_Model):
    query: str
    passages: list[PolicyPassage]


class ExposureView(_Model):
    client_id: int
    name: str
    exposure: Exposure


class MemoDraft(_Model):
    client_id: int
    memo_id: str
    version: int | None = None
    title: str | None = None


class PreparedApproval(_Model):
    """A request as it would be raised (nothing written) and the arguments that raise it."""

    client_id: int
    kind: str
    new_limit: Decimal | None
    arguments: dict[str, Any] = Field(description="Pass to approvals.raise_request once the user confirms")
    details: dict[str, Any] = Field(description="The approvals service's PreparedRequest, as JSON")


class ApprovalList(_Model):
    awaiting_my_decision: list[dict[str, Any]]
    raised_by_me: list[dict[str, Any]]


class ApprovalStatus(_Model):
    request: dict[str, Any]


class Period(_Model):
    """A reporting window named the way officers say it ("last quarter", "2025")."""

    label: str
    start: dt.date
    end: dt.date


class Instalment(_Model):
    facility_id: str
    due_date: dt.date
    amount_due: Decimal
    paid_date: dt.date | None
    amount_paid: Decimal
    days_past_due: int
    status: str = Field(description="on_time, late, partial, missed (unpaid and past due) or not_due")
    cured: bool = Field(False, description="Was late or short, since paid in full")


class RepaymentHistory(_Model):
    """A client's instalments over the window and what they add up to (days past due, missed, cures)."""

    client_id: int
    name: str
    months: int
    current_dpd: int
    max_dpd: int
    instalments: int
    on_time: int
    late: int
    partial: int
    missed: int
    cures: int
    items: list[Instalment] = Field(description="Late, partial and missed ones first, newest first; capped")
    total_items: int = Field(description="Instalments in the window (items may show fewer)")


class GradePoint(_Model):
    as_of: dt.date
    grade: int
    score: float
    pd: float
    ews_level: str | None = None
    source: str = Field(description='"review_run" or "current"')


class RatingHistory(_Model):
    """Grades at past review runs and now, with the reasons of the current grade."""

    client_id: int
    name: str
    points: list[GradePoint] = Field(description="Oldest first; the last one is the current rating")
    change: int = Field(description="Current grade minus the previous one (positive = downgrade)")
    reasons: list[str] = Field(description="Reason codes of the current grade")
    factors_worse: list[str] = Field(default_factory=list, description="Scorecard factors losing most points")


class UtilisationPoint(_Model):
    as_of: dt.date
    utilisation: float | None
    outstanding: Decimal | None = None
    total_limit: Decimal | None = None
    source: str = Field(description='"review_run", "current" or "bank_flows" (average balance)')


class UtilisationTrend(_Model):
    client_id: int
    name: str
    months: int
    points: list[UtilisationPoint] = Field(description="Oldest first; the last one is today's")
    change: float | None = Field(None, description="Last minus first utilisation (0.05 = 5 points)")
    inflow_trend: float | None = Field(None, description="Bank inflows, last 3 months vs. the 9 before")


class UtilisationItem(_Model):
    client_id: int
    name: str
    officer_id: str
    utilisation: float
    total_limit: Decimal
    outstanding: Decimal


class UtilisationList(_Model):
    threshold: float
    only_mine: bool
    items: list[UtilisationItem] = Field(description="Highest first; capped at `limit`")
    total: int = Field(description="Clients above the threshold (items may show fewer)")
    clients_in_scope: int


class ExpiringCover(_Model):
    client_id: int
    name: str
    officer_id: str
    cover_id: str
    insurer: str
    status: str
    expiry_date: dt.date
    days_to_expiry: int


class ExpiringCovers(_Model):
    horizon_days: int
    only_mine: bool
    items: list[ExpiringCover] = Field(description="Soonest first (lapsed first); capped at `limit`")
    total: int
