"""Which documents a role may read: public documents plus those tagged with the role."""

from __future__ import annotations

PUBLIC_ACCESS = "all"
"""The access tag of documents every officer may read (here, not in knowledge.models: the assistant's tools
need the tag, not the knowledge base's record classes — ~20 ms of a cold `creditdesk ask`)."""


def readable_tags(role: str) -> frozenset[str]:
    """Access tags readable by an officer of this role (e.g. "risk" reads "all" and "risk" documents)."""
    return frozenset({PUBLIC_ACCESS, role.lower()})
