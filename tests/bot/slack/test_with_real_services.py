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
