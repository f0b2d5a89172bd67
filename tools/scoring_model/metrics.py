"""Discrimination, stability and calibration metrics (vectorised NumPy, no Python loops per record).

Convention: `y` is 1 for a bad outcome, 0 for a good one; `risk` is higher for riskier records
(pass −score for a score where higher is better).
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

PSI_FLOOR = 1e-4  # proportion floor so an empty band gives a large but finite PSI term


def _check(y: np.ndarray, risk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=bool)
    risk = np.asarray(risk, dtype="float64")
    if y.shape != risk.shape:
        raise ValueError("y and risk must have the same shape")
    if y.all() or not y.any():
        raise ValueError("AUC and KS need both good and bad outcomes")
    return y, risk


def auc(y: np.ndarray, risk: np.ndarray) -> float:
    """P(a random bad is riskier than a random good), ties counting one half (Mann–Whitney U)."""
    y, risk = _check(y, risk)
    ranks = rankdata(risk)
    n_bad = int(y.sum())
    n_good = len(y) - n_bad
    return float((ranks[y].sum() - n_bad * (n_bad + 1) / 2.0) / (n_bad * n_good))


def gini(auc_value: float) -> float:
    return 2.0 * auc_value - 1.0


def ks(y: np.ndarray, risk: np.ndarray) -> float:
    """Kolmogorov–Smirnov: the largest gap between the bads' and goods' cumulative risk distributions."""
    y, risk = _check(y, risk)
    values, inverse = np.unique(risk, return_inverse=True)
    bads = np.bincount(inverse, weights=y.astype("float64"), minlength=len(values))
    goods = np.bincount(inverse, weights=(~y).astype("float64"), minlength=len(values))
    gap = np.abs(np.cumsum(bads) / bads.sum() - np.cumsum(goods) / goods.sum())
    return float(gap.max())


def psi(expected: np.ndarray, actual: np.ndarray) -> float:
    """Population stability index between two count (or share) vectors over the same bins."""
    e = np.asarray(expected, dtype="float64")
    a = np.asarray(actual, dtype="float64")
    if e.shape != a.shape or e.sum() <= 0 or a.sum() <= 0:
        raise ValueError("PSI needs two non-empty distributions over the same bins")
    e = np.maximum(e / e.sum(), PSI_FLOOR)
    a = np.maximum(a / a.sum(), PSI_FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))


def band_edges(scores: np.ndarray, n_bands: int = 10) -> np.ndarray:
    """Inner cut points of (at most) `n_bands` equal-frequency score bands."""
    qs = np.quantile(np.asarray(scores, dtype="float64"), np.linspace(0, 1, n_bands + 1)[1:-1])
    return np.unique(qs)


def band_of(scores: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Band index per score: band i holds edges[i-1] ≤ score < edges[i]."""
    return np.searchsorted(
        np.asarray(edges, dtype="float64"), np.asarray(scores, dtype="float64"), side="right"
    )


def band_counts(scores: np.ndarray, edges: np.ndarray) -> np.ndarray:
    return np.bincount(band_of(scores, edges), minlength=len(edges) + 1)


def calibration(
    y: np.ndarray, pd_: np.ndarray, scores: np.ndarray, edges: np.ndarray
) -> list[dict[str, float | None]]:
    """Per score band: records, bads, observed bad rate and mean predicted PD (empty bands omitted).

    `score_from` / `score_to` are None for the open-ended lowest / highest band.
    """
    band = band_of(scores, edges)
    n = len(edges) + 1
    count = np.bincount(band, minlength=n)
    bads = np.bincount(band, weights=np.asarray(y, dtype="float64"), minlength=n)
    pd_sum = np.bincount(band, weights=np.asarray(pd_, dtype="float64"), minlength=n)
    lo = [None, *map(float, edges)]
    hi = [*map(float, edges), None]
    rows = []
    for i in np.flatnonzero(count):
        rows.append(
            {
                "band": int(i) + 1,
                "score_from": lo[i],
                "score_to": hi[i],
                "count": int(count[i]),
                "bads": int(bads[i]),
                "bad_rate": float(bads[i] / count[i]),
                "mean_pd": float(pd_sum[i] / count[i]),
            }
        )
    return rows
