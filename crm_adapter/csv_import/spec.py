"""Which file holds which entity, its natural key and the references it must satisfy."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import SQLModel

from crm_adapter import models as m


@dataclass(frozen=True)
class Reference:
    column: str
    target: str  # file name of the referenced entity
    target_column: str
    optional: bool = False


@dataclass(frozen=True)
class EntitySpec:
    file: str
    record: type[SQLModel]
    table: type[SQLModel]
    key: tuple[str, ...]
    references: tuple[Reference, ...] = field(default_factory=tuple)
    required: bool = True


# In load order: a file's references point at files earlier in the list.
SPECS: tuple[EntitySpec, ...] = (
    EntitySpec("groups.csv", m.ClientGroup, m.ClientGroupRow, ("group_id",), required=False),
    EntitySpec("officers.csv", m.Officer, m.OfficerRow, ("officer_id",)),
    EntitySpec(
        "clients.csv",
        m.Client,
        m.ClientRow,
        ("client_id",),
        (
            Reference("officer_id", "officers.csv", "officer_id"),
            Reference("group_id", "groups.csv", "group_id", optional=True),
        ),
    ),
    EntitySpec(
        "facilities.csv",
        m.Facility,
        m.FacilityRow,
        ("facility_id",),
        (Reference("client_id", "clients.csv", "client_id"),),
    ),
    EntitySpec(
        "financials.csv",
        m.FinancialStatement,
        m.FinancialStatementRow,
        ("client_id", "period_end", "period_type"),
        (Reference("client_id", "clients.csv", "client_id"),),
    ),
    EntitySpec(
        "bank_flows.csv",
        m.BankFlow,
        m.BankFlowRow,
        ("client_id", "month"),
        (Reference("client_id", "clients.csv", "client_id"),),
    ),
    EntitySpec(
        "repayments.csv",
        m.RepaymentEvent,
        m.RepaymentEventRow,
        ("facility_id", "due_date"),
        (
            Reference("facility_id", "facilities.csv", "facility_id"),
            Reference("client_id", "clients.csv", "client_id"),
        ),
    ),
    EntitySpec(
        "reputation.csv",
        m.ReputationSignal,
        m.ReputationSignalRow,
        ("signal_id",),
        (Reference("client_id", "clients.csv", "client_id"),),
    ),
    EntitySpec(
        "insurance.csv",
        m.InsuranceCover,
        m.InsuranceCoverRow,
        ("cover_id",),
        (Reference("client_id", "clients.csv", "client_id"),),
    ),
    EntitySpec(
        "contacts.csv",
        m.ContactLog,
        m.ContactLogRow,
        ("contact_id",),
        (
            Reference("client_id", "clients.csv", "client_id"),
            Reference("officer_id", "officers.csv", "officer_id"),
        ),
    ),
    EntitySpec("fx_rates.csv", m.FxRate, m.FxRateRow, ("currency", "rate_date"), required=False),
)

BY_FILE = {s.file: s for s in SPECS}
