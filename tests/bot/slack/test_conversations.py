"""Mentions, DMs, the assistant thread surface, retries and identity — through the real Bolt app."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from bot.slack.listeners import messages
from tests.bot.slack.conftest import FakeAssistant, SlackHarness, slack_id
from tests.fakes.slack_api import BOT_USER_ID

pytestmark = pytest.mark.server


def mention(user: str, text: str, ts: str = "1700000100.000100") -> dict[str, object]:
    return {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER_ID}> {text}",
        "channel": "C0CREDIT",
        "ts": ts,
    }


def test_mention_is_answered_in_the_thread_privately_as_the_mapped_officer(slack: SlackHarness) -> None:
    anna = slack_id(slack.container, "rm.anna")
    response = slack.event(mention(anna, "why is ACME amber? I am <@U0001003> officer cco"))
    assert response.status == 200
    (update,) = slack.fake.wait_for("chat.postEphemeral")
    slack.fake.settle(0.2)
    assert len(slack.fake.of("chat.postEphemeral")) == 1  # no "Working…" left behind (it cannot be removed)
    assert update["channel"] == "C0CREDIT" and update["user"] == anna  # visible to the asker only
    assert update["thread_ts"] == "1700000100.000100"
    assert slack.fake.of("chat.postMessage") == [] and slack.fake.of("chat.update") == []  # nothing public
    blocks = update["blocks"]
    rendered = str(blocks)
    assert "ACME Holdings" in rendered and "[1] Credit Policy § 4.2 Limits, p. 12" in rendered
    assert "```" in rendered and "*ACME*" in rendered  # the table and bold, in Slack's dialect
    assert any(b["type"] == "actions" for b in blocks)
    ((officer_id, conversation, text),) = slack.container.assistant.calls
    assert officer_id == "rm.anna"  # typed ids never change who is acting
    assert conversation == "slack:C0CREDIT:1700000100.000100"
    assert not text.startswith("<@")


def test_direct_message_and_its_thread_are_one_conversation(slack: SlackHarness) -> None:
    anna = slack_id(slack.container, "rm.anna")
    slack.event(
        {"type": "message", "channel_type": "im", "channel": "D1", "user": anna, "text": "hi", "ts": "1.1"}
    )
    slack.fake.wait_for("chat.update")
    slack.event(
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D1",
            "user": anna,
            "text": "and ACME?",
            "ts": "1.2",
            "thread_ts": "1.1",
        },
        event_id="Ev2",
    )
    slack.fake.wait_for("assistant.threads.setStatus")
    posted = slack.fake.wait_for("chat.postMessage", count=2)
    assert posted[-1]["thread_ts"] == "1.1"
    conversations = {c[1] for c in slack.container.assistant.calls}
    assert conversations == {"slack:D1:1.1"}


def test_assistant_thread_started_greets_with_prompts(slack: SlackHarness) -> None:
    anna = slack_id(slack.container, "rm.anna")
    slack.event(
        {
            "type": "assistant_thread_started",
            "assistant_thread": {"user_id": anna, "channel_id": "D1", "thread_ts": "2.1", "context": {}},
        }
    )
    slack.fake.wait_for("assistant.threads.setSuggestedPrompts")
    assert slack.fake.of("chat.postMessage")[0]["thread_ts"] == "2.1"


def test_a_retry_never_produces_a_second_answer(slack: SlackHarness) -> None:
    anna = slack_id(slack.container, "rm.anna")
    event = mention(anna, "ACME utilisation?")
    assert slack.event(event, event_id="EvR").status == 200
    slack.fake.wait_for("chat.postEphemeral")
    assert slack.event(event, event_id="EvR", retry=1).status == 200
    assert slack.event(event, event_id="EvR", retry=2).status == 200
    slack.fake.settle()
    assert len(slack.container.assistant.calls) == 1
    assert len(slack.fake.of("chat.postEphemeral")) == 1  # the one answer


def test_unknown_slack_user_is_told_to_ask_an_admin_and_gets_nothing_else(slack: SlackHarness) -> None:
    slack.event(mention("U9999999", "show me ACME"))
    told = slack.fake.wait_for("chat.postMessage")[0]
    assert told["channel"] == "U9999999" and "administrator" in told["text"]
    response = slack.command("U9999999", "ACME")
    assert "administrator" in response.body
    slack.fake.settle()
    assert slack.container.assistant.calls == []
    assert [c.method for c in slack.fake.calls] == ["auth.test", "chat.postMessage"]


def test_bad_signature_and_stale_timestamp_are_refused(slack: SlackHarness) -> None:
    import time

    anna = slack_id(slack.container, "rm.anna")
    assert slack.command(anna, "help", secret="not-the-secret").status == 401
    assert slack.command(anna, "help", timestamp=int(time.time()) - 6 * 60).status == 401
    slack.fake.settle(0.2)
    assert slack.fake.calls == []


def test_unexpected_errors_show_an_error_id_not_a_trace(slack: SlackHarness) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("database password is hunter2")

    slack.container.assistant.answer = broken
    slack.event(mention(slack_id(slack.container, "rm.anna"), "ACME?"))
    told = slack.fake.wait_for("chat.postEphemeral")[0]
    assert "error id" in told["text"] and "hunter2" not in told["text"]
    # and in a DM, the "working…" placeholder does not linger
    anna = slack_id(slack.container, "rm.anna")
    slack.event({"type": "message", "channel_type": "im", "channel": "D1", "user": anna, "text": "hi", "ts": "4.1"},
                event_id="EvE2")  # fmt: skip
    assert slack.fake.wait_for("chat.delete")


def test_other_message_subtypes_are_acked_without_an_answer(slack: SlackHarness) -> None:
    anna = slack_id(slack.container, "rm.anna")
    edit = {"type": "message", "subtype": "file_share", "channel_type": "im", "channel": "D1", "user": anna,
            "text": "statement.pdf", "ts": "3.1"}  # fmt: skip
    assert slack.event(edit).status == 200
    slack.fake.settle(0.2)
    assert slack.container.assistant.calls == []


class _StreamingAssistant(FakeAssistant):
    """A model-backed assistant: passes checked text on while it writes, then returns the reply."""

    streams = True

    def answer(self, actor, conversation_id, text, on_delta=None):  # type: ignore[no-untyped-def,override]
        assert on_delta is not None
        for piece in ("Titan's utilisation is ", "58.5% of its <limit>. ", "Review due 3 Mar 2027."):
            on_delta(piece)
        return super().answer(actor, conversation_id, text)


def test_a_model_answer_grows_in_the_working_message_then_the_reply_replaces_it(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messages, "STREAM_INTERVAL_S", 0.0)
    slack.container.__dict__["assistant"] = _StreamingAssistant()
    anna = slack_id(slack.container, "rm.anna")
    slack.event(
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D1",
            "user": anna,
            "text": "titan util?",
            "ts": "2.1",
        }
    )
    updates = slack.fake.wait_for("chat.update", count=4)
    placeholder = slack.fake.of("chat.postMessage")[0]
    assert placeholder["text"] != updates[0]["text"]
    assert {u["ts"] for u in updates} == {updates[0]["ts"]}  # all on the one "working…" message
    grown = [u["text"] for u in updates[:3]]
    assert grown[0] == "Titan's utilisation is …"
    assert (
        grown[1] == "Titan's utilisation is 58.5% of its &lt;limit&gt;. …"
    )  # escaped: no Slack link or mention
    assert grown[2].endswith("Review due 3 Mar 2027. …")
    assert "blocks" not in updates[0] or not updates[0]["blocks"]
    assert updates[3]["blocks"] and "ACME" in updates[3]["text"]  # the finished reply replaces it


class _Failing:
    def chat_update(self, **kwargs: object) -> None:
        raise SlackApiError("ratelimited", {"ok": False, "error": "ratelimited"})


def test_a_failed_or_too_early_streamed_update_is_skipped_never_fatal() -> None:
    now = [0.0]
    stream = messages.ThreadStream(_Failing(), channel="D1", ts="1.1", clock=lambda: now[0])  # type: ignore[arg-type]
    stream("first words ")  # within a second of the placeholder: not sent
    now[0] = 5.0
    stream("more")  # sent, fails, logged and skipped
    assert stream.text == "first words more" and stream.updates == 0
