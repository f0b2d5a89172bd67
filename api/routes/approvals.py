"""Approvals: prepare (no write), raise (idempotent), list mine / awaiting me, read, decide."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Request, status

from api import views
from api.deps import ActorDep, ContainerDep
from api.pages.common import page_language
from api.routes.clients import ClientId
from api.schemas import DecideIn, PreparedOut, PrepareIn, RaiseIn
from tools.approvals.models import ApprovalRequestView

router = APIRouter(tags=["approvals"])
RequestId = Annotated[str, Path(pattern=r"^AR-[0-9]{1,15}$", description="e.g. AR-12")]
IdempotencyKey = Annotated[
    str,
    Header(alias="Idempotency-Key", min_length=8, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$",
           description="Unique per intended request; retrying with the same key and body returns the original"),
]  # fmt: skip


@router.post("/clients/{client_id}/limit-requests/prepare",
             summary="What a limit request would need: recommendation, binding constraint, chain (no write)")  # fmt: skip
def prepare(
    request: Request, container: ContainerDep, actor: ActorDep, client_id: ClientId, body: PrepareIn
) -> PreparedOut:
    kind = container.approvals.request_kind(actor, client_id=client_id, facility_id=body.facility_id,
                                            kind=body.kind, new_limit=body.new_limit)  # fmt: skip
    prepared = container.approvals.prepare_request(actor, client_id=client_id, facility_id=body.facility_id,
                                                   kind=kind, new_limit=body.new_limit, reason=body.reason)  # fmt: skip
    return views.prepared_out(prepared, page_language(request))


@router.post("/approvals", status_code=status.HTTP_201_CREATED, summary="Raise an approval request")
def raise_request(container: ContainerDep, actor: ActorDep, body: RaiseIn,
                  idempotency_key: IdempotencyKey) -> ApprovalRequestView:  # fmt: skip
    kind = container.approvals.request_kind(actor, client_id=body.client_id, facility_id=body.facility_id,
                                            kind=body.kind, new_limit=body.new_limit)  # fmt: skip
    return container.approvals.raise_request(
        actor, client_id=body.client_id, facility_id=body.facility_id, kind=kind, new_limit=body.new_limit,
        reason=body.reason, memo_id=body.memo_id, idempotency_key=idempotency_key,
    )  # fmt: skip


@router.get("/approvals", summary="Requests I raised (mine) or that await my decision (awaiting)")
def list_requests(container: ContainerDep, actor: ActorDep,
                  box: Annotated[Literal["mine", "awaiting"], Query()] = "awaiting") -> list[ApprovalRequestView]:  # fmt: skip
    if box == "mine":
        return container.approvals.list_raised_by(actor)
    return container.approvals.list_awaiting(actor)


@router.get("/approvals/{request_id}", summary="One approval request with its steps")
def get_request(container: ContainerDep, actor: ActorDep, request_id: RequestId) -> ApprovalRequestView:
    return container.approvals.get(actor, request_id)


@router.post("/approvals/{request_id}/decision", summary="Approve, reject or return a request awaiting you")
def decide(
    container: ContainerDep, actor: ActorDep, request_id: RequestId, body: DecideIn
) -> ApprovalRequestView:
    return container.approvals.decide(actor, request_id, decision=body.decision, comment=body.comment)
