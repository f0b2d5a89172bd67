"""Audit tables (append-only events and the chain head) and the typed views the trail returns."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

GENESIS_HASH = "0" * 64
MAIN_CHAIN = "main"


class AuditEventRow(SQLModel, table=True):
    """One event. Never updated or deleted (a PostgreSQL trigger refuses both)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    event_id: str = Field(max_length=32, unique=True)
    at: dt.datetime = Field(index=True, description="UTC")
    actor_id: str | None = Field(default=None, max_length=64, index=True)
    actor_role: str | None = Field(default=None, max_length=24)
    channel: str | None = Field(default=None, max_length=32)
    action: str = Field(max_length=64, index=True)
    object_type: str = Field(max_length=64)
    object_id: str = Field(max_length=128)
    before_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    after_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    data_hash: str | None = Field(default=None, max_length=64)
    policy_version: str | None = Field(default=None, max_length=64)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
    mac: str | None = Field(
        default=None, max_length=64, description="HMAC-SHA256(audit key, hash); NULL = legacy"
    )


class AuditHeadRow(SQLModel, table=True):
    """The chain's head: the last sequence number and hash. Appends lock this row (serialised)."""

    __tablename__ = "audit_head"

    chain: str = Field(primary_key=True, max_length=16)
    seq: int = 0
    last_hash: str = Field(max_length=64)


class AuditEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    seq: int
    event_id: str
    at: dt.datetime
    actor_id: str | None
    actor_role: str | None
    channel: str | None
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    data_hash: str | None
    policy_version: str | None
    prev_hash: str
    hash: str
    mac: str | None = None

    @classmethod
    def from_row(cls, row: Any) -> AuditEvent:
        m = row._mapping if hasattr(row, "_mapping") else row
        return cls(
            **{k: m[k] for k in cls.model_fields if k not in ("before", "after", "mac")},
            mac=m.get("mac"),
            before=json.loads(m["before_json"]) if m["before_json"] is not None else None,
            after=json.loads(m["after_json"]) if m["after_json"] is not None else None,
        )


class VerifyProblem(BaseModel):
    model_config = ConfigDict(frozen=True)

    seq: int
    kind: Literal["edited", "deleted", "relinked", "head", "forged", "unsigned", "anchor"]
    message: str


class VerifyResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    ok: bool
    events: int
    head_seq: int
    head_hash: str
    problems: list[VerifyProblem]
    signed: int = 0
    legacy_unsigned: int = 0
    anchors: int = 0
    keyed: bool = False
