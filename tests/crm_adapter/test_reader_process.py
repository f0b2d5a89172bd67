"""The SQLite reader process (crm_adapter/sql/reader_process.py): a review run's bulk read in columns.

Its snapshots equal the cursor path's, frame by frame (values and dtypes); a reader opened after this
process's own write sees it, while an open reader keeps the state it started with; a failing child is a clear
error and a review run that hits one stores nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys

import pytest

import crm_adapter.sql.store as store
from crm_adapter.sql.reader_process import BATCH_ROWS, ReaderFailed, SqliteReaderProcess
from tests.conftest import AS_OF
from tests.crm_adapter.snapshots import assert_same_snapshot


def test_reader_process_snapshots_equal_the_cursor_path(demo_container, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    adapter = demo_container.adapter
    ids = adapter.snapshot(as_of=AS_OF, include={"clients"}).clients["client_id"].tolist()
    monkeypatch.setattr(store, "RANGE_READ_MIN_IDS", 10)  # the demo book's chunks take the id-range read too
    with adapter.snapshot_reader(as_of=AS_OF) as reader:
        assert isinstance(reader, store._ProcessSnapshotReader) and reader.proc.pid != os.getpid()
        assert_same_snapshot(reader.snapshot(), adapter.snapshot(as_of=AS_OF))
        exposure = {"clients", "facilities", "covers", "fx"}
        assert_same_snapshot(
            reader.snapshot(include=exposure), adapter.snapshot(as_of=AS_OF, include=exposure)
        )
        chunks = [ids[:3], ids[3:40], ids[40:]]  # a sparse IN list, then id ranges
        reader.prefetch(chunks)
        assert_same_snapshot(
            reader.snapshot(client_ids=chunks[0]), adapter.snapshot(as_of=AS_OF, client_ids=chunks[0])
        )
        # asked out of the planned order: still the right chunk (the queued answers are dropped)
        assert_same_snapshot(
            reader.snapshot(client_ids=chunks[2]), adapter.snapshot(as_of=AS_OF, client_ids=chunks[2])
        )
        assert_same_snapshot(
            reader.snapshot(client_ids=chunks[1]), adapter.snapshot(as_of=AS_OF, client_ids=chunks[1])
        )
    assert "adbc_driver_sqlite" not in sys.modules  # the second SQLite library stays in the child


def test_reader_sees_this_process_writes_and_keeps_one_state(demo_container) -> None:  # type: ignore[no-untyped-def]
    adapter = demo_container.adapter
    facility = adapter.get_facilities(1001)[0]

    def limit(snap) -> float:  # type: ignore[no-untyped-def]
        f = snap.facilities
        return float(f.loc[f["facility_id"] == facility.facility_id, "limit_amount"].iat[0])

    adapter.update_limit(facility.facility_id, facility.limit_amount + 1000)  # this process's own write
    with adapter.snapshot_reader(as_of=AS_OF) as reader:
        assert limit(reader.snapshot(client_ids=[1001])) == float(facility.limit_amount + 1000)
        adapter.update_limit(facility.facility_id, facility.limit_amount + 2000)  # committed during the read
        assert limit(reader.snapshot(client_ids=[1001])) == float(facility.limit_amount + 1000)
    with adapter.snapshot_reader(as_of=AS_OF) as reader:
        assert limit(reader.snapshot(client_ids=[1001])) == float(facility.limit_amount + 2000)


def test_a_column_null_for_the_first_batch_is_typed_from_all_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "t.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (a INTEGER, b TEXT, c REAL)")
    n = BATCH_ROWS + 10
    db.executemany("INSERT INTO t VALUES (?, ?, ?)",
                   [(i, None, None) if i < BATCH_ROWS else (i, "x", 1.5) for i in range(n)])  # fmt: skip
    db.commit()
    db.close()
    with SqliteReaderProcess(str(path)) as proc:
        table = proc.table("SELECT a, b, c FROM t ORDER BY a")
    assert table.num_rows == n
    assert str(table.schema.field("b").type) == "string" and str(table.schema.field("c").type) == "double"
    assert table.slice(BATCH_ROWS - 1, 2).to_pylist() == [
        {"a": BATCH_ROWS - 1, "b": None, "c": None},
        {"a": BATCH_ROWS, "b": "x", "c": 1.5},
    ]


def test_errors_in_the_child_are_clear(demo_container) -> None:  # type: ignore[no-untyped-def]
    path = demo_container.engine.url.database
    with SqliteReaderProcess(path) as proc, pytest.raises(ReaderFailed, match="no such column: nope"):
        proc.table("SELECT nope FROM clients")
    with pytest.raises(ReaderFailed, match="cannot open"):
        SqliteReaderProcess(str(os.path.dirname(path) + "/missing/none.db"))
    with demo_container.adapter.snapshot_reader(as_of=AS_OF) as reader:
        os.kill(reader.proc.pid, signal.SIGKILL)
        with pytest.raises(ReaderFailed, match="SQLite reader process failed"):
            reader.snapshot(client_ids=[1001])


def test_a_review_run_whose_reader_dies_stores_nothing(demo_cli, demo_container, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def runs() -> int:
        with sqlite3.connect(demo_container.engine.url.database) as db:
            return int(db.execute("SELECT count(*) FROM review_runs").fetchone()[0])

    before = runs()
    answered = 0
    result = SqliteReaderProcess.result

    def dies_after_a_few(self):  # type: ignore[no-untyped-def]
        nonlocal answered
        answered += 1
        if answered == 15:  # inside the first chunk, after the whole-book read
            os.kill(self.pid, signal.SIGKILL)
        return result(self)

    monkeypatch.setattr(SqliteReaderProcess, "result", dies_after_a_few)
    out = demo_cli("review", "run", "--json")
    assert out.exit_code != 0
    assert isinstance(out.exception, ReaderFailed) or "reader process failed" in out.output
    assert runs() == before
