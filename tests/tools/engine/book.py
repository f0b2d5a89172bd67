"""Hand-made snapshots for engine tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from crm_adapter.snapshot import BookSnapshot

AS_OF = dt.date(2026, 11, 28)


def client(cid: int, **kw: object) -> dict:
    base = {"client_id": cid, "external_id": f"X{cid}", "name": f"Client {cid}", "industry": "manufacturing",
            "region": "North", "country": "US", "size_segment": "medium", "officer_id": "rm.a", "group_id": None,
            "status": "active", "onboarded": pd.Timestamp("2020-03-10"), "defaulted": None, "default_date": pd.NaT}  # fmt: skip
    base.update(kw)
    return base


def facility(fid: str, cid: int, limit: float, outstanding: float, **kw: object) -> dict:
    base = {"facility_id": fid, "client_id": cid, "product": "revolving", "currency": "USD", "limit_amount": limit,
            "outstanding": outstanding, "opened": pd.Timestamp("2021-01-01"), "maturity": pd.Timestamp("2027-01-01"),
            "secured": False, "status": "active"}  # fmt: skip
    base.update(kw)
    return base


def statement(cid: int, year: int, **kw: object) -> dict:
    base = {"client_id": cid, "period_end": pd.Timestamp(f"{year}-12-31"), "period_type": "annual", "currency": "USD",
            "revenue": 10_000_000.0, "cogs": 7_000_000.0, "ebitda": 1_000_000.0, "net_income": 400_000.0,
            "interest_expense": 100_000.0, "total_assets": 8_000_000.0, "total_liabilities": 4_000_000.0,
            "current_assets": 3_000_000.0, "current_liabilities": 2_000_000.0, "cash": 500_000.0,
            "inventory": 1_000_000.0, "receivables": 1_500_000.0, "payables": 700_000.0, "total_debt": 2_000_000.0,
            "equity": 4_000_000.0, "operating_cash_flow": 800_000.0, "audited": True}  # fmt: skip
    base.update(kw)
    return base


def frame(rows: list[dict], columns: list[str], dates: tuple[str, ...] = ()) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    for d in dates:
        df[d] = pd.to_datetime(df[d])
    return df


def snapshot(*, clients: list[dict], facilities: list[dict] = (), statements: list[dict] = (),
             flows: list[dict] = (), repayments: list[dict] = (), signals: list[dict] = (),
             covers: list[dict] = (), contacts: list[dict] = (), as_of: dt.date = AS_OF) -> BookSnapshot:  # fmt: skip
    return BookSnapshot(
        as_of=as_of,
        officers=pd.DataFrame(
            [
                {
                    "officer_id": "rm.a",
                    "name": "Anna",
                    "email": None,
                    "role": "rm",
                    "approval_level": 0,
                    "team": "North",
                    "slack_user_id": None,
                    "active": True,
                }
            ]
        ),  # fmt: skip
        groups=pd.DataFrame({"group_id": pd.Series(dtype=object), "name": pd.Series(dtype=object)}),
        clients=frame(clients, list(client(0)), ("onboarded", "default_date")),
        facilities=frame(list(facilities), list(facility("f", 0, 0, 0)), ("opened", "maturity")),
        statements=frame(list(statements), list(statement(0, 2025)), ("period_end",)),
        flows=frame(
            list(flows),
            ["client_id", "month", "currency", "inflows", "outflows", "avg_balance", "bounced_payments"],
            ("month",),
        ),  # fmt: skip
        repayments=frame(
            list(repayments),
            ["facility_id", "due_date", "client_id", "amount_due", "paid_date", "amount_paid"],
            ("due_date", "paid_date"),
        ),  # fmt: skip
        signals=frame(
            list(signals),
            ["signal_id", "client_id", "signal_date", "source", "category", "severity", "amount", "summary"],
            ("signal_date",),
        ),  # fmt: skip
        covers=frame(
            list(covers),
            [
                "cover_id",
                "client_id",
                "insurer",
                "insured_limit",
                "coverage_pct",
                "currency",
                "start_date",
                "expiry_date",
                "status",
            ],
            ("start_date", "expiry_date"),
        ),  # fmt: skip
        contacts=frame(
            list(contacts),
            ["contact_id", "client_id", "contact_date", "kind", "officer_id", "notes", "next_contact_date"],
            ("contact_date", "next_contact_date"),
        ),  # fmt: skip
        fx=pd.DataFrame(
            {"currency": ["EUR"], "rate_date": [pd.Timestamp(AS_OF)], "rate_to_reporting": [1.1]}
        ),
    )
