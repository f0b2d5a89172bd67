"""Apply an approved request to the CRM inside the decision's own transaction (never twice).

An adapter that cannot take part in the transaction (an external CRM) gets an outbox row instead, in the
same transaction; `tools/approvals/outbox.py` delivers it with retries.

The built-in store exposes `update_limit_in(conn, …)`; the limit change, the request's final state
and their audit events commit or roll back together. A facility's status (freeze / unfreeze) is a
conditional UPDATE of the built-in store's facilities table in the same transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, update

from crm_adapter.models import FacilityRow
from crm_adapter.protocol import CRMAdapter
from crm_adapter.sql.changes import bump_in
from kernel.errors import Conflict
from tools.actor import Actor
from tools.approvals.models import ApprovalRequestView
from tools.approvals.outbox import STATUS_AFTER, enqueue
from tools.audit.trail import AuditTrail

FACILITIES = FacilityRow.__table__  # type: ignore[attr-defined]


def apply_change(conn: Connection, request: ApprovalRequestView, *, adapter: CRMAdapter, audit: AuditTrail,
                 actor: Actor, policy_version: str) -> None:  # fmt: skip
    common = {"actor": actor, "object_type": "facility", "object_id": request.facility_id,
              "policy_version": policy_version}  # fmt: skip
    update_limit_in: Any = getattr(adapter, "update_limit_in", None)
    if update_limit_in is None:  # an external CRM: promise the change in this transaction, deliver it later
        changes = request.kind in STATUS_AFTER or request.new_limit not in (None, request.current_limit)
        if changes:
            enqueue(conn, request)
            audit.record_in(conn, action="crm.change_queued", after={"request_id": request.request_id,
                            "kind": request.kind, "new_limit": str(request.new_limit)}, **common)  # fmt: skip
        return
    if request.kind in STATUS_AFTER:
        before, after = STATUS_AFTER[request.kind]
        result = conn.execute(
            update(FACILITIES)
            .where(FACILITIES.c.facility_id == request.facility_id, FACILITIES.c.status == before)
            .values(status=after)
        )
        if result.rowcount != 1:
            raise Conflict(key="approvals.status_moved",
                           params={"facility_id": request.facility_id, "facility_status": before})  # fmt: skip
        bump_in(conn, clients=[request.client_id])
        audit.record_in(conn, action="facility.status_changed", before={"status": before},
                        after={"status": after, "request_id": request.request_id}, **common)  # fmt: skip
        return
    if request.new_limit is None or request.new_limit == request.current_limit:
        return  # a renewal at the same limit changes nothing in the CRM
    update_limit_in(conn, request.facility_id, request.new_limit, expected_current=request.current_limit)
    audit.record_in(conn, action="limit.changed",
                    before={"limit": str(request.current_limit), "currency": request.currency},
                    after={"limit": str(request.new_limit), "currency": request.currency,
                           "request_id": request.request_id}, **common)  # fmt: skip
