"""CLI identity: in prod a command acting as an officer needs that officer's API token (or an admin's
token and an audited break-glass reason); admin commands need an admin and are audited with it; dev keeps
`--as` for demos."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner, Result

from tests.conftest import AS_OF

SHOW = ("clients", "show", "1001")


def _make_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str) -> Iterator[Callable[..., Result]]:
    monkeypatch.setenv("CREDITDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CREDITDESK_AS_OF", AS_OF.isoformat())
    monkeypatch.setenv("CREDITDESK_ENV", env)
    monkeypatch.setenv("CREDITDESK_SIDEBAR_SECRET", "s" * 40)
    monkeypatch.delenv("CREDITDESK_TOKEN", raising=False)
    monkeypatch.delenv("CREDITDESK_BREAK_GLASS", raising=False)
    from creditdesk.cli import common
    from creditdesk.cli.main import app
    from crm_adapter.demo import generate_demo

    common.settings.cache_clear()
    common.container.cache_clear()
    common.container().migrate()
    generate_demo(common.container().engine, n_clients=12, seed=7, as_of=AS_OF)
    runner = CliRunner()

    def run(*args: str, token: str | None = None, break_glass: str | None = None) -> Result:
        env_vars = {"CREDITDESK_TOKEN": token, "CREDITDESK_BREAK_GLASS": break_glass}
        return runner.invoke(app, list(args), env={k: v for k, v in env_vars.items() if v is not None})

    run.container = common.container()  # type: ignore[attr-defined]
    run.token = lambda officer: common.container().tokens.create(officer).token  # type: ignore[attr-defined]
    yield run
    common.settings.cache_clear()
    common.container.cache_clear()


@pytest.fixture
def prod(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    yield from _make_cli(tmp_path, monkeypatch, "prod")


@pytest.fixture
def dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    yield from _make_cli(tmp_path, monkeypatch, "dev")


def _events(container, action: str) -> list[dict]:  # type: ignore[no-untyped-def]
    with container.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM audit_events WHERE action = :a ORDER BY seq"), {"a": action})
        return [dict(r._mapping) for r in rows]


def test_prod_needs_the_officers_token(prod) -> None:  # type: ignore[no-untyped-def]
    bare = prod(*SHOW, "--as", "rm.anna")
    assert bare.exit_code == 4 and "CREDITDESK_TOKEN" in bare.output
    assert prod(*SHOW, "--as", "rm.anna", token="cd_" + "x" * 40).exit_code == 4
    ok = prod(*SHOW, "--as", "rm.anna", token=prod.token("rm.anna"))
    assert ok.exit_code == 0, ok.output
    someone_else = prod(*SHOW, "--as", "rm.anna", token=prod.token("risk.lee"))
    assert someone_else.exit_code == 4 and "break-glass" in someone_else.output


def test_prod_break_glass_by_an_admin_is_audited(prod) -> None:  # type: ignore[no-untyped-def]
    admin = prod.token("admin")
    assert prod(*SHOW, "--as", "rm.anna", token=admin).exit_code == 4  # no reason given
    done = prod(*SHOW, "--as", "rm.anna", token=admin, break_glass="INC-42 client complaint")
    assert done.exit_code == 0, done.output
    [event] = _events(prod.container, "cli.break_glass")
    assert event["actor_id"] == "admin" and event["object_id"] == "rm.anna"
    after = json.loads(event["after_json"])
    assert after["reason"] == "INC-42 client complaint" and "clients show" in after["command"]


def test_prod_admin_commands_need_an_admin(prod) -> None:  # type: ignore[no-untyped-def]
    create = ("token", "create", "--officer", "rm.anna")
    assert prod(*create).exit_code == 4
    refused = prod(*create, token=prod.token("rm.anna"))
    assert refused.exit_code == 4 and "admin" in refused.output
    done = prod(*create, token=prod.token("admin"))
    assert done.exit_code == 0, done.output
    events = _events(prod.container, "cli.admin_command")
    assert [(e["actor_id"], json.loads(e["after_json"])["action"]) for e in events] == [
        ("admin", "issuing an API token")
    ]


def test_dev_keeps_as_for_demos(dev) -> None:  # type: ignore[no-untyped-def]
    assert dev(*SHOW, "--as", "rm.anna").exit_code == 0
    assert dev("token", "create", "--officer", "rm.anna").exit_code == 0
    assert dev("token", "create", "--officer", "rm.anna", "--as", "rm.anna").exit_code == 4


@pytest.mark.parametrize("days", ["-1", "100000000"])
def test_expires_days_out_of_range_is_a_clear_error(dev, days: str) -> None:  # type: ignore[no-untyped-def]
    out = dev("token", "create", "--officer", "rm.anna", "--expires-days", days)
    assert out.exit_code == 2 and "--expires-days" in out.output and "unexpected" not in out.output
