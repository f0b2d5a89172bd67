"""Training data: load a CSV (or take a frame), validate it, and type the features.

Every problem is an `InvalidInput` raised before anything is trained or written, naming the column
and what to do about it (e.g. `--exclude COL`).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from kernel.errors import InvalidInput

MIN_PER_CLASS = 20  # fewer bads (or goods) than this cannot be binned, split and cross-validated
BAD_TOKENS = frozenset({"1", "true", "yes", "y", "bad", "default", "defaulted"})
ID_LIKE_MIN_ROWS = 50

OnUnusable = Literal["error", "drop"]


@dataclass(frozen=True)
class DataSource:
    kind: Literal["csv", "book"]
    name: str
    sha256: str
    rows: int


@dataclass
class TrainingData:
    """Typed features (float64 numerical, object categorical), the 0/1 outcome and an optional time."""

    features: pd.DataFrame
    y: np.ndarray
    target: str
    bad_value: str
    source: DataSource
    time: pd.Series | None = None
    rows_without_outcome: int = 0
    dropped_features: dict[str, str] = field(default_factory=dict)

    @property
    def categorical(self) -> list[str]:
        return [c for c in self.features.columns if not pd.api.types.is_numeric_dtype(self.features[c])]


def load_csv(
    path: Path,
    *,
    target: str,
    bad_value: str | None = None,
    time_column: str | None = None,
    exclude: tuple[str, ...] = (),
) -> TrainingData:
    """Read a UTF-8 CSV with a binary outcome column; unusable feature columns are an error."""
    frame, source = read_csv(path)
    return from_frame(
        frame, target=target, bad_value=bad_value, time_column=time_column, exclude=exclude, source=source
    )


def read_csv(path: Path) -> tuple[pd.DataFrame, DataSource]:
    """A UTF-8 CSV as a frame, with its lineage (file name and SHA-256 of its bytes)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}", field="csv") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{path.name} is not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "re-save it as UTF-8 CSV",
            field="csv",
        ) from exc
    try:
        frame = pd.read_csv(io.StringIO(text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InvalidInput(f"{path.name} is not a readable CSV: {exc}", field="csv") from exc
    return frame, DataSource(
        kind="csv", name=path.name, sha256=hashlib.sha256(raw).hexdigest(), rows=len(frame)
    )


def frame_sha256(frame: pd.DataFrame) -> str:
    """A content hash of a frame (values and index), for the model card's data lineage."""
    hashed = pd.util.hash_pandas_object(frame, index=True).to_numpy()
    return hashlib.sha256(hashed.tobytes() + ",".join(map(str, frame.columns)).encode()).hexdigest()


def from_frame(
    frame: pd.DataFrame,
    *,
    target: str,
    source: DataSource,
    bad_value: str | None = None,
    time_column: str | None = None,
    exclude: tuple[str, ...] = (),
    on_unusable: OnUnusable = "error",
) -> TrainingData:
    _require_columns(frame, [target], "target")
    if time_column is not None:
        _require_columns(frame, [time_column], "time_column")
    _require_columns(frame, list(exclude), "exclude")

    outcome = frame[target]
    known = outcome.notna().to_numpy()
    frame = frame.loc[known]
    labels = _labels(frame[target])
    bad = _bad_value(target, labels, bad_value)
    y = (labels == bad).to_numpy(dtype="int8")
    _require_both_classes(target, y)

    time = _parse_time(frame[time_column], time_column) if time_column else None
    feature_cols = [c for c in frame.columns if c not in {target, time_column, *exclude}]
    features = pd.DataFrame({c: _typed(frame[c]) for c in feature_cols}, index=frame.index)
    problems = unusable_features(features)
    if problems and on_unusable == "error":
        raise InvalidInput(
            f"{len(problems)} feature column(s) cannot be used; drop them with --exclude",
            field="csv",
            details=[f"{name}: {why}" for name, why in problems.items()],
        )
    features = features.drop(columns=list(problems))
    if features.shape[1] == 0:
        raise InvalidInput("no usable feature columns left to train on", field="csv")
    return TrainingData(
        features=features.reset_index(drop=True),
        y=y,
        target=target,
        bad_value=bad,
        source=source,
        time=time.reset_index(drop=True) if time is not None else None,
        rows_without_outcome=int((~known).sum()),
        dropped_features=problems,
    )


def unusable_features(features: pd.DataFrame) -> dict[str, str]:
    """Columns that carry no information: all missing, constant, or an identifier (distinct per row)."""
    problems: dict[str, str] = {}
    n = len(features)
    for name in features.columns:
        col = features[name]
        distinct = col.nunique(dropna=True)
        if distinct == 0:
            problems[name] = "all values are missing"
        elif distinct == 1:
            value = col.dropna().iloc[0]
            shown = value.item() if isinstance(value, np.generic) else value
            problems[name] = f"constant (every value is {shown!r})"
        elif (
            not pd.api.types.is_numeric_dtype(col) and n >= ID_LIKE_MIN_ROWS and distinct == col.notna().sum()
        ):
            problems[name] = "looks like an identifier (a different text value on every row)"
    return problems


def _require_columns(frame: pd.DataFrame, names: list[str], what: str) -> None:
    missing = [n for n in names if n not in frame.columns]
    if missing:
        shown = ", ".join(map(str, frame.columns[:12])) + (" …" if frame.shape[1] > 12 else "")
        raise InvalidInput(
            f"no column {', '.join(map(repr, missing))} in the data (columns: {shown})", field=what
        )


def _labels(outcome: pd.Series) -> pd.Series:
    """Outcome values as text, with integral floats (1.0) written as integers (1)."""
    if pd.api.types.is_bool_dtype(outcome):
        return outcome.map({True: "true", False: "false"}).astype(object)
    if pd.api.types.is_numeric_dtype(outcome):
        values = outcome.to_numpy(dtype="float64")
        if np.all(values == np.round(values)):
            return pd.Series(values.astype("int64").astype(str), index=outcome.index, dtype=object)
    return outcome.astype(str).str.strip().astype(object)


def _bad_value(target: str, labels: pd.Series, bad_value: str | None) -> str:
    values = sorted(pd.unique(labels))
    if len(values) != 2:
        shown = ", ".join(map(repr, values[:8])) + (" …" if len(values) > 8 else "")
        raise InvalidInput(
            f"target '{target}' must have exactly two outcome values; found {len(values)}: {shown}",
            field="target",
        )
    if bad_value is not None:
        if bad_value not in values:
            raise InvalidInput(
                f"--bad-value {bad_value!r} is not a value of '{target}' ({values[0]!r}, {values[1]!r})",
                field="bad_value",
            )
        return bad_value
    tagged = [v for v in values if v.lower() in BAD_TOKENS]
    if len(tagged) != 1:
        raise InvalidInput(
            f"cannot tell which value of '{target}' means bad ({values[0]!r} or {values[1]!r}); pass --bad-value",
            field="bad_value",
        )
    return tagged[0]


def _require_both_classes(target: str, y: np.ndarray) -> None:
    bads = int(y.sum())
    goods = len(y) - bads
    if min(bads, goods) < MIN_PER_CLASS:
        raise InvalidInput(
            f"target '{target}' has {bads} bad and {goods} good outcomes; "
            f"at least {MIN_PER_CLASS} of each are needed to train and validate",
            field="target",
        )


def _parse_time(col: pd.Series, name: str) -> pd.Series:
    parsed = pd.to_datetime(col, errors="coerce", format="mixed")
    bad = parsed.isna().to_numpy()
    if bad.any():
        first = col[bad].iloc[0]
        raise InvalidInput(
            f"{int(bad.sum())} value(s) of time column '{name}' are not dates (first: {first!r})",
            field="time_column",
        )
    return parsed


def _typed(col: pd.Series) -> pd.Series:
    """Numerical (incl. booleans) as float64; anything else as categorical text, missing kept missing."""
    if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
        return col.astype("float64")
    as_text = col.astype(object)
    return as_text.where(as_text.isna(), as_text.astype(str)).astype(object)
