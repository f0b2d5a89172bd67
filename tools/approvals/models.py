"""Approval tables (requests, their chain of steps, decisions) and the typed views the service returns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tools.approvals.chain import PolicyException, Route
from tools.engine.results import Msg

Kind = Literal["increase", "decrease", "freeze", "unfreeze", "renewal"]
KINDS: tuple[str, ...] = ("increase", "decrease", "freeze", "unfreeze", "renewal")
KEEPS_THE_LIMIT = ("freeze", "unfreeze")  # kinds that change the status, never the amount
DecisionKind = Literal["approve", "reject", "return"]
DECISIONS: tuple[str, ...] = ("approve", "reject", "return")
Status = Literal["pending", "approved", "rejected", "returned"]
StepStatus = Literal["waiting", "open", "approved", "rejected", "returned"]
REQUEST_PREFIX = "AR-"


def _money(nullable: bool = False) -> Decimal:
    if nullable:
        return Field(default=None, max_digits=20, decimal_places=2, nullable=True)  # type: ignore[return-value]
    return Field(max_digits=20, decimal_places=2)  # type: ignore[return-value]


def _text(nullable: bool = False) -> str:
    return Field(sa_column=Column(Text, nullable=nullable))  # type: ignore[return-value]


class ApprovalRequestRow(SQLModel, table=True):
    __tablename__ = "approval_requests"
    __table_args__ = (
        UniqueConstraint("raised_by", "idempotency_key", name="uq_approval_requests_idempotency"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(index=True)
    client_name: str = Field(max_length=200)
    group_id: str | None = Field(default=None, max_length=64)
    officer_team: str = Field(max_length=100, description="Team of the client's officer (team-lead steps)")
    facility_id: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    currency: str = Field(max_length=3, description="Currency of the facility (current and new limit)")
    current_limit: Decimal = _money()
    new_limit: Decimal | None = _money(nullable=True)
    reporting_currency: str = Field(max_length=3)
    group_exposure_after: Decimal = _money()
    grade: int
    recommended: Decimal | None = _money(nullable=True)
    exceptions_json: str = _text()
    routing_json: str = _text()
    reason: str = _text()
    memo_id: int | None = None
    raised_by: str = Field(max_length=64, index=True)
    raised_by_name: str = Field(max_length=200)
    raised_at: dt.datetime
    channel: str = Field(max_length=32)
    idempotency_key: str = Field(max_length=128)
    body_hash: str = Field(max_length=64)
    required_level: int
    status: str = Field(max_length=16, index=True)
    current_step: int
    version: int = 0
    snapshot_json: str = _text()
    snapshot_hash: str = Field(max_length=64)
    policy_version: str = Field(max_length=64)
    closed_at: dt.datetime | None = None
    applied_at: dt.datetime | None = None


class ApprovalStepRow(SQLModel, table=True):
    __tablename__ = "approval_steps"

    request_id: int = Field(foreign_key="approval_requests.id", primary_key=True)
    step_no: int = Field(primary_key=True)
    level: int
    name: str = Field(max_length=100)
    quorum: int
    same_team: bool
    sla_hours: int
    status: str = Field(max_length=16)
    opened_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None


class ApprovalDecisionRow(SQLModel, table=True):
    """One officer's decision. (request_id, officer_id) is unique: a person counts once in a chain."""

    __tablename__ = "approval_decisions"
    __table_args__ = (UniqueConstraint("request_id", "officer_id", name="uq_approval_decisions_officer"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="approval_requests.id", index=True)
    step_no: int
    officer_id: str = Field(max_length=64)
    officer_level: int
    decision: str = Field(max_length=16)
    comment: str = _text()
    decided_at: dt.datetime
    stale: bool = False


# --- views --------------------------------------------------------------------------------------


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class StepView(_View):
    step_no: int
    level: int
    name: str
    quorum: int
    same_team: bool
    sla_hours: int
    status: StepStatus
    approvals: int = 0
    opened_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None


class DecisionView(_View):
    step_no: int
    officer_id: str
    officer_level: int
    decision: DecisionKind
    comment: str
    decided_at: dt.datetime
    stale: bool


class ApprovalRequestView(_View):
    """A request as every front door shows it (JSON-serialisable)."""

    request_id: str
    client_id: int
    client_name: str
    group_id: str | None
    officer_team: str
    facility_id: str
    kind: Kind
    currency: str
    current_limit: Decimal
    new_limit: Decimal | None
    reporting_currency: str
    group_exposure_after: Decimal
    grade: int
    recommended_limit: Decimal | None = PydanticField(
        description="The engine's recommendation (reporting currency)"
    )
    exceptions: list[PolicyException]
    routing: list[str] = PydanticField(description="Why the chain is what it is")
    routing_msgs: list[Msg] = PydanticField(
        default_factory=list, description="The routing reasons, coded (catalogue key + params)"
    )
    reason: str
    memo_id: int | None
    raised_by: str
    raised_by_name: str
    raised_at: dt.datetime
    required_level: int
    status: Status
    current_step: int
    steps: list[StepView]
    decisions: list[DecisionView]
    snapshot_hash: str
    policy_version: str
    closed_at: dt.datetime | None
    applied_at: dt.datetime | None
    stale_reasons: list[str] = PydanticField(
        default_factory=list, description="Material changes since raised"
    )
    stale_msgs: list[Msg] = PydanticField(
        default_factory=list, description="The material changes, coded (catalogue key + params)"
    )

    @property
    def stale(self) -> bool:
        return bool(self.stale_reasons)

    @property
    def open_step(self) -> StepView | None:
        return next((s for s in self.steps if s.status == "open"), None)


class PreparedRequest(_View):
    """What a request would look like (nothing written): shown before the user confirms."""

    client_id: int
    client_name: str
    facility_id: str
    kind: Kind
    currency: str
    current_limit: Decimal
    new_limit: Decimal | None
    reporting_currency: str
    grade: int
    recommended_limit: Decimal | None
    binding: str | None
    group_exposure_after: Decimal
    concentration: list[str]  # English
    concentration_msgs: list[Msg] = []  # the same, coded
    exceptions: list[PolicyException]
    route: Route
    reason: str


def format_request_id(pk: int) -> str:
    return f"{REQUEST_PREFIX}{pk}"
