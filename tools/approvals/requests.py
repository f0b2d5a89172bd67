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
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)} (got '{kind}')", field="kind")
    try:
        cid = int(str(client_id))
    except ValueError:
        raise InvalidInput(f"client id '{client_id}' is not a number", field="client_id") from None
    amount = None
    if new_limit is not None and new_limit != "":
        amount = to_decimal(new_limit, field="new_limit")
        if amount < 0:
            raise InvalidInput("the new limit cannot be negative", field="new_limit")
        if amount > MAX_AMOUNT:
            raise InvalidInput(f"the new limit is above the maximum of {MAX_AMOUNT:,.0f}", field="new_limit")
        if amount != quantize(amount):
            raise InvalidInput("the new limit has more than 2 decimal places", field="new_limit")
        amount = quantize(amount)
    if kind in ("increase", "decrease") and amount is None:
        raise InvalidInput(f"a {kind} needs the new limit", field="new_limit")
    if kind in KEEPS_THE_LIMIT and amount is not None:
        raise InvalidInput(f"a {kind} keeps the limit; leave the new limit out", field="new_limit")
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("give a reason for the request", field="reason")
    if len(text) > MAX_REASON:
        raise InvalidInput(f"the reason is longer than {MAX_REASON} characters", field="reason")
    fid = facility_id.strip() if facility_id else None
    return RequestBody(client_id=cid, facility_id=fid or None, kind=kind, new_limit=amount, reason=text,
                       memo_id=memo_id)  # type: ignore[arg-type]  # fmt: skip


def check_key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise InvalidInput(
            f"an idempotency key of 1–{MAX_KEY} characters is required", field="idempotency_key"
        )
    return key


def choose_facility(body: RequestBody, facilities: list[Facility]) -> Facility:
    """The facility named, which must belong to the client; or the client's only open facility."""
    if body.facility_id is not None:
        match = next((f for f in facilities if f.facility_id == body.facility_id), None)
        if match is None:
            raise NotFound(f"facility '{body.facility_id}' not found for client {body.client_id}")
        return match
    open_ = [f for f in facilities if str(f.status) != "closed"]
    if len(open_) == 1:
        return open_[0]
    ids = ", ".join(f.facility_id for f in open_) or "none"
    raise InvalidInput(f"name the facility (the client's open facilities: {ids})", field="facility_id")


def check_kind_against(body: RequestBody, facility: Facility) -> Decimal:
    """The limit the facility would have after the change; refuses kinds that do not fit its state."""
    status, current = str(facility.status), quantize(facility.limit_amount)
    if status == "closed":
        raise Conflict(f"facility {facility.facility_id} is closed")
    if body.kind == "increase" and body.new_limit is not None and body.new_limit <= current:
        raise InvalidInput(f"an increase must exceed the current limit {current:,.2f}", field="new_limit")
    if body.kind == "decrease" and body.new_limit is not None and body.new_limit >= current:
        raise InvalidInput(f"a decrease must be below the current limit {current:,.2f}", field="new_limit")
    if body.kind == "freeze" and status == "frozen":
        raise Conflict(f"facility {facility.facility_id} is already frozen")
    if body.kind == "unfreeze" and status != "frozen":
        raise Conflict(f"facility {facility.facility_id} is not frozen")
    return body.new_limit if body.new_limit is not None else current
