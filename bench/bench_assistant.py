"""Offline assistant: held-out understanding (EN/ZH) and turn latency on a small demo book.

Understanding: the labelled splits (bot/brains/offline/phrasings/{blind,heldout,dev}_{en,zh}.yaml, never
trained on, labels by hand; see bot/brains/offline/heldout.py) scored as right intent + client + amount, per
language; the issue's targets are held against the BLIND split, which alone was never looked at while
developing (skipped while its file is absent: the lead puts each round's in); per intent and worst
confusions for it. Then every blind and held-out question is asked end to
end as rm.anna: each Chinese question must be
answered in Chinese, and no unrecognised question may be answered with a client card.

Latency: `Assistant.answer` (warm) over the phrasing test table (tests/bot/test_offline_phrasings.py),
p95 <= 100 ms (#20), wall time and this process's CPU time per turn (on the shared machine wall time is
mostly waiting for a core: the load average is printed beside it); a phrasing that refers to "the client under discussion" gets that client introduced first
in the same conversation (not timed). The classifier's training time is reported too.
"""

from __future__ import annotations

import os
import time
import uuid

from bench.books import demo_home
from bench.harness import BenchResult, console, summarise_ms
from bot.brains.offline.brain import OfflineBrain
from bot.brains.offline.classifier import IntentClassifier, training_examples
from bot.brains.offline.heldout import Score, has_split, load_cases, score
from bot.conversations import ConversationStore
from kernel.catalogue import detect_language
from tests.bot.test_offline_phrasings import PHRASINGS

TARGETS = {"en": 0.95, "zh": 0.90}
SPLITS = ("blind", "heldout", "dev")


TURN_P95_MS = 100.0  # #20


def _pass(assistant, actor) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    """(wall ms, CPU ms) of each turn."""
    out = []
    for text, _tool, _args, context in PHRASINGS:
        conversation = uuid.uuid4().hex
        if context is not None:
            assistant.answer(actor, conversation, f"tell me about client {context}")
        t0, c0 = time.perf_counter(), time.process_time()
        assistant.answer(actor, conversation, text)
        out.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
    return out


def _end_to_end(c, actor) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    """(Chinese questions, answered in Chinese, unrecognised questions, answered with a client card)."""
    zh_total = zh_ok = unsupported = carded = 0
    store = ConversationStore(c.engine)
    for lang in ("en", "zh"):
        blind = load_cases(lang, "blind") if has_split(lang, "blind") else []
        for case in [*blind, *load_cases(lang)]:
            conversation = uuid.uuid4().hex
            if case.prior is not None:
                store.save(actor.officer_id, conversation, case.state)
            reply = c.assistant.answer(actor, conversation, case.question)
            if detect_language(case.question) == "zh":  # (the Chinese files hold a few all-English questions)
                zh_total += 1
                zh_ok += detect_language(reply.text) == "zh"
            if case.intents == ("unsupported",):
                unsupported += 1
                carded += bool(reply.cards)
    return zh_total, zh_ok, unsupported, carded


# What the current blind split scored when it was first scored, before anything was changed after it (round 3,
# 2026-12-04: nothing has been changed after it yet); empty again when the next round's unseen split is put in.
BLIND_FIRST_SCORE: dict[str, str] = {}


def _report(result: BenchResult, lang: str, s: Score, split: str) -> None:
    if split != "blind":  # looked at while developing: reported, not held to the target
        result.add(f"{split} accuracy {lang}", s.accuracy * 100, "%")
        return
    result.add(f"blind accuracy {lang}", s.accuracy * 100, "%", target=f"≥ {TARGETS[lang]:.0%}",
               met=s.accuracy >= TARGETS[lang])  # fmt: skip
    if first := BLIND_FIRST_SCORE.get(lang):
        result.notes.append(f"{lang}: this blind split was scored blind once at {first}; fixes its misses showed "
                            "followed, so the figure above is on a seen split (docs/assistant.md)")  # fmt: skip
    result.notes.append(f"{lang}: {s.right} of {s.total} right; per intent (right/total):")
    result.notes.append(
        "    " + ", ".join(f"{intent} {r}/{n}" for intent, (r, n) in sorted(s.per_intent.items()))
    )
    worst = ", ".join(f"{exp} → {got} ×{n}" for (exp, got), n in s.confusions.most_common(6)) or "none"
    result.notes.append(f"    worst confusions: {worst}")


def run(*, quick: bool) -> BenchResult:
    passes = 1 if quick else 3
    result = BenchResult("assistant", params={"phrasings": len(PHRASINGS), "passes": passes})
    texts, labels = training_examples()
    trained = IntentClassifier().fit(texts, labels)
    result.add("classifier training", trained.train_seconds, "s")
    result.params["training phrasings"] = len(texts)
    with demo_home(120) as c:
        actor = c.actor("rm.anna")
        brain = OfflineBrain(c.assistant_tools)
        index = brain._index(actor)
        for lang in ("en", "zh"):
            for split in SPLITS:
                if not has_split(lang, split):  # the blind split: the lead puts the next one in
                    result.notes.append(f"{lang}: no {split} split (phrasings/{split}_{lang}.yaml absent)")
                    continue
                s = score(lang, index, as_of=c.today(), facility_client=brain._facility_client, split=split)
                _report(result, lang, s, split)
        zh_total, zh_ok, unsupported, carded = _end_to_end(c, actor)
        result.add("Chinese questions answered in Chinese", zh_ok / zh_total * 100, "%", target="100%",
                   met=zh_ok == zh_total)  # fmt: skip
        result.add("unrecognised questions answered with a client card", carded, "count", target="0",
                   met=carded == 0)  # fmt: skip
        result.params["unrecognised questions"] = unsupported
        assistant = c.assistant
        _pass(assistant, actor)
        timed = [t for _ in range(passes) for t in _pass(assistant, actor)]
    samples, cpu = [w for w, _ in timed], [c for _, c in timed]
    s, sc = summarise_ms(samples), summarise_ms(cpu)
    result.add("turn p50", s["p50"], "ms")
    result.add("turn p95", s["p95"], "ms", target=f"≤ {TURN_P95_MS:.0f} ms", met=s["p95"] <= TURN_P95_MS)
    result.add("turn max", max(samples), "ms")
    result.add("turn CPU p50", sc["p50"], "ms")
    result.add(
        "turn CPU p95", sc["p95"], "ms", target=f"≤ {TURN_P95_MS:.0f} ms", met=sc["p95"] <= TURN_P95_MS
    )
    result.add("turn CPU max", max(cpu), "ms")
    result.params["load average (1 min)"] = round(os.getloadavg()[0], 2)
    for split in SPLITS:
        n = sum(len(load_cases(x, split)) for x in ("en", "zh") if has_split(x, split))
        console.print(f"  {split} files: {n} questions")
    return result
