"""The officer dashboard's read model (the API returns it as is: api/schemas.py re-exports it)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from tools.engine.results import ContactDue, PortfolioSummary, ReviewDue, WatchItem


class Dashboard(BaseModel):
    """The officer dashboard's data (PRODUCT.md S12): one portfolio run, several views of it."""

    officer_id: str
    as_of: dt.date
    currency: str = Field(description="Reporting currency of every amount")
    summary: PortfolioSummary
    previous_run: dt.date | None = Field(description="As-of date of the last review run before today, if any")
    previous_grade_distribution: dict[int, int] | None
    reviews: list[ReviewDue]
    watchlist: list[WatchItem] = Field(description="Every client with an amber or red warning, red first")
    watchlist_total: int
    contacts: list[ContactDue]


__all__ = ["Dashboard"]
