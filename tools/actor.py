"""The acting officer. Resolved by the runtime from the authenticated channel, never by a model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from crm_adapter.enums import Role
from crm_adapter.models import Officer

# Roles that read the whole book; the others (rm, analyst) read their team's clients.
BOOK_WIDE_ROLES = frozenset({Role.APPROVER, Role.RISK, Role.AUDITOR, Role.ADMIN})


class Actor(BaseModel):
    """Who is acting, through which channel, with what authority."""

    model_config = ConfigDict(frozen=True)

    officer_id: str
    name: str
    role: Role
    team: str
    approval_level: int = 0
    channel: str = "cli"

    @classmethod
    def from_officer(cls, officer: Officer, *, channel: str = "cli") -> Actor:
        return cls(
            officer_id=officer.officer_id,
            name=officer.name,
            role=officer.role,
            team=officer.team,
            approval_level=officer.approval_level,
            channel=channel,
        )

    @property
    def book_wide(self) -> bool:
        return self.role in BOOK_WIDE_ROLES
