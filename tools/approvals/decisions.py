"""Maker-checker and the state machine of a decision (pure: checks and the transition it causes)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from kernel.catalogue import named
from kernel.errors import Conflict, Forbidden
from tools.actor import Actor
from tools.approvals.chain import LEVEL
from tools.approvals.models import ApprovalRequestView, DecisionKind, StepView

CLOSING = {"reject": "rejected", "return": "returned"}


class Transition(BaseModel):
    model_config = ConfigDict(frozen=True)

    step_no: int
    step_status: str  # the decided step after this decision ("open" while the quorum is not reached)
    status: str  # the request after this decision
    current_step: int
    opened_step: int | None = None  # the next step opened by this decision
    final_approval: bool = False


def authorise(actor: Actor, request: ApprovalRequestView) -> StepView:
    """The open step the actor may decide, or the reason they may not (nothing is written either way)."""
    if request.status != "pending":
        raise already_decided(request.request_id, request.status)
    if actor.officer_id == request.raised_by:
        raise Forbidden(key="approvals.maker_checker", params={"request_id": request.request_id})
    if any(d.officer_id == actor.officer_id for d in request.decisions):
        raise Conflict(key="approvals.counts_once", params={"request_id": request.request_id})
    step = request.open_step
    if step is None:  # a pending request always has an open step
        raise Conflict(key="approvals.no_open_step", params={"request_id": request.request_id})
    if actor.approval_level < step.level:
        raise Forbidden(key="approvals.needs_level", params={"step": step.step_no, "request_id": request.request_id,
                        "name": named(LEVEL, step.name), "level": step.level, "your_level": actor.approval_level})  # fmt: skip
    if step.same_team and actor.team != request.officer_team:
        raise Forbidden(key="approvals.team_step", params={"step": step.step_no, "request_id": request.request_id,
                        "team": request.officer_team, "name": named(LEVEL, step.name)})  # fmt: skip
    return step


def already_decided(request_id: str, status: str) -> Conflict:
    return Conflict(
        key="approvals.already_decided", params={"request_id": request_id, "request_status": status}
    )


def next_state(request: ApprovalRequestView, step: StepView, decision: DecisionKind) -> Transition:
    if decision in CLOSING:
        status = CLOSING[decision]
        return Transition(step_no=step.step_no, step_status=status, status=status, current_step=step.step_no)
    if step.approvals + 1 < step.quorum:
        return Transition(
            step_no=step.step_no, step_status="open", status="pending", current_step=step.step_no
        )
    if step.step_no < len(request.steps):
        nxt = step.step_no + 1
        return Transition(step_no=step.step_no, step_status="approved", status="pending", current_step=nxt,
                          opened_step=nxt)  # fmt: skip
    return Transition(step_no=step.step_no, step_status="approved", status="approved", current_step=step.step_no,
                      final_approval=True)  # fmt: skip
