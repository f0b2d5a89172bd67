"""Scope checks every tool makes: which clients an actor may see, and what an actor may do."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_CEILING, Decimal
from typing import TypeVar

from pydantic import BaseModel

from crm_adapter.enums import Role
from crm_adapter.models import Client
from crm_adapter.protocol import ClientFilter, CRMAdapter
from kernel.catalogue import text
from kernel.errors import Forbidden, NotFound
from tools.actor import Actor

M = TypeVar("M", bound=BaseModel)


def can_see(actor: Actor, client: Client, officer_team: str | None) -> bool:
    """Book-wide roles see every client; RMs and analysts see their own and their team's."""
    if actor.book_wide:
        return True
    return client.officer_id == actor.officer_id or (officer_team is not None and officer_team == actor.team)


class OutOfScope(NotFound):
    """A client the actor may not see. To the user it is exactly a client that does not exist (same
    status, code and message, so probing ids or names tells nothing); the audit trail records the
    difference (`outcome: out_of_scope`)."""


def not_found_message(client_id: int) -> str:
    return f"client {client_id} not found"


def get_client_for(actor: Actor, adapter: CRMAdapter, client_id: int) -> Client:
    """Load a client the actor may see; an unknown client and one outside the actor's scope raise the
    same NotFound (the second as OutOfScope, which only the audit trail tells apart)."""
    client = adapter.get_client(client_id)
    owner = adapter.get_officer(client.officer_id)
    if not can_see(actor, client, owner.team if owner else None):
        raise OutOfScope(not_found_message(client_id))
    return client


def scope_officer_ids(actor: Actor, adapter: CRMAdapter) -> set[str] | None:
    """Officer ids whose clients the actor may see; None means the whole book."""
    if actor.book_wide:
        return None
    return {o.officer_id for o in adapter.list_officers(team=actor.team)} | {actor.officer_id}


def require_role(actor: Actor, roles: Iterable[Role], action: str) -> None:
    allowed = set(roles)
    if actor.role not in allowed:
        names = ", ".join(sorted(r.value for r in allowed))
        raise Forbidden(f"{action} needs one of the roles: {names} (you are {actor.role.value})")


def ensure_exists(value: object, what: str) -> None:
    if value is None:
        raise NotFound(f"{what} not found")


# --- group figures that would reveal another team's client --------------------------------------------
# A group total minus the limits an RM can see is the rest of the group's limits: when the group holds a
# client outside the actor's scope, its figures are shown only as the ceiling of a band.
BAND_CEILINGS = tuple(
    Decimal(v) for v in ("1e6", "5e6", "10e6", "25e6", "50e6", "100e6", "250e6", "500e6", "1e9")
)
BAND_ABOVE = Decimal("1e9")


def band_ceiling(amount: Decimal) -> Decimal:
    """The band an amount falls in, by its upper bound (above 1bn: the next whole billion)."""
    for ceiling in BAND_CEILINGS:
        if amount <= ceiling:
            return ceiling
    return (amount / BAND_ABOVE).to_integral_value(rounding=ROUND_CEILING) * BAND_ABOVE


def group_reaches_outside(actor: Actor, adapter: CRMAdapter, client_id: int) -> bool:
    """Whether the client's group holds a client the actor may not see."""
    if actor.book_wide:
        return False
    client = adapter.get_client(client_id)
    if not client.group_id:
        return False
    scope = scope_officer_ids(actor, adapter) or set()
    members = adapter.list_clients(ClientFilter(group_id=client.group_id, limit=100_000))
    return any(m.officer_id not in scope for m in members)


def _banded_line(line: M) -> M:
    exposure = Decimal(str(line.exposure))  # type: ignore[attr-defined]
    ceiling = band_ceiling(exposure)
    ratio = float(ceiling / exposure) if exposure else 1.0
    share = line.share * ratio  # type: ignore[attr-defined]
    of_capital = line.share_of_capital  # type: ignore[attr-defined]
    return line.model_copy(update={"exposure": ceiling, "share": share, "headroom": None,
                                   "share_of_capital": None if of_capital is None else of_capital * ratio})  # fmt: skip


def guard_group_figures(actor: Actor, adapter: CRMAdapter, result: M) -> M:
    """A what-if result as this actor may see it: group figures banded when the group reaches outside
    the actor's scope (`group_exposure_after` becomes its band's ceiling, the group's concentration lines
    too, and the message says so). The engine's exact figures still route approvals."""
    if not group_reaches_outside(actor, adapter, result.client_id):  # type: ignore[attr-defined]
        return result
    lines = [(_banded_line(b), _banded_line(a)) if a.dimension == "group" else (b, a)
             for b, a in result.lines]  # type: ignore[attr-defined]  # fmt: skip
    breaches = [_banded_line(x) if x.dimension == "group" else x for x in result.breaches_after]  # type: ignore[attr-defined]
    messages = [m for m in result.messages if not m.startswith("group '")]  # type: ignore[attr-defined]
    after = band_ceiling(Decimal(str(result.group_exposure_after)))  # type: ignore[attr-defined]
    messages.append(text("security.group_banded", ceiling=f"{after:,.0f}"))
    return result.model_copy(update={"group_exposure_after": after, "lines": lines, "breaches_after": breaches,
                                     "messages": messages})  # fmt: skip
