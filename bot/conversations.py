"""Per-conversation context the offline brain needs for follow-ups ("and its utilisation?", "raise it to 3M").

Stored in the app database so a follow-up works in another process. A conversation belongs to the officer
who holds it: the key is (officer_id, conversation_id), so one officer can never continue another's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
    last_amount: str | None = SQLField(
        default=None, max_length=40, description="Last limit amount asked about"
    )
    last_dimension: str | None = SQLField(
        default=None, max_length=32, description="Last concentration dimension"
    )
    turns: int = 0
    updated_at: dt.datetime


class ConversationState(BaseModel):
    """What a follow-up can refer back to."""

    last_client_id: int | None = None
    last_client_name: str | None = None
    last_intents: list[str] = Field(default_factory=list)
    last_amount: Decimal | None = None
    last_dimension: str | None = None
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
                last_amount=Decimal(row.last_amount) if row.last_amount else None,
                last_dimension=row.last_dimension,
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
            row.last_amount = None if state.last_amount is None else str(state.last_amount)
            row.last_dimension = state.last_dimension
            row.updated_at = dt.datetime.now(dt.UTC)
            session.add(row)
            session.commit()


def state_after(
    state: ConversationState, tool_calls: list[tuple[str, dict[str, object], str]]
) -> ConversationState:
    """The context after a turn: the last client a tool read successfully, the tools used, and the last
    limit amount and concentration dimension a tool was asked about (kept until a new one is asked).

    `tool_calls` are (name, arguments, outcome) — from either brain, so follow-ups survive a fallback.
    """
    ok = [(name, args) for name, args, outcome in tool_calls if outcome == "ok"]
    client_ids = [args["client_id"] for _, args in ok if isinstance(args.get("client_id"), int)]
    names = list(dict.fromkeys(name for name, _ in ok if name != "client_profile"))
    amounts = [args["new_limit"] for _, args in ok if args.get("new_limit") is not None]
    dimensions = [args["dimension"] for _, args in ok if isinstance(args.get("dimension"), str)]
    client_changed = bool(client_ids) and client_ids[-1] != state.last_client_id
    return ConversationState(
        last_amount=Decimal(str(amounts[-1])) if amounts else (None if client_changed else state.last_amount),
        last_dimension=dimensions[-1] if dimensions else state.last_dimension,
        last_client_id=client_ids[-1] if client_ids else state.last_client_id,
        last_client_name=state.last_client_name if not client_ids else None,
        last_intents=names or state.last_intents,
        turns=state.turns + 1,
    )
