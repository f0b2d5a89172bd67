"""Import bank statement files for one client: parse and check everything first, then write in one transaction.

Nothing is written when any file is malformed or any statement does not balance (opening + movements
= closing); every problem is reported as `file:line: field: reason`. Statements and transactions are keyed
by content hashes, so importing again changes nothing. After the write, the client's monthly bank flows
(`bank_flows`) are derived again from all its stored transactions for the months the statements cover.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine, delete, select

import crm_adapter.statements.camt053 as camt053
import crm_adapter.statements.csv_export as csv_export
import crm_adapter.statements.mt940 as mt940
from crm_adapter.models import BankFlowRow, ClientRow, FxRateRow
from crm_adapter.sql.bulk import bulk_insert
from crm_adapter.sql.changes import bump_in
from crm_adapter.statements.flows import monthly_flows, to_money
from crm_adapter.statements.records import ParsedStatement, StatementFormatError, balance_problem
from crm_adapter.statements.tables import BankAccountRow, BankStatementRow, BankTransactionRow
from kernel.errors import InvalidInput, NotFound

_CHUNK = 500


class StatementSummary(BaseModel):
    account: str
    currency: str
    from_: dt.date = Field(serialization_alias="from")
    to: dt.date
    opening_balance: str
    closing_balance: str
    transactions: int
    file: str
    format: str
    dialect: str
    new: bool


class StatementImport(BaseModel):
    client_id: int
    accounts: list[str]
    statements: list[StatementSummary]
    transactions_added: int
    transactions_skipped: int
    bank_flow_months: list[str] = []
    warnings: list[str] = []

    def to_json(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)


def read_statement_file(path: Path, *, mapping: csv_export.CsvMapping | None = None, account: str | None = None,
                        currency: str | None = None) -> tuple[list[ParsedStatement], list[str], str]:  # fmt: skip
    """The statements in one file, its warnings and its SHA-256; the format is recognised by content."""
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise StatementFormatError(name, 0, "file", f"cannot be read ({exc.strerror})") from None
    digest = hashlib.sha256(data).hexdigest()
    head = data[:4096].decode("utf-8", errors="replace")
    if camt053.looks_like(head):
        statements, warnings = camt053.parse_camt053(data, name)
        return statements, warnings, digest
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1") if mapping is None and mt940.looks_like(data.decode("latin-1")) else ""
    if text and mt940.looks_like(text):
        return mt940.parse_mt940(text, name), [], digest
    if mapping is not None or csv_export.detect_preset(text or data.decode("gb18030", errors="replace")):
        return [csv_export.parse_csv(data, name, mapping, account=account, currency=currency)], [], digest
    raise StatementFormatError(
        name, 1, "format",
        "unknown statement format: expected SWIFT MT940 (':20:', ':25:', ':60F:' ... ':62F:'), ISO 20022 camt.053 "
        "XML (camt.053.001.02 to .08), or a CSV export with the columns Date/Debit/Credit/Balance or "
        "交易日期/借方发生额/贷方发生额/余额 (or any layout with --mapping FILE)",
    )  # fmt: skip


def _id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:40]


def _account_id(st: ParsedStatement) -> str:
    return f"{st.account.replace(' ', '').upper()}:{st.currency}"


def _statement_id(st: ParsedStatement) -> str:
    return _id(_account_id(st), st.from_date, st.to_date, st.opening_balance, st.closing_balance, st.number)


def _transaction_rows(st: ParsedStatement, statement_id: str, client_id: int) -> list[dict[str, object]]:
    seen: Counter[tuple[object, ...]] = Counter()
    rows = []
    account_id = _account_id(st)
    for t in st.transactions:
        content = (account_id, t.booking_date, t.value_date, t.amount, t.counterparty_account, t.counterparty,
                   t.reference, t.description, t.code)  # fmt: skip
        seen[content] += 1
        rows.append({
            "txn_id": _id(*content, seen[content]), "account_id": account_id, "client_id": client_id,
            "statement_id": statement_id, "booking_date": t.booking_date, "value_date": t.value_date,
            "amount": t.amount, "currency": t.currency, "counterparty": t.counterparty,
            "counterparty_account": t.counterparty_account, "reference": t.reference, "description": t.description,
            "code": t.code, "returned": t.returned,
        })  # fmt: skip
    return rows


_TX_COLUMNS = ("txn_id", "account_id", "client_id", "statement_id", "booking_date", "value_date", "amount",
               "currency", "counterparty", "counterparty_account", "reference", "description", "code", "returned")  # fmt: skip


def _existing_transactions(conn: Connection, rows: list[dict[str, object]]) -> set[str]:
    """The ids among `rows` already stored: one query per account over the rows' booking dates (an id is a
    hash of the account, the dates and the content, so a stored twin has the same account and date)."""
    t = BankTransactionRow.__table__  # type: ignore[attr-defined]
    found: set[str] = set()
    spans: dict[object, tuple[object, object]] = {}
    for r in rows:
        lo, hi = spans.get(r["account_id"], (r["booking_date"], r["booking_date"]))
        spans[r["account_id"]] = (min(lo, r["booking_date"]), max(hi, r["booking_date"]))  # type: ignore[type-var]
    for account, (lo, hi) in spans.items():
        found |= set(conn.execute(select(t.c.txn_id).where(t.c.account_id == account,
                                                           t.c.booking_date.between(lo, hi))).scalars())  # fmt: skip
    return found


def _insert_transactions(conn: Connection, rows: list[dict[str, object]]) -> None:
    """All rows in the caller's transaction: one executemany of tuples on SQLite, COPY on PostgreSQL."""
    tx_t = BankTransactionRow.__table__  # type: ignore[attr-defined]
    if conn.dialect.name != "sqlite":
        frame = pd.DataFrame(rows, columns=list(_TX_COLUMNS))
        for c in ("booking_date", "value_date"):
            frame[c] = frame[c].map(lambda d: d.isoformat() if d is not None else None)
        frame["amount"] = frame["amount"].map(str)
        bulk_insert(conn, tx_t, frame)
        return
    values = [
        (r["txn_id"], r["account_id"], r["client_id"], r["statement_id"], r["booking_date"].isoformat(),  # type: ignore[attr-defined]
         r["value_date"].isoformat() if r["value_date"] is not None else None, str(r["amount"]), r["currency"],  # type: ignore[attr-defined]
         r["counterparty"], r["counterparty_account"], r["reference"], r["description"], r["code"], r["returned"])
        for r in rows
    ]  # fmt: skip
    sql = (
        f'INSERT INTO "{tx_t.name}" ({", ".join(_TX_COLUMNS)}) VALUES ({", ".join("?" for _ in _TX_COLUMNS)})'
    )
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, values)
    finally:
        cursor.close()


def _existing(conn: Connection, column: object, values: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(values), _CHUNK):
        found |= set(conn.execute(select(column).where(column.in_(values[i : i + _CHUNK]))).scalars())  # type: ignore[attr-defined]
    return found


def _gaps(conn: Connection, account_ids: list[str]) -> list[str]:
    t = BankStatementRow.__table__  # type: ignore[attr-defined]
    rows = conn.execute(
        select(t.c.account_id, t.c.from_date, t.c.to_date, t.c.opening_balance, t.c.closing_balance)
        .where(t.c.account_id.in_(account_ids)).order_by(t.c.account_id, t.c.to_date, t.c.from_date)
    ).all()  # fmt: skip
    notes = []
    for prev, cur in zip(rows, rows[1:], strict=False):
        if prev.account_id != cur.account_id:
            continue
        if cur.opening_balance != prev.closing_balance:
            notes.append(
                f"account {cur.account_id}: gap between statements: closing {prev.closing_balance} on {prev.to_date}, "
                f"next opening {cur.opening_balance} on {cur.from_date} (a statement is missing?)"
            )
    return notes


def _rates(conn: Connection) -> dict[str, float]:
    t = FxRateRow.__table__  # type: ignore[attr-defined]
    rows = conn.execute(select(t.c.currency, t.c.rate_to_reporting).order_by(t.c.rate_date)).all()
    return {r.currency: float(r.rate_to_reporting) for r in rows}


def load_client_frames(
    conn: Connection, client_id: int, *, transactions: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """A client's stored transactions, statements and accounts as frames, and the book's latest FX rates."""
    acc_t, st_t, tx_t = (r.__table__ for r in (BankAccountRow, BankStatementRow, BankTransactionRow))  # type: ignore[attr-defined]

    def frame(t: object) -> pd.DataFrame:  # rows as tuples: no per-row mapping objects
        cursor = conn.execute(select(t).where(t.c.client_id == client_id))  # type: ignore[attr-defined]
        return pd.DataFrame.from_records(cursor.all(), columns=[c.name for c in t.columns])  # type: ignore[attr-defined]

    accounts, statements = frame(acc_t), frame(st_t)
    tx = frame(tx_t) if transactions else pd.DataFrame(columns=[c.name for c in tx_t.columns])
    return tx, statements, accounts, _rates(conn)


def _derive_flows(
    conn: Connection, client_id: int, only: list[dict[str, object]] | None = None
) -> tuple[list[str], list[str]]:
    """Rewrite the client's bank_flows for the months its statements cover; (months, notes).

    `only`: the client's transactions are exactly these rows (its first import): not read back."""
    tx, statements, accounts, rates = load_client_frames(conn, client_id, transactions=only is None)
    if only is not None:
        columns = [c.name for c in BankTransactionRow.__table__.columns]  # type: ignore[attr-defined]
        tx = pd.DataFrame.from_records(only, columns=columns)
    if accounts.empty or statements.empty or tx.empty:
        return [], []
    flows, notes = monthly_flows(tx, statements, accounts, rates)
    if flows.empty:
        return [], notes
    bf = BankFlowRow.__table__  # type: ignore[attr-defined]
    months = [m.date() for m in flows["month"]]
    conn.execute(delete(bf).where(bf.c.client_id == client_id, bf.c.month.in_(months)))
    frame = pd.DataFrame({
        "client_id": client_id, "month": [m.isoformat() for m in months], "currency": flows["currency"],
        "inflows": [str(to_money(v)) for v in flows["inflows"]], "outflows": [str(to_money(v)) for v in flows["outflows"]],
        "avg_balance": [str(to_money(v)) for v in flows["avg_balance"]], "bounced_payments": flows["bounced_payments"],
    })  # fmt: skip
    bulk_insert(conn, bf, frame)
    return [m.strftime("%Y-%m") for m in months], notes


def import_statements(engine: Engine, client_id: int, paths: list[Path], *, now: dt.datetime,
                      mapping: csv_export.CsvMapping | None = None, account: str | None = None,
                      currency: str | None = None,
                      record: Callable[[Connection, StatementImport], None] | None = None) -> StatementImport:  # fmt: skip
    """Import `paths` for `client_id`, all or nothing. Raises InvalidInput listing every problem."""
    if not paths:
        raise InvalidInput("no statement files given", field="files")
    errors: list[str] = []
    warnings: list[str] = []
    parsed: list[tuple[ParsedStatement, str]] = []
    for path in paths:
        try:
            statements, notes, digest = read_statement_file(
                path, mapping=mapping, account=account, currency=currency
            )
        except StatementFormatError as exc:
            errors.append(exc.message)
            continue
        warnings += notes
        for st in statements:
            if (problem := balance_problem(st)) is not None:
                errors.append(problem)
            parsed.append((st, digest))
    if errors:
        raise InvalidInput(
            f"{len(errors)} problem(s) in the statement files; nothing was imported", details=errors
        )
    seen_ids: dict[str, str] = {}
    unique: list[tuple[ParsedStatement, str, str]] = []
    for st, digest in parsed:
        sid = _statement_id(st)
        if sid in seen_ids:
            warnings.append(f"{st.file}:{st.line}: the same statement as in {seen_ids[sid]}; read once")
            continue
        seen_ids[sid] = f"{st.file}:{st.line}"
        unique.append((st, digest, sid))
    acc_t, st_t, tx_t = (r.__table__ for r in (BankAccountRow, BankStatementRow, BankTransactionRow))  # type: ignore[attr-defined]
    with engine.begin() as conn:
        if (
            conn.execute(
                select(ClientRow.__table__.c.client_id).where(ClientRow.__table__.c.client_id == client_id)
            ).first()
            is None
        ):  # type: ignore[attr-defined]
            raise NotFound(f"client {client_id} not found")
        account_ids = sorted({_account_id(st) for st, _, _ in unique})
        owners = dict(
            conn.execute(
                select(acc_t.c.account_id, acc_t.c.client_id).where(acc_t.c.account_id.in_(account_ids))
            ).all()
        )
        clash = [
            f"account {a} belongs to client {c}, not {client_id}" for a, c in owners.items() if c != client_id
        ]
        if clash:
            raise InvalidInput("statements of another client's account; nothing was imported", details=clash)
        new_accounts = [
            {"account_id": _account_id(st), "client_id": client_id, "number": st.account.replace(" ", "").upper(),
             "currency": st.currency, "bank": st.bank[:64]}
            for st, _, _ in unique if _account_id(st) not in owners
        ]  # fmt: skip
        new_accounts = list({a["account_id"]: a for a in new_accounts}.values())
        if new_accounts:
            conn.execute(acc_t.insert(), new_accounts)
        stored = _existing(conn, st_t.c.statement_id, [sid for _, _, sid in unique])
        tx_rows: list[dict[str, object]] = []
        st_rows: list[dict[str, object]] = []
        summaries: list[StatementSummary] = []
        skipped = 0
        for st, digest, sid in unique:
            if sid not in stored:
                st_rows.append({
                    "statement_id": sid, "account_id": _account_id(st), "client_id": client_id, "number": st.number[:40],
                    "from_date": st.from_date, "to_date": st.to_date, "currency": st.currency,
                    "opening_balance": st.opening_balance, "closing_balance": st.closing_balance,
                    "transactions": len(st.transactions), "source_format": st.dialect[:40], "source_file": st.file[:255],
                    "source_sha256": digest, "imported_at": now,
                })  # fmt: skip
                tx_rows += _transaction_rows(st, sid, client_id)  # a stored statement's entries are stored
            else:
                skipped += len(st.transactions)
            summaries.append(StatementSummary(
                account=st.account, currency=st.currency, from_=st.from_date, to=st.to_date,
                opening_balance=str(st.opening_balance), closing_balance=str(st.closing_balance),
                transactions=len(st.transactions), file=st.file, format=st.format, dialect=st.dialect, new=sid not in stored,
            ))  # fmt: skip
        if st_rows:
            conn.execute(st_t.insert(), st_rows)
        unique_tx = list({r["txn_id"]: r for r in tx_rows}.values())
        first_import = (
            conn.execute(select(tx_t.c.txn_id).where(tx_t.c.client_id == client_id).limit(1)).first() is None
        )
        known = set() if first_import else _existing_transactions(conn, unique_tx)
        fresh = [r for r in unique_tx if r["txn_id"] not in known]
        if fresh:
            _insert_transactions(conn, fresh)
        warnings += _gaps(conn, account_ids)
        months: list[str] = []
        if fresh or st_rows:
            months, notes = _derive_flows(conn, client_id, fresh if first_import else None)
            warnings += notes
        result = StatementImport(
            client_id=client_id, accounts=account_ids, statements=summaries, transactions_added=len(fresh),
            transactions_skipped=skipped + len(tx_rows) - len(fresh), bank_flow_months=months, warnings=warnings,
        )  # fmt: skip
        if record is not None:
            record(conn, result)
        if fresh or st_rows:
            bump_in(conn)
    return result
