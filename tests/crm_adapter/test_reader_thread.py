"""The PostgreSQL reader thread (crm_adapter/sql/reader_thread.py): a review run's bulk read beside its compute.

Its snapshots equal the cursor path's, frame by frame (values and dtypes), prefetched and out of order; one
REPEATABLE READ transaction for its life (a write committed after it started is not seen; a new reader sees
it); a failing query is a clear error at that answer and every later one; a review run whose reader fails
mid-run exits non-zero and stores no run."""

from __future__ import annotations

import pytest
from sqlalchemy import text

import crm_adapter.sql.store as store
from crm_adapter.demo import generate_demo
from crm_adapter.sql.reader_process import ReaderFailed
from crm_adapter.sql.reader_thread import PostgresReaderThread
from tests.conftest import AS_OF, make_container
from tests.crm_adapter.snapshots import assert_same_snapshot

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_book(pg_schema_url, tmp_path):  # type: ignore[no-untyped-def]
    """A 60-client demo book on PostgreSQL (the reader thread's backend; SQLite has a reader process)."""
    container = make_container(tmp_path / "home", pg_schema_url)
    generate_demo(container.engine, n_clients=60, seed=3, as_of=AS_OF)
    yield container
    container.engine.dispose()


def _cursor(adapter, **kw):  # type: ignore[no-untyped-def]
    """The DB-API cursor path's snapshot (no ADBC): the reference frames."""
    reader, adapter._arrow = adapter._arrow, None
    try:
        return adapter.snapshot(as_of=AS_OF, **kw)
    finally:
        adapter._arrow = reader


def test_reader_thread_snapshots_equal_the_cursor_path(pg_book, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    adapter = pg_book.adapter
    ids = adapter.snapshot(as_of=AS_OF, include={"clients"}).clients["client_id"].tolist()
    monkeypatch.setattr(store, "RANGE_READ_MIN_IDS", 10)  # the small book's chunks take the id-range read too
    with adapter.snapshot_reader(as_of=AS_OF) as reader:
        assert isinstance(reader, store._ProcessSnapshotReader)
        assert isinstance(reader.proc, PostgresReaderThread)
        assert_same_snapshot(reader.snapshot(), _cursor(adapter))
        exposure = {"clients", "facilities", "covers", "fx"}
        assert_same_snapshot(reader.snapshot(include=exposure), _cursor(adapter, include=exposure))
        chunks = [ids[:3], ids[3:40], ids[40:]]  # a sparse IN list, then id ranges
        reader.prefetch(chunks)
        assert_same_snapshot(reader.snapshot(client_ids=chunks[0]), _cursor(adapter, client_ids=chunks[0]))
        # asked out of the planned order: still the right chunk (the queued answers are dropped)
        assert_same_snapshot(reader.snapshot(client_ids=chunks[2]), _cursor(adapter, client_ids=chunks[2]))
        assert_same_snapshot(reader.snapshot(client_ids=chunks[1]), _cursor(adapter, client_ids=chunks[1]))


def test_one_transaction_for_the_readers_life(pg_book) -> None:  # type: ignore[no-untyped-def]
    adapter = pg_book.adapter
    client = int(adapter.snapshot(as_of=AS_OF, include={"clients"}).clients["client_id"].iloc[0])

    def name_of(snap) -> str:  # type: ignore[no-untyped-def]
        c = snap.clients
        return str(c.loc[c["client_id"] == client, "name"].iloc[0])

    with adapter.snapshot_reader(as_of=AS_OF) as reader:
        before = name_of(reader.snapshot(include={"clients"}))
        with pg_book.engine.begin() as conn:
            conn.execute(text("UPDATE clients SET name = 'Renamed Ltd' WHERE client_id = :c"), {"c": client})
        assert name_of(reader.snapshot(include={"clients"})) == before  # the state it started with
        assert name_of(reader.snapshot(client_ids=[client])) == before
    with adapter.snapshot_reader(as_of=AS_OF) as reader:
        assert name_of(reader.snapshot(include={"clients"})) == "Renamed Ltd"


def test_errors_in_the_thread_are_clear(pg_book) -> None:  # type: ignore[no-untyped-def]
    with PostgresReaderThread(pg_book.adapter._arrow.connect) as thread:
        thread.submit(["SELECT 1 AS a", "SELECT nope FROM clients", "SELECT 2 AS b"])
        assert thread.result().column("a").to_pylist() == [1]
        with pytest.raises(ReaderFailed, match='column "nope" does not exist'):
            thread.result()
        with pytest.raises(ReaderFailed, match="nope"):  # and every later answer: not a hang
            thread.result()
        with pytest.raises(ReaderFailed, match="nope"):
            thread.submit(["SELECT 3"])

    def refused():  # type: ignore[no-untyped-def]
        raise OSError("connection refused")

    with pytest.raises(ReaderFailed, match="could not start: connection refused"):
        PostgresReaderThread(refused)


def test_a_review_run_whose_reader_fails_stores_nothing(pg_book, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from creditdesk.cli import common
    from creditdesk.cli.main import app

    def runs() -> int:
        with pg_book.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM review_runs")).scalar_one())

    before = runs()
    answered = 0
    work = PostgresReaderThread._work

    def fails_after_a_few(self):  # type: ignore[no-untyped-def]
        real = self._conn.cursor

        def cursor():  # type: ignore[no-untyped-def]
            nonlocal answered
            answered += 1
            if answered == 16:  # inside the first chunk, after the whole-book read: the server goes away
                raise OSError("server closed the connection unexpectedly")
            return real()

        self._conn.cursor = cursor
        return work(self)

    monkeypatch.setattr(PostgresReaderThread, "_work", fails_after_a_few)
    monkeypatch.setenv("CREDITDESK_HOME", str(pg_book.settings.home))
    monkeypatch.setenv("CREDITDESK_DATABASE_URL", str(pg_book.settings.database_url))
    monkeypatch.setenv("CREDITDESK_AS_OF", AS_OF.isoformat())
    common.settings.cache_clear()
    common.container.cache_clear()
    try:
        out = CliRunner().invoke(app, ["review", "run", "--json"])
    finally:
        common.settings.cache_clear()
        common.container.cache_clear()
    assert answered >= 16
    assert out.exit_code != 0
    assert isinstance(out.exception, ReaderFailed) or "reader failed" in out.output
    assert runs() == before
