"""Opt-in tier: the LLM brain against a real OpenAI-compatible server (e.g. `../shared/tools/local-llm/start.sh`).

Skipped unless CREDITDESK_TEST_LLM_URL is set (CI never sets it):

    CREDITDESK_TEST_LLM_URL=http://127.0.0.1:8600/v1 CREDITDESK_TEST_LLM_MODEL=qwen2.5-coder-0.5b \\
    CREDITDESK_TEST_LLM_CONTEXT=8192 .venv/bin/python -m pytest -n 0 -s tests/bot/llm/test_real_model.py

Whatever the model does, every turn must be answered from tools or degraded with a reason: never raw
tool-call text, a claimed approval, or a figure no tool gave.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.brains.llm.agent import LLMBrain, LLMConfig
from bot.brains.llm.verify import looks_like_tool_call, state_change_claims
from bot.brains.offline.brain import OfflineBrain
from bot.conversations import ConversationStore

URL = os.environ.get("CREDITDESK_TEST_LLM_URL")
pytestmark = [pytest.mark.server, pytest.mark.skipif(not URL, reason="CREDITDESK_TEST_LLM_URL not set")]

QUESTIONS = [
    "what is ACME's utilisation?",
    "is it due for review?",
    "who approves an exception?",
    "raise it to 3M",
    "Globex 的评级是多少?",
]


def test_every_turn_is_answered_from_tools_or_degraded_with_a_reason(
    book, toolbox, anna, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    config = LLMConfig(base_url=str(URL), model=os.environ.get("CREDITDESK_TEST_LLM_MODEL", "local"),
                       api_key="local", context_tokens=int(os.environ.get("CREDITDESK_TEST_LLM_CONTEXT", "8192")))  # fmt: skip
    brain = LLMBrain(toolbox, config=config, checkpoint_url=f"sqlite:///{tmp_path / 'conversations.db'}")
    assistant = Assistant(brain=brain, fallback=OfflineBrain(toolbox), conversations=ConversationStore(book.engine),
                          turn_scope=toolbox.turn)  # fmt: skip
    for question in QUESTIONS:
        reply = assistant.answer(anna, "real-model", question)
        print(f"\n{question!r}: brain={reply.brain} reason={reply.degraded_reason} text={reply.text[:120]!r}")
        assert reply.degraded == (reply.degraded_reason is not None)
        if reply.brain == "llm":
            assert reply.text.strip() and not looks_like_tool_call(reply.text)
            assert not state_change_claims(reply.text)
    assert toolbox.approvals.raised == {}
