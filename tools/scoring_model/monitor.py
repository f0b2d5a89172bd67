"""Stability monitoring: PSI of the score and CSI of each feature, current data vs the development sample.

The development distributions are the model's own bin and score-band counts (stored in the spec),
so monitoring needs no copy of the development data.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator
from rich.console import Console
from rich.table import Table

from kernel.errors import InvalidInput
from tools.policy.schema import ModelMonitoringPolicy
from tools.scoring_model import metrics
from tools.scoring_model.scorer import RegisteredModel

Stability = Literal["stable", "watch", "drift"]
_RANK: dict[Stability, int] = {"stable": 0, "watch": 1, "drift": 2}
_STYLE: dict[Stability, str] = {"stable": "green", "watch": "yellow", "drift": "bold red"}


class Thresholds(BaseModel):
    """PSI below `watch` is stable, from `watch` up to `drift` is watch, above `drift` is drift."""

    model_config = ConfigDict(frozen=True)

    watch: float = Field(0.1, gt=0)
    drift: float = Field(0.25, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.drift <= self.watch:
            raise ValueError("the drift threshold must be above the watch threshold")
        return self

    @classmethod
    def of(
        cls, policy: ModelMonitoringPolicy, *, watch: float | None = None, drift: float | None = None
    ) -> Thresholds:
        """The policy's thresholds (`model_monitoring`), each overridable for one run."""
        return cls(watch=policy.psi_watch if watch is None else watch,
                   drift=policy.psi_drift if drift is None else drift)  # fmt: skip

    def classify(self, value: float) -> Stability:
        if value > self.drift:
            return "drift"
        return "watch" if value >= self.watch else "stable"


class StabilityRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    index: float
    status: Stability
    development_share: list[float]
    current_share: list[float]


class MonitoringReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    model_id: str
    rows: int
    thresholds: Thresholds
    score: StabilityRow  # PSI over the development score bands
    features: list[StabilityRow]  # CSI over each feature's bins
    status: Stability  # the worst of all


def monitor(
    model: RegisteredModel, current: pd.DataFrame, thresholds: Thresholds | None = None
) -> MonitoringReport:
    th = thresholds or Thresholds()
    if current.empty:
        raise InvalidInput("no current records to monitor", field="csv")
    spec = model.spec
    bins = model.bin_indices(current)
    scores = model.score(current)["score"].to_numpy()
    score_row = _row("score", np.asarray(spec.score_band_counts),
                     metrics.band_counts(scores, np.asarray(spec.score_edges)), th)  # fmt: skip
    rows = [
        _row(
            f.name,
            np.array([b.count for b in f.all_bins]),
            np.bincount(bins[:, j], minlength=len(f.all_bins)),
            th,
        )
        for j, f in enumerate(spec.features)
    ]
    worst = max([score_row.status, *(r.status for r in rows)], key=_RANK.__getitem__)
    return MonitoringReport(model_id=model.model_id, rows=len(current), thresholds=th, score=score_row,
                            features=rows, status=worst)  # fmt: skip


def _row(name: str, dev: np.ndarray, cur: np.ndarray, th: Thresholds) -> StabilityRow:
    value = metrics.psi(dev, cur)
    return StabilityRow(
        name=name,
        index=round(value, 4),
        status=th.classify(value),
        development_share=[round(float(v), 4) for v in dev / dev.sum()],
        current_share=[round(float(v), 4) for v in cur / cur.sum()],
    )


def render(report: MonitoringReport, console: Console) -> None:
    th = report.thresholds
    console.print(
        f"[bold]Monitoring {report.model_id}[/] on {report.rows} records — "
        f"[{_STYLE[report.status]}]{report.status}[/] (stable < {th.watch:g} ≤ watch ≤ {th.drift:g} < drift)"
    )
    table = Table()
    for col in ("", "index", "status"):
        table.add_column(col, justify="right" if col == "index" else "left")
    table.add_row("score (PSI)", f"{report.score.index:.3f}", f"[{_STYLE[report.score.status]}]{report.score.status}[/]",
                  end_section=True)  # fmt: skip
    for r in sorted(report.features, key=lambda r: -r.index):
        table.add_row(f"{r.name} (CSI)", f"{r.index:.3f}", f"[{_STYLE[r.status]}]{r.status}[/]")
    console.print(table)
