"""Slack's front door on the record: every slash command and button is an audit event (`slack.request`:
actor, command or action, its text), and every refusal too (`slack.refused`: the error's code and reason;
`out_of_scope` where the user was told "not found"). Conversations are audited per tool call by the
assistant's registry. Secrets never reach the trail (`tools.audit.redact`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltContext, BoltResponse, Respond
from slack_sdk import WebClient

from kernel.errors import CreditDeskError
from tools.access import OutOfScope
from tools.actor import Actor
from tools.audit.redact import redact

if TYPE_CHECKING:
    from tools.audit.trail import AuditTrail

log = logging.getLogger("creditdesk.slack.audit")


def _asked(body: dict[str, Any]) -> dict[str, Any] | None:
    if body.get("command"):
        return {"command": body["command"], "text": body.get("text", "")}
    actions = body.get("actions") or []
    if actions:
        return {"action": actions[0].get("action_id"), "value": actions[0].get("value")}
    if body.get("type") == "view_submission":
        return {"view": (body.get("view") or {}).get("callback_id")}
    return None


def _actor(context: BoltContext) -> Actor | None:
    actor = context.get("actor")
    return actor if isinstance(actor, Actor) else None


def audit_requests(audit: AuditTrail) -> Callable[..., BoltResponse | None]:
    """Global middleware (after identity): record what was asked, then carry on."""

    def middleware(
        body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        context[AUDIT_KEY] = audit  # the listeners' guard records refusals through it
        asked = _asked(body)
        if asked is not None:
            try:
                actor = _actor(context)
                audit.record(actor=actor, channel="slack", action="slack.request", object_type="slack",
                             object_id=str(asked.get("command") or asked.get("action") or asked.get("view")),
                             after={"asked": redact(asked), "slack_user": body.get("user_id")
                                    or (body.get("user") or {}).get("id")})  # fmt: skip
            except Exception:  # auditing never blocks a reply; it is logged loudly
                log.exception("could not audit a Slack request")
        return next()

    return middleware


AUDIT_KEY = "audit_trail"  # where the middleware leaves the trail in Bolt's context, for the listeners


def record_refusal(error: Exception, body: dict[str, Any], context: BoltContext | None) -> None:
    """A refused request on the record (`slack.refused`): called where the error is turned into a reply,
    by the listeners' guard and by the global error handler alike."""
    audit = context.get(AUDIT_KEY) if context is not None else None
    if audit is None or not isinstance(error, CreditDeskError):
        return
    try:
        outcome = "out_of_scope" if isinstance(error, OutOfScope) else error.code
        audit.record(actor=_actor(context), channel="slack", action="slack.refused", object_type="slack",
                     object_id=str(body.get("command") or body.get("type") or "event"),
                     after={"asked": redact(_asked(body) or {}), "outcome": outcome,
                            "error": error.message})  # fmt: skip
    except Exception:
        log.exception("could not audit a Slack refusal")


def audited_errors(audit: AuditTrail, handler: Callable[..., None]) -> Callable[..., None]:
    """Wrap the app's error handler: a refusal is recorded before the user is told."""

    # Bolt injects arguments by parameter name, so they are spelt out (no **kwargs)
    def on_error(error: Exception, body: dict[str, Any], context: BoltContext, client: WebClient,
                 respond: Respond | None, logger: logging.Logger) -> None:  # fmt: skip
        context.setdefault(AUDIT_KEY, audit)
        record_refusal(error, body, context)
        handler(error=error, body=body, client=client, respond=respond, logger=logger)

    return on_error
