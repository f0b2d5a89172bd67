"""Routing: which approval chain a request needs under the authority matrix (pure, no I/O)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from kernel.catalogue import named, render
from tools.approvals.authority import AuthorityPolicy, ExceptionCode
from tools.engine.results import Msg

RISK_REDUCING_KINDS = frozenset({"decrease", "freeze"})
LEVEL = "approval_level"  # the catalogue's names of the policy's approval levels


class PolicyException(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: ExceptionCode
    message: str  # English (API clients, the audit trail)
    msg: Msg | None = None  # the same, coded: said in the reader's language (None on requests stored before)

    @classmethod
    def coded(cls, code: ExceptionCode, key: str, **params: object) -> PolicyException:
        msg = Msg(key=key, params=params)
        return cls(code=code, message=render(msg, "en"), msg=msg)


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
    reasons: list[str]  # English (API clients, the stored request)
    reason_msgs: list[Msg] = []  # the same, coded: said in the reader's language

    @classmethod
    def of(cls, required_level: int, steps: list[StepPlan], msgs: list[Msg]) -> Route:
        return cls(required_level=required_level, steps=steps, reasons=[render(m, "en") for m in msgs],
                   reason_msgs=msgs)  # fmt: skip


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
        said = Msg(
            key="approvals.route.risk_reducing",
            params={"request_kind": kind, "name": named(LEVEL, authority.get(level).name)},
        )
        return Route.of(level, _chain(authority, level), [said])
    band = authority.band_level(group_exposure_after)
    band_def = authority.get(band)
    bound = (
        {"key": "approvals.route.no_bound"}
        if band_def.max_group_exposure is None
        else {"key": "approvals.route.up_to", "params": {"max": f"{band_def.max_group_exposure:,.0f}"}}
    )
    reasons = [Msg(key="approvals.route.band", params={"ccy": currency, "amount": f"{group_exposure_after:,.2f}",
                                                       "name": named(LEVEL, band_def.name), "bound": bound})]  # fmt: skip
    base = band
    for floor in authority.grade_floors:
        if grade >= floor.min_grade and floor.level > base:
            base = floor.level
            reasons.append(Msg(key="approvals.route.grade_floor", params={"grade": grade, "min_grade": floor.min_grade,
                               "name": named(LEVEL, authority.get(floor.level).name)}))  # fmt: skip
    level = base
    for exc in exceptions:
        rule = authority.exceptions.get(exc.code)
        if rule is None:
            continue
        candidate = max(authority.notch_up(base, rule.notches), rule.level or 0)
        if candidate > level:
            level = candidate
        said = exc.msg.model_dump() if exc.msg is not None else exc.message
        reasons.append(Msg(key="approvals.route.exception", params={
            "code": {"key": f"approvals.code.{exc.code.value}"}, "message": said,
            "name": named(LEVEL, authority.get(candidate).name)}))  # fmt: skip
    return Route.of(level, _chain(authority, level), reasons)


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
