"""The interface both brains implement, and how a brain says it could not answer a turn."""

from __future__ import annotations

from typing import Protocol

from bot.conversations import ConversationState
from bot.reply import DegradedReason, Reply
from kernel.errors import UpstreamUnavailable
from tools.actor import Actor


class Brain(Protocol):
    def answer(self, actor: Actor, conversation_id: str, text: str, state: ConversationState) -> Reply:
        """Answer one turn. Raises `UpstreamUnavailable` when the brain cannot (e.g. the model is down)."""
        ...


class BrainUnavailable(UpstreamUnavailable):
    """The brain could not give a trustworthy answer this turn; `reason` says why (for the user), the
    message says the real cause (for the log)."""

    def __init__(self, reason: DegradedReason, message: str) -> None:
        super().__init__(message)
        self.reason: DegradedReason = reason
