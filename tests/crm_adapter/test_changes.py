"""The shared change counter: bumped with the write's transaction, polled by readers, seen across processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from creditdesk.wiring import Container
from crm_adapter.sql.changes import ChangeCounter, bump_in


def test_a_bump_commits_or_rolls_back_with_the_write(book_container: Container) -> None:
    counter = ChangeCounter(book_container.engine, poll_s=0)
    start = counter.current()
    with book_container.engine.begin() as conn:
        bump_in(conn)
    assert counter.current() == start + 1
    with pytest.raises(RuntimeError), book_container.engine.begin() as conn:
        bump_in(conn)
        raise RuntimeError("the write failed")
    assert counter.current() == start + 1


def test_readers_poll_and_touch_forces_a_read(book_container: Container) -> None:
    counter = ChangeCounter(book_container.engine, poll_s=3600)
    start = counter.current()
    ChangeCounter(book_container.engine).bump()  # another process's write
    assert counter.current() == start  # within the poll interval: the remembered value
    counter.touch()
    assert counter.current() == start + 1


def test_imports_and_demo_generation_move_the_counter(demo_container: Container, tmp_path: Path) -> None:
    from crm_adapter.csv_import.importer import import_folder

    counter = ChangeCounter(demo_container.engine, poll_s=0)
    assert counter.current() > 0  # the demo generator counted its writes
    before = counter.current()
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "officers.csv").write_text(
        "officer_id,name,role,team,approval_level,email,slack_user_id,active\n"
        "rm.new,New Officer,rm,North,0,new@example.com,,true\n"
    )
    import_folder(demo_container.engine, folder)
    assert counter.current() == before + 1


def test_a_read_overtaken_by_our_own_write_is_not_remembered(book_container: Container) -> None:
    counter = ChangeCounter(book_container.engine, poll_s=3600)
    start = counter.current()
    counter.touch()
    real_connect = book_container.engine.connect

    class SlowRead:  # the poll's SELECT runs, then this process commits a write before the poll stores it
        def __enter__(self):  # type: ignore[no-untyped-def]
            self.conn = real_connect()
            return self.conn

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            self.conn.close()
            with book_container.engine.begin() as conn:
                bump_in(conn)
            counter.touch()

    counter.engine = type("E", (), {"connect": lambda self: SlowRead()})()  # type: ignore[assignment]
    assert counter.current() == start  # the stale value is returned once …
    counter.engine = book_container.engine
    assert counter.current() == start + 1  # … but not remembered: the next call reads again


def test_the_log_names_the_clients_each_write_changed(book_container: Container) -> None:
    counter = ChangeCounter(book_container.engine, poll_s=0)
    v0 = counter.current()
    counter.bump(clients=[7, 3])
    counter.bump(clients=())  # e.g. an API token: no client's data
    counter.bump(clients=[3])
    v1 = counter.current()
    assert v1 == v0 + 3
    assert counter.changed_clients(v0, v1) == {3, 7}
    assert counter.changed_clients(v0 + 1, v1) == {3}
    assert counter.changed_clients(v1, v1) == frozenset()
    counter.bump()  # the default: anything in the book may have changed
    counter.bump(clients=[9])
    assert counter.changed_clients(v1, v1 + 2) is None
    assert counter.changed_clients(v1 + 1, v1 + 2) == {9}


def test_a_rolled_back_write_leaves_no_log_and_gaps_mean_unknown(book_container: Container) -> None:
    from sqlalchemy import update

    from crm_adapter.sql.changes import TABLE

    counter = ChangeCounter(book_container.engine, poll_s=0)
    v0 = counter.current()
    with pytest.raises(RuntimeError), book_container.engine.begin() as conn:
        bump_in(conn, clients=[1])
        raise RuntimeError("the write failed")
    assert counter.current() == v0
    with book_container.engine.begin() as conn:  # a write by code that does not log (older code)
        conn.execute(update(TABLE).values(version=TABLE.c.version + 1))
    counter.bump(clients=[2])
    assert counter.changed_clients(v0, v0 + 2) is None  # one version is not in the log
    assert counter.changed_clients(v0 + 1, v0 + 2) == {2}


def test_limit_changes_contacts_and_reviews_log_their_client(demo_container: Container) -> None:
    import datetime as dt

    from crm_adapter.models import ContactLog

    adapter = demo_container.adapter
    counter = adapter.changes
    f = adapter.get_facilities(1001)[0]
    v0 = counter.current()
    adapter.update_limit(f.facility_id, f.limit_amount + 1)
    adapter.add_contact(ContactLog(contact_id="log-1", client_id=1003, contact_date=dt.date(2026, 11, 1),
                                   kind="call", officer_id="rm.anna"))  # fmt: skip
    demo_container.review_runs.record_review(1004, dt.date(2026, 11, 1), "rm.anna")
    v1 = counter.current()
    assert v1 == v0 + 3
    assert counter.changed_clients(v0, v1) == {1001, 1003, 1004}
