"""Stored review-run warnings: codes and numbers per client, JSON built column-wise (review_runs.warnings_json)."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

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


floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 3.0, 0.1 + 0.2])
warning = st.tuples(
    st.integers(1, 6),  # client id: few, so clients have several warnings
    st.sampled_from(["new_past_due", "adverse_signal", "high_utilisation"]),
    st.sampled_from(["red", "amber"]),
    floats,
    floats,
    st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
    st.none() | st.text(max_size=12),
)


@given(st.lists(warning, min_size=1, max_size=40))
def test_warnings_json_is_each_clients_warnings_in_order(rows) -> None:  # type: ignore[no-untyped-def]
    """Against the plain reference: per client, its rows in order, numbers exact (NaN/inf → null), dates ISO."""
    w = pd.DataFrame(
        rows, columns=["client_id", "indicator", "level", "value", "threshold", "date", "message"]
    )
    w["date"] = pd.to_datetime(w["date"])
    out = warnings_json(w)

    def number(v: float) -> float | None:
        return v if math.isfinite(v) else None

    expected: dict[int, list[dict]] = {}
    for cid, ind, lv, v, t, d, m in rows:
        item = {"indicator": ind, "level": lv, "value": number(v), "threshold": number(t),
                "date": None if d is None else d.isoformat()}  # fmt: skip
        if m is not None:
            item["message"] = m
        expected.setdefault(cid, []).append(item)
    assert out.index.tolist() == sorted(expected)
    for cid, items in expected.items():
        got = json.loads(out[cid])
        assert got == items
        for g, e in zip(got, items, strict=True):  # -0.0 == 0.0: the sign is kept too
            for key in ("value", "threshold"):
                if e[key] is not None:
                    assert math.copysign(1, g[key]) == math.copysign(1, e[key])
