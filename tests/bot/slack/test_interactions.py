"""Every interaction kind, failing ones included, is acked with HTTP 200 within Slack's 3 s and the
user gets the reason where they acted (payloads in Slack's shapes: tests/bot/slack/payloads/)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import BoltResponse

from bot.slack.ids import ActionId, ViewId
from bot.slack.store import store_value
from kernel.errors import NotFound
from tests.bot.slack.conftest import SlackHarness, slack_id
from tests.bot.slack.payloads import payload

pytestmark = pytest.mark.server
SLACK_TIMEOUT = 3.0


ACK_TIMES: list[float] = []


def timed(send: Callable[[], BoltResponse]) -> BoltResponse:
    started = time.monotonic()
    response = send()
    elapsed = time.monotonic() - started
    ACK_TIMES.append(elapsed)
    assert response.status == 200, (response.status, response.body)
    assert elapsed < SLACK_TIMEOUT, f"acked after {elapsed:.2f} s"
    return response


def command(slack: SlackHarness, user: str, text: str) -> BoltResponse:
    form = payload("slash_command", user=user, text=text, response_url=f"{slack.fake.url}response/cmd")
    return timed(lambda: slack.dispatch(urlencode(form), "application/x-www-form-urlencoded"))


def interaction(slack: SlackHarness, body: dict[str, Any]) -> BoltResponse:
    raw = urlencode({"payload": json.dumps(body)})
    return timed(lambda: slack.dispatch(raw, "application/x-www-form-urlencoded"))


def event(slack: SlackHarness, body: dict[str, Any]) -> BoltResponse:
    return timed(lambda: slack.dispatch(json.dumps(body), "application/json"))


def test_slash_command_for_an_unknown_client_is_acked_and_answered_with_the_reason(
    slack: SlackHarness,
) -> None:
    anna = slack_id(slack.container, "rm.anna")
    command(slack, anna, "nonexistent corp")
    reply = slack.fake.wait_for("response/cmd")[0]
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    assert "no client matching 'nonexistent corp'" in reply["text"]


def test_slash_command_outside_the_portfolio_is_acked(slack: SlackHarness) -> None:
    command(slack, slack_id(slack.container, "rm.anna"), "1002")  # 1002 belongs to another team
    reply = slack.fake.wait_for("response/cmd")[0]
    assert "client 1002 not found" in reply["text"] and "portfolio" not in reply["text"]  # as unknown (#17)


def test_a_chinese_question_gets_chinese_chrome(slack: SlackHarness) -> None:
    command(slack, slack_id(slack.container, "rm.anna"), "帮助")
    reply = slack.fake.wait_for("response/cmd")[0]
    assert "可以问我" in reply["text"]


def test_failing_button_on_a_message_is_acked_and_answered_ephemerally(slack: SlackHarness) -> None:
    lead = slack_id(slack.container, "lead.north")
    body = payload(
        "block_actions_message", user=lead, ts="1700000000.000009", channel=f"D{lead}", message_text="request",
        response_url=f"{slack.fake.url}response/action", action_id=ActionId.APPROVE, value="AR-999:1",
    )  # fmt: skip
    interaction(slack, body)
    reply = slack.fake.wait_for("response/action")[0]
    assert reply["response_type"] == "ephemeral" and "AR-999" in reply["text"]
    assert slack.fake.of("chat.update") == []


def test_failing_button_in_the_home_tab_is_acked_dmed_and_the_tab_refreshed(slack: SlackHarness) -> None:
    anna = slack_id(slack.container, "rm.anna")
    request = slack.container.approvals.raise_request(
        slack.container.actor("rm.anna"), client_id=1001, facility_id="F-1001-1", kind="decrease",
        new_limit=100_000, reason="lower utilisation", idempotency_key="home-maker",
    )  # fmt: skip
    slack.fake.reset()
    body = payload(
        "block_actions_home", user=anna, action_id=ActionId.APPROVE, value=f"{request.request_id}:1"
    )
    interaction(slack, body)  # the maker approving her own request
    told = slack.fake.wait_until("chat.postMessage", lambda p: p["channel"] == anna)
    assert "maker-checker" in told["text"]
    assert slack.fake.wait_for("views.publish")[0]["user_id"] == anna


def test_view_submission_with_a_domain_error_keeps_the_modal_open_with_the_reason(
    slack: SlackHarness,
) -> None:
    anna = slack_id(slack.container, "rm.anna")
    suggestion = {"client_id": 1001, "facility_id": "F-1001-1", "kind": "increase", "new_limit": "100000"}
    value_id = store_value(slack.container.engine, "rm.anna", suggestion)
    body = payload(
        "view_submission", user=anna, view_id="V0001", private_metadata=value_id,
        callback_id=ViewId.RAISE_REQUEST, amount="100000", reason="new contract",
    )  # fmt: skip
    response = interaction(slack, body)
    answer = json.loads(response.body)
    assert answer["response_action"] == "errors"
    (message,) = answer["errors"].values()
    assert "must exceed the current limit" in message  # 100,000 is below ACME's 240,000
    slack.fake.settle(0.2)
    assert slack.fake.of("chat.postMessage") == []  # inline, not by DM


def test_view_submission_of_an_expired_suggestion_is_refused_inline(slack: SlackHarness) -> None:
    body = payload(
        "view_submission", user=slack_id(slack.container, "rm.anna"), view_id="V0002", private_metadata="nope",
        callback_id=ViewId.RAISE_REQUEST, amount="5M", reason="x",
    )  # fmt: skip
    answer = json.loads(interaction(slack, body).body)
    assert answer["response_action"] == "errors" and "expired" in json.dumps(answer["errors"])


def failing_assistant(slack: SlackHarness, error: Exception) -> None:
    def answer(*args: object) -> None:
        raise error

    slack.container.assistant.answer = answer  # type: ignore[method-assign]


def test_app_mention_with_a_domain_error_is_acked_and_answered_ephemerally(slack: SlackHarness) -> None:
    failing_assistant(slack, NotFound("no client matching 'Smith & Sons <Ltd>'"))
    anna = slack_id(slack.container, "rm.anna")
    event(
        slack,
        payload("app_mention", user=anna, text="who is Smith?", ts="1700000700.000100", event_id="EvM1"),
    )
    told = slack.fake.wait_for("chat.postEphemeral")[0]
    assert told["user"] == anna and told["thread_ts"] == "1700000700.000100"
    assert "Smith &amp; Sons &lt;Ltd&gt;" in told["text"]  # escaped on the way out


def test_direct_message_with_an_unexpected_error_removes_the_placeholder_and_says_so(
    slack: SlackHarness,
) -> None:
    failing_assistant(slack, RuntimeError("boom"))
    anna = slack_id(slack.container, "rm.anna")
    body = payload(
        "message_im", user=anna, text="hi", ts="1700000800.000100", channel="D0ANNA", event_id="EvD1"
    )
    event(slack, body)
    assert slack.fake.wait_for("chat.delete")
    told = slack.fake.wait_until("chat.postMessage", lambda p: "error id" in p["text"])
    assert told["channel"] == "D0ANNA" and told["thread_ts"] == "1700000800.000100"


def test_assistant_thread_message_with_an_error_is_answered_in_the_thread(slack: SlackHarness) -> None:
    failing_assistant(slack, NotFound("nothing like that"))
    anna = slack_id(slack.container, "rm.anna")
    body = payload(
        "assistant_user_message", user=anna, text="and ACME?", ts="1700000900.000200",
        thread_ts="1700000900.000100", channel="D0ANNA", event_id="EvA1",
    )  # fmt: skip
    event(slack, body)
    told = slack.fake.wait_until("chat.postMessage", lambda p: "nothing like that" in p["text"])
    assert told["thread_ts"] == "1700000900.000100"


def test_a_slow_submission_is_acked_in_time_and_its_outcome_sent_by_dm(slack: SlackHarness) -> None:
    anna = slack_id(slack.container, "rm.anna")
    raise_request = slack.container.approvals.raise_request

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(2.5)  # slower than the inline budget (2 s of Slack's 3)
        return raise_request(*args, **kwargs)

    slack.container.approvals.raise_request = slow  # type: ignore[method-assign]
    suggestion = {"client_id": 1001, "facility_id": "F-1001-1", "kind": "decrease", "new_limit": "100000"}
    value_id = store_value(slack.container.engine, "rm.anna", suggestion)
    body = payload(
        "view_submission", user=anna, view_id="V0003", private_metadata=value_id,
        callback_id=ViewId.RAISE_REQUEST, amount="100000", reason="lower utilisation",
    )  # fmt: skip
    assert interaction(slack, body).body == ""  # acked (the modal closes) before the request is in
    told = slack.fake.wait_until("chat.postMessage", lambda p: p["channel"] == anna)
    assert "AR-1" in told["text"]
