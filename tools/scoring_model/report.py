"""The validation report: typed (saved as JSON with the model) and rendered with rich."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict
from rich.console import Console
from rich.table import Table

from tools.scoring_model.spec import Scaling


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Discrimination(_Frozen):
    auc: float
    gini: float
    ks: float


class SplitInfo(_Frozen):
    method: Literal["out_of_time", "stratified"]
    development_rows: int
    holdout_rows: int
    development_bad_rate: float
    holdout_bad_rate: float
    development_period: tuple[dt.date, dt.date] | None = None
    holdout_period: tuple[dt.date, dt.date] | None = None


class CrossValidation(_Frozen):
    folds: int
    aucs: list[float]
    auc_mean: float
    auc_std: float


class CalibrationBand(_Frozen):
    band: int
    score_from: float | None  # None: open-ended band
    score_to: float | None
    count: int
    bads: int
    bad_rate: float
    mean_pd: float


class BinRow(_Frozen):
    label: str
    count: int
    bads: int
    bad_rate: float | None
    woe: float
    points: float


class FeatureReport(_Frozen):
    name: str
    kind: str
    iv: float
    coefficient: float
    csi: float  # development vs holdout
    bins: list[BinRow]


class RejectedFeature(_Frozen):
    name: str
    reason: str
    iv: float | None = None


class ValidationReport(_Frozen):
    split: SplitInfo
    development: Discrimination
    holdout: Discrimination
    cross_validation: CrossValidation
    benchmark: dict[str, Discrimination] = {}  # other scores on the same holdout, e.g. "expert"
    score_psi: float  # development vs holdout, over the development score bands
    calibration: list[CalibrationBand]
    features: list[FeatureReport]
    rejected: list[RejectedFeature]
    scaling: Scaling
    training_seconds: float


def render(report: ValidationReport, console: Console, *, title: str = "Validation report") -> None:
    s = report.split
    console.print(f"[bold]{title}[/]")
    console.print(
        f"split: {s.method.replace('_', '-')}  development {s.development_rows} rows "
        f"(bad rate {s.development_bad_rate:.1%}), holdout {s.holdout_rows} rows (bad rate {s.holdout_bad_rate:.1%})"
    )
    if s.development_period and s.holdout_period:
        console.print(f"periods: development {s.development_period[0]} – {s.development_period[1]}, "
                      f"holdout {s.holdout_period[0]} – {s.holdout_period[1]}")  # fmt: skip

    perf = Table(title="Discrimination", title_justify="left")
    for col in ("sample", "AUC", "Gini", "KS"):
        perf.add_column(col, justify="left" if col == "sample" else "right")
    rows = {"development": report.development, "holdout": report.holdout}
    rows |= {f"holdout · {name}": d for name, d in report.benchmark.items()}
    for name, d in rows.items():
        perf.add_row(name, f"{d.auc:.3f}", f"{d.gini:.3f}", f"{d.ks:.3f}")
    cv = report.cross_validation
    perf.add_row(f"{cv.folds}-fold CV (development)", f"{cv.auc_mean:.3f} ± {cv.auc_std:.3f}", "", "")
    console.print(perf)
    console.print(f"score PSI development → holdout: {report.score_psi:.3f}")

    cal = Table(title="Calibration by score band (holdout)", title_justify="left")
    for col in ("band", "score", "count", "bads", "bad rate", "mean PD"):
        cal.add_column(col, justify="right")
    for b in report.calibration:
        cal.add_row(str(b.band), _band_label(b.score_from, b.score_to), str(b.count), str(b.bads),
                    f"{b.bad_rate:.1%}", f"{b.mean_pd:.1%}")  # fmt: skip
    console.print(cal)

    feats = Table(title="Features and bins (points)", title_justify="left")
    for col in ("feature", "IV", "CSI", "bin", "count", "bad rate", "WoE", "points"):
        feats.add_column(col, justify="left" if col in ("feature", "bin") else "right")
    for f in report.features:
        for i, b in enumerate(f.bins):
            first = i == 0
            feats.add_row(f.name if first else "", f"{f.iv:.3f}" if first else "", f"{f.csi:.3f}" if first else "",
                          b.label, str(b.count), "–" if b.bad_rate is None else f"{b.bad_rate:.1%}",
                          f"{b.woe:.3f}", f"{b.points:.1f}", end_section=i == len(f.bins) - 1)  # fmt: skip
    console.print(feats)
    if report.rejected:
        console.print("not used: " + "; ".join(f"{r.name} ({r.reason})" for r in report.rejected))
    sc = report.scaling
    console.print(f"scaling: {sc.base_score:g} points at odds {sc.base_odds:g}:1, {sc.pdo:g} points to double the odds; "
                  f"trained in {report.training_seconds:.1f} s")  # fmt: skip


def _band_label(lo: float | None, hi: float | None) -> str:
    if lo is None:
        return f"< {hi:.0f}" if hi is not None else "all"
    if hi is None:
        return f"≥ {lo:.0f}"
    return f"{lo:.0f} – {hi:.0f}"
