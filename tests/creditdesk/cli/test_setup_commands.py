"""The setup commands through the real CLI (Typer runner in-process, and one real subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

EXAMPLES = Path(__file__).parents[3] / "examples"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CREDITDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CREDITDESK_AS_OF", "2026-11-28")
    from creditdesk.cli import common

    common.settings.cache_clear()
    common.container.cache_clear()
    from creditdesk.cli.main import app

    runner = CliRunner()
    yield lambda *args: runner.invoke(app, list(args))
    common.settings.cache_clear()
    common.container.cache_clear()


def test_import_good_then_bad(cli) -> None:  # type: ignore[no-untyped-def]
    ok = cli("import", str(EXAMPLES / "small-book"), "--json")
    assert ok.exit_code == 0, ok.output
    bad = cli("import", str(EXAMPLES / "bad-rows"))
    assert bad.exit_code == 2
    assert "facilities.csv:6: client_id: unknown client_id '7777'" in bad.output


def test_demo_and_init_are_idempotent(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--demo-if-empty", "--clients", "30").exit_code == 0
    again = cli("init", "--demo-if-empty")
    assert again.exit_code == 0 and "Demo book" not in again.output
    refused = cli("demo", "--clients", "30")
    assert refused.exit_code == 5 and "already has clients" in refused.output


def test_help_runs_in_a_fresh_process(tmp_path: Path) -> None:
    env = {**os.environ, "CREDITDESK_HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "creditdesk.cli.main", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "import" in out.stdout and "demo" in out.stdout


def test_token_link_prints_a_single_use_launch_link(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("import", str(EXAMPLES / "small-book")).exit_code == 0
    result = cli("token", "link", "--officer", "rm.anna", "--client", "1001")
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith("http://127.0.0.1:8000/sidebar/CRM-0001001?token=")  # 1001's CRM id (clients.csv)
    from api.launch import verify_launch
    from creditdesk.cli import common

    claims = verify_launch(common.container().settings.sidebar_key, url.split("token=")[1])
    assert (claims.officer_id, claims.client_ref) == ("rm.anna", "CRM-0001001")
    refused = cli("token", "link", "--officer", "nobody")
    assert refused.exit_code != 0 and "nobody" in refused.output


def test_review_run_stores_and_writes_csv_and_parquet(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    import pandas as pd

    assert cli("import", str(EXAMPLES / "small-book")).exit_code == 0
    result = cli("review", "run", "--json", "--out", str(tmp_path / "r.parquet"))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["run_id"] and summary["summary"]["clients"] == 12
    table = pd.read_parquet(tmp_path / "r.parquet")
    assert len(table) == 12 and {"grade", "pd", "recommended", "ews_level"} <= set(table.columns)
    assert cli("review", "run", "--no-save", "--out", str(tmp_path / "r.csv")).exit_code == 0
    assert len(pd.read_csv(tmp_path / "r.csv")) == 12


def test_approvals_remind_lists_overdue_steps(cli) -> None:  # type: ignore[no-untyped-def]
    import json

    assert cli("init", "--demo-if-empty", "--clients", "30").exit_code == 0
    none = cli("approvals", "remind", "--json")
    assert none.exit_code == 0, none.output
    assert json.loads(none.output) == []
