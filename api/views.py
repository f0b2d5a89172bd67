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
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from api.schemas import Dashboard, PreparedOut, PreparedSaid
from kernel.catalogue import Language, code_name, name_in, render_each, render_or
from kernel.errors import CreditDeskError
from kernel.money import quantize
from tools.access import scope_officer_ids
from tools.actor import Actor
from tools.approvals.models import ApprovalRequestView, PreparedRequest
from tools.engine import incremental
from tools.engine.aggregates import BookAggregates, patched_book
from tools.engine.concentration import BookExposure, concentration_lines, hhi
from tools.engine.incremental import Drift
from tools.engine.results import ClientAssessment, ContactDue, EarlyWarning, ReviewDue, WatchItem
from tools.engine.review_runs import ReviewRunResultRow
from tools.engine.service import (
    BOOK_EXPOSURE_FRAMES,
    contact_rows,
    review_rows,
    reviews_due_of,
    summary_of,
    watch_rows,
    watchlist_of,
)
from tools.policy.schema import Policy

if TYPE_CHECKING:
    from creditdesk.wiring import Container

TREND_POINTS = 12
CARD_LIMIT = 25  # requests awaiting the officer shown with their full context
HISTORY_LIMIT = 20  # the client's requests listed in the sidebar


DASHBOARD_CACHE_SIZE = 16  # (officer, as-of) pairs kept at the current data version
REVIEW_HORIZON_DAYS, CONTACT_HORIZON_DAYS = 30, 14
WATCH_KEYS = (
    "ews_level",
    "total_limit",
)  # the table columns `watch_rows`, `review_rows`, `contact_rows` read
REVIEW_KEYS = ("next_review", "pd", "total_limit", "warnings", "review_overdue")
CONTACT_KEYS = ("next_contact", "grade")
MAX_INCREMENTAL = 2_000  # more clients to re-assess than this after a write: recompute the whole scope
DashboardKey = tuple[int, str, str, dt.date]


@dataclass
class _Scope:
    """What a dashboard was built from, kept so the next write patches it instead of recomputing it: the
    scope's portfolio table and exposure, the book's aggregates, the concentration screen and each list's
    items by client (tools/engine/incremental.py)."""

    version: int
    data: Dashboard
    officers: frozenset[str] | None  # None: the whole book
    table: pd.DataFrame
    book: BookExposure  # the scope's exposure (the whole book's, or the scope's with the book aggregates)
    agg: BookAggregates
    screen: pd.DataFrame
    drift: Drift
    model_id: str
    watch: dict[int, WatchItem]
    reviews: dict[int, ReviewDue]
    contacts: dict[int, ContactDue]


_dashboards: OrderedDict[DashboardKey, _Scope] = OrderedDict()
_dashboards_lock = threading.Lock()
_computing: dict[DashboardKey, threading.Lock] = {}
log = logging.getLogger(__name__)


def dashboard(container: Container, actor: Actor, *, as_of: dt.date) -> Dashboard:
    """The officer's dashboard, computed once per data version (the change counter moves on every write
    that can change it, in any process) and then served from memory: a page load does not grow with the
    book. After a write that names the clients it changed, the previous version's dashboard is patched:
    those clients, and the few whose concentration figures the write can have moved, are re-assessed; the
    book aggregates are patched by the difference (`_patched`). The cached model is read-only (pydantic
    copies are made by callers that change it)."""
    key = (id(container.credit_engine), actor.officer_id, actor.role.value, as_of)
    version = container.adapter.data_version
    with _dashboards_lock:
        hit = _dashboards.get(key)
        if hit is not None and hit.version == version:
            _dashboards.move_to_end(key)
            return hit.data
        computing = _computing.setdefault(key, threading.Lock())
    with computing:  # concurrent first loads of one dashboard compute it once
        with _dashboards_lock:
            hit = _dashboards.get(key)
            if hit is not None and hit.version == version:
                return hit.data
        scope = None
        if hit is not None and hit.version < version:
            try:
                scope = _patched(container, actor, hit, version, as_of=as_of)
            except Exception:  # never worse than a recomputation
                log.warning("dashboard patch failed; recomputing", exc_info=True)
        if scope is None:
            scope = _compute_dashboard(container, actor, as_of=as_of, version=version)
        with _dashboards_lock:
            _dashboards[key] = scope
            _dashboards.move_to_end(key)
            while len(_dashboards) > DASHBOARD_CACHE_SIZE:
                _dashboards.popitem(last=False)
            _computing.pop(key, None)
    return scope.data


def _compute_dashboard(container: Container, actor: Actor, *, as_of: dt.date, version: int) -> _Scope:
    engine = container.credit_engine
    officers = scope_officer_ids(actor, container.adapter)
    pa = engine.portfolio_for(actor, as_of=as_of)
    ids = [int(i) for i in pa.table().index]
    previous = container.review_runs.previous_grades(before=as_of, client_ids=ids)
    data = _assemble(
        actor, pa, as_of=as_of, currency=pa.snapshot.reporting_currency,
        previous_run=previous["run_date"].max().date() if len(previous) else None,
        previous_dist={int(k): int(v) for k, v in previous["grade"].value_counts().sort_index().items()}
        if len(previous) else None,
        watch=engine.watchlist(actor, as_of=as_of, pa=pa, limit=max(_watch_total(pa.table()), 1)),
        reviews=engine.reviews_due(actor, as_of=as_of, pa=pa, horizon_days=REVIEW_HORIZON_DAYS),
        contacts=engine.contacts_due(actor, as_of=as_of, pa=pa, horizon_days=CONTACT_HORIZON_DAYS),
    )  # fmt: skip
    book = pa.book
    agg = book.base or BookAggregates.of(book, hhi=hhi(book), as_of=as_of, data_version=version,
                                         policy_hash=engine.policy.content_hash)  # fmt: skip
    return _Scope(
        version=version, data=data, officers=None if officers is None else frozenset(officers), table=pa.table(),
        book=book, agg=agg, screen=incremental.screen(pa, Drift()), drift=Drift(), model_id=pa.model_id,
        watch={w.client_id: w for w in data.watchlist}, reviews={r.client_id: r for r in data.reviews},
        contacts={c.client_id: c for c in data.contacts},
    )  # fmt: skip


def _watch_total(t: pd.DataFrame) -> int:
    return int((t["ews_level"] != "green").sum())


def _assemble(actor: Actor, pa: Any, *, as_of: dt.date, currency: str, previous_run: dt.date | None,
              previous_dist: dict[int, int] | None, watch: list[WatchItem], reviews: list[ReviewDue],
              contacts: list[ContactDue]) -> Dashboard:  # fmt: skip
    summary = summary_of(pa)
    return Dashboard.model_construct(  # every part is a validated model already (a patch keeps tens of thousands)
        officer_id=actor.officer_id, as_of=as_of, currency=currency, summary=summary,
        previous_run=previous_run, previous_grade_distribution=previous_dist, reviews=reviews,
        watchlist=watch, watchlist_total=_watch_total(pa.table()), contacts=contacts,
    )  # fmt: skip


@dataclass
class _PatchedRun:
    """What `summary_of` reads from a portfolio run, for a patched table and exposure."""

    policy: Policy
    model_id: str
    book: BookExposure
    t: pd.DataFrame
    as_of: dt.date

    @property
    def policy_version(self) -> str:
        return self.policy.version

    def table(self) -> pd.DataFrame:
        return self.t

    def concentration(self) -> pd.DataFrame:
        return concentration_lines(self.book, self.policy)


def _patched(
    container: Container, actor: Actor, old: _Scope, version: int, *, as_of: dt.date
) -> _Scope | None:
    """The dashboard at `version` from the one at `old.version`, re-assessing only the clients the writes in
    between changed and those whose results they can have moved; None when that is not known (a write not
    scoped to clients, a client that moved bucket or joined or left the book, too many clients)."""
    adapter, engine = container.adapter, container.credit_engine
    counter = getattr(adapter, "changes", None)
    if counter is None or engine.policy.content_hash != old.agg.policy_hash:
        return None
    changed = counter.changed_clients(old.version, version)
    if changed is None or len(changed) > MAX_INCREMENTAL:
        return None
    ids = sorted(changed)
    # the written clients' exposure now (clients, facilities, covers, fx: no history) and before
    snap = adapter.snapshot(as_of=as_of, client_ids=ids, include=BOOK_EXPOSURE_FRAMES) if ids else None
    new_rows = engine.book_exposure(snap).frame if snap is not None else old.book.frame.iloc[:0]
    if old.officers is None or old.book.frame.index.isin(ids).sum() == len(new_rows) == len(ids):
        old_rows = old.book.frame.reindex(new_rows.index)
        if old_rows["total_limit"].isna().any() or len(new_rows) != len(ids):
            return None  # a client joined or left the book
        agg = old.agg.patched(old_rows, new_rows, data_version=version)
    else:  # a write outside this scope's clients: the book's aggregates as any view reads them
        agg = engine.book_aggregates(as_of)
    if agg is None:
        return None
    engine.seed_aggregates(agg)  # every view after this write reads these, none recomputes them
    drift = old.drift.after(
        old.agg.largest_move(agg), total=min(old.agg.total, agg.total), policy=engine.policy
    )
    near = incremental.dependents(old.screen, drift)
    in_scope = (
        new_rows.index if old.officers is None else new_rows.index[new_rows["officer_id"].isin(old.officers)]
    )
    if set(in_scope) != set(old.table.index.intersection(ids)):
        return None  # a client entered or left the scope (its previous grades, its lines): recompute
    redo = sorted(set(in_scope) | set(near))
    if len(redo) > MAX_INCREMENTAL:
        return None
    log.debug("dashboard patch: %d written, %d re-assessed", len(ids), len(redo))
    gone = set(redo)
    part = None
    if redo:
        snap_redo = adapter.snapshot(as_of=as_of, client_ids=redo)
        part = engine.assess_portfolio(snap_redo, book=engine.slice_exposure(snap_redo, as_of))
    keep = ~old.table.index.isin(redo)
    table = old.table[keep]
    frame = old.book.frame[~old.book.frame.index.isin(ids)]
    screen = old.screen[~old.screen.index.isin(redo)]
    if part is not None:
        table = pd.concat([table, part.table()]).sort_index(kind="stable")
        screen = pd.concat([screen, incremental.screen(part, drift)]).sort_index(kind="stable")
    frame = pd.concat([frame, new_rows.loc[in_scope]]).sort_index(kind="stable")
    book = (
        patched_book(old.book, frame, agg, ids)
        if old.officers is None
        else BookExposure(frame=frame, base=agg)
    )
    watch, reviews, contacts = dict(old.watch), dict(old.reviews), dict(old.contacts)
    for items in (watch, reviews, contacts):
        for k in gone:
            items.pop(k, None)
    if part is not None:
        watch.update((w.client_id, w) for w in watchlist_of(part, limit=len(redo)))
        reviews.update((r.client_id, r) for r in reviews_due_of(part, horizon_days=REVIEW_HORIZON_DAYS))
        contacts.update((c.client_id, c) for c in engine.contacts_due(actor, as_of=as_of, pa=part,
                                                                      horizon_days=CONTACT_HORIZON_DAYS))  # fmt: skip
    run = _PatchedRun(policy=engine.policy, model_id=old.model_id, book=book, t=table, as_of=as_of)
    # the lists' order over the whole scope, from the few columns each sorts on (the items are kept)
    order_w = watch_rows(table[list(WATCH_KEYS)], limit=max(_watch_total(table), 1)).index
    order_r = review_rows(table[list(REVIEW_KEYS)], as_of=as_of, horizon_days=REVIEW_HORIZON_DAYS).index
    order_c = contact_rows(table[list(CONTACT_KEYS)], as_of=as_of, horizon_days=CONTACT_HORIZON_DAYS).index
    data = _assemble(actor, run, as_of=as_of, currency=old.data.currency, previous_run=old.data.previous_run,
                     previous_dist=old.data.previous_grade_distribution,
                     watch=[watch[int(i)] for i in order_w], reviews=[reviews[int(i)] for i in order_r],
                     contacts=[contacts[int(i)] for i in order_c])  # fmt: skip
    return _Scope(version=version, data=data, officers=old.officers, table=table, book=book, agg=agg,
                  screen=screen, drift=drift, model_id=old.model_id, watch=watch, reviews=reviews,
                  contacts=contacts)  # fmt: skip


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
    """The preview with its words in `lang`: what the sidebar shows (never an engine code such as
    `cap_ebitda`)."""
    said = PreparedSaid(
        lang=lang,
        binding=code_name("constraint", p.binding, lang) if p.binding else None,
        concentration=render_each(p.concentration_msgs, p.concentration, lang),
        exceptions=[render_or(e.msg, e.message, lang) for e in p.exceptions],
        chain=[name_in("approval_level", s.name, lang) for s in p.route.steps],
    )
    return PreparedOut(**dict(p), said=said)
