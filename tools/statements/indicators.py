"""Early-warning indicators from a client's bank statements (银行流水预警).

Each finding of the bank-statement analysis (`tools.statements.analysis`) that reaches the policy's
`statements:` thresholds becomes an `EarlyWarning` named `statement_<finding>` (payments to other lenders,
returned items, related-party transfers, cash withdrawals, window dressing, falling inflows, top-payer
share, inflow stability). Its message names the figures and the largest transactions behind it. The
client's EWS level is the worst of the engine's indicators and these. A client without imported
statements gets no warning and no change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd
from pydantic import BaseModel
from sqlalchemy import Engine

from crm_adapter.protocol import CRMAdapter
from kernel.catalogue import Language, render
from tools.engine.results import LEVEL_RANK, EarlyWarning, Msg
from tools.statements.analysis import Finding, StatementAnalysis, analyse_frames, group_names
from tools.statements.policy import StatementsPolicy

PREFIX = "statement_"
SHOWN_TRANSACTIONS = 3  # named in a warning's message; the analysis keeps up to 20


def sql_engine(adapter: CRMAdapter) -> Engine | None:
    """The SQL engine behind the adapter (statements are stored next to the book), or None."""
    engine = getattr(adapter, "engine", None)
    return engine if isinstance(engine, Engine) else None


def analysis_of(adapter: CRMAdapter, client_id: int, *, as_of: dt.date, policy: StatementsPolicy) -> StatementAnalysis | None:  # fmt: skip
    """The stored statements' analysis of a client (no scope check: callers have checked), None without any."""
    engine = sql_engine(adapter)
    if engine is None:
        return None
    from crm_adapter.statements.importer import load_client_frames  # the parsers: on first use

    with engine.connect() as conn:
        tx, statements, accounts, rates = load_client_frames(conn, client_id)
    if tx.empty:
        return None
    return analyse_frames(tx, statements, accounts, client_id=client_id, as_of=as_of, policy=policy,
                          related_names=group_names(adapter, client_id), rates=rates)  # fmt: skip


def _pct(v: object) -> str:
    return f"{float(v):.0%}"  # type: ignore[arg-type]


def _amt(v: object) -> str:
    return f"{float(v):,.2f}"  # type: ignore[arg-type]


def _figures(f: Finding, ccy: str) -> dict[str, Any]:
    g = f.figures
    value = f.value or 0.0
    match f.code:
        case "other_lender_payments":
            return {"count": g.get("count", 0), "amount": _amt(g.get("amount", 0)), "currency": ccy,
                    "lenders": ", ".join(g.get("lenders", []) or ["-"])}  # type: ignore[arg-type]  # fmt: skip
        case "returned_items":
            return {"count": g.get("count", 0)}
        case "related_party_share":
            return {"share": _pct(value), "amount": _amt(g.get("outflows_to_group", 0)), "currency": ccy,
                    "counterparties": ", ".join(g.get("counterparties", []) or ["-"])}  # type: ignore[arg-type]  # fmt: skip
        case "cash_withdrawal_share":
            return {"share": _pct(value), "count": g.get("count", 0), "amount": _amt(g.get("amount", 0)),
                    "currency": ccy}  # fmt: skip
        case "window_dressing":
            return {"ratio": f"{value:.2f}", "month": g.get("month", ""), "currency": ccy,
                    "end_balance": _amt(g.get("month_end_balance", 0)), "average": _amt(g.get("month_average", 0))}  # fmt: skip
        case "inflow_drop":
            return {"drop": _pct(value), "months": g.get("months", 0)}
        case "top_counterparty_share":
            return {"share": _pct(value), "counterparty": g.get("counterparty", ""), "currency": ccy,
                    "amount": _amt(g.get("amount", 0)), "inflows": _amt(g.get("inflows", 0))}  # fmt: skip
        case "inflow_volatility":
            return {
                "cv": _pct(value),
                "months": g.get("months", 0),
                "currency": ccy,
                "mean": _amt(g.get("mean", 0)),
            }
    return {}


def warning_msg(f: Finding, ccy: str) -> Msg:
    """The finding's coded message (key + params, written in the reader's language by
    `kernel.catalogue.render`): its figures, then the largest transactions behind it."""
    shown = [
        {"key": "statements.warning.txn",
         "params": {"date": t.date.isoformat(), "amount": _amt(t.amount), "currency": t.currency,
                    "counterparty": t.counterparty or "-", "description": t.description[:60] or "-",
                    "txn": t.txn_id[:12]}}
        for t in f.transactions[:SHOWN_TRANSACTIONS]
    ]  # fmt: skip
    more = len(f.transactions) - len(shown)
    params: dict[str, Any] = {
        "finding": {"key": f"statements.warning.{f.code}", "params": _figures(f, ccy)},
        "behind": {"key": "statements.warning.behind", "params": {"transactions": shown}} if shown else "",
        "more": {"key": "statements.warning.more", "params": {"count": more}} if shown and more > 0 else "",
    }
    return Msg(key="statements.warning.full", params=params)


def warning_message(f: Finding, ccy: str, lang: Language | str = "en") -> str:
    """The finding's message in `lang`: its figures, then the largest transactions behind it."""
    return render(warning_msg(f, ccy), lang)


def statement_warnings(analysis: StatementAnalysis | None, lang: Language | str = "en") -> list[EarlyWarning]:
    """The analysis's findings at or above their thresholds as early warnings, worst first."""
    if analysis is None or not analysis.transactions:
        return []
    out = []
    for f in analysis.warnings:
        day = max((t.date for t in f.transactions), default=analysis.to_date)
        out.append(EarlyWarning(indicator=PREFIX + f.code, level=f.level,  # type: ignore[arg-type]
                                value=f.value, threshold=f.red if f.level == "red" else f.amber, date=day,
                                message=warning_message(f, analysis.currency or "", lang),
                                msg=warning_msg(f, analysis.currency or "")))  # fmt: skip
    return sorted(out, key=lambda w: -LEVEL_RANK[w.level])


def clients_with_statements(adapter: CRMAdapter) -> set[int]:
    """The clients that have imported bank statements (one small query; none without a SQL store)."""
    engine = sql_engine(adapter)
    if engine is None:
        return set()
    from sqlalchemy import text as sql

    with engine.connect() as conn:
        return {int(r[0]) for r in conn.execute(sql("SELECT DISTINCT client_id FROM bank_accounts"))}


def statement_warning_frame(adapter: CRMAdapter, client_ids: Iterable[int], *, as_of: dt.date,
                            policy: StatementsPolicy) -> pd.DataFrame:  # fmt: skip
    """The bank-statement warnings of these clients as rows of the engine's warnings frame
    (`tools.engine.ews.COLUMNS`), so the book's EWS levels, watch-list, proposals and review runs read them
    as the client's card does. Only clients with imported statements are analysed."""
    rows: list[dict[str, Any]] = []
    wanted = set(client_ids) & clients_with_statements(adapter)
    for cid in sorted(wanted):
        for w in statement_warnings(analysis_of(adapter, cid, as_of=as_of, policy=policy)):
            rows.append({"client_id": cid, "indicator": w.indicator, "level": w.level, "value": w.value,
                         "threshold": w.threshold, "date": pd.Timestamp(w.date) if w.date else pd.NaT,
                         "message": w.message, "msg": w.msg.model_dump() if w.msg else None})  # fmt: skip
    return pd.DataFrame(rows, columns=["client_id", "indicator", "level", "value", "threshold", "date", "message",
                                       "msg"])  # fmt: skip


class StatementPanel(BaseModel):
    """What the sidebar's bank-statement panel shows: the analysis and its warnings in the page's language."""

    analysis: StatementAnalysis
    warnings: list[EarlyWarning]
    avg_inflow: float | None
    avg_outflow: float | None
    lowest_balance: float | None


def statement_panel(adapter: CRMAdapter, client_id: int, *, as_of: dt.date, policy: StatementsPolicy,
                    lang: Language | str = "en") -> StatementPanel | None:  # fmt: skip
    """The panel of a client whose scope the caller checked; None without imported statements."""
    analysis = analysis_of(adapter, client_id, as_of=as_of, policy=policy)
    if analysis is None:
        return None
    months = analysis.months
    return StatementPanel(
        analysis=analysis, warnings=statement_warnings(analysis, lang),
        avg_inflow=sum(m.inflows for m in months) / len(months) if months else None,
        avg_outflow=sum(m.outflows for m in months) / len(months) if months else None,
        lowest_balance=min((m.min_balance for m in months), default=None),
    )  # fmt: skip
