"""Saved memo versions: table `memos` (one row per version) and its repository.

A version keeps the whole memo as JSON plus the sha256 of the data snapshot it was built from.
Versions of a client count 1, 2, 3 …; a status only moves forward: draft → submitted → approved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, Engine, UniqueConstraint, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from kernel.errors import Conflict, NotFound
from tools.memos.models import Memo, MemoStatus, MemoVersion

NEXT_STATUS: dict[str, str] = {"draft": "submitted", "submitted": "approved"}


class MemoRow(SQLModel, table=True):
    __tablename__ = "memos"
    __table_args__ = (UniqueConstraint("client_id", "version", name="uq_memos_client_version"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(index=True)
    version: int
    status: str = Field(default="draft", max_length=16)
    created_by: str = Field(max_length=64)
    created_at: dt.datetime
    as_of: dt.date
    snapshot_sha256: str = Field(max_length=64)
    language: str = Field(default="en", max_length=8)
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class MemoStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, memo: Memo, *, created_by: str) -> Memo:
        """Save `memo` as the client's next version (a draft); returns it with id and version set.

        Two drafts of one client at once: the unique (client, version) makes one retry with the next number."""
        for attempt in range(3):
            try:
                return self._add(memo, created_by=created_by)
            except IntegrityError:
                if attempt == 2:
                    raise Conflict(
                        f"could not number a new memo version for client {memo.client_id}"
                    ) from None
        raise AssertionError("unreachable")

    def _add(self, memo: Memo, *, created_by: str) -> Memo:
        with Session(self.engine) as s:
            last = s.exec(select(func.max(MemoRow.version)).where(MemoRow.client_id == memo.client_id)).one()
            version = (last or 0) + 1
            row = MemoRow(
                client_id=memo.client_id,
                version=version,
                status="draft",
                created_by=created_by,
                created_at=memo.created_at,
                as_of=memo.as_of,
                snapshot_sha256=memo.snapshot_sha256,
                language=memo.language,
                content={},
            )
            s.add(row)
            s.flush()
            saved = memo.model_copy(update={"memo_id": row.id, "version": version, "status": "draft"})
            row.content = saved.model_dump(mode="json")
            s.commit()
        return saved

    def get(self, memo_id: int) -> Memo:
        with Session(self.engine) as s:
            row = s.get(MemoRow, memo_id)
            if row is None:
                raise NotFound(f"memo {memo_id} not found")
            return _memo(row)

    def versions(self, client_id: int) -> list[MemoVersion]:
        with Session(self.engine) as s:
            rows = s.exec(
                select(MemoRow).where(MemoRow.client_id == client_id).order_by(col(MemoRow.version).desc())
            )
            return [_version(r) for r in rows]

    def advance(self, memo_id: int, to: MemoStatus) -> Memo:
        """Move a version's status one step forward (draft → submitted → approved), or raise Conflict.

        A conditional UPDATE (status still the one before `to`): of two concurrent moves exactly one wins."""
        before = next((k for k, v in NEXT_STATUS.items() if v == to), None)
        with Session(self.engine) as s:
            row = s.get(MemoRow, memo_id)
            if row is None:
                raise NotFound(f"memo {memo_id} not found")
            moved = s.execute(
                update(MemoRow).where(col(MemoRow.id) == memo_id, col(MemoRow.status) == before)
                .values(status=to, content={**row.content, "status": to})
            )  # fmt: skip
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                s.rollback()
                current = s.get(MemoRow, memo_id, populate_existing=True)
                raise Conflict(
                    f"memo {memo_id} is {current.status if current else 'gone'}; it cannot become {to}"
                )
            s.commit()
            s.refresh(row)
            return _memo(row)


def _memo(row: MemoRow) -> Memo:
    return Memo.model_validate(
        {**row.content, "memo_id": row.id, "version": row.version, "status": row.status}
    )


def _version(row: MemoRow) -> MemoVersion:
    return MemoVersion(
        memo_id=row.id or 0,
        client_id=row.client_id,
        version=row.version,
        status=row.status,  # type: ignore[arg-type]
        language=row.language,  # type: ignore[arg-type]
        as_of=row.as_of,
        created_by=row.created_by,
        created_at=row.created_at,
        snapshot_sha256=row.snapshot_sha256,
    )
