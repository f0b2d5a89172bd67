"""Who a CLI command acts as.

- dev / test (`CREDITDESK_ENV` not `prod`): `--as OFFICER` is taken at its word, for demos and tests.
- prod: a command acting as an officer needs that officer's API token in `CREDITDESK_TOKEN` (the same
  tokens as the API: hashed, expiring, revocable). `--as` may only name the token's own officer, unless
  the token is an admin's and `CREDITDESK_BREAK_GLASS` gives a reason: then the command acts as the
  named officer and a `cli.break_glass` audit event records the admin, the officer, the command and why.
- Admin commands (import, kb ingest/remove, token create/revoke, review run) need an admin identity
  (prod: an admin's token; dev: `--as` an admin, or nobody named, which is audited with the OS user).
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import TYPE_CHECKING

from crm_adapter.enums import Role
from kernel.catalogue import text
from kernel.errors import Forbidden, Unauthenticated
from tools.actor import Actor

if TYPE_CHECKING:
    from creditdesk.wiring import Container

TOKEN_ENV = "CREDITDESK_TOKEN"
BREAK_GLASS_ENV = "CREDITDESK_BREAK_GLASS"
_PLUMBING = frozenset({__name__, "creditdesk.cli.common", "creditdesk.cli.main"})


def is_prod(c: Container) -> bool:
    return c.settings.env == "prod"


def _command() -> str:
    """The command being run, as "clients show" (its module and function: never its arguments, which
    may hold secrets). Found on the stack because Typer runs callbacks outside the click context."""
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("creditdesk.cli.") and module not in _PLUMBING:
            return f"{module.rsplit('.', 1)[1]} {frame.f_code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return "creditdesk"


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


def _token_holder(c: Container) -> Actor:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise Unauthenticated(text("security.cli_token_needed"))
    return c.actor(c.tokens.officer_for(token))  # bad, expired or revoked tokens raise Unauthenticated


def acting_officer(c: Container, officer_id: str | None) -> Actor:
    """The officer a command acts as (see the module docstring for the rules)."""
    if not is_prod(c):
        if officer_id is None:
            raise Unauthenticated(text("security.cli_token_needed"))
        return c.actor(officer_id)
    holder = _token_holder(c)
    if officer_id is None or officer_id == holder.officer_id:
        return holder
    reason = os.environ.get(BREAK_GLASS_ENV, "").strip()
    if holder.role is not Role.ADMIN or not reason:
        raise Forbidden(text("security.cli_not_your_token", holder=holder.officer_id, officer=officer_id))
    target = c.actor(officer_id)
    c.audit.record(actor=holder, channel="cli", action="cli.break_glass", object_type="officer",
                   object_id=target.officer_id,
                   after={"reason": reason[:500], "command": _command(), "os_user": os_user()})  # fmt: skip
    return target


def admin_identity(c: Container, officer_id: str | None, action: str) -> Actor | None:
    """The admin running an admin command, audited as `cli.admin_command`; None only in dev when nobody
    is named (then the OS user is on the record)."""
    if is_prod(c) or officer_id is not None:
        actor = acting_officer(c, officer_id)
        if actor.role is not Role.ADMIN:
            raise Forbidden(text("security.cli_admin_only", action=action, officer=actor.officer_id,
                                 role=actor.role.value))  # fmt: skip
    else:
        actor = None
    c.audit.record(actor=actor, channel="cli", action="cli.admin_command", object_type="command",
                   object_id=_command(), after={"action": action, "os_user": os_user()})  # fmt: skip
    return actor


MAX_EXPIRES_DAYS = 3650


def check_expires_days(days: int) -> None:
    """`token create --expires-days`: 0 (never) or 1 … 3650, a clear usage error otherwise."""
    from kernel.errors import InvalidInput

    if days != 0 and not 1 <= days <= MAX_EXPIRES_DAYS:
        raise InvalidInput(
            text("security.expires_days", max=MAX_EXPIRES_DAYS, value=days), field="expires-days"
        )
