"""`creditdesk monitor run`: new red/amber warnings reach the owner and the risk channel exactly once."""

from __future__ import annotations

import dataclasses
import json

import pytest
from typer.testing import CliRunner

from bot.slack.alerts import MONITOR, WHOLE_BOOK, run_monitor
from bot.slack.notifier import SlackNotifier
from creditdesk.wiring import Container
from tests.bot.slack.conftest import RISK_CHANNEL
from tests.fakes.slack_api import FakeSlackAPI

pytestmark = pytest.mark.server


def test_one_run_makes_one_risk_channel_post_with_a_thread_and_one_dm_per_officer(
    slack_container: Container, fake_slack: FakeSlackAPI
) -> None:
    assert isinstance(slack_container.notifier, SlackNotifier)
    first = run_monitor(slack_container)
    assert first.sent > 0
    posts = fake_slack.of("chat.postMessage")
    risk = [p for p in posts if p["channel"] == RISK_CHANNEL]
    top = [p for p in risk if not p.get("thread_ts")]
    assert len(top) == 1  # one digest per run, not one post per warning
    parent_ts = fake_slack.posted_ts(top[0])
    thread = [p for p in risk if p.get("thread_ts")]
    assert thread and all(p["thread_ts"] == parent_ts for p in thread)
    digest = json.dumps(top[0]["blocks"])
    assert f"*{first.sent}* new warnings" in digest
    red = sum(json.dumps(p["blocks"]).count(":red_circle:") for p in thread)
    amber = sum(json.dumps(p["blocks"]).count(":large_orange_circle:") for p in thread)
    assert red + amber == first.sent  # every new warning is in the thread
    assert f"{red} red, {amber} amber" in digest
    dms = [p for p in posts if p["channel"] != RISK_CHANNEL]
    owners = {o.slack_user_id for o in slack_container.adapter.list_officers()}
    assert {p["channel"] for p in dms} <= owners
    assert len(dms) == len({p["channel"] for p in dms})  # one DM per officer per run
    codes = {
        w.indicator
        for item in slack_container.credit_engine.watchlist(MONITOR, as_of=first.as_of, limit=WHOLE_BOOK)
        for w in item.warnings
    }
    shown = json.dumps(posts)
    assert codes and not [c for c in codes if "_" in c and f"*{c}*" in shown]  # names, not raw codes

    second = run_monitor(slack_container)
    assert second.sent == 0 and second.already_sent == first.sent + first.already_sent
    assert len(fake_slack.of("chat.postMessage")) == len(posts)


def test_baseline_records_the_backlog_without_sending(
    slack_container: Container, fake_slack: FakeSlackAPI
) -> None:
    known = run_monitor(slack_container, baseline=True)
    assert known.baseline and known.sent > 0  # warnings recorded as known
    assert fake_slack.of("chat.postMessage") == []  # and nothing posted
    after = run_monitor(slack_container)
    assert after.sent == 0 and after.already_sent == known.sent + known.already_sent


def test_an_undelivered_alert_is_retried_next_run(
    slack_container: Container, fake_slack: FakeSlackAPI
) -> None:
    class Down:
        def warning_raised(self, *args: object) -> None:
            raise ConnectionError("slack unreachable")

    with pytest.raises(ConnectionError):
        run_monitor(slack_container, notifier=Down())
    assert run_monitor(slack_container).sent > 0


def test_monitor_run_command(slack_container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    from creditdesk.cli import common
    from creditdesk.cli.main import app

    monkeypatch.setattr(common, "container", lambda: slack_container)
    monkeypatch.setattr("creditdesk.cli.slack.container", lambda: slack_container)
    result = CliRunner().invoke(app, ["monitor", "run", "--json"])
    assert result.exit_code == 0, result.output
    assert '"sent"' in result.output

    unconfigured = dataclasses.replace(
        slack_container, settings=slack_container.settings.model_copy(update={"slack_bot_token": None})
    )
    monkeypatch.setattr("creditdesk.cli.slack.container", lambda: unconfigured)
    refused = CliRunner().invoke(app, ["monitor", "run"])
    assert refused.exit_code == 2 and "SLACK_BOT_TOKEN" in refused.output
