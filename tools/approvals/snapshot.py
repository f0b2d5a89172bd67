"""The figures a request is based on (snapshotted on the request) and the policy exceptions they show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from crm_adapter.models import Facility
from kernel.catalogue import render
from kernel.money import quantize
from tools.approvals.authority import AuthorityPolicy, ExceptionCode
from tools.approvals.chain import RISK_REDUCING_KINDS, PolicyException
from tools.engine.results import ClientAssessment, Msg, WhatIfResult


class Snapshot(BaseModel):
    """Material figures at the time of the request; amounts in the reporting currency unless noted."""

    model_config = ConfigDict(frozen=True)

    as_of: dt.date
    policy_version: str
    model_id: str
    reporting_currency: str
    grade: int
    pd: float
    ews_level: str
    facility_id: str
    facility_currency: str
    facility_limit: Decimal  # facility currency
    facility_status: str
    fx_rate: Decimal  # facility currency → reporting currency
    target_limit: Decimal  # facility currency
    client_total_limit: Decimal
    group_exposure_after: Decimal
    recommended: Decimal | None
    binding: str | None
    within_recommendation: bool
    concentration: list[str]
    breaches_after: list[str]
    insurance_required: bool
    insured: Decimal
    insurance_exposure: Decimal
    insurance_required_ratio: float | None
    # added for escalation (defaults keep older stored snapshots readable)
    policy_hash: str = ""
    current_dpd: int | None = None
    proposal_action: str | None = None
    review_days_overdue: int = 0
    has_statements: bool = True
    pending_group_increase: Decimal = Decimal(0)  # other pending requests of the group, reporting currency
    pending_requests: list[str] = []
    # the breaches after the change, coded (dimension, bucket, shares), beside `breaches_after`'s English
    breach_codes: list[dict[str, str]] = []
    # the concentration lines and recommendation notes of `concentration`, coded (said in the reader's language)
    concentration_msgs: list[Msg] = []

    @property
    def routed_exposure(self) -> Decimal:
        """Group exposure after this change and every other pending request of the group: what routes."""
        return self.group_exposure_after + self.pending_group_increase


def breach_msg(code: dict[str, str]) -> Msg:
    """One concentration breach after the change: `industry 'wholesale' at 27.72% (limit 25.00%)`."""
    return Msg(key="approvals.breach", params=code)


def breach_msgs(snap: Snapshot, breaches: list[str]) -> list[Msg] | list[str]:
    """These breaches of `snap` (a subset of `breaches_after`), coded when the snapshot holds their codes."""
    coded = {render(breach_msg(c), "en"): breach_msg(c) for c in snap.breach_codes}
    return [coded[b] for b in breaches] if all(b in coded for b in breaches) else breaches


def take_snapshot(facility: Facility, assessment: ClientAssessment, what_if: WhatIfResult, *,
                  pending: tuple[Decimal, list[str]] = (Decimal(0), [])) -> Snapshot:  # fmt: skip
    codes = [{"dimension": str(b.dimension), "bucket": str(b.bucket), "share": f"{b.share:.2%}",
              "limit": f"{b.limit_share:.2%}"} for b in what_if.breaches_after]  # fmt: skip
    ins = assessment.insurance
    line = next((f for f in assessment.exposure.facilities if f.facility_id == facility.facility_id), None)
    fx_rate = Decimal(1)
    if line is not None and facility.limit_amount > 0:
        fx_rate = (line.limit / facility.limit_amount).quantize(Decimal("0.00000001"))
    return Snapshot(
        as_of=assessment.as_of, policy_version=assessment.policy_version, model_id=assessment.model_id,
        reporting_currency=assessment.exposure.currency, grade=assessment.rating.grade, pd=assessment.rating.pd,
        ews_level=assessment.ews_level, facility_id=facility.facility_id, facility_currency=facility.currency,
        facility_limit=quantize(facility.limit_amount), facility_status=str(facility.status), fx_rate=fx_rate,
        target_limit=what_if.new_limit, client_total_limit=assessment.exposure.total_limit,
        group_exposure_after=what_if.group_exposure_after, recommended=what_if.recommended,
        binding=what_if.binding, within_recommendation=what_if.within_recommendation,
        concentration=list(what_if.messages), concentration_msgs=list(what_if.message_msgs),
        breaches_after=[render(breach_msg(c), "en") for c in codes],
        breach_codes=codes,
        insurance_required=ins.required, insured=ins.insured, insurance_exposure=ins.exposure,
        insurance_required_ratio=ins.required_ratio, policy_hash=assessment.policy_hash,
        current_dpd=assessment.repayment.current_dpd, proposal_action=assessment.proposal.action,
        review_days_overdue=assessment.review.days_overdue, has_statements=bool(assessment.financials.periods),
        pending_group_increase=quantize(pending[0]), pending_requests=list(pending[1]),
    )  # fmt: skip


def policy_exceptions(
    kind: str, snap: Snapshot, authority: AuthorityPolicy | None = None
) -> list[PolicyException]:
    """Exceptions found by the engine's figures; risk-reducing kinds (decrease, freeze) raise none.

    Arrears, a proposed freeze, an overdue review and missing statements are raised when the policy has a
    rule for them (with its threshold); each is named on the request."""
    if kind in RISK_REDUCING_KINDS:
        return []
    ccy = snap.reporting_currency
    out: list[PolicyException] = []
    coded = PolicyException.coded
    rules = authority.exceptions if authority is not None else {}
    past_due = rules.get(ExceptionCode.PAST_DUE)
    if past_due is not None and (snap.current_dpd or 0) > (past_due.min_dpd or 0):
        out.append(coded(ExceptionCode.PAST_DUE, "engine.exception.past_due", dpd=snap.current_dpd,
                         threshold=past_due.min_dpd or 0))  # fmt: skip
    if ExceptionCode.FREEZE_PROPOSED in rules and snap.proposal_action == "freeze":
        out.append(coded(ExceptionCode.FREEZE_PROPOSED, "engine.exception.freeze_proposed"))
    overdue = rules.get(ExceptionCode.REVIEW_OVERDUE)
    if overdue is not None and snap.review_days_overdue > (overdue.min_days or 0):
        out.append(coded(ExceptionCode.REVIEW_OVERDUE, "engine.exception.review_overdue",
                         days=snap.review_days_overdue, threshold=overdue.min_days or 0))  # fmt: skip
    if ExceptionCode.NO_STATEMENTS in rules and not snap.has_statements:
        out.append(coded(ExceptionCode.NO_STATEMENTS, "engine.exception.no_statements"))
    if snap.recommended is None:
        out.append(coded(ExceptionCode.NO_RECOMMENDATION, "approvals.exception.no_recommendation"))
    elif not snap.within_recommendation:
        out.append(coded(ExceptionCode.ABOVE_RECOMMENDATION, "approvals.exception.above_recommendation", ccy=ccy,
                         amount=f"{snap.recommended:,.2f}", constraint=snap.binding))  # fmt: skip
    if snap.breaches_after:
        said = [m.model_dump() if isinstance(m, Msg) else m for m in breach_msgs(snap, snap.breaches_after)]
        out.append(coded(ExceptionCode.CONCENTRATION_BREACH, "approvals.exception.concentration_breach",
                         breaches=said))  # fmt: skip
    if snap.insurance_required and snap.insurance_required_ratio is not None:
        needed = Decimal(str(snap.insurance_required_ratio)) * (snap.insurance_exposure + _increase_rc(snap))
        if snap.insured < needed:
            out.append(coded(ExceptionCode.INSURANCE_MISSING, "approvals.exception.insurance_missing", ccy=ccy,
                             insured=f"{snap.insured:,.2f}", needed=f"{quantize(needed):,.2f}"))  # fmt: skip
    if snap.facility_status == "frozen":
        out.append(coded(ExceptionCode.FROZEN_FACILITY, "approvals.exception.frozen_facility",
                         facility_id=snap.facility_id))  # fmt: skip
    return out


def _increase_rc(snap: Snapshot) -> Decimal:
    """The increase of the facility's limit, converted to the reporting currency (0 when not an increase)."""
    if snap.facility_limit <= 0 or snap.target_limit <= snap.facility_limit:
        return Decimal(0)
    delta = snap.target_limit - snap.facility_limit
    return quantize(delta * snap.fx_rate)
