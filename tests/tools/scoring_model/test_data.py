"""CSV loading and validation: every bad input is an InvalidInput naming the problem."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kernel.errors import InvalidInput
from tools.scoring_model.data import load_csv

from .conftest import synthetic_history


def _csv(tmp_path: Path, frame: pd.DataFrame) -> Path:
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return path


def test_loads_types_and_infers_the_bad_value(history_csv: Path) -> None:
    data = load_csv(history_csv, target="status", time_column="opened", exclude=("obligor",))
    assert data.bad_value == "bad"
    assert set(data.features.columns) == {"leverage", "late_payments", "sector", "noise"}
    assert data.categorical == ["sector"]
    assert data.features["leverage"].isna().any() and data.time is not None
    assert data.source.kind == "csv" and len(data.source.sha256) == 64
    assert 0 < data.y.mean() < 1


@pytest.mark.parametrize(
    ("change", "kwargs", "field", "fragment"),
    [
        (None, {"target": "missing"}, "target", "no column 'missing'"),
        (
            lambda f: f.assign(status=np.resize(["a", "b", "c"], len(f))),
            {},
            "target",
            "exactly two outcome values",
        ),
        (lambda f: f.assign(flat=7), {}, "csv", "cannot be used"),
        (lambda f: f.assign(empty=np.nan), {}, "csv", "cannot be used"),
        (None, {"exclude": ()}, "csv", "cannot be used"),  # the obligor id column
        (lambda f: f.assign(status=np.resize(["x", "z"], len(f))), {}, "bad_value", "pass --bad-value"),
        (None, {"bad_value": "terrible"}, "bad_value", "not a value"),
        (lambda f: f.assign(opened="soon"), {"time_column": "opened"}, "time_column", "not dates"),
        (
            lambda f: f.assign(status=np.where(np.arange(len(f)) < 10, "bad", "good")),
            {},
            "target",
            "at least",
        ),
    ],
)
def test_bad_input(tmp_path: Path, change, kwargs, field: str, fragment: str) -> None:  # type: ignore[no-untyped-def]
    frame = synthetic_history(300)
    if change is not None:
        frame = change(frame)
    args = {"target": "status", "exclude": ("obligor",)} | kwargs
    with pytest.raises(InvalidInput) as err:
        load_csv(_csv(tmp_path, frame), **args)
    assert err.value.field == field
    assert fragment in err.value.message


def test_unusable_columns_are_listed(tmp_path: Path) -> None:
    frame = synthetic_history(300).assign(flat=1, empty=np.nan)
    with pytest.raises(InvalidInput) as err:
        load_csv(_csv(tmp_path, frame), target="status", exclude=("obligor",))
    assert err.value.details == ["flat: constant (every value is 1.0)", "empty: all values are missing"]


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,status\nMüller,bad\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        load_csv(path, target="status")


def test_numeric_target_and_missing_outcomes(tmp_path: Path) -> None:
    frame = synthetic_history(400)
    frame["status"] = np.where(frame["status"] == "bad", 1.0, 0.0)
    frame.loc[:9, "status"] = np.nan
    data = load_csv(_csv(tmp_path, frame), target="status", exclude=("obligor",))
    assert data.bad_value == "1" and data.rows_without_outcome == 10 and len(data.y) == 390
