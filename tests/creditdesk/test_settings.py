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
