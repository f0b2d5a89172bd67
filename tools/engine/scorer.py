"""The seam between the engine and a trained scoring model (tools/scoring_model)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import pandas as pd


@runtime_checkable
class Scorer(Protocol):
    """A promoted model. `score` is vectorised over the engine's feature frame (one row per client_id).

    Returns a frame indexed like `features` with columns:
      - `score` (float, higher = better), `pd` (float in (0, 1)),
      - `reason_1`, `reason_2`, `reason_3` (str or None: features costing most points against their best bin).
    """

    model_id: str

    def score(self, features: pd.DataFrame) -> pd.DataFrame: ...
