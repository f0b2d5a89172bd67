"""Read models the front door composes from tool calls (no credit logic here).

- `dashboard` runs the officer's portfolio once and takes every view from that run (the watch-list counted
  in full: the tile shows the truth, the list pages);
- `approval_cards` puts beside each request awaiting the officer what they need to decide it (the client's
  grade, recommendation, warnings, the chain and where the request stands in it, the memo);
- `client_history` is the sidebar's 12-month chart: average balance, inflows and outflows from the bank
  flows held, and utilisation at each review run (plus today's figure);
- `facility_targets` turns the client-level target limit into the figure for each facility;
- `client_requests` lists the client's open and past limit requests;
- `prepared_out` words a limit request's preview in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from api.schemas import Dashboard, PreparedOut, PreparedSaid
from kernel.catalogue import Language
from kernel.errors import CreditDeskError
from kernel.money import quantize
from tools.actor import Actor
from tools.approvals.models import ApprovalRequestView, PreparedRequest
from tools.approvals.preview import preview_words
from tools.dashboard.cache import dashboard as cached_dashboard
from tools.engine.results import ClientAssessment, EarlyWarning
from tools.engine.review_runs import ReviewRunResultRow

if TYPE_CHECKING:
    from creditdesk.wiring import Container

TREND_POINTS = 12
CARD_LIMIT = 25  # requests awaiting the officer shown with their full context
HISTORY_LIMIT = 20  # the client's requests listed in the sidebar


def dashboard(container: Container, actor: Actor, *, as_of: dt.date) -> Dashboard:
    """The officer's dashboard: computed once per data version, patched after a client-scoped write
    (tools/dashboard)."""
    return cached_dashboard(
        container.credit_engine, container.adapter, container.review_runs, actor, as_of=as_of
    )


class ApprovalCard(BaseModel):
    """One request awaiting the officer, with what they need to decide it."""

    request: ApprovalRequestView
    grade_name: str | None = None
    ews_level: str | None = None
    warnings: list[EarlyWarning] = []
    action: str | None = None
    target_limit: Decimal | None = None  # the client total the proposal moves to (`client_target`), if any
    step_name: str | None = None
    step_no: int | None = None
    steps: int = 0
    chain: list[str] = []


def approval_cards(container: Container, actor: Actor, awaiting: list[ApprovalRequestView], *,
                   as_of: dt.date) -> list[ApprovalCard]:  # fmt: skip
    cards = []
    for r in awaiting[:CARD_LIMIT]:
        step = r.open_step
        card = ApprovalCard(request=r, step_name=step.name if step else None, step_no=step.step_no if step else None,
                            steps=len(r.steps), chain=[s.name for s in r.steps])  # fmt: skip
        try:
            a = container.credit_engine.assess_client(actor, r.client_id, as_of=as_of)
        except CreditDeskError:  # out of this officer's portfolio view: the request's own figures remain
            cards.append(card)
            continue
        cards.append(card.model_copy(update={
            "grade_name": a.rating.grade_name, "ews_level": a.ews_level, "warnings": a.warnings,
            "action": a.proposal.action, "target_limit": client_target(a),  # a new total only: never "freeze at X"
        }))  # fmt: skip
    return cards


class MonthPoint(BaseModel):
    month: dt.date
    avg_balance: Decimal | None = None
    inflows: Decimal | None = None
    outflows: Decimal | None = None
    utilisation: float | None = None


class ClientHistory(BaseModel):
    currency: str | None
    months: list[MonthPoint]

    @property
    def utilisation_points(self) -> int:
        return sum(1 for m in self.months if m.utilisation is not None)


def _month(d: dt.date) -> dt.date:
    return d.replace(day=1)


def _months_back(end: dt.date, n: int) -> list[dt.date]:
    y, m = end.year, end.month
    out = []
    for _ in range(n):
        out.append(dt.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def client_history(container: Container, client_id: int, *, as_of: dt.date,
                   today_utilisation: float | None) -> ClientHistory:  # fmt: skip
    """The 12 months to `as_of`: bank-flow figures per month and utilisation at each review run (the last
    run of a month), with today's utilisation in the current month. Call after a scope check."""
    months = _months_back(as_of, TREND_POINTS)
    points = {m: MonthPoint(month=m) for m in months}
    flows = [
        f for f in container.adapter.get_bank_flows(client_id) if months[0] <= _month(f.month) <= months[-1]
    ]
    for f in flows:
        p = points[_month(f.month)]
        p.avg_balance, p.inflows, p.outflows = f.avg_balance, f.inflows, f.outflows
    r = ReviewRunResultRow
    stmt = (
        select(r.as_of, r.utilisation)
        .where(r.client_id == client_id, col(r.as_of) < as_of, col(r.as_of) >= months[0],
               col(r.utilisation).is_not(None))
        .order_by(col(r.as_of))
    )  # fmt: skip
    with Session(container.engine) as s:
        for d, u in s.exec(stmt):
            if u is not None:
                points[_month(d)].utilisation = float(u)  # the month's last run wins
    if today_utilisation is not None:
        points[months[-1]].utilisation = today_utilisation
    currency = flows[0].currency if flows else None
    return ClientHistory(currency=currency, months=[points[m] for m in months])


class FacilityTarget(BaseModel):
    facility_id: str
    product: str
    status: str
    currency: str
    limit: Decimal
    suggested: Decimal | None = Field(
        None, description="The figure offered as a change: never the current limit"
    )
    partial: bool = Field(
        False, description="The facility alone cannot take the whole reduction (offered: 0)"
    )


def client_target(a: ClientAssessment) -> Decimal | None:
    """The client total the proposal moves to, when it proposes a change of the limit: an increase to the
    recommendation, a decrease to it (never above the current total). A freeze or a maintain proposes no
    new total, and neither does a decrease with nothing to size it (a downgrade without a lower
    recommendation): None."""
    p = a.proposal
    if p.action not in ("increase", "decrease") or p.target_limit is None:
        return None
    target = Decimal(p.target_limit)
    return None if target == Decimal(a.exposure.total_limit) else target


def facility_targets(container: Container, a: ClientAssessment) -> list[FacilityTarget]:
    """Each open facility in its own currency and, when the proposal changes the client's total
    (`client_target`), the figure that would bring the total there if the whole change fell on that
    facility (at least 0; a figure equal to the facility's limit is no change and is not offered)."""
    target = client_target(a)
    lines = {x.facility_id: x for x in a.exposure.facilities}
    out = []
    for f in container.adapter.get_facilities(a.client.client_id):
        status = str(getattr(f.status, "value", f.status))
        if status == "closed":
            continue
        own = quantize(f.limit_amount)
        line = lines.get(f.facility_id)
        suggested, partial = None, False
        if target is not None and line is not None:
            rate = (Decimal(line.limit) / own) if own else Decimal(1)  # reporting per facility currency
            if rate > 0:
                figure = quantize(own + (target - Decimal(a.exposure.total_limit)) / rate)
                partial = figure < 0
                figure = max(figure, quantize(Decimal(0)))
                suggested = figure if figure != own else None
                partial = partial and suggested is not None
        out.append(FacilityTarget(facility_id=f.facility_id, product=str(getattr(f.product, "value", f.product)),
                                  status=status, currency=f.currency, limit=own, suggested=suggested,
                                  partial=partial))  # fmt: skip
    return out


class RequestLine(BaseModel):
    request_id: str
    facility_id: str
    kind: str
    currency: str
    current_limit: Decimal
    new_limit: Decimal | None
    status: str
    raised_by_name: str
    raised_at: dt.datetime
    closed_at: dt.datetime | None


def client_requests(container: Container, actor: Actor, client_id: int) -> list[RequestLine]:
    """The client's limit requests, newest first (the approvals service checks the actor's scope)."""
    return [
        RequestLine(
            request_id=x.request_id,
            facility_id=x.facility_id,
            kind=x.kind,
            currency=x.currency,
            current_limit=x.current_limit,
            new_limit=x.new_limit,
            status=x.status,
            raised_by_name=x.raised_by_name,
            raised_at=x.raised_at,
            closed_at=x.closed_at,
        )  # fmt: skip
        for x in container.approvals.list_for_client(actor, client_id, limit=HISTORY_LIMIT)
    ]


def prepared_out(p: PreparedRequest, lang: Language) -> PreparedOut:
    """The preview with its words in `lang` (tools/approvals/preview, as the CLI prints them): what the
    sidebar shows (never an engine code such as `cap_ebitda`)."""
    return PreparedOut(**dict(p), said=PreparedSaid(**dict(preview_words(p, lang))))
