"""RegisteredModel: a model spec as the credit engine's `Scorer` (vectorised over a feature frame).

Reason codes are the features whose bin costs the most points against the feature's best bin
(only features that cost points are named; fewer than three can be given).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kernel.errors import InvalidInput
from tools.scoring_model.spec import FeatureSpec, ModelSpec

N_REASONS = 3
REASON_TOLERANCE = 1e-9


class RegisteredModel:
    """Implements `tools.engine.scorer.Scorer`: `score` higher = better, `pd` in (0, 1), reason_1..3."""

    def __init__(self, spec: ModelSpec, model_id: str) -> None:
        self.spec = spec
        self.model_id = model_id
        self._coef = np.array([f.coefficient for f in spec.features])
        self._best = np.array([f.best_points for f in spec.features])
        self._names = np.array(spec.feature_names, dtype=object)

    def bin_indices(self, features: pd.DataFrame) -> np.ndarray:
        """(records × features) bin index; the missing bin is index len(feature.bins)."""
        missing = [name for name in self.spec.feature_names if name not in features.columns]
        if missing:
            raise InvalidInput(
                f"model {self.model_id} needs feature column(s) missing from the data: {', '.join(missing)}",
                field="features",
            )
        cols = [_bin_index(f, features[f.name]) for f in self.spec.features]
        return np.column_stack(cols) if cols else np.empty((len(features), 0), dtype=int)

    def woe(self, features: pd.DataFrame) -> np.ndarray:
        """(records × features) WoE of each record's bin."""
        return self._lookup(self.bin_indices(features), "woe")

    def points(self, features: pd.DataFrame) -> pd.DataFrame:
        """Points per feature (one column per model feature)."""
        idx = self.bin_indices(features)
        return pd.DataFrame(
            self._lookup(idx, "points"), index=features.index, columns=self.spec.feature_names
        )

    def score(self, features: pd.DataFrame) -> pd.DataFrame:
        idx = self.bin_indices(features)
        points = self._lookup(idx, "points")
        logit = self.spec.intercept + self._lookup(idx, "woe") @ self._coef
        out = pd.DataFrame(index=features.index)
        out["score"] = points.sum(axis=1)
        out["pd"] = 1.0 / (1.0 + np.exp(-logit))
        lost = self._best[None, :] - points
        order = np.argsort(-lost, axis=1, kind="stable")
        rows = np.arange(len(features))
        for k in range(N_REASONS):
            if k < lost.shape[1]:
                col = order[:, k]
                out[f"reason_{k + 1}"] = np.where(lost[rows, col] > REASON_TOLERANCE, self._names[col], None)
            else:
                out[f"reason_{k + 1}"] = None
        return out

    def _lookup(self, idx: np.ndarray, attr: str) -> np.ndarray:
        out = np.empty(idx.shape, dtype="float64")
        for j, feature in enumerate(self.spec.features):
            table = np.array([getattr(b, attr) for b in feature.all_bins], dtype="float64")
            out[:, j] = table[idx[:, j]]
        return out


def _bin_index(feature: FeatureSpec, values: pd.Series) -> np.ndarray:
    missing_bin = len(feature.bins)
    if feature.kind == "numerical":
        x = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
        idx = np.searchsorted(np.asarray(feature.splits, dtype="float64"), x, side="right")
        return np.where(np.isnan(x), missing_bin, idx)
    lookup = {c: i for i, group in enumerate(feature.categories or []) for c in group}
    text = values.astype(object)
    text = text.where(text.isna(), text.astype(str))
    return text.map(lookup).fillna(missing_bin).to_numpy(dtype="int64")
