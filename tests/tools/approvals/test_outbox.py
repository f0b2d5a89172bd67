"""An external CRM (no in-transaction update): approved changes go through the outbox, retried, never twice."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from kernel.errors import UpstreamUnavailable
from tests.tools.approvals.conftest import CLEAN_MID, CLEAN_SMALL, decide, raise_for
from tools.approvals.outbox import entries


class ExternalCRM:
    """The built-in store seen as a remote CRM: no `update_limit_in`, and it can be down."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.down = False
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        if name == "update_limit_in":
            raise AttributeError(name)
        return getattr(self._inner, name)

    def update_limit(
        self, facility_id: str, new_limit: Decimal, *, expected_current: Decimal | None = None
    ) -> Any:
        self.calls += 1
        if self.down:
            raise UpstreamUnavailable("CRM API timed out")
        return self._inner.update_limit(facility_id, new_limit, expected_current=expected_current)


def test_an_approved_change_is_queued_retried_delivered_once_and_audited(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    crm = ExternalCRM(c.adapter)
    c.approvals.adapter = crm
    view = raise_for(c, CLEAN_SMALL, "900000")
    assert decide(c, "lead.north", view.request_id).status == "approved"
    assert c.adapter.get_facility(CLEAN_SMALL[1]).limit_amount == Decimal("700000.00")  # not yet in the CRM
    (queued,) = entries(c.engine)
    assert queued.status == "pending" and queued.request_id == view.request_id

    now = dt.datetime.now(dt.UTC)
    crm.down = True
    (first,) = c.approvals.deliver_outbox(now=now)
    assert first.status == "pending" and first.attempts == 1 and "timed out" in (first.last_error or "")
    assert c.approvals.deliver_outbox(now=now) == []  # backing off: not due yet
    crm.down = False
    (second,) = c.approvals.deliver_outbox(now=now + dt.timedelta(minutes=2))
    assert second.status == "delivered" and second.attempts == 2
    assert c.adapter.get_facility(CLEAN_SMALL[1]).limit_amount == Decimal("900000.00")
    assert c.approvals.deliver_outbox(now=now + dt.timedelta(days=1)) == []  # never twice
    assert crm.calls == 2
    actions = [e.action for e in c.audit.events_for("facility", CLEAN_SMALL[1])]
    assert actions == ["crm.change_queued", "limit.changed"]
    assert c.audit.verify().ok

    # the CRM applied it but the acknowledgement was lost: the retry finds the value there, applies nothing
    with c.engine.begin() as conn:
        conn.execute(
            text("UPDATE crm_outbox SET status = 'pending' WHERE request_id = :r"), {"r": view.request_id}
        )
    (again,) = c.approvals.deliver_outbox(now=now + dt.timedelta(days=2))
    assert again.status == "delivered"
    assert c.adapter.get_facility(CLEAN_SMALL[1]).limit_amount == Decimal("900000.00")


def test_a_change_the_crm_moved_meanwhile_fails_for_a_person(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    c.approvals.adapter = ExternalCRM(c.adapter)
    view = raise_for(c, CLEAN_MID, "3000000")
    decide(c, "bu.head", view.request_id)
    c.adapter.update_limit(CLEAN_MID[1], Decimal("1500000"))  # someone changed it in the CRM directly
    (result,) = c.approvals.deliver_outbox(now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1))
    assert result.status == "failed" and "changed since the request" in (result.last_error or "")
    assert c.adapter.get_facility(CLEAN_MID[1]).limit_amount == Decimal("1500000.00")
    assert "crm.delivery_failed" in [e.action for e in c.audit.events_for("facility", CLEAN_MID[1])]


def test_a_deliverer_that_died_mid_send_is_taken_over_after_its_lease(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    crm = ExternalCRM(c.adapter)
    c.approvals.adapter = crm
    view = raise_for(c, CLEAN_SMALL, "900000")
    decide(c, "lead.north", view.request_id)
    now = dt.datetime.now(dt.UTC)
    original = c.audit.record_in
    c.audit.record_in = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("process killed"))  # type: ignore[method-assign]
    with contextlib.suppress(RuntimeError):
        c.approvals.deliver_outbox(now=now)
    c.audit.record_in = original  # type: ignore[method-assign]
    (stuck,) = entries(c.engine)
    assert stuck.status == "sending"  # the CRM got the change; the acknowledgement was never written
    assert c.approvals.deliver_outbox(now=now + dt.timedelta(minutes=5)) == []  # still within the lease
    (taken,) = c.approvals.deliver_outbox(now=now + dt.timedelta(minutes=11))
    assert taken.status == "delivered"  # found already there: not applied twice
    assert c.adapter.get_facility(CLEAN_SMALL[1]).limit_amount == Decimal("900000.00")
