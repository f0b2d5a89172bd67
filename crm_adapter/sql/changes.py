"""A database-wide change counter, so caches in any process know when the book changed.

Every committed write of data the API, sidebar and assistant cache (clients, facilities, officers,
contacts, review runs, API tokens, imports, approvals applied) bumps one row in `data_changes` inside
its own transaction (`bump_in`). Readers key their caches on `current()`, which reads that row at
most every `poll_s` seconds; a write made in this process calls `touch()` after its commit so the
next read here sees it at once. So a cached card is never older than the last write plus `poll_s`,
and a cache entry lives until the data changes, not until a timer runs out.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import Connection, Engine, select, update
from sqlmodel import Field, SQLModel

COUNTER_ID = 1


class DataChangeRow(SQLModel, table=True):
    __tablename__ = "data_changes"

    id: int = Field(primary_key=True)
    version: int = Field(default=0)


TABLE = DataChangeRow.__table__  # type: ignore[attr-defined]


def bump_in(conn: Connection) -> None:
    """Count a write inside the writer's transaction (it commits or rolls back with the write)."""
    conn.execute(update(TABLE).where(TABLE.c.id == COUNTER_ID).values(version=TABLE.c.version + 1))


class ChangeCounter:
    def __init__(self, engine: Engine, *, poll_s: float = 0.25) -> None:
        self.engine = engine
        self.poll_s = poll_s
        self._lock = threading.Lock()
        self._read_at = float("-inf")
        self._version = 0
        self._generation = 0  # bumped by touch(): a read that started before it is not remembered

    def current(self) -> int:
        """The counter, read from the database at most every `poll_s` seconds (never going backwards)."""
        now = time.monotonic()
        with self._lock:
            if now - self._read_at < self.poll_s:
                return self._version
            generation = self._generation
        with self.engine.connect() as conn:
            value = int(conn.execute(select(TABLE.c.version).where(TABLE.c.id == COUNTER_ID)).scalar() or 0)
        with self._lock:
            self._version = max(self._version, value)
            if generation == self._generation:  # no write of ours committed meanwhile
                self._read_at = now
            return self._version

    def touch(self) -> None:
        """After this process committed a write: the next `current()` reads the database again."""
        with self._lock:
            self._generation += 1
            self._read_at = float("-inf")

    def bump(self) -> None:
        """Count a write that committed elsewhere in this process (its own small transaction)."""
        with self.engine.begin() as conn:
            bump_in(conn)
        self.touch()
