"""Fixtures for the security scenarios: the real CLI on a fresh home (in-process Typer runner)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.api.conftest import anna, app, client, token_for  # noqa: F401 - the API fixtures, shared
from tests.bot.slack.conftest import fake_slack, slack, slack_container  # noqa: F401 - the Slack harness


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    """`cli("audit", "verify")` runs the CLI on a fresh, migrated home; `cli.container` is its wiring."""
    monkeypatch.setenv("CREDITDESK_HOME", str(tmp_path / "cli-home"))
    monkeypatch.setenv("CREDITDESK_AS_OF", "2026-11-28")
    from creditdesk.cli import common

    common.settings.cache_clear()
    common.container.cache_clear()
    from creditdesk.cli.main import app as cli_app

    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli_app, list(args), input=input)

    common.container().migrate()
    run.container = common.container()  # type: ignore[attr-defined]
    yield run
    common.settings.cache_clear()
    common.container.cache_clear()
