"""The figures a request is based on (snapshotted on the request) and the policy exceptions they show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from crm_adapter.models import Facility
from kernel.catalogue import text
from kernel.money import quantize
from tools.approvals.authority import AuthorityPolicy, ExceptionCode
from tools.approvals.chain import RISK_REDUCING_KINDS, PolicyException
from tools.engine.results import ClientAssessment, WhatIfResult


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

    @property
    def routed_exposure(self) -> Decimal:
        """Group exposure after this change and every other pending request of the group: what routes."""
        return self.group_exposure_after + self.pending_group_increase


def take_snapshot(facility: Facility, assessment: ClientAssessment, what_if: WhatIfResult, *,
                  pending: tuple[Decimal, list[str]] = (Decimal(0), [])) -> Snapshot:  # fmt: skip
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
        concentration=list(what_if.messages),
        breaches_after=[f"{b.dimension.replace('_', ' ')} '{b.bucket}' at {b.share:.2%} (limit {b.limit_share:.2%})"
                        for b in what_if.breaches_after],
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
    rules = authority.exceptions if authority is not None else {}
    past_due = rules.get(ExceptionCode.PAST_DUE)
    if past_due is not None and (snap.current_dpd or 0) > (past_due.min_dpd or 0):
        out.append(PolicyException(code=ExceptionCode.PAST_DUE, message=text(
            "engine.exception.past_due", dpd=snap.current_dpd, threshold=past_due.min_dpd or 0)))  # fmt: skip
    if ExceptionCode.FREEZE_PROPOSED in rules and snap.proposal_action == "freeze":
        out.append(PolicyException(code=ExceptionCode.FREEZE_PROPOSED,
                                   message=text("engine.exception.freeze_proposed")))  # fmt: skip
    overdue = rules.get(ExceptionCode.REVIEW_OVERDUE)
    if overdue is not None and snap.review_days_overdue > (overdue.min_days or 0):
        out.append(PolicyException(code=ExceptionCode.REVIEW_OVERDUE, message=text(
            "engine.exception.review_overdue", days=snap.review_days_overdue, threshold=overdue.min_days or 0)))  # fmt: skip
    if ExceptionCode.NO_STATEMENTS in rules and not snap.has_statements:
        out.append(PolicyException(code=ExceptionCode.NO_STATEMENTS,
                                   message=text("engine.exception.no_statements")))  # fmt: skip
    if snap.recommended is None:
        out.append(PolicyException(code=ExceptionCode.NO_RECOMMENDATION,
                                   message="the engine has no basis to size a limit for this client"))  # fmt: skip
    elif not snap.within_recommendation:
        out.append(PolicyException(code=ExceptionCode.ABOVE_RECOMMENDATION,
                                   message=f"the new total exceeds the recommendation {ccy} {snap.recommended:,.2f} "
                                           f"(binding: {snap.binding})"))  # fmt: skip
    if snap.breaches_after:
        out.append(PolicyException(code=ExceptionCode.CONCENTRATION_BREACH,
                                   message="concentration limit breached after the change: "
                                           + "; ".join(snap.breaches_after)))  # fmt: skip
    if snap.insurance_required and snap.insurance_required_ratio is not None:
        needed = Decimal(str(snap.insurance_required_ratio)) * (snap.insurance_exposure + _increase_rc(snap))
        if snap.insured < needed:
            out.append(PolicyException(code=ExceptionCode.INSURANCE_MISSING,
                                       message=f"credit insurance required: cover {ccy} {snap.insured:,.2f} "
                                               f"is below the required {ccy} {quantize(needed):,.2f}"))  # fmt: skip
    if snap.facility_status == "frozen":
        out.append(PolicyException(code=ExceptionCode.FROZEN_FACILITY,
                                   message=f"facility {snap.facility_id} is frozen"))  # fmt: skip
    return out


def _increase_rc(snap: Snapshot) -> Decimal:
    """The increase of the facility's limit, converted to the reporting currency (0 when not an increase)."""
    if snap.facility_limit <= 0 or snap.target_limit <= snap.facility_limit:
        return Decimal(0)
    delta = snap.target_limit - snap.facility_limit
    return quantize(delta * snap.fx_rate)
