"""Routing: which approval chain a request needs under the authority matrix (pure, no I/O)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from tools.approvals.authority import AuthorityPolicy, ExceptionCode

RISK_REDUCING_KINDS = frozenset({"decrease", "freeze"})


class PolicyException(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: ExceptionCode
    message: str


class StepPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    step_no: int
    level: int
    name: str
    quorum: int
    same_team: bool
    sla_hours: int


class Route(BaseModel):
    model_config = ConfigDict(frozen=True)

    required_level: int
    steps: list[StepPlan]
    reasons: list[str]


def route(
    authority: AuthorityPolicy,
    *,
    kind: str,
    group_exposure_after: Decimal,
    grade: int,
    exceptions: list[PolicyException],
    currency: str,
) -> Route:
    """The highest level any rule requires, and the chain of steps leading up to it."""
    if kind in RISK_REDUCING_KINDS:
        level = authority.risk_reducing_level
        reasons = [f"a {kind} reduces exposure: {authority.get(level).name} decides"]
        return Route(required_level=level, steps=_chain(authority, level), reasons=reasons)
    band = authority.band_level(group_exposure_after)
    band_def = authority.get(band)
    bound = (
        "no upper bound"
        if band_def.max_group_exposure is None
        else f"up to {band_def.max_group_exposure:,.0f}"
    )
    reasons = [
        f"group exposure after the change {currency} {group_exposure_after:,.2f}: {band_def.name} ({bound})"
    ]
    base = band
    for floor in authority.grade_floors:
        if grade >= floor.min_grade and floor.level > base:
            base = floor.level
            reasons.append(
                f"grade {grade} (≥ {floor.min_grade}) needs at least {authority.get(floor.level).name}"
            )
    level = base
    for exc in exceptions:
        rule = authority.exceptions.get(exc.code)
        if rule is None:
            continue
        candidate = max(authority.notch_up(base, rule.notches), rule.level or 0)
        if candidate > level:
            level = candidate
        reasons.append(
            f"exception {exc.code.value}: {exc.message} → at least {authority.get(candidate).name}"
        )
    return Route(required_level=level, steps=_chain(authority, level), reasons=reasons)


def _chain(authority: AuthorityPolicy, level: int) -> list[StepPlan]:
    """The required level and, transitively, every level that must sign off before it, lowest first."""
    needed: set[int] = set()
    todo = [level]
    while todo:
        current = todo.pop()
        if current not in needed:
            needed.add(current)
            todo.extend(authority.get(current).preceded_by)
    return [
        StepPlan(
            step_no=i,
            level=lv.level,
            name=lv.name,
            quorum=lv.quorum,
            same_team=lv.same_team,
            sla_hours=lv.sla_hours,
        )  # fmt: skip
        for i, lv in enumerate((authority.get(n) for n in sorted(needed)), start=1)
    ]
