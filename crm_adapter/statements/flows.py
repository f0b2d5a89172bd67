"""Monthly bank flows derived from stored transactions: what `bank_flows` holds, computed, not typed in.

Per client and month: inflows (credits), outflows (debits), the average and the minimum end-of-day
balance over the calendar days, and the returned items. Transfers between the client's own accounts
are left out of inflows and outflows (they are neither income nor spending). A month is derived only when
the client's statements cover it (to within `EDGE_DAYS` at either end: statements start and end on
business days); other months are reported, not guessed. Several currencies are converted to the
client's main currency (the largest turnover) with the book's latest FX rates.
"""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd

EDGE_DAYS = 4
# returned / bounced items recognised by text, besides what the bank flags (MT940 RC/RD, RTRN, camt RvslInd)
RETURN_PATTERN = re.compile(
    r"\b(?:return(?:ed)?|retour|r[uü]cklastschrift|r[uü]ck[uü]berweisung|storno|reversal|unpaid|bounced|"
    r"chargeback|terugboeking|gestorneerd|insufficient funds)\b|退票|退回|退汇|冲正|退款|回退",
    re.IGNORECASE,
)


def returned_mask(tx: pd.DataFrame) -> np.ndarray:
    text = (tx["description"].astype(str) + " " + tx["reference"].astype(str)).str.contains(RETURN_PATTERN)
    return tx["returned"].to_numpy(dtype=bool) | text.to_numpy(dtype=bool)


def own_transfer_mask(tx: pd.DataFrame, own_numbers: set[str]) -> np.ndarray:
    cp = tx["counterparty_account"].astype(str).str.replace(" ", "", regex=False).str.upper()
    return (
        cp.isin({n.replace(" ", "").upper() for n in own_numbers}).to_numpy(dtype=bool)
        & (cp != "").to_numpy()
    )


def daily_balances(tx: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """End-of-day balance per account and calendar day over its statements' range (account, day, balance)."""
    parts = []
    for account, st in statements.groupby("account_id"):
        st = st.sort_values(["from_date", "to_date"])
        start, end = pd.Timestamp(st["from_date"].min()), pd.Timestamp(st["to_date"].max())
        days = pd.date_range(start, end, freq="D")
        t = tx[tx["account_id"] == account]
        moves = t.groupby(pd.to_datetime(t["booking_date"]))["amount_f"].sum().reindex(days, fill_value=0.0)
        balance = float(st["opening_balance"].iloc[0]) + moves.cumsum()
        parts.append(pd.DataFrame({"account_id": account, "day": days, "balance": balance.to_numpy()}))
    if not parts:
        return pd.DataFrame({"account_id": [], "day": pd.to_datetime([]), "balance": []})
    return pd.concat(parts, ignore_index=True)


def _month_ends(months: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return months + pd.offsets.MonthEnd(0)


def monthly_flows(tx: pd.DataFrame, statements: pd.DataFrame, accounts: pd.DataFrame,
                  rates: dict[str, float]) -> tuple[pd.DataFrame, list[str]]:  # fmt: skip
    """(client_id, month, currency, inflows, outflows, avg_balance, min_balance, bounced_payments) per
    covered month, and the notes on months or accounts left out."""
    notes: list[str] = []
    cols = [
        "client_id",
        "month",
        "currency",
        "inflows",
        "outflows",
        "avg_balance",
        "min_balance",
        "bounced_payments",
    ]
    if tx.empty or statements.empty:
        return pd.DataFrame(columns=cols), notes
    tx = tx.copy()
    tx["amount_f"] = tx["amount"].astype("float64")
    ccy_of = accounts.set_index("account_id")["currency"]
    turnover = tx.assign(a=tx["amount_f"].abs()).groupby("currency")["a"].sum()
    main = str(turnover.idxmax())
    factor: dict[str, float] = {}
    for ccy in ccy_of.unique():
        if ccy == main:
            factor[ccy] = 1.0
        elif ccy in rates and main in rates:
            factor[ccy] = rates[ccy] / rates[main]
        else:
            notes.append(
                f"no FX rate from {ccy} to {main}: the {ccy} accounts are left out of the monthly flows"
            )
    keep = tx["currency"].isin(factor.keys())
    tx = tx[keep]
    st = statements[statements["currency"].isin(factor.keys())]
    own = set(accounts["number"])
    tx = tx.assign(
        _f=tx["currency"].map(factor).astype("float64"),
        _own=own_transfer_mask(tx, own),
        _ret=returned_mask(tx),
        _month=pd.to_datetime(tx["booking_date"]).dt.to_period("M").dt.to_timestamp(),
    )
    amount = tx["amount_f"] * tx["_f"]
    flows = tx.assign(
        _in=np.where((amount > 0) & ~tx["_own"], amount, 0.0),
        _out=np.where((amount < 0) & ~tx["_own"], -amount, 0.0),
    )
    g = flows.groupby("_month")
    by_month = pd.DataFrame(
        {"inflows": g["_in"].sum(), "outflows": g["_out"].sum(), "bounced_payments": g["_ret"].sum()}
    )
    bal = daily_balances(tx, st)
    bal["balance"] = bal["balance"] * bal["account_id"].map(ccy_of).map(factor).astype("float64")
    total = bal.groupby("day")["balance"].sum()
    month_of = total.index.to_period("M").to_timestamp()
    by_month["avg_balance"] = total.groupby(month_of).mean()
    by_month["min_balance"] = total.groupby(month_of).min()
    # coverage: every account's statements must span the month (to within EDGE_DAYS)
    span = st.groupby("account_id").agg(first=("from_date", "min"), last=("to_date", "max"))
    months = pd.DatetimeIndex(sorted(set(by_month.index) | set(month_of)))
    ends = _month_ends(months)
    covered = np.ones(len(months), dtype=bool)
    for first, last in zip(pd.to_datetime(span["first"]), pd.to_datetime(span["last"]), strict=True):
        touches = (months <= last) & (ends >= first)
        full = (first <= months + pd.Timedelta(days=EDGE_DAYS)) & (
            last >= ends - pd.Timedelta(days=EDGE_DAYS)
        )
        covered &= ~touches | full
    partial = [m.strftime("%Y-%m") for m, ok in zip(months, covered, strict=True) if not ok]
    if partial:
        notes.append(f"months only partly covered by statements, not derived: {', '.join(partial)}")
    by_month = by_month.reindex(months[covered]).fillna(
        {"inflows": 0.0, "outflows": 0.0, "bounced_payments": 0}
    )
    by_month = by_month.dropna(subset=["avg_balance"])
    out = by_month.reset_index(names="month")
    out["client_id"] = int(tx["client_id"].iloc[0]) if len(tx) else int(statements["client_id"].iloc[0])
    out["currency"] = main
    out["bounced_payments"] = out["bounced_payments"].astype(int)
    return out[cols], notes


def to_money(value: float) -> Decimal:
    return Decimal(str(round(float(value), 2)))
