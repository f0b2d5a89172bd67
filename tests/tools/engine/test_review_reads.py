"""The review reads only the history rows and columns the engine uses (`chunked.review_reads`): the same results
as the full read on a book with history outside every window, rows on each window's edge kept."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_adapter.models import BankFlowRow, ContactLogRow, RepaymentEventRow, ReputationSignalRow
from crm_adapter.snapshot import FrameRead
from kernel.errors import InvalidInput
from tests.conftest import AS_OF
from tests.tools.engine.reviews import assert_same_review
from tools.engine.chunked import review_reads

CLIENT = 1001
D = dt.timedelta(days=1)
# AS_OF is 2026-11-28; the default policy's signal look-back is 730 days
OUTSIDE = {  # rows every module drops: read without `reads`, not with them
    "flows": [dt.date(2025, 10, 1), dt.date(2026, 11, 1)],  # 13 months back; the as-of month (not full)
    "repayments": [
        dt.date(2025, 10, 31),
        AS_OF + D,
    ],  # before the first of the month 12 months back; tomorrow
    "signals": [AS_OF - 732 * D, AS_OF + D],  # 732 days old (the read keeps 731: a day's slack); tomorrow
    "contacts": [AS_OF + D],  # a future contact
}
EDGE = {  # rows inside each window, on its edge: they change the client's results
    "repayments": [AS_OF - 365 * D + D, AS_OF],  # due 364 days back, paid 45 days late; due today, unpaid
    "signals": [AS_OF - 730 * D],  # exactly the look-back
    "contacts": [AS_OF],  # today
}


def _add_history(engine) -> None:  # type: ignore[no-untyped-def]
    flows = [dict(client_id=CLIENT, month=m, currency="USD", inflows=9e9, outflows=1.0, avg_balance=5.0,
                  bounced_payments=40) for m in OUTSIDE["flows"]]  # fmt: skip
    late = EDGE["repayments"][0]
    repayments = [
        dict(facility_id=f"F-{CLIENT}-1", due_date=d, client_id=CLIENT, amount_due=1e6, paid_date=d + 200 * D,
             amount_paid=1e6) for d in OUTSIDE["repayments"]
    ] + [
        dict(facility_id=f"F-{CLIENT}-1", due_date=late, client_id=CLIENT, amount_due=500.0,
             paid_date=late + 45 * D, amount_paid=500.0),
        dict(facility_id=f"F-{CLIENT}-1", due_date=AS_OF, client_id=CLIENT, amount_due=500.0, paid_date=None,
             amount_paid=0.0),
    ]  # fmt: skip
    signals = [
        dict(signal_id=f"S-test-{i}", client_id=CLIENT, signal_date=d, source="court registry",
             category="litigation", severity="severe", amount=None, summary=f"test signal {i}")
        for i, d in enumerate(OUTSIDE["signals"] + EDGE["signals"])
    ]  # fmt: skip
    contacts = [
        dict(contact_id=f"C-test-{i}", client_id=CLIENT, contact_date=d, kind="call", officer_id="rm.anna",
             notes="test", next_contact_date=None) for i, d in enumerate(OUTSIDE["contacts"] + EDGE["contacts"])
    ]  # fmt: skip
    with engine.begin() as conn:
        for row, values in ((BankFlowRow, flows), (RepaymentEventRow, repayments),
                            (ReputationSignalRow, signals), (ContactLogRow, contacts)):  # fmt: skip
            conn.execute(row.__table__.insert(), values)  # type: ignore[attr-defined]


DATE_COLUMN = {
    "flows": "month",
    "repayments": "due_date",
    "signals": "signal_date",
    "contacts": "contact_date",
}


def _dates(snap, frame: str) -> set[dt.date]:  # type: ignore[no-untyped-def]
    df = getattr(snap, frame)
    return {d.date() for d in df.loc[df["client_id"] == CLIENT, DATE_COLUMN[frame]]}


def test_the_narrowed_read_leaves_out_what_no_module_uses(demo_container) -> None:  # type: ignore[no-untyped-def]
    _add_history(demo_container.engine)
    adapter, policy = demo_container.adapter, demo_container.credit_engine.policy
    full = adapter.snapshot(as_of=AS_OF)
    narrow = adapter.snapshot(as_of=AS_OF, reads=review_reads(AS_OF, policy))
    for frame, days in OUTSIDE.items():
        assert set(days) <= _dates(full, frame)
        assert not set(days) & _dates(narrow, frame), frame
    for frame, days in EDGE.items():
        assert set(days) <= _dates(narrow, frame), frame
    assert list(narrow.repayments.columns) == [
        "due_date",
        "client_id",
        "amount_due",
        "paid_date",
        "amount_paid",
    ]
    assert list(narrow.contacts.columns) == ["client_id", "contact_date", "kind", "next_contact_date"]
    assert "avg_balance" not in narrow.flows.columns
    assert list(narrow.signals.columns) == list(full.signals.columns)
    assert narrow.statements.equals(full.statements)  # not narrowed
    # the months read: 12 full months before the as-of month, every client's (the demo has 12)
    assert narrow.flows["month"].min().date() == dt.date(2025, 11, 1)
    assert narrow.flows["month"].max().date() == dt.date(2026, 10, 1)


def test_review_on_the_narrowed_read_equals_the_full_reads_run(demo_container) -> None:  # type: ignore[no-untyped-def]
    """Through the reader process (a SQLite file), in chunks: the one-shot run over the full snapshot's results,
    and the edge rows count (the client's results change with them)."""
    engine = demo_container.credit_engine
    before = engine.assess_portfolio(demo_container.adapter.snapshot(as_of=AS_OF)).table().loc[CLIENT]
    _add_history(demo_container.engine)
    whole = engine.assess_portfolio(demo_container.adapter.snapshot(as_of=AS_OF))
    chunked = engine.review_book(as_of=AS_OF, chunk_clients=7)
    assert_same_review(chunked, whole)
    after = whole.table().loc[CLIENT]
    assert after["max_dpd_12m"] == 45 != before["max_dpd_12m"]
    assert after["next_contact"] != before["next_contact"]
    counted = whole.frames.signals.loc[whole.frames.signals["client_id"] == CLIENT, "summary"]
    assert "test signal 2" in set(counted) and not {"test signal 0", "test signal 1"} & set(counted)


def test_reads_name_known_frames_and_columns(demo_container) -> None:  # type: ignore[no-untyped-def]
    adapter = demo_container.adapter
    with pytest.raises(InvalidInput):
        adapter.snapshot(as_of=AS_OF, reads={"flow": FrameRead(columns=("month",))})
    with pytest.raises(InvalidInput):
        adapter.snapshot(as_of=AS_OF, reads={"flows": FrameRead(columns=("monthh",))})
