"""Repository tests: run on SQLite and, when configured, on PostgreSQL (book_container)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from crm_adapter.demo import generate_demo
from crm_adapter.snapshot import FRAMES
from kernel.errors import Conflict, InvalidInput, NotFound
from tests.conftest import AS_OF


@pytest.fixture
def book(book_container):  # type: ignore[no-untyped-def]
    generate_demo(book_container.engine, n_clients=60, seed=3, as_of=AS_OF)
    return book_container


def test_get_client_and_related_records(book) -> None:  # type: ignore[no-untyped-def]
    adapter = book.adapter
    acme = adapter.get_client(1001)
    assert acme.name == "ACME Holdings" and acme.officer_id == "rm.anna"
    assert adapter.get_client_by_external_id("CRM-0001001").client_id == 1001
    assert adapter.get_group("G-ACME").name == "ACME Group"
    facilities = adapter.get_facilities(1001)
    assert facilities and all(isinstance(f.limit_amount, Decimal) for f in facilities)
    assert all(isinstance(s.period_end, dt.date) for s in adapter.get_statements(1001))
    assert len(adapter.get_bank_flows(1001)) == 12 or adapter.get_bank_flows(1001) == []
    events = adapter.get_repayments(1001)
    assert all(e.days_past_due(AS_OF) >= 0 for e in events)


def test_unknown_client_is_not_found(book) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        book.adapter.get_client(999_999)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("acme holdings", 1001),
        ("ACME Holdngs", 1001),
        ("client 1003", 1003),
        ("1004", 1004),
        ("CRM-0001005", 1005),
    ],
)
def test_search_understands_typos_ids_and_crm_ids(book, query: str, expected: int) -> None:  # type: ignore[no-untyped-def]
    assert book.adapter.search_clients(query)[0].client.client_id == expected


def test_search_partial_name_is_ambiguous_and_scoped(book) -> None:  # type: ignore[no-untyped-def]
    names = {m.client.name for m in book.adapter.search_clients("acme")}
    assert {"ACME Holdings", "ACME Logistics"} <= names
    scoped = book.adapter.search_clients("acme", officer_ids={"rm.anna"})
    assert [m.client.name for m in scoped] == ["ACME Holdings"]
    with pytest.raises(InvalidInput):
        book.adapter.search_clients("   ")


def test_snapshot_is_columnar_and_consistent(book) -> None:  # type: ignore[no-untyped-def]
    snap = book.adapter.snapshot(as_of=AS_OF)
    assert snap.n_clients == 60
    assert snap.facilities["limit_amount"].dtype == "float64"
    assert set(snap.facilities["client_id"]) <= set(snap.clients["client_id"])
    assert snap.fx_rates()["USD"] == 1.0 and snap.fx_rates()["EUR"] > 1
    one = snap.subset([1001])
    assert one.n_clients == 1 and set(one.facilities["client_id"]) == {1001}
    scoped = book.adapter.snapshot(as_of=AS_OF, client_ids=[1001, 1003])
    assert set(scoped.clients["client_id"]) == {1001, 1003}


def test_update_limit_is_guarded_against_concurrent_change(book) -> None:  # type: ignore[no-untyped-def]
    adapter = book.adapter
    fac = adapter.get_facilities(1001)[0]
    updated = adapter.update_limit(fac.facility_id, Decimal("1234567.89"), expected_current=fac.limit_amount)
    assert updated.limit_amount == Decimal("1234567.89")
    with pytest.raises(Conflict):
        adapter.update_limit(fac.facility_id, Decimal("1"), expected_current=fac.limit_amount)
    with pytest.raises(InvalidInput):
        adapter.update_limit(fac.facility_id, Decimal("-1"))
    with pytest.raises(NotFound):
        adapter.update_limit("F-nope", Decimal("1"))
    assert adapter.get_facility(fac.facility_id).limit_amount == Decimal("1234567.89")


def test_notes_and_facility_status(book) -> None:  # type: ignore[no-untyped-def]
    note = book.adapter.add_note(1001, "rm.anna", "Called the CFO about Q3 numbers.")
    assert book.adapter.get_notes(1001)[-1].note_id == note.note_id
    fac = book.adapter.get_facilities(1001)[0]
    assert book.adapter.set_facility_status(fac.facility_id, "frozen").status == "frozen"
    with pytest.raises(InvalidInput):
        book.adapter.set_facility_status(fac.facility_id, "melted")


def test_a_large_id_set_read_by_range_equals_the_in_list_read(book, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import crm_adapter.sql.store as store

    all_ids = book.adapter.snapshot(as_of=AS_OF, include={"clients"}).clients["client_id"].tolist()
    # two clients of every three: dense enough for the range read, with gaps it must drop
    sparse = [cid for k, cid in enumerate(sorted(all_ids)) if k % 3]
    by_in = book.adapter.snapshot(as_of=AS_OF, client_ids=sparse)
    monkeypatch.setattr(store, "RANGE_READ_MIN_IDS", 5)
    by_range = book.adapter.snapshot(as_of=AS_OF, client_ids=sparse)
    for name in (n for n in FRAMES if n not in ("officers", "groups", "fx")):  # the per-client frames
        a, b = getattr(by_in, name), getattr(by_range, name)
        assert len(a) > 0 or name == "signals", name

        def rows(df: pd.DataFrame) -> pd.DataFrame:  # row order is not part of a snapshot's contract
            return df.sort_values(list(df.columns)).reset_index(drop=True)

        pd.testing.assert_frame_equal(rows(a), rows(b))


def test_the_columnar_read_equals_the_cursor_read(book) -> None:  # type: ignore[no-untyped-def]
    """The bulk read path (ADBC Arrow batches) gives the same frames, values and dtypes, as the DB-API cursor."""
    adapter = book.adapter
    if (
        book.engine.url.get_backend_name() == "sqlite"
    ):  # a second SQLite library in-process: never (columnar.py)
        assert adapter._arrow is None
        return
    assert adapter._arrow is not None  # PostgreSQL: the columnar path is taken
    ids = adapter.snapshot(as_of=AS_OF, include={"clients"}).clients["client_id"].tolist()
    for client_ids in (None, ids[:3], ids[5:45]):
        columnar = adapter.snapshot(as_of=AS_OF, client_ids=client_ids)
        reader, adapter._arrow = adapter._arrow, None
        try:
            rows = adapter.snapshot(as_of=AS_OF, client_ids=client_ids)
        finally:
            adapter._arrow = reader
        for name in FRAMES:
            pd.testing.assert_frame_equal(getattr(columnar, name), getattr(rows, name), check_exact=True)
