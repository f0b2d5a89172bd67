"""ApprovalService: raise limit requests, route them by the authority matrix, decide them (maker-checker).

    approvals.prepare_request(actor, client_id=1001, facility_id="F-1001-1", kind="increase", new_limit=...)
    approvals.raise_request(actor, client_id=…, facility_id=…, kind=…, new_limit=…, reason=…, idempotency_key=…)
    approvals.decide(actor, "AR-12", decision="approve", comment="")
    approvals.get(actor, "AR-12") / list_raised_by(actor) / list_awaiting(actor) / staleness(actor, "AR-12")

Every state change (request, decision, limit change) is written with its audit events in one transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from crm_adapter.enums import Role
from crm_adapter.models import Officer
from crm_adapter.protocol import CRMAdapter
from kernel import clock
from kernel.catalogue import named, render
from kernel.errors import Conflict, Forbidden, InvalidInput
from tools.access import get_client_for, require_role
from tools.actor import Actor
from tools.approvals import store
from tools.approvals.apply import apply_change
from tools.approvals.chain import LEVEL, RISK_REDUCING_KINDS, PolicyException, Route, route
from tools.approvals.decisions import already_decided, authorise, next_state
from tools.approvals.models import DECISIONS, ApprovalRequestView, PreparedRequest, format_request_id
from tools.approvals.outbox import OutboxEntry, deliver_due
from tools.approvals.requests import (
    RequestBody,
    check_key,
    check_kind_against,
    check_limit_currency,
    choose_facility,
    kind_from_limit,
    parse_body,
)
from tools.approvals.snapshot import Snapshot, policy_exceptions, take_snapshot
from tools.approvals.staleness import stale_reasons
from tools.audit.canonical import canonical_json, digest
from tools.audit.trail import AuditTrail
from tools.engine.results import Msg
from tools.engine.service import CreditEngine
from tools.notify import Notifier, NullNotifier
from tools.policy.schema import Policy

log = logging.getLogger("creditdesk.approvals")
RAISING_ROLES = (Role.RM, Role.ANALYST, Role.APPROVER, Role.RISK, Role.ADMIN)


class MemoCheck(Protocol):
    def attachable(self, actor: Actor, memo_id: int, *, client_id: int) -> Any: ...


OVERDUE_SCAN_LIMIT = 10_000  # pending requests looked at per reminder run


class ApprovalService:
    def __init__(self, *, engine: Engine, adapter: CRMAdapter, credit_engine: CreditEngine, policy: Policy,
                 audit: AuditTrail, notifier: Notifier | None = None, memos: MemoCheck | None = None,
                 today: Callable[[], dt.date] = clock.today) -> None:  # fmt: skip
        self.engine = engine
        self.adapter = adapter
        self.credit_engine = credit_engine
        self.policy = policy
        self.audit = audit
        self.notifier = notifier or NullNotifier()
        self.memos = memos
        self.today = today

    # --- raising ------------------------------------------------------------------------------
    def request_kind(self, actor: Actor, *, client_id: int, facility_id: str | None, kind: str | None,
                     new_limit: Decimal | None, currency: str | None = None) -> str:  # fmt: skip
        """The kind given, else increase or decrease from the new figure (requests.kind_from_limit), against
        the facility named or the client's only open one; a currency written with the figure must be the
        facility's. Scope is checked first: nothing about a client the officer may not see is shown."""
        if kind is not None and currency is None:
            return kind  # raising checks the figure against the kind
        get_client_for(actor, self.adapter, client_id)
        if kind is None and new_limit is None:  # before the facility: there is nothing to infer from
            raise InvalidInput(key="approvals.kind_needs_limit", field="new_limit")
        fid = (facility_id.strip() or None) if facility_id else None
        facility = choose_facility(client_id, fid, self.adapter.get_facilities(client_id))
        check_limit_currency(facility, currency)
        return kind if kind is not None else kind_from_limit(facility, new_limit)

    def prepare_request(self, actor: Actor, *, client_id: int, facility_id: str | None = None, kind: str,
                        new_limit: object = None, reason: str = "") -> PreparedRequest:  # fmt: skip
        """The recommendation, concentration effect, exceptions and chain a request would get (no write)."""
        body = parse_body(client_id=client_id, facility_id=facility_id, kind=kind, new_limit=new_limit,
                          reason=reason or "(preview)", memo_id=None)  # fmt: skip
        prepared, _ = self._prepare(actor, body)
        return prepared.model_copy(update={"reason": reason})

    def raise_request(self, actor: Actor, *, client_id: int, facility_id: str | None, kind: str,
                      new_limit: object = None, reason: str, memo_id: int | None = None,
                      idempotency_key: str) -> ApprovalRequestView:  # fmt: skip
        """Store a pending request routed by the matrix, audit it and notify the first step's approvers.

        The same idempotency key with the same body returns the original request; with a different
        body it is a Conflict.
        """
        require_role(actor, RAISING_ROLES, "raising an approval request")
        key = check_key(idempotency_key)
        body = parse_body(client_id=client_id, facility_id=facility_id, kind=kind, new_limit=new_limit,
                          reason=reason, memo_id=memo_id)  # fmt: skip
        existing = self._replay(actor, key, body)
        if existing is not None:
            return existing
        if memo_id is not None and self.memos is not None:
            self.memos.attachable(actor, memo_id, client_id=body.client_id)
        prepared, snap = self._prepare(actor, body)
        client = self.adapter.get_client(body.client_id)
        owner = self.adapter.get_officer(client.officer_id)
        now = clock.now()
        values = {
            "client_id": body.client_id, "client_name": prepared.client_name, "group_id": client.group_id,
            "officer_team": owner.team if owner else "", "facility_id": prepared.facility_id, "kind": body.kind,
            "currency": prepared.currency, "current_limit": prepared.current_limit, "new_limit": body.new_limit,
            "reporting_currency": prepared.reporting_currency, "group_exposure_after": prepared.group_exposure_after,
            "grade": prepared.grade, "recommended": prepared.recommended_limit,
            "exceptions_json": canonical_json([e.model_dump(mode="json") for e in prepared.exceptions]),
            "routing_json": store.routing_json(prepared.route.reasons, prepared.route.reason_msgs),
            "reason": body.reason,
            "memo_id": memo_id, "raised_by": actor.officer_id, "raised_by_name": actor.name, "raised_at": now,
            "channel": actor.channel, "idempotency_key": key, "body_hash": body.hash,
            "required_level": prepared.route.required_level, "status": "pending", "current_step": 1,
            "snapshot_json": canonical_json(snap.model_dump(mode="json")), "snapshot_hash": digest(snap),
            "policy_version": self.policy.stamp,
        }  # fmt: skip
        try:
            with self.engine.begin() as conn:
                pk = store.insert_request(conn, values, prepared.route.steps, now)
                view = store.load(conn, pk)
                self.audit.record_in(conn, actor=actor, action="approval.raised", object_type="approval_request",
                                     object_id=view.request_id, after=_summary(view), data=snap,
                                     policy_version=self.policy.stamp)  # fmt: skip
        except IntegrityError:  # the same key raced in from a concurrent submission
            replay = self._replay(actor, key, body)
            if replay is None:
                raise
            return replay
        self._notify_step(view)
        return view

    def _replay(self, actor: Actor, key: str, body: RequestBody) -> ApprovalRequestView | None:
        with self.engine.connect() as conn:
            found = store.find_by_key(conn, actor.officer_id, key)
            if found is None:
                return None
            pk, body_hash = found
            if body_hash != body.hash:
                raise Conflict(key="approvals.key_reused", params={"key": key, "request_id": format_request_id(pk)},
                               field="idempotency_key")  # fmt: skip
            return store.load(conn, pk)

    def _prepare(self, actor: Actor, body: RequestBody) -> tuple[PreparedRequest, Snapshot]:
        client = get_client_for(actor, self.adapter, body.client_id)
        facility = choose_facility(
            body.client_id, body.facility_id, self.adapter.get_facilities(body.client_id)
        )
        target = check_kind_against(body, facility)
        snap = self._snapshot(actor, body.client_id, facility.facility_id, target)
        exceptions, chosen = self._route(body.kind, snap)
        prepared = PreparedRequest(
            client_id=client.client_id, client_name=client.name, facility_id=facility.facility_id, kind=body.kind,
            currency=facility.currency, current_limit=snap.facility_limit, new_limit=body.new_limit,
            reporting_currency=snap.reporting_currency, grade=snap.grade, recommended_limit=snap.recommended,
            binding=snap.binding, group_exposure_after=snap.routed_exposure, concentration=snap.concentration,
            concentration_msgs=snap.concentration_msgs,
            exceptions=exceptions, route=chosen, reason=body.reason,
        )  # fmt: skip
        return prepared, snap

    def _route(self, kind: str, snap: Snapshot) -> tuple[list[PolicyException], Route]:
        """Exceptions and the chain for these figures; the group's other pending requests count in the band."""
        exceptions = policy_exceptions(kind, snap, self.policy.authority)
        chosen = route(self.policy.authority, kind=kind, group_exposure_after=snap.routed_exposure,
                       grade=snap.grade, exceptions=exceptions, currency=snap.reporting_currency)  # fmt: skip
        if snap.pending_requests and kind not in RISK_REDUCING_KINDS:
            note = {"key": "engine.route.pending_group", "params": {"count": len(snap.pending_requests),
                    "ccy": snap.reporting_currency, "amount": float(snap.pending_group_increase)}}  # fmt: skip
            first = Msg(key="approvals.route.with_pending", params={
                "reason": chosen.reason_msgs[0].model_dump(), "note": note, "requests": list(snap.pending_requests)})  # fmt: skip
            chosen = Route.of(chosen.required_level, chosen.steps, [first, *chosen.reason_msgs[1:]])
        return exceptions, chosen

    def _pending(self, client_id: int, facility_id: str, exclude: int | None) -> tuple[Decimal, list[str]]:
        client = self.adapter.get_client(client_id)
        with self.engine.connect() as conn:
            rows = store.pending_increases(conn, client_id=client_id, group_id=client.group_id,
                                           facility_id=facility_id, exclude=exclude)  # fmt: skip
        return sum((d for _, d in rows), Decimal(0)), [format_request_id(pk) for pk, _ in rows]

    def _snapshot(self, actor: Actor, client_id: int, facility_id: str, target: Decimal,
                  exclude: int | None = None) -> Snapshot:  # fmt: skip
        as_of = self.today()
        # Fresh from the database: the route (group exposure after the change) and the staleness check
        # must not rest on cached results that miss a change made since.
        assessment = self.credit_engine.assess_client(actor, client_id, as_of=as_of, fresh=True)
        what_if = self.credit_engine.what_if_limit(
            actor, client_id, target, facility_id=facility_id, as_of=as_of
        )
        facility = self.adapter.get_facility(facility_id)
        pending = self._pending(client_id, facility_id, exclude)
        return take_snapshot(facility, assessment, what_if, pending=pending)

    # --- deciding -----------------------------------------------------------------------------
    def decide(
        self,
        actor: Actor,
        request_id: str | int,
        *,
        decision: str,
        comment: str = "",
        expected_step: int | None = None,
    ) -> ApprovalRequestView:
        """Approve, reject or return the open step. Exactly one transition wins under concurrency.

        `expected_step` is the step the decider was shown (a Slack button names it): when another step is
        open by the time the decision is taken, nothing is decided (Conflict), checked under the row lock.

        An approval of a request whose data changed materially since it was raised (stale) needs a
        comment acknowledging the changes. The final approval applies the change in the CRM in the
        same transaction as the request's state and the audit events.
        """
        if decision not in DECISIONS:
            raise InvalidInput(
                key="approvals.bad_decision", params={"choices": list(DECISIONS)}, field="decision"
            )
        pk = store.parse_request_id(request_id)
        comment = (comment or "").strip()
        current = self.get(actor, pk)
        if current.status != "pending":  # a late second click: say so before anything else
            raise already_decided(current.request_id, current.status)
        authorise(actor, current)  # fail fast before the engine runs; re-checked under the lock
        changes: list[Msg] = []
        if decision == "approve":
            changes, new = self._stale_reasons(actor, current, with_snapshot=True)
            if changes:
                current = self._reroute_if_needed(actor, current, new, _english(changes))
                authorise(actor, current)  # the re-routed open step may need more authority
            self._keep_for_higher(actor, current)
            if changes and not comment:
                said = [m.model_dump() for m in changes]
                raise Conflict(key="approvals.stale", params={"request_id": current.request_id, "reasons": said},
                               details=_english(changes))  # fmt: skip
        reasons = _english(changes)
        now = clock.now()
        with self.engine.begin() as conn:
            if not store.lock_pending(conn, pk):
                closed = store.load(conn, pk)
                raise already_decided(closed.request_id, closed.status)
            fresh = store.load(conn, pk)
            if expected_step is not None and fresh.current_step != expected_step:
                raise Conflict(key="approvals.step_closed", params={"step": expected_step, "request_id": fresh.request_id,
                               "current": fresh.current_step})  # fmt: skip
            step = authorise(actor, fresh)
            t = next_state(fresh, step, decision)  # type: ignore[arg-type]
            store.record_decision(conn, fresh, t, officer_id=actor.officer_id, officer_level=actor.approval_level,
                                  decision=decision, comment=comment, stale=bool(reasons), now=now)  # fmt: skip
            after = store.load(conn, pk)
            self.audit.record_in(
                conn, actor=actor, action="approval.decided", object_type="approval_request",
                object_id=after.request_id, before={"status": fresh.status, "current_step": fresh.current_step},
                after={"decision": decision, "step": step.step_no, "level": step.level, "comment": comment,
                       "status": after.status, "current_step": after.current_step, "stale_reasons": reasons},
                policy_version=self.policy.stamp,
            )  # fmt: skip
            if t.final_approval:
                apply_change(conn, after, adapter=self.adapter, audit=self.audit, actor=actor,
                             policy_version=self.policy.stamp)  # fmt: skip
        if t.final_approval:
            self.adapter.mark_changed()  # committed: cached results and cards see the new limit now
        after = after.model_copy(update={"stale_reasons": reasons, "stale_msgs": changes})
        if t.opened_step is not None:
            self._notify_step(after)
        if after.status != "pending":
            self._safely(lambda: self.notifier.request_decided(after))
        return after

    def staleness(self, actor: Actor, request_id: str | int) -> ApprovalRequestView:
        """The request with `stale_reasons` filled from a fresh run of the engine."""
        view = self.get(actor, request_id)
        if view.status != "pending":
            return view
        changes = self._stale_reasons(actor, view)
        return view.model_copy(update={"stale_reasons": _english(changes), "stale_msgs": changes})

    def _stale_reasons(self, actor: Actor, view: ApprovalRequestView, *, with_snapshot: bool = False) -> Any:
        pk = store.parse_request_id(view.request_id)
        with self.engine.connect() as conn:
            old = Snapshot.model_validate_json(store.snapshot_json(conn, pk))
        target = view.new_limit if view.new_limit is not None else old.facility_limit
        new = self._snapshot(actor, view.client_id, view.facility_id, target, exclude=pk)
        reasons = stale_reasons(old, new, self.policy.authority.stale)
        return (reasons, new) if with_snapshot else reasons

    def _reroute_if_needed(self, actor: Actor, view: ApprovalRequestView, new: Snapshot,
                           reasons: list[str]) -> ApprovalRequestView:  # fmt: skip
        """A request whose basis changed is routed again on the fresh figures: a higher level required now
        replaces the steps not yet signed (committed and audited, whatever the decision does next)."""
        exceptions, chosen = self._route(view.kind, new)
        if chosen.required_level <= view.required_level:
            return view
        pk = store.parse_request_id(view.request_id)
        now = clock.now()
        name = self.policy.authority.get(chosen.required_level).name
        rerouted = Msg(key="engine.route.rerouted", params={"level": named(LEVEL, name)})
        routing = [*view.routing, render(rerouted, "en"), *chosen.reasons]
        coded = [*view.routing_msgs, rerouted, *chosen.reason_msgs] if view.routing_msgs else []
        values = {
            "required_level": chosen.required_level, "group_exposure_after": new.routed_exposure,
            "grade": new.grade, "recommended": new.recommended,
            "exceptions_json": canonical_json([e.model_dump(mode="json") for e in exceptions]),
            "routing_json": store.routing_json(routing, coded),
            "snapshot_json": canonical_json(new.model_dump(mode="json")), "snapshot_hash": digest(new),
        }  # fmt: skip
        with self.engine.begin() as conn:
            if not store.lock_pending(conn, pk):
                return store.load(conn, pk)
            store.reroute(conn, store.load(conn, pk), chosen.steps, values, now)
            after = store.load(conn, pk)
            self.audit.record_in(
                conn, actor=actor, action="approval.rerouted", object_type="approval_request",
                object_id=after.request_id, before={"required_level": view.required_level,
                                                    "steps": [f"{s.step_no}:{s.name}" for s in view.steps]},
                after={"required_level": after.required_level, "steps": [f"{s.step_no}:{s.name}" for s in after.steps],
                       "stale_reasons": reasons, "exceptions": [e.code.value for e in exceptions]},
                data=new, policy_version=self.policy.stamp,
            )  # fmt: skip
        self._notify_step(after)
        return after

    def _keep_for_higher(self, actor: Actor, view: ApprovalRequestView) -> None:
        """A signer who may also sign a later step is kept for it while someone else can sign this one; if
        signing now would leave a later step with too few eligible approvers, say so before deciding."""
        step = view.open_step
        if step is None:
            return
        later = [s for s in view.steps if s.step_no > step.step_no]
        if not later:
            return
        others_here = [o for o in self.approvers_for(view) if o.officer_id != actor.officer_id]
        decided = {d.officer_id for d in view.decisions} | {view.raised_by, actor.officer_id}
        for s in later:
            team_ok = not s.same_team or actor.team == view.officer_team
            if actor.approval_level >= s.level and team_ok and others_here:
                raise Forbidden(key="engine.chain.kept_for_higher", params={"step": s.step_no, "name": named(LEVEL, s.name),
                                "lower": named(LEVEL, step.name), "names": [o.name for o in others_here]})  # fmt: skip
            pool = [o for o in self.adapter.list_officers(team=view.officer_team if s.same_team else None)
                    if o.active and o.approval_level >= s.level and o.officer_id not in decided]  # fmt: skip
            if len(pool) < s.quorum - s.approvals:
                raise Forbidden(
                    key="engine.chain.nobody_left", params={"step": s.step_no, "name": named(LEVEL, s.name)}
                )

    # --- reading ------------------------------------------------------------------------------
    def get(self, actor: Actor, request_id: str | int) -> ApprovalRequestView:
        with self.engine.connect() as conn:
            view = store.load(conn, store.parse_request_id(request_id))
        if view.raised_by != actor.officer_id and not actor.book_wide:  # an approval level is not book-wide
            get_client_for(actor, self.adapter, view.client_id)  # scope: the client's team
        return view

    def list_raised_by(self, actor: Actor, *, limit: int = 100) -> list[ApprovalRequestView]:
        with self.engine.connect() as conn:
            return store.load_many(conn, store.ids_raised_by(conn, actor.officer_id, limit))

    def list_for_client(self, actor: Actor, client_id: int, *, limit: int = 20) -> list[ApprovalRequestView]:
        """The client's requests, open and past, newest first (the actor must see the client)."""
        get_client_for(actor, self.adapter, client_id)
        with self.engine.connect() as conn:
            return store.load_many(conn, store.ids_for_client(conn, client_id, limit))

    def list_awaiting(self, actor: Actor) -> list[ApprovalRequestView]:
        """Pending requests whose open step this actor may decide now."""
        if actor.approval_level == 0:
            return []
        with self.engine.connect() as conn:
            views = store.load_many(conn, store.pending_ids_up_to_level(conn, actor.approval_level))
        return [v for v in views if _may_decide(actor, v)]

    def list_all(
        self, actor: Actor, *, status: str | None = None, limit: int = 100
    ) -> list[ApprovalRequestView]:
        """Every request (approvers, risk, audit and admin only)."""
        if actor.approval_level == 0 and not actor.book_wide:
            raise Forbidden(key="approvals.list_all_role")
        with self.engine.connect() as conn:
            return store.load_many(conn, store.ids_by_status(conn, status, limit))

    def overdue(self, *, now: dt.datetime | None = None) -> list[ApprovalRequestView]:
        """Pending requests whose open step is past its SLA (`due_at`), oldest first (no actor: a job)."""
        now = now or clock.now()
        with self.engine.connect() as conn:
            views = store.load_many(conn, store.ids_by_status(conn, "pending", OVERDUE_SCAN_LIMIT))
        late = [v for v in views if v.open_step and v.open_step.due_at and v.open_step.due_at < now]
        return sorted(late, key=lambda v: v.open_step.due_at)  # type: ignore[union-attr, arg-type, return-value]

    def remind_overdue(self, *, now: dt.datetime | None = None) -> list[ApprovalRequestView]:
        """Remind the approvers of every overdue step (the notifier keeps it to once a day per step)."""
        late = self.overdue(now=now)
        for view in late:
            approvers = self.approvers_for(view)
            self._safely(
                lambda view=view, approvers=approvers: self.notifier.request_overdue(view, approvers)
            )
        return late

    def deliver_outbox(self, *, now: dt.datetime | None = None) -> list[OutboxEntry]:
        """Send approved changes waiting for an external CRM (retried with back-off; never twice)."""
        return deliver_due(self.engine, self.adapter, self.audit, now=now)

    # --- notifications ------------------------------------------------------------------------
    def approvers_for(self, view: ApprovalRequestView) -> list[Officer]:
        step = view.open_step
        if step is None:
            return []
        decided = {d.officer_id for d in view.decisions} | {view.raised_by}
        return [
            o for o in self.adapter.list_officers(team=view.officer_team if step.same_team else None)
            if o.active and o.approval_level >= step.level and o.officer_id not in decided
        ]  # fmt: skip

    def _notify_step(self, view: ApprovalRequestView) -> None:
        approvers = self.approvers_for(view)
        self._safely(lambda: self.notifier.request_needs_decision(view, approvers))

    @staticmethod
    def _safely(send: Callable[[], object]) -> None:
        """A notification never undoes a committed state change: failures are logged."""
        try:
            send()
        except Exception:
            log.exception("approval notification failed")


def _english(messages: list[Msg]) -> list[str]:
    """Coded messages in English: what the stored request, the audit trail and API clients keep."""
    return [render(m, "en") for m in messages]


def _may_decide(actor: Actor, view: ApprovalRequestView) -> bool:
    try:
        authorise(actor, view)
    except (Forbidden, Conflict):
        return False
    return True


def _summary(view: ApprovalRequestView) -> dict[str, Any]:
    return {
        "client_id": view.client_id, "facility_id": view.facility_id, "kind": view.kind,
        "currency": view.currency, "current_limit": str(view.current_limit),
        "new_limit": None if view.new_limit is None else str(view.new_limit),
        "group_exposure_after": str(view.group_exposure_after), "grade": view.grade,
        "required_level": view.required_level, "exceptions": [e.code.value for e in view.exceptions],
        "steps": [f"{s.step_no}:{s.name}" for s in view.steps], "reason": view.reason, "memo_id": view.memo_id,
    }  # fmt: skip
