"""Has the data behind a request changed materially since it was raised? (Flagged to the approver.)"""

from __future__ import annotations

from decimal import Decimal

from tools.approvals.authority import StaleRule
from tools.approvals.snapshot import Snapshot


def stale_reasons(old: Snapshot, new: Snapshot, rule: StaleRule) -> list[str]:
    ccy = old.reporting_currency
    reasons: list[str] = []
    if new.grade != old.grade:
        reasons.append(f"grade moved {old.grade} → {new.grade}")
    if new.facility_limit != old.facility_limit:
        reasons.append(
            f"facility {old.facility_id} limit changed {old.facility_currency} {old.facility_limit:,.2f} → "
            f"{new.facility_limit:,.2f}"
        )
    if new.facility_status != old.facility_status:
        reasons.append(f"facility {old.facility_id} is now {new.facility_status} (was {old.facility_status})")
    if _moved(old.group_exposure_after, new.group_exposure_after, rule.exposure_change):
        reasons.append(
            f"group exposure after the change moved {ccy} {old.group_exposure_after:,.2f} → "
            f"{new.group_exposure_after:,.2f} (more than {rule.exposure_change:.0%})"
        )
    if (old.recommended is None) != (new.recommended is None) or (
        old.recommended is not None
        and new.recommended is not None
        and _moved(old.recommended, new.recommended, rule.recommendation_change)
    ):
        reasons.append(f"recommendation moved {_amount(old.recommended)} → {_amount(new.recommended)}")
    new_breaches = sorted(set(new.breaches_after) - set(old.breaches_after))
    if new_breaches:
        reasons.append("new concentration breach: " + "; ".join(new_breaches))
    if new.policy_version != old.policy_version:
        reasons.append(f"policy changed {old.policy_version} → {new.policy_version}")
    elif old.policy_hash and new.policy_hash and new.policy_hash != old.policy_hash:
        reasons.append(
            f"policy {new.policy_version} was edited (content {old.policy_hash[:12]} → {new.policy_hash[:12]})"
        )
    moved_pending = new.pending_requests != old.pending_requests
    if moved_pending and _moved(old.routed_exposure, new.routed_exposure, rule.exposure_change):
        reasons.append(
            f"the group's other pending requests changed: exposure routed on moved {ccy} "
            f"{old.routed_exposure:,.2f} → {new.routed_exposure:,.2f}"
        )
    return reasons


def _moved(old: Decimal, new: Decimal, share: float) -> bool:
    if old == 0:
        return new != 0
    return abs(new - old) / abs(old) > Decimal(str(share))


def _amount(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{value:,.2f}"
