from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from creditdesk.settings import Settings


def test_defaults_are_offline_and_embedded(tmp_path: Path) -> None:
    s = Settings(home=tmp_path, _env_file=None)  # type: ignore[call-arg]
    assert s.resolved_database_url == f"sqlite:///{tmp_path.resolve() / 'creditdesk.db'}"
    assert s.chroma_url is None and not s.llm_configured
    assert s.reporting_currency == "USD"


def test_environment_moves_it_to_postgres_and_a_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CREDITDESK_DATABASE_URL", "postgresql+psycopg://u@db/credit")
    monkeypatch.setenv("CREDITDESK_LLM_BASE_URL", "http://llm:8000/v1")
    monkeypatch.setenv("CREDITDESK_LLM_MODEL", "qwen")
    monkeypatch.setenv("CREDITDESK_LLM_API_KEY", "sk-test")
    monkeypatch.setenv("CREDITDESK_REPORTING_CURRENCY", "eur")
    s = Settings(home=tmp_path, _env_file=None)  # type: ignore[call-arg]
    assert s.resolved_database_url.startswith("postgresql+psycopg://")
    assert s.llm_configured and s.reporting_currency == "EUR"
    assert "sk-test" not in repr(s)


def test_prod_refuses_placeholder_secret(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="SIDEBAR_SECRET"):
        Settings(home=tmp_path, env="prod", _env_file=None)  # type: ignore[call-arg]


def test_prod_refuses_a_short_secret(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(home=tmp_path, env="prod", sidebar_secret="too-short", _env_file=None)  # type: ignore[call-arg]
    ok = Settings(home=tmp_path, env="prod", sidebar_secret="x" * 32, _env_file=None)  # type: ignore[call-arg]
    assert ok.sidebar_key == "x" * 32


@pytest.mark.parametrize("given", [None, "dev-secret", "changeme"])
def test_without_a_real_secret_each_home_gets_its_own_random_one(tmp_path: Path, given: str | None) -> None:
    extra = {} if given is None else {"sidebar_secret": given}
    first = Settings(home=tmp_path / "a", _env_file=None, **extra)  # type: ignore[arg-type]
    again = Settings(home=tmp_path / "a", _env_file=None, **extra)  # type: ignore[arg-type]
    other = Settings(home=tmp_path / "b", _env_file=None, **extra)  # type: ignore[arg-type]
    assert first.sidebar_key == again.sidebar_key != other.sidebar_key
    assert len(first.sidebar_key) >= 32 and first.sidebar_key not in {"dev-secret", "changeme"}
    assert (tmp_path / "a" / "sidebar-secret").stat().st_mode & 0o777 == 0o600


def test_the_home_folder_is_found_not_conjured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CREDITDESK_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # platformdirs' user data folder on Linux
    monkeypatch.chdir(tmp_path)
    assert Settings(_env_file=None).home_dir == tmp_path / "xdg" / "creditdesk"  # type: ignore[call-arg]
    assert not (tmp_path / ".creditdesk").exists()
    (tmp_path / ".creditdesk").mkdir()  # a checkout after `make run`
    assert Settings(_env_file=None).home_dir == tmp_path / ".creditdesk"  # type: ignore[call-arg]
    monkeypatch.setenv("CREDITDESK_HOME", str(tmp_path / "elsewhere"))
    assert Settings(_env_file=None).home_dir == tmp_path / "elsewhere"  # type: ignore[call-arg]


def test_database_is_initialised(tmp_path: Path) -> None:
    import sqlite3

    from creditdesk.settings import database_is_initialised

    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert not database_is_initialised(url)
    assert not (tmp_path / "x.db").exists()  # asking did not create it
    with sqlite3.connect(tmp_path / "x.db") as db:
        db.execute("create table other (a)")
    assert not database_is_initialised(url)
    with sqlite3.connect(tmp_path / "x.db") as db:
        db.execute("create table alembic_version (version_num text)")
    assert database_is_initialised(url)
    assert database_is_initialised("sqlite:///:memory:")
