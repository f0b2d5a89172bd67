"""End to end through Slack with the real offline assistant and the real memo service (no doubles)."""

from __future__ import annotations

import json

import pytest
from slack_sdk import WebClient

from bot.brains.offline.classifier import classifier
from bot.slack.app import build_slack_app
from creditdesk.wiring import Container
from tests.bot.slack.conftest import SlackHarness, configure_slack, slack_id
from tests.fakes.slack_api import BOT_USER_ID, FakeSlackAPI

pytestmark = pytest.mark.server


@pytest.fixture
def live(demo_container: Container, fake_slack: FakeSlackAPI) -> SlackHarness:
    classifier()  # the offline brain's intent classifier trains once per process: not inside the 15 s wait
    container = configure_slack(demo_container, fake_slack)
    client = WebClient(token="xoxb-test", base_url=fake_slack.url)
    return SlackHarness(container, fake_slack, build_slack_app(container, client=client))


def test_why_is_acme_amber_answers_with_the_triggering_indicators(live: SlackHarness) -> None:
    anna = slack_id(live.container, "rm.anna")
    event = {"type": "app_mention", "user": anna, "text": f"<@{BOT_USER_ID}> why is ACME amber?",
             "channel": "C0CREDIT", "ts": "1700000200.000100"}  # fmt: skip
    live.event(event)
    answer = live.fake.wait_for("chat.postEphemeral", timeout=15)[0]
    assert "ACME Holdings" in answer["text"] and "threshold" in answer["text"]
    assert answer["blocks"] and all(len(json.dumps(b)) < 3500 for b in answer["blocks"])


def test_credit_memo_uploads_a_real_pdf(live: SlackHarness) -> None:
    anna = slack_id(live.container, "rm.anna")
    live.command(anna, "memo ACME")
    done = live.fake.wait_for("files.completeUploadExternal", timeout=30)[0]
    assert done["channel_id"] == f"D{anna}" and "ACME Holdings" in done["initial_comment"]
    upload = live.fake.of("files.getUploadURLExternal")[0]
    assert upload["filename"].startswith("review-memo-1001-v") and upload["filename"].endswith(".pdf")
    assert int(upload["length"]) > 1000
    (uploaded,) = [c.params for c in live.fake.calls if c.method.startswith("upload/")]
    assert uploaded["bytes"] == int(upload["length"])


def test_credit_memo_submit_submits_the_real_memo(live: SlackHarness) -> None:
    anna = slack_id(live.container, "rm.anna")
    live.command(anna, "memo submit ACME")
    live.fake.wait_for("files.completeUploadExternal", timeout=30)
    latest = live.container.memos.list_versions(live.container.actor("rm.anna"), 1001)[0]
    assert latest.status == "submitted"
    events = live.container.audit.events_for("memo", str(latest.memo_id))
    assert "memo.submitted" in [e.action for e in events]


def test_a_memo_drafted_by_the_assistant_is_submitted_by_its_button(live: SlackHarness) -> None:
    """ "draft the review memo for ACME" in a DM drafts (nothing submitted) and offers "Submit memo"; the
    click submits exactly that version, a second click is refused where it was made, and the button is
    the drafter's alone."""
    from urllib.parse import urlencode

    from tests.bot.slack.payloads import payload

    anna, lead = slack_id(live.container, "rm.anna"), slack_id(live.container, "lead.north")
    ask = payload("message_im", user=anna, text="draft the review memo for ACME", ts="1700000900.000100",
                  channel="D0ANNA", event_id="EvMemo1")  # fmt: skip
    live.dispatch(json.dumps(ask), "application/json")
    answer = live.fake.wait_until(
        "chat.update", lambda p: any(b["type"] == "actions" for b in p.get("blocks") or []), timeout=30
    )
    actions = next(b for b in answer["blocks"] if b["type"] == "actions")
    (button,) = [e for e in actions["elements"] if e["action_id"].startswith("submit_memo:")]
    assert button["text"]["text"] == "Submit memo"
    drafted = live.container.memos.list_versions(live.container.actor("rm.anna"), 1001)[0]
    assert drafted.status == "draft"  # drafting alone submits nothing

    def click(user: str, url: str) -> dict[str, object]:
        body = payload("block_actions_message", user=user, ts="1700000900.000200", channel="D0ANNA",
                       message_text=answer["text"], response_url=f"{live.fake.url}{url}",
                       action_id=button["action_id"], value=button["value"])  # fmt: skip
        assert (
            live.dispatch(
                urlencode({"payload": json.dumps(body)}), "application/x-www-form-urlencoded"
            ).status
            == 200
        )
        return live.fake.wait_for(url, timeout=15)[-1]

    said = click(anna, "response/submit1")
    assert said["response_type"] == "ephemeral"
    assert f"Review memo {drafted.memo_id} (version {drafted.version}) submitted" in said["text"]
    assert live.container.memos.get(live.container.actor("rm.anna"), drafted.memo_id).status == "submitted"
    again = click(anna, "response/submit2")
    assert "submitted" in again["text"] and "cannot become submitted" in again["text"]
    other = click(lead, "response/submit3")  # a button is looked up for the officer it was made for
    assert "expired" in other["text"]
    events = live.container.audit.events_for("memo", str(drafted.memo_id))
    assert [e.action for e in events].count("memo.submitted") == 1
