"""Shared fixtures: fresh stores, a small deterministic demo book, actors.

- `container`: an empty, migrated SQLite store in a temporary CREDITDESK_HOME.
- `book_container`: the same on every configured backend (SQLite, and PostgreSQL in its own schema
  when CREDITDESK_TEST_DATABASE_URL is set) — for repository-level tests.
- `demo_container`: a private copy of a seeded 120-client demo book (safe to write to).
- `actor_of(container, officer_id)`: the Actor for an officer.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text

from creditdesk.settings import Settings
from creditdesk.wiring import Container

# Property tests check what is computed, never how fast (speed is measured in bench/): on a loaded 2-core CI
# machine a per-example deadline or the "too slow" health check only makes them flaky.
settings.register_profile("creditdesk", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("creditdesk")

AS_OF = dt.date(2026, 11, 28)
DEMO_CLIENTS = 120
DEMO_SEED = 7
PG_URL = os.environ.get("CREDITDESK_TEST_DATABASE_URL")


def make_container(home: Path, database_url: str | None = None, **settings: object) -> Container:
    container = Container.from_settings(
        Settings(home=home, database_url=database_url, as_of=AS_OF, _env_file=None, **settings)  # type: ignore[call-arg]
    )
    container.migrate()
    return container


@pytest.fixture
def container(tmp_path: Path) -> Container:
    return make_container(tmp_path / "empty-home")


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    if not PG_URL:
        pytest.skip("CREDITDESK_TEST_DATABASE_URL not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def book_container(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Container]:
    if request.param == "sqlite":
        yield make_container(tmp_path / "home")
        return
    url = request.getfixturevalue("pg_schema_url")
    container = make_container(tmp_path / "home", url)
    yield container
    container.engine.dispose()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from crm_adapter.demo import generate_demo

    home = tmp_path_factory.mktemp("demo-template")
    container = make_container(home)
    generate_demo(container.engine, n_clients=DEMO_CLIENTS, seed=DEMO_SEED, as_of=AS_OF)
    container.engine.dispose()
    return home


@pytest.fixture
def demo_container(_demo_template: Path, tmp_path: Path) -> Container:
    home = tmp_path / "demo-home"
    shutil.copytree(_demo_template, home)
    return make_container(home)


def actor_of(container: Container, officer_id: str, channel: str = "cli"):  # type: ignore[no-untyped-def]
    return container.actor(officer_id, channel=channel)


@pytest.fixture
def demo_cli(demo_container: Container, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`creditdesk` commands over a copy of the demo book, as an officer runs them: `demo_cli("memo", "1001",
    "--as", "rm.anna")` is the CLI's result (typer's CliRunner), with the CLI's cached settings and container
    cleared before and after."""
    from typer.testing import CliRunner

    from creditdesk.cli import common
    from creditdesk.cli.main import app

    monkeypatch.setenv("CREDITDESK_HOME", str(demo_container.settings.home))
    monkeypatch.setenv("CREDITDESK_AS_OF", AS_OF.isoformat())
    common.settings.cache_clear()
    common.container.cache_clear()
    yield lambda *args: CliRunner().invoke(app, list(args))
    common.settings.cache_clear()
    common.container.cache_clear()
