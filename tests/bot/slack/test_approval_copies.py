"""Approval messages never go stale: one DM per approver per step, every copy updated when its step is
decided, a click on a closed step refused, Home-tab decisions re-publish the tab, and a double
confirmation of one suggestion raises one request."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.slack.ids import ActionId, BlockId, ViewId
from bot.slack.store import approval_messages, store_value
from tests.bot.slack.conftest import SlackHarness, click_on, slack_id
from tests.bot.slack.payloads import payload

pytestmark = pytest.mark.server
STEP_ONE = (
    "bu.head",
    "cco",
    "committee.1",
    "committee.2",
    "committee.3",
)  # level >= 2 (by hand, officers.csv)


def raise_increase(slack: SlackHarness) -> str:
    """A 2M increase of ACME: Business-unit head → Chief credit officer → Credit committee (quorum 3)."""
    request = slack.container.approvals.raise_request(
        slack.container.actor("rm.anna"), client_id=1001, facility_id="F-1001-1", kind="increase",
        new_limit=2_000_000, reason="new contract", idempotency_key="copies-1",
    )  # fmt: skip
    return request.request_id


def dms_to(slack: SlackHarness, officer_id: str) -> list[dict[str, Any]]:
    user = slack_id(slack.container, officer_id)
    return [p for p in slack.fake.of("chat.postMessage") if p["channel"] == user and p.get("blocks")]


def test_each_step_dms_each_approver_once_and_every_copy_is_updated_when_it_closes(
    slack: SlackHarness,
) -> None:
    request_id = raise_increase(slack)
    slack.fake.wait_for("chat.postMessage", count=len(STEP_ONE))
    for officer in STEP_ONE:
        assert len(dms_to(slack, officer)) == 1
    recorded = approval_messages(slack.container.engine, request_id)
    assert sorted(m.step_no for m in recorded) == [1] * 5 and all(m.ts for m in recorded)
    slack.container.approvals.remind_overdue()  # nothing overdue yet: no extra copies
    slack.container.notifier.request_needs_decision(  # a repeated notification sends nothing new
        slack.container.approvals.get(slack.container.actor("cco"), request_id),
        slack.container.approvals.approvers_for(slack.container.approvals.get(slack.container.actor("cco"), request_id)),
    )  # fmt: skip
    assert len(slack.fake.of("chat.postMessage")) == 5

    (bu_copy,) = dms_to(slack, "bu.head")
    click_on(slack, slack_id(slack.container, "bu.head"), ActionId.APPROVE, bu_copy)
    updates = slack.fake.wait_for("chat.update", count=5)
    assert {(u["channel"], u["ts"]) for u in updates} == {(m.channel, m.ts) for m in recorded}
    for update in updates:
        assert not any(b["type"] == "actions" for b in update["blocks"])  # no live buttons left
        assert "Step 1" in json.dumps(update["blocks"]) and "Chief credit officer" in json.dumps(
            update["blocks"]
        )
    step_two = slack.fake.wait_until("chat.postMessage", lambda p: "step 2" in p["text"])
    assert step_two["channel"] == slack_id(slack.container, "cco")

    # committee.1 clicks the (now closed) step-1 copy: refused, nothing decided
    (stale,) = [p for p in dms_to(slack, "committee.1") if "step 1" in p["text"]]
    click_on(slack, slack_id(slack.container, "committee.1"), ActionId.APPROVE, stale)
    refused = slack.fake.wait_for("response/action")[0]
    assert "Step 1" in refused["text"] and "already closed" in refused["text"]
    view = slack.container.approvals.get(slack.container.actor("cco"), request_id)
    assert view.current_step == 2 and [d.officer_id for d in view.decisions] == ["bu.head"]


def test_a_committee_member_approval_short_of_quorum_updates_only_their_copy(slack: SlackHarness) -> None:
    request_id = raise_increase(slack)
    for officer in ("bu.head", "cco"):
        slack.container.approvals.decide(slack.container.actor(officer), request_id, decision="approve")
    slack.fake.wait_until("chat.postMessage", lambda p: "step 3" in p["text"])
    slack.fake.reset()
    copies = [m for m in approval_messages(slack.container.engine, request_id) if m.step_no == 3]
    assert sorted(m.officer_id for m in copies) == ["committee.1", "committee.2", "committee.3"]
    mine = next(m for m in copies if m.officer_id == "committee.1")
    value = f"{request_id}:3"
    slack.click(slack_id(slack.container, "committee.1"), ActionId.APPROVE, value, channel=mine.channel,
                message_ts=mine.ts)  # fmt: skip
    (update,) = slack.fake.wait_for("chat.update")
    assert (update["channel"], update["ts"]) == (mine.channel, mine.ts)
    assert "2 more needed" in json.dumps(update["blocks"])
    slack.fake.settle(0.3)
    assert len(slack.fake.of("chat.update")) == 1  # the other members' copies keep their buttons


def test_a_decision_in_the_home_tab_works_and_republishes_it(slack: SlackHarness) -> None:
    request = slack.container.approvals.raise_request(
        slack.container.actor("rm.anna"), client_id=1001, facility_id="F-1001-1", kind="decrease",
        new_limit=100_000, reason="lower utilisation", idempotency_key="home-1",
    )  # fmt: skip
    lead = slack_id(slack.container, "lead.north")
    slack.event({"type": "app_home_opened", "user": lead, "channel": "D1", "tab": "home"}, event_id="EvH1")
    home = slack.fake.wait_for("views.publish")[0]["view"]
    actions = next(b for b in home["blocks"] if b["type"] == "actions")
    value = next(e["value"] for e in actions["elements"] if e["action_id"] == ActionId.APPROVE)
    assert value == f"{request.request_id}:1"
    body = payload("block_actions_home", user=lead, action_id=ActionId.APPROVE, value=value)
    assert slack.interaction(body).status == 200
    republished = slack.fake.wait_for("views.publish", count=2)[1]
    assert republished["user_id"] == lead
    values = [
        e.get("value") for b in republished["view"]["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert value not in values  # the decided step's buttons are gone
    assert f"decision on request {request.request_id}" in json.dumps(republished["view"])
    assert (
        slack.container.approvals.get(slack.container.actor("rm.anna"), request.request_id).status
        == "approved"
    )
    told = slack.fake.wait_until("chat.postMessage", lambda p: p["channel"] == slack_id(slack.container, "rm.anna")
                                 and "approved" in p["text"])  # fmt: skip
    assert told


def test_two_confirmations_of_one_suggestion_raise_one_request(slack: SlackHarness) -> None:
    anna = slack_id(slack.container, "rm.anna")
    suggestion = {"client_id": 1001, "facility_id": "F-1001-1", "kind": "increase", "new_limit": "5000000",
                  "reason": "new contract with X"}  # fmt: skip
    value_id = store_value(slack.container.engine, "rm.anna", suggestion)
    for _ in range(2):  # "Raise approval request" clicked twice: two modals
        slack.click(anna, f"{ActionId.OPEN_RAISE_REQUEST}:0", value_id)
    views = [c["view"] for c in slack.fake.wait_for("views.open", count=2)]
    assert all(v["private_metadata"] == value_id and v["callback_id"] == ViewId.RAISE_REQUEST for v in views)
    for n, view in enumerate(views):
        state = {BlockId.AMOUNT: {BlockId.AMOUNT: {"type": "plain_text_input", "value": "5M"}},
                 BlockId.REASON: {BlockId.REASON: {"type": "plain_text_input", "value": "new contract with X"}}}  # fmt: skip
        body = {"type": "view_submission", "user": {"id": anna}, "trigger_id": "t",
                "view": {**view, "id": f"V-two-{n}", "state": {"values": state}}}  # fmt: skip
        response = slack.interaction(body)
        assert response.status == 200 and response.body == ""
    slack.fake.wait_until("chat.postMessage", lambda p: p["channel"] == anna and "AR-1" in p["text"])
    slack.fake.settle(0.5)  # a submission slower than the inline budget finishes after its ack
    raised = slack.container.approvals.list_raised_by(slack.container.actor("rm.anna"))
    assert [r.request_id for r in raised] == ["AR-1"]
