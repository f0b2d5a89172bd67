"""A database-wide change counter, so caches in any process know when the book changed.

Every committed write of data the API, sidebar and assistant cache (clients, facilities, officers,
contacts, review runs, API tokens, imports, approvals applied) bumps one row in `data_changes` inside
its own transaction (`bump_in`). Readers key their caches on `current()`, which reads that row at
most every `poll_s` seconds; a write made in this process calls `touch()` after its commit so the
next read here sees it at once. So a cached card is never older than the last write plus `poll_s`,
and a cache entry lives until the data changes, not until a timer runs out.

Each bump also says what it changed (`data_change_log`, migration 0020): the clients whose data it wrote, no
client (e.g. an API token), or — the default — anything in the book. `changed_clients(since, until)` answers
with the clients written between two versions, or None when any write in between was not client-scoped
(or is not logged: a database before 0020, or a write from older code), so a cache can re-assess only the
clients a write touched and fall back to a full recompute whenever it cannot know.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, delete, insert, inspect, select, update
from sqlmodel import Field, SQLModel

COUNTER_ID = 1
LOG_KEEP = 10_000  # versions of the change log kept (older gaps mean "recompute everything")
MAX_SPAN = 1_000  # more versions between two reads than this: recompute rather than read the log


class DataChangeRow(SQLModel, table=True):
    __tablename__ = "data_changes"

    id: int = Field(primary_key=True)
    version: int = Field(default=0)


class DataChangeLogRow(SQLModel, table=True):
    """What one version of the counter changed: one row per client written; `client_id` None with
    `whole_book` true for a write that may change anything, with `whole_book` false for one that changed no
    client's data (e.g. an API token)."""

    __tablename__ = "data_change_log"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(index=True)
    client_id: int | None = None
    whole_book: bool = False


TABLE = DataChangeRow.__table__  # type: ignore[attr-defined]
LOG = DataChangeLogRow.__table__  # type: ignore[attr-defined]
_has_log: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()


def _log_exists(conn: Connection) -> bool:
    engine = conn.engine
    known = _has_log.get(engine)
    if known is None:
        known = _has_log[engine] = inspect(conn).has_table(LOG.name)
    return known


def forget_schema(engine: Engine) -> None:
    """After migrating: look for the change log table again."""
    _has_log.pop(engine, None)


def bump_in(conn: Connection, *, clients: Iterable[int] | None = None) -> None:
    """Count a write inside the writer's transaction (it commits or rolls back with the write).

    `clients`: the clients whose data the write changed (an empty iterable: none); None, the default, means
    anything in the book may have changed (caches recompute everything)."""
    conn.execute(update(TABLE).where(TABLE.c.id == COUNTER_ID).values(version=TABLE.c.version + 1))
    if not _log_exists(conn):
        return
    # the row is locked by the update until this transaction ends: the version read is this write's own
    version = int(conn.execute(select(TABLE.c.version).where(TABLE.c.id == COUNTER_ID)).scalar() or 0)
    ids = sorted({int(i) for i in clients}) if clients is not None else None
    if ids:
        rows = [{"version": version, "client_id": i, "whole_book": False} for i in ids]
    else:
        rows = [{"version": version, "client_id": None, "whole_book": ids is None}]
    conn.execute(insert(LOG), rows)
    if version % 1_000 == 0:
        conn.execute(delete(LOG).where(LOG.c.version <= version - LOG_KEEP))


def changed_clients(conn: Connection, since: int, until: int) -> frozenset[int] | None:
    """The clients written by versions `since` < v ≤ `until`, or None when that is not known for every one
    of them (a write not scoped to clients, a version missing from the log, or too many versions)."""
    if until <= since:
        return frozenset()
    if until - since > MAX_SPAN or not _log_exists(conn):
        return None
    rows = conn.execute(
        select(LOG.c.version, LOG.c.client_id, LOG.c.whole_book).where(
            LOG.c.version > since, LOG.c.version <= until
        )
    ).all()
    if len({r.version for r in rows}) != until - since or any(r.whole_book for r in rows):
        return None
    return frozenset(int(r.client_id) for r in rows if r.client_id is not None)


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

    def bump(self, *, clients: Iterable[int] | None = None) -> None:
        """Count a write that committed elsewhere in this process (its own small transaction)."""
        with self.engine.begin() as conn:
            bump_in(conn, clients=clients)
        self.touch()

    def changed_clients(self, since: int, until: int) -> frozenset[int] | None:
        """See `changed_clients`: the clients written between two versions this process has seen."""
        if until <= since:
            return frozenset()
        with self.engine.connect() as conn:
            return changed_clients(conn, since, until)
