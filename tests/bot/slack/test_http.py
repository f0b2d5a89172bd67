"""HTTP mode: the FastAPI /slack/events route verifies signatures and serves the same app."""

from __future__ import annotations

import dataclasses
import time
from urllib.parse import urlencode

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from slack_sdk import WebClient

from bot.slack.http import EVENTS_PATH, make_router
from creditdesk.wiring import Container
from tests.bot.slack.conftest import SlackHarness, slack_id
from tests.fakes.slack_api import FakeSlackAPI

pytestmark = pytest.mark.server


@pytest.fixture
def http(slack_container: Container, fake_slack: FakeSlackAPI) -> TestClient:
    api = FastAPI()
    api.include_router(
        make_router(slack_container, client=WebClient(token="xoxb-test", base_url=fake_slack.url))
    )
    return TestClient(api)


def command_form(slack: SlackHarness, user: str) -> str:
    return urlencode(
        {
            "command": "/credit",
            "text": "help",
            "user_id": user,
            "channel_id": "C1",
            "team_id": "T0001",
            "response_url": f"{slack.fake.url}response/cmd",
        }
    )


def test_signed_command_over_http(http: TestClient, slack: SlackHarness) -> None:
    raw = command_form(slack, slack_id(slack.container, "rm.anna"))
    response = http.post(
        EVENTS_PATH, content=raw, headers=slack.headers(raw, "application/x-www-form-urlencoded")
    )
    assert response.status_code == 200
    assert "/credit memo" in str(slack.fake.wait_for("response/cmd")[0])


def test_bad_signature_and_replay_are_refused_over_http(http: TestClient, slack: SlackHarness) -> None:
    raw = command_form(slack, slack_id(slack.container, "rm.anna"))
    ctype = "application/x-www-form-urlencoded"
    assert (
        http.post(EVENTS_PATH, content=raw, headers=slack.headers(raw, ctype, secret="wrong")).status_code
        == 401
    )
    stale = slack.headers(raw, ctype, timestamp=int(time.time()) - 301)
    assert http.post(EVENTS_PATH, content=raw, headers=stale).status_code == 401


def test_url_verification_challenge(http: TestClient, slack: SlackHarness) -> None:
    raw = '{"type": "url_verification", "challenge": "abc123", "token": "x"}'
    response = http.post(EVENTS_PATH, content=raw, headers=slack.headers(raw, "application/json"))
    assert response.status_code == 200 and "abc123" in response.text


def test_without_slack_settings_the_route_says_so(slack_container: Container) -> None:
    bare = dataclasses.replace(
        slack_container, settings=slack_container.settings.model_copy(update={"slack_signing_secret": None})
    )
    api = FastAPI()
    api.include_router(make_router(bare))
    assert TestClient(api).post(EVENTS_PATH, content="{}").status_code == 503


def test_creditdesk_serve_mounts_the_route(slack_container: Container, slack: SlackHarness) -> None:
    from api.app import create_app

    api = TestClient(create_app(slack_container))
    raw = command_form(slack, slack_id(slack.container, "rm.anna"))
    response = api.post(
        EVENTS_PATH, content=raw, headers=slack.headers(raw, "application/x-www-form-urlencoded")
    )
    assert response.status_code == 200
    assert "/credit memo" in str(slack.fake.wait_for("response/cmd")[0])
