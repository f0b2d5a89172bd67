"""The tool registry: one typed entry per assistant tool, shared by both brains, the API and the CLI.

An entry names a `Toolbox` method, documents it (the model sees `description` and the argument schema)
and says whether it only reads or prepares a write. The acting officer is never an argument: `call_tool`
receives it from the runtime. Every call is recorded in the audit trail as `assistant.tool_call`.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kernel.errors import (
    CreditDeskError,
    Forbidden,
    InvalidInput,
    NotFound,
    UpstreamUnavailable,
    new_error_id,
)
from tools.actor import Actor
from tools.assistant_tools.toolbox import ApprovalKind, Toolbox

log = logging.getLogger(__name__)

# read: changes nothing; draft: saves a new draft version of a review memo (a working document with an
# audit event; never a credit decision, never the CRM); prepare: an approval request for the user to confirm.
Effect = Literal["read", "draft", "prepare"]


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoArgs(_Args):
    pass


class ClientArgs(_Args):
    client_id: int = Field(description="The client's numeric id (use find_clients to get it from a name)")


class FindClientsArgs(_Args):
    query: str = Field(description="A client name (typos and partial names are fine), an id or a CRM id")
    limit: int = Field(5, ge=1, le=20)


class FinancialArgs(ClientArgs):
    period_start: dt.date | None = Field(None, description="Only statements ending on/after this date")
    period_end: dt.date | None = Field(None, description="Only statements ending on/before this date")


class WhatIfArgs(ClientArgs):
    new_limit: Decimal = Field(gt=0, description="The new total limit in the reporting currency")
    facility_id: str | None = Field(None, description="Change only this facility's limit")
    dimension: Literal["industry", "region", "size_segment", "group", "single_name"] | None = Field(
        None, description="Only the concentration dimension asked about"
    )


class HistoryArgs(ClientArgs):
    months: int = Field(12, ge=1, le=60, description="How many months back")


class UtilisationFilterArgs(_Args):
    threshold: float = Field(0.9, gt=0, le=2, description="Utilisation at or above this (0.95 = 95%)")
    only_mine: bool = Field(False, description="Only the actor's own clients, not the whole team")
    limit: int = Field(20, ge=1, le=100)


class ExpiringArgs(_Args):
    horizon_days: int = Field(60, ge=0, le=366)
    only_mine: bool = Field(False, description="Only the actor's own clients, not the whole team")
    limit: int = Field(20, ge=1, le=100)


class WatchlistArgs(_Args):
    limit: int = Field(20, ge=1, le=100)


class ReviewsDueArgs(_Args):
    horizon_days: int = Field(30, ge=0, le=366, description="Include reviews due within this many days")
    overdue_only: bool = False


class ContactsDueArgs(_Args):
    horizon_days: int = Field(14, ge=0, le=366)


class PolicyArgs(_Args):
    query: str = Field(description="The policy question, in the user's words")
    k: int = Field(4, ge=1, le=10)


class PrepareApprovalArgs(ClientArgs):
    kind: ApprovalKind
    new_limit: Decimal | None = Field(None, gt=0, description="Required for increase and decrease")
    facility_id: str | None = None
    reason: str = Field("", max_length=500, description="The business reason the user gave")


class ApprovalStatusArgs(_Args):
    request_id: str


class ToolSpec(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: str
    description: str
    args: type[_Args]
    effect: Effect = "read"


def _spec(name: str, args: type[_Args], effect: Effect = "read") -> ToolSpec:
    doc = (getattr(Toolbox, name).__doc__ or "").strip()
    return ToolSpec(name=name, description=doc, args=args, effect=effect)


TOOLS: dict[str, ToolSpec] = {
    s.name: s
    for s in (
        _spec("find_clients", FindClientsArgs),
        _spec("my_clients", NoArgs),
        _spec("client_profile", ClientArgs),
        _spec("exposure", ClientArgs),
        _spec("financial_analysis", FinancialArgs),
        _spec("rating", ClientArgs),
        _spec("limit_recommendation", ClientArgs),
        _spec("what_if_limit", WhatIfArgs),
        _spec("early_warnings", ClientArgs),
        _spec("watchlist", WatchlistArgs),
        _spec("review_status", ClientArgs),
        _spec("reviews_due", ReviewsDueArgs),
        _spec("contacts_due", ContactsDueArgs),
        _spec("insurance_cover", ClientArgs),
        _spec("concentration_report", NoArgs),
        _spec("search_policy", PolicyArgs),
        _spec("draft_review_memo", ClientArgs, effect="draft"),
        _spec("prepare_approval_request", PrepareApprovalArgs, effect="prepare"),
        _spec("approval_status", ApprovalStatusArgs),
        _spec("my_pending_approvals", NoArgs),
        _spec("repayment_history", HistoryArgs),
        _spec("rating_history", ClientArgs),
        _spec("utilisation_trend", HistoryArgs),
        _spec("clients_by_utilisation", UtilisationFilterArgs),
        _spec("insurance_expiring", ExpiringArgs),
        _spec("bank_statements", ClientArgs),
    )
}

OUTCOMES: dict[type[CreditDeskError], str] = {
    Forbidden: "refused",
    NotFound: "not_found",
    InvalidInput: "invalid",
    UpstreamUnavailable: "unavailable",
}


class ToolOutcome(BaseModel):
    """The record of one call: what was asked, what came back (or the error, user-safe)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str
    arguments: dict[str, Any]
    outcome: str = "ok"
    result: BaseModel | None = None
    error: CreditDeskError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def message(self) -> str | None:
        return None if self.error is None else self.error.message


def call_tool(toolbox: Toolbox, actor: Actor, name: str, arguments: dict[str, Any]) -> ToolOutcome:
    """Validate the arguments, run the tool as `actor`, audit the call; domain errors become outcomes."""
    spec = TOOLS.get(name)
    if spec is None:
        refused = ToolOutcome(name=name, arguments=arguments, outcome="invalid",
                              error=InvalidInput(f"there is no tool '{name}'", field="tool"))  # fmt: skip
        _audit(toolbox, actor, refused)
        return refused
    try:
        args = spec.args.model_validate(arguments)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "arguments"
        refused = ToolOutcome(name=name, arguments=arguments, outcome="invalid",
                              error=InvalidInput(f"{where}: {first['msg']}", field=where))  # fmt: skip
        _audit(toolbox, actor, refused)
        return refused
    clean = args.model_dump(mode="json", exclude_defaults=True)
    try:
        result = getattr(toolbox, name)(actor, **args.model_dump())
        outcome = ToolOutcome(name=name, arguments=clean, result=result)
    except CreditDeskError as exc:
        kind = next((v for k, v in OUTCOMES.items() if isinstance(exc, k)), "error")
        outcome = ToolOutcome(name=name, arguments=clean, outcome=kind, error=exc)
    except Exception:  # an unexpected failure must not end the conversation; it is logged with an id
        error_id = new_error_id()
        log.exception("assistant tool %s failed (error id %s)", name, error_id)
        outcome = ToolOutcome(name=name, arguments=clean, outcome="error",
                              error=CreditDeskError(f"the {name} tool failed unexpectedly (error id {error_id})"))  # fmt: skip
    _audit(toolbox, actor, outcome)
    return outcome


def _audit(toolbox: Toolbox, actor: Actor, outcome: ToolOutcome) -> None:
    if toolbox.audit is None:
        return
    client_id = outcome.arguments.get("client_id")
    toolbox.audit.record(
        actor=actor, action="assistant.tool_call", object_type="client" if client_id is not None else "book",
        object_id=str(client_id) if client_id is not None else "-", channel=actor.channel,
        after=tool_call_record(outcome),
        data={"tool": outcome.name, "arguments": outcome.arguments, "outcome": outcome.outcome},
    )  # fmt: skip


def tool_call_record(outcome: ToolOutcome) -> dict[str, Any]:
    """What audit keeps of a call, readable: tool, arguments (secrets redacted), outcome, refusal reason.
    An out-of-scope client is `out_of_scope` here, though the user was told "not found"."""
    from tools.access import OutOfScope
    from tools.audit.redact import redact

    kind = "out_of_scope" if isinstance(outcome.error, OutOfScope) else outcome.outcome
    record: dict[str, Any] = {"tool": outcome.name, "arguments": redact(outcome.arguments), "outcome": kind}
    if outcome.error is not None:
        record["error"] = outcome.error.message
    return record
