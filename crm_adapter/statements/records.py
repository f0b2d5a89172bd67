"""Typed records of parsed bank statements (before storage) and the parse error that points at the place.

Amounts are signed Decimals in the account's currency: + is a credit (money in), - a debit (money out).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, Field

from kernel.errors import InvalidInput


class ParsedTransaction(BaseModel):
    line: int = Field(ge=0, description="Line of the source file where the entry starts")
    booking_date: dt.date
    value_date: dt.date | None = None
    amount: Decimal = Field(description="Signed: + credit (in), - debit (out)")
    currency: str = Field(min_length=3, max_length=3)
    counterparty: str = ""
    counterparty_account: str = ""
    reference: str = Field("", description="The bank's or end-to-end reference, when the file has one")
    description: str = ""
    code: str = Field("", description="The bank's transaction type code (MT940 :61: type, camt BkTxCd)")
    returned: bool = Field(False, description="Flagged by the bank as a return or reversal")
    balance_after: Decimal | None = Field(None, description="Running balance when the file gives one (CSV)")


class ParsedStatement(BaseModel):
    file: str
    line: int = Field(ge=0)
    format: str  # mt940 | camt053 | csv
    dialect: str
    account: str = Field(min_length=1, max_length=64)
    currency: str = Field(min_length=3, max_length=3)
    bank: str = ""
    number: str = ""
    from_date: dt.date
    to_date: dt.date
    opening_balance: Decimal
    closing_balance: Decimal
    closing_line: int = 0
    transactions: list[ParsedTransaction] = []

    @property
    def movements(self) -> Decimal:
        return sum((t.amount for t in self.transactions), Decimal(0))


class StatementFormatError(InvalidInput):
    """A statement file that cannot be read as what it claims to be; the message names file, line and field."""

    def __init__(self, file: str, line: int, field: str, reason: str) -> None:
        super().__init__(f"{file}:{line}: {field}: {reason}", field=field)
        self.file = file
        self.line = line


def balance_problem(st: ParsedStatement) -> str | None:
    """`file:line: closing balance: ...` when opening + movements != closing, else None."""
    expected = st.opening_balance + st.movements
    if expected == st.closing_balance:
        return None
    return (
        f"{st.file}:{st.closing_line or st.line}: closing balance: {st.closing_balance} {st.currency} but "
        f"opening {st.opening_balance} + movements {st.movements} = {expected} (account {st.account}, "
        f"{st.from_date} to {st.to_date}); the statement is incomplete or altered"
    )
