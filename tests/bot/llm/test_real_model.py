"""Opt-in tier: the LLM brain against a real OpenAI-compatible server (e.g. `../shared/tools/local-llm/start.sh`).

Skipped unless CREDITDESK_TEST_LLM_URL is set (CI never sets it):

    CREDITDESK_TEST_LLM_URL=http://127.0.0.1:8600/v1 CREDITDESK_TEST_LLM_MODEL=qwen2.5-coder-0.5b \\
    CREDITDESK_TEST_LLM_CONTEXT=8192 .venv/bin/python -m pytest -n 0 -s tests/bot/llm/test_real_model.py

Whatever the model does, every turn must be answered from tools or degraded with a reason: never raw
tool-call text, a claimed approval, a figure no tool gave, "not due" for an overdue review, or an English
answer to a Chinese question. One turn per topic of issue 14 §3, English then Chinese (~10 minutes on a
2-core CPU with Qwen2.5-Coder-0.5B).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.brains.llm.agent import LLMBrain, LLMConfig
from bot.brains.llm.verify import (
    allowed_numbers,
    invented_numbers,
    looks_like_tool_call,
    review_contradictions,
    state_change_claims,
)
from bot.brains.offline.brain import OfflineBrain
from bot.conversations import ConversationStore
from tools.assistant_tools.registry import call_tool

URL = os.environ.get("CREDITDESK_TEST_LLM_URL")
pytestmark = [pytest.mark.server, pytest.mark.skipif(not URL, reason="CREDITDESK_TEST_LLM_URL not set")]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _questions(overdue: str) -> list[tuple[str, list[str]]]:
    en = ["what's ACME's exposure?", "and its utilisation?", f"is {overdue} due for review?",
          "what is Globex's rating and why?", "what limit do you recommend for ACME?",
          "what if we raised ACME to 2.5M, what does that do to concentration?", "raise it to 3M",
          "who approves an exception?", "what's the weather in Paris tomorrow?"]  # fmt: skip
    zh = ["ACME 的授信敞口是多少？", "它的使用率呢？", f"{overdue} 到期复审了吗？", "Globex 的评级是多少？为什么？",
          "ACME 建议额度是多少？", "谁审批例外情况？", "把它提高到300万"]  # fmt: skip
    return [("en", en), ("zh", zh)]


def test_every_turn_is_answered_from_tools_or_degraded_with_a_reason(
    book, toolbox, anna, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    config = LLMConfig(base_url=str(URL), model=os.environ.get("CREDITDESK_TEST_LLM_MODEL", "local"),
                       api_key="local", context_tokens=int(os.environ.get("CREDITDESK_TEST_LLM_CONTEXT", "8192")))  # fmt: skip
    brain = LLMBrain(toolbox, config=config, checkpoint_url=f"sqlite:///{tmp_path / 'conversations.db'}")
    assistant = Assistant(brain=brain, fallback=OfflineBrain(toolbox), conversations=ConversationStore(book.engine),
                          turn_scope=toolbox.turn)  # fmt: skip
    mine = call_tool(toolbox, anna, "my_clients", {}).result
    overdue = next(s.result for c in mine.model_dump()["clients"]  # type: ignore[union-attr]
                   if (s := call_tool(toolbox, anna, "review_status", {"client_id": c["client_id"]})).result
                   and s.result.review.overdue)  # fmt: skip
    outcomes: list[str] = []
    for language, questions in _questions(overdue.name):
        for question in questions:
            deltas: list[str] = []
            reply = assistant.answer(anna, f"real-model-{language}", question, on_delta=deltas.append)
            outcome = "llm" if reply.brain == "llm" else f"degraded({reply.degraded_reason})"
            outcomes.append(outcome)
            print(f"\n{question!r}: {outcome} text={reply.text[:160]!r}")
            assert reply.degraded == (reply.degraded_reason is not None)
            if language == "zh":
                assert CJK.search(reply.text), "a Chinese question gets a Chinese answer"
            if reply.brain != "llm":
                continue
            assert "".join(deltas) == reply.text  # the streamed sentences were the answer
            assert reply.text.strip() and not looks_like_tool_call(reply.text)
            assert not state_change_claims(reply.text)
            results = [f.model_dump_json() for f in reply.figures] + [question]
            results += [call_tool(toolbox, anna, c.name, c.arguments).result.model_dump_json()  # type: ignore[union-attr]
                        for c in reply.tool_calls if c.outcome == "ok"]  # fmt: skip
            assert not invented_numbers(reply.text, allowed_numbers(results))
            if overdue.name in question:
                assert not review_contradictions(reply.text, [(overdue.name, True)])
    print("\noutcomes:", outcomes)
    assert toolbox.approvals.raised == {}
