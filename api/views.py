"""Read models the front door composes from tool calls (no credit logic here).

`dashboard` runs the officer's portfolio once and takes every view from that run; `utilisation_trend`
reads the client's dated review-run results (plus today's figure) for the sidebar sparkline.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from api.schemas import Dashboard
from tools.actor import Actor
from tools.engine.review_runs import ReviewRunResultRow

if TYPE_CHECKING:
    from creditdesk.wiring import Container

TREND_POINTS = 12


def dashboard(container: Container, actor: Actor, *, as_of: dt.date) -> Dashboard:
    engine = container.credit_engine
    pa = engine.portfolio_for(actor, as_of=as_of)
    summary = engine.summary(pa)
    ids = [int(i) for i in pa.table().index]
    previous = container.review_runs.previous_grades(before=as_of, client_ids=ids)
    prev_dist = (
        {int(k): int(v) for k, v in previous["grade"].value_counts().sort_index().items()}
        if len(previous) else None
    )  # fmt: skip
    return Dashboard(
        officer_id=actor.officer_id,
        as_of=as_of,
        summary=summary,
        previous_run=previous["run_date"].max().date() if len(previous) else None,
        previous_grade_distribution=prev_dist,
        reviews=engine.reviews_due(actor, as_of=as_of, pa=pa),
        watchlist=engine.watchlist(actor, as_of=as_of, pa=pa),
        contacts=engine.contacts_due(actor, as_of=as_of, pa=pa),
    )


def utilisation_trend(container: Container, client_id: int, *, as_of: dt.date,
                      today: float | None) -> list[tuple[dt.date, float]]:  # fmt: skip
    """Up to 12 dated utilisation figures, oldest first, ending with today's (call after a scope check)."""
    r = ReviewRunResultRow
    stmt = (
        select(r.as_of, r.utilisation)
        .where(r.client_id == client_id, col(r.as_of) < as_of, col(r.utilisation).is_not(None))
        .order_by(col(r.as_of).desc())
        .limit(TREND_POINTS - 1)
    )
    with Session(container.engine) as s:
        points = [(d, float(u)) for d, u in s.exec(stmt) if u is not None]
    points.reverse()
    if today is not None:
        points.append((as_of, today))
    return points
