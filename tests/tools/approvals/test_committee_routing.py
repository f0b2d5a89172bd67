"""Routing a credit committee can sign off (issue #15): the group's pending requests count in the band,
a request whose basis changed is re-routed, arrears / a proposed freeze / an overdue review escalate and
are named on the request, and a chain never deadlocks.

Demo figures used (tests/tools/approvals/conftest.py): 1024 has a 700,000 limit (recommendation 1.96M),
1095 a 1,880,000 limit (recommendation 5.6M); both rm.anna's, grade 3, no group.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import text

from kernel.errors import Forbidden
from tests.conftest import AS_OF
from tests.tools.approvals.conftest import CLEAN_MID, CLEAN_SMALL, decide, raise_for


def _group(c, *client_ids: int) -> None:  # type: ignore[no-untyped-def]
    with c.engine.begin() as conn:
        conn.execute(text("INSERT INTO client_groups (group_id, name) VALUES ('G-SPLIT', 'Split Holdings')"))
        for cid in client_ids:
            conn.execute(text("UPDATE clients SET group_id = 'G-SPLIT' WHERE client_id = :c"), {"c": cid})
    c.adapter.mark_changed()


def test_splitting_across_the_group_no_longer_dodges_the_matrix(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    _group(c, 1024, 1095)
    # A: 1095 to 3,500,000 → group after = 3,500,000 + 700,000 (1024) = 4,200,000 ≤ 5M → BU head alone
    a = raise_for(c, CLEAN_MID, "3500000")
    assert a.group_exposure_after == Decimal("4200000.00") and [s.level for s in a.steps] == [2]
    # B: 1024 to 1,700,000 → the book after = 1,700,000 + 1,880,000 = 3,580,000, plus A pending
    # (3,500,000 − 1,880,000 = 1,620,000) = 5,200,000 > 5M → BU head → CCO
    b = raise_for(c, CLEAN_SMALL, "1700000")
    assert b.group_exposure_after == Decimal("5200000.00")
    assert [s.level for s in b.steps] == [2, 3]
    assert a.request_id in b.routing[0] and "pending" in b.routing[0]


def test_a_request_whose_basis_changed_is_rerouted(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    _group(c, 1024, 1095)
    # A: 1095 to 3,000,000 → 3,000,000 + 700,000 = 3,700,000 → BU head alone
    a = raise_for(c, CLEAN_MID, "3000000")
    assert [s.level for s in a.steps] == [2]
    # then B takes 1024 to 2,400,000 (pending): for A the group now reaches 3,000,000 + 700,000 (1024's
    # current limit) + B's increase (2,400,000 − 700,000 = 1,700,000) = 5,400,000 > 5M → CCO band
    raise_for(c, CLEAN_SMALL, "2400000")
    done = decide(c, "bu.head", a.request_id, comment="seen the group's other request")
    # re-routed to BU head → CCO before the BU head's approval counted: step 1 approved, step 2 (CCO) open
    assert [(s.level, s.status) for s in done.steps] == [(2, "approved"), (3, "open")]
    assert done.status == "pending" and done.required_level == 3
    assert done.group_exposure_after == Decimal("5400000.00")
    assert c.adapter.get_facility("F-1095-1").limit_amount == Decimal("1880000.00")  # nothing applied yet
    actions = [e.action for e in c.audit.events_for("approval_request", a.request_id)]
    assert actions == ["approval.raised", "approval.rerouted", "approval.decided"]


def test_arrears_and_a_proposed_freeze_escalate_and_are_named(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    due = AS_OF - dt.timedelta(days=72)  # unpaid for 72 days: > 30 (exception) and ≥ 60 (freeze)
    with c.engine.begin() as conn:
        conn.execute(text("INSERT INTO repayment_events (facility_id, due_date, client_id, amount_due, paid_date, "
                          "amount_paid) VALUES ('F-1024-1', :d, 1024, 25000, NULL, 0)"), {"d": due})  # fmt: skip
    c.adapter.mark_changed()
    view = raise_for(c, CLEAN_SMALL, "900000")  # 900,000 alone would be the team lead's
    codes = {e.code.value: e.message for e in view.exceptions}
    assert "72 days past due" in codes["past_due"] and "freeze_proposed" in codes
    assert view.required_level == 3 and [s.level for s in view.steps] == [2, 3]  # past_due / freeze: level 3


def test_an_overdue_review_escalates(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    # grade 3 reviews every 12 months: last review 26 Jun 2025 → due 26 Jun 2026 → 155 days overdue on 28 Nov
    with c.engine.begin() as conn:
        conn.execute(text("UPDATE clients SET last_review_date = '2025-06-26' WHERE client_id = 1024"))
    c.adapter.mark_changed()
    view = raise_for(c, CLEAN_SMALL, "900000")
    codes = {e.code.value: e.message for e in view.exceptions}
    assert "155 days overdue" in codes["review_overdue"]
    assert [s.level for s in view.steps] == [2]  # team lead + 1 notch → BU head


def test_a_signer_who_outranks_the_step_is_kept_for_the_higher_step(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    view = raise_for(c, CLEAN_MID, "5000000.01")  # BU head → CCO
    with pytest.raises(Forbidden, match="kept for it") as err:
        decide(c, "cco", view.request_id)  # signing step 1 would bar the CCO from step 2
    assert "Marta Lindqvist" in str(err.value)  # who can sign step 1 instead
    assert decide(c, "bu.head", view.request_id).current_step == 2
    assert decide(c, "cco", view.request_id).status == "approved"
