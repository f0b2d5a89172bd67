"""`creditdesk ask` / `chat` end to end on the demo book (offline)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from creditdesk.cli import common
from creditdesk.cli.main import app


@pytest.fixture
def cli(demo_container, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(common, "container", lambda: demo_container)
    return CliRunner()


def test_ask_json(cli) -> None:  # type: ignore[no-untyped-def]
    q = "what is ACME's utilisation and is it due for review?"
    result = cli.invoke(app, ["ask", "--as", "rm.anna", "--json", q])
    assert result.exit_code == 0, result.output
    reply = json.loads(result.stdout)
    assert {c["name"] for c in reply["tool_calls"]} >= {"exposure", "review_status"}
    assert reply["degraded"] is False and reply["figures"]


def test_ask_other_team_is_refused(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli.invoke(app, ["ask", "--as", "rm.anna", "utilisation of client 1002"])
    assert "client 1002 not found" in result.stdout and "portfolio" not in result.stdout


def test_chat_holds_follow_ups(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli.invoke(
        app, ["chat", "--as", "rm.anna"], input="tell me about globex\nand its utilisation?\n\n"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Globex Trading") >= 2 and "utilisation" in result.stdout


def test_chat_submits_a_drafted_memo_only_after_a_yes(cli, demo_container) -> None:  # type: ignore[no-untyped-def]
    anna = demo_container.actor("rm.anna")
    said_no = cli.invoke(app, ["chat", "--as", "rm.anna"], input="draft the review memo for ACME\nn\n\n")
    assert said_no.exit_code == 0, said_no.output
    assert "Submit this memo?" in said_no.stdout and "Not submitted." in said_no.stdout
    assert demo_container.memos.list_versions(anna, 1001)[0].status == "draft"
    said_yes = cli.invoke(app, ["chat", "--as", "rm.anna"], input="draft the review memo for ACME\ny\n\n")
    assert said_yes.exit_code == 0, said_yes.output
    latest = demo_container.memos.list_versions(anna, 1001)[0]
    assert latest.status == "submitted"  # the unchanged draft is the one drafted again, now submitted
    assert f"Memo {latest.memo_id} (v{latest.version}) submitted" in said_yes.stdout


def test_chat_in_chinese_asks_in_chinese(cli, demo_container) -> None:  # type: ignore[no-untyped-def]
    result = cli.invoke(app, ["chat", "--as", "rm.anna"], input="起草ACME的复审报告\nn\n\n")
    assert result.exit_code == 0, result.output
    assert "提交这份审查报告吗？" in result.stdout and "未提交报告。" in result.stdout


def test_ask_confirms_in_a_terminal_and_says_where_when_piped(cli, demo_container, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from creditdesk.cli import assistant as cli_assistant

    anna = demo_container.actor("rm.anna")
    piped = cli.invoke(app, ["ask", "--as", "rm.anna", "draft the review memo for Initech"])
    assert piped.exit_code == 0, piped.output
    assert "Nothing was done: confirm it in `creditdesk chat`" in piped.stdout
    assert demo_container.memos.list_versions(anna, 1004)[0].status == "draft"
    monkeypatch.setattr(cli_assistant, "interactive", lambda: True)
    at_a_terminal = cli.invoke(
        app, ["ask", "--as", "rm.anna", "draft the review memo for Initech"], input="y\n"
    )
    assert at_a_terminal.exit_code == 0, at_a_terminal.output
    assert "Submit this memo?" in at_a_terminal.stdout
    assert demo_container.memos.list_versions(anna, 1004)[0].status == "submitted"
