"""What the Slack front door needs from the application, as Protocols (typing only).

The shell's `Container` satisfies them; the Slack modules name these instead of importing the shell, so
every import points down (front doors -> tools -> adapters -> kernel) and the shell is never imported
from below, not even for type checking.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pydantic import SecretStr
    from sqlalchemy import Engine

    from bot.assistant import Assistant
    from crm_adapter.protocol import CRMAdapter
    from tools.approvals.service import ApprovalService
    from tools.engine.service import CreditEngine
    from tools.memos.service import MemoService
    from tools.notify import Notifier


class SlackSettings(Protocol):
    @property
    def slack_bot_token(self) -> SecretStr | None: ...
    @property
    def slack_signing_secret(self) -> SecretStr | None: ...
    @property
    def slack_api_url(self) -> str | None: ...


class SlackServices(Protocol):
    """The services the Slack app, its listeners and alerts use."""

    @property
    def settings(self) -> SlackSettings: ...
    @property
    def engine(self) -> Engine: ...
    @property
    def adapter(self) -> CRMAdapter: ...
    @property
    def credit_engine(self) -> CreditEngine: ...
    @property
    def approvals(self) -> ApprovalService: ...
    @property
    def memos(self) -> MemoService: ...
    @property
    def assistant(self) -> Assistant: ...
    @property
    def notifier(self) -> Notifier: ...
    def today(self) -> dt.date: ...
