"""The credit policy file's schema: every threshold the engine uses, validated at start-up.

The root model is `Policy`; `tools.policy.loader.load_policy()` reads and validates the YAML.
Unknown keys are refused everywhere (extra="forbid"), so a typo fails loudly with its field path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from crm_adapter.enums import Product, Severity
from tools.approvals.authority import AuthorityPolicy
from tools.policy.feature_names import FEATURE_COLUMNS
from tools.statements.policy import StatementsPolicy

Share = float  # a share that may exceed 1 (a multiple of a base), 0.25 = 25 %


def _fraction(value: float) -> float:
    """A fraction in [0, 1]; a value like 85 is a percent written where a fraction belongs."""
    if not 0.0 <= value <= 1.0:
        hint = f" ({value:g} looks like a percent: write {value / 100:g})" if 1.0 < value <= 100.0 else ""
        raise ValueError(f"must be a fraction between 0 and 1{hint}")
    return value


Fraction = Annotated[float, AfterValidator(_fraction)]  # 0.85 = 85 %; bounded in [0, 1]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- rating --------------------------------------------------------------------------------


class GradeBand(_Strict):
    grade: int = Field(ge=1, le=10)
    name: str
    min_score: float = Field(ge=0, le=100, description="Lowest score (inclusive) that earns this grade")
    pd: float = Field(gt=0, lt=1, description="Probability of default over one year")


class RatingPolicy(_Strict):
    grades: list[GradeBand]
    default_dpd: int = Field(90, ge=1)
    no_statements_best_grade: int | None = Field(
        None, ge=1, le=10, description="Without financial statements the grade is at best this"
    )

    @field_validator("grades")
    @classmethod
    def _master_scale(cls, grades: list[GradeBand]) -> list[GradeBand]:
        if [g.grade for g in grades] != list(range(1, len(grades) + 1)) or len(grades) < 2:
            raise ValueError("grades must be listed 1, 2, 3 … in order")
        for better, worse in zip(grades, grades[1:], strict=False):
            if not worse.min_score < better.min_score:
                raise ValueError(f"min_score must fall from grade {better.grade} to {worse.grade}")
            if not worse.pd > better.pd:
                raise ValueError(f"pd must rise from grade {better.grade} to {worse.grade}")
        if grades[-1].min_score != 0:
            raise ValueError("the worst grade must start at min_score 0")
        return grades

    def band(self, grade: int) -> GradeBand:
        return self.grades[grade - 1]


# --- LGD / EAD -------------------------------------------------------------------------------


class LgdPair(_Strict):
    unsecured: float = Field(ge=0, le=1)
    secured: float = Field(ge=0, le=1)


class LgdPolicy(_Strict):
    by_product: dict[Product, LgdPair]
    insured_lgd: float = Field(0.1, ge=0, le=1)
    ccf: dict[Product, float]

    @field_validator("ccf")
    @classmethod
    def _ccf_range(cls, value: dict[Product, float]) -> dict[Product, float]:
        for product, ccf in value.items():
            if not 0 <= ccf <= 1:
                raise ValueError(f"ccf for {product.value} must be between 0 and 1")
        return value

    @model_validator(mode="after")
    def _every_product(self) -> LgdPolicy:
        for name, table in (("by_product", self.by_product), ("ccf", self.ccf)):
            missing = [p.value for p in Product if p not in table]
            if missing:
                raise ValueError(f"{name} lacks products: {', '.join(missing)}")
        return self


# --- scorecard ---------------------------------------------------------------------------------


class ScoreBin(_Strict):
    max: float | None = Field(None, description="Inclusive upper bound; null = open-ended last bin")
    points: float


class ScoreFactorPolicy(_Strict):
    name: str = Field(description="Column of the feature frame (tools.engine.features)")
    label: str
    unit: Literal["x", "%", "days", "count", "points"] = "x"
    bins: list[ScoreBin]
    missing_points: float

    @field_validator("bins")
    @classmethod
    def _ordered(cls, bins: list[ScoreBin]) -> list[ScoreBin]:
        if not bins or bins[-1].max is not None:
            raise ValueError("the last bin must be open-ended (max: null)")
        edges = [b.max for b in bins[:-1]]
        if any(e is None for e in edges) or edges != sorted(edges) or len(set(edges)) != len(edges):
            raise ValueError("bin upper bounds must be strictly increasing")
        return bins

    @property
    def max_points(self) -> float:
        return max(max(b.points for b in self.bins), self.missing_points)


class ScorecardPolicy(_Strict):
    base_points: float = 0
    factors: list[ScoreFactorPolicy]

    @field_validator("factors")
    @classmethod
    def _known(cls, factors: list[ScoreFactorPolicy]) -> list[ScoreFactorPolicy]:
        for f in factors:
            if f.name not in FEATURE_COLUMNS:
                raise ValueError(f"unknown factor '{f.name}' (known: {', '.join(FEATURE_COLUMNS)})")
        return factors

    @property
    def max_score(self) -> float:
        return self.base_points + sum(f.max_points for f in self.factors)


class ReputationPolicy(_Strict):
    severity_weights: dict[Severity, float]
    positive_weight: float = -1.0
    half_life_days: int = Field(180, ge=1)
    lookback_days: int = Field(730, ge=1)


class DataPolicy(_Strict):
    statements_stale_months: int = Field(15, ge=1)
    flows_stale_months: int = Field(3, ge=1)
    dscr_amortisation_years: float = Field(5, gt=0)
    paid_tolerance: Fraction = Field(
        0.0, description="An instalment is paid when amount paid ≥ amount due × (1 − this)"
    )


# --- calendar ---------------------------------------------------------------------------------


class GradeMonths(_Strict):
    max_grade: int = Field(ge=1, le=10)
    months: int = Field(ge=1, le=36)


class ExposureOverride(_Strict):
    min_exposure: Decimal = Field(ge=0)
    max_months: int = Field(ge=1, le=36)


class ReviewPolicy(_Strict):
    frequency_months_by_grade: list[GradeMonths]
    exposure_overrides: list[ExposureOverride] = Field(default_factory=list)
    due_horizon_days: int = Field(30, ge=0)

    @field_validator("frequency_months_by_grade")
    @classmethod
    def _covers_all(cls, rows: list[GradeMonths]) -> list[GradeMonths]:
        if [r.max_grade for r in rows] != sorted({r.max_grade for r in rows}) or rows[-1].max_grade != 10:
            raise ValueError("max_grade must increase and the last row must reach grade 10")
        return rows


class GradeDays(_Strict):
    max_grade: int = Field(ge=1, le=10)
    days: int = Field(ge=1, le=730)


class ContactPolicy(_Strict):
    frequency_days_by_grade: list[GradeDays]
    amber_days: int = Field(45, ge=1)
    red_days: int = Field(14, ge=1)

    @field_validator("frequency_days_by_grade")
    @classmethod
    def _covers_all(cls, rows: list[GradeDays]) -> list[GradeDays]:
        if [r.max_grade for r in rows] != sorted({r.max_grade for r in rows}) or rows[-1].max_grade != 10:
            raise ValueError("max_grade must increase and the last row must reach grade 10")
        return rows


# --- limits and adjustment -----------------------------------------------------------------


class NeedPolicy(_Strict):
    buffer: Share = Field(0.2, ge=0, le=2)
    flow_months: float = Field(1.5, gt=0, le=12)
    min_ccc_days: float = Field(15, ge=0, le=365)


class GradeCap(_Strict):
    grade: int = Field(ge=1, le=10)
    ebitda_multiple: float | None = Field(None, ge=0)
    revenue_share: Share | None = Field(None, ge=0, le=5)
    equity_multiple: float | None = Field(None, ge=0)
    flow_share: Share | None = Field(None, ge=0, le=5, description="Share of annual bank inflows")


class LimitPolicy(_Strict):
    need: NeedPolicy
    caps_by_grade: list[GradeCap]
    no_increase_from_grade: int = Field(8, ge=1, le=11)
    rounding: Decimal = Field(Decimal(10000), gt=0)
    minimum: Decimal = Field(Decimal(0), ge=0)

    @field_validator("caps_by_grade")
    @classmethod
    def _one_per_grade(cls, caps: list[GradeCap]) -> list[GradeCap]:
        if [c.grade for c in caps] != list(range(1, 11)):
            raise ValueError("caps_by_grade needs one row per grade 1 … 10, in order")
        return caps


class AdjustmentPolicy(_Strict):
    increase_gap: Share = Field(0.15, ge=0)
    decrease_gap: Share = Field(0.15, ge=0)
    increase_max_grade: int = Field(6, ge=1, le=10)
    increase_min_utilisation: Fraction = 0.6
    downgrade_notches: int = Field(2, ge=1)
    freeze_dpd: int = Field(60, ge=1)
    freeze_on_red: list[str] = Field(
        default_factory=lambda: ["new_past_due", "limit_excess", "adverse_signal"],
        description="EWS indicators whose red level proposes a freeze",
    )
    low_utilisation: Fraction = 0.2


# --- early warning -------------------------------------------------------------------------


class Thresholds(_Strict):
    amber: float
    red: float

    @model_validator(mode="after")
    def _order(self) -> Thresholds:
        if self.red < self.amber:
            raise ValueError("red must be at or beyond amber")
        return self


class FractionThresholds(Thresholds):
    """Amber / red as fractions (0.85 = 85 %), each in [0, 1]."""

    amber: Fraction
    red: Fraction


class BelowThresholds(_Strict):
    """A ratio that warns when it falls: amber below `amber`, red below `red` (red ≤ amber)."""

    amber: float
    red: float

    @model_validator(mode="after")
    def _order(self) -> BelowThresholds:
        if self.red > self.amber:
            raise ValueError("red must be at or below amber (the indicator fires as the value falls)")
        return self


class DayThresholds(_Strict):
    amber_days: int = Field(1, ge=0)
    red_days: int = Field(90, ge=0)

    @model_validator(mode="after")
    def _order(self) -> DayThresholds:
        if self.red_days < self.amber_days:
            raise ValueError("red_days must be at or beyond amber_days")
        return self


class AdverseSignalRule(_Strict):
    amber_severity: Severity = Severity.HIGH
    red_severity: Severity = Severity.SEVERE
    window_days: int = Field(180, ge=1)


class StatementsOverdueRule(_Strict):
    amber_months: int = Field(15, ge=1)
    red_months: int = Field(21, ge=1)


class InsuranceRule(_Strict):
    expiring_days: int = Field(60, ge=0)


class ConcentrationRule(_Strict):
    amber_share_of_limit: Fraction = Field(0.9, gt=0)


class EwsPolicy(_Strict):
    new_past_due: Thresholds
    high_utilisation: FractionThresholds
    inflow_drop: FractionThresholds
    limit_excess: FractionThresholds
    rating_downgrade: Thresholds
    low_dscr: BelowThresholds = BelowThresholds(amber=1.25, red=1.0)
    review_overdue: DayThresholds = DayThresholds(amber_days=1, red_days=90)
    adverse_signal: AdverseSignalRule
    statements_overdue: StatementsOverdueRule
    insurance: InsuranceRule
    concentration: ConcentrationRule


# --- concentration and insurance -------------------------------------------------------------


class ShareLimit(_Strict):
    max_share: Fraction = Field(gt=0, description="Of the book's total limits")
    max_share_of_capital: Fraction | None = Field(None, gt=0, description="Of the capital base")


class ConcentrationPolicy(_Strict):
    industry: ShareLimit
    industry_overrides: dict[str, Fraction] = Field(default_factory=dict)
    known_industries: list[str] = Field(default_factory=list)
    region: ShareLimit
    size_segment: ShareLimit
    single_name: ShareLimit
    group: ShareLimit


class InsurancePolicy(_Strict):
    required_products: list[Product] = Field(default_factory=list)
    required_from_grade: int = Field(8, ge=1, le=11)
    min_cover_ratio: Fraction = 0.6
    expiring_days: int = Field(60, ge=0)
    cap_uplift: float = Field(1.0, ge=0, le=2)
    max_uplift_share: Share = Field(0.5, ge=0, le=2)


# --- root -----------------------------------------------------------------------------------


class ModelMonitoringPolicy(_Strict):
    """Population stability of a scoring model (`creditdesk model monitor`): PSI/CSI below `psi_watch` is
    stable, up to `psi_drift` is watch, above it is drift."""

    psi_watch: float = Field(0.1, gt=0)
    psi_drift: float = Field(0.25, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> ModelMonitoringPolicy:
        if self.psi_drift <= self.psi_watch:
            raise ValueError("psi_drift must be above psi_watch")
        return self


class Policy(_Strict):
    """The whole credit policy. `version` is recorded on every result computed under it."""

    version: str = Field(min_length=1, max_length=64)
    effective_date: dt.date
    capital_base: Decimal = Field(gt=0)
    rating: RatingPolicy
    lgd: LgdPolicy
    scorecard: ScorecardPolicy
    reputation: ReputationPolicy
    data: DataPolicy
    review: ReviewPolicy
    contact: ContactPolicy
    limits: LimitPolicy
    adjustment: AdjustmentPolicy
    ews: EwsPolicy
    concentration: ConcentrationPolicy
    insurance: InsurancePolicy
    authority: AuthorityPolicy
    model_monitoring: ModelMonitoringPolicy = ModelMonitoringPolicy()
    statements: StatementsPolicy = StatementsPolicy()

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the policy's content (canonical JSON): an edited file never passes for the original."""
        data = self.model_dump(mode="json")
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def stamp(self) -> str:
        """The version with the first 12 hex digits of the content hash, e.g. `2026.1-default#3fa2…`."""
        return f"{self.version}#{self.content_hash[:12]}"
