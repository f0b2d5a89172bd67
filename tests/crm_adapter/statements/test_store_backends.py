"""The statement store on every backend (SQLite, and PostgreSQL's COPY path when configured)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from crm_adapter.models import BankFlowRow
from crm_adapter.statements import import_statements
from crm_adapter.statements.tables import BankTransactionRow

SAMPLES = Path(__file__).parent / "samples"
EXAMPLES = Path(__file__).parents[3] / "examples"
NOW = dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC)


def test_import_and_reimport_on_each_backend(book_container) -> None:  # type: ignore[no-untyped-def]
    book_container.import_book(EXAMPLES / "small-book")
    files = [SAMPLES / "export_zh.csv", SAMPLES / "deutsche_bank.sta", SAMPLES / "camt053_v08.xml"]
    first = import_statements(book_container.engine, 1002, files, now=NOW)
    assert first.transactions_added == 6 + 5 + 2
    again = import_statements(book_container.engine, 1002, files, now=NOW)
    assert again.transactions_added == 0 and again.transactions_skipped == 13
    with book_container.engine.connect() as conn:
        amounts = sorted(
            conn.execute(
                select(BankTransactionRow.amount).where(BankTransactionRow.client_id == 1002)
            ).scalars()
        )
        flows = conn.execute(select(BankFlowRow).where(BankFlowRow.client_id == 1002)).all()
    assert amounts[0] == Decimal("-200000.00") and amounts[-1] == Decimal("400000.00")
    assert {f.month for f in flows} >= {dt.date(2026, 2, 1)}
