"""Optimal binning per feature (optbinning): monotonic bad rate for numbers, a separate missing bin.

The fitted optbinning objects are reduced to `FeatureBins` (splits or category groups, counts, WoE,
IV) straight away; nothing of optbinning is kept in a model artefact.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd
from optbinning import OptimalBinning

MIN_BIN_SIZE = 0.05  # each bin holds at least 5% of the development sample


@dataclass(frozen=True)
class BinStats:
    label: str
    count: int
    bads: int
    woe: float


@dataclass(frozen=True)
class FeatureBins:
    name: str
    kind: Literal["numerical", "categorical"]
    splits: list[float] | None
    categories: list[list[str]] | None
    bins: list[BinStats]
    missing: BinStats
    iv: float


def fit_feature(name: str, values: pd.Series, y: np.ndarray) -> FeatureBins:
    numerical = pd.api.types.is_numeric_dtype(values)
    kind: Literal["numerical", "categorical"] = "numerical" if numerical else "categorical"
    optb = OptimalBinning(
        name=name,
        dtype=kind,
        monotonic_trend="auto_asc_desc" if numerical else None,
        min_bin_size=MIN_BIN_SIZE,
    )
    x = values.to_numpy(dtype="float64") if numerical else values.to_numpy(dtype=object)
    optb.fit(x, y)
    table = optb.binning_table.build()
    rows = [
        BinStats(label=str(r["Bin"]), count=int(r["Count"]), bads=int(r["Event"]), woe=float(r["WoE"]))
        for _, r in table.iloc[:-1].iterrows()  # drop the Totals row
    ]
    regular, missing = rows[:-2], rows[-1]  # the last two are Special (unused) and Missing
    if numerical:
        splits: list[float] | None = [float(s) for s in optb.splits]
        categories = None
    else:
        splits = None
        categories = [[str(c) for c in group] for group in optb.splits]
        regular = [replace(b, label=" | ".join(group)) for b, group in zip(regular, categories, strict=True)]
    return FeatureBins(
        name=name,
        kind=kind,
        splits=splits,
        categories=categories,
        bins=regular,
        missing=missing,
        iv=float(optb.binning_table.iv),
    )


def fit_binning(features: pd.DataFrame, y: np.ndarray) -> list[FeatureBins]:
    return [fit_feature(name, features[name], y) for name in features.columns]
