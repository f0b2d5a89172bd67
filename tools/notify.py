"""Notifications of approval requests, decisions and early warnings (Slack implements them; the default is silent)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from crm_adapter.models import Client, Officer


@runtime_checkable
class Notifier(Protocol):
    def request_needs_decision(self, request: object, approvers: Sequence[Officer]) -> None:
        """A step opened: tell the officers who may decide it (an ApprovalRequestView)."""
        ...

    def request_decided(self, request: object) -> None:
        """The request closed (approved, rejected or returned): tell the requester."""
        ...

    def request_overdue(self, request: object, approvers: Sequence[Officer]) -> None:
        """The open step is past its SLA: remind the officers who may decide it (at most once a day)."""
        ...

    def warning_raised(self, client: Client, warning: object, officer: Officer) -> None:
        """A new early warning for a client: tell its officer."""
        ...


class NullNotifier:
    """The default when no channel is configured: the dashboard and CLI show the same items."""

    def request_needs_decision(self, request: object, approvers: Sequence[Officer]) -> None:
        return None

    def request_decided(self, request: object) -> None:
        return None

    def request_overdue(self, request: object, approvers: Sequence[Officer]) -> None:
        return None

    def warning_raised(self, client: Client, warning: object, officer: Officer) -> None:
        return None
