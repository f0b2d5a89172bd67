"""Stored bank accounts, statements and transactions (migration 0017).

Keys are content hashes, so importing the same file twice, or two overlapping statements, stores each
statement and each transaction once: a statement by account, period, balances and number; a transaction
by account, dates, amount, counterparty, reference, text and its position among identical entries.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlmodel import Field, SQLModel

from crm_adapter.models import money


class BankAccount(SQLModel):
    account_id: str = Field(primary_key=True, max_length=80, description="number:currency")
    client_id: int = Field(foreign_key="clients.client_id", index=True)
    number: str = Field(max_length=64)
    currency: str = Field(max_length=3)
    bank: str = Field(default="", max_length=64)


class BankStatement(SQLModel):
    statement_id: str = Field(primary_key=True, max_length=40)
    account_id: str = Field(foreign_key="bank_accounts.account_id", index=True, max_length=80)
    client_id: int = Field(foreign_key="clients.client_id", index=True)
    number: str = Field(default="", max_length=40)
    from_date: dt.date
    to_date: dt.date
    currency: str = Field(max_length=3)
    opening_balance: Decimal = money()
    closing_balance: Decimal = money()
    transactions: int = Field(default=0, ge=0)
    source_format: str = Field(max_length=40)
    source_file: str = Field(max_length=255)
    source_sha256: str = Field(max_length=64)
    imported_at: dt.datetime


class BankTransaction(SQLModel):
    txn_id: str = Field(primary_key=True, max_length=40)
    account_id: str = Field(foreign_key="bank_accounts.account_id", index=True, max_length=80)
    client_id: int = Field(foreign_key="clients.client_id", index=True)
    statement_id: str = Field(max_length=40, index=True)
    booking_date: dt.date = Field(index=True)
    value_date: dt.date | None = None
    amount: Decimal = money()
    currency: str = Field(max_length=3)
    counterparty: str = Field(default="", max_length=200)
    counterparty_account: str = Field(default="", max_length=64)
    reference: str = Field(default="", max_length=120)
    description: str = Field(default="", max_length=1000)
    code: str = Field(default="", max_length=40)
    returned: bool = False


class BankAccountRow(BankAccount, table=True):
    __tablename__ = "bank_accounts"


class BankStatementRow(BankStatement, table=True):
    __tablename__ = "bank_statements"


class BankTransactionRow(BankTransaction, table=True):
    __tablename__ = "bank_transactions"
