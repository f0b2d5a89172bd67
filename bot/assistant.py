"""The one entry point of Slack, API and CLI: `Assistant.answer(actor, conversation_id, text) -> Reply`.

The primary brain (the LLM agent when a model is configured, else the offline brain) answers; if it raises
`UpstreamUnavailable` (model down, timeout, an answer that failed its checks) the offline brain answers the
same turn and the reply is marked degraded, with the reason (`Reply.degraded_reason`) and one line saying it
in the user's language (`Reply.notice`); the real cause is logged. The conversation context is saved once
per turn, after the answer.

Streaming: `answer(..., on_delta=…)` passes on the answer's text while the model writes it, when the brain
can (`brain.streams`; the LLM brain sends only sentences that passed its checks). The returned Reply is what
counts: a front door that showed deltas shows `reply.text` instead when it differs from them (the model's
answer failed its checks and the offline brain answered, `degraded_reason` says why).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from bot.brains.base import Brain
from bot.conversations import ConversationStore, state_after
from bot.reply import DegradedReason, Reply
from kernel.catalogue import detect_language
from kernel.catalogue import text as message
from kernel.errors import InvalidInput, UpstreamUnavailable
from tools.actor import Actor

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000


class Assistant:
    def __init__(self, *, brain: Brain, conversations: ConversationStore, fallback: Brain | None = None,
                 turn_scope: Callable[[], AbstractContextManager[object]] = nullcontext) -> None:  # fmt: skip
        """`turn_scope` (the toolbox's `turn`) spans both brains, so a fallback reuses what the model's
        tools already computed and never repeats a write."""
        self.brain = brain
        self.fallback = fallback
        self.conversations = conversations
        self.turn_scope = turn_scope

    @property
    def streams(self) -> bool:
        """Whether `answer(..., on_delta=…)` can pass on text before the reply is complete."""
        return bool(getattr(self.brain, "streams", False))

    def answer(self, actor: Actor, conversation_id: str, text: str, *,
               on_delta: Callable[[str], None] | None = None) -> Reply:  # fmt: skip
        text = text.strip()
        if not text:
            raise InvalidInput("the question is empty", field="text")
        if len(text) > MAX_MESSAGE_CHARS:
            raise InvalidInput(f"the question is longer than {MAX_MESSAGE_CHARS} characters", field="text")
        if not conversation_id or len(conversation_id) > 200:
            raise InvalidInput("conversation id must be 1–200 characters", field="conversation_id")
        state = self.conversations.load(actor.officer_id, conversation_id)
        with self.turn_scope():
            try:
                stream: dict[str, Any] = {"on_delta": on_delta} if on_delta and self.streams else {}
                reply = self.brain.answer(actor, conversation_id, text, state, **stream)
            except UpstreamUnavailable as exc:
                if self.fallback is None:
                    raise
                reason: DegradedReason = getattr(exc, "reason", "unreachable")
                log.warning("assistant answering offline (%s): %s", reason, exc.message)
                reply = self.fallback.answer(actor, conversation_id, text, state)
                notice = message(f"llm.degraded.{reason}", detect_language(text))
                reply = reply.model_copy(
                    update={"degraded": True, "degraded_reason": reason, "notice": notice}
                )
                on_fallback = getattr(self.brain, "record_fallback", None)
                if on_fallback is not None:
                    on_fallback(actor, conversation_id, text, reply)
        calls = [(c.name, c.arguments, c.outcome) for c in reply.tool_calls]
        self.conversations.save(actor.officer_id, conversation_id, state_after(state, calls))
        return reply
