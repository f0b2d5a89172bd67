"""Which clients' results a write can change, beyond the clients it wrote: the concentration screen.

A client's result depends on other clients only through the book's concentration denominators (the book's
total limits and its buckets' totals, tools/engine/aggregates.py). When a write moves those by at most `D`
(the largest change of the total or of any one bucket's total), for every other client:

- each concentration cap (`client_headroom`: `(s·T_o − S_o) / (1 − s)` against the book, `s_c·C − S_o` against
  capital, floored at 0) moves by at most `M = D·(1 + s) / (1 − s)`, with `s` the largest share limit of the
  policy; so its limit recommendation (the smallest constraint, rounded down to the policy's unit) cannot
  change while the smallest concentration cap stays more than `M` above the raw figure; when a concentration
  cap is the binding one, while every other constraint is more than `M` above it (`2M` for another
  concentration cap, which moves too) and the raw figure is more than `M` from a rounding step (the raw
  figure itself moves, the recommendation, its binding constraint and so the proposal do not); and a sector's
  "over the cap" flag (cap < current limit) cannot flip while the cap is more than `M` from the limit;
- its single-name and group shares (`S / T`) move by at most `2·D / T` (T the smaller total), so its
  concentration warnings (from `amber × limit` up) cannot appear, go or change their figures while the share
  stays further than that below `amber × limit`.

`screen` keeps, per client, how far it is from each of those edges; `dependents` picks the clients within
the distance the writes since the screen was taken can have moved them (the moves add up: the screen's rows
of clients not re-assessed keep their old distances, and `Drift` carries the total). Every other client's
result is the same as before the write, exactly; the clients picked are re-assessed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from tools.engine.concentration import DIMENSIONS, SECTOR_DIMENSIONS
from tools.engine.limits import CONSTRAINTS
from tools.policy.schema import Policy

SCREEN_COLUMNS = (
    "cap_slack",
    "sector_gap",
    "share_gap_single_name",
    "share_gap_group",
    "taken_at_cap",
    "taken_at_share",
)
REL_SLACK = 1e-9  # float rounding in the figures compared, relative to the book's total


@dataclass(frozen=True)
class Drift:
    """How far the book's denominators have moved since the first screen (caps in money, shares as a
    fraction), summed over the writes."""

    cap: float = 0.0
    share: float = 0.0

    def after(self, move: float, *, total: float, policy: Policy) -> Drift:
        """After a write that moved a denominator by at most `move` (money), with `total` the smaller of the
        book's totals before and after."""
        if move == 0.0:  # no denominator moved (a contact, a review, statements): no other client can change
            return self
        s = largest_share_limit(policy)
        if s >= 1.0 or total <= 0 or not np.isfinite(move):
            return Drift(cap=float("inf"), share=float("inf"))
        move = move + REL_SLACK * total
        return replace(
            self, cap=self.cap + move * (1.0 + s) / (1.0 - s), share=self.share + 2.0 * move / total
        )


def largest_share_limit(policy: Policy) -> float:
    c = policy.concentration
    shares = [getattr(c, d).max_share for d in DIMENSIONS]
    shares += [float(v) for v in c.industry_overrides.values()]
    return max(shares)


def screen(pa: object, drift: Drift) -> pd.DataFrame:
    """Per client of the run: its distance to each edge (money for caps, fraction for shares), and the drift
    at which it was taken. `pa` is a `PortfolioAssessment`."""
    lim, head, policy = pa.limits, pa.headroom, pa.policy  # type: ignore[attr-defined]
    idx = lim.index
    conc = lim[[f"conc_{d}" for d in DIMENSIONS]].to_numpy(dtype="float64")
    raw = lim["raw_recommended"].to_numpy(dtype="float64")
    conc = np.where(np.isnan(conc), -np.inf, conc)  # a cap that is not a number: no bound, always re-assessed
    ordered = np.sort(conc, axis=1)
    slack = np.where(
        np.isnan(raw), np.inf, ordered[:, 0] - raw
    )  # no recommendation: it does not rest on the book
    # a concentration cap binding: how far its moves may go without changing what the table shows
    others = lim[[c for c in CONSTRAINTS if not c.startswith("conc_")]].to_numpy(dtype="float64")
    other_gap = np.min(np.where(np.isnan(others), np.inf, others), axis=1) - raw
    second_gap = (ordered[:, 1] - raw) / 2.0
    unit = float(policy.limits.rounding)
    step = np.floor(np.maximum(raw, 0.0) / unit) * unit
    floor_gap = np.minimum(raw - step, step + unit - raw)
    held = np.nan_to_num(np.minimum.reduce([other_gap, second_gap, floor_gap]), nan=-np.inf)
    binding = lim["binding"].astype("str").str.startswith("conc_").to_numpy(dtype=bool) & (slack <= 0)
    slack = np.where(binding, held, slack)
    current = lim["current_limit"].to_numpy(dtype="float64")
    gaps = [
        np.abs(head[f"cap_{d}"].reindex(idx).to_numpy(dtype="float64") - current) for d in SECTOR_DIMENSIONS
    ]
    sector_gap = np.nan_to_num(np.minimum.reduce(gaps), nan=-np.inf)
    amber = policy.ews.concentration.amber_share_of_limit
    out = pd.DataFrame(index=idx)
    out["cap_slack"] = slack
    out["sector_gap"] = sector_gap
    for dim in ("single_name", "group"):
        share = head[f"share_{dim}"].reindex(idx).to_numpy(dtype="float64")
        limit = head[f"limit_{dim}"].reindex(idx).to_numpy(dtype="float64")
        out[f"share_gap_{dim}"] = np.nan_to_num(amber * limit - share, nan=-np.inf)
    out["taken_at_cap"] = drift.cap
    out["taken_at_share"] = drift.share
    return out


def dependents(screen: pd.DataFrame, drift: Drift) -> pd.Index:
    """The clients whose result may have changed by the denominators' moves since their screen row was
    taken (ties included: `≤`); none when nothing moved since."""
    cap = drift.cap - screen["taken_at_cap"].to_numpy()
    share = drift.share - screen["taken_at_share"].to_numpy()
    near = (
        (cap > 0) & ((screen["cap_slack"].to_numpy() <= cap) | (screen["sector_gap"].to_numpy() <= cap))
    ) | (
        (share > 0)
        & (
            (screen["share_gap_single_name"].to_numpy() <= share)
            | (screen["share_gap_group"].to_numpy() <= share)
        )
    )
    return screen.index[near]


__all__ = ["SCREEN_COLUMNS", "Drift", "dependents", "largest_share_limit", "screen"]
