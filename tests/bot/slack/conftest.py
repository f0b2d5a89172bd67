"""Offline Slack harness: the real Bolt app against a fake Web API server, signed requests, and
contract-following doubles for the assistant and memos (credit engine and approvals are real)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest
from pydantic import SecretStr
from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.reply import Action, Citation, ClientCard, Figure, Reply
from bot.slack.app import build_slack_app
from bot.slack.notifier import SlackNotifier
from creditdesk.wiring import Container
from tests.fakes.slack_api import FakeSlackAPI
from tools.actor import Actor

SECRET = "test-signing-secret"
RISK_CHANNEL = "C0RISK"


def click_on(slack: SlackHarness, user_id: str, action_id: str, dm: dict[str, Any]) -> BoltResponse:
    """Click `action_id` on the message the app posted with params `dm` (its real channel and ts)."""
    actions = next(b for b in dm["blocks"] if b["type"] == "actions")
    value = next(e["value"] for e in actions["elements"] if e["action_id"] == action_id)
    return slack.click(user_id, action_id, value, channel=dm["channel"], message_ts=slack.fake.posted_ts(dm))


def slack_id(container: Container, officer_id: str) -> str:
    officer = container.adapter.get_officer(officer_id)
    assert officer is not None and officer.slack_user_id
    return officer.slack_user_id


# --- doubles of the other areas (same signatures as docs/interfaces.md) -----------------------------


class FakeAssistant:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def answer(self, actor: Actor, conversation_id: str, text: str) -> Reply:
        self.calls.append((actor.officer_id, conversation_id, text))
        return Reply(
            text=f"**ACME** is amber.\n\n| Indicator | Value |\n|---|---|\n| DPD | 35 |\n\nAsked: {text}",
            figures=[
                Figure(label="Utilisation", value=0.82, unit="ratio", display="82%", source="assess_client")
            ],
            citations=[Citation(n=1, document="Credit Policy", section="4.2 Limits", page=12)],
            cards=[
                ClientCard(
                    client_id=1001, name="ACME Holdings", officer_id="rm.anna", grade=5, ews_level="amber"
                )
            ],
            actions=[
                Action(
                    kind="raise_approval_request",
                    label="Raise approval request",
                    arguments={
                        "client_id": 1001,
                        "facility_id": "F-1001-1",
                        "kind": "increase",
                        "new_limit": "5000000",
                        "reason": "new contract with X",
                    },
                )
            ],
        )


class FakeMemos:
    def __init__(self) -> None:
        self.drafted: list[tuple[str, int]] = []
        self.submitted: list[tuple[str, int]] = []

    def draft_review_memo(
        self, actor: Actor, client_id: int, *, as_of: object = None, language: str = "en"
    ) -> Any:
        self.drafted.append((actor.officer_id, client_id))
        return SimpleNamespace(
            memo_id=7, client_id=client_id, client_name="ACME Holdings", version=3, as_of=as_of
        )

    def submit(self, actor: Actor, memo_id: int) -> Any:
        self.submitted.append((actor.officer_id, memo_id))
        return SimpleNamespace(memo_id=memo_id, client_id=1001, client_name="ACME Holdings", version=3,
                               as_of=None, status="submitted")  # fmt: skip

    def render(self, memo: Any, fmt: str) -> bytes:
        return b"%PDF-1.4 fake memo"


# --- the harness ---------------------------------------------------------------------------------------


class SlackHarness:
    def __init__(self, container: Container, fake: FakeSlackAPI, app: App) -> None:
        self.container, self.fake, self.app = container, fake, app

    def headers(
        self,
        raw: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SECRET,
        retry: int | None = None,
    ) -> dict[str, str]:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        headers = {
            "content-type": content_type,
            "x-slack-request-timestamp": ts,
            "x-slack-signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=raw),
        }
        if retry is not None:
            headers |= {"x-slack-retry-num": str(retry), "x-slack-retry-reason": "http_timeout"}
        return headers

    def dispatch(self, raw: str, content_type: str, **kwargs: Any) -> BoltResponse:
        return self.app.dispatch(BoltRequest(body=raw, headers=self.headers(raw, content_type, **kwargs)))

    def event(self, event: dict[str, Any], *, event_id: str = "Ev1", **kwargs: Any) -> BoltResponse:
        body = {
            "type": "event_callback",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
        }
        return self.dispatch(json.dumps(body), "application/json", **kwargs)

    def command(self, user_id: str, text: str, **kwargs: Any) -> BoltResponse:
        form = {
            "command": "/credit",
            "text": text,
            "user_id": user_id,
            "channel_id": "C0GENERAL",
            "team_id": "T0001",
            "trigger_id": "trig.1",
            "response_url": f"{self.fake.url}response/cmd",
        }
        return self.dispatch(urlencode(form), "application/x-www-form-urlencoded", **kwargs)

    def interaction(self, payload: dict[str, Any]) -> BoltResponse:
        payload = {"team": {"id": "T0001"}, "api_app_id": "A0001", **payload}
        return self.dispatch(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def click(
        self,
        user_id: str,
        action_id: str,
        value: str,
        *,
        message_ts: str = "1700000000.000001",
        channel: str | None = None,
    ) -> BoltResponse:
        """A button click on a message (block_actions with channel, message and response_url)."""
        channel = channel or f"D{user_id}"
        return self.interaction(
            {
                "type": "block_actions",
                "user": {"id": user_id},
                "trigger_id": "trig.2",
                "channel": {"id": channel},
                "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
                "message": {"ts": message_ts, "text": "request"},
                "response_url": f"{self.fake.url}response/action",
                "actions": [{"type": "button", "action_id": action_id, "value": value, "block_id": "b"}],
            }
        )


@pytest.fixture
def fake_slack() -> Iterator[FakeSlackAPI]:
    fake = FakeSlackAPI().start()
    yield fake
    fake.stop()
    assert fake.violations == [], "payloads broke Slack's limits or escaping:\n" + "\n".join(fake.violations)


def configure_slack(container: Container, fake: FakeSlackAPI) -> Container:
    container.settings = container.settings.model_copy(
        update={
            "slack_bot_token": SecretStr("xoxb-test"),
            "slack_signing_secret": SecretStr(SECRET),
            "slack_api_url": fake.url,
            "slack_risk_channel": RISK_CHANNEL,
        }
    )
    return container


@pytest.fixture
def slack_container(demo_container: Container, fake_slack: FakeSlackAPI) -> Container:
    configure_slack(demo_container, fake_slack)
    demo_container.__dict__.update(assistant=FakeAssistant(), memos=FakeMemos())
    notifier = demo_container.notifier
    if isinstance(notifier, SlackNotifier):
        notifier.pace_seconds = 0  # pacing is tested on its own
    return demo_container


@pytest.fixture
def slack(slack_container: Container, fake_slack: FakeSlackAPI) -> SlackHarness:
    client = WebClient(token="xoxb-test", base_url=fake_slack.url)
    return SlackHarness(slack_container, fake_slack, build_slack_app(slack_container, client=client))
