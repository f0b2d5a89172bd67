"""Where each stored financial statement came from: the source file's hash and the line mapping (migration 0017)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class FinancialSpreadRow(SQLModel, table=True):
    __tablename__ = "financial_spreads"

    client_id: int = Field(foreign_key="clients.client_id", primary_key=True)
    period_end: dt.date = Field(primary_key=True)
    period_type: str = Field(primary_key=True, max_length=24)
    source_file: str = Field(max_length=255)
    source_sha256: str = Field(max_length=64)
    unit: int = Field(ge=1)
    mapping: list[dict[str, object]] = Field(sa_column=Column(JSON, nullable=False))
    unmapped: list[str] = Field(sa_column=Column(JSON, nullable=False))
    tieouts_accepted: list[str] = Field(sa_column=Column(JSON, nullable=False))
    officer_id: str = Field(max_length=64)
    imported_at: dt.datetime
