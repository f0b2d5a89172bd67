"""Whole-book review in client chunks: bounded memory for books of 1M clients, the same results.

The whole book's exposure (clients, facilities, covers, fx) is read once for concentration; the history
tables are read and assessed CHUNK_CLIENTS clients at a time. Each client's result depends only on its
own rows and that whole-book exposure (the single-client == portfolio property), so concatenating the
chunks' per-client frames gives exactly the one-shot run's results.

To stay within a few GiB at 1M clients, each chunk keeps only what the review views read (REVIEW_COLUMNS:
`table()`, the summary, watch-list, reviews and contacts due, and the stored run results) plus every
warning; the other frames are kept as empty, correctly indexed frames. One client's full detail comes
from `CreditEngine.assess_client`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import fields

import pandas as pd

from crm_adapter.snapshot import FRAMES, BookSnapshot, FrameRead
from tools.engine.calendar import contact_read
from tools.engine.concentration import BookExposure
from tools.engine.features import AnalysisFrames
from tools.engine.flows import flow_read
from tools.engine.portfolio import PortfolioAssessment
from tools.engine.repayment import repayment_read
from tools.engine.reputation import signal_read
from tools.policy.schema import Policy

# An IN list of this many ids stays under SQLite's bound-parameter limit (32,766) and keeps a chunk's
# history frames and intermediates to a few hundred MiB.
CHUNK_CLIENTS = 25_000
# Per frame of the assessment (frames.* for the analysis frames): the columns the review views read.
# Per-client frames of the assessment (`frames.<name>` for the analysis frames): the columns the review views
# read; the others keep only their client index.
REVIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "rating": ("score", "grade", "pd", "lgd", "ead", "el"),
    "limits": ("recommended", "binding"),
    "proposals": ("action", "target"),
    "review": ("next_review", "review_overdue", "review_days_overdue"),
    "contact": ("last_contact", "next_contact", "contact_overdue", "contact_days_overdue"),
    "headroom": (),
    "frames.exposure": ("total_limit", "outstanding", "utilisation"),
    "frames.features": ("current_ratio", "interest_coverage", "max_dpd_12m", "current_dpd"),
    "frames.latest": ("debt_to_ebitda",),
    **{f"frames.{name}": () for name in ("flows", "repayment", "reputation")},
}
ROW_FRAMES = ("ratios", "signals", "covers", "facilities")  # history rows, not per client: not kept


def review_reads(as_of: dt.date, policy: Policy) -> dict[str, FrameRead]:
    """What the review reads of the history tables: per frame, the columns and date window its module uses
    (each module's own `*_read`, next to the filter it describes). The chunks' snapshots keep no rows or
    columns beyond these (the rows a module drops anyway), so the results are those of the full read; at 1M
    clients the reader decodes ~10M fewer values (the instalments' facility ids, the contacts' notes)."""
    return {"flows": flow_read(as_of), "repayments": repayment_read(as_of),
            "signals": signal_read(as_of, policy), "contacts": contact_read(as_of)}  # fmt: skip


def assess_in_chunks(
    whole: BookSnapshot,
    book: BookExposure,
    client_ids: Sequence[int],
    assess_chunk: Callable[[list[int]], PortfolioAssessment],
    *,
    chunk_clients: int = CHUNK_CLIENTS,
    prefetch: Callable[[list[list[int]]], None] | None = None,
) -> PortfolioAssessment:
    """Assess `client_ids` chunk by chunk (`assess_chunk(ids)` reads and assesses one chunk); `prefetch` is
    told every chunk's ids first, so a reader can read chunk k+1 while chunk k is assessed."""
    parts: list[PortfolioAssessment] = []
    ids = list(client_ids)
    chunks = [ids[start : start + chunk_clients] for start in range(0, len(ids), chunk_clients)]
    if prefetch is not None:
        prefetch(chunks)
    for chunk_ids in chunks:
        pa = assess_chunk(chunk_ids)
        # Trim before the next chunk is read. `.copy()`: under pandas' copy-on-write a column selection is a
        # view that keeps the whole parent block (every column of that dtype) alive.
        for key, columns in REVIEW_COLUMNS.items():
            owner, name = (pa.frames, key.removeprefix("frames.")) if key.startswith("frames.") else (pa, key)
            setattr(owner, name, getattr(owner, name)[list(columns)].copy())
        for name in ROW_FRAMES:
            setattr(pa.frames, name, getattr(pa.frames, name).iloc[:0].copy())
        pa.snapshot = _emptied(pa.snapshot)
        parts.append(pa)
    return _combine(parts, whole if len(ids) == whole.n_clients else whole.subset(ids), book)


def _emptied(snapshot: BookSnapshot) -> BookSnapshot:
    """`snapshot.subset([])` without a pass over each frame: the per-client frames keep their columns, no rows."""
    frames = {}
    for name in FRAMES:
        df: pd.DataFrame = getattr(snapshot, name)
        # a take, not a slice: an empty slice (and its .copy(), for Arrow-backed strings) still holds the
        # chunk's buffers
        frames[name] = df.iloc[[]].reset_index(drop=True) if "client_id" in df.columns else df
    return BookSnapshot(as_of=snapshot.as_of, reporting_currency=snapshot.reporting_currency,
                        meta=dict(snapshot.meta), **frames)  # fmt: skip


def _concat(frames: list[pd.DataFrame | pd.Series]) -> pd.DataFrame | pd.Series:
    return frames[0] if len(frames) == 1 else pd.concat(frames)


def _combine(
    parts: list[PortfolioAssessment], snapshot: BookSnapshot, book: BookExposure
) -> PortfolioAssessment:
    first = parts[0]
    frames = AnalysisFrames(
        **{f.name: _concat([getattr(p.frames, f.name) for p in parts]) for f in fields(AnalysisFrames)}
    )
    per_client = ("rating", "headroom", "limits", "ews_level", "proposals", "review", "contact", "insurance_required")  # fmt: skip
    # a chunk without warnings has an untyped empty frame: concatenate the others
    fired = [p.warnings for p in parts if len(p.warnings)] or [first.warnings]
    warnings = pd.concat(fired, ignore_index=True)
    history = ("facilities", "statements", "flows", "repayments", "signals", "covers", "contacts")
    empty = {name: getattr(first.snapshot, name) for name in history}  # the chunks' emptied frames
    return PortfolioAssessment(
        snapshot=BookSnapshot(as_of=snapshot.as_of, reporting_currency=snapshot.reporting_currency,
                              officers=snapshot.officers, groups=snapshot.groups, clients=snapshot.clients,
                              fx=snapshot.fx, **empty, meta={**snapshot.meta, "chunks": len(parts)}),
        policy=first.policy, model_id=first.model_id, frames=frames, warnings=warnings, book=book,
        previous=_concat([p.previous for p in parts]),
        **{name: _concat([getattr(p, name) for p in parts]) for name in per_client},
    )  # fmt: skip
