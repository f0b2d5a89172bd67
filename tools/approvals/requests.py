"""Validation of what a requester asks for: kind, amount, reason, idempotency key (before any write)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from crm_adapter.models import Facility
from kernel.errors import Conflict, InvalidInput, NotFound
from kernel.money import MAX_AMOUNT, quantize, to_decimal
from tools.approvals.models import KEEPS_THE_LIMIT, KINDS, Kind
from tools.audit.canonical import digest

MAX_REASON = 4000
MAX_KEY = 128


class RequestBody(BaseModel):
    """The normalised body; its hash tells a retried submission from a different one with the same key."""

    model_config = ConfigDict(frozen=True)

    client_id: int
    facility_id: str | None
    kind: Kind
    new_limit: Decimal | None
    reason: str
    memo_id: int | None

    @property
    def hash(self) -> str:
        return digest(self.model_dump(mode="json"))


def parse_body(*, client_id: object, facility_id: str | None, kind: str, new_limit: object, reason: str,
               memo_id: int | None) -> RequestBody:  # fmt: skip
    if kind not in KINDS:
        raise InvalidInput(
            key="approvals.bad_kind", params={"choices": list(KINDS), "value": kind}, field="kind"
        )
    try:
        cid = int(str(client_id))
    except ValueError:
        raise InvalidInput(key="approvals.client_not_number", params={"value": str(client_id)},
                           field="client_id") from None  # fmt: skip
    amount = None
    if new_limit is not None and new_limit != "":
        amount = to_decimal(new_limit, field="new_limit")
        if amount < 0:
            raise InvalidInput(key="approvals.limit_negative", field="new_limit")
        if amount > MAX_AMOUNT:
            raise InvalidInput(key="approvals.limit_above_max", params={"max": MAX_AMOUNT}, field="new_limit")
        if amount != quantize(amount):
            raise InvalidInput(key="approvals.limit_decimals", field="new_limit")
        amount = quantize(amount)
    if kind in ("increase", "decrease") and amount is None:
        raise InvalidInput(key="approvals.limit_needed", params={"request_kind": kind}, field="new_limit")
    if kind in KEEPS_THE_LIMIT and amount is not None:
        raise InvalidInput(key="approvals.limit_kept", params={"request_kind": kind}, field="new_limit")
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(key="approvals.reason_needed", field="reason")
    if len(text) > MAX_REASON:
        raise InvalidInput(key="approvals.reason_too_long", params={"max": MAX_REASON}, field="reason")
    fid = facility_id.strip() if facility_id else None
    return RequestBody(client_id=cid, facility_id=fid or None, kind=kind, new_limit=amount, reason=text,
                       memo_id=memo_id)  # type: ignore[arg-type]  # fmt: skip


def check_key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise InvalidInput(key="approvals.key_required", params={"max": MAX_KEY}, field="idempotency_key")
    return key


def choose_facility(client_id: int, facility_id: str | None, facilities: list[Facility]) -> Facility:
    """The facility named, which must belong to the client; or the client's only open facility."""
    if facility_id is not None:
        match = next((f for f in facilities if f.facility_id == facility_id), None)
        if match is None:
            raise NotFound(key="approvals.facility_not_found",
                           params={"facility_id": facility_id, "client_id": client_id})  # fmt: skip
        return match
    open_ = [f for f in facilities if str(f.status) != "closed"]
    if len(open_) == 1:
        return open_[0]
    ids: list[str] | dict[str, str] = [f.facility_id for f in open_] or {"key": "common.none"}
    raise InvalidInput(key="approvals.name_facility", params={"ids": ids}, field="facility_id")


def check_limit_currency(facility: Facility, currency: str | None) -> None:
    """A currency written with the new figure ("EUR 3M") must be the facility's."""
    if currency is not None and currency != facility.currency:
        raise InvalidInput(key="approvals.limit_currency", field="new_limit",
                           params={"given": currency, "facility": facility.facility_id, "currency": facility.currency})  # fmt: skip


def kind_from_limit(facility: Facility, new_limit: Decimal | None) -> Kind:
    """The kind of a request given without one: a figure above the facility's limit is an increase, below it
    a decrease (what every front door infers: the CLI's `approvals raise`, the API's prepare and raise)."""
    if new_limit is None:
        raise InvalidInput(key="approvals.kind_needs_limit", field="new_limit")
    current = quantize(facility.limit_amount)
    if quantize(new_limit) == current:
        raise InvalidInput(key="approvals.same_limit", params={"current": current}, field="new_limit")
    return "increase" if new_limit > current else "decrease"


def check_kind_against(body: RequestBody, facility: Facility) -> Decimal:
    """The limit the facility would have after the change; refuses kinds that do not fit its state."""
    status, current = str(facility.status), quantize(facility.limit_amount)
    if status == "closed":
        raise Conflict(key="approvals.facility_closed", params={"facility_id": facility.facility_id})
    if body.kind == "increase" and body.new_limit is not None and body.new_limit <= current:
        raise InvalidInput(key="approvals.increase_not_above", params={"current": current}, field="new_limit")
    if body.kind == "decrease" and body.new_limit is not None and body.new_limit >= current:
        raise InvalidInput(key="approvals.decrease_not_below", params={"current": current}, field="new_limit")
    if body.kind == "freeze" and status == "frozen":
        raise Conflict(key="approvals.already_frozen", params={"facility_id": facility.facility_id})
    if body.kind == "unfreeze" and status != "frozen":
        raise Conflict(key="approvals.not_frozen", params={"facility_id": facility.facility_id})
    return body.new_limit if body.new_limit is not None else current
