"""The `authority` section of the policy file: who may approve what.

- `levels`: approval levels (team lead, BU head, CCO, credit committee). Each decides requests whose
  *group exposure after the change* (total limits of the client's group — or of the client alone —
  in the reporting currency) is at most `max_group_exposure` (inclusive; null = no upper bound).
  `preceded_by` lists the levels that must sign off first (a chain such as BU head → CCO);
  `quorum` is how many distinct approvers the step needs; `same_team` restricts the step to
  approvers of the client officer's team; `sla_hours` is the step's service level.
- `grade_floors`: a grade at or worse than `min_grade` needs at least `level`.
- `exceptions`: a policy exception escalates by `notches` levels and/or to at least `level`; `past_due`
  fires above `min_dpd` days past due, `review_overdue` above `min_days` days overdue.
- `risk_reducing_level`: decreases and freezes only need this level (they reduce exposure).
- `stale`: what counts as a material change between raising and deciding a request.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ExceptionCode(StrEnum):
    ABOVE_RECOMMENDATION = "above_recommendation"
    NO_RECOMMENDATION = "no_recommendation"
    CONCENTRATION_BREACH = "concentration_breach"
    INSURANCE_MISSING = "insurance_missing"
    FROZEN_FACILITY = "frozen_facility"
    PAST_DUE = "past_due"
    FREEZE_PROPOSED = "freeze_proposed"
    REVIEW_OVERDUE = "review_overdue"
    NO_STATEMENTS = "no_statements"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AuthorityLevel(_Strict):
    level: int = Field(ge=1, le=9, description="Officers with approval_level >= this may decide at this step")
    name: str = Field(min_length=1)
    max_group_exposure: Decimal | None = Field(
        None, ge=0, description="Upper bound (inclusive) of group exposure after the change; None = unlimited"
    )
    quorum: int = Field(1, ge=1, description="Distinct approvers needed at this step")
    preceded_by: list[int] = Field(default_factory=list, description="Levels that sign off before this one")
    same_team: bool = Field(False, description="Only approvers of the client officer's team")
    sla_hours: int = Field(48, ge=1, description="Time allowed for the step")


class GradeFloor(_Strict):
    min_grade: int = Field(ge=1, le=10, description="This grade or worse …")
    level: int = Field(ge=1, description="… needs at least this level")


class ExceptionRule(_Strict):
    notches: int = Field(0, ge=0, description="Escalate this many levels above the amount/grade level")
    level: int | None = Field(None, ge=1, description="… and to at least this level")
    min_dpd: int | None = Field(None, ge=0, description="past_due: raised above this many days past due")
    min_days: int | None = Field(
        None, ge=0, description="review_overdue: raised above this many days overdue"
    )


class StaleRule(_Strict):
    exposure_change: float = Field(0.05, gt=0, description="Group exposure moved by more than this share")
    recommendation_change: float = Field(
        0.10, gt=0, description="Recommendation moved by more than this share"
    )


class AuthorityPolicy(_Strict):
    levels: list[AuthorityLevel]
    grade_floors: list[GradeFloor] = Field(default_factory=list)
    exceptions: dict[ExceptionCode, ExceptionRule] = Field(default_factory=dict)
    risk_reducing_level: int = Field(1, ge=1)
    stale: StaleRule = StaleRule()

    @model_validator(mode="after")
    def _consistent(self) -> AuthorityPolicy:
        numbers = [lv.level for lv in self.levels]
        if not numbers or numbers != sorted(set(numbers)):
            raise ValueError("levels must be listed in strictly increasing order of `level`")
        bounds = [lv.max_group_exposure for lv in self.levels]
        if bounds[-1] is not None:
            raise ValueError("the highest level must have no upper bound (max_group_exposure: null)")
        finite = [b for b in bounds[:-1] if b is not None]
        if len(finite) != len(bounds) - 1 or finite != sorted(set(finite)):
            raise ValueError("max_group_exposure must rise strictly from level to level")
        known = set(numbers)
        for lv in self.levels:
            if any(p not in known or p >= lv.level for p in lv.preceded_by):
                raise ValueError(f"level {lv.level}: preceded_by must name lower, defined levels")
        referenced = [f.level for f in self.grade_floors] + [
            r.level for r in self.exceptions.values() if r.level is not None
        ]
        if self.risk_reducing_level not in known or any(x not in known for x in referenced):
            raise ValueError(f"every level referenced must be one of the defined levels {numbers}")
        return self

    def get(self, level: int) -> AuthorityLevel:
        return next(lv for lv in self.levels if lv.level == level)

    def band_level(self, group_exposure_after: Decimal) -> int:
        """The lowest level whose band covers this exposure (bounds are inclusive)."""
        for lv in self.levels:
            if lv.max_group_exposure is None or group_exposure_after <= lv.max_group_exposure:
                return lv.level
        return self.levels[-1].level  # unreachable: the last level is unbounded

    def notch_up(self, level: int, notches: int) -> int:
        numbers = [lv.level for lv in self.levels]
        return numbers[min(numbers.index(level) + notches, len(numbers) - 1)]
