"""An approval refusal reaches a Chinese-writing officer in Chinese on Slack (#18): the maker-checker rule
and an unknown request, said from the catalogue (expected sentences written by hand)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from bot.slack.ids import ActionId
from tests.bot.slack.conftest import SlackHarness, slack_id
from tests.bot.slack.payloads import payload

pytestmark = pytest.mark.server


def click(slack: SlackHarness, user: str, value: str, message_text: str) -> str:
    body = payload(
        "block_actions_message", user=user, ts="1700000000.000019", channel=f"D{user}", message_text=message_text,
        response_url=f"{slack.fake.url}response/zh", action_id=ActionId.APPROVE, value=value,
    )  # fmt: skip
    response = slack.dispatch(urlencode({"payload": json.dumps(body)}), "application/x-www-form-urlencoded")
    assert response.status == 200
    return slack.fake.wait_for("response/zh")[0]["text"]


def test_the_maker_checker_refusal_is_chinese_for_a_chinese_card(slack: SlackHarness) -> None:
    request = slack.container.approvals.raise_request(
        slack.container.actor("lead.north"), client_id=1001, facility_id="F-1001-1", kind="decrease",
        new_limit=100_000, reason="压降", idempotency_key="zh-maker",
    )  # fmt: skip
    lead = slack_id(slack.container, "lead.north")
    said = click(slack, lead, f"{request.request_id}:1", "待审批申请")
    assert f"申请 {request.request_id} 由您提交；按经办与审批分离（双人复核）原则，您不能自行审批" in said
    assert "maker-checker" not in said


def test_the_same_refusal_stays_english_for_an_english_card(slack: SlackHarness) -> None:
    lead = slack_id(slack.container, "lead.north")
    said = click(slack, lead, "AR-999:1", "request")
    assert "request AR-999 not found" in said


def test_an_unknown_request_is_said_in_chinese(slack: SlackHarness) -> None:
    lead = slack_id(slack.container, "lead.north")
    assert "未找到申请 AR-999" in click(slack, lead, "AR-999:1", "待审批申请")
