"""Maker-checker and the state machine of a decision (pure: checks and the transition it causes)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from kernel.errors import Conflict, Forbidden
from tools.actor import Actor
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
        raise Conflict(
            f"request {request.request_id} is already {request.status}; it cannot be decided again"
        )
    if actor.officer_id == request.raised_by:
        raise Forbidden(
            f"you raised request {request.request_id}; maker-checker forbids deciding it yourself"
        )
    if any(d.officer_id == actor.officer_id for d in request.decisions):
        raise Conflict(
            f"you have already decided on request {request.request_id}; a person counts once per chain"
        )
    step = request.open_step
    if step is None:  # a pending request always has an open step
        raise Conflict(f"request {request.request_id} has no open step")
    if actor.approval_level < step.level:
        raise Forbidden(
            f"step {step.step_no} of request {request.request_id} needs {step.name} authority "
            f"(level {step.level}); your approval level is {actor.approval_level}"
        )
    if step.same_team and actor.team != request.officer_team:
        raise Forbidden(
            f"step {step.step_no} of request {request.request_id} is for the {request.officer_team} team's {step.name}"
        )
    return step


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
