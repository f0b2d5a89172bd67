"""The audit trail: hash chain, verify (edited / deleted / truncated), CSV export, PostgreSQL append-only."""

from __future__ import annotations

import csv
import datetime as dt
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from kernel.errors import InvalidInput
from tests.conftest import actor_of


def _fill(container, n: int = 5) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        container.audit.record(actor=None, action="client.read", object_type="client", object_id=str(1000 + i),
                               channel="cli", after={"i": i, "amount": "1.50"}, data={"x": i},
                               policy_version="p1")  # fmt: skip


def test_events_are_chained_and_verify(book_container) -> None:  # type: ignore[no-untyped-def]
    _fill(book_container)
    events = book_container.audit.events_for("client", "1003")
    assert events[0].seq == 4 and events[0].after == {"amount": "1.50", "i": 3}
    result = book_container.audit.verify()
    assert result.ok and result.events == 5 and result.head_seq == 5
    assert (
        book_container.audit.verify().head_hash == book_container.audit.events_for("client", "1004")[0].hash
    )


def _as_file_level_attacker(container) -> None:  # type: ignore[no-untyped-def]
    """Someone who can rewrite the SQLite file can drop its append-only triggers first: verify still catches it."""
    with container.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_events_no_update"))
        conn.execute(text("DROP TRIGGER audit_events_no_delete"))


def test_edited_deleted_and_truncated_rows_are_detected(container) -> None:  # type: ignore[no-untyped-def]
    _fill(container)
    _as_file_level_attacker(container)
    with container.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET after_json = :j WHERE seq = 2"), {"j": '{"i":99}'})
    assert [(p.seq, p.kind) for p in container.audit.verify().problems] == [(2, "edited")]
    with container.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE seq = 3"))
    assert {(p.seq, p.kind) for p in container.audit.verify().problems} == {(2, "edited"), (3, "deleted")}
    with container.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE seq = 5"))
    assert "head" in {p.kind for p in container.audit.verify().problems}


def test_a_rehashed_edit_breaks_the_next_link(container) -> None:  # type: ignore[no-untyped-def]
    _fill(container, 3)
    _as_file_level_attacker(container)
    with container.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET hash = :h WHERE seq = 2"), {"h": "f" * 64})
    kinds = {(p.seq, p.kind) for p in container.audit.verify().problems}
    assert (2, "edited") in kinds and (3, "relinked") in kinds


def test_concurrent_appends_keep_one_chain(book_container) -> None:  # type: ignore[no-untyped-def]
    book_container.audit  # noqa: B018 - built before the threads
    threads = [threading.Thread(target=_fill, args=(book_container, 5)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = book_container.audit.verify()
    assert result.ok and result.events == 20


def test_export_csv_by_date(container, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fill(container, 3)
    today = dt.datetime.now(dt.UTC).date()
    out = tmp_path / "audit.csv"
    assert container.audit.export_csv(out, today, today) == 3
    rows = list(csv.DictReader(out.open()))
    assert (
        [r["seq"] for r in rows] == ["1", "2", "3"] and rows[0]["action"] == "client.read" and rows[0]["hash"]
    )
    assert container.audit.export_csv(out, today - dt.timedelta(days=9), today - dt.timedelta(days=1)) == 0
    with pytest.raises(InvalidInput):
        container.audit.export_csv(out, today, today - dt.timedelta(days=1))


def test_the_database_refuses_update_and_delete_of_audit_events(book_container) -> None:  # type: ignore[no-untyped-def]
    _fill(book_container, 2)
    statements = [
        "UPDATE audit_events SET action = 'x' WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = 2",
    ]
    if book_container.engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_events")  # SQLite has no TRUNCATE (DELETE covers it)
    for sql in statements:
        with pytest.raises(DBAPIError, match="append-only"), book_container.engine.begin() as conn:
            conn.execute(text(sql))
    assert book_container.audit.verify().ok


def test_actor_fields_are_recorded(container) -> None:  # type: ignore[no-untyped-def]
    from crm_adapter.demo import generate_demo
    from tests.conftest import AS_OF

    generate_demo(container.engine, n_clients=10, seed=1, as_of=AS_OF)
    ev = container.audit.record(actor=actor_of(container, "audit.ravi", channel="api"), action="audit.exported",
                                object_type="audit", object_id="all")  # fmt: skip
    assert (ev.actor_id, ev.actor_role, ev.channel) == ("audit.ravi", "auditor", "api")
