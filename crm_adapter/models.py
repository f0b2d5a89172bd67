"""The typed records the product reads, and the SQL tables of the built-in store.

Each entity is a SQLModel record class (the boundary type every adapter returns) and a
`...Row` table class of the built-in SQL store that inherits its fields. Money is Decimal
(Numeric in SQL); dates are dates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from crm_adapter.enums import (
    ClientStatus,
    ContactKind,
    CoverStatus,
    FacilityStatus,
    PeriodType,
    Product,
    Role,
    Severity,
    SignalCategory,
    SizeSegment,
)


def money(*, nullable: bool = False, default: Decimal | None = None, nonneg: bool = False) -> Decimal:
    """A money column: Numeric(20, 2); `nonneg` refuses negative amounts at validation."""
    kwargs: dict[str, object] = {"max_digits": 20, "decimal_places": 2}
    if nonneg:
        kwargs["ge"] = 0
    if nullable:
        return Field(default=default, nullable=True, **kwargs)  # type: ignore[return-value]
    if default is not None:
        return Field(default=default, **kwargs)  # type: ignore[return-value]
    return Field(**kwargs)  # type: ignore[return-value]


def enum_col(default: object = ..., *, index: bool = False) -> object:
    return Field(default=default, sa_type=String(24), index=index)


# --- people and structure -----------------------------------------------------------------


class Officer(SQLModel):
    officer_id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=200)
    role: Role = enum_col()  # type: ignore[assignment]
    approval_level: int = Field(default=0, ge=0, le=9)
    team: str = Field(max_length=100, index=True)
    slack_user_id: str | None = Field(default=None, max_length=32, unique=True)
    active: bool = True


class ClientGroup(SQLModel):
    group_id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)


class Client(SQLModel):
    client_id: int = Field(primary_key=True)
    external_id: str | None = Field(default=None, max_length=64, unique=True)
    name: str = Field(max_length=200, index=True)
    industry: str = Field(max_length=64, index=True)
    region: str = Field(max_length=64, index=True)
    country: str = Field(max_length=2)
    size_segment: SizeSegment = enum_col()  # type: ignore[assignment]
    officer_id: str = Field(foreign_key="officers.officer_id", index=True, max_length=64)
    group_id: str | None = Field(default=None, foreign_key="client_groups.group_id", index=True)
    status: ClientStatus = enum_col(ClientStatus.ACTIVE)  # type: ignore[assignment]
    onboarded: dt.date | None = None
    last_review_date: dt.date | None = Field(
        default=None, description="Last completed periodic credit review, as the CRM records it"
    )
    defaulted: bool | None = Field(default=None, description="Observed default outcome (for model training)")
    default_date: dt.date | None = None


class Facility(SQLModel):
    facility_id: str = Field(primary_key=True, max_length=64)
    client_id: int = Field(foreign_key="clients.client_id", index=True)
    product: Product = enum_col()  # type: ignore[assignment]
    currency: str = Field(max_length=3)
    limit_amount: Decimal = money(nonneg=True)
    outstanding: Decimal = money(default=Decimal(0), nonneg=True)
    opened: dt.date
    maturity: dt.date | None = None
    secured: bool = False
    status: FacilityStatus = enum_col(FacilityStatus.ACTIVE)  # type: ignore[assignment]


# --- client data ----------------------------------------------------------------------------


class FinancialStatement(SQLModel):
    client_id: int = Field(foreign_key="clients.client_id", primary_key=True)
    period_end: dt.date = Field(primary_key=True)
    period_type: PeriodType = Field(primary_key=True, sa_type=String(24))
    currency: str = Field(max_length=3)
    revenue: Decimal | None = money(nullable=True)
    cogs: Decimal | None = money(nullable=True)
    ebitda: Decimal | None = money(nullable=True)
    net_income: Decimal | None = money(nullable=True)
    interest_expense: Decimal | None = money(nullable=True)
    total_assets: Decimal | None = money(nullable=True)
    total_liabilities: Decimal | None = money(nullable=True)
    current_assets: Decimal | None = money(nullable=True)
    current_liabilities: Decimal | None = money(nullable=True)
    cash: Decimal | None = money(nullable=True)
    inventory: Decimal | None = money(nullable=True)
    receivables: Decimal | None = money(nullable=True)
    payables: Decimal | None = money(nullable=True)
    total_debt: Decimal | None = money(nullable=True)
    equity: Decimal | None = money(nullable=True)
    operating_cash_flow: Decimal | None = money(nullable=True)
    audited: bool = False


class BankFlow(SQLModel):
    client_id: int = Field(foreign_key="clients.client_id", primary_key=True)
    month: dt.date = Field(primary_key=True, description="First day of the month")
    currency: str = Field(max_length=3)
    inflows: Decimal = money(nonneg=True)
    outflows: Decimal = money(nonneg=True)
    avg_balance: Decimal = money()
    bounced_payments: int = Field(default=0, ge=0)


class RepaymentEvent(SQLModel):
    facility_id: str = Field(foreign_key="facilities.facility_id", primary_key=True, max_length=64)
    due_date: dt.date = Field(primary_key=True)
    client_id: int = Field(foreign_key="clients.client_id", index=True)
    amount_due: Decimal = money(nonneg=True)
    paid_date: dt.date | None = None
    amount_paid: Decimal = money(default=Decimal(0), nonneg=True)

    def days_past_due(self, as_of: dt.date) -> int:
        """Days late: to the payment date when paid, else to `as_of` (0 when not yet due)."""
        end = self.paid_date if self.paid_date is not None else as_of
        return max(0, (end - self.due_date).days)


class ReputationSignal(SQLModel):
    signal_id: str = Field(primary_key=True, max_length=64)
    client_id: int = Field(foreign_key="clients.client_id", index=True)
    signal_date: dt.date
    source: str = Field(max_length=100)
    category: SignalCategory = enum_col()  # type: ignore[assignment]
    severity: Severity = enum_col()  # type: ignore[assignment]
    amount: Decimal | None = money(nullable=True)
    summary: str = Field(default="", max_length=2000)


class InsuranceCover(SQLModel):
    cover_id: str = Field(primary_key=True, max_length=64)
    client_id: int = Field(foreign_key="clients.client_id", index=True)
    insurer: str = Field(max_length=200)
    insured_limit: Decimal = money(nonneg=True)
    coverage_pct: Decimal = Field(max_digits=5, decimal_places=2, ge=0, le=100)
    currency: str = Field(max_length=3)
    start_date: dt.date
    expiry_date: dt.date
    status: CoverStatus = enum_col(CoverStatus.ACTIVE)  # type: ignore[assignment]


class ContactLog(SQLModel):
    contact_id: str = Field(primary_key=True, max_length=64)
    client_id: int = Field(foreign_key="clients.client_id", index=True)
    contact_date: dt.date
    kind: ContactKind = enum_col()  # type: ignore[assignment]
    officer_id: str = Field(foreign_key="officers.officer_id", max_length=64)
    notes: str = Field(default="", max_length=4000)
    next_contact_date: dt.date | None = None


class FxRate(SQLModel):
    currency: str = Field(primary_key=True, max_length=3)
    rate_date: dt.date = Field(primary_key=True)
    rate_to_reporting: Decimal = Field(max_digits=20, decimal_places=8, gt=0)


class ClientNote(SQLModel):
    note_id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="clients.client_id", index=True)
    officer_id: str = Field(max_length=64)
    created_at: dt.datetime
    source: str = Field(default="assistant", max_length=32)
    text: str = Field(max_length=8000)


# --- tables of the built-in SQL store -------------------------------------------------------


class OfficerRow(Officer, table=True):
    __tablename__ = "officers"


class ClientGroupRow(ClientGroup, table=True):
    __tablename__ = "client_groups"


class ClientRow(Client, table=True):
    __tablename__ = "clients"


class FacilityRow(Facility, table=True):
    __tablename__ = "facilities"


class FinancialStatementRow(FinancialStatement, table=True):
    __tablename__ = "financial_statements"


class BankFlowRow(BankFlow, table=True):
    __tablename__ = "bank_flows"


class RepaymentEventRow(RepaymentEvent, table=True):
    __tablename__ = "repayment_events"


class ReputationSignalRow(ReputationSignal, table=True):
    __tablename__ = "reputation_signals"


class InsuranceCoverRow(InsuranceCover, table=True):
    __tablename__ = "insurance_covers"


class ContactLogRow(ContactLog, table=True):
    __tablename__ = "contact_logs"


class FxRateRow(FxRate, table=True):
    __tablename__ = "fx_rates"


class ClientNoteRow(ClientNote, table=True):
    __tablename__ = "client_notes"
