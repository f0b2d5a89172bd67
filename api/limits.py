"""A cap on request bodies: anything larger is refused with a clear 413 problem before it is read in full.

Declared sizes (Content-Length) are refused up front; a chunked body is counted as it arrives and cut off
at the cap. The API's own bodies are small JSON (the largest: an assistant message, an approval reason).
"""

from __future__ import annotations

import json

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import PROBLEM_JSON
from kernel.catalogue import text
from kernel.errors import new_error_id

MAX_BODY_BYTES = 1024 * 1024


class BodyTooLarge(HTTPException):
    """Raised while a chunked body is read: FastAPI passes HTTPExceptions through to the problem handler."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=text("security.body_too_large", limit=limit))


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    error_id = new_error_id()
    detail = text("security.body_too_large", limit=limit)
    body = json.dumps({"type": "urn:creditdesk:problem:too_large", "title": "Request body too large",
                       "status": 413, "detail": detail, "instance": scope.get("path", ""), "code": "too_large",
                       "error_id": error_id}).encode()  # fmt: skip
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(scope, send, self.max_bytes)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if not started:
                await _refuse(scope, send, self.max_bytes)
