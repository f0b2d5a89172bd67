"""Training and validation: the benchmark data set, the spec's scoring, reason codes, out-of-time splits."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from tools.engine.scorer import Scorer
from tools.scoring_model.data import load_csv
from tools.scoring_model.scorer import RegisteredModel
from tools.scoring_model.spec import ModelSpec
from tools.scoring_model.training import TrainParams, train

FAST = TrainParams(cv_folds=3)


@pytest.fixture(scope="module")
def german(german_csv: Path):  # type: ignore[no-untyped-def]
    data = load_csv(german_csv, target="creditability")
    started = time.perf_counter()
    trained = train(data)
    return data, trained, time.perf_counter() - started


def test_german_credit_benchmark(german) -> None:  # type: ignore[no-untyped-def]
    """Published logistic scorecards on German credit reach a holdout AUC of about 0.75–0.80."""
    data, trained, seconds = german
    report = trained.report
    assert data.bad_value == "bad" and len(data.y) == 1000
    assert 0.74 <= report.holdout.auc <= 0.86
    assert 0.70 <= report.cross_validation.auc_mean <= 0.85 and len(report.cross_validation.aucs) == 5
    assert report.holdout.gini == pytest.approx(2 * report.holdout.auc - 1, abs=1e-3)
    assert 0 < report.holdout.ks < 1 and report.score_psi < 0.1
    assert seconds < 30
    top = max(report.features, key=lambda f: f.iv)
    assert top.name == "status_of_existing_checking_account"
    assert {r.name for r in report.rejected} >= {"foreign_worker"}
    assert sum(b.count for b in report.calibration) == report.split.holdout_rows


def test_spec_round_trips_and_scores_consistently(german) -> None:  # type: ignore[no-untyped-def]
    data, trained, _ = german
    spec = ModelSpec.model_validate_json(trained.spec.model_dump_json())
    model = RegisteredModel(spec, "german-v1")
    assert isinstance(model, Scorer)
    out = model.score(data.features)
    assert list(out.columns) == ["score", "pd", "reason_1", "reason_2", "reason_3"]
    assert out.index.equals(data.features.index)
    # score = offset + factor · ln(good:bad odds), and points of the best bins cost nothing
    sc = spec.scaling
    implied = sc.offset + sc.factor * np.log((1 - out["pd"]) / out["pd"])
    np.testing.assert_allclose(out["score"], implied, atol=1e-3)
    assert out["pd"].between(0, 1, inclusive="neither").all()


def test_reason_codes_name_the_costliest_features(german) -> None:  # type: ignore[no-untyped-def]
    data, trained, _ = german
    model = RegisteredModel(trained.spec, "m")
    points = model.points(data.features.head(50))
    lost = np.array([f.best_points for f in trained.spec.features])[None, :] - points.to_numpy()
    scored = model.score(data.features.head(50))
    for i in range(50):
        order = np.argsort(-lost[i], kind="stable")
        expected = [points.columns[j] for j in order[:3] if lost[i, j] > 1e-9]
        got = [r for r in scored.iloc[i][["reason_1", "reason_2", "reason_3"]] if r is not None]
        assert got == expected


def test_unseen_categories_and_missing_values_score_in_the_missing_bin(german) -> None:  # type: ignore[no-untyped-def]
    data, trained, _ = german
    model = RegisteredModel(trained.spec, "m")
    row = data.features.head(1).copy()
    row["purpose"] = "space travel"
    row["duration_in_month"] = np.nan
    idx = model.bin_indices(row)
    for j, f in enumerate(trained.spec.features):
        if f.name in ("purpose", "duration_in_month"):
            assert idx[0, j] == len(f.bins)


def test_out_of_time_split_and_monotonic_bins(history_csv: Path) -> None:
    data = load_csv(history_csv, target="status", time_column="opened", exclude=("obligor",))
    report = train(data, FAST).report
    assert report.split.method == "out_of_time"
    assert report.split.development_period[1] <= report.split.holdout_period[0]
    assert report.holdout.auc > 0.7
    leverage = next(f for f in report.features if f.name == "leverage")
    rates = [b.bad_rate for b in leverage.bins[:-1]]
    assert rates == sorted(rates)  # more leverage, more bads
    assert leverage.bins[-1].label == "Missing" and leverage.bins[-1].count > 0
    assert "noise" in {r.name for r in report.rejected}
