"""The model card: what a model was trained on, how well it did, and what it is (not) for."""

from __future__ import annotations

import datetime as dt
import importlib.metadata

from pydantic import BaseModel, ConfigDict

from tools.scoring_model.data import TrainingData
from tools.scoring_model.params import TrainedModel, TrainParams
from tools.scoring_model.report import Discrimination, ValidationReport

SMALL_SAMPLE_BADS = 100


class DataLineage(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str  # "csv" | "book"
    name: str
    sha256: str
    rows: int
    rows_without_outcome: int
    target: str
    bad_value: str
    bads: int
    bad_rate: float
    time_column: str | None = None
    period: tuple[dt.date, dt.date] | None = None


class ModelCard(BaseModel):
    model_config = ConfigDict(frozen=True)

    model_id: str
    name: str
    version: int
    created_at: dt.datetime
    created_by: str | None
    data: DataLineage
    features: list[str]
    method: str
    params: TrainParams
    holdout: Discrimination
    cross_validated_auc: float
    score_psi: float
    benchmark: dict[str, Discrimination]
    intended_use: str
    limitations: list[str]
    software: dict[str, str]


def build_card(
    *,
    model_id: str,
    name: str,
    version: int,
    created_at: dt.datetime,
    created_by: str | None,
    data: TrainingData,
    trained: TrainedModel,
    params: TrainParams,
    time_column: str | None,
) -> ModelCard:
    report = trained.report
    bads = int(data.y.sum())
    period = None
    if data.time is not None:
        period = (data.time.min().date(), data.time.max().date())
    lineage = DataLineage(
        kind=data.source.kind,
        name=data.source.name,
        sha256=data.source.sha256,
        rows=len(data.y),
        rows_without_outcome=data.rows_without_outcome,
        target=data.target,
        bad_value=data.bad_value,
        bads=bads,
        bad_rate=round(bads / len(data.y), 6),
        time_column=time_column,
        period=period,
    )
    return ModelCard(
        model_id=model_id,
        name=name,
        version=version,
        created_at=created_at,
        created_by=created_by,
        data=lineage,
        features=trained.spec.feature_names,
        method="optimal monotonic binning (optbinning) → WoE → logistic regression → points-to-double-odds",
        params=params,
        holdout=report.holdout,
        cross_validated_auc=report.cross_validation.auc_mean,
        score_psi=report.score_psi,
        benchmark=report.benchmark,
        intended_use=(
            f"Rank obligors like those in '{lineage.name}' by their probability of "
            f"{lineage.target} = {lineage.bad_value!r}, as an input to credit-line reviews next to the expert "
            "scorecard. Not for automated decisions without an officer's review."
        ),
        limitations=_limitations(lineage, report, params),
        software={
            p: importlib.metadata.version(p) for p in ("optbinning", "scikit-learn", "numpy", "pandas")
        },
    )


def _limitations(lineage: DataLineage, report: ValidationReport, params: TrainParams) -> list[str]:
    out = [
        f"Valid for the population and outcome definition of the development data ({lineage.rows} records, "
        f"bad rate {lineage.bad_rate:.1%}); re-validate before using it on another segment or definition.",
        "Categories not seen in development, and missing values, score in the feature's missing bin.",
        f"Features with an information value below {params.min_iv:g}, or whose effect reversed in the "
        "regression, were left out.",
    ]
    if report.split.method == "stratified":
        out.append("Validated on a random holdout, not out of time: stability over time is not demonstrated.")
    if lineage.bads < SMALL_SAMPLE_BADS:
        out.append(f"Few bad outcomes ({lineage.bads}): metrics carry wide confidence intervals.")
    if lineage.rows_without_outcome:
        out.append(f"{lineage.rows_without_outcome} records without an outcome were excluded.")
    return out
