"""PostgreSQL read in columns by a reader thread: the next chunk's queries run while this one is assessed.

A review run on PostgreSQL used to read each chunk's snapshot in process and only then assess it: the run waited
for the server (its scans, COPY out) and the server waited for the run. Here one thread owns one ADBC
connection and answers queries in order, so the server and the driver's decoding (C++, the GIL released) work
beside the run's compute on the other core, as the SQLite reader process does (`reader_process.py`); the run
takes each answer as an Arrow table (`submit` / `result`, the reader process's interface).

One `REPEATABLE READ READ ONLY` transaction for the reader's life: every snapshot of the run (the whole-book
exposure, then each chunk) sees one committed state of the book, as on SQLite.

A failure in the thread (a bad query, the server gone) is raised in the caller as `ReaderFailed` with the
server's message, at the `result()` of the failed query or of any later one.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Sequence
from typing import Any

from crm_adapter.sql.reader_process import ReaderFailed

_STOP = None


class PostgresReaderThread:
    """A reader thread over one ADBC PostgreSQL connection: `submit(sqls)` queues queries, `result()` returns
    their tables in order. One read transaction for its life: one per review run, then `close()`."""

    def __init__(self, connect: Any) -> None:
        """`connect()`: a new ADBC DB-API connection (`ArrowReader.connect`)."""
        try:
            self._conn = connect()
            with self._conn.cursor() as cur:
                # autocommit is off: the driver's own transaction is open; this one replaces it
                self._conn.rollback()
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cur.execute("SELECT 1")  # the snapshot is taken at the first query: now
                cur.fetchall()
        except Exception as exc:  # the driver's errors: the server's message
            raise ReaderFailed(f"the PostgreSQL reader could not start: {exc}") from exc
        self._jobs: queue.Queue[str | None] = queue.Queue()
        self._answers: queue.Queue[tuple[bool, Any]] = queue.Queue()
        self._pending: deque[str] = deque()
        self._failed: str | None = None
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._work, name="pg-reader", daemon=True)
        self._thread.start()

    def submit(self, sqls: Sequence[str], dates: Sequence[Sequence[str]] = ()) -> None:
        """Queue queries; the thread starts on them at once (`dates`: unused, the driver types dates)."""
        if self._failed is not None:
            raise ReaderFailed(self._failed)
        for sql in sqls:
            self._pending.append(sql)
            self._jobs.put(sql)

    def result(self) -> Any:
        """The oldest submitted query's rows as a pyarrow Table."""
        if self._failed is not None:
            raise ReaderFailed(self._failed)
        if not self._pending:
            raise RuntimeError("no query was submitted")
        self._pending.popleft()
        ok, value = self._answers.get()
        if not ok:
            self._failed = value
            self._pending.clear()
            raise ReaderFailed(value)
        return value

    def table(self, sql: str) -> Any:
        self.submit([sql])
        return self.result()

    def close(self) -> None:
        """Stop the thread (after the query it is reading, if any) and end the transaction; answers not taken
        yet are dropped."""
        if self._closed.is_set():
            return
        self._closed.set()
        self._jobs.put(_STOP)
        self._thread.join()
        try:
            self._conn.rollback()
            self._conn.close()
        except Exception:  # a connection the server already dropped
            pass

    def __enter__(self) -> PostgresReaderThread:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _work(self) -> None:
        while (sql := self._jobs.get()) is not _STOP:
            if self._closed.is_set():
                continue  # closing: drain without reading
            try:
                with self._conn.cursor() as cur:
                    cur.execute(sql)
                    table = cur.fetch_arrow_table()
            except Exception as exc:  # reported to the caller, which raises
                self._answers.put((False, f"the PostgreSQL reader failed: {type(exc).__name__}: {exc}"))
                while self._jobs.get() is not _STOP:  # the transaction is aborted: answer nothing more
                    pass
                return
            self._answers.put((True, table))
