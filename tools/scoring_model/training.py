"""Train and validate a WoE logistic scorecard.

split (out-of-time when a time column is given, else stratified) → optimal binning on development →
features with IV ≥ `min_iv` → WoE → logistic regression (features whose coefficient takes the wrong
sign are dropped and the model refitted) → points scaling → validation on the holdout and k-fold
cross-validation of the whole pipeline on the development sample.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split

from kernel.errors import InvalidInput
from tools.scoring_model import metrics
from tools.scoring_model.binning import BinStats, FeatureBins, fit_binning
from tools.scoring_model.data import TrainingData
from tools.scoring_model.params import TrainedModel, TrainParams
from tools.scoring_model.report import (
    BinRow,
    CalibrationBand,
    CrossValidation,
    Discrimination,
    FeatureReport,
    RejectedFeature,
    SplitInfo,
    ValidationReport,
)
from tools.scoring_model.scorer import RegisteredModel
from tools.scoring_model.spec import BinSpec, FeatureSpec, ModelSpec, Scaling

CANDIDATE_ID = "candidate"
MIN_HOLDOUT_PER_CLASS = 5


@dataclass
class _Fit:
    spec: ModelSpec
    rejected: list[RejectedFeature] = field(default_factory=list)


def train(
    data: TrainingData, params: TrainParams | None = None, *, benchmarks: dict[str, np.ndarray] | None = None
) -> TrainedModel:
    """`benchmarks`: other scores per record (higher = better), compared with the model on the holdout."""
    params = params or TrainParams()
    started = time.perf_counter()
    dev, hold, split = _split(data, params)
    x_dev, y_dev = data.features.iloc[dev], data.y[dev]
    x_hold, y_hold = data.features.iloc[hold], data.y[hold]

    fit = _fit(x_dev, y_dev, data, params)
    model = RegisteredModel(fit.spec, CANDIDATE_ID)
    dev_scored = model.score(x_dev)
    hold_scored = model.score(x_hold)
    edges = metrics.band_edges(dev_scored["score"].to_numpy(), params.score_bands)
    spec = fit.spec.model_copy(
        update={
            "score_edges": [float(e) for e in edges],
            "score_band_counts": metrics.band_counts(dev_scored["score"].to_numpy(), edges).tolist(),
        }
    )
    model = RegisteredModel(spec, CANDIDATE_ID)
    hold_bins = model.bin_indices(x_hold)

    report = ValidationReport(
        split=split,
        development=_discrimination(y_dev, dev_scored["score"].to_numpy()),
        holdout=_discrimination(y_hold, hold_scored["score"].to_numpy()),
        cross_validation=_cross_validate(x_dev, y_dev, data, params),
        benchmark={
            name: _discrimination(y_hold, np.asarray(s)[hold]) for name, s in (benchmarks or {}).items()
        },
        score_psi=metrics.psi(
            np.asarray(spec.score_band_counts), metrics.band_counts(hold_scored["score"].to_numpy(), edges)
        ),
        calibration=[
            CalibrationBand(**row)
            for row in metrics.calibration(
                y_hold, hold_scored["pd"].to_numpy(), hold_scored["score"].to_numpy(), edges
            )
        ],
        features=[_feature_report(f, hold_bins[:, j]) for j, f in enumerate(spec.features)],
        rejected=fit.rejected
        + [RejectedFeature(name=n, reason=why) for n, why in data.dropped_features.items()],
        scaling=params.scaling,
        training_seconds=round(time.perf_counter() - started, 3),
    )
    return TrainedModel(spec=spec, report=report)


def _split(data: TrainingData, params: TrainParams) -> tuple[np.ndarray, np.ndarray, SplitInfo]:
    n = len(data.y)
    if data.time is not None:
        t = data.time.to_numpy()
        cut = np.sort(t)[int(np.floor(n * (1 - params.holdout_share)))]
        hold_mask = t >= cut
        dev, hold = np.flatnonzero(~hold_mask), np.flatnonzero(hold_mask)
        method = "out_of_time"
    else:
        dev, hold = train_test_split(
            np.arange(n), test_size=params.holdout_share, stratify=data.y, random_state=params.seed
        )
        dev, hold = np.sort(dev), np.sort(hold)
        method = "stratified"
    for name, idx in (("development", dev), ("holdout", hold)):
        bads = int(data.y[idx].sum())
        if min(bads, len(idx) - bads) < MIN_HOLDOUT_PER_CLASS:
            raise InvalidInput(
                f"the {name} sample has {bads} bad and {len(idx) - bads} good outcomes; "
                f"the {method.replace('_', '-')} split needs at least {MIN_HOLDOUT_PER_CLASS} of each",
                field="time_column" if method == "out_of_time" else "target",
            )

    def period(idx: np.ndarray) -> tuple[dt.date, dt.date] | None:
        if data.time is None:
            return None
        t = data.time.iloc[idx]
        return (t.min().date(), t.max().date())

    info = SplitInfo(
        method=method,
        development_rows=len(dev),
        holdout_rows=len(hold),
        development_bad_rate=float(data.y[dev].mean()),
        holdout_bad_rate=float(data.y[hold].mean()),
        development_period=period(dev),
        holdout_period=period(hold),
    )
    return dev, hold, info


def _fit(x: pd.DataFrame, y: np.ndarray, data: TrainingData, params: TrainParams) -> _Fit:
    """Binning → IV selection → WoE logistic regression with sign checks → points."""
    binned = fit_binning(x, y)
    rejected = [
        RejectedFeature(name=b.name, reason=f"IV below {params.min_iv:g}", iv=round(b.iv, 4))
        for b in binned
        if b.iv < params.min_iv
    ]
    selected = sorted((b for b in binned if b.iv >= params.min_iv), key=lambda b: -b.iv)
    if not selected:
        raise InvalidInput(
            f"no feature has an information value of at least {params.min_iv:g}: "
            "the data does not separate good from bad outcomes",
            field="csv",
        )
    woe = _woe_matrix(selected, x)
    while True:
        lr = LogisticRegression(C=params.regularisation_c, max_iter=1000)
        lr.fit(woe, y)
        coef = lr.coef_[0]
        wrong = coef >= 0  # WoE is higher for better bins, so every coefficient should be negative
        if not wrong.any():
            break
        rejected += [
            RejectedFeature(
                name=b.name, reason="coefficient of the wrong sign (collinear)", iv=round(b.iv, 4)
            )
            for b, w in zip(selected, wrong, strict=True)
            if w
        ]
        selected = [b for b, w in zip(selected, wrong, strict=True) if not w]
        if not selected:
            raise InvalidInput("no feature keeps a consistent effect in the regression", field="csv")
        woe = woe[:, ~wrong]
    intercept = float(lr.intercept_[0])
    sc = params.scaling
    features = [
        _feature_spec(b, float(c), intercept, len(selected), sc) for b, c in zip(selected, coef, strict=True)
    ]
    spec = ModelSpec(
        target=data.target,
        bad_value=data.bad_value,
        intercept=intercept,
        scaling=sc,
        features=features,
        score_edges=[],
        score_band_counts=[len(y)],
    )
    return _Fit(spec=spec, rejected=rejected)


def _woe_matrix(selected: list[FeatureBins], x: pd.DataFrame) -> np.ndarray:
    provisional = ModelSpec(
        target="y",
        bad_value="1",
        intercept=0.0,
        scaling=Scaling(),
        features=[_feature_spec(b, 0.0, 0.0, len(selected), Scaling()) for b in selected],
        score_edges=[],
        score_band_counts=[len(x)],
    )
    return RegisteredModel(provisional, CANDIDATE_ID).woe(x)


def _feature_spec(b: FeatureBins, coef: float, intercept: float, n: int, sc: Scaling) -> FeatureSpec:
    def bin_spec(s: BinStats) -> BinSpec:
        points = sc.offset / n - sc.factor * (coef * s.woe + intercept / n)
        return BinSpec(label=s.label, count=s.count, bads=s.bads, woe=s.woe, points=round(points, 6))

    return FeatureSpec(
        name=b.name,
        kind=b.kind,
        splits=b.splits,
        categories=b.categories,
        bins=[bin_spec(s) for s in b.bins],
        missing=bin_spec(b.missing),
        iv=b.iv,
        coefficient=coef,
    )


def _discrimination(y: np.ndarray, score: np.ndarray) -> Discrimination:
    risk = -np.asarray(score, dtype="float64")
    auc = metrics.auc(y, risk)
    return Discrimination(
        auc=round(auc, 4), gini=round(metrics.gini(auc), 4), ks=round(metrics.ks(y, risk), 4)
    )


def _cross_validate(
    x: pd.DataFrame, y: np.ndarray, data: TrainingData, params: TrainParams
) -> CrossValidation:
    folds = StratifiedKFold(n_splits=params.cv_folds, shuffle=True, random_state=params.seed)
    aucs = []
    for train_idx, test_idx in folds.split(x, y):
        fit = _fit(x.iloc[train_idx], y[train_idx], data, params)
        scored = RegisteredModel(fit.spec, CANDIDATE_ID).score(x.iloc[test_idx])
        aucs.append(metrics.auc(y[test_idx], -scored["score"].to_numpy()))
    return CrossValidation(
        folds=params.cv_folds,
        aucs=[round(a, 4) for a in aucs],
        auc_mean=round(float(np.mean(aucs)), 4),
        auc_std=round(float(np.std(aucs)), 4),
    )


def _feature_report(f: FeatureSpec, holdout_bins: np.ndarray) -> FeatureReport:
    dev_counts = np.array([b.count for b in f.all_bins])
    hold_counts = np.bincount(holdout_bins, minlength=len(f.all_bins))
    return FeatureReport(
        name=f.name,
        kind=f.kind,
        iv=round(f.iv, 4),
        coefficient=round(f.coefficient, 6),
        csi=round(metrics.psi(dev_counts, hold_counts), 4),
        bins=[
            BinRow(
                label=b.label,
                count=b.count,
                bads=b.bads,
                bad_rate=b.bads / b.count if b.count else None,
                woe=round(b.woe, 6),
                points=round(b.points, 2),
            )  # fmt: skip
            for b in f.all_bins
        ],
    )
