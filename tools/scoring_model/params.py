"""What a training run takes (TrainParams) and gives (TrainedModel): light types, no sklearn import,
so the registry and model cards load without the training stack."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from tools.scoring_model.report import ValidationReport
from tools.scoring_model.spec import ModelSpec, Scaling


class TrainParams(BaseModel):
    model_config = ConfigDict(frozen=True)

    holdout_share: float = Field(0.3, gt=0.05, lt=0.6)
    min_iv: float = Field(0.02, ge=0)
    cv_folds: int = Field(5, ge=2, le=20)
    score_bands: int = Field(10, ge=2, le=50)
    regularisation_c: float = Field(1.0, gt=0)
    seed: int = 42
    scaling: Scaling = Scaling()


@dataclass
class TrainedModel:
    spec: ModelSpec
    report: ValidationReport
