"""Concentration (S10): shares and HHI of total limits by industry, region, size segment, group and
single name against the policy's limits; headroom per client; what-if for a new limit.

Headroom solves the share limit exactly: with S_o the bucket's limits without the client and T_o the
book's, a client limit x keeps (S_o + x) / (T_o + x) ≤ s when x ≤ (s·T_o − S_o) / (1 − s); against
capital C, x ≤ s_c·C − S_o.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np
import pandas as pd

from tools.engine.frames import id_strings
from tools.engine.segments import Segments
from tools.policy.schema import Policy, ShareLimit


class BookBase(Protocol):
    """The book-wide denominators a slice is measured against (`tools.engine.aggregates.BookAggregates`, which
    builds itself from a whole-book `BookExposure`: this module does not import it)."""

    @property
    def total(self) -> float: ...
    @property
    def sums(self) -> dict[str, pd.Series]: ...
    @property
    def hhi(self) -> dict[str, float]: ...
    def with_change(self, buckets: dict[str, str], delta: float) -> BookBase: ...


DIMENSIONS = ("industry", "region", "size_segment", "group", "single_name")
# Sector dimensions are shared by many clients: a bucket over its cap is a portfolio finding that stops
# increases in it, never a reason to cut one member's line. Name-level limits bind the name itself.
SECTOR_DIMENSIONS = ("industry", "region", "size_segment")
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class BookExposure:
    """The book's total limits per client with the dimensions it is bucketed by.

    Whole book: `frame` holds every client. A slice (`base` set): `frame` holds the slice's clients and the
    book-wide denominators come from `base` (tools/engine/aggregates.py); the sector lines stay book-wide,
    the group lines are those of the slice's groups (with the groups' book-wide totals), the single-name
    lines the slice's own: what `only_visible` keeps of the whole book's lines."""

    frame: pd.DataFrame  # index client_id: total_limit, industry, region, size_segment, group, single_name,
    # officer_id
    base: BookBase | None = None
    # Whole-book aggregates are computed once per instance (the engine caches the instance per as-of date).
    _memo: dict[object, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def total(self) -> float:
        if "total" not in self._memo:
            self._memo["total"] = self.base.total if self.base else float(self.frame["total_limit"].sum())
        return self._memo["total"]  # type: ignore[return-value]

    def bucket_sums(self, dimension: str) -> pd.Series:
        """Total limits per bucket of one dimension."""
        key = ("sums", dimension)
        if key not in self._memo:
            own = self._own_sums(dimension)
            if self.base is not None and dimension in self.base.sums:
                book = self.base.sums[dimension]
                if dimension == "group":  # the slice's groups at their book-wide totals
                    named = own.index[~own.index.astype(str).str.startswith("client:")]
                    own = own.copy()
                    own.loc[named] = book.reindex(named).fillna(own.loc[named]).to_numpy()
                else:
                    own = book
            self._memo[key] = own
        return self._memo[key]  # type: ignore[return-value]

    def codes(self, dimension: str) -> tuple[np.ndarray, pd.Index]:
        """Per row of `frame`, the position of its bucket in the sorted buckets (−1: no bucket), and the
        buckets: the group-by's keys, computed once per dimension."""
        key = ("codes", dimension)
        if key not in self._memo:
            codes, uniques = pd.factorize(self.frame[dimension], sort=True)
            self._memo[key] = codes, pd.Index(uniques, name=dimension)
        return self._memo[key]  # type: ignore[return-value]

    def sums_by_code(self, dimension: str) -> np.ndarray:
        """`bucket_sums` in the order of `codes`' buckets (NaN: a bucket without a sum), computed once per
        dimension: each chunk of a chunked review looks its clients' bucket sums up here by code instead of
        reindexing the book's sums (1M single-name buckets at 1M clients) once per chunk."""
        key = ("sums_by_code", dimension)
        if key not in self._memo:
            _, buckets = self.codes(dimension)
            self._memo[key] = self.bucket_sums(dimension).reindex(buckets).to_numpy(dtype="float64")
        return self._memo[key]  # type: ignore[return-value]

    def _own_sums(self, dimension: str) -> pd.Series:
        """The frame's total limits per bucket: the group-by sum (the same additions) over the codes."""
        codes, buckets = self.codes(dimension)
        if (codes < 0).any():  # a client without a bucket: the group-by drops it
            return self.frame.groupby(dimension)["total_limit"].sum()
        seg = Segments.of(codes)
        sums = seg.sum(self.frame["total_limit"].to_numpy(dtype="float64"))
        return pd.Series(sums, index=buckets[seg.keys], name="total_limit")

    def hhi(self) -> dict[str, float] | None:
        """The book's HHI per dimension when this is a slice (None: compute it from the frame)."""
        return dict(self.base.hhi) if self.base is not None else None

    @classmethod
    def build(cls, clients: pd.DataFrame, exposure: pd.DataFrame, policy: Policy) -> BookExposure:
        c = clients.set_index("client_id")
        frame = pd.DataFrame(index=c.index)
        frame["total_limit"] = exposure["total_limit"].reindex(c.index).fillna(0.0)
        known = set(policy.concentration.known_industries)
        industry = c["industry"].astype(str)
        frame["industry"] = industry.where(industry.isin(known), UNCLASSIFIED) if known else industry
        frame["region"] = c["region"].astype(str)
        frame["size_segment"] = c["size_segment"].astype(str)
        names = id_strings(c.index)
        frame["group"] = c["group_id"].where(c["group_id"].notna(), "client:" + names).astype(str)
        frame["single_name"] = names
        frame["officer_id"] = c["officer_id"].astype("category")  # who may see the name-level lines
        return cls(frame=frame)

    def with_limit(self, client_id: int, new_total: float) -> BookExposure:
        frame = self.frame.copy()
        old = float(frame.loc[client_id, "total_limit"])
        frame.loc[client_id, "total_limit"] = new_total
        base = self.base
        if base is not None:
            buckets = {d: str(frame.loc[client_id, d]) for d in base.sums}
            base = base.with_change(buckets, new_total - old)
        return replace(self, frame=frame, base=base, _memo={})


def rule(policy: Policy, dimension: str) -> ShareLimit:
    return getattr(policy.concentration, dimension)


def bucket_limit(policy: Policy, dimension: str, bucket: pd.Series) -> np.ndarray:
    base = rule(policy, dimension).max_share
    if dimension == "industry":
        overrides = policy.concentration.industry_overrides
        return bucket.map(overrides).fillna(base).to_numpy(dtype="float64")
    return np.full(len(bucket), base)


def concentration_lines(
    book: BookExposure, policy: Policy, *, levels: frozenset[str] | None = None
) -> pd.DataFrame:
    """One row per (dimension, bucket): exposure, share, limit, shares of capital, level, headroom.

    `levels`: only the lines at those levels (e.g. the red ones, a summary's breaches), the same rows in the
    same order as the whole frame filtered; the figures of the other lines are not turned into rows (at 100k
    clients the single names are most of the cost)."""
    key = ("lines", policy.version)
    if levels is not None:
        if key in book._memo:
            lines = book._memo[key]
            return lines[lines["level"].isin(levels)]  # type: ignore[index]
        return _concentration_lines(book, policy, levels)
    if key not in book._memo:
        book._memo[key] = _concentration_lines(book, policy)
    return book._memo[key]  # type: ignore[return-value]


def line_positions(book: BookExposure, policy: Policy) -> dict[tuple[str, str], int]:
    """Each (dimension, bucket)'s row in `concentration_lines`, for fast per-client lookups."""
    key = ("positions", policy.version)
    if key not in book._memo:
        lines = concentration_lines(book, policy)
        book._memo[key] = {k: i for i, k in enumerate(zip(lines["dimension"], lines["bucket"], strict=True))}
    return book._memo[key]  # type: ignore[return-value]


_LEVELS = np.array(["green", "amber", "red"], dtype=object)  # a line's level by 0 / 1 / 2
_LINE_COLUMNS = ("dimension", "bucket", "exposure", "share", "limit_share", "share_of_capital",
                 "limit_share_of_capital", "use_of_limit", "level", "headroom")  # fmt: skip


def _concentration_lines(
    book: BookExposure, policy: Policy, levels: frozenset[str] | None = None
) -> pd.DataFrame:
    # NumPy per dimension and one frame at the end: a what-if computes the lines of a changed book per
    # question, and pandas column by column cost ~25 ms of overhead on a few dozen rows (#20)
    total = book.total
    capital = float(policy.capital_base)
    amber = policy.ews.concentration.amber_share_of_limit
    parts: dict[str, list[np.ndarray]] = {k: [] for k in _LINE_COLUMNS}
    for dim in DIMENSIONS:
        agg = book.bucket_sums(dim)
        bucket = agg.index.astype(str)
        exposure = agg.to_numpy(dtype="float64")
        share = exposure / total if total > 0 else np.zeros(len(exposure))
        limit_share = bucket_limit(policy, dim, pd.Series(bucket))
        cap_rule = rule(policy, dim).max_share_of_capital
        share_of_capital = exposure / capital
        limit_share_of_capital = np.full(len(exposure), np.nan if cap_rule is None else float(cap_rule))
        with np.errstate(divide="ignore", invalid="ignore"):
            use = np.maximum(share / limit_share, np.nan_to_num(share_of_capital / limit_share_of_capital))
            room_share = (limit_share * total - exposure) / (1.0 - limit_share)
        room_cap = limit_share_of_capital * capital - exposure
        red, amber_ = use > 1.0, use >= amber
        if levels is not None:  # the lines at those levels only (`concentration_lines`)
            keep = np.zeros(len(use), dtype=bool)
            for lv, at in (("red", red), ("amber", amber_ & ~red), ("green", ~amber_ & ~red)):
                if lv in levels:
                    keep |= at
            bucket = bucket[keep]
            exposure, share, limit_share = exposure[keep], share[keep], limit_share[keep]
            share_of_capital, limit_share_of_capital = share_of_capital[keep], limit_share_of_capital[keep]
            use, room_share, room_cap, red, amber_ = (
                use[keep],
                room_share[keep],
                room_cap[keep],
                red[keep],
                amber_[keep],
            )
        values = {
            "dimension": np.full(len(exposure), dim, dtype=object), "bucket": np.asarray(bucket, dtype=object),
            "exposure": exposure, "share": share, "limit_share": limit_share, "share_of_capital": share_of_capital,
            "limit_share_of_capital": limit_share_of_capital, "use_of_limit": use,
            "level": _LEVELS[np.where(red, 2, np.where(amber_, 1, 0))],  # 3 shared strings
            "headroom": np.maximum(np.fmin(room_share, room_cap), 0.0),
        }  # fmt: skip
        for name in _LINE_COLUMNS:
            parts[name].append(values[name])
    return pd.DataFrame({name: np.concatenate(parts[name]) for name in _LINE_COLUMNS})


def hhi(book: BookExposure) -> dict[str, float]:
    if (given := book.hhi()) is not None:
        return given
    total = book.total
    out = {}
    for dim in DIMENSIONS:
        shares = book.bucket_sums(dim) / total if total > 0 else pd.Series(dtype=float)
        out[dim] = float((shares**2).sum())
    return out


def client_headroom(book: BookExposure, client_ids: pd.Index, policy: Policy) -> pd.DataFrame:
    """Per client and dimension: the largest total limit the client may hold (cap_<dim>) and its bucket."""
    frame = book.frame
    total = book.total
    capital = float(policy.capital_base)
    same = client_ids.equals(frame.index)
    pos = np.arange(len(frame)) if same else frame.index.get_indexer(client_ids)
    found = pos >= 0
    limits = frame["total_limit"].to_numpy(dtype="float64")
    own = np.where(found, limits[pos], 0.0) if len(frame) else np.zeros(len(pos))
    own = np.nan_to_num(own)
    t_o = total - own
    out: dict[str, np.ndarray] = {}
    for dim in DIMENSIONS:
        if dim == "single_name" and book.base is None and same and frame.index.is_unique:
            in_bucket = 0.0 + own  # each name is its own bucket: its sum is its own limit (added to 0)
            s = np.full(len(own), rule(policy, dim).max_share)
        else:
            codes, buckets = book.codes(dim)
            code = np.where(found, codes[pos], -1) if len(frame) else np.full(len(pos), -1)
            sums = book.sums_by_code(dim)
            in_bucket = np.nan_to_num(np.where(code >= 0, sums[code] if len(sums) else np.nan, np.nan))
            s = _bucket_limits(policy, dim, buckets)[code]  # −1 (no bucket) takes the trailing base limit
        s_o = in_bucket - own
        by_book = (s * t_o - s_o) / (1.0 - s)
        cap_rule = rule(policy, dim).max_share_of_capital
        by_capital = np.full(len(own), np.nan) if cap_rule is None else cap_rule * capital - s_o
        cap = np.fmin(by_book, by_capital)
        out[f"cap_{dim}"] = np.maximum(cap, 0.0)
        out[f"bybook_{dim}"] = np.maximum(by_book, 0.0)
        out[f"bycapital_{dim}"] = np.maximum(by_capital, 0.0)
        # a chunk's labels by the positions found above (a reindex would hash the chunk's ids into the book's
        # index again for each dimension: ~2 s of a 1M review)
        out[f"bucket_{dim}"] = frame[dim].array if same else frame[dim].array.take(pos, allow_fill=True)
        out[f"share_{dim}"] = (s_o + own) / total if total > 0 else np.zeros(len(own))
        out[f"limit_{dim}"] = s
    return pd.DataFrame(out, index=client_ids)


def _bucket_limits(policy: Policy, dimension: str, buckets: pd.Index) -> np.ndarray:
    """`bucket_limit` per bucket, with the dimension's base limit appended (for clients without a bucket)."""
    base = rule(policy, dimension).max_share
    if dimension != "industry":  # one limit for every bucket (no per-bucket Series over 1M single names)
        return np.full(len(buckets) + 1, base)
    limits = bucket_limit(policy, dimension, pd.Series(buckets, dtype=object))
    return np.append(limits, base)


NAME_LEVEL = ("single_name", "group")


def only_visible(lines: pd.DataFrame, book: BookExposure, client_ids: pd.Index) -> pd.DataFrame:
    """Keep the name-level lines (single names, groups) of the given clients; sector lines stay.

    A single-name line's bucket is a client id and a group line's a group id: shown to someone outside
    the client's team they would disclose another team's client and its exposure."""
    if len(client_ids) == len(book.frame):
        return lines
    singles = set(map(str, client_ids))
    groups = set(book.frame.loc[book.frame.index.intersection(client_ids), "group"])
    name_level = lines["dimension"].isin(NAME_LEVEL)
    visible = ((lines["dimension"] == "single_name") & lines["bucket"].astype(str).isin(singles)) | (
        (lines["dimension"] == "group") & lines["bucket"].astype(str).isin(groups)
    )
    return lines[~name_level | visible]
