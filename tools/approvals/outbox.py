"""The CRM outbox: an approved change for a CRM that cannot join the approval's transaction.

The built-in store applies the change inside the decision's transaction (`apply.py`). An external CRM
(any adapter without `update_limit_in`) gets an outbox row instead, written in that same transaction, so
the approval and the promise to deliver it commit together. `deliver_due` (cron: `creditdesk approvals
deliver`) sends each row through the adapter's own `update_limit` / `set_facility_status`:

- success → `delivered`, with a `limit.changed` / `facility.status_changed` audit event;
- the CRM is down (`UpstreamUnavailable`, a timeout, any other error) → retried with exponential
  back-off (1 min, 2, 4, … capped at 1 h) up to `MAX_ATTEMPTS`, then `failed`;
- the CRM's value moved under the request (`Conflict`) → `failed` for a person to look at, unless the
  CRM already holds the approved value (an earlier delivery whose acknowledgement was lost): then it
  counts as delivered — a change is never applied twice.

One row per request (unique `request_id`); a row is claimed before it is sent (status `sending` with a
10-minute lease, only one deliverer wins), so two deliverers never send the same change at once; a row
whose deliverer died mid-send is taken up again when the lease runs out (the expected-value check and the
lost-acknowledgement rule keep that from applying the change twice).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, and_, insert, select, update
from sqlmodel import Field, SQLModel

from crm_adapter.protocol import CRMAdapter
from kernel import clock
from kernel.errors import Conflict
from tools.approvals.models import ApprovalRequestView
from tools.audit.trail import AuditTrail

MAX_ATTEMPTS = 10
LEASE = dt.timedelta(minutes=10)  # a claimed row not finished by then is taken up again
BACKOFF_CAP = dt.timedelta(hours=1)
OutboxStatus = Literal["pending", "sending", "delivered", "failed"]


class CrmOutboxRow(SQLModel, table=True):
    __tablename__ = "crm_outbox"

    id: int | None = Field(default=None, primary_key=True)
    request_id: str = Field(max_length=32, unique=True)  # one delivery per approved request
    facility_id: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    new_limit: Decimal | None = Field(default=None, max_digits=20, decimal_places=2, nullable=True)
    expected_limit: Decimal | None = Field(default=None, max_digits=20, decimal_places=2, nullable=True)
    currency: str = Field(max_length=3)
    status: str = Field(max_length=16, index=True)
    attempts: int = 0
    next_attempt_at: dt.datetime
    last_error: str | None = Field(default=None, max_length=500)
    created_at: dt.datetime
    delivered_at: dt.datetime | None = None


TABLE = CrmOutboxRow.__table__  # type: ignore[attr-defined]


class OutboxEntry(BaseModel):
    request_id: str
    facility_id: str
    kind: str
    status: OutboxStatus
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    delivered_at: dt.datetime | None


def enqueue(conn: Connection, request: ApprovalRequestView) -> None:
    """Inside the approval's transaction: promise the CRM change."""
    now = clock.now()
    conn.execute(insert(TABLE).values(
        request_id=request.request_id, facility_id=request.facility_id, kind=request.kind,
        new_limit=request.new_limit, expected_limit=request.current_limit, currency=request.currency,
        status="pending", attempts=0, next_attempt_at=now, created_at=now,
    ))  # fmt: skip


def entries(engine: Engine, *, status: str | None = None) -> list[OutboxEntry]:
    stmt = select(TABLE).order_by(TABLE.c.id)
    if status is not None:
        stmt = stmt.where(TABLE.c.status == status)
    with engine.connect() as conn:
        return [OutboxEntry.model_validate(dict(r)) for r in conn.execute(stmt).mappings()]


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def deliver_due(engine: Engine, adapter: CRMAdapter, audit: AuditTrail, *,
                now: dt.datetime | None = None) -> list[OutboxEntry]:  # fmt: skip
    """Send every row that is due; returns the rows as they ended up."""
    now = now or clock.now()
    # due: pending rows whose time has come, and `sending` rows whose lease ran out (the deliverer died)
    is_due = and_(TABLE.c.status.in_(("pending", "sending")), TABLE.c.next_attempt_at <= now)
    with engine.connect() as conn:
        due = [r.id for r in conn.execute(select(TABLE.c.id).where(is_due).order_by(TABLE.c.id))]
    done = []
    for row_id in due:
        with engine.begin() as conn:  # claim it for LEASE: of two deliverers, one wins
            claimed = conn.execute(
                update(TABLE).where(TABLE.c.id == row_id, is_due).values(status="sending", next_attempt_at=now + LEASE)
            ).rowcount  # fmt: skip
        if claimed == 1:
            done.append(_send(engine, adapter, audit, row_id, now))
    return done


def _send(
    engine: Engine, adapter: CRMAdapter, audit: AuditTrail, row_id: int, now: dt.datetime
) -> OutboxEntry:
    with engine.connect() as conn:
        row = conn.execute(select(TABLE).where(TABLE.c.id == row_id)).mappings().one()
    attempts = row["attempts"] + 1
    outcome: dict[str, object]
    try:
        before, after = _apply(adapter, row)
        outcome = {"status": "delivered", "delivered_at": now, "last_error": None}
    except Conflict as exc:
        if _already_there(adapter, row):
            before, after = {}, {"note": "the CRM already held the approved value"}
            outcome = {"status": "delivered", "delivered_at": now, "last_error": None}
        else:
            outcome = {"status": "failed", "last_error": str(exc)[:500]}
    except Exception as exc:  # the CRM is down or timed out: retry later
        outcome = {"status": "failed" if attempts >= MAX_ATTEMPTS else "pending",
                   "next_attempt_at": now + backoff(attempts), "last_error": f"{type(exc).__name__}: {exc}"[:500]}  # fmt: skip
    with engine.begin() as conn:
        conn.execute(update(TABLE).where(TABLE.c.id == row_id).values(attempts=attempts, **outcome))
        common = {
            "actor": None,
            "channel": "outbox",
            "object_type": "facility",
            "object_id": row["facility_id"],
        }
        if outcome["status"] == "delivered":
            action = "facility.status_changed" if row["kind"] in STATUS_AFTER else "limit.changed"
            audit.record_in(conn, action=action, before=before,
                            after={**after, "request_id": row["request_id"]}, **common)  # type: ignore[arg-type]  # fmt: skip
        elif outcome["status"] == "failed":
            audit.record_in(conn, action="crm.delivery_failed", after={"request_id": row["request_id"],
                            "error": outcome["last_error"], "attempts": attempts}, **common)  # type: ignore[arg-type]  # fmt: skip
        final = conn.execute(select(TABLE).where(TABLE.c.id == row_id)).mappings().one()
    adapter.mark_changed()
    return OutboxEntry.model_validate(dict(final))


STATUS_AFTER = {"freeze": ("active", "frozen"), "unfreeze": ("frozen", "active")}


def _apply(adapter: CRMAdapter, row: dict) -> tuple[dict[str, object], dict[str, object]]:  # type: ignore[type-arg]
    if row["kind"] in STATUS_AFTER:
        before, after = STATUS_AFTER[row["kind"]]
        current = adapter.get_facility(row["facility_id"])
        if _status(current.status) != before:
            raise Conflict(key="approvals.status_is", params={"facility_id": row["facility_id"],
                           "facility_status": _status(current.status), "expected_status": before})  # fmt: skip
        adapter.set_facility_status(row["facility_id"], after)
        return {"status": before}, {"status": after}
    new, expected = Decimal(str(row["new_limit"])), Decimal(str(row["expected_limit"]))
    adapter.update_limit(row["facility_id"], new, expected_current=expected)
    return ({"limit": str(expected), "currency": row["currency"]},
            {"limit": str(new), "currency": row["currency"]})  # fmt: skip


def _status(value: object) -> str:
    return str(getattr(value, "value", value))


def _already_there(adapter: CRMAdapter, row: dict) -> bool:  # type: ignore[type-arg]
    try:
        current = adapter.get_facility(row["facility_id"])
    except Exception:  # NotFound, or the CRM is down: not known to be there
        return False
    if row["kind"] in STATUS_AFTER:
        return _status(current.status) == STATUS_AFTER[row["kind"]][1]
    return row["new_limit"] is not None and Decimal(str(current.limit_amount)) == Decimal(
        str(row["new_limit"])
    )
