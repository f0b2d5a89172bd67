"""The credit engine's public service: every capability, scope-checked, as typed results.

    engine = CreditEngine(adapter=adapter, policy=policy, scorer=None, runs=ReviewRunStore(db))
    engine.assess_client(actor, client_id, as_of=d)          -> ClientAssessment
    engine.portfolio_for(actor, as_of=d)                     -> PortfolioAssessment (frames + helpers)
    engine.assess_portfolio(snapshot)                        -> PortfolioAssessment (no scope check)
    engine.what_if_limit(actor, client_id, new_limit, facility_id=None, as_of=d) -> WhatIfResult
    engine.watchlist(actor, as_of=d, limit=50)               -> list[WatchItem]
    engine.reviews_due(actor, as_of=d, horizon_days=30)      -> list[ReviewDue]  (due + overdue)
    engine.contacts_due(actor, as_of=d)                      -> list[ContactDue]
    engine.concentration_report(actor, as_of=d)              -> ConcentrationReport
    engine.insurance_status(actor, client_id, as_of=d)       -> InsuranceStatus
    engine.summary(pa)                                       -> PortfolioSummary

One client is computed by the same vectorised code on a one-client snapshot, with the whole book's
exposure for concentration, so its result equals its row of the portfolio run.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from decimal import Decimal

import numpy as np
import pandas as pd

from crm_adapter.protocol import CRMAdapter
from crm_adapter.snapshot import BookSnapshot
from kernel.catalogue import render
from kernel.errors import InvalidInput, NotFound
from kernel.money import quantize
from tools.access import get_client_for, scope_officer_ids
from tools.actor import Actor
from tools.engine import assemble, ews
from tools.engine.aggregates import AggregateStore, BookAggregates
from tools.engine.chunked import CHUNK_CLIENTS, assess_in_chunks, review_reads
from tools.engine.concentration import NAME_LEVEL, BookExposure, concentration_lines, hhi, only_visible
from tools.engine.exposure import active_covers, client_exposure, facility_exposure
from tools.engine.lists import contact_rows, review_rows, watch_rows
from tools.engine.portfolio import PortfolioAssessment, assess_book
from tools.engine.results import (
    ClientAssessment,
    ConcentrationReport,
    ContactDue,
    EarlyWarning,
    InsuranceStatus,
    Msg,
    PortfolioSummary,
    ReviewDue,
    WatchItem,
    WhatIfResult,
)  # fmt: skip
from tools.engine.review_runs import ReviewRunStore
from tools.engine.scorer import Scorer
from tools.policy.schema import Policy
from tools.statements.indicators import statement_warning_frame

# What whole-book exposure (concentration) needs; the heavy history tables are not read for it.
BOOK_EXPOSURE_FRAMES = frozenset({"clients", "facilities", "covers", "fx"})
ClientKey = tuple[int, dt.date, int]  # (client_id, as_of, data version)
PortfolioKey = tuple[frozenset[str] | None, dt.date, int]  # (officers in scope or None, as_of, data version)
PORTFOLIO_CACHE_SIZE = 4  # scoped portfolio runs kept (a book-wide one at 100k clients is ~0.5 GB)
CLIENT_CACHE_SIZE = 2048  # per-client results kept (LRU): ~50 KiB each (the book is shared), ~100 MiB full


class CreditEngine:
    def __init__(self, *, adapter: CRMAdapter, policy: Policy, scorer: Scorer | None = None,
                 runs: ReviewRunStore | None = None, book_ttl_s: float = 900.0,
                 aggregates: AggregateStore | None = None) -> None:  # fmt: skip
        self.adapter = adapter
        self.aggregates = aggregates
        self._agg_cache: dict[tuple[dt.date, int], BookAggregates] = {}
        self._agg_lock = threading.Lock()
        self.policy = policy
        self.scorer = scorer
        self.runs = runs
        self.book_ttl_s = book_ttl_s
        self._book_cache: dict[dt.date, tuple[float, BookExposure, int]] = {}
        # Per-client results keyed by (client_id, as_of, data version) → (stamp, run, assessment): every write
        # (review runs included) moves the data version (crm_adapter/sql/changes.py), so an entry lives until
        # the data changes; `book_ttl_s` only bounds writes made behind the application's back.
        self._client_cache: OrderedDict[ClientKey, tuple[float, PortfolioAssessment, ClientAssessment]]
        self._client_cache = OrderedDict()
        self._lock = threading.Lock()
        self._book_lock = threading.Lock()
        self._cache_version = 0  # the data version the per-client entries belong to
        self._computing: dict[ClientKey, threading.Lock] = {}  # one computation per key
        self._portfolio_cache: OrderedDict[PortfolioKey, tuple[float, PortfolioAssessment]] = OrderedDict()
        self._computing_portfolio: dict[PortfolioKey, threading.Lock] = {}
        self._team_books: dict[tuple[frozenset[str], dt.date, int], BookExposure] = {}

    # --- building blocks ---------------------------------------------------------------------
    def _history(
        self, as_of: dt.date, client_ids: list[int] | None
    ) -> tuple[pd.DataFrame | None, pd.Series | None]:
        if self.runs is None:
            return None, None
        return (
            self.runs.previous_grades(before=as_of, client_ids=client_ids),
            self.runs.last_reviews(on_or_before=as_of, client_ids=client_ids),
        )

    def book_exposure(self, snapshot: BookSnapshot) -> BookExposure:
        covers = active_covers(snapshot, self.policy)
        fac = facility_exposure(snapshot, self.policy, covers)
        return BookExposure.build(
            snapshot.clients, client_exposure(snapshot, self.policy, fac, covers), self.policy
        )

    def assess_portfolio(
        self, snapshot: BookSnapshot, *, book: BookExposure | None = None
    ) -> PortfolioAssessment:
        """Every capability over a snapshot (no scope check: callers pass an authorised snapshot)."""
        ids = None if book is None else snapshot.clients["client_id"].tolist()
        previous, reviews = self._history(snapshot.as_of, ids)
        statements = statement_warning_frame(self.adapter, snapshot.clients["client_id"].tolist(),
                                             as_of=snapshot.as_of, policy=self.policy.statements)  # fmt: skip
        return assess_book(snapshot, self.policy, scorer=self.scorer, book=book, previous=previous,
                           recorded_reviews=reviews, extra_warnings=statements)  # fmt: skip

    def _whole_book(self, as_of: dt.date) -> BookSnapshot:
        return self.adapter.snapshot(as_of=as_of, include=BOOK_EXPOSURE_FRAMES)

    def _book_for(self, as_of: dt.date, *, fresh: bool = False) -> BookExposure:
        """The whole book's exposure for concentration, cached for `book_ttl_s` seconds per as-of date."""
        version = self.adapter.data_version

        def cached() -> BookExposure | None:
            hit = self._book_cache.get(as_of)
            if hit is not None and hit[2] == version and time.monotonic() - hit[0] < self.book_ttl_s:
                return hit[1]
            return None

        if not fresh and (book := cached()) is not None:
            return book
        with self._book_lock:  # one whole-book read at a time; the others use its result
            if not fresh and (book := cached()) is not None:
                return book
            now = time.monotonic()
            book = self.book_exposure(self._whole_book(as_of))
            self._book_cache = {as_of: (now, book, version)}
        return book

    def book_aggregates(self, as_of: dt.date) -> BookAggregates:
        """The book's concentration denominators at the current data version: from memory, else the stored
        row (any process computed it since the last write), else computed once from the whole book."""
        version = self.adapter.data_version
        key = (as_of, version)
        if (agg := self._agg_cache.get(key)) is not None:
            return agg
        with self._agg_lock:
            if (agg := self._agg_cache.get(key)) is not None:
                return agg
            policy_hash = self.policy.content_hash
            agg = self.aggregates.get(as_of, policy_hash, version) if self.aggregates is not None else None
            if agg is None:
                book = self._book_for(as_of)
                agg = BookAggregates.of(
                    book, hhi=hhi(book), as_of=as_of, data_version=version, policy_hash=policy_hash
                )
                if self.aggregates is not None:
                    self.aggregates.put(agg)
            self._agg_cache = {key: agg}
        return agg

    def seed_aggregates(self, agg: BookAggregates) -> None:
        """Aggregates of the current data version computed elsewhere (patched after a write by
        `BookAggregates.patched`): kept and stored, so no view recomputes them from the whole book."""
        with self._agg_lock:
            if agg.data_version != self.adapter.data_version or agg.policy_hash != self.policy.content_hash:
                return
            self._agg_cache = {(agg.as_of, agg.data_version): agg}
        if self.aggregates is not None:
            self.aggregates.put(agg)

    def slice_exposure(self, snapshot: BookSnapshot, as_of: dt.date) -> BookExposure:
        """A slice's own exposure with the book-wide denominators (tools/engine/aggregates.py): results equal
        the slice's rows of the whole-book computation, without reading the rest of the book."""
        own = self.book_exposure(snapshot)
        return BookExposure(frame=own.frame, base=self.book_aggregates(as_of))

    def _team_exposure(self, officers: frozenset[str], as_of: dt.date) -> BookExposure:
        """The exposure of these officers' clients with the book aggregates, cached until the data changes."""
        key = (officers, as_of, self.adapter.data_version)
        with self._lock:
            hit = self._team_books.get(key)
        if hit is not None:
            return hit
        clients = self.adapter.snapshot(as_of=as_of, include={"clients"}).clients
        ids = sorted(clients.loc[clients["officer_id"].isin(officers), "client_id"].tolist())
        snap = self.adapter.snapshot(as_of=as_of, client_ids=ids, include=BOOK_EXPOSURE_FRAMES)
        book = self.slice_exposure(snap, as_of)
        with self._lock:
            self._team_books = {k: v for k, v in self._team_books.items() if k[2] == key[2]}
            if len(self._team_books) >= PORTFOLIO_CACHE_SIZE * 4:
                self._team_books.pop(next(iter(self._team_books)))
            self._team_books[key] = book
        return book

    def _client_result(
        self, client_id: int, as_of: dt.date, *, fresh: bool = False
    ) -> tuple[PortfolioAssessment, ClientAssessment]:
        """One client's run and assessment, cached until the data changes (the results are read-only).

        `fresh` reads the database again (book included): decisions (raising or approving a request)
        must not rest on a cache that may lag another process's write by the counter's poll interval.
        With a change counter that means reading the counter now: an entry kept at the version it reads
        was computed from that very data, so it is used (a raise right after a what-if of the same client
        does not assess it again); without one the client and the book are read again."""
        counter = getattr(self.adapter, "changes", None)
        if fresh and counter is not None:
            counter.touch()  # the next data_version reads the database: every committed write is seen
            fresh = False
        key = (client_id, as_of, self.adapter.data_version)
        if not fresh and (hit := self._cached(key)) is not None:
            return hit
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        try:
            with computing:  # concurrent requests for one client wait for one computation
                if not fresh and (hit := self._cached(key)) is not None:
                    return hit
                return self._compute(key, client_id, as_of, fresh=fresh)
        finally:
            with self._lock:
                self._computing.pop(key, None)

    def _cached(self, key: ClientKey) -> tuple[PortfolioAssessment, ClientAssessment] | None:
        with self._lock:
            hit = self._client_cache.get(key)
            if hit is not None and time.monotonic() - hit[0] < self.book_ttl_s:
                self._client_cache.move_to_end(key)
                return hit[1], hit[2]
        return None

    def _compute(
        self, key: ClientKey, client_id: int, as_of: dt.date, *, fresh: bool
    ) -> tuple[PortfolioAssessment, ClientAssessment]:
        # (a fresh computation with a change counter read the counter first, see `_client_result`: the
        # aggregates used are those of the current data, stored or recomputed from the book)
        snapshot = self.adapter.snapshot(as_of=as_of, client_ids=[client_id])
        # fresh here: no change counter to check the aggregates against, so the whole book is read
        book = self._book_for(as_of, fresh=True) if fresh else self.slice_exposure(snapshot, as_of)
        pa = self.assess_portfolio(snapshot, book=book)
        assessment = assemble.client_assessment(pa, client_id)
        with self._lock:
            version = key[2]
            if version < self._cache_version:
                return pa, assessment  # computed from older data than the cache holds: do not store
            if version > self._cache_version:
                # the data moved on: entries of older versions are never read again, and each would keep
                # its own whole-book exposure alive — drop them
                self._client_cache.clear()
                self._cache_version = version
            self._client_cache[key] = (time.monotonic(), pa, assessment)
            self._client_cache.move_to_end(key)
            while len(self._client_cache) > CLIENT_CACHE_SIZE:
                self._client_cache.popitem(last=False)
        return pa, assessment

    def _client_run(self, client_id: int, as_of: dt.date, *, fresh: bool = False) -> PortfolioAssessment:
        return self._client_result(client_id, as_of, fresh=fresh)[0]

    # --- per client -------------------------------------------------------------------------
    def assess_client(
        self, actor: Actor, client_id: int, *, as_of: dt.date, fresh: bool = False
    ) -> ClientAssessment:
        get_client_for(actor, self.adapter, client_id)
        return self._client_result(client_id, as_of, fresh=fresh)[1]

    def insurance_status(self, actor: Actor, client_id: int, *, as_of: dt.date) -> InsuranceStatus:
        get_client_for(actor, self.adapter, client_id)
        return assemble.insurance_status(self._client_run(client_id, as_of), client_id)

    def what_if_limit(self, actor: Actor, client_id: int, new_limit: Decimal, *, facility_id: str | None = None,
                      as_of: dt.date, fresh: bool = False) -> WhatIfResult:  # fmt: skip
        """What happens to each concentration share if the client's limit (or one facility's) becomes new_limit."""
        get_client_for(actor, self.adapter, client_id)
        if new_limit < 0:
            raise InvalidInput("the new limit cannot be negative", field="new_limit")
        pa = self._client_run(client_id, as_of, fresh=fresh)
        fa = pa.frames.facilities[pa.frames.facilities["client_id"] == client_id]
        current_total = float(pa.frames.exposure.loc[client_id, "total_limit"])
        if facility_id is not None:
            row = fa[fa["facility_id"] == facility_id]
            if row.empty:
                raise NotFound(f"facility {facility_id} does not belong to client {client_id}")
            rate = float(row["fx_rate"].iat[0])
            current = float(row["limit_rc"].iat[0])
            new_total = current_total - current + float(new_limit) * rate
            current_out = Decimal(str(row["limit_amount"].iat[0]))
        else:
            new_total = float(new_limit)
            current_out = quantize(current_total)
        after = pa.book.with_limit(client_id, new_total)
        before_lines = assemble.client_lines(pa, client_id)
        pa_after = PortfolioAssessment(**{**pa.__dict__, "book": after})
        after_lines = assemble.client_lines(pa_after, client_id)
        rec = pa.limits.loc[client_id, "recommended"]
        recommended = None if np.isnan(rec) else quantize(rec)
        group = str(after.frame.loc[client_id, "group"])
        group_after = float(after.bucket_sums("group").get(group, 0.0))
        breaches = [ln for ln in after_lines if ln.level == "red"]
        coded: list[Msg] = []
        ccy = pa.snapshot.reporting_currency
        for b, a in zip(before_lines, after_lines, strict=True):
            if a.level != "green" or b.level != a.level:
                shares = {"before": b.share, "after": a.share, "limit": a.limit_share, "level": a.level}
                if a.dimension in NAME_LEVEL:  # a group or the client itself: by its name
                    name = assemble.name_of(pa, client_id, a.dimension, a.bucket)
                    coded.append(Msg(key="engine.what_if.line_named", params={"dimension": a.dimension,
                                                                              "name": name, **shares}))  # fmt: skip
                else:
                    coded.append(Msg(key="engine.what_if.line", params={"dimension": a.dimension,
                                                                        "bucket": a.bucket, **shares}))  # fmt: skip
        within = recommended is not None and new_total <= float(recommended) + 0.005
        if recommended is None:
            coded.append(Msg(key="engine.what_if.no_recommendation"))
        elif not within:
            coded.append(Msg(key="engine.what_if.above", params={
                "ccy": ccy, "total": new_total, "recommended": float(recommended),
                "constraint": str(pa.limits.loc[client_id, "binding"])}))  # fmt: skip
        msgs = [render(m, "en") for m in coded]
        return WhatIfResult(
            client_id=client_id, facility_id=facility_id, as_of=as_of, policy_version=self.policy.version,
            policy_hash=self.policy.content_hash,
            current_limit=current_out, new_limit=quantize(new_limit), recommended=recommended,
            binding=pa.limits.loc[client_id, "binding"] if recommended is not None else None,
            within_recommendation=within, group_exposure_after=quantize(group_after),
            lines=list(zip(before_lines, after_lines, strict=True)), breaches_after=breaches, messages=msgs,
            message_msgs=coded,
        )  # fmt: skip

    # --- portfolio views --------------------------------------------------------------------------
    def review_book(self, *, as_of: dt.date, officer_ids: set[str] | None = None,
                    chunk_clients: int = CHUNK_CLIENTS) -> PortfolioAssessment:  # fmt: skip
        """The whole book (or these officers' clients) read and assessed in client chunks (no scope check:
        the review run's caller is the shell). Same results as one `assess_portfolio` over the book."""
        reads = review_reads(as_of, self.policy)  # only the history rows and columns the engine uses
        with self.adapter.snapshot_reader(as_of=as_of, reads=reads) as reader:  # one read (SQLite: a process)
            whole = reader.snapshot(include=BOOK_EXPOSURE_FRAMES)
            book = self.book_exposure(whole)
            # in `book` now; `.copy()` so the empty frames do not keep the full ones alive (copy-on-write views)
            whole.facilities, whole.covers = whole.facilities.iloc[:0].copy(), whole.covers.iloc[:0].copy()
            c = whole.clients
            ids = (
                c["client_id"]
                if officer_ids is None
                else c.loc[c["officer_id"].isin(officer_ids), "client_id"]
            )

            def chunk(chunk_ids: list[int]) -> PortfolioAssessment:
                return self.assess_portfolio(reader.snapshot(client_ids=chunk_ids), book=book)

            # sorted, so each chunk is a contiguous id range (the snapshot reads it by range)
            return assess_in_chunks(whole, book, sorted(ids.tolist()), chunk, chunk_clients=chunk_clients,
                                    prefetch=reader.prefetch)  # fmt: skip

    def scoped_snapshot(self, actor: Actor, *, as_of: dt.date) -> tuple[BookSnapshot, BookExposure | None]:
        """The actor's slice of the book (and the whole book's exposure when it is a slice)."""
        officers = scope_officer_ids(actor, self.adapter)
        if officers is None:
            return self.adapter.snapshot(as_of=as_of), None
        # only the actor's clients are read (their ids from the clients table), with the book-level
        # aggregates for the concentration denominators
        clients = self.adapter.snapshot(as_of=as_of, include={"clients"}).clients
        ids = sorted(clients.loc[clients["officer_id"].isin(officers), "client_id"].tolist())
        snap = self.adapter.snapshot(as_of=as_of, client_ids=ids)
        return snap, self.slice_exposure(snap, as_of)

    def portfolio_for(self, actor: Actor, *, as_of: dt.date) -> PortfolioAssessment:
        """The actor's portfolio run, cached per (scope, as-of) until the data changes (read-only, like the
        per-client results): the watch-list, reviews due and the other portfolio views of a conversation
        or a page reuse one run."""
        officers = scope_officer_ids(actor, self.adapter)
        key = (None if officers is None else frozenset(officers), as_of, self.adapter.data_version)
        with self._lock:
            hit = self._portfolio_cache.get(key)
            if hit is not None and time.monotonic() - hit[0] < self.book_ttl_s:
                self._portfolio_cache.move_to_end(key)
                return hit[1]
            computing = self._computing_portfolio.setdefault(key, threading.Lock())
        try:
            with computing:
                with self._lock:
                    hit = self._portfolio_cache.get(key)
                if hit is not None and time.monotonic() - hit[0] < self.book_ttl_s:
                    return hit[1]
                snap, book = self.scoped_snapshot(actor, as_of=as_of)
                pa = self.assess_portfolio(snap, book=book)
                with self._lock:
                    stale = [k for k in self._portfolio_cache if k[2] < key[2]]
                    for k in stale:  # older data versions are never read again
                        del self._portfolio_cache[k]
                    self._portfolio_cache[key] = (time.monotonic(), pa)
                    while len(self._portfolio_cache) > PORTFOLIO_CACHE_SIZE:
                        self._portfolio_cache.popitem(last=False)
                return pa
        finally:
            with self._lock:
                self._computing_portfolio.pop(key, None)

    def watchlist(self, actor: Actor, *, as_of: dt.date, limit: int = 50,
                  pa: PortfolioAssessment | None = None) -> list[WatchItem]:  # fmt: skip
        pa = pa or self.portfolio_for(actor, as_of=as_of)
        return watchlist_of(pa, limit=limit)

    def reviews_due(self, actor: Actor, *, as_of: dt.date, horizon_days: int = 30,
                    pa: PortfolioAssessment | None = None) -> list[ReviewDue]:  # fmt: skip
        pa = pa or self.portfolio_for(actor, as_of=as_of)
        return reviews_due_of(pa, horizon_days=horizon_days)

    def contacts_due(self, actor: Actor, *, as_of: dt.date, horizon_days: int = 14,
                     pa: PortfolioAssessment | None = None) -> list[ContactDue]:  # fmt: skip
        pa = pa or self.portfolio_for(actor, as_of=as_of)
        return contacts_due_of(pa, as_of=as_of, horizon_days=horizon_days)

    def concentration_report(self, actor: Actor, *, as_of: dt.date) -> ConcentrationReport:
        """Sector shares are book-wide (every actor sees them); single-name and group lines only for the
        clients the actor may see: for a team, its own clients' exposure and the book-level aggregates (the
        same lines as the whole book's filtered to what the team may see, without reading the rest)."""
        officers = scope_officer_ids(actor, self.adapter)
        book = self._book_for(as_of) if officers is None else self._team_exposure(frozenset(officers), as_of)
        lines = concentration_lines(book, self.policy)
        lines = lines[
            lines["dimension"].isin(["industry", "region", "size_segment"]) | (lines["level"] != "green")
        ]
        models = assemble.line_models(lines.sort_values(["dimension", "share"], ascending=[True, False]))
        return ConcentrationReport(
            as_of=as_of, policy_version=self.policy.version, policy_hash=self.policy.content_hash,
            total_limits=quantize(book.total),
            capital_base=self.policy.capital_base, hhi={k: round(v, 6) for k, v in hhi(book).items()},
            lines=models, breaches=[m for m in models if m.level == "red"],
        )  # fmt: skip

    def summary(self, pa: PortfolioAssessment) -> PortfolioSummary:
        return summary_of(pa)


# --- views over a PortfolioAssessment (vectorised selection, then typed rows) -----------------------


def _warning_models(pa: PortfolioAssessment, ids: list[int]) -> dict[int, list[EarlyWarning]]:
    w = ews.with_messages(pa.warnings[pa.warnings["client_id"].isin(ids)])
    out: dict[int, list[EarlyWarning]] = {i: [] for i in ids}
    for x in w.itertuples():
        out[int(x.client_id)].append(
            EarlyWarning(
                indicator=x.indicator,
                level=x.level,
                value=assemble.num(x.value),
                threshold=assemble.num(x.threshold),
                date=assemble.day(x.date),
                message=x.message,
                msg=x.msg if isinstance(x.msg, dict) else None,  # i18n: the message's code + params
            )  # fmt: skip
        )
    return out


def watchlist_of(
    pa: PortfolioAssessment, *, limit: int = 50, t: pd.DataFrame | None = None
) -> list[WatchItem]:
    """`t`: the run's `table()` when the caller has it already (it is built anew per call)."""
    t = watch_rows(pa.table() if t is None else t, limit=limit)
    ws = _warning_models(pa, t.index.tolist())
    return [
        WatchItem(
            client_id=int(i),
            name=r.name,
            officer_id=r.officer_id,
            grade=int(r.grade),
            ews_level=r.ews_level,
            exposure=quantize(r.total_limit),
            warnings=ws[int(i)],
        )  # fmt: skip
        for i, r in zip(t.index, t.itertuples(), strict=True)
    ]


def reviews_due_of(
    pa: PortfolioAssessment, *, horizon_days: int = 30, t: pd.DataFrame | None = None
) -> list[ReviewDue]:
    """`t`: the run's `table()` when the caller has it already (it is built anew per call)."""
    t = review_rows(pa.table() if t is None else t, as_of=pa.as_of, horizon_days=horizon_days)
    return [
        ReviewDue(
            client_id=int(i),
            name=r.name,
            officer_id=r.officer_id,
            grade=int(r.grade),
            exposure=quantize(r.total_limit),
            next_due=assemble.day(r.next_review),
            overdue=bool(r.review_overdue),
            days_overdue=int(pa.review.loc[i, "review_days_overdue"]),
            priority=round(float(r.priority), 2),
            ews_level=r.ews_level,
        )  # fmt: skip
        for i, r in zip(t.index, t.itertuples(), strict=True)
    ]


def contacts_due_of(
    pa: PortfolioAssessment, *, as_of: dt.date, horizon_days: int = 14, t: pd.DataFrame | None = None
) -> list[ContactDue]:
    """`t`: the run's `table()` when the caller has it already (it is built anew per call)."""
    due = contact_rows(pa.table() if t is None else t, as_of=as_of, horizon_days=horizon_days)
    return [
        ContactDue(
            client_id=int(i),
            name=r.name,
            officer_id=r.officer_id,
            grade=int(r.grade),
            last_contact=assemble.day(pa.contact.loc[i, "last_contact"]),
            next_due=assemble.day(r.next_contact),
            overdue=bool(r.contact_overdue),
            days_overdue=int(pa.contact.loc[i, "contact_days_overdue"]),
            ews_level=r.ews_level,
        )  # fmt: skip
        for i, r in zip(due.index, due.itertuples(), strict=True)
    ]


# the table columns `summary_of` reads (a dashboard kept across writes keeps only these: tools/dashboard)
SUMMARY_COLUMNS = ("total_limit", "outstanding", "el", "grade", "ews_level", "action", "review_overdue",
                   "next_review")  # fmt: skip
RED = frozenset({"red"})


def summary_of(pa: PortfolioAssessment) -> PortfolioSummary:
    t = pa.table()
    # a slice: its own names only; the breaches are the red lines, the only ones built (at 1M clients the
    # others are ~1M single-name lines, whose temporaries used to peak with the table: #20, peak RSS)
    lines = only_visible(concentration_lines(pa.book, pa.policy, levels=RED), pa.book, t.index)
    breaches = assemble.line_models(lines[lines["level"] == "red"])
    horizon = pd.Timestamp(pa.as_of) + pd.Timedelta(days=pa.policy.review.due_horizon_days)
    return PortfolioSummary(
        as_of=pa.as_of, policy_version=pa.policy_version, policy_hash=pa.policy.content_hash, model_id=pa.model_id,
        clients=len(t),
        total_limit=quantize(t["total_limit"].sum()), outstanding=quantize(t["outstanding"].sum()),
        expected_loss=quantize(t["el"].sum()),
        grade_distribution={int(k): int(v) for k, v in t["grade"].value_counts().sort_index().items()},
        ews_counts={k: int((t["ews_level"] == k).sum()) for k in ("green", "amber", "red")},
        proposals={k: int((t["action"] == k).sum()) for k in ("increase", "maintain", "decrease", "freeze")},
        reviews_overdue=int(t["review_overdue"].sum()),
        reviews_due=int(((t["next_review"] <= horizon) & ~t["review_overdue"]).sum()),
        concentration_breaches=breaches,
    )  # fmt: skip
