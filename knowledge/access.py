"""Which documents a role may read: public documents plus those tagged with the role."""

from __future__ import annotations

from knowledge.models import PUBLIC_ACCESS


def readable_tags(role: str) -> frozenset[str]:
    """Access tags readable by an officer of this role (e.g. "risk" reads "all" and "risk" documents)."""
    return frozenset({PUBLIC_ACCESS, role.lower()})
