"""The memo's bank-flow section from the client's imported bank statements (银行流水分析), when it has any.

Kept apart from `builder.py`: `_Builder.flows()` calls `statement_flows_section` when the memo's inputs carry
a statement analysis, and keeps its own section (the derived monthly `bank_flows`) otherwise. Every figure
comes from `tools.statements` (nothing is computed here); the warnings name their transactions.
"""

from __future__ import annotations

from kernel.catalogue import text
from tools.memos import formatting as f
from tools.memos.models import Fact, Section, Table
from tools.statements.analysis import StatementAnalysis
from tools.statements.indicators import statement_warnings


def statement_flows_section(key: str, title: str, analysis: StatementAnalysis, lang: str) -> Section:
    """The bank-flow section (facts, a month table, the statement warnings) of one client's statements."""
    ccy = analysis.currency or ""
    months = analysis.months
    n = len(months)

    def fact(name: str, value: str, raw: object) -> Fact:
        return Fact(key=f"stmt_{name}", label=text(f"statements.memo.{name}", lang), value=value, raw=raw)

    avg_in = sum(m.inflows for m in months) / n if n else None
    avg_out = sum(m.outflows for m in months) / n if n else None
    low = min((m.min_balance for m in months), default=None)
    returned = next((x.figures.get("count") for x in analysis.findings if x.code == "returned_items"), 0)
    facts = [
        fact("source", text("statements.memo.source_value", lang, accounts=analysis.accounts,
                            transactions=analysis.transactions), analysis.transactions),
        fact("period", f"{f.date(analysis.from_date, lang)} – {f.date(analysis.to_date, lang)}",
             [analysis.from_date, analysis.to_date]),
        fact("avg_inflow", f.money(avg_in, ccy), avg_in),
        fact("avg_outflow", f.money(avg_out, ccy), avg_out),
        fact("lowest_balance", f.money(low, ccy), low),
        fact("returned", f.number(returned), returned),  # type: ignore[arg-type]
    ]  # fmt: skip
    table = Table(
        columns=[text(f"statements.memo.col_{c}", lang) for c in ("month", "in", "out", "avg", "low", "returned")],
        rows=[[f.month(m.month, lang), f.money(m.inflows, ccy), f.money(m.outflows, ccy), f.money(m.avg_balance, ccy),
               f.money(m.min_balance, ccy), f.number(m.returned)] for m in months],
        numeric=[False, True, True, True, True, True],
    )  # fmt: skip
    warnings = statement_warnings(analysis, lang)
    bullets = [f"{text('statements.memo.level_' + w.level, lang)}: {w.message}" for w in warnings]
    bullets += list(analysis.notes)
    if not warnings:
        bullets.insert(0, text("statements.memo.no_findings", lang))
    return Section(key=key, title=title, facts=facts, tables=[table] if months else [], bullets=bullets)
