"""Figures and citations taken from tool results — the only source of numbers and policy claims in a reply.

Both brains use these: the offline brain to fill its templates, the LLM brain to attach the data behind
the model's text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel

from bot.reply import Citation, Figure
from tools.assistant_tools.models import (
    ClientProfile,
    ClientWarnings,
    ExposureView,
    LimitAdvice,
    PolicySearch,
    ReviewStatus,
)
from tools.engine.results import FinancialAnalysis, InsuranceStatus, Rating, WhatIfResult


def money(value: Decimal | float | None, currency: str) -> str:
    if value is None:
        return "n/a"
    amount = f"{Decimal(str(value)):,.0f}"
    return f"{currency} {amount}" if currency else amount


def pct(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value * 100:.{digits}f}%"


def num(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _money(label: str, value: Decimal | None, ccy: str, source: str, cid: int | None) -> Figure:
    return Figure(label=label, value=value, unit=ccy or None, display=money(value, ccy), source=source,
                  client_id=cid)  # fmt: skip


def _ratio(label: str, value: float | None, source: str, cid: int | None, digits: int = 1) -> Figure:
    return Figure(
        label=label, value=value, unit="ratio", display=pct(value, digits), source=source, client_id=cid
    )


def _date(label: str, value: dt.date | None, source: str, cid: int | None) -> Figure:
    return Figure(label=label, value=value, unit="date", display=str(value) if value else "n/a", source=source,
                  client_id=cid)  # fmt: skip


def figures_for(tool: str, result: BaseModel) -> list[Figure]:
    """The headline figures of one tool result (lists and reports give none: their rows are the answer)."""
    if isinstance(result, ExposureView):
        e, cid = result.exposure, result.client_id
        return [
            _money("Total limit", e.total_limit, e.currency, tool, cid),
            _money("Outstanding", e.outstanding, e.currency, tool, cid),
            _ratio("Utilisation", e.utilisation, tool, cid),
            _money("EAD", e.ead, e.currency, tool, cid),
            _money("Insured", e.insured, e.currency, tool, cid),
        ]
    if isinstance(result, ReviewStatus):
        r, cid = result.review, result.client_id
        figs = [
            _date("Next review due", r.next_due, tool, cid),
            _date("Last review", r.last_review, tool, cid),
        ]
        if r.overdue:
            figs.append(Figure(label="Days overdue", value=r.days_overdue, unit="days",
                               display=str(r.days_overdue), source=tool, client_id=cid))  # fmt: skip
        return figs
    if isinstance(result, Rating):
        return [
            Figure(label="Grade", value=result.grade, unit="grade", display=f"{result.grade} ({result.grade_name})",
                   source=tool),
            Figure(label="Score", value=result.score, unit="points", display=num(result.score, 0), source=tool),
            _ratio("PD", result.pd, tool, None, 2),
            _ratio("LGD", result.lgd, tool, None, 0),
            _money("Expected loss", result.el, "", tool, None),
        ]  # fmt: skip
    if isinstance(result, LimitAdvice):
        rec, ccy, cid = result.recommendation, result.currency, result.client_id
        return [
            _money("Current limit", rec.current_limit, ccy, tool, cid),
            _money("Recommended limit", rec.recommended, ccy, tool, cid),
            _money("Proposed target", result.proposal.target_limit, ccy, tool, cid),
        ]
    if isinstance(result, WhatIfResult):
        cid = result.client_id
        return [
            _money("Current limit", result.current_limit, "", tool, cid),
            _money("New limit", result.new_limit, "", tool, cid),
            _money("Recommended limit", result.recommended, "", tool, cid),
            _money("Group exposure after", result.group_exposure_after, "", tool, cid),
        ]
    if isinstance(result, InsuranceStatus):
        cid = result.client_id
        return [
            _money("Exposure", result.exposure, "", tool, cid),
            _money("Insured", result.insured, "", tool, cid),
            _money("Uninsured", result.uninsured, "", tool, cid),
            _ratio("Cover ratio", result.cover_ratio, tool, cid),
            _money("Cover gap", result.gap, "", tool, cid),
        ]
    if isinstance(result, FinancialAnalysis) and result.periods:
        p = result.periods[0]
        return [
            _date("Latest statement", p.period_end, tool, None),
            Figure(label="Debt / EBITDA", value=p.debt_to_ebitda, unit="x", display=num(p.debt_to_ebitda) + "x",
                   source=tool),
            Figure(label="Current ratio", value=p.current_ratio, unit="x", display=num(p.current_ratio), source=tool),
            Figure(label="DSCR", value=p.dscr, unit="x", display=num(p.dscr), source=tool),
            _ratio("EBITDA margin", p.ebitda_margin, tool, None),
            _ratio("Revenue growth", p.revenue_growth, tool, None),
        ]  # fmt: skip
    if isinstance(result, ClientWarnings):
        return [Figure(label="Early-warning level", value=result.level, unit="level", display=result.level,
                       source=tool, client_id=result.client_id)]  # fmt: skip
    if isinstance(result, ClientProfile):
        cid, ccy = result.client.client_id, result.currency
        return [
            _money("Total limit", result.total_limit, ccy, tool, cid),
            _money("Outstanding", result.outstanding, ccy, tool, cid),
            _ratio("Utilisation", result.utilisation, tool, cid),
            Figure(label="Grade", value=result.grade, unit="grade", display=f"{result.grade} ({result.grade_name})",
                   source=tool, client_id=cid),
            _ratio("PD", result.pd, tool, cid, 2),
            _date("Next review due", result.review.next_due, tool, cid),
            _date("Next contact due", result.contact.next_due, tool, cid),
        ]  # fmt: skip
    return []


def citations_for(result: PolicySearch, *, start: int = 1) -> list[Citation]:
    return [
        Citation(
            n=start + i,
            document=p.document,
            section=p.section,
            page=p.page,
            chunk_id=p.chunk_id,
            excerpt=p.text[:300],
        )  # fmt: skip
        for i, p in enumerate(result.passages)
    ]
