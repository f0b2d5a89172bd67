"""Property tests of the validation metrics."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from tools.scoring_model import metrics

scores = st.lists(st.integers(-20, 20), min_size=4, max_size=60)


@st.composite
def labelled(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    risk = np.array(draw(scores), dtype="float64")
    y = np.array(draw(st.lists(st.booleans(), min_size=len(risk), max_size=len(risk))))
    if y.all() or not y.any():
        y[0] = not y[0]
    return y, risk


@settings(max_examples=60)
@given(labelled())
def test_auc_matches_sklearn_and_flips(data: tuple[np.ndarray, np.ndarray]) -> None:
    y, risk = data
    a = metrics.auc(y, risk)
    assert 0.0 <= a <= 1.0
    assert a == pytest.approx(roc_auc_score(y, risk))
    assert metrics.auc(y, -risk) == pytest.approx(1.0 - a)
    assert metrics.gini(a) == pytest.approx(2 * a - 1)


@settings(max_examples=60)
@given(labelled())
def test_auc_and_ks_are_invariant_under_monotone_transforms(data: tuple[np.ndarray, np.ndarray]) -> None:
    y, risk = data
    transformed = np.exp(risk / 7.0) * 3.0 + 1.0
    assert metrics.auc(y, transformed) == pytest.approx(metrics.auc(y, risk))
    assert metrics.ks(y, transformed) == pytest.approx(metrics.ks(y, risk))
    assert 0.0 <= metrics.ks(y, risk) <= 1.0


def test_perfect_separation() -> None:
    y = np.array([0, 0, 1, 1])
    assert metrics.auc(y, np.array([1, 2, 3, 4])) == 1.0
    assert metrics.ks(y, np.array([1, 2, 3, 4])) == 1.0


counts = st.lists(st.integers(0, 500), min_size=2, max_size=12).filter(lambda c: sum(c) > 0)


@given(counts, st.data())
def test_psi_is_non_negative_zero_on_itself_and_symmetric(expected: list[int], data: st.DataObject) -> None:
    actual = data.draw(st.lists(st.integers(0, 500), min_size=len(expected), max_size=len(expected)))
    if sum(actual) == 0:
        actual[0] = 1
    e, a = np.array(expected), np.array(actual)
    assert metrics.psi(e, e * 3) == pytest.approx(0.0, abs=1e-12)
    assert metrics.psi(e, a) >= 0.0
    assert metrics.psi(e, a) == pytest.approx(metrics.psi(a, e))


@settings(max_examples=50)
@given(st.lists(st.floats(300, 900), min_size=20, max_size=200), st.integers(2, 12))
def test_bands_partition_every_score(values: list[float], n_bands: int) -> None:
    s = np.array(values)
    edges = metrics.band_edges(s, n_bands)
    counts = metrics.band_counts(s, edges)
    assert counts.sum() == len(s) and len(counts) == len(edges) + 1 <= n_bands
    assert np.all(np.diff(edges) > 0)


def test_calibration_by_band() -> None:
    y = np.array([1, 0, 0, 1, 0, 0])
    pd_ = np.array([0.6, 0.4, 0.2, 0.1, 0.1, 0.1])
    score = np.array([1, 2, 3, 4, 5, 6], dtype=float)
    rows = metrics.calibration(y, pd_, score, np.array([3.5]))
    assert [(r["count"], r["bads"]) for r in rows] == [(3, 1), (3, 1)]
    assert rows[0]["score_from"] is None and rows[1]["score_to"] is None
    assert rows[0]["mean_pd"] == pytest.approx(0.4)
