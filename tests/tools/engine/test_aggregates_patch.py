"""Book aggregates patched by the difference after a write, checked by hand on a 4-client book."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from tools.engine.aggregates import BookAggregates

AS_OF = dt.date(2026, 11, 28)
DIMS = ("industry", "region", "size_segment", "group", "single_name")


def _rows(totals: dict[int, float], **buckets: dict[int, str]) -> pd.DataFrame:
    ids = list(totals)
    frame = pd.DataFrame({"total_limit": [totals[i] for i in ids]}, index=pd.Index(ids, name="client_id"))
    for dim in DIMS[:4]:
        frame[dim] = [buckets[dim][i] for i in ids]
    frame["single_name"] = [str(i) for i in ids]
    return frame


def _series(values: dict[str, float], dim: str) -> pd.Series:
    return pd.Series(values, dtype="float64", name="total_limit").rename_axis(dim)


BUCKETS = {
    "industry": {1: "A", 2: "A", 3: "B", 4: "B"},
    "region": {1: "X", 2: "Y", 3: "X", 4: "Y"},
    "size_segment": {1: "s", 2: "s", 3: "m", 4: "m"},
    "group": {1: "g1", 2: "g1", 3: "client:3", 4: "client:4"},
}
# limits 100, 200, 300, 400: total 1,000; worked out by hand
BEFORE = BookAggregates(
    as_of=AS_OF, data_version=1, policy_hash="p", clients=4, total=1000.0,
    sums={"industry": _series({"A": 300, "B": 700}, "industry"), "region": _series({"X": 400, "Y": 600}, "region"),
          "size_segment": _series({"m": 700, "s": 300}, "size_segment"), "group": _series({"g1": 300}, "group")},
    hhi={"industry": 0.58, "region": 0.52, "size_segment": 0.58, "group": 0.34, "single_name": 0.30},
)  # fmt: skip


def test_a_limit_change_patches_totals_buckets_and_hhi() -> None:
    # client 2: 200 → 500, client 3: 300 → 100; total 1,100
    old = _rows({2: 200.0, 3: 300.0}, **BUCKETS)
    new = _rows({2: 500.0, 3: 100.0}, **BUCKETS)
    after = BEFORE.patched(old, new, data_version=2)
    assert after is not None and after.data_version == 2 and after.clients == 4
    assert after.total == 1100.0
    assert after.sums["industry"].to_dict() == {"A": 600.0, "B": 500.0}
    assert after.sums["region"].to_dict() == {"X": 200.0, "Y": 900.0}
    assert after.sums["size_segment"].to_dict() == {"m": 500.0, "s": 600.0}
    assert after.sums["group"].to_dict() == {"g1": 600.0}
    t2 = 1100.0**2
    expected = {"industry": (600**2 + 500**2) / t2, "region": (200**2 + 900**2) / t2,
                "size_segment": (600**2 + 500**2) / t2, "group": (600**2 + 100**2 + 400**2) / t2,
                "single_name": (100**2 + 500**2 + 100**2 + 400**2) / t2}  # fmt: skip
    for dim, v in expected.items():
        assert math.isclose(after.hhi[dim], v, rel_tol=1e-12), dim
    # the largest move of a shared denominator: region Y and industry A by 300
    assert BEFORE.largest_move(after) == 300.0


@pytest.mark.parametrize("dim", ["industry", "group"])
def test_a_client_changing_bucket_is_not_patched(dim: str) -> None:
    moved = {k: dict(v) for k, v in BUCKETS.items()}
    moved[dim][2] = "B" if dim == "industry" else "client:2"
    assert BEFORE.patched(_rows({2: 200.0}, **BUCKETS), _rows({2: 200.0}, **moved), data_version=2) is None


def test_a_client_joining_is_not_patched() -> None:
    joined = {k: {**v, 5: "A" if k == "industry" else "X" if k == "region" else "s" if k == "size_segment"
                  else "g1"} for k, v in BUCKETS.items()}  # fmt: skip
    assert BEFORE.patched(_rows({}, **BUCKETS), _rows({5: 10.0}, **joined), data_version=2) is None
