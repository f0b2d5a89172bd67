"""Stored review-run warnings: codes and numbers per client, JSON built column-wise (review_runs.warnings_json)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from tools.engine.review_runs import warnings_json


def test_warnings_json_per_client_in_order() -> None:
    w = pd.DataFrame(
        {
            "client_id": [7, 3, 7],
            "indicator": ["new_past_due", "adverse_signal", "high_utilisation"],
            "level": ["red", "amber", "amber"],
            "value": [45.0, 3.0, math.nan],
            "threshold": [30.0, 3.0, 0.1 + 0.2],
            "date": pd.to_datetime(["2026-10-01", "2026-11-02", None]),
            "message": [None, 'high legal: "sued"', None],
        }
    )
    out = warnings_json(w)
    assert out.index.tolist() == [3, 7]
    assert json.loads(out[3]) == [
        {"indicator": "adverse_signal", "level": "amber", "value": 3.0, "threshold": 3.0, "date": "2026-11-02",
         "message": 'high legal: "sued"'}
    ]  # fmt: skip
    seven = json.loads(out[7])
    assert [x["indicator"] for x in seven] == ["new_past_due", "high_utilisation"]  # the rows' order kept
    assert seven[0]["date"] == "2026-10-01" and seven[0]["value"] == 45.0
    assert seven[1]["value"] is None and seven[1]["date"] is None  # NaN and NaT → null
    assert seven[1]["threshold"] == 0.30000000000000004  # the float exactly (repr round-trips)
    assert "message" not in seven[0]


def test_no_warnings() -> None:
    assert warnings_json(pd.DataFrame({"client_id": np.array([], dtype=int)})).empty
