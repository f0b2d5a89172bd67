"""The hash of one event: sha256(prev_hash + canonical JSON of its stored fields)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from tools.audit.canonical import canonical_json, sha256_hex

HASHED_FIELDS = (
    "seq", "event_id", "at", "actor_id", "actor_role", "channel", "action", "object_type", "object_id",
    "before_json", "after_json", "data_hash", "policy_version",
)  # fmt: skip


def event_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    payload = {k: row[k] for k in HASHED_FIELDS}
    at = payload["at"]
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    payload["at"] = at.isoformat(timespec="microseconds") + "Z"
    return sha256_hex(prev_hash + canonical_json(payload))
