"""Dashboard and sidebar wording (area `pages`)."""

from __future__ import annotations

EN: dict[str, str] = {}

ZH: dict[str, str] = {}
