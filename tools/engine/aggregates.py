"""Book-level aggregates: what one officer's clients need from the rest of the book, without reading it.

Concentration is the only place a client's result depends on other clients: its shares and headroom
divide by the book's total limits and by the totals of its industry, region, size segment and group.
`BookAggregates` holds exactly those denominators (and the book's HHI per dimension), computed by the same
code over the whole book (`BookExposure.build` → `bucket_sums`, `total`, `hhi`), so a result computed from
a slice plus the aggregates equals the whole-book computation bit for bit.

They are stored in `book_aggregates`, one row per (as-of date, policy), stamped with the database's change
counter (`crm_adapter/sql/changes.py`): a process reading the book uses the stored row while the counter has
not moved and recomputes it (one read of the clients, facilities, covers and fx tables, no history) once
per change for every process. A database not yet migrated to the table just recomputes in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Text, delete
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Field, Session, SQLModel

from tools.engine.concentration import BookExposure

log = logging.getLogger(__name__)

# The dimensions whose bucket totals are shared by many clients (single names are each client's own).
SHARED_DIMENSIONS = ("industry", "region", "size_segment", "group")
FORMAT = 1


class BookAggregatesRow(SQLModel, table=True):
    __tablename__ = "book_aggregates"

    as_of: dt.date = Field(primary_key=True)
    policy_hash: str = Field(primary_key=True, max_length=64)
    data_version: int
    created_at: dt.datetime
    clients: int
    payload: str = Field(sa_type=Text, description="JSON: total, bucket totals per dimension, HHI")


@dataclass(frozen=True)
class BookAggregates:
    """The whole book's concentration denominators at one data version."""

    as_of: dt.date
    data_version: int
    policy_hash: str
    clients: int
    total: float
    sums: dict[str, pd.Series]  # dimension -> total limits per bucket (groups: real groups only)
    hhi: dict[str, float]

    @classmethod
    def of(cls, book: object, *, hhi: dict[str, float], as_of: dt.date, data_version: int,
           policy_hash: str) -> BookAggregates:  # fmt: skip
        """From a whole-book `BookExposure` and its `concentration.hhi` (the reference computation)."""
        sums = {}
        for dim in SHARED_DIMENSIONS:
            s = book.bucket_sums(dim)  # type: ignore[attr-defined]
            if dim == "group":  # a client without a group is its own group: its total is its own limit
                s = s[~s.index.astype(str).str.startswith("client:")]
            sums[dim] = s
        return cls(as_of=as_of, data_version=data_version, policy_hash=policy_hash,
                   clients=len(book.frame), total=book.total, sums=sums, hhi=dict(hhi))  # type: ignore[attr-defined]  # fmt: skip

    # --- storage (JSON: floats round-trip exactly through repr) --------------------------------------
    def to_json(self) -> str:
        return json.dumps({
            "format": FORMAT, "total": self.total, "hhi": self.hhi,
            "sums": {d: [[str(k) for k in s.index], [float(v) for v in s.to_numpy()]] for d, s in self.sums.items()},
        })  # fmt: skip

    @classmethod
    def from_row(cls, row: BookAggregatesRow) -> BookAggregates | None:
        data = json.loads(row.payload)
        if data.get("format") != FORMAT:
            return None
        sums = {}
        for d, (keys, values) in data["sums"].items():
            s = pd.Series(
                values, index=pd.Index(keys, dtype="str", name=d), dtype="float64", name="total_limit"
            )
            sums[d] = s
        return cls(as_of=row.as_of, data_version=row.data_version, policy_hash=row.policy_hash,
                   clients=row.clients, total=float(data["total"]), sums=sums,
                   hhi={k: float(v) for k, v in data["hhi"].items()})  # fmt: skip

    def with_change(self, buckets: dict[str, str], delta: float) -> BookAggregates:
        """The aggregates after one client's total limit moved by `delta` (its buckets per dimension):
        the what-if. HHI is updated from the changed bucket only (single names: not shown in a what-if)."""
        total = self.total + delta
        sums, out_hhi = {}, dict(self.hhi)
        for dim, s in self.sums.items():
            b = buckets.get(dim)
            if b is not None and b in s.index:
                old = float(s.loc[b])
                s = s.copy()
                s.loc[b] = old + delta
                if self.total > 0 and total > 0:
                    sq = self.hhi.get(dim, 0.0) * self.total**2 - old**2 + (old + delta) ** 2
                    out_hhi[dim] = sq / total**2
            sums[dim] = s
        return BookAggregates(as_of=self.as_of, data_version=self.data_version, policy_hash=self.policy_hash,
                              clients=self.clients, total=total, sums=sums, hhi=out_hhi)  # fmt: skip

    def patched(self, old: pd.DataFrame, new: pd.DataFrame, *, data_version: int) -> BookAggregates | None:
        """The aggregates after some clients' exposure rows changed from `old` to `new` (`BookExposure.frame`
        rows: total_limit and the buckets; a client may be in one and not the other), by the difference: the
        cost is the changed clients', not the book's. None when a bucket could have lost its last client (a
        client moved bucket, left or joined the book): the caller recomputes from the book.

        Sums are patched by adding differences, so a figure may differ from a recomputation over the whole
        book in the last bits of the float (a relative 1e-15); the HHI likewise."""
        if not old.index.equals(new.index) or not old.index.is_unique:
            return None
        for dim in SHARED_DIMENSIONS:
            if not (old[dim].astype(str).to_numpy() == new[dim].astype(str).to_numpy()).all():
                return None
        o = old["total_limit"].to_numpy(dtype="float64")
        n = new["total_limit"].to_numpy(dtype="float64")
        delta = n - o
        total = self.total + float(delta.sum())
        sums: dict[str, pd.Series] = {}
        sq = {d: v * self.total**2 for d, v in self.hhi.items()}
        for dim, s in self.sums.items():
            by: dict[str, float] = {}
            for key, d in zip(new[dim].astype(str).tolist(), delta.tolist(), strict=True):
                if dim == "group" and key.startswith("client:"):
                    continue  # a client without a group is its own group: its own limit (below)
                by[key] = by.get(key, 0.0) + d
            pos = s.index.get_indexer(list(by))
            if (pos < 0).any():
                return None
            values = s.to_numpy(dtype="float64").copy()
            before = values[pos]
            after = before + np.fromiter(by.values(), dtype="float64", count=len(by))
            values[pos] = after
            sums[dim] = pd.Series(values, index=s.index, name=s.name)
            if dim in sq:
                sq[dim] += float((after**2).sum() - (before**2).sum())
        if "group" in sq:  # clients without a group: each is its own bucket
            single = new["group"].astype(str).str.startswith("client:").to_numpy()
            sq["group"] += float((n[single] ** 2).sum() - (o[single] ** 2).sum())
        if "single_name" in sq:  # each client is its own bucket
            sq["single_name"] += float((n**2).sum() - (o**2).sum())
        hhi = {d: (v / total**2 if total > 0 else 0.0) for d, v in sq.items()}
        return BookAggregates(as_of=self.as_of, data_version=data_version, policy_hash=self.policy_hash,
                              clients=self.clients, total=total, sums=sums, hhi=hhi)  # fmt: skip

    def largest_move(self, other: BookAggregates) -> float:
        """The largest change of any shared denominator between two versions of the aggregates: the book's
        total or one bucket's total (tools/engine/incremental.py bounds what other clients may see move)."""
        move = abs(other.total - self.total)
        for dim, s in self.sums.items():
            o = other.sums.get(dim)
            if o is None:
                return float("inf")
            if s.index.equals(o.index):  # patched: the same buckets
                diff = np.abs(o.to_numpy(dtype="float64") - s.to_numpy(dtype="float64"))
            else:
                both = s.index.union(o.index)
                diff = (o.reindex(both).fillna(0.0) - s.reindex(both).fillna(0.0)).abs().to_numpy()
            if len(diff):
                move = max(move, float(diff.max()))
        return move


def patched_book(
    old: BookExposure, frame: pd.DataFrame, agg: BookAggregates, changed: list[int]
) -> BookExposure:
    """The whole book's exposure after `changed` clients' rows were replaced in `frame`, with the bucket
    totals taken from the patched aggregates and the old book's single-name totals (each client's own limit,
    replaced exactly for the changed clients) instead of grouping the whole book again."""
    book = BookExposure(frame=frame)
    names = old._memo.get(("sums", "single_name"))
    if isinstance(names, pd.Series):
        at = names.index.get_indexer([str(i) for i in changed])  # the index (and its hash table) is shared
        if (at >= 0).all():
            values = names.to_numpy(dtype="float64", copy=True)
            values[at] = frame["total_limit"].reindex(changed).to_numpy(dtype="float64")
            book._memo[("sums", "single_name")] = pd.Series(values, index=names.index, name=names.name)
    for dim in ("industry", "region", "size_segment"):
        book._memo[("sums", dim)] = agg.sums[dim]
    groups = _patched_groups(old._memo.get(("sums", "group")), frame, agg, changed)
    if groups is None:  # the real groups at their patched totals and each client without a group at its own
        names_ = frame["group"].astype(str)
        single = names_.str.startswith("client:").to_numpy()
        own = pd.Series(
            frame["total_limit"].to_numpy(dtype="float64")[single], index=names_.to_numpy()[single]
        )
        groups = pd.concat([agg.sums["group"], own]).sort_index()
    book._memo[("sums", "group")] = groups
    book._memo["total"] = agg.total
    return book


def prepare_patch(book: BookExposure) -> None:
    """Build, once with the whole-book computation, the hash tables of the bucket indexes `patched_book`
    looks the written clients up in (100k single names and ~90k groups: ~65 ms that the first patch after
    a write would otherwise pay; later patches share the index)."""
    for dim in ("single_name", "group"):
        sums = book._memo.get(("sums", dim))
        if isinstance(sums, pd.Series) and len(sums):
            sums.index.get_indexer(sums.index[:1])


def _patched_groups(
    old: object, frame: pd.DataFrame, agg: BookAggregates, changed: list[int]
) -> pd.Series | None:
    """The old book's group totals with the real groups' totals from the patched aggregates and the changed
    clients without a group at their own limit: the same buckets (no client changed bucket), the same
    figures as grouping the book again, without sorting 100k bucket names. None: not known (recompute)."""
    if not isinstance(old, pd.Series):
        return None
    named = agg.sums["group"]
    own = frame["group"].reindex(changed).astype(str)
    single = own.str.startswith("client:").to_numpy()
    at_named = old.index.get_indexer(named.index)
    at_own = old.index.get_indexer(own.to_numpy()[single])
    if (at_named < 0).any() or (at_own < 0).any():
        return None
    values = old.to_numpy(dtype="float64", copy=True)
    values[at_named] = named.to_numpy(dtype="float64")
    values[at_own] = frame["total_limit"].reindex(changed).to_numpy(dtype="float64")[single]
    return pd.Series(values, index=old.index, name=old.name)


class AggregateStore:
    """Stored aggregates per (as-of, policy), valid while the change counter equals their stamp."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._missing = False  # the table is not there (database not migrated): memory only

    def get(self, as_of: dt.date, policy_hash: str, data_version: int) -> BookAggregates | None:
        if self._missing:
            return None
        try:
            with Session(self.engine) as s:
                row = s.get(BookAggregatesRow, (as_of, policy_hash))
        except (OperationalError, ProgrammingError):
            self._missing = True
            log.info("book_aggregates table missing (run creditdesk init): aggregates kept in memory only")
            return None
        if row is None or row.data_version != data_version:
            return None
        return BookAggregates.from_row(row)

    def put(self, agg: BookAggregates) -> None:
        if self._missing:
            return
        row = BookAggregatesRow(as_of=agg.as_of, policy_hash=agg.policy_hash, data_version=agg.data_version,
                                created_at=dt.datetime.now(dt.UTC), clients=agg.clients,
                                payload=agg.to_json())  # fmt: skip
        try:
            with Session(self.engine) as s:
                # one row per (as-of, policy); rows of older data versions are never read again
                s.exec(delete(BookAggregatesRow).where(BookAggregatesRow.data_version < agg.data_version))  # type: ignore[call-overload]
                s.merge(row)
                s.commit()
        except (OperationalError, ProgrammingError):
            self._missing = True
        except Exception:  # a concurrent writer stored the same figures; nothing is lost
            log.debug("book aggregates not stored", exc_info=True)


__all__ = ["AggregateStore", "BookAggregates", "BookAggregatesRow", "patched_book", "prepare_patch"]
