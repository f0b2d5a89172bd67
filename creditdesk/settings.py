"""Application settings (environment prefix CREDITDESK_). Read only by the application shell."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from functools import cached_property
from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kernel.errors import InvalidInput

APP_NAME = "creditdesk"
LOCAL_HOME = Path(".creditdesk")
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev-secret"}
MIN_SECRET_LENGTH = 32


def default_home() -> Path:
    """The data folder when CREDITDESK_HOME is not set: `./.creditdesk` when it exists (a checkout after
    `make run`), else the user's data folder (e.g. ~/.local/share/creditdesk). Never conjured in the
    current folder."""
    if LOCAL_HOME.is_dir():
        return LOCAL_HOME
    return user_data_path(APP_NAME, appauthor=False)


def database_is_initialised(url: str) -> bool:
    """Whether a SQLite database exists at `url` and holds the schema (checked without SQLAlchemy, and
    without creating the file)."""
    import sqlite3

    path = url.split("///", 1)[-1].split("?", 1)[0]
    if path in ("", ":memory:") or not Path(path).is_file():
        return path == ":memory:"
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            row = db.execute("select 1 from sqlite_master where type = 'table' and name = 'alembic_version'")
            return row.fetchone() is not None
    except sqlite3.Error:
        return False


def _home_secret(path: Path) -> str:
    """A random secret created once per data folder, readable by its owner only (created with mode 0600;
    the first process to create it wins, the others read it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    for _ in range(50):  # another process may be writing it this instant
        secret = path.read_text().strip()
        if len(secret) >= MIN_SECRET_LENGTH:
            return secret
        time.sleep(0.02)
    raise ValueError(f"{path} holds no usable secret (under {MIN_SECRET_LENGTH} characters); delete it")


class Settings(BaseSettings):
    """Everything a deployment configures. Defaults run fully offline with embedded stores."""

    model_config = SettingsConfigDict(
        env_prefix="CREDITDESK_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    env: str = Field("dev", description="dev | test | prod; prod refuses placeholder secrets")
    home: Path = Field(
        default_factory=default_home,
        description="Data folder: SQLite file, Chroma, model artefacts (default: ./.creditdesk when it "
        "exists, else the user data folder)",
    )
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
    llm_timeout_s: float = Field(90.0, gt=0, description="One model call; a CPU server's prefill is slow")
    llm_turn_deadline_s: float = Field(240.0, gt=0, description="A whole assistant turn, all model calls")
    llm_context_tokens: int = Field(8192, ge=512, description="The served model's context size (tokens)")
    llm_max_tokens: int = Field(512, ge=16, description="Longest reply the model may write (tokens)")

    # API, sidebar and Slack
    public_url: str = Field(
        DEFAULT_PUBLIC_URL,
        description="The address users reach the server at (links, secure cookies); unset: the address of "
        "the running `creditdesk serve`",
    )
    sidebar_secret: SecretStr | None = Field(
        None, description="Launch-token HMAC secret shared with the CRM; unset in dev: a random one in HOME"
    )
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
    def _real_sidebar_secret(self) -> Settings:
        """Never a well-known secret: prod needs a real one (≥ 32 characters); elsewhere an unset or
        placeholder secret is replaced by a random one kept in HOME/sidebar-secret (mode 0600), made when
        first needed (`sidebar_key`), so reading the settings writes nothing."""
        given = self.sidebar_secret.get_secret_value() if self.sidebar_secret else ""
        if self.env == "prod" and (given in PLACEHOLDER_SECRETS or len(given) < MIN_SECRET_LENGTH):
            raise ValueError(
                f"CREDITDESK_SIDEBAR_SECRET must be a real secret of at least {MIN_SECRET_LENGTH} "
                "characters when CREDITDESK_ENV=prod"
            )
        return self

    @cached_property
    def home_path(self) -> Path:
        """The data folder, not created (a command that only reads must not leave a stray folder behind);
        a path that is a file is refused with a clear message."""
        path = self.home.expanduser().resolve()
        if path.exists() and not path.is_dir():
            raise InvalidInput(
                key="settings.home_not_folder", params={"path": str(path)}, field="CREDITDESK_HOME"
            )
        return path

    @cached_property
    def home_dir(self) -> Path:
        """The data folder, created when missing (for what is about to be written into it)."""
        path = self.home_path
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a parent is a file, no permission, a read-only disk …
            raise InvalidInput(key="settings.home_not_created", params={"path": str(path), "reason": exc.strerror},
                               field="CREDITDESK_HOME") from None  # fmt: skip
        return path

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home_dir / 'creditdesk.db'}"

    @cached_property
    def sidebar_key(self) -> str:
        """The launch-token secret: the one configured, else this data folder's random one."""
        given = self.sidebar_secret.get_secret_value() if self.sidebar_secret else ""
        if given in PLACEHOLDER_SECRETS:
            return _home_secret(self.home_dir / "sidebar-secret")
        return given

    @property
    def public_url_is_set(self) -> bool:
        """Whether the deployment set CREDITDESK_PUBLIC_URL (else links use the running server's address)."""
        return "public_url" in self.model_fields_set

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)
