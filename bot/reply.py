"""What the assistant answers: text plus the data behind it, rendered per channel (text, Markdown, Slack).

Every number in `text` is also a `Figure` taken from a tool result; every policy statement is a `Citation`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Final, Literal

from pydantic import BaseModel, Field

Outcome = Literal["ok", "refused", "not_found", "invalid", "unavailable", "error"]
# Why the model's answer was not used and the offline brain answered instead.
DegradedReason = Literal[
    "unreachable", "timeout", "context_too_small", "malformed_tool_calls", "unverified_answer"
]


class ToolCall(BaseModel):
    """One tool the brain called for this turn, with the arguments it used and what came of it."""

    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    outcome: Outcome = "ok"
    message: str | None = Field(None, description="Why it failed (a domain error's message); None when ok")


class Figure(BaseModel):
    """A number shown to the user, always from a tool result."""

    label: str
    value: Decimal | float | int | str | dt.date | None
    unit: str | None = Field(None, description='"USD", "ratio" (0.42 = 42%), "days", "grade", "date"…')
    display: str
    source: str = Field(description="The tool that produced it")
    client_id: int | None = None


class Citation(BaseModel):
    """A policy passage a statement rests on; renders as `[n] Document § Section, p. N`."""

    n: int
    document: str
    section: str | None = None
    page: int | None = None
    chunk_id: str | None = None
    excerpt: str | None = None

    @property
    def label(self) -> str:
        text = f"[{self.n}] {self.document}"
        if self.section:
            text += f" § {self.section}"
        if self.page is not None:
            text += f", p. {self.page}"
        return text


RAISE_REQUEST: Final = "raise_approval_request"
SUBMIT_MEMO: Final = "submit_memo"


class Action(BaseModel):
    """A follow-up the user may confirm; the front door performs it (never the brain)."""

    kind: Literal["raise_approval_request", "submit_memo"]  # RAISE_REQUEST, SUBMIT_MEMO
    label: str
    arguments: dict[str, Any] = Field(description="Exactly what the front door passes to the service")
    summary: list[str] = Field(default_factory=list, description="What the user confirms, line by line")


class ClientCard(BaseModel):
    """Structured client data for rich rendering (Slack card, CRM sidebar)."""

    client_id: int
    name: str
    officer_id: str
    grade: int | None = None
    ews_level: str | None = None
    total_limit: Decimal | None = None
    outstanding: Decimal | None = None
    utilisation: float | None = None
    next_review: dt.date | None = None
    review_overdue: bool | None = None
    currency: str | None = None


class Reply(BaseModel):
    text: str
    tool_calls: list[ToolCall] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    cards: list[ClientCard] = Field(default_factory=list)
    choices: list[str] = Field(default_factory=list, description="Options to pick from (ambiguous names)")
    degraded: bool = Field(False, description="The model's answer was not used; the offline brain answered")
    degraded_reason: DegradedReason | None = Field(
        None, description="Why the reply is degraded (None if not)"
    )
    notice: str | None = Field(None, description="One short line telling the user why (in their language)")
    brain: Literal["offline", "llm"] = "offline"
