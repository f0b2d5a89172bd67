"""Which tools the model is offered this turn: only those the question is likely to need.

A small model with a 4k–8k context cannot take all tool schemas on every request. A `ToolSelector`
names the few relevant tools from the text and the conversation so far; the agent sends only those.

- `ParserToolSelector` (default) reads intents with the offline brain's parser vocabulary.
- `RankedIntentSelector` takes any `rank(text) -> [(intent, score), …]` (e.g. a trained classifier's
  `rank_intents`) and keeps the top few.

Intents map to tool names through `INTENT_TOOLS`; an intent that is itself a tool name maps to that tool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from bot.brains.offline.intents import detect
from bot.conversations import ConversationState
from tools.assistant_tools.registry import TOOLS

# Intent name (the offline brain's `Intent` values) -> the tools that answer it.
INTENT_TOOLS: dict[str, tuple[str, ...]] = {
    "help": (),
    "my_clients": ("my_clients",),
    "find_client": ("find_clients",),
    "profile": ("client_profile",),
    "exposure": ("exposure",),
    "financials": ("financial_analysis",),
    "rating": ("rating",),
    "limit_recommendation": ("limit_recommendation",),
    "what_if": ("what_if_limit",),
    "early_warnings": ("early_warnings",),
    "watchlist": ("watchlist",),
    "review_status": ("review_status",),
    "reviews_due": ("reviews_due",),
    "contact": ("contacts_due", "client_profile"),
    "contacts_due": ("contacts_due",),
    "insurance": ("insurance_cover",),
    "concentration": ("concentration_report",),
    "policy": ("search_policy",),
    "memo": ("draft_review_memo",),
    "raise_request": ("prepare_approval_request", "exposure"),
    "approval_status": ("approval_status",),
    "pending_approvals": ("my_pending_approvals",),
}
ALWAYS: tuple[str, ...] = ("find_clients",)  # most client questions start by resolving a name
# When nothing in the text points anywhere: the broad tools that can still answer something.
DEFAULT: tuple[str, ...] = ("find_clients", "client_profile", "search_policy", "my_clients")
MAX_TOOLS = 6


class ToolSelector(Protocol):
    def select(self, text: str, state: ConversationState) -> list[str]:
        """The names of the tools to offer the model for this turn (registry names, best first)."""
        ...


def tools_for_intents(
    intents: Iterable[str], state: ConversationState, *, limit: int = MAX_TOOLS
) -> list[str]:
    """Registry tool names for these intents, plus the last turn's tools for a bare follow-up."""
    names: list[str] = []
    for intent in intents:
        names += INTENT_TOOLS.get(intent, (intent,) if intent in TOOLS else ())
    if not names:  # "and for Globex?": the same questions as last turn, else the broad default set
        names = [n for n in state.last_intents if n in TOOLS] or list(DEFAULT)
    picked = [n for n in dict.fromkeys([*names, *ALWAYS]) if n in TOOLS]
    return picked[:limit]


class ParserToolSelector:
    """Intents from the offline parser's vocabularies (regular expressions, English)."""

    def select(self, text: str, state: ConversationState) -> list[str]:
        return tools_for_intents([str(i) for i in detect(text)], state)


class RankedIntentSelector:
    """The top intents of a ranking function (e.g. a trained classifier) above a minimum score."""

    def __init__(self, rank: Callable[[str], Sequence[tuple[str, float]]], *, top: int = 3,
                 min_score: float = 0.05) -> None:  # fmt: skip
        self.rank, self.top, self.min_score = rank, top, min_score

    def select(self, text: str, state: ConversationState) -> list[str]:
        ranked = [str(intent) for intent, score in self.rank(text)[: self.top] if score >= self.min_score]
        return tools_for_intents(ranked, state)
