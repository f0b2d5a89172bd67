"""Per-conversation context the offline brain needs for follow-ups ("and its utilisation?", "raise it to 3M").

Stored in the app database so a follow-up works in another process. A conversation belongs to the officer
who holds it: the key is (officer_id, conversation_id), so one officer can never continue another's.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlmodel import Field as SQLField
from sqlmodel import Session, SQLModel


class ConversationRow(SQLModel, table=True):
    __tablename__ = "assistant_conversations"

    officer_id: str = SQLField(primary_key=True, max_length=64)
    conversation_id: str = SQLField(primary_key=True, max_length=200)
    last_client_id: int | None = None
    last_client_name: str | None = SQLField(default=None, max_length=200)
    last_intents: str = SQLField(default="", max_length=500, description="Comma-separated intent names")
    turns: int = 0
    updated_at: dt.datetime


class ConversationState(BaseModel):
    """What a follow-up can refer back to."""

    last_client_id: int | None = None
    last_client_name: str | None = None
    last_intents: list[str] = Field(default_factory=list)
    turns: int = 0


class ConversationStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def load(self, officer_id: str, conversation_id: str) -> ConversationState:
        with Session(self.engine) as session:
            row = session.get(ConversationRow, (officer_id, conversation_id))
            if row is None:
                return ConversationState()
            return ConversationState(
                last_client_id=row.last_client_id, last_client_name=row.last_client_name,
                last_intents=[i for i in row.last_intents.split(",") if i], turns=row.turns,
            )  # fmt: skip

    def save(self, officer_id: str, conversation_id: str, state: ConversationState) -> None:
        with Session(self.engine) as session:
            row = session.get(ConversationRow, (officer_id, conversation_id)) or ConversationRow(
                officer_id=officer_id, conversation_id=conversation_id, updated_at=dt.datetime.now(dt.UTC)
            )
            row.last_client_id = state.last_client_id
            row.last_client_name = state.last_client_name
            row.last_intents = ",".join(state.last_intents)[:500]
            row.turns = state.turns
            row.updated_at = dt.datetime.now(dt.UTC)
            session.add(row)
            session.commit()


def state_after(
    state: ConversationState, tool_calls: list[tuple[str, dict[str, object], str]]
) -> ConversationState:
    """The context after a turn: the last client a tool read successfully and the tools used.

    `tool_calls` are (name, arguments, outcome) — from either brain, so follow-ups survive a fallback.
    """
    ok = [(name, args) for name, args, outcome in tool_calls if outcome == "ok"]
    client_ids = [args["client_id"] for _, args in ok if isinstance(args.get("client_id"), int)]
    names = list(dict.fromkeys(name for name, _ in ok if name != "client_profile"))
    return ConversationState(
        last_client_id=client_ids[-1] if client_ids else state.last_client_id,
        last_client_name=state.last_client_name if not client_ids else None,
        last_intents=names or state.last_intents,
        turns=state.turns + 1,
    )
