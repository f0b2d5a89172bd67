"""The expert scorecard: documented points per factor from the policy, no training data needed.

Each factor's value falls in a bin (inclusive upper bounds) that gives its points; a missing value
gets the factor's `missing_points`. The score is base + Σ points, rescaled to 0–100 by the maximum
attainable. Reason codes are the factors that cost the most points against their best bin.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.policy.schema import Policy, ScoreFactorPolicy

EXPERT_MODEL_ID = "expert"


def factor_points(values: np.ndarray, factor: ScoreFactorPolicy) -> np.ndarray:
    """Points per value for one factor (vectorised)."""
    edges = np.array([b.max for b in factor.bins[:-1]], dtype="float64")
    points = np.array([b.points for b in factor.bins], dtype="float64")
    idx = np.searchsorted(edges, values, side="left")  # value ≤ edge[i] → bin i
    out = points[np.minimum(idx, len(points) - 1)]
    return np.where(np.isnan(values), factor.missing_points, out)


def score_expert(features: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Columns: `score` (0–100), `pts_<factor>` and `lost_<factor>` per factor, reason_1..3."""
    sc = policy.scorecard
    n = len(features)
    out: dict[str, object] = {}  # columns collected, then one frame (not one insert per column)
    total = np.full(n, sc.base_points, dtype="float64")
    lost = []
    for factor in sc.factors:
        pts = factor_points(features[factor.name].to_numpy(dtype="float64"), factor)
        out[f"pts_{factor.name}"] = pts
        out[f"lost_{factor.name}"] = factor.max_points - pts
        lost.append(factor.max_points - pts)
        total += pts
    out["score"] = np.clip(total / sc.max_score * 100.0, 0.0, 100.0) if sc.max_score > 0 else np.zeros(n)
    none = pd.Series(np.full(n, None, dtype=object), index=features.index, dtype=object)
    names = np.array([f.name for f in sc.factors], dtype=object)
    if lost:
        lost_m = np.column_stack(lost)
        order = np.argsort(-lost_m, axis=1, kind="stable")
        for k in range(3):
            col = order[:, k] if k < lost_m.shape[1] else None
            if col is None:
                out[f"reason_{k + 1}"] = none
                continue
            took = lost_m[np.arange(len(lost_m)), col] > 0
            out[f"reason_{k + 1}"] = np.where(took, names[col], None)
    else:
        for k in range(3):
            out[f"reason_{k + 1}"] = none
    return pd.DataFrame(out, index=features.index)
