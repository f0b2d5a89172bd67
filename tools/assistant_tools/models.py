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
    items: list[WatchItem]


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
