"""Application settings (environment prefix CREDITDESK_). Read only by the application shell."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev-secret"}


class Settings(BaseSettings):
    """Everything a deployment configures. Defaults run fully offline with embedded stores."""

    model_config = SettingsConfigDict(
        env_prefix="CREDITDESK_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    env: str = Field("dev", description="dev | test | prod; prod refuses placeholder secrets")
    home: Path = Field(Path(".creditdesk"), description="Data folder: SQLite file, Chroma, model artefacts")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default SQLite in HOME")
    reporting_currency: str = Field("USD", min_length=3, max_length=3)
    policy_path: Path | None = Field(None, description="Override of the shipped policy YAML")
    as_of: dt.date | None = Field(None, description="Pin 'today' for reproducible runs and demos")

    # knowledge base
    chroma_url: str | None = Field(None, description="Chroma server URL; default embedded in HOME")
    embedding: str = Field("wordllama", description="wordllama | openai | sentence-transformers:PATH")
    embedding_model: str | None = None

    # assistant model (OpenAI-compatible)
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_timeout_s: float = 30.0

    # API, sidebar and Slack
    public_url: str = "http://127.0.0.1:8000"
    sidebar_secret: SecretStr = SecretStr("dev-secret")
    slack_bot_token: SecretStr | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_risk_channel: str | None = None
    slack_api_url: str | None = Field(None, description="Override of the Slack Web API base URL (tests)")

    @field_validator("reporting_currency")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @model_validator(mode="after")
    def _refuse_placeholders_in_prod(self) -> Settings:
        if self.env == "prod" and self.sidebar_secret.get_secret_value() in PLACEHOLDER_SECRETS:
            raise ValueError(
                "CREDITDESK_SIDEBAR_SECRET must be set to a real secret when CREDITDESK_ENV=prod"
            )
        return self

    @cached_property
    def home_dir(self) -> Path:
        path = self.home.expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home_dir / 'creditdesk.db'}"

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)
