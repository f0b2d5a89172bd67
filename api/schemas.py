"""Request and response models of the API that are not a tool's own result model."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from kernel.money import MAX_AMOUNT, parse_amount
from tools.approvals.models import PreparedRequest
from tools.approvals.preview import PreviewWords
from tools.dashboard.models import Dashboard as Dashboard  # the dashboard read model (tools/dashboard)
from tools.engine.results import ClientAssessment, Level
from tools.memos.models import Language as MemoLanguage

LimitKind = Literal["increase", "decrease", "freeze", "unfreeze", "renewal"]


def _amount(value: object) -> object:
    """Amounts as officers write them ("3M", "750k", "1,200,000"), parsed by kernel.money on the server."""
    if isinstance(value, str):
        try:
            return Decimal(value.strip())  # a plain number ("-5" too): pydantic checks its range
        except InvalidOperation:
            return parse_amount(value, field="new_limit")[0]
    return value


Amount = Annotated[
    Decimal,
    BeforeValidator(_amount),
    Field(ge=0, le=MAX_AMOUNT),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "examples": ["3M", "750k"]}],
                    "description": "An amount: a number, or text such as 3M, 750k, 1,200,000"}),
]  # fmt: skip


class ClientHit(BaseModel):
    client_id: int
    external_id: str | None
    name: str
    officer_id: str
    score: float = Field(description="How well the query matched (0–100)")
    matched_on: str


class InsuranceBrief(BaseModel):
    insured: Decimal
    uninsured: Decimal
    cover_ratio: float | None
    required: bool
    gap: Decimal
    expiring: list[str]


class ProfileCard(BaseModel):
    """The client at a glance (CRM sidebar, chat cards)."""

    client_id: int
    external_id: str | None
    name: str
    officer_id: str
    currency: str
    limit: Decimal
    outstanding: Decimal
    utilisation: float | None
    grade: int
    grade_name: str
    score: float
    pd: float
    ews_level: Level
    warnings: int
    next_review: dt.date
    review_overdue: bool
    recommended_limit: Decimal | None
    proposal: str
    insurance: InsuranceBrief
    as_of: dt.date
    policy_version: str

    @classmethod
    def of(cls, a: ClientAssessment) -> ProfileCard:
        ins = a.insurance
        return cls(
            client_id=a.client.client_id, external_id=a.client.external_id, name=a.client.name,
            officer_id=a.client.officer_id, currency=a.exposure.currency, limit=a.exposure.total_limit,
            outstanding=a.exposure.outstanding, utilisation=a.exposure.utilisation, grade=a.rating.grade,
            grade_name=a.rating.grade_name, score=a.rating.score, pd=a.rating.pd, ews_level=a.ews_level,
            warnings=len(a.warnings), next_review=a.review.next_due, review_overdue=a.review.overdue,
            recommended_limit=a.limit.recommended, proposal=a.proposal.action,
            insurance=InsuranceBrief(insured=ins.insured, uninsured=ins.uninsured, cover_ratio=ins.cover_ratio,
                                     required=ins.required, gap=ins.gap, expiring=ins.expiring),
            as_of=a.as_of, policy_version=a.policy_version,
        )  # fmt: skip


class WhatIfIn(BaseModel):
    new_limit: Amount = Field(description="The proposed limit (reporting currency): a number, or 3M, 750k …")
    facility_id: str | None = Field(
        None, max_length=64, description="One facility instead of the client total"
    )


class PrepareIn(BaseModel):
    kind: LimitKind | None = Field(None, description="Inferred from the new limit when left out")
    new_limit: Amount | None = None
    facility_id: str | None = Field(None, max_length=64)
    reason: str = Field("", max_length=2000)


class RaiseIn(BaseModel):
    client_id: int = Field(ge=1, le=2**53)
    kind: LimitKind | None = Field(None, description="Inferred from the new limit when left out")
    facility_id: str | None = Field(None, max_length=64)
    new_limit: Amount | None = None
    reason: str = Field(min_length=1, max_length=2000)
    memo_id: int | None = None


class DraftMemoIn(BaseModel):
    """An optional body of a memo draft; a field it does not know is refused, not ignored."""

    model_config = ConfigDict(extra="forbid")

    language: MemoLanguage | None = Field(
        None, description="en or zh (default: the `language` query, else en)"
    )


class DecideIn(BaseModel):
    decision: Literal["approve", "reject", "return"]
    comment: str = Field("", max_length=2000)


class AskIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    conversation_id: str | None = Field(None, max_length=128, description="Continue a conversation")


class PreparedSaid(PreviewWords):
    """A limit request's preview in the reader's words (`?lang=` or Accept-Language): the kind, the binding
    constraint and the approval levels by their names, the concentration notes, policy exceptions and
    routing reasons from their codes (the same words `creditdesk approvals raise --preview` prints)."""


class PreparedOut(PreparedRequest):
    said: PreparedSaid
