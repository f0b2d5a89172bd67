"""The assistant's tools: typed, scope-checked functions shared by the agent, the API and the CLI.

Each method takes the acting officer first (never from model or user text) and returns a typed result.
Read tools only read; `prepare_approval_request` writes nothing — raising the request is the front door's
step after the user confirms. Within `with toolbox.turn():` one client's assessment is computed once and
shared by the tools of that turn (the engine's single-client path, not the whole portfolio).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from crm_adapter.models import Client
from crm_adapter.protocol import ClientFilter, CRMAdapter
from kernel.errors import InvalidInput, UpstreamUnavailable
from knowledge.access import readable_tags
from tools.access import get_client_for, guard_group_figures, scope_officer_ids
from tools.actor import Actor
from tools.assistant_tools.bank_statements import BankStatementsView, bank_statements_of
from tools.assistant_tools.models import (
    ApprovalList,
    ApprovalStatus,
    ClientList,
    ClientProfile,
    ClientSummary,
    ClientWarnings,
    ContactsDue,
    ExpiringCover,
    ExpiringCovers,
    ExposureView,
    GradePoint,
    Instalment,
    LimitAdvice,
    MemoDraft,
    PolicyPassage,
    PolicySearch,
    PreparedApproval,
    RatingHistory,
    RepaymentHistory,
    ReviewsDue,
    ReviewStatus,
    UtilisationItem,
    UtilisationList,
    UtilisationPoint,
    UtilisationTrend,
    Watchlist,
)
from tools.engine.results import (
    ClientAssessment,
    ConcentrationReport,
    FinancialAnalysis,
    InsuranceStatus,
    Rating,
    WhatIfResult,
)
from tools.engine.service import CreditEngine

ApprovalKind = Literal["increase", "decrease", "freeze", "unfreeze", "renewal"]

_turn_cache: contextvars.ContextVar[dict[tuple[str, int, dt.date], BaseModel] | None] = (
    contextvars.ContextVar("assistant_turn_cache", default=None)
)


class AuditSink(Protocol):
    def record(self, *, actor: Actor | None, action: str, object_type: str, object_id: str,
               channel: str | None = None, after: dict[str, Any] | None = None,
               data: object = None) -> object: ...  # fmt: skip


def _json(value: object) -> dict[str, Any]:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return value
    raise TypeError(f"expected a model, got {type(value).__name__}")


def _summary(client: Client, score: float | None = None) -> ClientSummary:
    return ClientSummary(client_id=client.client_id, name=client.name, officer_id=client.officer_id,
                         industry=client.industry, region=client.region, score=score)  # fmt: skip


def idempotency_key(actor: Actor, *parts: object) -> str:
    """Same officer, same request, same day → same key, so a double confirmation raises once."""
    raw = "|".join([actor.officer_id, *(str(p) for p in parts)])
    return "asst-" + hashlib.sha256(raw.encode()).hexdigest()[:24]


class Toolbox:
    def __init__(self, *, adapter: CRMAdapter, credit_engine: CreditEngine, today: Callable[[], dt.date],
                 policy_store: Any = None, approvals: Any = None, memos: Any = None,
                 audit: AuditSink | None = None) -> None:  # fmt: skip
        self.adapter = adapter
        self.credit_engine = credit_engine
        self.today = today
        self.policy_store = policy_store
        self.approvals = approvals
        self.memos = memos
        self.audit = audit

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Share results between the tools of one assistant turn (re-entrant: a fallback joins the turn).

        Assessments are computed once per client; a memo drafted in the turn is not drafted again.
        """
        if _turn_cache.get() is not None:
            yield
            return
        token = _turn_cache.set({})
        try:
            yield
        finally:
            _turn_cache.reset(token)

    def _assess(self, actor: Actor, client_id: int) -> ClientAssessment:
        as_of = self.today()
        cache = _turn_cache.get()
        key = (actor.officer_id, client_id, as_of)
        if cache is not None and key in cache:
            return cache[key]  # type: ignore[return-value]
        result = self.credit_engine.assess_client(actor, client_id, as_of=as_of)
        if cache is not None:
            cache[key] = result
        return result

    # --- clients ----------------------------------------------------------------------------
    def find_clients(self, actor: Actor, query: str, limit: int = 5) -> ClientList:
        """Clients in the actor's scope matching a name (typos, partial names), an id or a CRM id."""
        matches = self.adapter.search_clients(
            query, limit=limit, officer_ids=scope_officer_ids(actor, self.adapter)
        )
        return ClientList(query=query, clients=[_summary(m.client, m.score) for m in matches])

    def my_clients(self, actor: Actor, limit: int = 200) -> ClientList:
        """The clients the actor manages (an RM's own; book-wide roles: the first `limit` of the book)."""
        officers = None if actor.book_wide else {actor.officer_id}
        clients = self.adapter.list_clients(ClientFilter(officer_ids=officers, limit=limit))
        return ClientList(clients=[_summary(c) for c in clients])

    def client_profile(self, actor: Actor, client_id: int) -> ClientProfile:
        """Who the client is, its limits and use, grade, warnings, proposal, review and contact dates."""
        a = self._assess(actor, client_id)
        c = a.client
        return ClientProfile(
            client=ClientSummary(client_id=c.client_id, name=c.name, officer_id=c.officer_id,
                                 industry=c.industry, region=c.region),
            currency=a.exposure.currency, total_limit=a.exposure.total_limit, outstanding=a.exposure.outstanding,
            utilisation=a.exposure.utilisation, grade=a.rating.grade, grade_name=a.rating.grade_name,
            pd=a.rating.pd, ews_level=a.ews_level, warnings=len(a.warnings), proposal=a.proposal.action,
            review=a.review, contact=a.contact, insured=a.exposure.insured, policy_version=a.policy_version,
        )  # fmt: skip

    # --- analysis ---------------------------------------------------------------------------
    def exposure(self, actor: Actor, client_id: int) -> ExposureView:
        """Limits, outstanding, utilisation, EAD and insured part, per facility and in total."""
        a = self._assess(actor, client_id)
        return ExposureView(client_id=client_id, name=a.client.name, exposure=a.exposure)

    def financial_analysis(self, actor: Actor, client_id: int, period_start: dt.date | None = None,
                           period_end: dt.date | None = None) -> FinancialAnalysis:  # fmt: skip
        """Ratios per statement period (newest first) and their trends; optionally only one window."""
        fin = self._assess(actor, client_id).financials
        if period_start is None and period_end is None:
            return fin
        lo, hi = period_start or dt.date.min, period_end or dt.date.max
        return fin.model_copy(update={"periods": [p for p in fin.periods if lo <= p.period_end <= hi]})

    def rating(self, actor: Actor, client_id: int) -> Rating:
        """Score, grade, PD, LGD, EAD and expected loss, with the factors and reason codes behind them."""
        return self._assess(actor, client_id).rating

    def limit_recommendation(self, actor: Actor, client_id: int) -> LimitAdvice:
        """The recommended limit (min of need, rating cap, concentration headroom) and the adjustment proposal."""
        a = self._assess(actor, client_id)
        return LimitAdvice(client_id=client_id, currency=a.exposure.currency, recommendation=a.limit,
                           proposal=a.proposal)  # fmt: skip

    def what_if_limit(self, actor: Actor, client_id: int, new_limit: Decimal, facility_id: str | None = None,
                      dimension: str | None = None) -> WhatIfResult:  # fmt: skip
        """Concentration shares before/after if the client's total limit (or one facility's) became new_limit;
        `dimension` (industry, region, size_segment, group, single_name) keeps only that dimension's lines."""
        result = self.credit_engine.what_if_limit(actor, client_id, new_limit, facility_id=facility_id,
                                                  as_of=self.today())  # fmt: skip
        result = guard_group_figures(
            actor, self.adapter, result
        )  # another team's share of the group stays banded
        if dimension is None:
            return result
        return result.model_copy(update={
            "lines": [pair for pair in result.lines if pair[0].dimension == dimension],
            "breaches_after": [b for b in result.breaches_after if b.dimension == dimension],
        })  # fmt: skip

    # --- monitoring -------------------------------------------------------------------------
    def early_warnings(self, actor: Actor, client_id: int) -> ClientWarnings:
        """The client's early-warning level and each triggered indicator with value, threshold and date."""
        a = self._assess(actor, client_id)
        return ClientWarnings(client_id=client_id, name=a.client.name, level=a.ews_level, warnings=a.warnings)

    def bank_statements(self, actor: Actor, client_id: int) -> BankStatementsView:
        """The client's imported bank statements (银行流水): monthly flows and findings (payments to other lenders/banks, returned or bounced items, related-party transfers, cash withdrawals, window dressing, falling inflows), each with its figures and transactions."""
        return bank_statements_of(actor, self.adapter, client_id, as_of=self.today(),
                                  policy=self.credit_engine.policy.statements)  # fmt: skip

    def watchlist(self, actor: Actor, limit: int = 20) -> Watchlist:
        """Clients in scope with amber or red warnings, red first, largest first."""
        every = self.credit_engine.watchlist(actor, as_of=self.today(), limit=1_000_000)
        return Watchlist(items=every[:limit], total=len(every))

    def review_status(self, actor: Actor, client_id: int) -> ReviewStatus:
        """When the client's periodic review is due and whether it is overdue."""
        a = self._assess(actor, client_id)
        return ReviewStatus(client_id=client_id, name=a.client.name, review=a.review)

    def reviews_due(self, actor: Actor, horizon_days: int = 30, overdue_only: bool = False) -> ReviewsDue:
        """Reviews overdue or due within the horizon in the actor's scope, most urgent first."""
        items = self.credit_engine.reviews_due(actor, as_of=self.today(), horizon_days=horizon_days)
        if overdue_only:
            items = [i for i in items if i.overdue]
        return ReviewsDue(horizon_days=horizon_days, items=items)

    def contacts_due(self, actor: Actor, horizon_days: int = 14) -> ContactsDue:
        """Client contacts (visits, calls) overdue or due within the horizon."""
        items = self.credit_engine.contacts_due(actor, as_of=self.today(), horizon_days=horizon_days)
        return ContactsDue(horizon_days=horizon_days, items=items)

    def insurance_cover(self, actor: Actor, client_id: int) -> InsuranceStatus:
        """Insured vs. uninsured exposure, each cover with insurer and expiry, and any required-cover gap."""
        return self._assess(actor, client_id).insurance

    def concentration_report(self, actor: Actor) -> ConcentrationReport:
        """Book concentration by industry, region, size, group and single name against policy limits, with HHI."""
        return self.credit_engine.concentration_report(actor, as_of=self.today())

    # --- knowledge ---------------------------------------------------------------------------
    def search_policy(self, actor: Actor, query: str, k: int = 4) -> PolicySearch:
        """Passages of the credit policy documents relevant to the question, each citable."""
        if not query.strip():
            raise InvalidInput("the policy question is empty", field="query")
        if self.policy_store is None:
            raise UpstreamUnavailable("the policy knowledge base is not set up (run `creditdesk kb ingest`)")
        hits = self.policy_store.search(query, k=k, access_tags=readable_tags(actor.role))
        return PolicySearch(query=query, passages=[_passage(h) for h in hits])

    # --- documents and approvals ---------------------------------------------------------------
    def draft_review_memo(self, actor: Actor, client_id: int) -> MemoDraft:
        """Draft the periodic review memo (saved as a new draft version; nothing is submitted)."""
        if self.memos is None:
            raise UpstreamUnavailable("memo drafting is not available in this installation")
        cache = _turn_cache.get()
        key = ("memo:" + actor.officer_id, client_id, self.today())
        if cache is not None and key in cache:
            return cache[key]  # type: ignore[return-value]
        data = _json(self.memos.draft_review_memo(actor, client_id, as_of=self.today()))
        draft = MemoDraft(client_id=client_id, memo_id=str(data.get("memo_id") or data.get("id")),
                          version=data.get("version"), title=data.get("title"))  # fmt: skip
        if cache is not None:
            cache[key] = draft
        return draft

    def prepare_approval_request(self, actor: Actor, client_id: int, kind: ApprovalKind,
                                 new_limit: Decimal | None = None, facility_id: str | None = None,
                                 reason: str = "") -> PreparedApproval:  # fmt: skip
        """Prepare (not raise) a limit request: recommendation, binding constraint, concentration, chain."""
        if kind in ("increase", "decrease") and new_limit is None:
            raise InvalidInput(f"an {kind} needs the new limit", field="new_limit")
        get_client_for(actor, self.adapter, client_id)
        approvals = self._approvals()
        prepared = approvals.prepare_request(actor, client_id=client_id, facility_id=facility_id, kind=kind,
                                             new_limit=new_limit, reason=reason)  # fmt: skip
        details = _json(prepared)
        facility = facility_id or details.get("facility_id")
        arguments = {
            "client_id": client_id, "facility_id": facility, "kind": kind,
            "new_limit": None if new_limit is None else str(new_limit), "reason": reason,
            "idempotency_key": idempotency_key(actor, client_id, facility, kind, new_limit, self.today()),
        }  # fmt: skip
        return PreparedApproval(client_id=client_id, kind=kind, new_limit=new_limit, arguments=arguments,
                                details=details)  # fmt: skip

    def approval_status(self, actor: Actor, request_id: str) -> ApprovalStatus:
        """One approval request: where it stands in its chain and who decided what."""
        return ApprovalStatus(request=_json(self._approvals().get(actor, request_id)))

    def my_pending_approvals(self, actor: Actor) -> ApprovalList:
        """Requests awaiting the actor's decision, and the actor's own requests still open."""
        approvals = self._approvals()
        return ApprovalList(
            awaiting_my_decision=[_json(r) for r in approvals.list_awaiting(actor)],
            raised_by_me=[_json(r) for r in approvals.list_raised_by(actor)],
        )

    # --- history and portfolio filters ------------------------------------------------------------
    def repayment_history(self, actor: Actor, client_id: int, months: int = 12) -> RepaymentHistory:
        """Instalments over the last `months`: days past due, missed, late and partial payments, cures."""
        client = get_client_for(actor, self.adapter, client_id)
        today = self.today()
        since = today - dt.timedelta(days=round(months * 30.4))
        items: list[Instalment] = []
        for e in self.adapter.get_repayments(client_id):
            if not since <= e.due_date <= today:
                continue
            dpd = e.days_past_due(today)
            paid_full = e.amount_paid >= e.amount_due
            if e.paid_date is None and e.amount_paid <= 0:
                status = "missed" if e.due_date < today else "not_due"
            elif not paid_full:
                status = "partial"
            elif dpd > 0:
                status = "late"
            else:
                status = "on_time"
            cured = paid_full and dpd > 0 and e.paid_date is not None
            items.append(Instalment(facility_id=e.facility_id, due_date=e.due_date, amount_due=e.amount_due,
                                    paid_date=e.paid_date, amount_paid=e.amount_paid, days_past_due=dpd,
                                    status=status, cured=cured))  # fmt: skip
        open_dpd = [(today - i.due_date).days for i in items if i.status in ("missed", "partial")]
        count = {k: sum(i.status == k for i in items) for k in ("on_time", "late", "partial", "missed")}
        shown = sorted(items, key=lambda i: (i.status in ("on_time", "not_due"), -i.due_date.toordinal()))
        return RepaymentHistory(
            client_id=client_id, name=client.name, months=months, current_dpd=max(open_dpd, default=0),
            max_dpd=max((i.days_past_due for i in items), default=0), instalments=len(items), **count,
            cures=sum(i.cured for i in items), items=shown[:12], total_items=len(items),
        )  # fmt: skip

    def rating_history(self, actor: Actor, client_id: int) -> RatingHistory:
        """Grades at past review runs and now, the change, and the reasons behind the current grade."""
        a = self._assess(actor, client_id)
        points = [GradePoint(as_of=r.as_of, grade=r.grade, score=r.score, pd=r.pd, ews_level=r.ews_level,
                             source="review_run") for r in self._run_rows(client_id)]  # fmt: skip
        r = a.rating
        points.append(GradePoint(as_of=self.today(), grade=r.grade, score=r.score, pd=r.pd, ews_level=a.ews_level,
                                 source="current"))  # fmt: skip
        previous = r.previous_grade if r.previous_grade is not None else (
            points[-2].grade if len(points) > 1 else r.grade)  # fmt: skip
        worst = sorted(r.factors, key=lambda f: f.points - f.max_points)[:3]
        return RatingHistory(client_id=client_id, name=a.client.name, points=points, change=r.grade - previous,
                             reasons=[c.text for c in r.reason_codes],
                             factors_worse=[f.text for f in worst if f.points < f.max_points])  # fmt: skip

    def utilisation_trend(self, actor: Actor, client_id: int, months: int = 12) -> UtilisationTrend:
        """Utilisation at each review run within `months` and today, with the bank-inflow trend."""
        a = self._assess(actor, client_id)
        since = self.today() - dt.timedelta(days=round(months * 30.4))
        points = [UtilisationPoint(as_of=r.as_of, utilisation=r.utilisation, outstanding=Decimal(str(r.outstanding)),
                                   total_limit=Decimal(str(r.total_limit)), source="review_run")
                  for r in self._run_rows(client_id) if r.as_of >= since]  # fmt: skip
        e = a.exposure
        points.append(UtilisationPoint(as_of=self.today(), utilisation=e.utilisation, outstanding=e.outstanding,
                                       total_limit=e.total_limit, source="current"))  # fmt: skip
        known = [p.utilisation for p in points if p.utilisation is not None]
        change = known[-1] - known[0] if len(known) > 1 else None
        return UtilisationTrend(client_id=client_id, name=a.client.name, months=months, points=points,
                                change=change, inflow_trend=a.flows.inflow_trend)  # fmt: skip

    def clients_by_utilisation(self, actor: Actor, threshold: float = 0.9, only_mine: bool = False,
                               limit: int = 20) -> UtilisationList:  # fmt: skip
        """Clients in scope drawn at or above `threshold` (0.95 = 95%), highest first; `only_mine`: own clients."""
        table = self.credit_engine.portfolio_for(actor, as_of=self.today()).table()
        if only_mine:
            table = table[table["officer_id"] == actor.officer_id]
        hits = table[table["utilisation"].fillna(-1) >= threshold].sort_values("utilisation", ascending=False)
        items = [UtilisationItem(client_id=int(cid), name=str(r["name"]), officer_id=str(r["officer_id"]),
                                 utilisation=float(r["utilisation"]), total_limit=Decimal(str(round(r["total_limit"], 2))),
                                 outstanding=Decimal(str(round(r["outstanding"], 2))))
                 for cid, r in hits.head(limit).iterrows()]  # fmt: skip
        return UtilisationList(threshold=threshold, only_mine=only_mine, items=items, total=len(hits),
                               clients_in_scope=len(table))  # fmt: skip

    def insurance_expiring(self, actor: Actor, horizon_days: int = 60, only_mine: bool = False,
                           limit: int = 20) -> ExpiringCovers:  # fmt: skip
        """Credit-insurance covers in scope expiring within `horizon_days` (and lapsed ones), soonest first."""
        today = self.today()
        # the scope's snapshot as the cached portfolio run holds it (the watch-list's and reviews' run,
        # kept until the data changes), not read again per question
        snap = self.credit_engine.portfolio_for(actor, as_of=today).snapshot
        clients = snap.clients.set_index("client_id")
        found: list[ExpiringCover] = []
        for row in snap.covers.itertuples(index=False):
            expiry = _day(row.expiry_date)
            days = (expiry - today).days
            officer = str(clients.at[row.client_id, "officer_id"])
            if only_mine and officer != actor.officer_id:
                continue
            if days <= horizon_days and (days >= 0 or str(row.status) != "cancelled"):
                if days < -365:
                    continue
                found.append(ExpiringCover(client_id=int(row.client_id), name=str(clients.at[row.client_id, "name"]),
                                           officer_id=officer, cover_id=str(row.cover_id), insurer=str(row.insurer),
                                           status=str(row.status), expiry_date=expiry, days_to_expiry=days))  # fmt: skip
        found.sort(key=lambda c: c.days_to_expiry)
        return ExpiringCovers(
            horizon_days=horizon_days, only_mine=only_mine, items=found[:limit], total=len(found)
        )

    def _run_rows(self, client_id: int) -> list[Any]:
        """The client's stored review-run results up to today, oldest first (none without a run store)."""
        runs = self.credit_engine.runs
        if runs is None:
            return []
        from sqlmodel import Session, col, select

        from tools.engine.review_runs import ReviewRunResultRow as R

        with Session(runs.engine) as s:
            rows = s.exec(select(R).where(R.client_id == client_id, col(R.as_of) <= self.today())
                          .order_by(col(R.as_of))).all()  # fmt: skip
        return list(rows)

    def _approvals(self) -> Any:
        if self.approvals is None:
            raise UpstreamUnavailable("the approval workflow is not available in this installation")
        return self.approvals


def _day(value: Any) -> dt.date:
    """A snapshot date cell (date, datetime, pandas Timestamp or ISO string) as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):
        return value.date()  # type: ignore[no-any-return]
    return dt.date.fromisoformat(str(value)[:10])


def _passage(hit: Any) -> PolicyPassage:
    """A knowledge-base hit (document, section path, page, text, score, chunk id) as a passage."""
    data = _json(hit) if isinstance(hit, BaseModel | dict) else vars(hit)
    section = data.get("section_path") or data.get("section")
    if isinstance(section, list | tuple):
        section = " › ".join(str(s) for s in section)
    document = data.get("document")
    if isinstance(document, dict):
        document = document.get("title") or document.get("name")
    return PolicyPassage(document=str(document), section=section, page=data.get("page"),
                         text=str(data.get("text", "")), score=data.get("score"),
                         chunk_id=data.get("chunk_id"))  # fmt: skip
