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
