"""Thresholds of the bank-statement findings (the `statements:` section of the credit policy)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Level(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    amber: float
    red: float

    @model_validator(mode="after")
    def _order(self) -> Level:
        if self.red < self.amber:
            raise ValueError("red must be at or beyond amber")
        return self


class StatementsPolicy(BaseModel):
    """Each finding is amber at or above `amber` and red at or above `red` (a value of 0 never fires)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    window_months: int = Field(
        12, ge=3, le=36, description="Months of transactions looked at, back from as-of"
    )
    top_counterparty_share: Level = Level(amber=0.5, red=0.7)  # of inflows
    inflow_volatility: Level = Level(amber=0.5, red=0.8)  # std / mean of monthly inflows
    returned_items: Level = Level(amber=1, red=3)  # count in the window
    other_lender_payments: Level = Level(amber=1, red=6)  # payments to lenders other than us
    related_party_share: Level = Level(amber=0.2, red=0.4)  # of outflows, to group members
    cash_withdrawal_share: Level = Level(amber=0.1, red=0.25)  # of outflows
    window_dressing: Level = Level(amber=1.5, red=2.5)  # period-end balance / month's average balance
    inflow_drop: Level = Level(amber=0.2, red=0.35)  # last 3 months' inflows vs the months before
    period_end_days: int = Field(
        3, ge=1, le=10, description="Days at a month end looked at for window dressing"
    )
    own_bank_names: list[str] = Field(default_factory=list, description="Our own names: not 'other lenders'")
    extra_lender_words: list[str] = Field(default_factory=list, description="More lender names or loan words")
