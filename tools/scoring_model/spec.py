"""The model spec: everything needed to score, as plain JSON (bins, WoE, coefficients, points).

Loading a spec is parsing JSON into pydantic models, so a model artefact cannot execute code.

Conventions:
- WoE is optbinning's: ln(share of goods / share of bads) — positive means better than average.
- Numerical bins are half-open `[split_{i-1}, split_i)`; `bins` lists them in order, then the missing bin.
- Categorical bins hold lists of categories; a category unseen in development scores as missing.
- PD = sigmoid(intercept + Σ coefficient·WoE); points = offset/n − factor·(coefficient·WoE + intercept/n),
  so the score (Σ points) = offset + factor·ln(good:bad odds); `pdo` more points double the odds.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SPEC_VERSION = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Scaling(_Frozen):
    """Points-to-double-odds scaling: `base_score` points at good:bad odds `base_odds`."""

    pdo: float = Field(20.0, gt=0)
    base_score: float = 600.0
    base_odds: float = Field(50.0, gt=0)

    @property
    def factor(self) -> float:
        return self.pdo / math.log(2.0)

    @property
    def offset(self) -> float:
        return self.base_score - self.factor * math.log(self.base_odds)


class BinSpec(_Frozen):
    label: str
    count: int = Field(ge=0, description="Development-sample records in the bin")
    bads: int = Field(ge=0)
    woe: float
    points: float


class FeatureSpec(_Frozen):
    name: str
    kind: Literal["numerical", "categorical"]
    splits: list[float] | None = Field(None, description="Numerical: ascending split points")
    categories: list[list[str]] | None = Field(None, description="Categorical: the categories of each bin")
    bins: list[BinSpec] = Field(min_length=1, description="Regular bins, in order")
    missing: BinSpec
    iv: float = Field(ge=0)
    coefficient: float

    @model_validator(mode="after")
    def _shape(self) -> FeatureSpec:
        if self.kind == "numerical":
            if self.splits is None or len(self.splits) != len(self.bins) - 1:
                raise ValueError(f"{self.name}: a numerical feature needs len(bins) - 1 splits")
            if any(b <= a for a, b in zip(self.splits, self.splits[1:], strict=False)):
                raise ValueError(f"{self.name}: splits must be strictly ascending")
        elif self.categories is None or len(self.categories) != len(self.bins):
            raise ValueError(f"{self.name}: a categorical feature needs one category list per bin")
        return self

    @property
    def all_bins(self) -> list[BinSpec]:
        """Regular bins then the missing bin (the order bin indices refer to)."""
        return [*self.bins, self.missing]

    @property
    def best_points(self) -> float:
        """The most points a value of this feature can earn (over bins seen in development)."""
        seen = [b.points for b in self.all_bins if b.count > 0]
        return max(seen) if seen else max(b.points for b in self.all_bins)


class ModelSpec(_Frozen):
    spec_version: int = SPEC_VERSION
    target: str
    bad_value: str
    intercept: float
    scaling: Scaling
    features: list[FeatureSpec] = Field(min_length=1)
    score_edges: list[float] = Field(description="Development-sample score band edges (inner cut points)")
    score_band_counts: list[int] = Field(description="Development-sample records per score band")

    @model_validator(mode="after")
    def _bands(self) -> ModelSpec:
        if len(self.score_band_counts) != len(self.score_edges) + 1:
            raise ValueError("score_band_counts needs one more entry than score_edges")
        return self

    @property
    def feature_names(self) -> list[str]:
        return [f.name for f in self.features]
