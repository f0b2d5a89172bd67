"""Every request to a front door that reads client data or is refused becomes an audit event.

`api.request` with the actor (None when unauthenticated), the channel (api | web), what was asked
(method, route, path parameters, query with secrets redacted) and the outcome (ok, or the refusal:
unauthenticated, forbidden, not_found, out_of_scope, invalid_input, …). Health, static files and the
OpenAPI pages are not client data and are not recorded. The event is written after the response is
sent (in the thread pool), so a slow audit write does not delay the answer.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tools.audit.redact import redact

log = logging.getLogger("creditdesk.api.audit")
AUDITED_PREFIXES = ("/api/v1", "/sidebar", "/dashboard")
OUTCOMES = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
            409: "conflict", 413: "too_large", 422: "invalid_input"}  # fmt: skip


def _outcome(status: int, state: dict[str, Any]) -> str:
    if state.get("refusal"):
        return str(state["refusal"])
    if status < 400:
        return "ok"
    return OUTCOMES.get(status, "error")


class AccessAuditMiddleware:
    """Pure ASGI middleware (no BaseHTTPMiddleware: it would buffer streamed responses)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(AUDITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        status = 500

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_watch)
        finally:
            try:
                await run_in_threadpool(self._record, scope, status)
            except Exception:  # auditing must never turn an answer into an error; it is logged loudly
                log.exception("could not audit %s %s", scope.get("method"), scope.get("path"))

    def _record(self, scope: Scope, status: int) -> None:
        app = scope.get("app")
        container = getattr(getattr(app, "state", None), "container", None)
        if container is None:
            return
        state: dict[str, Any] = scope.get("state") or {}
        actor = state.get("actor")
        route = scope.get("route")
        params = {str(k): v for k, v in (scope.get("path_params") or {}).items()}
        query = redact(dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))))
        client_id = params.get("client_id")
        container.audit.record(
            actor=actor, channel=actor.channel if actor else "api", action="api.request",
            object_type="client" if client_id is not None else "route",
            object_id=str(client_id) if client_id is not None else getattr(route, "path", scope["path"]),
            after={"method": scope.get("method"), "path": scope["path"], "route": getattr(route, "path", None),
                   "params": redact(params), "query": query, "status": status,
                   "outcome": _outcome(status, state)},
        )  # fmt: skip
