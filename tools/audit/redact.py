"""What audit stores of a request's arguments: everything readable, except secrets.

A value is withheld when its key names a secret (token, password, secret, csrf, api key, authorization,
cookie, signature) or when it looks like one of our credentials (an API token `cd_…`, a launch token).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[redacted]"
SECRET_KEY = re.compile(r"token|passw|secret|csrf|api[_-]?key|authori[sz]ation|cookie|signature|launch", re.I)
SECRET_VALUE = re.compile(r"^(cd_[A-Za-z0-9_-]{16,}|[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,})$")
MAX_TEXT = 500


def redact_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return redact(value)
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    if isinstance(value, str):
        if SECRET_VALUE.match(value.strip()):
            return REDACTED
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…"
    return value


def redact(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `arguments` safe to store in the audit trail."""
    return {
        str(k): (REDACTED if SECRET_KEY.search(str(k)) else redact_value(v)) for k, v in arguments.items()
    }
