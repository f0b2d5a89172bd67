"""No silent cuts: lists say "N of M" and page, long answers are split across messages keeping their
sources and actions, button values are short ids; the risk channel honours 429 Retry-After; the
payload checker itself catches what it should."""

from __future__ import annotations

import json
import re
import time

import pytest

from bot.reply import Action, Citation, Reply
from bot.slack.alerts import run_monitor
from bot.slack.app import make_client
from bot.slack.ids import ActionId
from bot.slack.notifier import SlackNotifier
from bot.slack.store import load_value
from creditdesk.wiring import Container
from tests.bot.slack.conftest import RISK_CHANNEL, SlackHarness, slack_id
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_limits import check_message

pytestmark = pytest.mark.server


def test_the_cco_watchlist_is_paged_with_n_of_m_and_next(slack: SlackHarness) -> None:
    cco = slack_id(slack.container, "cco")
    on_watch = slack.container.credit_engine.watchlist(slack.container.actor("cco"), as_of=slack.container.today(),
                                                       limit=100_000)  # fmt: skip
    total = len(on_watch)
    assert total > 20  # the demo book: more than one page
    slack.command(cco, "watchlist")
    first = slack.fake.wait_for("response/cmd")[0]
    shown = json.dumps(first["blocks"], ensure_ascii=False)
    assert f"Showing 1–20 of {total}" in shown
    assert shown.count("(#") == 20
    (actions,) = [b for b in first["blocks"] if b["type"] == "actions"]
    (next_button,) = actions["elements"]
    assert next_button["action_id"] == ActionId.LIST_NEXT and next_button["value"] == "watchlist:20"

    slack.click(cco, ActionId.LIST_NEXT, next_button["value"])
    second = slack.fake.wait_for("response/action")[0]
    assert second["replace_original"] is True
    assert f"Showing 21–{min(40, total)} of {total}" in json.dumps(second["blocks"], ensure_ascii=False)
    assert on_watch[20].name.split()[0] in json.dumps(second["blocks"], ensure_ascii=False)


def test_credit_due_is_a_summary_and_a_page_not_one_huge_message(slack: SlackHarness) -> None:
    cco = slack_id(slack.container, "cco")
    due = slack.container.credit_engine.reviews_due(
        slack.container.actor("cco"), as_of=slack.container.today()
    )
    overdue = sum(1 for r in due if r.overdue)
    slack.command(cco, "due")
    reply = slack.fake.wait_for("response/cmd")[0]
    assert f"{len(due)} reviews: {overdue} overdue, {len(due) - overdue} due within 30 days." in json.dumps(
        reply["blocks"], ensure_ascii=False
    )
    assert len(json.dumps(reply)) < 12_000


def long_reply(text: str, citations: int = 3) -> Reply:
    return Reply(
        text=text,
        citations=[Citation(n=i, document="Credit Policy", section=f"4.{i}") for i in range(1, citations + 1)],
        actions=[Action(kind="raise_approval_request", label="Raise approval request",
                        arguments={"client_id": 1001, "facility_id": "F-1001-1", "kind": "increase",
                                   "new_limit": "5000000", "reason": "r" * 5000})],
    )  # fmt: skip


def test_a_long_answer_is_split_across_messages_and_keeps_its_sources_and_button(slack: SlackHarness) -> None:
    paragraphs = [f"Paragraph {i}: " + "word " * 600 for i in range(60)]  # ~180k characters
    reply = long_reply("\n\n".join(paragraphs) + "\n\nEND-OF-ANSWER " + "x" * 10_000)
    slack.container.assistant.answer = lambda *args: reply  # type: ignore[method-assign]
    anna = slack_id(slack.container, "rm.anna")
    slack.event({"type": "message", "channel_type": "im", "channel": "D0ANNA", "user": anna, "text": "tell me",
                 "ts": "5.1"}, event_id="EvLong")  # fmt: skip
    first = slack.fake.wait_for("chat.update")[0]
    slack.fake.settle(0.5)
    rest = [p for p in slack.fake.of("chat.postMessage") if p.get("blocks")]
    messages = [first, *rest]
    assert len(messages) > 1 and all(p.get("thread_ts") == "5.1" for p in rest)
    texts = "".join(b["text"]["text"] for m in messages for b in m["blocks"] if b["type"] == "section")
    assert all(f"Paragraph {i}:" in texts for i in range(60))
    assert texts.count("word") == 600 * 60 and "x" * 10_000 in texts.replace("\n", "")  # nothing dropped
    last = messages[-1]["blocks"]
    assert any(b["type"] == "actions" for b in last) and "Sources" in json.dumps(last)
    assert f"Part {len(messages)} of {len(messages)}" in json.dumps(last)
    (button,) = next(b for b in last if b["type"] == "actions")["elements"]
    assert len(button["value"]) <= 32  # a short id, not the 5,000-character payload
    assert load_value(slack.container.engine, "rm.anna", button["value"])["reason"] == "r" * 5000


def test_risk_channel_waits_out_a_429_and_delivers_everything(
    slack_container: Container, fake_slack: FakeSlackAPI
) -> None:
    notifier = SlackNotifier(make_client(slack_container), adapter=slack_container.adapter,
                             risk_channel=RISK_CHANNEL, engine=slack_container.engine, pace_seconds=0)  # fmt: skip
    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=1)
    started = time.monotonic()
    result = run_monitor(slack_container, notifier=notifier)
    assert time.monotonic() - started >= 1.0  # Retry-After honoured
    assert fake_slack.limited == ["chat.postMessage"]
    risk = [p for p in fake_slack.of("chat.postMessage") if p["channel"] == RISK_CHANNEL]
    assert len([p for p in risk if not p.get("thread_ts")]) == 1
    marks = sum(len(re.findall(r":red_circle:|:large_orange_circle:", json.dumps(p["blocks"]))) for p in risk)
    assert marks == result.sent


def test_the_payload_checker_catches_broken_limits_and_unescaped_data() -> None:
    too_long = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    ping = {"type": "section", "text": {"type": "mrkdwn", "text": "hi <!channel> & <@U1>"}}
    buttons = {"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "b" * 76}, "action_id": f"a{i}", "value": "v" * 2001}
        for i in range(26)]}  # fmt: skip
    problems = check_message(
        {"text": "<@U1>", "blocks": [too_long, ping, buttons] + [{"type": "divider"}] * 48}
    )
    joined = "\n".join(problems)
    for expected in ("51 blocks > 50", "3000", "unescaped < or >", "unescaped &", "26 elements > 25",
                     "button text > 75", "button value > 2000"):  # fmt: skip
        assert expected in joined, expected
    assert check_message({"text": "ok &amp; <https://x.example|fine>", "blocks": []}) == []
