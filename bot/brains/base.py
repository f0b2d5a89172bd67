"""The interface both brains implement."""

from __future__ import annotations

from typing import Protocol

from bot.conversations import ConversationState
from bot.reply import Reply
from tools.actor import Actor


class Brain(Protocol):
    def answer(self, actor: Actor, conversation_id: str, text: str, state: ConversationState) -> Reply:
        """Answer one turn. Raises `UpstreamUnavailable` when the brain cannot (e.g. the model is down)."""
        ...
