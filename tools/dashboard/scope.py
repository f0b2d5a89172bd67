"""One officer's dashboard at one data version, computed from the scope's portfolio run (`computed`) or
patched from the previous version's after writes that name their clients (`patched`).

What a dashboard keeps to be patched (`DashboardScope`): the table columns the summary reads, the scope's
exposure, the book's aggregates, the concentration screen (tools/engine/incremental.py) and each list's
items in order with their sort keys (tools/engine/lists.py). A patch re-assesses the written clients and the
few whose concentration figures the writes can have moved, replaces their rows in those (same index: no
concatenation, no re-sort of the book), moves their list items by bisection and recomputes the summary from
the kept columns; the book aggregates are patched by the difference. The result equals a recomputation
(tests/api/test_dashboard_incremental.py compares them after each kind of write).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crm_adapter.protocol import CRMAdapter
from tools.access import scope_officer_ids
from tools.actor import Actor
from tools.dashboard.models import Dashboard
from tools.engine import incremental
from tools.engine.aggregates import BookAggregates, patched_book, prepare_patch
from tools.engine.concentration import BookExposure, hhi
from tools.engine.incremental import Drift
from tools.engine.lists import (
    Key,
    OrderedRows,
    contact_selection,
    key_tuples,
    review_selection,
    watch_selection,
)
from tools.engine.results import ContactDue, ReviewDue, WatchItem
from tools.engine.review_runs import ReviewRunStore
from tools.engine.service import (
    BOOK_EXPOSURE_FRAMES,
    SUMMARY_COLUMNS,
    CreditEngine,
    contacts_due_of,
    reviews_due_of,
    summary_of,
    watchlist_of,
)
from tools.policy.schema import Policy

REVIEW_HORIZON_DAYS, CONTACT_HORIZON_DAYS = 30, 14
MAX_INCREMENTAL = 2_000  # more clients to re-assess than this after a write: recompute the whole scope
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DashboardScope:
    """What a dashboard was built from, kept so the next write patches it instead of recomputing it (its
    lists are patched in place: one scope per cache entry, given up to the patch)."""

    version: int
    data: Dashboard
    officers: frozenset[str] | None  # None: the whole book
    table: pd.DataFrame  # the scope's portfolio table, `SUMMARY_COLUMNS` only, by client id ascending
    book: BookExposure  # the scope's exposure (the whole book's, or the scope's with the book aggregates)
    agg: BookAggregates
    screen: pd.DataFrame
    drift: Drift
    model_id: str
    watch: OrderedRows[WatchItem] | None  # None: not patchable (the lists' order could not be keyed)
    reviews: OrderedRows[ReviewDue] | None
    contacts: OrderedRows[ContactDue] | None


@dataclass
class _Lists:
    watch: dict[int, Key]
    reviews: dict[int, Key]
    contacts: dict[int, Key]


def _keys(t: pd.DataFrame, *, as_of: dt.date) -> _Lists:
    """Each list's rows of the table with their sort keys."""
    w = key_tuples(*watch_selection(t))
    r = key_tuples(*review_selection(t, as_of=as_of, horizon_days=REVIEW_HORIZON_DAYS))
    c = key_tuples(*contact_selection(t, as_of=as_of, horizon_days=CONTACT_HORIZON_DAYS))
    return _Lists(watch=w, reviews=r, contacts=c)


def computed(engine: CreditEngine, adapter: CRMAdapter, runs: ReviewRunStore, actor: Actor, *, as_of: dt.date,
             version: int) -> DashboardScope:  # fmt: skip
    """The dashboard from the scope's portfolio run (the whole scope assessed)."""
    officers = scope_officer_ids(actor, adapter)
    pa = engine.portfolio_for(actor, as_of=as_of)
    t = pa.table()
    ids = [int(i) for i in t.index]
    previous = runs.previous_grades(before=as_of, client_ids=ids)
    watch = engine.watchlist(actor, as_of=as_of, pa=pa, limit=max(_watch_total(t), 1))
    reviews = engine.reviews_due(actor, as_of=as_of, pa=pa, horizon_days=REVIEW_HORIZON_DAYS)
    contacts = engine.contacts_due(actor, as_of=as_of, pa=pa, horizon_days=CONTACT_HORIZON_DAYS)
    data = _assemble(
        actor, pa, as_of=as_of, currency=pa.snapshot.reporting_currency,
        previous_run=previous["run_date"].max().date() if len(previous) else None,
        previous_dist={int(k): int(v) for k, v in previous["grade"].value_counts().sort_index().items()}
        if len(previous) else None,
        watch=watch, reviews=reviews, contacts=contacts, watch_total=_watch_total(t),
    )  # fmt: skip
    book = pa.book
    agg = book.base or BookAggregates.of(book, hhi=hhi(book), as_of=as_of, data_version=version,
                                         policy_hash=engine.policy.content_hash)  # fmt: skip
    lists = _ordered(t, as_of=as_of, watch=watch, reviews=reviews, contacts=contacts)
    screen = incremental.screen(pa, Drift())
    if officers is None:
        prepare_patch(book)
    for idx in (t.index, screen.index, book.frame.index):  # the rows a patch looks up (shared by patches)
        idx.get_indexer(idx[:1])
    return DashboardScope(
        version=version, data=data, officers=None if officers is None else frozenset(officers),
        table=t[list(SUMMARY_COLUMNS)], book=book, agg=agg, screen=screen, drift=Drift(),
        model_id=pa.model_id, watch=lists[0], reviews=lists[1], contacts=lists[2],
    )  # fmt: skip


def _ordered(t: pd.DataFrame, *, as_of: dt.date, watch: list[WatchItem], reviews: list[ReviewDue],
             contacts: list[ContactDue]) -> tuple[Any, Any, Any]:  # fmt: skip
    """The lists with their keys; (None, None, None) when the keys do not give the lists' order (a table not
    in client-id order: the ties would not be broken as the table's order breaks them)."""
    if not t.index.is_monotonic_increasing or not t.index.is_unique:
        return None, None, None
    keys = _keys(t, as_of=as_of)
    out = []
    for k, items in ((keys.watch, watch), (keys.reviews, reviews), (keys.contacts, contacts)):
        rows = OrderedRows.of(k, items) if len(k) == len(items) else None
        if rows is None or rows.ids() != [x.client_id for x in items]:
            log.warning("dashboard lists not in key order; the next write recomputes")
            return None, None, None
        out.append(rows)
    return out[0], out[1], out[2]


def _watch_total(t: pd.DataFrame) -> int:
    return int((t["ews_level"] != "green").sum())


def _assemble(actor: Actor, pa: Any, *, as_of: dt.date, currency: str, previous_run: dt.date | None,
              previous_dist: dict[int, int] | None, watch: list[WatchItem], reviews: list[ReviewDue],
              contacts: list[ContactDue], watch_total: int) -> Dashboard:  # fmt: skip
    summary = summary_of(pa)
    return Dashboard.model_construct(  # every part is a validated model already (a patch keeps tens of thousands)
        officer_id=actor.officer_id, as_of=as_of, currency=currency, summary=summary,
        previous_run=previous_run, previous_grade_distribution=previous_dist, reviews=reviews,
        watchlist=watch, watchlist_total=watch_total, contacts=contacts,
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


def replace_rows(df: pd.DataFrame, pos: np.ndarray, new: pd.DataFrame) -> pd.DataFrame:
    """`df` with the rows at positions `pos` replaced by `new`'s rows (same columns, in `pos` order); the
    index and the dtypes are kept. The cost is a copy of each column, not a concatenation and a sort."""
    out: dict[str, Any] = {}
    for col in df.columns:
        s, v = df[col], new[col]
        if _same(s.iloc[pos].to_numpy(), v.to_numpy()):
            out[col] = s  # unchanged at those rows (e.g. a client's buckets): shared, not copied
        elif isinstance(s.dtype, np.dtype) and s.dtype == v.dtype:
            a = s.to_numpy(copy=True)
            a[pos] = v.to_numpy()
            out[col] = a
        else:  # strings, categories, or another dtype coming back: pandas keeps the column's dtype
            s = s.copy()
            s.iloc[pos] = v.to_numpy()
            out[col] = s
    return pd.DataFrame(out, index=df.index, columns=df.columns, copy=False)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """The same values (NaN equal to NaN) and of the same kind."""
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind in "fcmM":
        return bool(np.array_equal(a, b, equal_nan=True))
    if a.dtype.kind != "O":
        return bool((a == b).all())
    return all(x is y or (type(x) is type(y) and bool(x == y)) for x, y in zip(a, b, strict=True))


def patched(engine: CreditEngine, adapter: CRMAdapter, actor: Actor, old: DashboardScope, version: int, *,
            as_of: dt.date) -> DashboardScope | None:  # fmt: skip
    """The dashboard at `version` from the one at `old.version`, re-assessing only the clients the writes in
    between changed and those whose results they can have moved; None when that is not known (a write not
    scoped to clients, a client that moved bucket or joined or left the book, too many clients).

    `old` is given up: its lists are patched in place and become the new dashboard's (its `data`, handed
    out already, holds copies and stays as it was). After None or an error it must not be used again."""
    counter = getattr(adapter, "changes", None)
    if counter is None or engine.policy.content_hash != old.agg.policy_hash or old.watch is None:
        return None
    if old.reviews is None or old.contacts is None:
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
    # every client re-assessed is a row of the table, the screen and (when written) the exposure frame
    pos, spos = old.table.index.get_indexer(redo), old.screen.index.get_indexer(redo)
    fpos = old.book.frame.index.get_indexer(in_scope)
    if (pos < 0).any() or (spos < 0).any() or (fpos < 0).any():
        return None
    table, screen, frame = old.table, old.screen, old.book.frame
    watch, reviews, contacts = old.watch, old.reviews, old.contacts
    if redo:
        snap_redo = adapter.snapshot(as_of=as_of, client_ids=redo)
        part = engine.assess_portfolio(snap_redo, book=engine.slice_exposure(snap_redo, as_of))
        pt = part.table().loc[redo]
        table = replace_rows(table, pos, pt[list(SUMMARY_COLUMNS)])
        screen = replace_rows(screen, spos, incremental.screen(part, drift).loc[redo])
        keys = _keys(pt, as_of=as_of)
        w = {x.client_id: x for x in watchlist_of(part, limit=len(redo), t=pt)}
        r = {x.client_id: x for x in reviews_due_of(part, horizon_days=REVIEW_HORIZON_DAYS, t=pt)}
        c = {
            x.client_id: x
            for x in contacts_due_of(part, as_of=as_of, horizon_days=CONTACT_HORIZON_DAYS, t=pt)
        }
        # in place: `old` is the caller's to give up (tools/dashboard/cache.py takes it out of the cache)
        watch.replace(redo, {i: (k, w[i]) for i, k in keys.watch.items()})
        reviews.replace(redo, {i: (k, r[i]) for i, k in keys.reviews.items()})
        contacts.replace(redo, {i: (k, c[i]) for i, k in keys.contacts.items()})
    if len(fpos):
        frame = replace_rows(frame, fpos, new_rows.loc[in_scope])
    book = (
        patched_book(old.book, frame, agg, ids)
        if old.officers is None
        else BookExposure(frame=frame, base=agg)
    )
    run = _PatchedRun(policy=engine.policy, model_id=old.model_id, book=book, t=table, as_of=as_of)
    data = _assemble(actor, run, as_of=as_of, currency=old.data.currency, previous_run=old.data.previous_run,
                     previous_dist=old.data.previous_grade_distribution, watch=list(watch.items),
                     reviews=list(reviews.items), contacts=list(contacts.items),
                     watch_total=len(watch.items))  # fmt: skip
    return DashboardScope(version=version, data=data, officers=old.officers, table=table, book=book, agg=agg,
                          screen=screen, drift=drift, model_id=old.model_id, watch=watch, reviews=reviews,
                          contacts=contacts)  # fmt: skip


__all__ = ["CONTACT_HORIZON_DAYS", "MAX_INCREMENTAL", "REVIEW_HORIZON_DAYS", "DashboardScope", "computed",
           "patched", "replace_rows"]  # fmt: skip
