"""银行流水分析: what an officer reads from a client's bank statements, each finding with its figures and
the transactions behind it, levelled amber/red by the policy's `statements:` thresholds.

All figures come from the stored transactions (`crm_adapter.statements`), vectorised over pandas frames:
monthly inflows/outflows/average and minimum balance, inflow stability, the largest payer's share, returned
items, payments to other lenders, transfers with group members, cash withdrawals, month-end balance spikes
(window dressing) and a falling inflow trend. Several currencies count in the client's main currency at
the book's FX rates (as the derived `bank_flows` do).
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
from pydantic import BaseModel
from sqlalchemy import Engine

from crm_adapter.protocol import ClientFilter, CRMAdapter
from crm_adapter.statements.flows import daily_balances, monthly_flows, own_transfer_mask, returned_mask
from kernel.catalogue import text
from tools.access import get_client_for
from tools.actor import Actor
from tools.statements.policy import Level, StatementsPolicy

FINDINGS = (
    "top_counterparty_share", "inflow_volatility", "returned_items", "other_lender_payments",
    "related_party_share", "cash_withdrawal_share", "window_dressing", "inflow_drop",
)  # fmt: skip

LOAN_WORDS = (
    r"\b(?:loan|repay(?:ment)?|instal(?:l)?ment|mortgage|credit line|facility fee|interest|lening|aflossing|darlehen|"
    r"tilgung|kreditrate|kredit|annuit[aä]t|leasing|lease)\b|贷款|还款|还贷|借款|本息|利息|归还|融资租赁|小贷|按揭"
)
BANK_NAMES = (
    r"\b(?:bank|banque|banco|sparkasse|volksbank|raiffeisen|rabobank|ing|abn amro|commerzbank|hsbc|barclays|"
    r"santander|bnp|credit agricole|unicredit|lloyds|natwest|finance|financial|capital|lending)\b|银行|信用社|"
    r"农商行|小额贷款|金融|信托|融资"
)
CASH_WORDS = r"\b(?:cash|atm|geldautomaat|opname|bargeld|bargeldauszahlung|withdrawal)\b|现金|取现|支取"
_CASH_CODES = {"CAMT/CWDL/CWDL", "CWDL"}
_SUFFIX = re.compile(
    r"\b(b\.?v\.?|n\.?v\.?|gmbh|ag|ltd|limited|plc|inc|llc|s\.?a\.?|co)\b|有限公司|股份|集团|公司", re.I
)


class FindingTransaction(BaseModel):
    txn_id: str
    date: dt.date
    amount: float
    currency: str
    counterparty: str
    description: str


class Finding(BaseModel):
    code: str
    level: str | None  # amber | red | None (computed, below the thresholds)
    value: float | None
    amber: float
    red: float
    figures: dict[str, object] = {}
    transactions: list[FindingTransaction] = []

    def message(self, lang: str = "en") -> str:
        v = "n/a" if self.value is None else (f"{self.value:.0%}" if self.code.endswith(("share", "drop", "volatility"))
                                             else f"{self.value:.2f}" if self.code == "window_dressing" else f"{self.value:.0f}")  # fmt: skip
        return text(f"statements.finding.{self.code}", lang, value=v)


class MonthFigures(BaseModel):
    month: str
    inflows: float
    outflows: float
    avg_balance: float
    min_balance: float
    returned: int


class StatementAnalysis(BaseModel):
    client_id: int
    currency: str | None
    accounts: int
    transactions: int
    from_date: dt.date | None
    to_date: dt.date | None
    months: list[MonthFigures] = []
    findings: list[Finding] = []
    notes: list[str] = []

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level is not None]


def _level(value: float | None, t: Level) -> str | None:
    if value is None or np.isnan(value) or value <= 0:
        return None
    return "red" if value >= t.red else "amber" if value >= t.amber else None


def _norm(name: str) -> str:
    return re.sub(r"[\s.,\-()（）]+", " ", _SUFFIX.sub(" ", name.lower())).strip()


def _as_written(names: pd.Series) -> str:
    """A payer's name as the statement wrote it: its most frequent spelling (the first in order on a tie)."""
    counts = names.value_counts(sort=False)
    return str(counts.index[counts.to_numpy().argmax()])


def _txns(frame: pd.DataFrame, limit: int = 20) -> list[FindingTransaction]:
    top = frame.reindex(frame["amount_f"].abs().sort_values(ascending=False).index).head(limit)
    return [
        FindingTransaction(txn_id=r.txn_id, date=r.booking_date, amount=float(r.amount_f), currency=r.currency,
                           counterparty=r.counterparty, description=r.description[:160])
        for r in top.itertuples()
    ]  # fmt: skip


def _finding(
    code: str, value: float | None, t: Level, figures: dict[str, object], behind: pd.DataFrame
) -> Finding:
    value = None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)
    return Finding(code=code, level=_level(value, t), value=value, amber=t.amber, red=t.red,
                   figures=figures, transactions=_txns(behind) if len(behind) else [])  # fmt: skip


def group_names(adapter: CRMAdapter, client_id: int) -> list[str]:
    """Names of the client's group members (and of the group) other than itself."""
    client = adapter.get_client(client_id)
    if not client.group_id:
        return []
    members = [
        c
        for c in adapter.list_clients(ClientFilter(group_id=client.group_id, limit=10000))
        if c.client_id != client_id
    ]
    group = adapter.get_group(client.group_id)
    names = [c.name for c in members] + ([group.name] if group else [])
    return names


def analyse_frames(tx: pd.DataFrame, statements: pd.DataFrame, accounts: pd.DataFrame, *, client_id: int,
                   as_of: dt.date, policy: StatementsPolicy, related_names: list[str],
                   rates: dict[str, float]) -> StatementAnalysis:  # fmt: skip
    """The analysis of one client's stored statements (frames as `load_client_frames` gives them)."""
    if tx.empty:
        return StatementAnalysis(client_id=client_id, currency=None, accounts=len(accounts), transactions=0,
                                 from_date=None, to_date=None)  # fmt: skip
    start = (pd.Timestamp(as_of) - pd.DateOffset(months=policy.window_months)).date()
    tx = tx[(tx["booking_date"] > start) & (tx["booking_date"] <= as_of)].copy()
    statements = statements[(statements["to_date"] > start) & (statements["from_date"] <= as_of)]
    months_frame, notes = monthly_flows(tx, statements, accounts, rates) if len(tx) else (pd.DataFrame(), [])
    tx["amount_f"] = tx["amount"].astype("float64")
    ccy = str(months_frame["currency"].iloc[0]) if len(months_frame) else str(tx["currency"].mode().iloc[0])
    factor = {
        c: (1.0 if c == ccy else rates.get(c, np.nan) / rates.get(ccy, np.nan))
        for c in tx["currency"].unique()
    }
    tx["amount_f"] = tx["amount_f"] * tx["currency"].map(factor).astype("float64")
    tx = tx[tx["amount_f"].notna()]
    own = own_transfer_mask(tx, set(accounts["number"]))
    ext = tx[~own]
    words = (ext["counterparty"] + " " + ext["description"] + " " + ext["reference"]).str.lower()
    credits, debits = ext[ext["amount_f"] > 0], ext[ext["amount_f"] < 0]
    total_in, total_out = credits["amount_f"].sum(), -debits["amount_f"].sum()
    findings: list[Finding] = []
    # largest payer's share of inflows
    payer = credits["counterparty"].map(_norm)
    by_payer = credits[payer != ""].groupby(payer[payer != ""])["amount_f"].sum().sort_values(ascending=False)
    share = float(by_payer.iloc[0] / total_in) if len(by_payer) and total_in > 0 else None
    top = by_payer.index[0] if len(by_payer) else ""  # the normalised key: groups spellings of one payer
    findings.append(_finding("top_counterparty_share", share, policy.top_counterparty_share,
                             {"counterparty": _as_written(credits.loc[payer == top, "counterparty"]) if top else "",
                              "amount": float(by_payer.iloc[0]) if len(by_payer) else 0.0,
                              "inflows": float(total_in), "payers": int(len(by_payer))},
                             credits[payer == top] if top else credits.iloc[:0]))  # fmt: skip
    # inflow stability and trend (covered months only)
    inflows = months_frame["inflows"].astype("float64").to_numpy() if len(months_frame) else np.array([])
    cv = float(inflows.std(ddof=0) / inflows.mean()) if len(inflows) >= 3 and inflows.mean() > 0 else None
    findings.append(_finding("inflow_volatility", cv, policy.inflow_volatility,
                             {"months": int(len(inflows)), "mean": float(inflows.mean()) if len(inflows) else 0.0}, tx.iloc[:0]))  # fmt: skip
    drop = None
    if len(inflows) >= 6:
        recent, older = inflows[-3:].mean(), inflows[:-3].mean()
        drop = float(1 - recent / older) if older > 0 else None
    findings.append(
        _finding("inflow_drop", drop, policy.inflow_drop, {"months": int(len(inflows))}, tx.iloc[:0])
    )
    # returned items
    ret = ext[returned_mask(ext)]
    findings.append(
        _finding("returned_items", float(len(ret)), policy.returned_items, {"count": int(len(ret))}, ret)
    )
    # payments to other lenders
    cash = words.str.contains(CASH_WORDS, regex=True) | ext["code"].isin(_CASH_CODES)
    loanish = words.str.contains(LOAN_WORDS, regex=True) | ext["counterparty"].str.lower().str.contains(
        BANK_NAMES, regex=True
    )
    if policy.extra_lender_words:
        loanish |= words.str.contains(
            "|".join(map(re.escape, (w.lower() for w in policy.extra_lender_words))), regex=True
        )
    ours = pd.Series(False, index=ext.index)
    for name in policy.own_bank_names:
        ours |= ext["counterparty"].str.lower().str.contains(re.escape(name.lower()), regex=True)
    lenders = ext[(ext["amount_f"] < 0) & loanish & ~cash & ~ours & ~returned_mask(ext)]
    findings.append(_finding("other_lender_payments", float(len(lenders)), policy.other_lender_payments,
                             {"count": int(len(lenders)), "amount": float(-lenders["amount_f"].sum()),
                              "lenders": sorted(set(lenders["counterparty"]) - {""})}, lenders))  # fmt: skip
    # transfers with group members
    cp = ext["counterparty"].map(_norm)
    related = pd.Series(False, index=ext.index)
    for name in filter(None, (_norm(n) for n in related_names)):
        related |= cp.str.contains(re.escape(name), regex=True) | (
            (cp != "") & pd.Series([c in name for c in cp], index=ext.index)
        )
    rp = ext[related]
    rp_out = -rp.loc[rp["amount_f"] < 0, "amount_f"].sum()
    findings.append(_finding("related_party_share", float(rp_out / total_out) if total_out > 0 else None,
                             policy.related_party_share,
                             {"outflows_to_group": float(rp_out), "inflows_from_group": float(rp.loc[rp["amount_f"] > 0, "amount_f"].sum()),
                              "counterparties": sorted(set(rp["counterparty"]))}, rp))  # fmt: skip
    # cash withdrawals
    cw = ext[cash & (ext["amount_f"] < 0)]
    findings.append(_finding("cash_withdrawal_share", float(-cw["amount_f"].sum() / total_out) if total_out > 0 else None,
                             policy.cash_withdrawal_share, {"count": int(len(cw)), "amount": float(-cw["amount_f"].sum())}, cw))  # fmt: skip
    # month-end balance spikes
    findings.append(_window_dressing(tx, statements, accounts, factor, policy))
    return StatementAnalysis(
        client_id=client_id, currency=ccy, accounts=int(accounts["account_id"].nunique()), transactions=int(len(tx)),
        from_date=statements["from_date"].min() if len(statements) else None,
        to_date=statements["to_date"].max() if len(statements) else None,
        months=[MonthFigures(month=r.month.strftime("%Y-%m"), inflows=r.inflows, outflows=r.outflows,
                             avg_balance=r.avg_balance, min_balance=r.min_balance, returned=int(r.bounced_payments))
                for r in months_frame.itertuples()],
        findings=findings, notes=notes,
    )  # fmt: skip


def _window_dressing(tx: pd.DataFrame, statements: pd.DataFrame, accounts: pd.DataFrame, factor: dict[str, float],
                     policy: StatementsPolicy) -> Finding:  # fmt: skip
    t = policy.window_dressing
    if statements.empty:
        return _finding("window_dressing", None, t, {}, tx.iloc[:0])
    raw = tx.assign(amount_f=tx["amount"].astype("float64"))
    bal = daily_balances(raw, statements)
    ccy_of = accounts.set_index("account_id")["currency"]
    bal["balance"] = bal["balance"] * bal["account_id"].map(ccy_of).map(factor).astype("float64")
    total = bal.groupby("day")["balance"].sum()
    if total.empty:
        return _finding("window_dressing", None, t, {}, tx.iloc[:0])
    month = total.index.to_period("M")
    avg = total.groupby(month).transform("mean")
    days_left = (total.index + pd.offsets.MonthEnd(0) - total.index).days
    end = pd.Series(days_left < policy.period_end_days, index=total.index)
    end_avg = total[end].groupby(month[end]).mean()
    month_avg = avg[end].groupby(month[end]).first()
    counts = total.groupby(month).size()
    full = counts[counts >= 28].index
    ratio = (end_avg / month_avg.where(month_avg > 0))[lambda s: s.index.isin(full)].dropna()
    if ratio.empty:
        return _finding("window_dressing", None, t, {}, tx.iloc[:0])
    peak = ratio.idxmax()
    last_days = pd.to_datetime(tx["booking_date"])
    in_peak = (last_days.dt.to_period("M") == peak) & (
        (last_days + pd.offsets.MonthEnd(0) - last_days).dt.days < policy.period_end_days
    )
    behind = tx[in_peak & (tx["amount_f"] > 0)]
    return _finding("window_dressing", float(ratio.max()), t,
                    {"month": str(peak), "month_end_balance": float(end_avg[peak]), "month_average": float(month_avg[peak])},
                    behind)  # fmt: skip


def analyse_statements(actor: Actor, adapter: CRMAdapter, engine: Engine, client_id: int, *, as_of: dt.date,
                       policy: StatementsPolicy) -> StatementAnalysis:  # fmt: skip
    """The bank-statement analysis of a client the actor may see."""
    get_client_for(actor, adapter, client_id)
    names = group_names(adapter, client_id)
    from crm_adapter.statements.importer import load_client_frames  # the parsers: on first use

    with engine.connect() as conn:
        tx, statements, accounts, rates = load_client_frames(conn, client_id)
    return analyse_frames(tx, statements, accounts, client_id=client_id, as_of=as_of, policy=policy,
                          related_names=names, rates=rates)  # fmt: skip
