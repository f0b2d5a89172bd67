"""Which tools the model is offered this turn: only those the question is likely to need.

A small model with a 4k–8k context cannot take all tool schemas on every request. A `ToolSelector`
names the few relevant tools from the text and the conversation so far; the agent sends only those.

- `ParserToolSelector` (default) takes the intents the offline brain's trained classifier reads.
- `RankedIntentSelector` takes any `rank(text) -> [(intent, score), …]` (e.g. a trained classifier's
  `rank_intents`) and keeps the top few.

Intents map to tool names through `INTENT_TOOLS`; an intent that is itself a tool name maps to that tool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from bot.brains.offline.classifier import (
    INTENT_TOOLS,  # one map of intents to tools, shared with the offline brain
)
from bot.brains.offline.entities import follow_up_rest
from bot.brains.offline.intents import detect
from bot.conversations import ConversationState
from tools.assistant_tools.registry import TOOLS

ALWAYS: tuple[str, ...] = ("find_clients",)  # most client questions start by resolving a name
# When nothing in the text points anywhere: the broad tools that can still answer something.
DEFAULT: tuple[str, ...] = ("find_clients", "client_profile", "search_policy", "my_clients")
MAX_TOOLS = 6
LIKELY = 0.15  # an intent this probable also gets its tools (the model picks among a few)


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
    """The intents the offline brain reads in the text (its trained classifier, English and Chinese)."""

    def select(self, text: str, state: ConversationState) -> list[str]:
        if (
            follow_up_rest(text) is not None and state.last_intents
        ):  # "and Globex?": the last turn's questions
            return tools_for_intents([], state)
        reading = detect(text)
        if not reading.intents:  # nothing read with confidence: the broad default tools, not a guess
            return tools_for_intents([], state)
        likely = [label for label, p in reading.ranking[:3] if p >= LIKELY]  # a two-part question names two
        return tools_for_intents(dict.fromkeys([*(str(i) for i in reading.intents), *likely]), state)


class RankedIntentSelector:
    """The top intents of a ranking function (e.g. a trained classifier) above a minimum score."""

    def __init__(self, rank: Callable[[str], Sequence[tuple[str, float]]], *, top: int = 3,
                 min_score: float = 0.05) -> None:  # fmt: skip
        self.rank, self.top, self.min_score = rank, top, min_score

    def select(self, text: str, state: ConversationState) -> list[str]:
        ranked = [str(intent) for intent, score in self.rank(text)[: self.top] if score >= self.min_score]
        return tools_for_intents(ranked, state)


def needs_tools(text: str, state: ConversationState) -> bool:
    """Whether the question asks for data (an intent the classifier reads with confidence, or a follow-up
    of a turn that had one): such a turn answered without any tool call is not answered from tools."""
    if follow_up_rest(text) is not None and state.last_intents:
        return True
    return any(INTENT_TOOLS.get(str(i), ()) for i in detect(text).intents)  # "hello" (help) needs none
