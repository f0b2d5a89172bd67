"""Has the data behind a request changed materially since it was raised? (Flagged to the approver.)

Each change is a coded message (`Msg`: catalogue key + params), written in the reader's language by
`kernel.catalogue.render`; amounts are passed already written (1,234.56), the same in either language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tools.approvals.authority import StaleRule
from tools.approvals.snapshot import Snapshot, breach_msgs
from tools.engine.results import Msg


def _m(key: str, **params: Any) -> Msg:
    return Msg(key=f"approvals.stale.{key}", params=params)


def stale_reasons(old: Snapshot, new: Snapshot, rule: StaleRule) -> list[Msg]:
    ccy = old.reporting_currency
    reasons: list[Msg] = []
    if new.grade != old.grade:
        reasons.append(_m("grade", old=old.grade, new=new.grade))
    if new.facility_limit != old.facility_limit:
        reasons.append(_m("limit", facility_id=old.facility_id, ccy=old.facility_currency,
                          old=_amount(old.facility_limit), new=_amount(new.facility_limit)))  # fmt: skip
    if new.facility_status != old.facility_status:
        reasons.append(_m("status", facility_id=old.facility_id, facility_status=new.facility_status,
                          expected_status=old.facility_status))  # fmt: skip
    if _moved(old.group_exposure_after, new.group_exposure_after, rule.exposure_change):
        reasons.append(_m("exposure", ccy=ccy, old=_amount(old.group_exposure_after),
                          new=_amount(new.group_exposure_after), share=f"{rule.exposure_change:.0%}"))  # fmt: skip
    if (old.recommended is None) != (new.recommended is None) or (
        old.recommended is not None
        and new.recommended is not None
        and _moved(old.recommended, new.recommended, rule.recommendation_change)
    ):
        reasons.append(_m("recommendation", old=_amount(old.recommended), new=_amount(new.recommended)))
    new_breaches = sorted(set(new.breaches_after) - set(old.breaches_after))
    if new_breaches:
        said = [m.model_dump() if isinstance(m, Msg) else m for m in breach_msgs(new, new_breaches)]
        reasons.append(_m("breach", breaches=said))
    if new.policy_version != old.policy_version:
        reasons.append(_m("policy_changed", old=old.policy_version, new=new.policy_version))
    elif old.policy_hash and new.policy_hash and new.policy_hash != old.policy_hash:
        reasons.append(_m("policy_edited", version=new.policy_version, old=old.policy_hash[:12],
                          new=new.policy_hash[:12]))  # fmt: skip
    moved_pending = new.pending_requests != old.pending_requests
    if moved_pending and _moved(old.routed_exposure, new.routed_exposure, rule.exposure_change):
        reasons.append(
            _m("pending", ccy=ccy, old=_amount(old.routed_exposure), new=_amount(new.routed_exposure))
        )
    return reasons


def _moved(old: Decimal, new: Decimal, share: float) -> bool:
    if old == 0:
        return new != 0
    return abs(new - old) / abs(old) > Decimal(str(share))


def _amount(value: Decimal | None) -> str | dict[str, str]:
    return {"key": "common.not_available"} if value is None else f"{value:,.2f}"
