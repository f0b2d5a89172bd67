"""A columnar snapshot of the book for portfolio-wide, vectorised math.

Every frame carries plain NumPy dtypes: money as float64 in the currency of the row
(`currency` column; `fx` converts to the reporting currency), dates as datetime64.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

FRAMES = (
    "officers",
    "groups",
    "clients",
    "facilities",
    "statements",
    "flows",
    "repayments",
    "signals",
    "covers",
    "contacts",
    "fx",
)


@dataclass(frozen=True)
class FrameRead:
    """What a bulk read (a review run) needs of one frame, so the store reads no more: only `columns` (None:
    every column; `client_id` is always read), and only rows whose date column `on` is in [since, until)
    (None: unbounded). A frame read this way is the full frame's rows in that window, those columns."""

    columns: tuple[str, ...] | None = None
    on: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass
class BookSnapshot:
    """The whole book (or a slice of it) as DataFrames, read with a handful of set-based queries."""

    as_of: dt.date
    officers: pd.DataFrame
    groups: pd.DataFrame
    clients: pd.DataFrame
    facilities: pd.DataFrame
    statements: pd.DataFrame
    flows: pd.DataFrame
    repayments: pd.DataFrame
    signals: pd.DataFrame
    covers: pd.DataFrame
    contacts: pd.DataFrame
    fx: pd.DataFrame
    reporting_currency: str = "USD"
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def n_clients(self) -> int:
        return len(self.clients)

    def fx_rates(self) -> dict[str, float]:
        """Latest rate on or before as_of to the reporting currency per currency (reporting currency = 1.0)."""
        rates: dict[str, float] = {self.reporting_currency: 1.0}
        if len(self.fx):
            known = self.fx[self.fx["rate_date"] <= pd.Timestamp(self.as_of)]
            if known.empty:  # only future-dated rates: use the earliest we have
                known = self.fx.sort_values("rate_date").groupby("currency").head(1)
            latest = known.sort_values("rate_date").groupby("currency").tail(1)
            rates.update(
                dict(zip(latest["currency"], latest["rate_to_reporting"].astype(float), strict=True))
            )
        return rates

    def subset(self, client_ids: list[int] | set[int]) -> BookSnapshot:
        """The same snapshot restricted to some clients (used to prove single == portfolio results)."""
        ids = pd.Index(sorted(client_ids))
        frames = {}
        for name in FRAMES:
            df: pd.DataFrame = getattr(self, name)
            if "client_id" in df.columns:
                df = df[df["client_id"].isin(ids)]
            frames[name] = df.reset_index(drop=True)
        return BookSnapshot(
            as_of=self.as_of, reporting_currency=self.reporting_currency, meta=dict(self.meta), **frames
        )
