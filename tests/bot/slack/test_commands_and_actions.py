"""/credit, approval buttons (authorised, unauthorised, double click), the raise-request modal, App Home."""

from __future__ import annotations

import json
import threading

import pytest

from bot.slack.ids import ActionId, BlockId, ViewId
from bot.slack.store import store_value
from tests.bot.slack.conftest import SlackHarness, click_on, slack_id

pytestmark = pytest.mark.server


def test_credit_profile_card_from_the_real_engine(slack: SlackHarness) -> None:
    response = slack.command(slack_id(slack.container, "rm.anna"), "ACME")
    assert response.status == 200 and response.body == ""  # acked at once; the card follows
    card = slack.fake.wait_for("response/cmd")[0]
    text = json.dumps(card["blocks"])
    assert "ACME Holdings" in text and "Utilisation" in text and "Grade" in text


def test_credit_watchlist_due_and_help(slack: SlackHarness) -> None:
    anna = slack_id(slack.container, "rm.anna")
    for text in ("watchlist", "due", "help"):
        slack.command(anna, text)
    replies = slack.fake.wait_for("response/cmd", count=3)
    rendered = json.dumps(replies)
    assert "/credit memo" in rendered
    assert ("Watch-list" in rendered) or ("watch-list" in rendered)
    assert "Reviews due" in rendered or "No reviews due" in rendered


def test_credit_memo_is_drafted_and_uploaded_to_the_officers_dm(slack: SlackHarness) -> None:
    anna = slack_id(slack.container, "rm.anna")
    slack.command(anna, "memo ACME")
    done = slack.fake.wait_for("files.completeUploadExternal")[0]
    assert done["channel_id"] == f"D{anna}"
    assert slack.fake.of("files.getUploadURLExternal")[0]["filename"] == "review-memo-1001-v3.pdf"
    assert slack.container.memos.drafted == [("rm.anna", 1001)]
    drafting, sent = slack.fake.wait_for("response/cmd", count=2)[:2]
    assert "Drafting" in drafting["text"]
    assert sent["replace_original"] is True and "in your DM" in sent["text"]  # "Drafting…" does not linger


def test_credit_memo_submit_drafts_submits_and_says_so(slack: SlackHarness) -> None:
    anna = slack_id(slack.container, "rm.anna")
    slack.command(anna, "memo submit ACME")
    done = slack.fake.wait_for("files.completeUploadExternal")[0]
    assert "Submitted review memo" in done["initial_comment"]
    assert slack.container.memos.drafted == [("rm.anna", 1001)]
    assert slack.container.memos.submitted == [("rm.anna", 7)]
    sent = slack.fake.wait_for("response/cmd", count=2)[1]
    assert sent["replace_original"] is True and "Review memo 7 (version 3) submitted" in sent["text"]


def test_credit_for_a_client_outside_the_portfolio_is_refused(slack: SlackHarness) -> None:
    other_team = next(
        c
        for c in slack.container.adapter.list_clients()
        if c.officer_id.startswith("rm.")
        and slack.container.adapter.get_officer(c.officer_id).team != "North"
    )
    slack.command(slack_id(slack.container, "rm.anna"), str(other_team.client_id))
    reply = slack.fake.wait_for("response/cmd")[0]
    assert reply["response_type"] == "ephemeral" and "not found" in reply["text"]
    assert "portfolio" not in reply["text"]


def raise_request(slack: SlackHarness, *, kind: str = "decrease", new_limit: int = 100_000) -> str:
    """A real request by rm.anna; a decrease of ACME's first line needs the team lead (level 1) only."""
    request = slack.container.approvals.raise_request(
        slack.container.actor("rm.anna"),
        client_id=1001,
        facility_id="F-1001-1",
        kind=kind,
        new_limit=new_limit,
        reason="lower utilisation",
        idempotency_key=f"k-{kind}-{new_limit}",
    )
    return request.request_id


def test_approver_gets_a_dm_approves_and_the_requester_is_told(slack: SlackHarness) -> None:
    request_id = raise_request(slack)
    lead = slack_id(slack.container, "lead.north")
    dm = slack.fake.wait_for("chat.postMessage")[0]
    assert dm["channel"] == lead and request_id in dm["text"]
    rendered = json.dumps(dm["blocks"])
    assert "ACME Holdings" in rendered and "Recommended" in rendered and "Approval chain" in rendered
    buttons = next(b for b in dm["blocks"] if b["type"] == "actions")["elements"]
    assert [b["action_id"] for b in buttons] == [ActionId.APPROVE, ActionId.REJECT, ActionId.RETURN]
    assert all("confirm" in b for b in buttons)

    click_on(slack, lead, ActionId.APPROVE, dm)
    update = slack.fake.wait_for("chat.update")[0]
    assert update["channel"] == lead and update["ts"] == slack.fake.posted_ts(dm)
    assert "approved" in json.dumps(update["blocks"])
    assert not any(b["type"] == "actions" for b in update["blocks"])  # no buttons left to click
    told = slack.fake.wait_for("chat.postMessage", count=2)[1]
    assert told["channel"] == slack_id(slack.container, "rm.anna") and "approved" in told["text"]
    assert slack.container.approvals.get(slack.container.actor("rm.anna"), request_id).status == "approved"


def test_a_large_increase_goes_to_the_business_unit_head_with_its_exceptions(slack: SlackHarness) -> None:
    raise_request(slack, kind="increase", new_limit=5_000_000)
    dm = slack.fake.wait_for("chat.postMessage")[0]
    assert dm["channel"] == slack_id(slack.container, "bu.head")
    assert "Policy exceptions" in json.dumps(dm["blocks"])


def test_clicks_without_authority_are_refused_with_the_reason(slack: SlackHarness) -> None:
    request_id = raise_request(slack, kind="increase", new_limit=5_000_000)
    value = f"{request_id}:1"
    slack.click(slack_id(slack.container, "rm.anna"), ActionId.APPROVE, value)  # the maker
    slack.click(slack_id(slack.container, "lead.north"), ActionId.APPROVE, value)  # level 1 < 2
    refused = [r["text"] for r in slack.fake.wait_for("response/action", count=2)]
    assert any("maker-checker" in r for r in refused)
    assert any("level 2" in r for r in refused)
    assert slack.fake.of("chat.update") == []
    assert slack.container.approvals.get(slack.container.actor("cco"), request_id).status == "pending"


def test_double_click_decides_once(slack: SlackHarness) -> None:
    raise_request(slack)
    lead = slack_id(slack.container, "lead.north")
    dm = slack.fake.wait_for("chat.postMessage")[0]
    clicks = [threading.Thread(target=click_on, args=(slack, lead, ActionId.APPROVE, dm)) for _ in range(2)]
    for t in clicks:
        t.start()
    for t in clicks:
        t.join()
    refused = slack.fake.wait_for("response/action")[0]
    assert refused["response_type"] == "ephemeral"
    slack.fake.settle(0.2)
    assert len(slack.fake.of("chat.update")) == 1
    click_on(slack, lead, ActionId.APPROVE, dm)  # a late third click
    late = slack.fake.wait_for("response/action", count=2)[1]
    assert "already closed" in late["text"] and "approved" in late["text"]


def test_suggested_action_opens_a_prefilled_modal_and_raises_on_submit(slack: SlackHarness) -> None:
    anna = slack_id(slack.container, "rm.anna")
    arguments = {
        "client_id": 1001,
        "facility_id": "F-1001-1",
        "kind": "increase",
        "new_limit": "5000000",
        "reason": "new contract with X",
    }
    slack.click(
        anna, f"{ActionId.OPEN_RAISE_REQUEST}:0", store_value(slack.container.engine, "rm.anna", arguments)
    )
    view = slack.fake.wait_for("views.open")[0]["view"]
    assert view["callback_id"] == ViewId.RAISE_REQUEST
    inputs = {
        b["block_id"]: b["element"].get("initial_value") for b in view["blocks"] if b["type"] == "input"
    }
    assert inputs == {BlockId.AMOUNT: "5000000", BlockId.REASON: "new contract with X"}

    def submit(amount: str) -> object:
        state = {
            BlockId.AMOUNT: {BlockId.AMOUNT: {"type": "plain_text_input", "value": amount}},
            BlockId.REASON: {BlockId.REASON: {"type": "plain_text_input", "value": "new contract with X"}},
        }
        return slack.interaction(
            {
                "type": "view_submission",
                "user": {"id": anna},
                "trigger_id": "t",
                "view": {**view, "id": "V123", "state": {"values": state}},
            }
        )

    bad = submit("lots")
    assert bad.status == 200 and json.loads(bad.body)["response_action"] == "errors"
    for absurd in ("1e20", "1e400", "-5M"):
        assert json.loads(submit(absurd).body)["response_action"] == "errors"
    assert submit("5.5M").status == 200
    slack.fake.wait_for("chat.postMessage", count=2)  # the approver's DM and the confirmation
    confirmed = slack.fake.wait_until("chat.postMessage", lambda p: p["channel"] == anna)
    assert "AR-1" in confirmed["text"] and "Business-unit head" in confirmed["text"]
    request = slack.container.approvals.get(slack.container.actor("cco"), "AR-1")
    assert (
        request.new_limit == 5_500_000
        and request.raised_by == "rm.anna"
        and request.facility_id == "F-1001-1"
    )
    assert submit("5.5M").status == 200  # Slack resending the same view raises nothing new
    slack.fake.settle(0.3)
    assert [
        r.request_id for r in slack.container.approvals.list_raised_by(slack.container.actor("rm.anna"))
    ] == ["AR-1"]


def test_a_suggested_freeze_asks_no_amount_and_raises(slack: SlackHarness) -> None:
    anna = slack_id(slack.container, "rm.anna")
    arguments = {"client_id": 1001, "facility_id": "F-1001-1", "kind": "freeze", "reason": "red warnings"}
    slack.click(
        anna, f"{ActionId.OPEN_RAISE_REQUEST}:0", store_value(slack.container.engine, "rm.anna", arguments)
    )
    view = slack.fake.wait_for("views.open")[0]["view"]
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == [BlockId.REASON]
    state = {BlockId.REASON: {BlockId.REASON: {"type": "plain_text_input", "value": "red warnings"}}}
    response = slack.interaction(
        {"type": "view_submission", "user": {"id": anna}, "trigger_id": "t",
         "view": {**view, "id": "V124", "state": {"values": state}}}
    )  # fmt: skip
    assert response.status == 200
    confirmed = slack.fake.wait_until("chat.postMessage", lambda p: p["channel"] == anna)
    request_id = confirmed["text"].split("`")[1]
    request = slack.container.approvals.get(slack.container.actor("cco"), request_id)
    assert request.kind == "freeze" and request.new_limit is None


def test_app_home_shows_reviews_watchlist_and_approvals(slack: SlackHarness) -> None:
    raise_request(slack)
    lead = slack_id(slack.container, "lead.north")
    slack.event({"type": "app_home_opened", "user": lead, "channel": "D1", "tab": "home"})
    published = slack.fake.wait_for("views.publish")[0]
    assert published["user_id"] == lead
    text = json.dumps(published["view"])
    assert "Approvals waiting for you" in text and "AR-1" in text and ActionId.APPROVE in text


def test_overdue_steps_are_reminded_once_a_day_with_the_decision_buttons(slack: SlackHarness) -> None:
    import datetime as dt

    request_id = raise_request(slack)
    slack.fake.wait_for("chat.postMessage")  # the first DM
    slack.fake.reset()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
    late = slack.container.approvals.remind_overdue(now=later)
    assert [v.request_id for v in late] == [request_id]
    dm = slack.fake.wait_for("chat.postMessage")[0]
    assert dm["channel"] == slack_id(slack.container, "lead.north") and "overdue" in dm["text"]
    buttons = next(b for b in dm["blocks"] if b["type"] == "actions")["elements"]
    assert [b["action_id"] for b in buttons] == [ActionId.APPROVE, ActionId.REJECT, ActionId.RETURN]
    slack.container.approvals.remind_overdue(now=later)  # the cron runs again the same day
    slack.fake.settle(0.2)
    assert len(slack.fake.of("chat.postMessage")) == 1
