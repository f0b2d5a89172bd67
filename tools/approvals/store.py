"""SQL persistence of requests, steps and decisions (every function runs in the caller's connection)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, insert, select, update

from kernel.errors import InvalidInput, NotFound
from tools.approvals.chain import PolicyException, StepPlan
from tools.approvals.decisions import Transition
from tools.approvals.models import (
    REQUEST_PREFIX,
    ApprovalDecisionRow,
    ApprovalRequestRow,
    ApprovalRequestView,
    ApprovalStepRow,
    DecisionView,
    StepView,
    format_request_id,
)
from tools.engine.results import Msg

REQUESTS = ApprovalRequestRow.__table__  # type: ignore[attr-defined]
STEPS = ApprovalStepRow.__table__  # type: ignore[attr-defined]
DECISIONS = ApprovalDecisionRow.__table__  # type: ignore[attr-defined]


def parse_request_id(value: str | int) -> int:
    """`AR-12`, `ar-12`, `12` or 12 → 12."""
    text = str(value).strip()
    if text.upper().startswith(REQUEST_PREFIX):
        text = text[len(REQUEST_PREFIX) :]
    if not text.isdigit():
        raise InvalidInput(key="approvals.not_a_request_id", params={"value": str(value), "prefix": REQUEST_PREFIX},
                           field="request_id")  # fmt: skip
    return int(text)


def find_by_key(conn: Connection, raised_by: str, key: str) -> tuple[int, str] | None:
    """(request pk, body hash) of the request this officer raised with this idempotency key."""
    row = conn.execute(
        select(REQUESTS.c.id, REQUESTS.c.body_hash).where(
            REQUESTS.c.raised_by == raised_by, REQUESTS.c.idempotency_key == key
        )
    ).first()
    return (int(row.id), str(row.body_hash)) if row else None


def insert_request(conn: Connection, values: dict[str, Any], steps: list[StepPlan], now: dt.datetime) -> int:
    pk = int(conn.execute(insert(REQUESTS).values(**values).returning(REQUESTS.c.id)).scalar_one())
    conn.execute(
        insert(STEPS),
        [
            {
                "request_id": pk,
                "step_no": s.step_no,
                "level": s.level,
                "name": s.name,
                "quorum": s.quorum,
                "same_team": s.same_team,
                "sla_hours": s.sla_hours,
                "status": "open" if s.step_no == 1 else "waiting",
                "opened_at": now if s.step_no == 1 else None,
                "due_at": now + dt.timedelta(hours=s.sla_hours) if s.step_no == 1 else None,
            }  # fmt: skip
            for s in steps
        ],
    )
    return pk


def lock_pending(conn: Connection, pk: int) -> bool:
    """Take the request's row lock (a write, so SQLite takes its writer lock too) if it is still pending."""
    result = conn.execute(
        update(REQUESTS)
        .where(REQUESTS.c.id == pk, REQUESTS.c.status == "pending")
        .values(version=REQUESTS.c.version + 1)
    )
    return result.rowcount == 1


def record_decision(
    conn: Connection,
    request: ApprovalRequestView,
    t: Transition,
    *,
    officer_id: str,
    officer_level: int,
    decision: str,
    comment: str,
    stale: bool,
    now: dt.datetime,
) -> None:
    pk = parse_request_id(request.request_id)
    conn.execute(insert(DECISIONS).values(request_id=pk, step_no=t.step_no, officer_id=officer_id,
                                          officer_level=officer_level, decision=decision, comment=comment,
                                          decided_at=now, stale=stale))  # fmt: skip
    step_where = and_(STEPS.c.request_id == pk, STEPS.c.step_no == t.step_no)
    if t.step_status != "open":
        conn.execute(update(STEPS).where(step_where).values(status=t.step_status, closed_at=now))
    if t.opened_step is not None:
        sla = next(s.sla_hours for s in request.steps if s.step_no == t.opened_step)
        conn.execute(
            update(STEPS)
            .where(STEPS.c.request_id == pk, STEPS.c.step_no == t.opened_step)
            .values(status="open", opened_at=now, due_at=now + dt.timedelta(hours=sla))
        )
    closed = now if t.status != "pending" else None
    conn.execute(
        update(REQUESTS)
        .where(REQUESTS.c.id == pk)
        .values(
            status=t.status,
            current_step=t.current_step,
            closed_at=closed,
            applied_at=now if t.final_approval else None,
        )  # fmt: skip
    )


def load(conn: Connection, pk: int) -> ApprovalRequestView:
    views = load_many(conn, [pk])
    if not views:
        raise NotFound(key="approvals.request_not_found", params={"request_id": format_request_id(pk)})
    return views[0]


def load_many(conn: Connection, pks: list[int]) -> list[ApprovalRequestView]:
    if not pks:
        return []
    rows = conn.execute(
        select(REQUESTS).where(REQUESTS.c.id.in_(pks)).order_by(REQUESTS.c.id.desc())
    ).mappings()
    steps: dict[int, list[Any]] = {}
    for s in conn.execute(
        select(STEPS).where(STEPS.c.request_id.in_(pks)).order_by(STEPS.c.step_no)
    ).mappings():
        steps.setdefault(s["request_id"], []).append(s)
    decisions: dict[int, list[Any]] = {}
    for d in conn.execute(
        select(DECISIONS).where(DECISIONS.c.request_id.in_(pks)).order_by(DECISIONS.c.id)
    ).mappings():
        decisions.setdefault(d["request_id"], []).append(d)
    return [_view(r, steps.get(r["id"], []), decisions.get(r["id"], [])) for r in rows]


def pending_ids_up_to_level(conn: Connection, level: int) -> list[int]:
    """Pending requests whose open step the given approval level may decide."""
    stmt = (
        select(REQUESTS.c.id)
        .join(STEPS, and_(STEPS.c.request_id == REQUESTS.c.id, STEPS.c.step_no == REQUESTS.c.current_step))
        .where(REQUESTS.c.status == "pending", STEPS.c.level <= level)
    )
    return [int(r[0]) for r in conn.execute(stmt)]


def ids_raised_by(conn: Connection, officer_id: str, limit: int) -> list[int]:
    stmt = select(REQUESTS.c.id).where(REQUESTS.c.raised_by == officer_id).order_by(REQUESTS.c.id.desc())
    return [int(r[0]) for r in conn.execute(stmt.limit(limit))]


def ids_for_client(conn: Connection, client_id: int, limit: int) -> list[int]:
    stmt = select(REQUESTS.c.id).where(REQUESTS.c.client_id == client_id).order_by(REQUESTS.c.id.desc())
    return [int(r[0]) for r in conn.execute(stmt.limit(limit))]


def ids_by_status(conn: Connection, status: str | None, limit: int) -> list[int]:
    stmt = select(REQUESTS.c.id).order_by(REQUESTS.c.id.desc()).limit(limit)
    if status is not None:
        stmt = stmt.where(REQUESTS.c.status == status)
    return [int(r[0]) for r in conn.execute(stmt)]


def routing_json(reasons: list[str], msgs: list[Msg]) -> str:
    """The stored routing: the English reasons and, when every one is coded, their messages."""
    if len(msgs) != len(reasons):
        return json.dumps(reasons, ensure_ascii=False)
    return json.dumps(
        {"reasons": reasons, "msgs": [m.model_dump(mode="json") for m in msgs]}, ensure_ascii=False
    )


def _routing(raw: str) -> dict[str, Any]:
    """`routing` and `routing_msgs` of a stored request (a plain list on requests stored before the codes)."""
    data = json.loads(raw)
    if isinstance(data, list):
        return {"routing": data, "routing_msgs": []}
    return {"routing": data["reasons"], "routing_msgs": [Msg.model_validate(m) for m in data["msgs"]]}


def _view(r: Any, steps: list[Any], decisions: list[Any]) -> ApprovalRequestView:
    approvals: dict[int, int] = {}
    for d in decisions:
        if d["decision"] == "approve":
            approvals[d["step_no"]] = approvals.get(d["step_no"], 0) + 1
    return ApprovalRequestView(
        request_id=format_request_id(r["id"]), client_id=r["client_id"], client_name=r["client_name"],
        group_id=r["group_id"], officer_team=r["officer_team"], facility_id=r["facility_id"], kind=r["kind"],
        currency=r["currency"], current_limit=r["current_limit"], new_limit=r["new_limit"],
        reporting_currency=r["reporting_currency"], group_exposure_after=r["group_exposure_after"],
        grade=r["grade"], recommended_limit=r["recommended"],
        exceptions=[PolicyException.model_validate(e) for e in json.loads(r["exceptions_json"])],
        **_routing(r["routing_json"]), reason=r["reason"], memo_id=r["memo_id"],
        raised_by=r["raised_by"], raised_by_name=r["raised_by_name"], raised_at=r["raised_at"],
        required_level=r["required_level"], status=r["status"], current_step=r["current_step"],
        steps=[StepView(**{k: s[k] for k in StepView.model_fields if k != "approvals"},
                        approvals=approvals.get(s["step_no"], 0)) for s in steps],
        decisions=[DecisionView(**{k: d[k] for k in DecisionView.model_fields}) for d in decisions],
        snapshot_hash=r["snapshot_hash"], policy_version=r["policy_version"], closed_at=r["closed_at"],
        applied_at=r["applied_at"],
    )  # fmt: skip


def pending_increases(conn: Connection, *, client_id: int, group_id: str | None, facility_id: str,
                      exclude: int | None = None) -> list[tuple[int, Decimal]]:  # fmt: skip
    """Other pending requests that raise a limit in the client's group (or of the client alone, when it has
    no group), other facilities than this one: (request pk, increase in the reporting currency)."""
    who = REQUESTS.c.group_id == group_id if group_id else REQUESTS.c.client_id == client_id
    stmt = select(REQUESTS.c.id, REQUESTS.c.current_limit, REQUESTS.c.new_limit, REQUESTS.c.snapshot_json).where(
        REQUESTS.c.status == "pending", who, REQUESTS.c.facility_id != facility_id,
        REQUESTS.c.new_limit.is_not(None), REQUESTS.c.new_limit > REQUESTS.c.current_limit,
    )  # fmt: skip
    out = []
    for r in conn.execute(stmt):
        if exclude is not None and int(r.id) == exclude:
            continue
        rate = Decimal(str(json.loads(r.snapshot_json).get("fx_rate", "1")))
        out.append((int(r.id), (Decimal(r.new_limit) - Decimal(r.current_limit)) * rate))
    return out


def reroute(conn: Connection, request: ApprovalRequestView, steps: list[StepPlan], values: dict[str, Any],
            now: dt.datetime) -> None:  # fmt: skip
    """Replace the steps not yet approved with the new chain's levels above those already signed."""
    pk = parse_request_id(request.request_id)
    done = [s for s in request.steps if s.status == "approved"]
    top = max((s.level for s in done), default=0)
    conn.execute(STEPS.delete().where(STEPS.c.request_id == pk, STEPS.c.status != "approved"))
    new = [s for s in steps if s.level > top]
    first = len(done) + 1
    conn.execute(insert(STEPS), [
        {"request_id": pk, "step_no": first + i, "level": s.level, "name": s.name, "quorum": s.quorum,
         "same_team": s.same_team, "sla_hours": s.sla_hours, "status": "open" if i == 0 else "waiting",
         "opened_at": now if i == 0 else None, "due_at": now + dt.timedelta(hours=s.sla_hours) if i == 0 else None}
        for i, s in enumerate(new)
    ])  # fmt: skip
    conn.execute(update(REQUESTS).where(REQUESTS.c.id == pk).values(current_step=first, **values))


def snapshot_json(conn: Connection, pk: int) -> str:
    return str(conn.execute(select(REQUESTS.c.snapshot_json).where(REQUESTS.c.id == pk)).scalar_one())
