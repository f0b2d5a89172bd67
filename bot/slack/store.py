"""What the Slack app keeps server-side: short ids for button payloads, and where each approval step's
messages were posted (so every copy can be updated when the step is decided).

A button's `value` holds one of these short ids, never the payload itself (Slack caps values at 2,000
characters and anyone can read them); the payload is looked up, for the officer it was made for, on click.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, Engine, Text, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select

from kernel.errors import NotFound


class SlackStoredValue(SQLModel, table=True):
    __tablename__ = "slack_stored_values"

    value_id: str = Field(primary_key=True, max_length=32)
    officer_id: str = Field(max_length=64)
    payload_json: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime


class SlackApprovalMessage(SQLModel, table=True):
    __tablename__ = "slack_approval_messages"
    __table_args__ = (UniqueConstraint("request_id", "step_no", "officer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: str = Field(max_length=32, index=True)
    step_no: int
    officer_id: str = Field(max_length=64)
    channel: str = Field(max_length=32)
    ts: str | None = Field(default=None, max_length=32)
    posted_at: dt.datetime


def store_value(engine: Engine, officer_id: str, payload: Mapping[str, Any]) -> str:
    """Keep `payload` for `officer_id`; the short id to put in a button or a modal's metadata."""
    value_id = secrets.token_urlsafe(9)  # 12 characters
    row = SlackStoredValue(
        value_id=value_id,
        officer_id=officer_id,
        payload_json=json.dumps(dict(payload), default=str),
        created_at=dt.datetime.now(dt.UTC),
    )
    with Session(engine) as session:
        session.add(row)
        session.commit()
    return value_id


def load_value(engine: Engine, officer_id: str, value_id: str) -> dict[str, Any]:
    """The payload behind a short id, only for the officer it was made for."""
    with Session(engine) as session:
        row = session.get(SlackStoredValue, value_id[:32])
    if row is None or row.officer_id != officer_id:
        raise NotFound("this button has expired; ask again for a fresh one")
    payload: dict[str, Any] = json.loads(row.payload_json)
    return payload


def claim_approval_message(
    engine: Engine, *, request_id: str, step_no: int, officer_id: str, channel: str
) -> int | None:
    """Reserve the one DM of (request, step, approver); None when it was already sent."""
    row = SlackApprovalMessage(
        request_id=request_id,
        step_no=step_no,
        officer_id=officer_id,
        channel=channel,
        posted_at=dt.datetime.now(dt.UTC),
    )
    try:
        with Session(engine) as session:
            session.add(row)
            session.commit()
            return row.id
    except IntegrityError:
        return None


def record_posted(engine: Engine, message_id: int, *, channel: str, ts: str | None) -> None:
    with Session(engine) as session:
        row = session.get(SlackApprovalMessage, message_id)
        if row is None:
            return
        if ts is None:  # the post failed: give the claim back so a later notification retries
            session.delete(row)
        else:
            row.channel, row.ts = channel, ts
            session.add(row)
        session.commit()


def approval_messages(engine: Engine, request_id: str) -> list[SlackApprovalMessage]:
    """Every posted copy of a request's decision messages, all steps."""
    with Session(engine) as session:
        rows = session.exec(
            select(SlackApprovalMessage)
            .where(SlackApprovalMessage.request_id == request_id)
            .order_by(SlackApprovalMessage.id)  # type: ignore[arg-type]
        ).all()
    return [r for r in rows if r.ts]
