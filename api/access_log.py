"""One structured access-log line per request (logger `creditdesk.access`), without secrets.

A pure ASGI middleware (no per-request task or body wrapping): the method, the path, the query with the
values of secret-bearing parameters (launch `token`, keys, codes) replaced by `***`, the status, the time
taken and the client address. Headers are never logged (`Authorization: Bearer …`, cookies).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("creditdesk.access")

SECRET_PARAMS = frozenset(
    {"token", "access_token", "id_token", "code", "key", "api_key", "secret", "password", "signature", "sig"}
)
REDACTED = "***"


def redact_query(query: str) -> str:
    """The query string with every secret-bearing parameter's value replaced (names kept for debugging)."""
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, REDACTED if k.lower() in SECRET_PARAMS else v) for k, v in pairs], safe="*/:")


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client sees if the app dies before answering

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            log.info(json.dumps(entry(scope, status, time.perf_counter() - started), separators=(",", ":")))


def entry(scope: Scope, status: int, seconds: float) -> dict[str, Any]:
    client = scope.get("client")
    query = redact_query(scope.get("query_string", b"").decode("latin-1"))
    return {
        "ts": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "event": "http.request",
        "method": scope.get("method"),
        "path": scope.get("path"),
        **({"query": query} if query else {}),
        "status": status,
        "ms": round(seconds * 1000, 1),
        "client": client[0] if client else None,
    }
