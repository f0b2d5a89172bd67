"""ApprovalService on the demo book: routing at the bands, chain, quorum, maker-checker, idempotency,
bad input, staleness, the CRM change applied once, and the audit trail of every step."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.conftest import actor_of
from tests.tools.approvals.conftest import CLEAN_MID, CLEAN_SMALL, WEAK, count_rows, decide, raise_for
from tools.access import OutOfScope

TABLES = ("approval_requests", "approval_steps", "approval_decisions", "audit_events")


def snapshot_counts(c) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    return tuple(count_rows(c, t) for t in TABLES)


@pytest.mark.parametrize(
    ("client", "amount", "chain"),
    [
        (CLEAN_SMALL, "1000000", [1]),
        (CLEAN_SMALL, "1000000.01", [2]),
        (CLEAN_MID, "5000000", [2]),
        (CLEAN_MID, "5000000.01", [2, 3]),
    ],
)
def test_band_boundaries_on_group_exposure_after(demo_container, client, amount, chain) -> None:  # type: ignore[no-untyped-def]
    view = raise_for(demo_container, client, amount)
    assert view.group_exposure_after == Decimal(amount)
    assert [s.level for s in view.steps] == chain and view.exceptions == []
    assert view.status == "pending" and view.steps[0].status == "open" and view.steps[0].due_at is not None


def test_team_lead_approves_and_the_limit_changes_once_with_audit(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    view = raise_for(c, CLEAN_SMALL, "900000")
    with pytest.raises(Forbidden, match="team"):
        decide(c, "lead.south", view.request_id)  # a team lead of another team
    done = decide(c, "lead.north", view.request_id, comment="ok")
    assert done.status == "approved" and done.applied_at is not None
    assert c.adapter.get_facility("F-1024-1").limit_amount == Decimal("900000.00")
    with pytest.raises(Conflict, match="already approved"):
        decide(c, "bu.head", view.request_id)
    actions = [e.action for e in c.audit.events_for("approval_request", view.request_id)]
    assert actions == ["approval.raised", "approval.decided"]
    (changed,) = c.audit.events_for("facility", "F-1024-1")
    assert changed.action == "limit.changed" and changed.before == {"currency": "USD", "limit": "700000.00"}
    assert c.audit.verify().ok


def test_chain_with_escalations_and_committee_quorum(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    view = raise_for(c, WEAK, "300000")  # grade 8, above recommendation, insurance missing → committee
    # ACME Holdings has no financial statements on file: that is an exception too (issue #15)
    assert {e.code.value for e in view.exceptions} == {
        "above_recommendation",
        "insurance_missing",
        "no_statements",
    }
    assert [s.level for s in view.steps] == [2, 3, 4] and view.steps[-1].quorum == 3
    with pytest.raises(Forbidden, match="maker-checker"):
        decide(c, "rm.anna", view.request_id)
    with pytest.raises(Forbidden, match="level 2"):
        decide(c, "lead.north", view.request_id)  # below the required level
    assert decide(c, "bu.head", view.request_id).current_step == 2
    with pytest.raises(Forbidden, match="level 3"):
        decide(c, "lead.north", view.request_id)
    assert decide(c, "cco", view.request_id).current_step == 3
    with pytest.raises(Conflict, match="counts once"):
        decide(c, "cco", view.request_id)  # a person counts once in the chain
    assert [v.request_id for v in c.approvals.list_awaiting(actor_of(c, "committee.1"))] == [view.request_id]
    assert decide(c, "committee.1", view.request_id).steps[2].approvals == 1
    assert decide(c, "committee.2", view.request_id).status == "pending"
    assert c.adapter.get_facility("F-1001-1").limit_amount == Decimal("240000.00")
    final = decide(c, "committee.3", view.request_id)
    assert final.status == "approved" and [s.status for s in final.steps] == ["approved"] * 3
    assert c.adapter.get_facility("F-1001-1").limit_amount == Decimal("300000.00")
    assert c.approvals.list_awaiting(actor_of(c, "committee.1")) == []


def test_reject_and_return_close_the_request_without_changing_the_crm(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    a = raise_for(c, CLEAN_MID, "3000000")
    assert decide(c, "bu.head", a.request_id, "reject", "no").status == "rejected"
    b = raise_for(c, CLEAN_MID, "3000000")
    assert decide(c, "bu.head", b.request_id, "return", "need statements").status == "returned"
    assert c.adapter.get_facility("F-1095-1").limit_amount == Decimal("1880000.00")
    with pytest.raises(Conflict, match="already returned"):
        decide(c, "cco", b.request_id)


def test_same_idempotency_key_returns_the_original_and_a_different_body_conflicts(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    first = raise_for(c, CLEAN_SMALL, "800000", key="slack-view:V1")
    again = raise_for(c, CLEAN_SMALL, "800000", key="slack-view:V1")
    assert again.request_id == first.request_id and count_rows(c, "approval_requests") == 1
    with pytest.raises(Conflict, match="different request"):
        raise_for(c, CLEAN_SMALL, "850000", key="slack-view:V1")
    assert count_rows(c, "approval_requests") == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"new_limit": "-5"}, InvalidInput, "new_limit"),
        ({"new_limit": "five million"}, InvalidInput, "new_limit"),
        ({"new_limit": "1e16"}, InvalidInput, "new_limit"),  # above any real limit (all front doors)
        ({"new_limit": "600000"}, InvalidInput, "new_limit"),  # an "increase" below the current limit
        ({"client_id": 999999}, NotFound, None),
        ({"facility_id": "F-NOPE"}, NotFound, None),
        ({"kind": "double"}, InvalidInput, "kind"),
        ({"reason": "  "}, InvalidInput, "reason"),
        ({"idempotency_key": ""}, InvalidInput, "idempotency_key"),
        ({"kind": "freeze", "new_limit": "1"}, InvalidInput, "new_limit"),
        ({"kind": "unfreeze", "new_limit": None}, Conflict, None),  # not frozen
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(demo_container, kwargs, error, field) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    args = {"client_id": 1024, "facility_id": "F-1024-1", "kind": "increase", "new_limit": "900000",
            "reason": "x", "idempotency_key": "k"} | kwargs  # fmt: skip
    before = snapshot_counts(c)
    with pytest.raises(error) as info:
        c.approvals.raise_request(actor_of(c, "rm.anna"), **args)
    assert info.value.field == field or field is None
    assert snapshot_counts(c) == before


def test_bad_decisions_write_nothing(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    view = raise_for(c, CLEAN_SMALL, "900000")
    before = snapshot_counts(c)
    with pytest.raises(InvalidInput):
        decide(c, "lead.north", view.request_id, "maybe")
    with pytest.raises(NotFound):
        decide(c, "lead.north", "AR-9999")
    with pytest.raises(InvalidInput):
        decide(c, "lead.north", "banana")
    assert snapshot_counts(c) == before


def test_outsiders_cannot_raise_or_see(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    with pytest.raises(OutOfScope):  # looks like a missing client (issue 17: no probing)
        raise_for(c, (1002, "F-1002-1"), "9000000")  # ACME Logistics is team South's
    with pytest.raises(Forbidden):
        raise_for(c, CLEAN_SMALL, "900000", by="audit.ravi")
    view = raise_for(c, CLEAN_SMALL, "900000")
    with pytest.raises(OutOfScope):
        c.approvals.get(actor_of(c, "rm.south.001"), view.request_id)
    # an RM who leads a team (an approval level, not a book-wide role) sees only their own team's requests
    from sqlmodel import Session

    from crm_adapter.models import OfficerRow

    with Session(c.engine) as s:
        s.add(
            OfficerRow(
                officer_id="rm.lead.south", name="South Lead", role="rm", team="South", approval_level=1
            )
        )
        s.commit()
    with pytest.raises(OutOfScope):
        c.approvals.get(actor_of(c, "rm.lead.south"), view.request_id)


def test_freeze_and_unfreeze_apply_the_status(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    freeze = raise_for(c, WEAK, None, kind="freeze", reason="60 DPD")
    assert [s.level for s in freeze.steps] == [1]
    decide(c, "lead.north", freeze.request_id)
    assert str(c.adapter.get_facility("F-1001-1").status) == "frozen"
    unfreeze = raise_for(c, WEAK, None, kind="unfreeze", reason="cured")
    assert "frozen_facility" in {e.code.value for e in unfreeze.exceptions}
    assert unfreeze.required_level >= 3


def test_stale_request_is_flagged_and_needs_an_acknowledging_comment(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    view = raise_for(c, CLEAN_MID, "3000000")
    c.adapter.update_limit("F-1095-1", Decimal("1500000"))  # the data moved under the request
    flagged = c.approvals.staleness(actor_of(c, "bu.head"), view.request_id)
    assert any("limit changed" in r for r in flagged.stale_reasons)
    with pytest.raises(Conflict, match="stale"):
        decide(c, "bu.head", view.request_id)
    # The basis changed: the drawings now exceed the lowered 1.5M limit (a red limit excess), so the engine now
    # proposes a freeze, an exception at CCO level: the request is re-routed (not just flagged) before the
    # BU head's acknowledged approval counts, and then waits for the CCO (issue #15; this test used to
    # expect the BU head's approval to be final).
    rerouted = decide(c, "bu.head", view.request_id, comment="seen the change")
    assert [s.level for s in rerouted.steps] == [2, 3] and rerouted.status == "pending"
    assert "freeze_proposed" in {e.code.value for e in rerouted.exceptions}
    assert "approval.rerouted" in [e.action for e in c.audit.events_for("approval_request", view.request_id)]
    # acknowledged, but the CRM's limit is not the one the request was based on: refused, nothing written
    before = snapshot_counts(c)
    with pytest.raises(Conflict, match="changed since the request"):
        decide(c, "cco", view.request_id, comment="seen the change")
    assert snapshot_counts(c) == before
    assert decide(c, "cco", view.request_id, "return", "re-raise on the new limit").status == "returned"


def test_concurrent_approvals_produce_exactly_one_transition(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    view = raise_for(c, CLEAN_MID, "3000000")  # one BU-head step
    c.adapter.update_limit  # noqa: B018 - make sure the adapter is built before the threads start
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def click(who: str) -> None:
        barrier.wait()
        try:
            outcomes.append(decide(c, who, view.request_id).status)
        except (Conflict, Forbidden) as exc:
            outcomes.append(type(exc).__name__)

    # bu.head twice (double click) plus cco and a committee member, all level ≥ 2
    threads = [
        threading.Thread(target=click, args=(w,)) for w in ("bu.head", "bu.head", "cco", "committee.1")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["Conflict", "Conflict", "Conflict", "approved"]
    assert count_rows(c, "approval_decisions") == 1
    assert c.adapter.get_facility("F-1095-1").limit_amount == Decimal("3000000.00")
    assert [e.action for e in c.audit.events_for("facility", "F-1095-1")] == ["limit.changed"]
    assert c.audit.verify().ok


def test_routing_rests_on_fresh_data_not_on_cached_results(demo_container) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_container

    c = demo_container
    c.credit_engine.assess_client(
        actor_of(c, "rm.anna"), 1003, as_of=c.today()
    )  # the card was viewed: cached
    other = make_container(c.settings.home)  # meanwhile another process raises the client's second line
    other.adapter.update_limit("F-1003-2", Decimal("600000"))
    other.engine.dispose()
    view = raise_for(c, (1003, "F-1003-1"), "500000")
    assert view.group_exposure_after == Decimal("1100000.00")  # 500k + 600k, not 500k + the cached 180k
    assert view.required_level >= 2


def test_an_applied_approval_shows_on_the_card_at_once(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    anna = actor_of(c, "rm.anna")
    assert c.credit_engine.assess_client(anna, 1024, as_of=c.today()).exposure.total_limit == Decimal(
        "700000.00"
    )
    view = raise_for(c, CLEAN_SMALL, "900000")
    assert decide(c, "lead.north", view.request_id).status == "approved"
    assert c.credit_engine.assess_client(anna, 1024, as_of=c.today()).exposure.total_limit == Decimal(
        "900000.00"
    )


def test_overdue_steps_are_found_and_their_approvers_reminded(demo_container) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    c = demo_container
    view = raise_for(c, CLEAN_SMALL, "900000")
    due = view.steps[0].due_at
    assert due is not None
    due = due if due.tzinfo else due.replace(tzinfo=dt.UTC)
    assert c.approvals.overdue(now=due - dt.timedelta(minutes=1)) == []
    sent: list[tuple[str, list[str]]] = []

    class Recorder:
        def request_overdue(self, request, approvers) -> None:  # type: ignore[no-untyped-def]
            sent.append((request.request_id, [a.officer_id for a in approvers]))

    c.approvals.notifier = Recorder()
    late = c.approvals.remind_overdue(now=due + dt.timedelta(hours=1))
    assert [v.request_id for v in late] == [view.request_id]
    assert sent == [(view.request_id, ["lead.north"])]
    decide(c, "lead.north", view.request_id)
    assert c.approvals.overdue(now=due + dt.timedelta(days=3)) == []  # decided: nothing left to remind


def test_a_decision_for_a_step_that_closed_meanwhile_decides_nothing(demo_container) -> None:  # type: ignore[no-untyped-def]
    """A click on a stale copy names step 1; once step 1 is signed, it must not sign step 2 (#16)."""
    c = demo_container
    view = raise_for(c, CLEAN_MID, "5000000.01")  # chain: business-unit head (step 1), then the CCO (step 2)
    after_first = c.approvals.decide(
        actor_of(c, "bu.head"), view.request_id, decision="approve", expected_step=1
    )
    assert after_first.current_step == 2
    before = snapshot_counts(c)
    with pytest.raises(Conflict, match="step 1 .* is closed"):
        c.approvals.decide(actor_of(c, "cco"), view.request_id, decision="approve", expected_step=1)
    assert snapshot_counts(c) == before  # nothing recorded, step 2 still open
    assert c.approvals.get(actor_of(c, "cco"), view.request_id).current_step == 2


def test_the_clients_requests_newest_first_and_only_within_scope(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    first = raise_for(c, CLEAN_SMALL, "900000")
    decide(c, "lead.north", first.request_id, comment="ok")  # closed: the history keeps it
    second = raise_for(c, CLEAN_SMALL, "950000")
    raise_for(c, CLEAN_MID, "2000000")  # another client's request is not listed
    listed = c.approvals.list_for_client(actor_of(c, "rm.anna"), CLEAN_SMALL[0])
    assert [(v.request_id, v.status) for v in listed] == [
        (second.request_id, "pending"),
        (first.request_id, "approved"),
    ]
    with pytest.raises(OutOfScope):
        c.approvals.list_for_client(actor_of(c, "rm.south.001"), CLEAN_SMALL[0])  # another team's client
