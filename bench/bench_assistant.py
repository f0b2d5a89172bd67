"""Offline assistant turn (`Assistant.answer`, warm) over the assistant's phrasing table (p95 ≤ 150 ms).

The phrasings are the offline brain's test table (tests/bot/test_offline_phrasings.py), asked as
rm.anna on a small demo book; a phrasing that refers to "the client under discussion" gets that
client introduced first in the same conversation (not timed). One untimed pass warms caches.
"""

from __future__ import annotations

import time
import uuid

from bench.books import demo_home
from bench.harness import BenchResult, summarise_ms
from tests.bot.test_offline_phrasings import PHRASINGS


def _pass(assistant, actor) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for text, _tool, _args, context in PHRASINGS:
        conversation = uuid.uuid4().hex
        if context is not None:
            assistant.answer(actor, conversation, f"tell me about client {context}")
        t0 = time.perf_counter()
        assistant.answer(actor, conversation, text)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def run(*, quick: bool) -> BenchResult:
    passes = 1 if quick else 3
    with demo_home(300) as c:
        assistant, actor = c.assistant, c.actor("rm.anna")
        _pass(assistant, actor)
        samples = [ms for _ in range(passes) for ms in _pass(assistant, actor)]
    s = summarise_ms(samples)
    result = BenchResult("assistant", params={"phrasings": len(PHRASINGS), "passes": passes})
    result.add("turn p50", s["p50"], "ms")
    result.add("turn p95", s["p95"], "ms", target="≤ 150 ms", met=s["p95"] <= 150)
    result.add("turn max", max(samples), "ms")
    return result
