"""Scope checks every tool makes: which clients an actor may see, and what an actor may do."""

from __future__ import annotations

from collections.abc import Iterable

from crm_adapter.enums import Role
from crm_adapter.models import Client
from crm_adapter.protocol import CRMAdapter
from kernel.errors import Forbidden, NotFound
from tools.actor import Actor


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
