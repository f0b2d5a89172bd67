"""One exception hierarchy for the whole domain, mapped once per channel.

Each class carries its HTTP status, CLI exit code and a stable machine code; the API,
Slack and CLI front doors translate through these attributes and nowhere else.

An error raised with a catalogue `key` (and its `params`) is a coded message: `message` is its English
text (what API clients and logs read), `text_in(lang)` the same message in the reader's language.

    raise Forbidden(key="approvals.maker_checker", params={"request_id": "AR-12"})
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, ClassVar

from kernel.catalogue import render


class CreditDeskError(Exception):
    """Base of every expected, user-facing error."""

    code: ClassVar[str] = "error"
    title: ClassVar[str] = "Request failed"
    http_status: ClassVar[int] = 400
    exit_code: ClassVar[int] = 1

    def __init__(self, message: str | None = None, *, key: str | None = None,
                 params: Mapping[str, Any] | None = None, field: str | None = None,
                 details: Any = None) -> None:  # fmt: skip
        self.key = key
        self.params: dict[str, Any] = dict(params or {})
        if message is None:
            if key is None:
                raise TypeError("an error needs a message or a catalogue key")
            message = self.text_in("en")
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details

    def text_in(self, lang: str) -> str:
        """The message in `lang` when it is coded (a catalogue key); else the text it was raised with."""
        if self.key is None:
            return self.message
        return render({"key": self.key, "params": self.params}, lang)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            out["field"] = self.field
        if self.details is not None:
            out["details"] = self.details
        return out


class NotFound(CreditDeskError):
    code = "not_found"
    title = "Not found"
    http_status = 404
    exit_code = 3


class Forbidden(CreditDeskError):
    code = "forbidden"
    title = "Forbidden"
    http_status = 403
    exit_code = 4


class Unauthenticated(CreditDeskError):
    code = "unauthenticated"
    title = "Authentication required"
    http_status = 401
    exit_code = 4


class InvalidInput(CreditDeskError):
    code = "invalid_input"
    title = "Invalid input"
    http_status = 422
    exit_code = 2


class Conflict(CreditDeskError):
    code = "conflict"
    title = "Conflict"
    http_status = 409
    exit_code = 5


class UpstreamUnavailable(CreditDeskError):
    code = "upstream_unavailable"
    title = "Upstream service unavailable"
    http_status = 503
    exit_code = 6


def new_error_id() -> str:
    """A short id shown to users and written to the log next to the stack trace."""
    return uuid.uuid4().hex[:12]
