"""`creditdesk slack` refuses to start without both Socket Mode tokens, with a pointer to the guide."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from creditdesk.wiring import Container


def test_slack_needs_both_tokens(container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    from creditdesk.cli.main import app

    monkeypatch.setattr("creditdesk.cli.slack.container", lambda: container)
    result = CliRunner().invoke(app, ["slack"])
    assert result.exit_code == 2 and "SLACK_APP_TOKEN" in result.output and "docs/slack.md" in result.output
