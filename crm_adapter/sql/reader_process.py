"""SQLite read in columns by a separate reader process: Arrow tables over a pipe, one read transaction.

The SQLite ADBC driver reads rows into Arrow columns ~2.5x cheaper than `sqlite3` + `from_records`, but it
bundles its own copy of the SQLite library. Two copies in one process do not see each other's POSIX locks
(SQLite tracks them per library), so this process's own writes could be missed or the file corrupted. In a
child process the driver is one more SQLite client of the file, the case SQLite supports: with WAL its read
transaction sees one consistent snapshot while a writer commits.

Protocol (child = `python -m crm_adapter.sql.reader_process DB_PATH`):
- stdin: one JSON object per line, `{"sql": "SELECT ..."}`; end of input ends the child.
- stdout: frames of 1 byte kind + 8 bytes little-endian length + payload. `R` (ready: the read transaction is
  open; every answer comes from the database as it was then), `T` (an Arrow IPC stream: the query's table),
  `E` (an error: UTF-8 text; the child stops).

The child answers in request order and keeps answering into its own memory while the parent is busy (a writer
thread drains the queue into the pipe), so a parent that sends chunk k+1's queries before it computes chunk k
gets them read meanwhile (`SqliteReaderProcess.submit` / `.result`).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import struct
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Sequence
from typing import IO, Any

from kernel.errors import UpstreamUnavailable

HEADER = struct.Struct("<cQ")
PIPE_BYTES = 1 << 20  # the pipe's buffer (Linux allows up to 1 MiB without privileges)
BATCH_ROWS = 65_536  # rows per Arrow batch; the driver infers each column's type from the first batch
ONE_BATCH_ROWS = 1 << 30  # the driver's largest batch: a whole result in one


class ReaderFailed(UpstreamUnavailable):
    code = "reader_failed"
    title = "The book's reader process failed"


class SqliteReaderProcess:
    """A reader child over one SQLite file: `submit(sql)` queues queries, `result()` returns their tables in
    order. One read transaction for the child's life: use one per review run, then `close()`."""

    def __init__(self, path: str) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "crm_adapter.sql.reader_process", path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._in: IO[bytes] = self._proc.stdin
        self._out: IO[bytes] = self._proc.stdout
        _grow_pipe(self._out.fileno())
        self._pending: deque[str] = deque()
        self._stderr: list[bytes] = []
        self._stderr_thread = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_thread.start()
        kind, payload = self._frame()
        if kind != b"R":
            self._fail(payload.decode(errors="replace") if kind == b"E" else "no ready signal")

    @property
    def pid(self) -> int:
        return self._proc.pid

    def submit(self, sqls: Sequence[str], dates: Sequence[Sequence[str]] = ()) -> None:
        """Queue queries; the child starts on them at once. `dates[i]`: query i's columns of ISO dates, which
        the child turns into timestamp[s] columns (its CPU, not this process's)."""
        lines = b"".join(
            json.dumps({"sql": s, "dates": list(d)}).encode() + b"\n"
            for s, d in zip(sqls, dates or [()] * len(sqls), strict=True)
        )
        try:
            self._in.write(lines)
        except (BrokenPipeError, OSError):
            self._fail("it stopped taking queries")
        self._pending.extend(sqls)

    def result(self) -> Any:
        """The oldest submitted query's rows as a pyarrow Table."""
        import pyarrow as pa

        if not self._pending:
            raise RuntimeError("no query was submitted")
        self._pending.popleft()
        kind, payload = self._frame()
        if kind == b"E":
            self._fail(payload.decode(errors="replace"))
        if kind != b"T":
            self._fail(f"unexpected frame {kind!r}")
        return pa.ipc.open_stream(pa.py_buffer(payload)).read_all()

    def table(self, sql: str) -> Any:
        self.submit([sql])
        return self.result()

    def close(self) -> None:
        """End the child (its read transaction ends with it); answers not read yet are dropped."""
        with contextlib.suppress(OSError):
            self._in.close()
        self._out.close()  # a child still writing answers nobody reads gets a broken pipe and stops
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> SqliteReaderProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals -------------------------------------------------------------------------------
    def _drain_stderr(self) -> None:
        assert self._proc.stderr is not None
        for line in self._proc.stderr:
            self._stderr.append(line)
            del self._stderr[:-20]

    def _read(self, n: int) -> bytearray:
        buf = bytearray(n)
        view, got = memoryview(buf), 0
        while got < n:
            k = self._out.readinto(view[got:])  # type: ignore[attr-defined]
            if not k:
                self._fail("it exited before answering")
            got += k
        return buf

    def _frame(self) -> tuple[bytes, bytearray]:
        kind, n = HEADER.unpack(self._read(HEADER.size))
        return kind, self._read(n)

    def _fail(self, why: str) -> None:
        self._pending.clear()
        with contextlib.suppress(OSError):
            self._in.close()
        try:
            code = self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            code = self._proc.wait()
        self._stderr_thread.join(timeout=1)
        tail = b"".join(self._stderr).decode(errors="replace").strip().splitlines()[-3:]
        detail = f" (exit code {code}" + (f": {' | '.join(tail)})" if tail else ")")
        raise ReaderFailed(f"the SQLite reader process failed: {why}{detail}")


def _grow_pipe(fd: int) -> None:
    import fcntl

    # not Linux, or above the system's limit: the default buffer works, in smaller writes
    with contextlib.suppress(OSError):
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)


# --- the child ----------------------------------------------------------------------------------------
def _send(out: IO[bytes], kind: bytes, payload: bytes | memoryview) -> None:
    out.write(HEADER.pack(kind, len(payload)))
    out.write(payload)
    out.flush()  # the parent may be waiting for this very frame


def _serve(path: str) -> int:
    import adbc_driver_sqlite.dbapi as dbapi

    out = sys.stdout.buffer
    _grow_pipe(out.fileno())
    try:
        # read-only: this process never writes (a URI keeps the path's own characters safe)
        conn = dbapi.connect(f"file:{_uri_path(path)}?mode=ro", autocommit=True)
        cur = conn.cursor()
        cur.execute("BEGIN")  # one read transaction: the snapshot starts at the first read, below
        cur.execute("SELECT count(*) FROM sqlite_master")
        cur.fetchall()
    except Exception as exc:  # any failure is reported to the parent as text
        _send(out, b"E", f"cannot open {path}: {exc}".encode())
        return 1
    answers: queue.Queue[tuple[bytes, bytes | memoryview] | None] = queue.Queue(maxsize=64)

    def writer() -> None:  # drains answers into the pipe while the main thread reads the next query
        try:
            while (item := answers.get()) is not None:
                _send(out, *item)
        except OSError:  # the parent closed the pipe (it stopped reading): drop the rest
            while answers.get() is not None:
                pass

    thread = threading.Thread(target=writer)
    thread.start()
    status = 0
    try:
        answers.put((b"R", b""))
        for line in sys.stdin.buffer:
            request = json.loads(line)
            try:
                answers.put((b"T", _answer(conn, request["sql"], request.get("dates", ()))))
            except Exception as exc:  # reported to the parent, which raises
                answers.put((b"E", f"{type(exc).__name__}: {exc}".encode()))
                status = 1
                break
    except BrokenPipeError:  # the parent went away
        status = 1
    finally:
        answers.put(None)
        thread.join()
        with contextlib.suppress(Exception):  # closing a read-only connection at exit
            cur.close()
            conn.close()
    return status


def _answer(conn: Any, sql: str, dates: Sequence[str]) -> memoryview:
    """The query's rows as an Arrow IPC stream. SQLite columns have no declared type: the driver takes each
    column's from the first batch, and a later batch with another (a column NULL for the first BATCH_ROWS rows)
    fails; then the query is read again as one batch, typed from all its rows (same transaction, same rows).
    Likewise a date column that is not plain ISO text in some batch: read again with the dates left as text."""
    try:
        return _stream(conn, sql, dates, BATCH_ROWS)
    except _NotIsoDates:
        return _stream(conn, sql, (), BATCH_ROWS)
    except Exception as exc:
        if "Type mismatch" not in str(exc):
            raise
    try:
        return _stream(conn, sql, dates, ONE_BATCH_ROWS)
    except _NotIsoDates:
        return _stream(conn, sql, (), ONE_BATCH_ROWS)


class _NotIsoDates(Exception):
    pass


def _stream(conn: Any, sql: str, dates: Sequence[str], batch_rows: int) -> memoryview:
    import pyarrow as pa

    with conn.cursor() as cur:  # a cursor per query: its statement's batch size is set before it runs
        cur.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(batch_rows)})
        cur.execute(sql)
        reader = cur.fetch_record_batch()
        # batch by batch into the IPC bytes: one copy of the rows in this process
        sink, writer = pa.BufferOutputStream(), None
        for batch in reader:
            batch = _with_dates(batch, dates)
            if writer is None:
                writer = pa.ipc.new_stream(sink, batch.schema)
            writer.write_batch(batch)
        if writer is None:  # no rows: the schema alone
            writer = pa.ipc.new_stream(sink, _with_dates(reader.schema.empty_table(), dates).schema)
        writer.close()
    return memoryview(sink.getvalue())


def _with_dates(batch: Any, dates: Sequence[str]) -> Any:
    """ISO-date text columns as timestamp[s] (what the parent's frames hold); `_NotIsoDates` when a value is
    not plain ISO text (the parent's pandas parse reads those)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for name in dates:
        i = batch.schema.get_field_index(name)
        if i < 0 or not pa.types.is_string(batch.schema.field(i).type):
            if i >= 0 and batch.column(i).null_count != batch.num_rows:
                raise _NotIsoDates(name)  # typed otherwise in this batch: leave every batch as it comes
            continue
        try:
            parsed = pc.cast(pc.cast(batch.column(i), pa.date32()), pa.timestamp("s"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise _NotIsoDates(name) from None
        batch = batch.set_column(i, name, parsed)
    return batch


def _uri_path(path: str) -> str:
    from urllib.parse import quote

    return quote(os.path.abspath(path))


if __name__ == "__main__":
    sys.exit(_serve(sys.argv[1]))
