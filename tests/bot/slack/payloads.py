"""Slack request payloads from tests/bot/slack/payloads/*.json (Slack's real shapes), filled in."""

from __future__ import annotations

import json
from pathlib import Path
from string import Template
from typing import Any

FOLDER = Path(__file__).parent / "payloads"


def payload(name: str, **values: object) -> dict[str, Any]:
    """The payload `name`, each `$KEY` replaced by `values[key.lower()]` (JSON-escaped)."""
    raw = (FOLDER / f"{name}.json").read_text(encoding="utf-8")
    filled = Template(raw).substitute({k.upper(): json.dumps(str(v))[1:-1] for k, v in values.items()})
    data: dict[str, Any] = json.loads(filled)
    return data
